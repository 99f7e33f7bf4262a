// Package shards is a grpc-go client that opens one bidi stream per shard
// with the caller's context and starts an errgroup task per stream, beside
// a publisher task. When the publisher fails, the shard tasks keep waiting
// and Run never returns.
package shards

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"

	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
)

var shards = []string{"shard-a", "shard-b", "shard-c"}

// Run follows every shard and logs what it says while publishing the lines
// next yields, until the shards end and next says io.EOF, or one fails.
func Run(ctx context.Context, client chatgrpc.ChatServiceClient, next func(context.Context) (string, error)) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, shard := range shards {
		stream, err := client.Chat(ctx)
		if err != nil {
			return fmt.Errorf("%s: %w", shard, err)
		}
		g.Go(func() error {
			if err := stream.Send(wrapperspb.String(shard)); err != nil {
				return err
			}
			for {
				msg, err := stream.Recv()
				if errors.Is(err, io.EOF) {
					return nil
				}
				if err != nil {
					return err
				}
				log.Printf("%s: %s", shard, msg.GetValue())
			}
		})
	}
	g.Go(func() error {
		for {
			line, err := next(gctx)
			if errors.Is(err, io.EOF) {
				return nil
			}
			if err != nil {
				return err
			}
			log.Printf("published: %s", line)
		}
	})
	return g.Wait()
}
