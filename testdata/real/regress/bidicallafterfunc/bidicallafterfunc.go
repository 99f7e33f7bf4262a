// The usual remedy, context.AfterFunc(gctx, cancel), with a connect-go
// bidi stream opened inside an expression in a task:
// c.CallBidiStream(sctx).Receive(). The analyzer crashed naming the fix's
// variables. The cancel alone does not free a bidi Receive once the server
// has answered; the stream has no name to close, so it is reported
// without a fix.
package bidicallafterfunc

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type Msg struct{}

func usualRemedy(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	context.AfterFunc(gctx, cancel)
	g.Go(func() error {
		_, err := c.CallBidiStream(sctx).Receive() // want `Receive can block forever in an errgroup task: on a connect-go bidi stream`
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
