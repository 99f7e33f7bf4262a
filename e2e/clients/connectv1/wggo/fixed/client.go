// Package fixed is wggo fixed by hand as bidictxlint fixes it: the path
// that stops the chat also closes the stream, which frees the pending
// Receive that the cancel alone does not.
package fixed

import (
	"context"
	"errors"
	"io"
	"log"
	"sync"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// Run sends the lines next yields and logs the replies, until next says
// io.EOF (then it closes its side and waits for the replies to end) or
// sending fails.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := client.CallBidiStream(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			msg, err := stream.Receive()
			if err != nil {
				return
			}
			log.Printf("reply: %s", msg.GetValue())
		}
	})
	for {
		line, err := next(ctx)
		if errors.Is(err, io.EOF) {
			err = stream.CloseRequest()
			wg.Wait()
			return err
		}
		if err == nil {
			err = stream.Send(wrapperspb.String(line))
		}
		if err != nil {
			cancel() // stop the receive task
			_ = stream.CloseResponse()
			wg.Wait()
			return err
		}
	}
}
