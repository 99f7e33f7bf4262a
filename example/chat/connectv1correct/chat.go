// Package connectv1correct is a chat client on connect-go v1 written the
// way usually called correct: the group first, then the stream opened with
// the group's context, so that a failing task cancels the RPC. On a
// connect-go bidi stream that is not enough: once the server has answered
// and while the request side is open, cancelling the stream's context does
// not free a pending Receive, so when sending fails, Chat never returns.
package connectv1correct

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
	g, ctx := errgroup.WithContext(ctx)
	stream := client.CallBidiStream(ctx)
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
			case <-ctx.Done():
				return ctx.Err()
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
