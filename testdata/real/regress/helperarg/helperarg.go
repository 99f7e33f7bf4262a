// A stream opened by a same-package helper as the argument of the helper
// that receives: recvAll(open(ctx, client)) in a task. The analyzer
// crashed planning the fix. Passing the group's context frees it.
package helperarg

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
)

func openChat(ctx context.Context, client chatgrpc.ChatClient) grpc.BidiStreamingClient[chatgrpc.Msg, chatgrpc.Msg] {
	s, err := client.Chat(ctx)
	if err != nil {
		panic(err)
	}
	return s
}

func recvAll(s grpc.BidiStreamingClient[chatgrpc.Msg, chatgrpc.Msg]) error {
	for {
		if _, err := s.Recv(); err != nil {
			return err
		}
	}
}

func asArgument(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return recvAll(openChat(ctx, client)) }) // want `openChat\(ctx, client\)\.Recv can block forever in an errgroup task \(in recvAll\): the stream's context ctx is not cancelled when gctx is; it is opened in the task, so open it under the group's context: pass gctx in place of ctx$`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
