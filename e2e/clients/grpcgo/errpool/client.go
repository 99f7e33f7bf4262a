// Package errpool is the grpc-go twin of connectv1/errpool: a bidi chat
// run by a conc ErrorPool whose sending task cancels the stream's context
// when it fails. On grpc-go this is correct: the cancel frees the pending
// Recv, so Wait returns the sender's error at once.
package errpool

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
// either fails.
func Run(ctx context.Context, client chatgrpc.ChatServiceClient, next func(context.Context) (string, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	p := pool.New().WithErrors().WithFirstError()
	p.Go(func() error {
		for {
			msg, err := stream.Recv()
			if errors.Is(err, io.EOF) || err != nil && ctx.Err() != nil {
				return nil // the replies ended, or the sender stopped us
			}
			if err != nil {
				return err
			}
			log.Printf("reply: %s", msg.GetValue())
		}
	})
	p.Go(func() error {
		for {
			line, err := next(ctx)
			if errors.Is(err, io.EOF) {
				return stream.CloseSend()
			}
			if err == nil {
				err = stream.Send(wrapperspb.String(line))
			}
			if err != nil {
				cancel() // stop the receiver
				return err
			}
		}
	})
	return p.Wait()
}
