// How tasks are found: literals, function values, method values,
// returned literals, helpers, loops (docs/rules.md, Tasks).
package tasks

import (
	"context"
	"errors"

	"gen/chatgrpc"

	"golang.org/x/sync/errgroup"
)

type conn struct {
	stream chatgrpc.Chat_LegacyClient
	cancel context.CancelFunc
}

func (c *conn) recvLoop() error {
	for {
		if _, err := c.stream.Recv(); err != nil { // want `c\.stream\.Recv can block forever in an errgroup task`
			return err
		}
	}
}

func (c *conn) recv(s chatgrpc.Chat_LegacyClient) func() error {
	return func() error { _, err := s.Recv(); return err } // want `s\.Recv can block forever in an errgroup task: the stream's context ctx`
}

// methodValue: g.Go(c.recvLoop) with the stream in a field of a literal.
func methodValue(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	c := &conn{stream: stream}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(c.recvLoop)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// returnedLiteral: g.Go(c.recv(stream)).
func returnedLiteral(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	c := &conn{}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(c.recv(stream))
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// funcValue: the task is a local variable holding a literal.
func funcValue(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	recv := func() error { _, err := stream.Recv(); return err } // want `stream\.Recv can block forever`
	g, gctx := errgroup.WithContext(ctx)
	g.Go(recv)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

func level1(s chatgrpc.Chat_LegacyClient) error { return level2(s) }
func level2(s chatgrpc.Chat_LegacyClient) error { return level3(s) }
func level3(s chatgrpc.Chat_LegacyClient) error { _, err := s.Recv(); return err }

// deepHelper: three calls deep; reported at the task's call.
func deepHelper(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return level1(stream) }) // want `stream\.Recv can block forever in an errgroup task \(in level1\)`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// loop: one Go call in a loop starts several tasks.
func loop(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	for i := 0; i < 2; i++ {
		g.TryGo(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	}
	return g.Wait()
}

// parenthesized: a Go call written (g.TryGo)(f) starts tasks all the same.
func parenthesized(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	for i := 0; i < 2; i++ {
		(g.TryGo)(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	}
	return g.Wait()
}

// single: one task, group on the stream's context: nothing else can end
// the group's work.
func single(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err })
	return g.Wait()
}

// fieldCancel: a stream held in a struct, its context not visible; the
// task calls the struct's cancel func: the programmer has taken charge.
func (c *conn) fieldCancel(ctx context.Context) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := c.stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); c.cancel(); return nil })
	return g.Wait()
}

// groupParam: a group received as a parameter is not analysed.
func groupParam(g *errgroup.Group, stream chatgrpc.Chat_LegacyClient) {
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { return errors.New("fail") })
}

// outsideTasks: the stream is only used in the waiting function.
func outsideTasks(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { return nil })
	g.Go(func() error { return errors.New("fail") })
	if _, err := stream.Recv(); err != nil {
		return err
	}
	return g.Wait()
}

// pkgGroup is a group in a package variable. Its Go calls can be in any
// function, so it is checked once the whole package has been walked: the
// failing task in startFail, further down, counts.
var pkgGroup errgroup.Group

func startRecv(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	pkgGroup.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: group pkgGroup has no context`
	return nil
}

func startFail() {
	pkgGroup.Go(func() error { return errors.New("fail") })
}

// laterHelper: the task hands the stream to a helper declared further
// down, which receives on a local copy of it. The walk reads on to the
// helper before following the task there, so the copy is traced back to
// the task's stream.
func laterHelper(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return recvCopy(stream) }) // want `stream\.Recv can block forever in an errgroup task \(in recvCopy\): the stream's context ctx is not cancelled when gctx is`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

func recvCopy(in chatgrpc.Chat_LegacyClient) error {
	s := in
	_, err := s.Recv()
	return err
}
