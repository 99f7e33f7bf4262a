// Package ctxpoolcancel is the grpc-go twin of connectv1/ctxpoolcancel: a
// subscription run by a conc ContextPool with WithCancelOnError, whose
// receiving task opens the stream with the pool's context. On grpc-go this
// is correct, as with errgroup: when the work fails, the pool cancels its
// context, which frees the pending Recv, and Wait returns the work's error
// at once.
package ctxpoolcancel

import (
	"context"
	"errors"
	"io"
	"log"

	"github.com/sourcegraph/conc/pool"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
)

// Run subscribes to updates and logs them while processing the lines next
// yields, until the updates end and next says io.EOF, or either fails.
func Run(ctx context.Context, client chatgrpc.ChatServiceClient, next func(context.Context) (string, error)) error {
	p := pool.New().WithContext(ctx).WithCancelOnError().WithFirstError()
	p.Go(func(ctx context.Context) error {
		stream, err := client.Chat(ctx)
		if err != nil {
			return err
		}
		if err := stream.Send(wrapperspb.String("subscribe")); err != nil {
			return err
		}
		for {
			msg, err := stream.Recv()
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
