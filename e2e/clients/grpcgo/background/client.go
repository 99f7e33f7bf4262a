// Package background is a grpc-go bidi chat whose replies a goroutine
// pumps from the stream into a channel, like grpcgo/pump, but whose stream
// is opened with context.Background(), so that nothing the caller does
// ends it. When Run returns, nothing cancels that context: the goroutine
// outlives Run, blocked in Recv until the server ends the stream, and the
// server holds the stream as long.
package background

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
	stream, err := client.Chat(context.Background())
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
