// Package fixed is wgadd fixed by hand as bidictxlint fixes it: the stream
// is closed once the context the function cancels before its wg.Wait is
// done, which frees the pending Receive that the cancel alone does not.
package fixed

import (
	"context"
	"errors"
	"io"
	"log"
	"sync"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// Run sends the lines next yields and logs the replies, until next says
// io.EOF (then it closes its side) or sending fails.
func Run(ctx context.Context, client chatv2.ChatServiceClient, next func(context.Context) (string, error)) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // runs first: stops the receive loop before the Wait
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	context.AfterFunc(ctx, func() { _ = stream.Close() })
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			msg, err := stream.Receive()
			if err != nil {
				return
			}
			log.Printf("reply: %s", msg.GetValue())
		}
	}()
	for {
		line, err := next(ctx)
		if errors.Is(err, io.EOF) {
			return stream.CloseSend()
		}
		if err != nil {
			return err
		}
		if err := stream.Send(wrapperspb.String(line)); err != nil {
			return err
		}
	}
}
