// Package fixed is ctor fixed by hand as bidictxlint fixes it, at the
// opener: the constructor that opens the stream is given a context of the
// RPC's own, cancelled once the group's context is done.
package fixed

import (
	"context"
	"errors"
	"io"
	"log"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
)

// A session is one chat.
type session struct {
	stream grpc.BidiStreamingClient[wrapperspb.StringValue, wrapperspb.StringValue]
}

// newSession opens a chat.
func newSession(ctx context.Context, client chatgrpc.ChatServiceClient) (*session, error) {
	stream, err := client.Chat(ctx)
	if err != nil {
		return nil, err
	}
	return &session{stream: stream}, nil
}

// Run sends the lines next yields and logs the replies until the chat ends
// and next says io.EOF, or either fails.
func Run(ctx context.Context, client chatgrpc.ChatServiceClient, next func(context.Context) (string, error)) error {
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	sess, err := newSession(rpcCtx, client)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(rpcCtx)
	context.AfterFunc(gctx, rpcCancel)
	g.Go(func() error {
		for {
			msg, err := sess.stream.Recv()
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			log.Printf("reply: %s", msg.GetValue())
		}
	})
	g.Go(func() error {
		for {
			line, err := next(gctx)
			if errors.Is(err, io.EOF) {
				return sess.stream.CloseSend()
			}
			if err != nil {
				return err
			}
			if err := sess.stream.Send(wrapperspb.String(line)); err != nil {
				return err
			}
		}
	})
	return g.Wait()
}
