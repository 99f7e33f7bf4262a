// Package fixed is streamparam fixed by hand as bidictxlint fixes it: the
// stream's context is not visible, so the stream is closed (which
// connect-go v2 documents to unblock a pending Receive) once the group's
// context is done.
package fixed

import (
	"context"
	"log"

	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// Run sends the lines next yields on stream and logs the replies until
// either fails.
func Run(ctx context.Context, stream chatv2.ChatServiceChatClientStream, next func(context.Context) (string, error)) error {
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, func() { _ = stream.Close() })
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
