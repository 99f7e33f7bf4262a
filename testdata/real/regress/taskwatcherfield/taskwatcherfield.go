// A method task that derives its stream's context and starts a watcher
// goroutine that cancels it when the group's context, held in a field,
// is done. The watcher frees the stream: not reported (it was: "the
// stream's context sctx is not cancelled when gctx is").
package taskwatcherfield

import (
	"context"
	"errors"
	"time"

	"example.com/real/gen/chatgrpc"
	"golang.org/x/sync/errgroup"
)

func work() error { return errors.New("fail") }

type task struct {
	ctx    context.Context
	gctx   context.Context
	client chatgrpc.ChatClient
}

func (t *task) run() error {
	sctx, cancel := context.WithTimeout(t.ctx, time.Minute)
	defer cancel()
	go func() {
		<-t.gctx.Done()
		cancel()
	}()
	s, err := t.client.Watch(sctx, &chatgrpc.Msg{})
	if err != nil {
		return err
	}
	_, err = s.Recv()
	return err
}

func watcherInTask(ctx context.Context, client chatgrpc.ChatClient) error {
	var (
		g    *errgroup.Group
		gctx context.Context
	)
	g, gctx = errgroup.WithContext(ctx)
	t := &task{ctx: ctx, gctx: gctx, client: client}
	g.Go(t.run)
	g.Go(func() error {
		return work()
	})
	return g.Wait()
}

// The same with context.AfterFunc(t.gctx, cancel) in the task.
type task2 struct {
	ctx    context.Context
	gctx   context.Context
	client chatgrpc.ChatClient
}

func (t *task2) run() error {
	sctx, cancel := context.WithCancel(t.ctx)
	defer cancel()
	context.AfterFunc(t.gctx, cancel)
	s, err := t.client.Watch(sctx, &chatgrpc.Msg{})
	if err != nil {
		return err
	}
	_, err = s.Recv()
	return err
}

func afterFuncInTask(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	t := &task2{ctx: ctx, gctx: gctx, client: client}
	g.Go(t.run)
	g.Go(work)
	return g.Wait()
}

// A watcher on a context that is not the group's frees nothing when a
// task fails: reported.
type task3 struct {
	ctx    context.Context
	other  context.Context
	client chatgrpc.ChatClient
}

func (t *task3) run() error {
	sctx, cancel := context.WithCancel(t.ctx)
	defer cancel()
	context.AfterFunc(t.other, cancel)
	s, err := t.client.Watch(sctx, &chatgrpc.Msg{})
	if err != nil {
		return err
	}
	_, err = s.Recv() // want `s\.Recv can block forever in an errgroup task`
	return err
}

func afterFuncOnOther(ctx context.Context, client chatgrpc.ChatClient) error {
	g, _ := errgroup.WithContext(ctx)
	t := &task3{ctx: ctx, other: context.Background(), client: client}
	g.Go(t.run)
	g.Go(work)
	return g.Wait()
}
