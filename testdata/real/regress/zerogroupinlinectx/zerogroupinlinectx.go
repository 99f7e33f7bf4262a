// A zero-value group and a connect-go bidi stream opened with a context
// written inline around a derived one,
// c.CallBidiStream(metadata.AppendToOutgoingContext(sctx, ...)). Reported;
// its fix rewrote the group's declaration, above sctx, as
// errgroup.WithContext(<that expression>) (undefined: sctx). The fix must
// compile; what it writes is left to the fix.
package zerogroupinlinectx

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc/metadata"
)

type Msg struct{}

func inlineContext(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	var g errgroup.Group
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(metadata.AppendToOutgoingContext(sctx, "k", "v"))
	g.Go(func() error {
		_, err := stream.Receive() // want `stream\.Receive can block forever in an errgroup task`
		return err
	})
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}
