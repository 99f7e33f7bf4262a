// Package fixed is discarded fixed by hand as bidictxlint fixes it: the
// group's context is named and cancels the RPC's own context when done.
package fixed

import (
	"context"
	"log"

	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// Run uploads a manifest and waits for the server's summary while the
// lines next yields are batched, until either fails.
func Run(ctx context.Context, client chatv2.ChatServiceClient, next func(context.Context) (string, error)) error {
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	stream, err := client.Upload(rpcCtx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(rpcCtx)
	context.AfterFunc(gctx, rpcCancel)
	g.Go(func() error {
		if err := stream.Send(wrapperspb.String("manifest")); err != nil {
			return err
		}
		res, err := stream.CloseAndReceive()
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
