// The names the fix introduces are taken: it picks free variants.
package fixnames

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"

	"golang.org/x/sync/errgroup"
)

var rpcCancel = func() {}

func taken(ctx context.Context, client chatgrpc.ChatClient) error {
	rpcCtx := ctx
	stream, err := client.Chat(rpcCtx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error {
		gctx := 1
		_ = gctx
		_, err := stream.Recv() // want `stream\.Recv can block forever`
		return err
	})
	g.Go(func() error { rpcCancel(); return errors.New("fail") })
	return g.Wait()
}
