// Package connectv1 is a chat client on connect-go v1 with the bug:
// when sending fails, Chat never returns.
package connectv1

import (
	"context"
	"fmt"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type Msg = wrapperspb.StringValue

// Chat sends lines and prints replies until either side stops.
func Chat(ctx context.Context, client *connect.Client[Msg, Msg], lines <-chan string) error {
	stream := client.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			msg, err := stream.Receive()
			if err != nil {
				return err
			}
			fmt.Println(msg.GetValue())
		}
	})
	g.Go(func() error {
		for {
			select {
			case <-gctx.Done():
				return gctx.Err()
			case line, ok := <-lines:
				if !ok {
					return stream.CloseRequest()
				}
				if err := stream.Send(wrapperspb.String(line)); err != nil {
					return err
				}
			}
		}
	})
	return g.Wait()
}
