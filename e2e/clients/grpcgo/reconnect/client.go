// Package reconnect is a grpc-go feed that one errgroup task follows over
// a bidi stream, opening the stream again when it breaks, while another
// task publishes. Each attempt opens the stream with the caller's context:
// when the publisher fails, the follower keeps waiting and Run never
// returns.
package reconnect

import (
	"context"
	"errors"
	"io"
	"log"
	"time"

	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
)

const (
	attempts = 3
	backoff  = 50 * time.Millisecond
)

// Run follows the feed and logs it while publishing the lines next yields,
// until the feed ends and next says io.EOF, or either fails.
func Run(ctx context.Context, client chatgrpc.ChatServiceClient, next func(context.Context) (string, error)) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for attempt := 1; ; attempt++ {
			stream, err := client.Chat(ctx)
			if err == nil {
				err = stream.Send(wrapperspb.String("join"))
			}
			for err == nil {
				var msg *wrapperspb.StringValue
				if msg, err = stream.Recv(); err == nil {
					log.Printf("feed: %s", msg.GetValue())
				}
			}
			if errors.Is(err, io.EOF) {
				return nil // the feed ended
			}
			if attempt == attempts {
				return err
			}
			log.Printf("feed broke (%v), reconnecting", err)
			select {
			case <-gctx.Done():
				return gctx.Err()
			case <-time.After(backoff):
			}
		}
	})
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
	return g.Wait()
}
