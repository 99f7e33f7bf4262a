// Package handoff is a grpc-go subscription opened in one errgroup task,
// which sends the request, closes its side and hands the stream over a
// channel to a reader task, while a third task does the work. The stream
// is opened with the caller's context: when the work fails, the reader
// keeps waiting and Run never returns.
package handoff

import (
	"context"
	"errors"
	"io"
	"log"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
)

type chat = grpc.BidiStreamingClient[wrapperspb.StringValue, wrapperspb.StringValue]

// Run subscribes to updates and logs them while processing the lines next
// yields, until the updates end and next says io.EOF, or either fails.
func Run(ctx context.Context, client chatgrpc.ChatServiceClient, next func(context.Context) (string, error)) error {
	g, gctx := errgroup.WithContext(ctx)
	streams := make(chan chat, 1)
	g.Go(func() error {
		stream, err := client.Chat(ctx)
		if err != nil {
			return err
		}
		if err := stream.Send(wrapperspb.String("subscribe")); err != nil {
			return err
		}
		if err := stream.CloseSend(); err != nil {
			return err
		}
		streams <- stream
		return nil
	})
	g.Go(func() error {
		var stream chat
		select {
		case stream = <-streams:
		case <-gctx.Done():
			return gctx.Err()
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
