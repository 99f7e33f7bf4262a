// Shape 2: no cancel func; wrap the stream's context.
package fixwrap

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"example.com/real/gen/chatgrpc"

	"golang.org/x/sync/errgroup"
)

type Msg struct{}

// sharedParent: the group shares the stream's context, so it is
// parented on rpcCtx too.
func sharedParent(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	stream := c.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			if _, err := stream.Receive(); err != nil { // want `stream\.Receive can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; derive rpcCtx, rpcCancel := context\.WithCancel\(ctx\) with defer rpcCancel\(\), open the stream on rpcCtx, create group g on rpcCtx too and cancel it and close the stream with context\.AfterFunc\(gctx, func\(\) \{ rpcCancel\(\); _ = stream\.CloseResponse\(\) \}\)`
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// reassigned: the commonest bug; ctx is reused for the group's context.
func reassigned(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream was opened with ctx before ctx became the group's context`
	g.Go(func() error { <-ctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// background: a stream on context.Background() and a group on ctx.
func background(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(context.Background())
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context context\.Background\(\) is not cancelled when gctx is`
	_ = gctx
	return g.Wait()
}

// insideTask: the stream is opened inside a task.
func insideTask(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		stream, err := client.Chat(ctx)
		if err != nil {
			return err
		}
		_, err = stream.Recv() // want `stream\.Recv can block forever`
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
