// As methodtaskctxfield with a zero-value group and a sibling that
// cancels on every path: not reported. Its fix, when it was reported,
// rewrote the group as errgroup.WithContext(rpcCtx) with rpcCtx declared
// in the method (undefined: rpcCtx).
package methodtaskctxfieldzero

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
	_, err = stream.Recv()
	return err
}

func zeroGroup(ctx context.Context, client chatgrpc.ChatClient) error {
	var g errgroup.Group
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	d := &dialer{ctx: sctx, client: client}
	g.Go(d.run)
	g.Go(func() error {
		defer cancel()
		return errors.New("fail")
	})
	return g.Wait()
}
