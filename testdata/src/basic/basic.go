package basic

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
)

type Msg struct{}

type ChatClient interface {
	Chat(ctx context.Context) (grpc.BidiStreamingClient[Msg, Msg], error)
}

// reassigned: the stream is opened with the caller's ctx, then ctx is
// reassigned to the group's context.
func reassigned(ctx context.Context, client ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			if _, err := stream.Recv(); err != nil { // want `stream\.Recv can block forever in an errgroup task: the stream was opened with ctx before ctx became the group.s context`
				return err
			}
		}
	})
	g.Go(func() error { <-ctx.Done(); return errors.New("boom") })
	return g.Wait()
}

// groupFirst: the group comes first and the stream is opened with the
// group's context: correct.
func groupFirst(ctx context.Context, client ChatClient) error {
	g, ctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { return errors.New("boom") })
	return g.Wait()
}

// afterFunc: the usual remedy, which does not free a connect-go bidi
// stream once the server has answered.
func afterFunc(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, cancel)
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `stream\.Receive can block forever in an errgroup task: on a connect-go bidi stream, cancelling ctx does not free a pending Receive once the server has answered`
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}

// afterFuncClose: the remedy for a connect-go bidi stream: cancel and close.
func afterFuncClose(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, func() { cancel(); _ = stream.CloseResponse() })
	g.Go(func() error { _, err := stream.Receive(); return err })
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}

// deferOnly: defer cancel() runs after Wait, too late.
func deferOnly(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `stream\.Receive can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; cancel it and close the stream with context\.AfterFunc\(gctx, func\(\) \{ cancel\(\); _ = stream\.CloseResponse\(\) \}\)`
	g.Go(func() error { <-gctx.Done(); return nil })
	return g.Wait()
}
