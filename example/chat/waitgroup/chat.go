// Package waitgroup is a chat client on connect-go v1 whose receive loop
// runs in a sync.WaitGroup task. When sending fails, it cancels the
// stream's context to stop the receive loop and waits for it: the usual
// remedy, and still a hang, because on a connect-go bidi stream whose
// server has answered, cancelling the context does not free a pending
// Receive while the request side is open. Chat never returns.
package waitgroup

import (
	"context"
	"fmt"
	"sync"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type Msg = wrapperspb.StringValue

// Chat sends lines and prints replies until the lines end or sending
// fails.
func Chat(ctx context.Context, client *connect.Client[Msg, Msg], lines <-chan string) error {
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
