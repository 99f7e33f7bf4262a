// A sync.WaitGroup task that is a method opening its own server stream
// on the caller's context and reading it to its end: another task
// returning strands nothing, since the stream is that task's alone, and
// wg.Wait() waits for its end as it should. Not reported, as the same
// task written as a literal is not (it was reported for the method
// value, whose stream the check looked for in the wg.Go argument
// instead of in the method the task runs). A stream opened before the
// tasks and shared with them is still reported.
package ownstreammethod

import (
	"context"
	"sync"

	"connectrpc.com/connect"
)

type Msg struct{}

type watcher struct {
	client *connect.Client[Msg, Msg]
	ctx    context.Context
	stream *connect.ServerStreamForClient[Msg]
}

func (w *watcher) run() {
	stream, err := w.client.CallServerStream(w.ctx, connect.NewRequest(&Msg{}))
	if err != nil {
		return
	}
	for stream.Receive() {
	}
}

func (w *watcher) tick() {}

func methodTask(w *watcher) {
	var wg sync.WaitGroup
	wg.Go(w.tick)
	wg.Go(w.run)
	wg.Wait()
}

func literalTask(ctx context.Context, client *connect.Client[Msg, Msg]) {
	var wg sync.WaitGroup
	wg.Go(func() {})
	wg.Go(func() {
		stream, err := client.CallServerStream(ctx, connect.NewRequest(&Msg{}))
		if err != nil {
			return
		}
		for stream.Receive() {
		}
	})
	wg.Wait()
}

func (w *watcher) drain() {
	for w.stream.Receive() { // want `w\.stream\.Receive can block forever in a sync\.WaitGroup goroutine`
	}
}

func shared(w *watcher) error {
	stream, err := w.client.CallServerStream(w.ctx, connect.NewRequest(&Msg{}))
	if err != nil {
		return err
	}
	w.stream = stream
	var wg sync.WaitGroup
	wg.Go(w.tick)
	wg.Go(w.drain)
	wg.Wait()
	return nil
}
