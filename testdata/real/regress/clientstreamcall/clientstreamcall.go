// A connect-go client stream opened inside an expression in a task, with
// the blocking call on the result: c.CallClientStream(ctx).CloseAndReceive().
// The analyzer crashed planning the fix. A cancel frees a pending
// CloseAndReceive, so passing the group's context is the fix.
package clientstreamcall

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type Msg struct{}

func methodOnCall(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		_, err := c.CallClientStream(ctx).CloseAndReceive() // want `CloseAndReceive can block forever in an errgroup task`
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
