// Package fixed is serveropen fixed by hand as bidictxlint fixes it: the
// publisher may fail while CallServerStream waits for the response
// headers, so the RPC's cancel func is registered on the group's context
// before the call.
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
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	context.AfterFunc(gctx, rpcCancel)
	stream, err := client.CallServerStream(rpcCtx, connect.NewRequest(wrapperspb.String("updates")))
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
