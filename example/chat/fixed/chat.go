// Package fixed holds the chat clients of connectv1, connectv2, grpcgo and
// connectv1correct written correctly: the RPC's context is cancelled as
// soon as the group's context is done, so a failing send also ends the
// receive loop. A connect-go bidi stream is closed then too: once the
// server has answered, the cancel alone does not free a pending Receive.
// The waitgroup and pump clients are fixed the same way: their stream is
// closed when they stop (ChatWaitGroup) or return (ChatPump).
// bidictxlint reports nothing here.
package fixed

import (
	"context"
	"fmt"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type Msg = wrapperspb.StringValue

// Chat is the connect-go v1 client: it sends lines and prints replies
// until either side stops.
func Chat(ctx context.Context, client *connect.Client[Msg, Msg], lines <-chan string) error {
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	stream := client.CallBidiStream(rpcCtx)
	g, gctx := errgroup.WithContext(rpcCtx)
	context.AfterFunc(gctx, func() { rpcCancel(); _ = stream.CloseResponse() })
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
