// A stream opened in a method task with a context held in a field, set
// by the function that creates the group. Reported; the fix used to put
// `rpcCtx, rpcCancel` in the method and context.AfterFunc(gctx, rpcCancel)
// in the caller (undefined: rpcCancel). The fix derives the RPC's context
// where the field is set.
package methodtaskctxfield

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"
	"golang.org/x/sync/errgroup"
)

type dialer struct {
	ctx    context.Context
	client chatgrpc.ChatClient
}

func (d *dialer) run() error {
	stream, err := d.client.Chat(d.ctx)
	if err != nil {
		return err
	}
	_, err = stream.Recv() // want `stream\.Recv can block forever in an errgroup task`
	return err
}

func contextInField(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	d := &dialer{ctx: ctx, client: client}
	g.Go(d.run)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
