// Package wggo is the grpc-go twin of connectv1/wggo: a bidi chat whose
// receive loop runs in a sync.WaitGroup task (wg.Go) while the function
// sends, and that cancels the stream's context and waits for the task when
// sending fails. On grpc-go this is correct: the cancel frees the pending
// Recv, whatever the peer has sent, so wg.Wait returns at once.
package wggo

import (
	"context"
	"errors"
	"io"
	"log"
	"sync"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
)

// Run sends the lines next yields and logs the replies, until next says
// io.EOF (then it closes its side and waits for the replies to end) or
// sending fails.
func Run(ctx context.Context, client chatgrpc.ChatServiceClient, next func(context.Context) (string, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			msg, err := stream.Recv()
			if err != nil {
				return
			}
			log.Printf("reply: %s", msg.GetValue())
		}
	})
	for {
		line, err := next(ctx)
		if errors.Is(err, io.EOF) {
			err = stream.CloseSend()
			wg.Wait()
			return err
		}
		if err == nil {
			err = stream.Send(wrapperspb.String(line))
		}
		if err != nil {
			cancel() // stop the receive task
			wg.Wait()
			return err
		}
	}
}
