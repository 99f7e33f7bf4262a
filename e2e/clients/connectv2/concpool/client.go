// Package concpool is a connect-go v2 bidi chat run by a conc pool
// (github.com/sourcegraph/conc/pool, pool.New with WithMaxGoroutines): one
// task receives, the other sends and, when sending fails, cancels the
// stream's context to stop the receiver; the function then waits for the
// pool. Once the server has answered and while the request side is open,
// the cancel does not free the pending Receive (see TestFacts), so Wait
// never returns.
package concpool

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
// sending fails.
func Run(ctx context.Context, client chatv2.ChatServiceClient, next func(context.Context) (string, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	defer stream.Close()
	p := pool.New().WithMaxGoroutines(2)
	p.Go(func() {
		for {
			msg, err := stream.Receive()
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
