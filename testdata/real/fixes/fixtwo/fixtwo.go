// Two diagnostics in one function: both fixes apply together.
package fixtwo

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"

	"golang.org/x/sync/errgroup"
)

// twoStreams: each stream gets its own rpcCtx.
func twoStreams(ctx context.Context, client chatgrpc.ChatClient) error {
	up, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	down, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := up.Recv(); return err })   // want `up\.Recv can block forever`
	g.Go(func() error { _, err := down.Recv(); return err }) // want `down\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// twoGroups: one stream in two groups; the stream is wrapped once.
func twoGroups(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g1, gctx1 := errgroup.WithContext(ctx)
	g1.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx1 is`
	g1.Go(func() error { <-gctx1.Done(); return errors.New("fail") })
	g2, gctx2 := errgroup.WithContext(ctx)
	g2.Go(func() error { return stream.Send(nil) }) // want `stream\.Send can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx2 is`
	g2.Go(func() error { <-gctx2.Done(); return errors.New("fail") })
	return errors.Join(g1.Wait(), g2.Wait())
}
