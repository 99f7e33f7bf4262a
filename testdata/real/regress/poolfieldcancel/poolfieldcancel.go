// A conc ErrorPool whose method task defers the cancel func it holds in
// a field, beside a task that sends on a connect-go bidi stream: the
// cancel runs while the sender works but frees no pending Send, so the
// stream is reported, with its close on the cancelled context. Once
// that close is written, the close counts: the cancel handed to the task
// runs while the tasks work. Not reported (it was, again and again: a
// close on a context was counted only when the function itself called
// its cancel).
package poolfieldcancel

import (
	"context"

	"connectrpc.com/connect"
	"github.com/sourcegraph/conc/pool"
)

type Msg struct{}

type task struct {
	cancel context.CancelFunc
	s      *connect.BidiStreamForClient[Msg, Msg]
}

func (t *task) run() error {
	defer t.cancel()
	go func() {
		_, _ = t.s.Receive()
	}()
	return nil
}

func unclosed(ctx context.Context, client *connect.Client[Msg, Msg]) error {
	p := pool.New().WithErrors()
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := client.CallBidiStream(sctx)
	t := &task{cancel: cancel, s: s}
	p.Go(t.run)
	p.Go(func() error {
		return s.Send(&Msg{}) // want `s\.Send can block forever in a conc pool task: on a connect-go bidi stream, cancelling sctx does not free a pending Send once the server has answered; also close the stream when sctx is done: context\.AfterFunc\(sctx, func\(\) \{ _ = s\.CloseResponse\(\) \}\)`
	})
	return p.Wait()
}

func closed(ctx context.Context, client *connect.Client[Msg, Msg]) error {
	p := pool.New().WithErrors()
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	s := client.CallBidiStream(sctx)
	context.AfterFunc(sctx, func() { _ = s.CloseResponse() })
	t := &task{cancel: cancel, s: s}
	p.Go(t.run)
	p.Go(func() error {
		return s.Send(&Msg{})
	})
	return p.Wait()
}
