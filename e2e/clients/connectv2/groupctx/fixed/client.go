// Package fixed is groupctx fixed by hand as bidictxlint fixes it: the
// stream is closed once the group's context is done, which frees the
// pending Receive that the cancel alone does not.
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
	g, gctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(gctx)
	if err != nil {
		return err
	}
	context.AfterFunc(gctx, func() { _ = stream.Close() })
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
