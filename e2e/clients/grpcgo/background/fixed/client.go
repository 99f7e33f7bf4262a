// Package fixed is background fixed by hand: the stream gets a context of
// the function's own, still independent of the caller's, cancelled when
// Run returns, which frees the goroutine's pending Recv.
package fixed

import (
	"context"
	"errors"
	"io"
	"log"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
)

// Run sends the lines next yields, each once the previous one has had its
// reply, and logs the replies; once next says io.EOF, it closes its side
// and logs the rest until the stream ends.
func Run(ctx context.Context, client chatgrpc.ChatServiceClient, next func(context.Context) (string, error)) error {
	streamCtx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stream, err := client.Chat(streamCtx)
	if err != nil {
		return err
	}
	replies := make(chan string)
	ended := make(chan error, 1)
	go func() {
		for {
			msg, err := stream.Recv()
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
