// Shape 4: a zero-value group becomes errgroup.WithContext when it is
// only used through method calls.
package fixzero

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"

	"golang.org/x/sync/errgroup"
)

func varGroup(ctx context.Context, client chatgrpc.ChatClient) error {
	var g errgroup.Group
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: group g has no context to cancel the stream's context ctx; derive rpcCtx, rpcCancel := context\.WithCancel\(ctx\) with defer rpcCancel\(\), open the stream on rpcCtx, create the group with g, gctx := errgroup\.WithContext\(rpcCtx\) and cancel it with context\.AfterFunc\(gctx, rpcCancel\)`
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}

func newGroup(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g := new(errgroup.Group)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: group g has no context`
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}

// addressTaken: &g escapes, so the group cannot change type; no fix.
func addressTaken(ctx context.Context, client chatgrpc.ChatClient) error {
	var g errgroup.Group
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { return errors.New("fail") })
	return wait(&g)
}

func wait(g *errgroup.Group) error { return g.Wait() }
