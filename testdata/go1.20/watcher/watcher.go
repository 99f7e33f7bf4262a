// Shape 5: before Go 1.21 the fix starts a watcher goroutine.
package watcher

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
)

type Msg struct{}

type ChatClient interface {
	Chat(ctx context.Context) (grpc.BidiStreamingClient[Msg, Msg], error)
}

// wrap: the stream's context is wrapped, the group parented on rpcCtx so
// that the watcher always ends.
func wrap(ctx context.Context, client ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: .*cancel it with go func\(\) \{ <-gctx\.Done\(\); rpcCancel\(\) \}\(\)`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// cause: WithCancelCause exists in Go 1.20; the watcher passes the cause.
func cause(ctx context.Context, client ChatClient) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: .*cancel it with go func\(\) \{ <-gctx\.Done\(\); cancel\(context\.Cause\(gctx\)\) \}\(\)`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
