// Package fixed is concwg fixed by hand as bidictxlint fixes it: the
// stream is closed once the context the function cancels before its wait
// is done, which frees the pending Receive that the cancel alone does not.
package fixed

import (
	"context"
	"errors"
	"io"
	"log"

	"github.com/sourcegraph/conc"
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
			err = stream.CloseSend()
			if r := wg.WaitAndRecover(); r != nil {
				return r.AsError()
			}
			return err
		}
		if err == nil {
			err = stream.Send(wrapperspb.String(line))
		}
		if err != nil {
			cancel() // stop the receive task
			if r := wg.WaitAndRecover(); r != nil {
				return r.AsError()
			}
			return err
		}
	}
}
