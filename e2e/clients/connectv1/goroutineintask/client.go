// Package goroutineintask is a connect-go v1 subscription over a bidi
// stream whose receive task does not call Receive itself: it starts a
// goroutine that receives the updates, and waits on that goroutine's end
// or on the group's context, while another task does the work. The
// stream is opened with a context of the function's own, cancelled by a
// defer, and the subscription sent before the group starts. When the work
// fails, the receive task returns on the group's context, so Wait returns
// the failure at once. bidictxlint reports nothing (docs/rules.md,
// Goroutines in tasks). The deferred cancel is all that ends the goroutine still
// blocked in Receive once Run has returned; against a peer that has
// answered, it does not (TestGoroutineInTask).
package goroutineintask

import (
	"context"
	"errors"
	"io"
	"log"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// Run subscribes to updates and logs them while processing the lines next
// yields, until the updates end and next says io.EOF, or either fails.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := client.CallBidiStream(ctx)
	if err := stream.Send(wrapperspb.String("subscribe")); err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		errc := make(chan error, 1)
		go func() {
			for {
				msg, err := stream.Receive()
				if err != nil {
					errc <- err
					return
				}
				log.Printf("update: %s", msg.GetValue())
			}
		}()
		select {
		case err := <-errc:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		case <-gctx.Done():
			return gctx.Err()
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
			log.Printf("processed: %s", line)
		}
	})
	return g.Wait()
}
