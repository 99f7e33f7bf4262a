// A method task that receives on a connect-go bidi stream held in a
// field and defers the cancel func held in another: run is the task, not
// a method that ends the value's life, so it is not reported as a close
// that only cancels (it was: "(*task).run cancels but does not close
// t.s", with a fix that closed the stream before receiving). Its
// deferred cancel runs only once Receive returns, so the stream is
// reported where it blocks.
package taskdefercancel

import (
	"context"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type Msg struct{}

type task struct {
	cancel context.CancelFunc
	s      *connect.BidiStreamForClient[Msg, Msg]
}

func (t *task) run() error {
	defer t.cancel()
	_, err := t.s.Receive() // want `t\.s\.Receive can block forever in an errgroup task`
	return err
}

func deferredInTask(ctx context.Context, client *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	_ = gctx
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	t := &task{cancel: cancel, s: client.CallBidiStream(sctx)}
	g.Go(t.run)
	return g.Wait()
}
