// A message says what to do in exactly the words of the code its fix
// writes. The stream's context is an expression with no cancel func, so
// the fix derives rpcCtx, rpcCancel; the message said cancel() where the
// fix writes rpcCancel().
package msgfixwords

import (
	"context"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc/metadata"
)

type Msg struct{}

func inlineWrapped(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	_ = gctx
	s := c.CallBidiStream(metadata.AppendToOutgoingContext(ctx, "k", "v"))
	g.Go(func() error {
		_, err := s.Receive() // want `s\.Receive can block forever in an errgroup task: .*context\.AfterFunc\(gctx, func\(\) \{ rpcCancel\(\); _ = s\.CloseResponse\(\) \}\)`
		return err
	})
	return g.Wait()
}
