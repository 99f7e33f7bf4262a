// Package pump is a connect-go v1 bidi chat whose replies a goroutine pumps from
// the stream into a channel, so that the function can wait for a reply and
// for its context at once. The function returns on next's error, on a
// failed Send and on its context, with only its deferred cancel. Once the
// server has answered and while the request side is open, the cancel does
// not free the goroutine's pending Receive (see TestFacts): the goroutine
// outlives Run, blocked until the server ends the stream, and the server
// holds the stream as long.
package pump

import (
	"context"
	"errors"
	"io"
	"log"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// Run sends the lines next yields, each once the previous one has had its
// reply, and logs the replies; once next says io.EOF, it closes its side
// and logs the rest until the stream ends.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := client.CallBidiStream(ctx)
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
	if err := stream.CloseRequest(); err != nil {
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
