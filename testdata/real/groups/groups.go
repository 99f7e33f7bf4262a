// Package groups is the catalogue of groups and tasks (docs/rules.md, Groups and Tasks):
// how groups are created and how tasks reach the stream.
package groups

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"

	"example.com/real/gen/chatgrpc"
	"example.com/real/groups/ext"
)

// zeroValues: every zero-value form, with two tasks.
func zeroValues(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	var g1 errgroup.Group
	g1.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: group g1 has no context`
	g1.Go(func() error { return errors.New("fail") })
	g2 := new(errgroup.Group)
	g2.Go(func() error { _, err := stream.Recv(); return err }) // want `group g2 has no context`
	g2.Go(func() error { return errors.New("fail") })
	g3 := &errgroup.Group{}
	g3.Go(func() error { _, err := stream.Recv(); return err }) // want `group g3 has no context`
	g3.Go(func() error { return errors.New("fail") })
	g4 := errgroup.Group{}
	g4.Go(func() error { _, err := stream.Recv(); return err }) // want `group g4 has no context`
	g4.Go(func() error { return errors.New("fail") })
	return errors.Join(g1.Wait(), g2.Wait(), g3.Wait(), g4.Wait())
}

// tryGo: TryGo starts tasks too.
func tryGo(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(2)
	g.TryGo(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.TryGo(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

type conn struct {
	stream chatgrpc.Chat_LegacyClient
}

func (c *conn) recvLoop() error {
	for {
		if _, err := c.stream.Recv(); err != nil { // want `c\.stream\.Recv can block forever in an errgroup task: the stream's context ctx`
			return err
		}
	}
}

func (c *conn) recv(s chatgrpc.Chat_LegacyClient) func() error {
	return func() error { _, err := s.Recv(); return err } // want `s\.Recv can block forever in an errgroup task: the stream's context ctx`
}

// methodValue: g.Go(c.recvLoop), the stream in a field of the receiver.
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

// returnedLiteral: g.Go(c.recv(stream)), a helper that returns the task.
func returnedLiteral(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	var c conn
	g, gctx := errgroup.WithContext(ctx)
	g.Go(c.recv(stream))
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// funcValue: the task is a variable holding a literal.
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

// threeDeep: a helper three calls deep, reported at the task's call.
func threeDeep(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return level1(stream) }) // want `stream\.Recv can block forever in an errgroup task \(in level1\)`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

func (c *conn) pump() error { return c.drain() }
func (c *conn) drain() error {
	_, err := c.stream.Recv()
	return err
}

// receiverHelper: the task calls a method whose receiver holds the stream.
func receiverHelper(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	c := &conn{stream: stream}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return c.pump() }) // want `stream\.Recv can block forever in an errgroup task \(in pump\): the stream's context ctx`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// capturedClosure: the task calls a local closure that captured the stream.
func capturedClosure(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	next := func() (*chatgrpc.Msg, error) { return stream.Recv() }
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := next(); return err }) // want `stream\.Recv can block forever in an errgroup task \(in next\)`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// nestedLiteral: the blocking call is in a literal inside the task.
func nestedLiteral(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		return func() error { _, err := stream.Recv(); return err }() // want `stream\.Recv can block forever`
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// crossPackage: helpers in other packages are not followed: no report.
func crossPackage(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return ext.Drain(stream) })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// inLoop: one Go call in a loop starts several tasks.
func inLoop(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	for range 2 {
		g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	}
	return g.Wait()
}

// enclosing: the group is created in the enclosing function and its tasks
// are started from a literal.
func enclosing(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	start := func() {
		g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
		g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	}
	start()
	return g.Wait()
}

// groupParam: a group received as a parameter is not analysed.
func groupParam(g *errgroup.Group, stream chatgrpc.Chat_LegacyClient) {
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { return errors.New("fail") })
}

type holder struct{ g *errgroup.Group }

// groupField: a group read from a field is not analysed.
func (h *holder) groupField(stream chatgrpc.Chat_LegacyClient) {
	h.g.Go(func() error { _, err := stream.Recv(); return err })
	h.g.Go(func() error { return errors.New("fail") })
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
