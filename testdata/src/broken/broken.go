// Ill-typed and odd code: the analyzer must skip what it cannot type,
// never panic, and report what it still can.
package broken

import (
	"context"
	"errors"

	"gen/chatgrpc"

	"golang.org/x/sync/errgroup"
)

// unknownClient: the client type is undefined, so the stream has no type.
func unknownClient(ctx context.Context, client UndefinedClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// wrongArity: Go called with no function, and with two.
func wrongArity(ctx context.Context) error {
	g, _ := errgroup.WithContext(ctx)
	g.Go()
	g.Go(nil, nil)
	return g.Wait()
}

// undefinedGroup: the group comes from an undefined function.
func undefinedGroup(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := undefinedWithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return nil })
	return g.Wait()
}

// recursive: a helper that calls itself with the stream.
func recursive(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return loop(stream, 0) }) // want `stream\.Recv can block forever in an errgroup task \(in loop\)`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

func loop(s chatgrpc.Chat_LegacyClient, n int) error {
	if n > 3 {
		_, err := s.Recv()
		return err
	}
	return loop(s, n+1)
}

// selfAssign: a context that is rederived in a loop.
func selfAssign(ctx context.Context, client chatgrpc.ChatClient) error {
	for i := 0; i < 3; i++ {
		ctx = context.WithValue(ctx, i, i)
	}
	ctx = ctx
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// generic: streams behind type parameters are not client streams.
func generic[S interface{ Recv() (*chatgrpc.Msg, error) }](ctx context.Context, s S) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := s.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return nil })
	return g.Wait()
}

// syntax: a statement the parser cannot read.
func syntax(ctx context.Context) error {
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { return +++ })
	return g.Wait()
}
