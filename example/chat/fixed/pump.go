package fixed

import (
	"context"
	"errors"
	"fmt"

	"github.com/bidictxlint/bidictxlint/example/gen/chatv2"
)

// ChatPump is the pump client written correctly: right after the opening,
// a deferred func cancels the stream's context and then closes the
// stream, which frees the goroutine's pending Receive on every return.
// The cancel comes first: a close alone waits for the response headers.
func ChatPump(ctx context.Context, client *chatv2.ChatClient, lines <-chan string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	defer func() {
		cancel()
		_ = stream.Close()
	}()
	replies := make(chan string)
	go func() {
		defer close(replies)
		for {
			msg, err := stream.Receive()
			if err != nil {
				return
			}
			select {
			case replies <- msg.GetValue():
			case <-ctx.Done():
				return
			}
		}
	}()
	for line := range lines {
		if err := stream.Send(&chatv2.Msg{Value: line}); err != nil {
			return err
		}
		select {
		case reply, ok := <-replies:
			if !ok {
				return errors.New("pump: the stream ended")
			}
			fmt.Println(reply)
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return stream.CloseSend()
}
