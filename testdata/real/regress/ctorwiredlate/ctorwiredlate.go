// A task made by a constructor given the group's context opens a
// connect-go server stream through a helper, which blocks until the
// server answers, and only then registers context.AfterFunc(gctx, ...):
// while the opening waits, nothing frees it. Reported (it was missed: the
// registration was found again through the constructor, without its
// order). Registered before the opening, it is no report.
package ctorwiredlate

import (
	"context"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type Msg struct{}

func open(ctx context.Context, c *connect.Client[Msg, Msg]) (*connect.ServerStreamForClient[Msg], error) {
	return c.CallServerStream(ctx, connect.NewRequest(&Msg{}))
}

func late(client *connect.Client[Msg, Msg], gctx context.Context) func() error {
	return func() error {
		sctx, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		for range 3 {
			s, err := open(sctx, client) // want `open can block forever in an errgroup task: it waits for the server's answer`
			if err != nil {
				return err
			}
			context.AfterFunc(gctx, func() { cancel(context.Cause(gctx)) })
			if !s.Receive() {
				return nil
			}
		}
		return nil
	}
}

func wiredLate(client *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(context.Background())
	for range 2 {
		g.Go(late(client, gctx))
	}
	return g.Wait()
}

func early(client *connect.Client[Msg, Msg], gctx context.Context) func() error {
	return func() error {
		sctx, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		context.AfterFunc(gctx, func() { cancel(context.Cause(gctx)) })
		s, err := open(sctx, client)
		if err != nil {
			return err
		}
		for s.Receive() {
		}
		return nil
	}
}

func wiredEarly(client *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(context.Background())
	for range 2 {
		g.Go(early(client, gctx))
	}
	return g.Wait()
}
