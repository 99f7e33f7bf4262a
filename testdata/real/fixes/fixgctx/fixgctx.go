// Shape 3: the group's context is discarded; the fix names it.
package fixgctx

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"

	"golang.org/x/sync/errgroup"
)

func discarded(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when the group's context is; name the group's context gctx, derive rpcCtx, rpcCancel := context\.WithCancel\(ctx\) with defer rpcCancel\(\), open the stream on rpcCtx, create group g on rpcCtx too and cancel it with context\.AfterFunc\(gctx, rpcCancel\)`
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}

// assigned: `g, _ = ...` cannot declare a name; report without a fix.
func assigned(ctx context.Context, client chatgrpc.ChatClient) error {
	var g *errgroup.Group
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, _ = errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}
