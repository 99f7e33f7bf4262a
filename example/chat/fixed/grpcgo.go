package fixed

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"

	"github.com/bidictxlint/bidictxlint/example/gen/chatgrpc"
)

// ChatGRPC is the grpc-go chat client written correctly, on the generic
// grpc.BidiStreamingClient that protoc-gen-go-grpc generates today.
func ChatGRPC(ctx context.Context, client chatgrpc.ChatClient, lines <-chan string) error {
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	stream, err := client.Chat(rpcCtx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(rpcCtx)
	context.AfterFunc(gctx, rpcCancel)
	g.Go(func() error { return printReplies(stream) })
	g.Go(func() error {
		for line := range lines {
			if err := stream.Send(&chatgrpc.Msg{Value: line}); err != nil {
				return err
			}
		}
		return stream.CloseSend()
	})
	return g.Wait()
}

func printReplies(stream grpc.BidiStreamingClient[chatgrpc.Msg, chatgrpc.Msg]) error {
	for {
		msg, err := stream.Recv()
		if err != nil {
			return err
		}
		fmt.Println(msg.GetValue())
	}
}
