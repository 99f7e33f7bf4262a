// A stream stored in a map and read from it in the task that blocks: the
// stream's context is the caller's, so a failing task leaves the receiver
// blocked. Reported (it was not). Its context cannot be followed through
// the map, so there is no fix.
package mapstream

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
)

func streamInMap(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	streams := map[string]grpc.BidiStreamingClient[chatgrpc.Msg, chatgrpc.Msg]{}
	s, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	streams["chat"] = s
	g.Go(func() error {
		_, err := streams["chat"].Recv() // want `Recv can block forever in an errgroup task`
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
