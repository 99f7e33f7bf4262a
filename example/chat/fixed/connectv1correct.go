package fixed

import (
	"context"
	"fmt"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// ChatGroupContext is the connectv1correct client written correctly: the
// stream is still opened with the group's context, and it is also closed
// once that context is done, which frees a pending Receive that the
// cancel alone does not free once the server has answered.
func ChatGroupContext(ctx context.Context, client *connect.Client[Msg, Msg], lines <-chan string) error {
	g, ctx := errgroup.WithContext(ctx)
	stream := client.CallBidiStream(ctx)
	context.AfterFunc(ctx, func() { _ = stream.CloseResponse() })
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
