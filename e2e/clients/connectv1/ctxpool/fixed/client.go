// Package fixed is ctxpool fixed by hand as bidictxlint fixes it: the pool
// cancels its context on the first error (WithCancelOnError), and, on a
// connect-go bidi stream, whose pending Receive the cancel alone does not
// free once the server has answered, the stream is closed once that
// context is done.
package fixed

import (
	"context"
	"errors"
	"io"
	"log"

	"connectrpc.com/connect"
	"github.com/sourcegraph/conc/pool"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// Run subscribes to updates and logs them while processing the lines next
// yields, until the updates end and next says io.EOF, or either fails.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	p := pool.New().WithContext(ctx).WithCancelOnError().WithMaxGoroutines(2)
	p.Go(func(ctx context.Context) error {
		stream := client.CallBidiStream(ctx)
		context.AfterFunc(ctx, func() { _ = stream.CloseResponse() })
		if err := stream.Send(wrapperspb.String("subscribe")); err != nil {
			return err
		}
		for {
			msg, err := stream.Receive()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			log.Printf("update: %s", msg.GetValue())
		}
	})
	p.Go(func(ctx context.Context) error {
		for {
			line, err := next(ctx)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			log.Printf("processed: %s", line)
		}
	})
	return p.Wait()
}
