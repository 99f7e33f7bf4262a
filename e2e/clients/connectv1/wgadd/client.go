// Package wgadd is a connect-go v1 bidi chat whose receive loop runs in a
// goroutine counted by a sync.WaitGroup (wg.Add, defer wg.Done), while the
// function sends. Its defers cancel the stream's context and then wait for
// the goroutine, on every return. Once the server has answered and while
// the request side is open, the cancel does not free the pending Receive
// (see TestFacts), so when sending fails, the deferred wg.Wait never
// returns.
package wgadd

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
// io.EOF (then it closes its side) or sending fails.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // runs first: stops the receive loop before the Wait
	stream := client.CallBidiStream(ctx)
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
			return stream.CloseRequest()
		}
		if err != nil {
			return err
		}
		if err := stream.Send(wrapperspb.String(line)); err != nil {
			return err
		}
	}
}
