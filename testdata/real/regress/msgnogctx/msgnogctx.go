// Messages for a group that has no context in the code: a zero-value
// group, or errgroup.WithContext with the context discarded (g, _ :=).
// A connect-go bidi stream that a sibling cancels but nobody closes is
// reported; the message may write gctx only after saying to create the
// group with errgroup.WithContext, or to name the group's context. (It
// wrote context.AfterFunc(gctx, ...) with no gctx in scope.)
package msgnogctx

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type Msg struct{}

func zeroGroup(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	var g errgroup.Group
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(sctx)
	g.Go(func() error {
		_, err := stream.Receive() // want `stream\.Receive can block forever in an errgroup task: .*create the group with g, gctx := errgroup\.WithContext\(sctx\) and also close the stream when gctx is done`
		return err
	})
	g.Go(func() error {
		defer cancel()
		return errors.New("fail")
	})
	return g.Wait()
}

func discarded(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, _ := errgroup.WithContext(ctx)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(sctx)
	g.Go(func() error {
		_, err := stream.Receive() // want `stream\.Receive can block forever in an errgroup task: .*name the group's context`
		return err
	})
	g.Go(func() error {
		defer cancel()
		return errors.New("fail")
	})
	return g.Wait()
}
