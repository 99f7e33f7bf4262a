// Package reassigned is the most common form of the bug in public code, on
// connect-go v2: the chat is opened with ctx, then g, ctx :=
// errgroup.WithContext(ctx). After that line ctx names the group's
// context, but the stream was opened with the caller's. The deferred Close
// only runs once Wait has returned, so it cannot help.
package reassigned

import (
	"context"
	"log"

	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// Run sends the lines next yields and logs the replies until either fails.
func Run(ctx context.Context, client chatv2.ChatServiceClient, next func(context.Context) (string, error)) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	defer stream.Close()
	g, ctx := errgroup.WithContext(ctx)
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
