// A connect-go server stream opened in a task, with its cancel wired to
// the group only after the opening call. CallServerStream (and every
// generated server-streaming method) waits for the response headers, and
// only a cancel frees that wait: while it waits, the wiring below it has
// not run, so a failing sibling leaves the task blocked in the call.
// Reported. (The fix registers the AfterFunc before the call; what it
// writes is left to the fix.) Wired before the call, it is not reported.
package wiredafteropen

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type Msg struct{}

func wiredAfter(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stream, err := c.CallServerStream(sctx, connect.NewRequest(&Msg{})) // want `can block forever in an errgroup task`
		if err != nil {
			return err
		}
		context.AfterFunc(gctx, cancel)
		for stream.Receive() {
		}
		return stream.Err()
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

func wiredBefore(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		context.AfterFunc(gctx, cancel)
		stream, err := c.CallServerStream(sctx, connect.NewRequest(&Msg{}))
		if err != nil {
			return err
		}
		for stream.Receive() {
		}
		return stream.Err()
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
