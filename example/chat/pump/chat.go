// Package pump is a chat client on connect-go v2 that pumps the replies
// from the stream into a channel in a goroutine, so that it can wait for a
// reply and for its context at once. It returns on the first failure with
// only its deferred cancel, and once the server has answered, cancelling
// does not free the goroutine's pending Receive: the goroutine outlives
// Chat, blocked until the server ends the stream, one more for every call.
package pump

import (
	"context"
	"errors"
	"fmt"

	"github.com/bidictxlint/bidictxlint/example/gen/chatv2"
)

// Chat sends each line once the previous one has had its reply, and
// prints the replies.
func Chat(ctx context.Context, client *chatv2.ChatClient, lines <-chan string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
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
