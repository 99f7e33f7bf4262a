// The file imports context under another name: the fix uses it.
package fiximport

import (
	stdctx "context"
	"errors"

	"example.com/real/gen/chatgrpc"

	"golang.org/x/sync/errgroup"
)

func renamed(ctx stdctx.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
