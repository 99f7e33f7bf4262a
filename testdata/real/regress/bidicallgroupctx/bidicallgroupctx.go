// A connect-go bidi stream opened with the group's context inside an
// expression in a task: c.CallBidiStream(gctx).Receive(). The analyzer
// crashed planning the fix. Opened under the group is no path for a
// connect-go bidi stream: once the server has answered, the cancel does
// not free the Receive; only a close does. The stream has no name to
// close, so it is reported without a fix, and the message must not tell
// to call a method on the call (which would open a second stream).
package bidicallgroupctx

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
		_, err := c.CallBidiStream(gctx).Receive() // want `Receive can block forever in an errgroup task`
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
