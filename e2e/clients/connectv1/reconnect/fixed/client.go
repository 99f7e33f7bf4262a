// Package fixed is reconnect fixed by hand as bidictxlint fixes it: a
// stream opened once per attempt gets no cancel func and no defer of its
// own (they would pile up, one per attempt, until Run returns); it is
// opened under the group's context instead, which Wait cancels, and, as a
// connect-go bidi stream, closed once that context is done, the close
// unregistered when the attempt ends.
package fixed

import (
	"context"
	"errors"
	"io"
	"log"
	"time"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

const (
	attempts = 3
	backoff  = 50 * time.Millisecond
)

// Run follows the feed and logs it while publishing the lines next yields,
// until the feed ends and next says io.EOF, or either fails.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for attempt := 1; ; attempt++ {
			stream := client.CallBidiStream(gctx)
			stop := context.AfterFunc(gctx, func() { _ = stream.CloseResponse() })
			err := stream.Send(wrapperspb.String("join"))
			for err == nil {
				var msg *wrapperspb.StringValue
				if msg, err = stream.Receive(); err == nil {
					log.Printf("feed: %s", msg.GetValue())
				}
			}
			stop()
			_ = stream.CloseRequest()
			_ = stream.CloseResponse()
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
