// The stream's Recv is declared in chatgrpc, which this package does not
// import: a driver that reads its dependencies from export data (go vet,
// the standalone command) knows chatgrpc only as a package api's
// export data names, with no imports of its own. The fast exit must
// still count that Recv as a stream's (docs/performance.md#the-fast-exit).
package indirectpb

import (
	"context"
	"errors"

	"example.com/real/regress/indirectpb/api"
	"golang.org/x/sync/errgroup"
)

func reassigned(ctx context.Context, c *api.Client) error {
	stream, err := c.Legacy(ctx)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			if _, err := stream.Recv(); err != nil { // want `stream\.Recv can block forever in an errgroup task`
				return err
			}
		}
	})
	g.Go(func() error { <-ctx.Done(); return errors.New("boom") })
	return g.Wait()
}
