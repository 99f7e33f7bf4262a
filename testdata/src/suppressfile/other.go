package suppressfile

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
)

// other: the directive covers its own file, not the package.
func other(ctx context.Context, client ChatClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
