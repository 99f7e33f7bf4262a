// Package ctxpool is a connect-go v1 subscription run by a conc ContextPool
// without WithCancelOnError: one task opens the stream with the pool's
// context, subscribes and receives the updates, the other does the work.
// When the work fails, nothing cancels the pool's context (it ends only
// when Wait returns), so the receiving task keeps waiting and Wait never
// returns, on every library.
package ctxpool

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
	p := pool.New().WithContext(ctx).WithMaxGoroutines(2)
	p.Go(func(ctx context.Context) error {
		stream := client.CallBidiStream(ctx)
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
