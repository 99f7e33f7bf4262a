// Package fixed is reassigned fixed by hand as bidictxlint fixes it: the
// RPC gets a context of its own, cancelled once the group's context (the
// reassigned ctx) is done, and the stream is closed then too: on a
// connect-go bidi stream whose peer has answered, the cancel alone does
// not free a pending Receive (see TestFacts).
package fixed

import (
	"context"
	"log"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// Run sends the lines next yields and logs the replies until either fails.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	stream := client.CallBidiStream(rpcCtx)
	g, ctx := errgroup.WithContext(rpcCtx)
	context.AfterFunc(ctx, func() { rpcCancel(); _ = stream.CloseResponse() })
	g.Go(func() error {
		for {
			msg, err := stream.Receive()
			if err != nil {
				return err
			}
			log.Printf("reply: %s", msg.GetValue())
		}
	})
	g.Go(func() error {
		for {
			line, err := next(ctx)
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
