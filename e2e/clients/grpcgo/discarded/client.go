// Package discarded is a grpc-go client-stream upload whose group context
// is thrown away (g, _ := errgroup.WithContext(ctx)): when the batching
// task fails, the upload keeps waiting for the server's summary.
package discarded

import (
	"context"
	"log"

	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
)

// Run uploads a manifest and waits for the server's summary while the
// lines next yields are batched, until either fails.
func Run(ctx context.Context, client chatgrpc.ChatServiceClient, next func(context.Context) (string, error)) error {
	stream, err := client.Upload(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := stream.Send(wrapperspb.String("manifest")); err != nil {
			return err
		}
		res, err := stream.CloseAndRecv()
		if err != nil {
			return err
		}
		log.Printf("summary: %s", res.GetValue())
		return nil
	})
	g.Go(func() error {
		for {
			line, err := next(ctx)
			if err != nil {
				return err
			}
			log.Printf("batched: %s", line)
		}
	})
	return g.Wait()
}
