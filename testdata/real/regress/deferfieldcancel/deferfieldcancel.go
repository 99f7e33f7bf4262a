// `defer r.cancel()` in the task that blocks, with the cancel func held
// in a struct field: it runs only when that task returns, which it cannot
// while it is blocked, so it is no cancellation path.
package deferfieldcancel

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"
	"golang.org/x/sync/errgroup"
)

type receiver struct {
	stream chatgrpc.Chat_LegacyClient
	cancel context.CancelFunc
}

func (r *receiver) run() error {
	defer r.cancel()
	for {
		if _, err := r.stream.Recv(); err != nil { // want `r\.stream\.Recv can block forever in an errgroup task: .*context\.AfterFunc\(gctx, cancel\)`
			return err
		}
	}
}

func deferInTask(ctx context.Context, client chatgrpc.ChatClient) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(sctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	r := &receiver{stream: stream, cancel: cancel}
	g.Go(r.run)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
