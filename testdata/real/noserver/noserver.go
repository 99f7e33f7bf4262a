// Package noserver is analysed with -server=false: handler streams are
// not reported.
package noserver

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"

	"example.com/real/gen/chatgrpc"
)

type Msg = chatgrpc.Msg

func Chat(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
