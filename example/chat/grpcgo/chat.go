// Package grpcgo is a chat client on grpc-go with the bug: the receive
// loop lives in a helper, and the group's context is discarded.
package grpcgo

import (
	"context"
	"fmt"

	"golang.org/x/sync/errgroup"

	"github.com/bidictxlint/bidictxlint/example/gen/chatgrpc"
)

// Chat sends lines and prints replies until either side stops.
func Chat(ctx context.Context, client chatgrpc.ChatClient, lines <-chan string) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
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

func printReplies(stream chatgrpc.Chat_LegacyClient) error {
	for {
		msg, err := stream.Recv()
		if err != nil {
			return err
		}
		fmt.Println(msg.GetValue())
	}
}
