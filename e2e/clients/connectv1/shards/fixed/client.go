// Package fixed is shards fixed by hand as bidictxlint fixes it: a stream
// opened once per iteration gets no cancel func and no defer of its own;
// each is opened under the group's context instead, which Wait cancels,
// and, as a connect-go bidi stream, closed once that context is done.
package fixed

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
		stream := client.CallBidiStream(gctx)
		context.AfterFunc(gctx, func() { _ = stream.CloseResponse() })
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
