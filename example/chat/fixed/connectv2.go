package fixed

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/bidictxlint/bidictxlint/example/gen/chatv2"
)

// ChatV2 is the connect-go v2 chat client written correctly. The group's
// context may keep the name ctx: what matters is that the RPC's context
// is cancelled, and the stream closed, when it is done.
func ChatV2(ctx context.Context, client *chatv2.ChatClient, lines <-chan string) error {
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	stream, err := client.Chat(rpcCtx)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(rpcCtx)
	context.AfterFunc(ctx, func() { rpcCancel(); _ = stream.Close() })
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
					return stream.CloseSend()
				}
				if err := stream.Send(&chatv2.Msg{Value: line}); err != nil {
					return err
				}
			}
		}
	})
	return g.Wait()
}
