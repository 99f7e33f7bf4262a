// Package shards is a connect-go v1 client that opens one bidi stream per
// shard with the caller's context and starts an errgroup task per stream,
// beside a publisher task. When the publisher fails, the shard tasks keep
// waiting and Run never returns.
package shards

import (
	"context"
	"errors"
	"io"
	"log"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

var shards = []string{"shard-a", "shard-b", "shard-c"}

// Run follows every shard and logs what it says while publishing the lines
// next yields, until the shards end and next says io.EOF, or one fails.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, shard := range shards {
		stream := client.CallBidiStream(ctx)
		g.Go(func() error {
			if err := stream.Send(wrapperspb.String(shard)); err != nil {
				return err
			}
			for {
				msg, err := stream.Receive()
				if errors.Is(err, io.EOF) {
					return stream.CloseResponse()
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
