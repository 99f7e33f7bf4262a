// Package fixed is pump fixed by hand as bidictxlint fixes it: right after
// the opening, a deferred func cancels the stream's context and then closes
// the stream, which frees the goroutine's pending Receive that the cancel
// alone does not. (The cancel comes first: a close alone waits for the
// response headers, and the deferred cancel above it would only run after
// the close.)
package fixed

import (
	"context"
	"errors"
	"io"
	"log"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// Run sends the lines next yields, each once the previous one has had its
// reply, and logs the replies; once next says io.EOF, it closes its side
// and logs the rest until the stream ends.
func Run(ctx context.Context, client chatv2.ChatServiceClient, next func(context.Context) (string, error)) error {
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
	ended := make(chan error, 1)
	go func() {
		for {
			msg, err := stream.Receive()
			if err != nil {
				ended <- err
				return
			}
			select {
			case replies <- msg.GetValue():
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		line, err := next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if err := stream.Send(wrapperspb.String(line)); err != nil {
			return err
		}
		select {
		case reply := <-replies:
			log.Printf("reply: %s", reply)
		case err := <-ended:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	// No more lines: close our side and log what is left.
	if err := stream.CloseSend(); err != nil {
		return err
	}
	for {
		select {
		case reply := <-replies:
			log.Printf("reply: %s", reply)
		case err := <-ended:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
