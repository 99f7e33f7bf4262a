// Package nocancel is a connect-go v1 server-stream watcher opened with
// the caller's context, with the group created after it: a failing
// publisher task cancels the group's context, which the stream never sees.
package nocancel

import (
	"context"
	"log"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// Run logs the updates of a watch while publishing the lines next yields,
// until either fails.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	stream, err := client.CallServerStream(ctx, connect.NewRequest(wrapperspb.String("updates")))
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for stream.Receive() {
			log.Printf("update: %s", stream.Msg().GetValue())
		}
		return stream.Err()
	})
	g.Go(func() error {
		for {
			line, err := next(gctx)
			if err != nil {
				return err
			}
			log.Printf("published: %s", line)
		}
	})
	return g.Wait()
}
