// Package fixed is concpool fixed by hand as bidictxlint fixes it: the
// stream is closed once the context the sending task cancels is done,
// which frees the pending Receive that the cancel alone does not.
package fixed

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
	context.AfterFunc(ctx, func() { _ = stream.Close() })
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
