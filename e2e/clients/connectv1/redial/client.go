// Package redial is a connect-go v1 feed over a bidi stream that a goroutine pumps
// into a channel, and that the function dials again whenever the feed goes
// quiet. Each attempt's stream is left to the deferred cancel of the
// function. Once the server has answered and while the request side is
// open, the cancel does not free a pending Receive (see TestFacts): every
// attempt that went quiet leaves its goroutine blocked in Receive, and its
// stream held at the server, one more per attempt, and Run's return frees
// none of them.
package redial

import (
	"context"
	"errors"
	"io"
	"log"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"
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
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for attempt := 1; ; attempt++ {
		stream := client.CallBidiStream(ctx)
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
		err := stream.Send(wrapperspb.String("join"))
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
