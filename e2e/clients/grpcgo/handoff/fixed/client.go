// Package fixed is handoff fixed by hand as bidictxlint fixes it. The
// stream is used by a task other than the one that opens it, so the RPC's
// context and its cancel func belong to Run, which calls Wait, not to the
// opening task (whose return must not end the stream the reader still
// uses); the cancel runs once the group's context is done.
package fixed

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
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	g, gctx := errgroup.WithContext(rpcCtx)
	context.AfterFunc(gctx, rpcCancel)
	streams := make(chan chat, 1)
	g.Go(func() error {
		stream, err := client.Chat(rpcCtx)
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
