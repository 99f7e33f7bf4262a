// Package afterfunccancel is a connect-go v2 bidi chat that follows the
// usual remedy to the letter: the stream gets a context of its own,
// cancelled by context.AfterFunc once the group's context is done. Once
// the server has answered and while the request side is open, the cancel
// does not free the pending Receive (see TestFacts), so Wait never
// returns.
package afterfunccancel

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
	context.AfterFunc(gctx, func() { rpcCancel() })
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
