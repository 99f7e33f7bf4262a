// Package groupctx is the grpc-go twin of connectv1/groupctx: the group
// first, then the stream opened with the group's context. On grpc-go this
// is correct: its own transport frees a pending Recv when the stream's
// context is cancelled, whatever the peer has sent. bidictxlint reports
// nothing, and Wait returns the failing task's error at once.
package groupctx

import (
	"context"
	"log"

	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
)

// Run sends the lines next yields and logs the replies until either fails.
func Run(ctx context.Context, client chatgrpc.ChatServiceClient, next func(context.Context) (string, error)) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(gctx)
	if err != nil {
		return err
	}
	g.Go(func() error {
		for {
			msg, err := stream.Recv()
			if err != nil {
				return err
			}
			log.Printf("reply: %s", msg.GetValue())
		}
	})
	g.Go(func() error {
		for {
			line, err := next(gctx)
			if err != nil {
				return err
			}
			if err := stream.Send(wrapperspb.String(line)); err != nil {
				return err
			}
		}
	})
	return g.Wait()
}
