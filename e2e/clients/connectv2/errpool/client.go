// Package errpool is a connect-go v2 bidi chat run by a conc ErrorPool
// (pool.New().WithErrors().WithFirstError()): one task receives, the other
// sends and, when sending fails, cancels the stream's context to stop the
// receiver and returns its error. Once the server has answered and while
// the request side is open, the cancel does not free the pending Receive
// (see TestFacts), so Wait never returns.
package errpool

import (
	"context"
	"errors"
	"io"
	"log"

	"github.com/sourcegraph/conc/pool"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// Run sends the lines next yields and logs the replies, until next says
// io.EOF (then it closes its side and waits for the replies to end) or
// either fails.
func Run(ctx context.Context, client chatv2.ChatServiceClient, next func(context.Context) (string, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	defer stream.Close()
	p := pool.New().WithErrors().WithFirstError()
	p.Go(func() error {
		for {
			msg, err := stream.Receive()
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
