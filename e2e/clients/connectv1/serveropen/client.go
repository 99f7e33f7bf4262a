// Package serveropen is a connect-go v1 watcher that starts its publisher
// task first and then opens the server stream with the caller's context,
// while the publisher runs. CallServerStream waits for the response
// headers: when the publisher fails before the server has answered, Run
// hangs in the opening call itself.
package serveropen

import (
	"context"
	"errors"
	"io"
	"log"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// Run publishes the lines next yields while logging the updates of a
// watch, until both end or either fails.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	g, gctx := errgroup.WithContext(ctx)
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
	stream, err := client.CallServerStream(ctx, connect.NewRequest(wrapperspb.String("updates")))
	if err != nil {
		// The publisher runs: wait for it before reporting.
		if werr := g.Wait(); werr != nil {
			return werr
		}
		return err
	}
	g.Go(func() error {
		for stream.Receive() {
			log.Printf("update: %s", stream.Msg().GetValue())
		}
		return stream.Err()
	})
	return g.Wait()
}
