// Package fixed is afterfunccancel fixed by hand as bidictxlint fixes it:
// the func registered with context.AfterFunc also closes the stream, which
// frees the pending Receive that the cancel alone does not.
package fixed

import (
	"context"
	"log"

	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// Run sends the lines next yields and logs the replies until either fails.
func Run(ctx context.Context, client chatv2.ChatServiceClient, next func(context.Context) (string, error)) error {
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	stream, err := client.Chat(rpcCtx)
	if err != nil {
		return err
	}
	defer stream.Close()
	g, gctx := errgroup.WithContext(rpcCtx)
	context.AfterFunc(gctx, func() { rpcCancel(); _ = stream.Close() })
	g.Go(func() error {
		for {
			msg, err := stream.Receive()
			if err != nil {
				return err
			}
			log.Printf("reply: %s", msg.GetValue())
		}
	})
	g.Go(func() error {
		for {
			line, err := next(gctx)
			if err != nil {
				return err
			}
			if err := stream.Send(wrapperspb.String(line)); err != nil {
				return err
			}
		}
	})
	return g.Wait()
}
