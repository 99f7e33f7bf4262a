package streams

import (
	"context"
	"errors"

	. "connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

// dotImport: the stream type is named without its package.
func dotImport(ctx context.Context, stream *BidiStreamForClient[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `stream\.Receive can block forever in an errgroup task: the stream's context is not visible`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	var _ Spec
	return g.Wait()
}
