// Package nogrpc is analysed with -grpc=false: grpc-go streams are
// ignored, connect-go streams are still reported.
package nogrpc

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"

	"example.com/real/gen/chatgrpc"
	"example.com/real/gen/chatv2"
)

func grpcIgnored(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

func connectKept(ctx context.Context, client *chatv2.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `stream\.Receive can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
