// Package concpool is the grpc-go twin of connectv1/concpool: a bidi chat
// run by a conc pool (pool.New with WithMaxGoroutines) whose sending task
// cancels the stream's context when it fails. On grpc-go this is correct:
// the cancel frees the pending Recv, so Wait returns at once.
package concpool

import (
	"context"
	"errors"
	"io"
	"log"

	"github.com/sourcegraph/conc/pool"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
)

// Run sends the lines next yields and logs the replies, until next says
// io.EOF (then it closes its side and waits for the replies to end) or
// sending fails.
func Run(ctx context.Context, client chatgrpc.ChatServiceClient, next func(context.Context) (string, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	p := pool.New().WithMaxGoroutines(2)
	p.Go(func() {
		for {
			msg, err := stream.Recv()
			if err != nil {
				return
			}
			log.Printf("reply: %s", msg.GetValue())
		}
	})
	var sendErr error
	p.Go(func() {
		for {
			line, err := next(ctx)
			if errors.Is(err, io.EOF) {
				sendErr = stream.CloseSend()
				return
			}
			if err == nil {
				err = stream.Send(wrapperspb.String(line))
			}
			if err != nil {
				sendErr = err
				cancel() // stop the receiver
				return
			}
		}
	})
	p.Wait()
	return sendErr
}
