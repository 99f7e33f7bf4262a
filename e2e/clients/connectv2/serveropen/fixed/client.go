// Package fixed is serveropen fixed by hand as bidictxlint fixes it: the
// publisher may fail while Watch waits for the response headers, so the
// RPC's cancel func is registered on the group's context before the call.
package fixed

import (
	"context"
	"errors"
	"io"
	"log"

	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// Run publishes the lines next yields while logging the updates of a
// watch, until both end or either fails.
func Run(ctx context.Context, client chatv2.ChatServiceClient, next func(context.Context) (string, error)) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			line, err := next(gctx)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			log.Printf("published: %s", line)
		}
	})
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	context.AfterFunc(gctx, rpcCancel)
	stream, err := client.Watch(rpcCtx, wrapperspb.String("updates"))
	if err != nil {
		// The publisher runs: wait for it before reporting.
		if werr := g.Wait(); werr != nil {
			return werr
		}
		return err
	}
	defer stream.Close()
	g.Go(func() error {
		for {
			msg, err := stream.Receive()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			log.Printf("update: %s", msg.GetValue())
		}
	})
	return g.Wait()
}
