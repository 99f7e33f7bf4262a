// Package fixed is handoff fixed by hand as bidictxlint fixes it. The
// stream is used by a task other than the one that opens it, so the RPC's
// context and its cancel func belong to Run, which calls Wait, not to the
// opening task (whose return must not end the stream the reader still
// uses). The cancel and, as on every connect-go bidi stream, the close
// run once the group's context is done.
package fixed

import (
	"context"
	"errors"
	"io"
	"log"

	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// Run subscribes to updates and logs them while processing the lines next
// yields, until the updates end and next says io.EOF, or either fails.
func Run(ctx context.Context, client chatv2.ChatServiceClient, next func(context.Context) (string, error)) error {
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	g, gctx := errgroup.WithContext(rpcCtx)
	streams := make(chan chatv2.ChatServiceChatClientStream, 1)
	g.Go(func() error {
		stream, err := client.Chat(rpcCtx)
		if err != nil {
			return err
		}
		context.AfterFunc(gctx, func() {
			rpcCancel()
			_ = stream.Close()
		})
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
		var stream chatv2.ChatServiceChatClientStream
		select {
		case stream = <-streams:
		case <-gctx.Done():
			return gctx.Err()
		}
		defer stream.Close()
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
