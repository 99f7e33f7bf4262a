// As helperresult, with a context that has a cancel func:
// open(sctx, client).Recv() in a task. The analyzer crashed placing the
// wiring. The fix hands the cancel func to context.AfterFunc.
package helperresultcancel

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
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g.Go(func() error {
		_, err := openChat(sctx, client).Recv() // want `Recv can block forever in an errgroup task: .*context\.AfterFunc\(gctx, cancel\)`
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
