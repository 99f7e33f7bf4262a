// A package with type errors, where findings may be missing: a
// directive that silences nothing is not reported, one that cannot be
// read still is.
package suppressbroken

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
)

func chat(ctx context.Context, client UndefinedClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) //bidictxlint:ignore uncancelled-stream the stream has no type here
	// want +1 `gives no reason`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") }) //bidictxlint:ignore uncancelled-stream
	return g.Wait()
}
