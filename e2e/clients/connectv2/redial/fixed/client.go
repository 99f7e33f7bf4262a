// Package fixed is redial fixed by hand as bidictxlint fixes it: each
// attempt's stream gets a context of its own, and the attempt cancels it
// and closes the stream once it ends, before dialling again or returning
// (no defer, which would pile up, one per attempt, until Run returns). The
// cancel comes first: a close alone waits for the response headers.
package fixed

import (
	"context"
	"errors"
	"io"
	"log"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
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
func Run(ctx context.Context, client chatv2.ChatServiceClient, next func(context.Context) (string, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for attempt := 1; ; attempt++ {
		attemptCtx, cancelAttempt := context.WithCancel(ctx)
		stream, err := client.Chat(attemptCtx)
		if err != nil {
			cancelAttempt()
			return err
		}
		updates := make(chan string)
		ended := make(chan error, 1)
		go func() {
			for {
				msg, err := stream.Receive()
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
		cancelAttempt()
		_ = stream.Close()
		switch {
		case errors.Is(err, io.EOF):
			return nil // the feed ended
		case !errors.Is(err, errQuiet) || attempt == attempts:
			return err
		}
		log.Printf("attempt %d: %v; dialling again", attempt, err)
	}
}
