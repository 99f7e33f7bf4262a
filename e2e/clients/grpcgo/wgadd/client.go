// Package wgadd is the grpc-go twin of connectv1/wgadd: a bidi chat whose
// receive loop runs in a goroutine counted by a sync.WaitGroup (wg.Add,
// defer wg.Done), and whose defers cancel the stream's context and then
// wait for it. On grpc-go this is correct: the cancel frees the pending
// Recv, so the deferred wg.Wait returns at once.
package wgadd

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
// io.EOF (then it closes its side) or sending fails.
func Run(ctx context.Context, client chatgrpc.ChatServiceClient, next func(context.Context) (string, error)) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // runs first: stops the receive loop before the Wait
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			msg, err := stream.Recv()
			if err != nil {
				return
			}
			log.Printf("reply: %s", msg.GetValue())
		}
	}()
	for {
		line, err := next(ctx)
		if errors.Is(err, io.EOF) {
			return stream.CloseSend()
		}
		if err != nil {
			return err
		}
		if err := stream.Send(wrapperspb.String(line)); err != nil {
			return err
		}
	}
}
