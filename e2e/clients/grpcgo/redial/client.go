// Package redial is the grpc-go twin of connectv1/redial: a feed over a
// bidi stream that a goroutine pumps into a channel, dialled again whenever
// the feed goes quiet, each attempt's stream left to the deferred cancel of
// the function. On grpc-go, Run's return frees every attempt's goroutine
// (the cancel frees a pending Recv), so nothing outlives Run; the attempts
// that went quiet wait until then.
package redial

import (
	"context"
	"errors"
	"io"
	"log"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
)

const (
	attempts = 3
	// quietAfter is how long the feed may stay silent before Run dials
	// again.
	quietAfter = time.Second
)

var errQuiet = errors.New("redial: the feed went quiet")

// Run follows the feed: on every attempt it joins, sends the next line
// next yields and logs the updates, dialling again when the feed goes
// quiet, until the feed ends, or next or the feed fails.
func Run(ctx context.Context, client chatgrpc.ChatServiceClient, next func(context.Context) (string, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for attempt := 1; ; attempt++ {
		stream, err := client.Chat(ctx)
		if err != nil {
			return err
		}
		updates := make(chan string)
		ended := make(chan error, 1)
		go func() {
			for {
				msg, err := stream.Recv()
				if err != nil {
					ended <- err
					return
				}
				select {
				case updates <- msg.GetValue():
				case <-ctx.Done():
					return
				}
			}
		}()
		err = stream.Send(wrapperspb.String("join"))
		if err == nil {
			var line string
			if line, err = next(ctx); err == nil {
				err = stream.Send(wrapperspb.String(line))
			}
		}
		for err == nil {
			select {
			case update := <-updates:
				log.Printf("update: %s", update)
			case err = <-ended:
			case <-time.After(quietAfter):
				err = errQuiet
			case <-ctx.Done():
				err = ctx.Err()
			}
		}
		switch {
		case errors.Is(err, io.EOF):
			return nil // the feed ended
		case !errors.Is(err, errQuiet) || attempt == attempts:
			return err
		}
		log.Printf("attempt %d: %v; dialling again", attempt, err)
	}
}
