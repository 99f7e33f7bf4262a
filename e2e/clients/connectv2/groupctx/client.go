// Package groupctx is a connect-go v2 bidi chat written the way usually
// called correct: the group first, then the stream opened with the
// group's context. When the send task fails, errgroup cancels that
// context, but once the server has answered and while the request side is
// open, the cancel does not free the pending Receive (see TestFacts), so
// Wait never returns. The deferred Close only runs once Wait has returned.
package groupctx

import (
	"context"
	"log"

	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// Run sends the lines next yields and logs the replies until either fails.
func Run(ctx context.Context, client chatv2.ChatServiceClient, next func(context.Context) (string, error)) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(gctx)
	if err != nil {
		return err
	}
	defer stream.Close()
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
