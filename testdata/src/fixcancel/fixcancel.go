// Shape 1: the stream's context already has a cancel func in scope.
package fixcancel

import (
	"context"
	"errors"

	"gen/chatgrpc"

	"golang.org/x/sync/errgroup"
)

// cancelFunc: insert context.AfterFunc(gctx, cancel) after the group.
func cancelFunc(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			if _, err := stream.Recv(); err != nil { // want `stream\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; cancel it with context\.AfterFunc\(gctx, cancel\)`
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// cancelCause: the task's error reaches the RPC as its cause.
func cancelCause(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	rpcCtx, stop := context.WithCancelCause(ctx)
	defer stop(nil)
	stream, err := client.Chat(rpcCtx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context rpcCtx is not cancelled when gctx is; cancel it with context\.AfterFunc\(gctx, func\(\) \{ stop\(context\.Cause\(gctx\)\) \}\)`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// ancestor: the stream's context is a value context below the cancelable
// one; cancelling the ancestor reaches it.
func ancestor(ctx context.Context, client chatgrpc.ChatClient) error {
	base, cancel := context.WithTimeout(ctx, 0)
	defer cancel()
	streamCtx := context.WithValue(base, key{}, 1)
	stream, err := client.Legacy(streamCtx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return stream.Send(&chatgrpc.Msg{}) }) // want `stream\.Send can block forever`
	g.Go(func() error { <-gctx.Done(); return nil })
	return g.Wait()
}

type key struct{}
