// Package fixed is ctxpoolcancel fixed by hand as bidictxlint fixes it:
// the stream is also closed once the pool's context is done, which frees
// the pending Receive that the cancel alone does not.
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
	p := pool.New().WithContext(ctx).WithCancelOnError().WithFirstError()
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
