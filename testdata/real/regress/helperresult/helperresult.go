// A stream opened by a same-package helper inside an expression, with a
// method called on the result in a task: open(ctx, client).Recv(). The
// analyzer crashed planning the fix. The stream is opened with the
// caller's context and another task can fail, so it is reported; passing
// the group's context frees it (grpc-go: the cancel alone frees a Recv).
package helperresult

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

func methodOnResult(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		_, err := openChat(ctx, client).Recv() // want `Recv can block forever in an errgroup task`
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
