// A stream opened by a same-package helper and sent on a channel,
// ch <- open(ctx, client), then received in the task that blocks on it.
// The analyzer crashed planning the fix. The stream's context is the
// caller's, so a failing task leaves the receiver blocked: reported. The
// stream reaches the task through a channel, where its context cannot be
// followed, so there is no fix.
package chansend

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
)

type stream = grpc.BidiStreamingClient[chatgrpc.Msg, chatgrpc.Msg]

func openChat(ctx context.Context, client chatgrpc.ChatClient) stream {
	s, err := client.Chat(ctx)
	if err != nil {
		panic(err)
	}
	return s
}

func channelSend(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	ch := make(chan stream, 1)
	ch <- openChat(ctx, client)
	g.Go(func() error {
		s := <-ch
		_, err := s.Recv() // want `s\.Recv can block forever in an errgroup task`
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
