// Package handoff is a connect-go v1 subscription opened in one errgroup
// task, which sends the request, closes its side and hands the stream
// over a channel to a reader task, while a third task does the work. The
// stream is opened with the caller's context: when the work fails, the
// reader keeps waiting and Run never returns.
package handoff

import (
	"context"
	"errors"
	"io"
	"log"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type chat = connect.BidiStreamForClient[wrapperspb.StringValue, wrapperspb.StringValue]

// Run subscribes to updates and logs them while processing the lines next
// yields, until the updates end and next says io.EOF, or either fails.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	g, gctx := errgroup.WithContext(ctx)
	streams := make(chan *chat, 1)
	g.Go(func() error {
		stream := client.CallBidiStream(ctx)
		if err := stream.Send(wrapperspb.String("subscribe")); err != nil {
			return err
		}
		if err := stream.CloseRequest(); err != nil {
			return err
		}
		streams <- stream
		return nil
	})
	g.Go(func() error {
		var stream *chat
		select {
		case stream = <-streams:
		case <-gctx.Done():
			return gctx.Err()
		}
		for {
			msg, err := stream.Receive()
			if errors.Is(err, io.EOF) {
				return stream.CloseResponse()
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
