// Package fixed is zerogroup fixed by hand as bidictxlint fixes it: the
// zero-value group becomes errgroup.WithContext, whose context cancels the
// RPC's own context when done, and the stream is closed then too: on a
// connect-go bidi stream whose peer has answered, the cancel alone does
// not free a pending Receive (see TestFacts).
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
			line, err := next(ctx)
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
