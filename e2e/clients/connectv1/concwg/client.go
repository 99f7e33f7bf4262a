// Package concwg is a connect-go v1 bidi chat whose receive loop runs in a task of
// a conc.WaitGroup (github.com/sourcegraph/conc) while the function sends.
// When sending fails, it cancels the stream's context to stop the receive
// task and waits for it. Once the server has answered and while the
// request side is open, the cancel does not free the pending Receive (see
// TestFacts), so the wait never returns.
package concwg

import (
	"context"
	"errors"
	"io"
	"log"

	"connectrpc.com/connect"
	"github.com/sourcegraph/conc"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// Run sends the lines next yields and logs the replies, until next says
// io.EOF (then it closes its side and waits for the replies to end) or
// sending fails.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := client.CallBidiStream(ctx)
	wg := conc.NewWaitGroup()
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
			wg.Wait()
			return err
		}
	}
}
