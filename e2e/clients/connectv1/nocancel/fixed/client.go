// Package fixed is nocancel fixed by hand as bidictxlint fixes it: the RPC
// gets a context of its own, cancelled once the group's context is done.
package fixed

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
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	stream, err := client.CallServerStream(rpcCtx, connect.NewRequest(wrapperspb.String("updates")))
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(rpcCtx)
	context.AfterFunc(gctx, rpcCancel)
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
