package fixed

import (
	"context"
	"fmt"
	"sync"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// ChatWaitGroup is the waitgroup client written correctly: the stream is
// also closed once the context it cancels before waiting is done, which
// frees a pending Receive that the cancel alone does not free once the
// server has answered.
func ChatWaitGroup(ctx context.Context, client *connect.Client[Msg, Msg], lines <-chan string) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := client.CallBidiStream(ctx)
	context.AfterFunc(ctx, func() { _ = stream.CloseResponse() })
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			msg, err := stream.Receive()
			if err != nil {
				return
			}
			fmt.Println(msg.GetValue())
		}
	})
	for line := range lines {
		if err := stream.Send(wrapperspb.String(line)); err != nil {
			cancel() // stop the receive loop
			wg.Wait()
			return err
		}
	}
	err := stream.CloseRequest()
	wg.Wait()
	return err
}
