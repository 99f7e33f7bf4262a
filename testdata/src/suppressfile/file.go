// Package suppressfile: in the package doc comment, above the package
// clause, a directive covers the whole file.
//
//bidictxlint:ignore uncancelled-stream the servers of this demo end every stream
package suppressfile

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
)

type Msg struct{}

type ChatClient interface {
	Chat(ctx context.Context) (grpc.BidiStreamingClient[Msg, Msg], error)
}

func chat(ctx context.Context, client ChatClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
