// Package connectv2 is a chat client on connect-go v2 with the bug, in its
// most common form: ctx is reused for the group's context after the
// stream was opened with the caller's.
package connectv2

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/bidictxlint/bidictxlint/example/gen/chatv2"
)

// Chat sends lines and prints replies until either side stops.
func Chat(ctx context.Context, client *chatv2.ChatClient, lines <-chan string) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			msg, err := stream.Receive()
			if err != nil {
				return err
			}
			fmt.Println(msg.GetValue())
		}
	})
	g.Go(func() error { return send(ctx, stream, lines) })
	return g.Wait()
}

func send(ctx context.Context, stream chatv2.ChatServiceChatClientStream, lines <-chan string) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case line, ok := <-lines:
			if !ok {
				return stream.CloseSend()
			}
			if err := stream.Send(&chatv2.Msg{Value: line}); err != nil {
				return err
			}
		}
	}
}
