// Comments around the insertion points stay where they were.
package fixcomments

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"

	"golang.org/x/sync/errgroup"
)

func commented(ctx context.Context, client chatgrpc.ChatClient) error {
	// Open the stream first.
	// It lives as long as the call.
	stream, err := client.Chat(ctx) // opened with the caller's ctx
	if err != nil {
		return err
	}
	// Then start the group.
	g, gctx := errgroup.WithContext(ctx) // the group
	// The receive loop.
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
