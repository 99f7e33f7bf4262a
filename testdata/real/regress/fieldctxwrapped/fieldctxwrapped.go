// A method task opening its stream on a wrapper of a context held in a
// field: metadata.AppendToOutgoingContext(t.sctx, ...). The field's value
// is the caller's sctx, which a watcher task cancels: not reported (it
// was: "is not cancelled when gctx is"). With no watcher the stream is
// reported, and the fix must not write the method's receiver t in the
// caller (it did: undefined: t).
package fieldctxwrapped

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc/metadata"
)

type task struct {
	client chatgrpc.ChatClient
	sctx   context.Context
}

func (t *task) run() error {
	s, err := t.client.Watch(metadata.AppendToOutgoingContext(t.sctx, "k", "v"), &chatgrpc.Msg{})
	if err != nil {
		return err
	}
	_, err = s.Recv()
	return err
}

func watched(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t := &task{client: client, sctx: sctx}
	g.Go(t.run)
	g.Go(func() error {
		<-gctx.Done()
		cancel()
		return nil
	})
	return g.Wait()
}

type task2 struct {
	client chatgrpc.ChatClient
	sctx   context.Context
}

func (t *task2) run() error {
	s, err := t.client.Watch(metadata.AppendToOutgoingContext(t.sctx, "k", "v"), &chatgrpc.Msg{})
	if err != nil {
		return err
	}
	_, err = s.Recv() // want `s\.Recv can block forever in an errgroup task`
	return err
}

func unwatched(ctx context.Context, client chatgrpc.ChatClient) error {
	var g errgroup.Group
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t := &task2{client: client, sctx: sctx}
	g.Go(t.run)
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}
