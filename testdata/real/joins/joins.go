// Package joins is the catalogue of groups without a context that a
// task's failure cancels: sync.WaitGroup, conc.WaitGroup and conc pools
// (docs/rules.md#groups-without-a-context), against the real libraries.
package joins

import (
	"context"
	"errors"
	"sync"

	"connectrpc.com/connect"
	"github.com/sourcegraph/conc"
	"github.com/sourcegraph/conc/pool"

	"example.com/real/gen/chatgrpc"
)

type Msg = chatgrpc.Msg

// wgCancelThenWaitGRPC: cancel, then Wait, frees a grpc-go stream.
func wgCancelThenWaitGRPC(ctx context.Context, client chatgrpc.ChatClient, next func() error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			if _, err := stream.Recv(); err != nil {
				return
			}
		}
	})
	err = next()
	cancel()
	wg.Wait()
	return err
}

// wgTwoGoroutinesGRPC: when the sender returns, nothing cancels the
// stream, and Wait waits for the server.
func wgTwoGoroutinesGRPC(ctx context.Context, client chatgrpc.ChatClient, next func() (*Msg, error)) {
	stream, err := client.Chat(ctx)
	if err != nil {
		return
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			m, err := next()
			if err != nil {
				return
			}
			if stream.Send(m) != nil {
				return
			}
		}
	})
	wg.Go(func() {
		for {
			if _, err := stream.Recv(); err != nil { // want `stream\.Recv can block forever in a sync\.WaitGroup goroutine: when another goroutine returns, nothing cancels the stream's context ctx, so wg\.Wait\(\) waits until the server ends the stream; cancel ctx when the goroutines should stop, before wg\.Wait\(\)$`
				return
			}
		}
	})
	wg.Wait()
}

// wgSenderHalfClosesGRPC: the sender cancels on failure and half-closes
// on its orderly end, after which the server ends the stream.
func wgSenderHalfClosesGRPC(ctx context.Context, client chatgrpc.ChatClient, next func() (*Msg, error)) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			m, err := next()
			if err != nil {
				_ = stream.CloseSend()
				return
			}
			if stream.Send(m) != nil {
				cancel()
				return
			}
		}
	})
	wg.Go(func() {
		for {
			if _, err := stream.Recv(); err != nil {
				return
			}
		}
	})
	wg.Wait()
}

// wgOneGoroutineNoStop: the function waits for the stream's end by
// design; nothing decides to stop.
func wgOneGoroutineNoStop(ctx context.Context, client chatgrpc.ChatClient) {
	stream, err := client.Chat(ctx)
	if err != nil {
		return
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if _, err := stream.Recv(); err != nil {
				return
			}
		}
	}()
	wg.Wait()
}

// wgStopChannelGRPC: closing a stop channel does not reach the stream.
func wgStopChannelGRPC(ctx context.Context, client chatgrpc.ChatClient, stop chan struct{}) {
	stream, err := client.Chat(ctx)
	if err != nil {
		return
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if _, err := stream.Recv(); err != nil { // want `stream\.Recv can block forever in a sync\.WaitGroup goroutine: the function stops the goroutines before wg\.Wait\(\), but nothing there cancels the stream's context ctx; cancel ctx when the goroutines should stop, before wg\.Wait\(\)$`
				return
			}
		}
	}()
	close(stop)
	wg.Wait()
}

// worker receives until the stream ends.
func worker(wg *sync.WaitGroup, stream *connect.BidiStreamForClient[Msg, Msg]) {
	defer wg.Done()
	for {
		if _, err := stream.Receive(); err != nil { // want `stream\.Receive can block forever in a sync\.WaitGroup goroutine: on a connect-go bidi stream, cancelling ctx does not free a pending Receive once the server has answered; also close the stream when ctx is done: context\.AfterFunc\(ctx, func\(\) \{ _ = stream\.CloseResponse\(\) \}\)`
			return
		}
	}
}

// wgWorkerConnect: a worker given &wg; cancel, then Wait, frees nothing
// on an answered connect-go bidi stream.
func wgWorkerConnect(ctx context.Context, c *connect.Client[Msg, Msg], next func() error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	var wg sync.WaitGroup
	wg.Add(1)
	go worker(&wg, stream)
	err := next()
	cancel()
	wg.Wait()
	return err
}

// concWaitGroupGRPC: two tasks, nothing cancels.
func concWaitGroupGRPC(ctx context.Context, client chatgrpc.ChatClient) {
	stream, err := client.Chat(ctx)
	if err != nil {
		return
	}
	wg := conc.NewWaitGroup()
	wg.Go(func() {
		for {
			if _, err := stream.Recv(); err != nil { // want `stream\.Recv can block forever in a conc\.WaitGroup goroutine: when another goroutine returns`
				return
			}
		}
	})
	wg.Go(func() { _ = stream.Send(&Msg{}) })
	wg.Wait()
}

// contextPoolNoCancelOnError: the pool's context is not cancelled when a
// task fails.
func contextPoolNoCancelOnError(ctx context.Context, client chatgrpc.ChatClient) error {
	p := pool.New().WithContext(ctx)
	p.Go(func(ctx context.Context) error {
		stream, err := client.Chat(ctx)
		if err != nil {
			return err
		}
		for {
			if _, err := stream.Recv(); err != nil { // want `stream\.Recv can block forever in a conc pool task: pool p does not cancel its context when a task fails; create it with WithCancelOnError\(\) so that it does$`
				return err
			}
		}
	})
	p.Go(func(ctx context.Context) error { return errors.New("fail") })
	return p.Wait()
}

// contextPoolCancelOnError: an errgroup under another name, and the
// stream opened under its context.
func contextPoolCancelOnError(ctx context.Context, client chatgrpc.ChatClient) error {
	p := pool.New().WithContext(ctx).WithCancelOnError()
	p.Go(func(ctx context.Context) error {
		stream, err := client.Chat(ctx)
		if err != nil {
			return err
		}
		for {
			if _, err := stream.Recv(); err != nil {
				return err
			}
		}
	})
	p.Go(func(ctx context.Context) error { return errors.New("fail") })
	return p.Wait()
}

// contextPoolCancelOnErrorLater: WithCancelOnError on the pool variable.
func contextPoolCancelOnErrorLater(ctx context.Context, client chatgrpc.ChatClient) error {
	p := pool.New().WithContext(ctx)
	p.WithCancelOnError()
	p.Go(func(ctx context.Context) error {
		stream, err := client.Chat(ctx)
		if err != nil {
			return err
		}
		_, err = stream.Recv()
		return err
	})
	p.Go(func(ctx context.Context) error { return errors.New("fail") })
	return p.Wait()
}

// pairEndsWithStream: a sender that half-closes when it is done and a
// receiver that stops at the stream's end strand no one (connect-go's
// own tests).
func pairEndsWithStream(ctx context.Context, c *connect.Client[Msg, Msg], send []string) {
	stream := c.CallBidiStream(ctx)
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for _, s := range send {
			_ = stream.Send(&Msg{Value: s})
		}
		_ = stream.CloseRequest()
	}()
	go func() {
		defer wg.Done()
		for {
			_, err := stream.Receive()
			if errors.Is(err, context.Canceled) || err != nil {
				break
			}
		}
		_ = stream.CloseResponse()
	}()
	wg.Wait()
}

// streamPerTask: each task opens, uses and closes its own stream on the
// caller's context: no other task can strand it.
func streamPerTask(ctx context.Context, c *connect.Client[Msg, Msg], n int) {
	var wg sync.WaitGroup
	for range n {
		wg.Go(func() {
			stream := c.CallBidiStream(ctx)
			_ = stream.Send(&Msg{})
			_, _ = stream.Receive()
			_ = stream.CloseRequest()
			_ = stream.CloseResponse()
		})
	}
	wg.Wait()
}

// receiver is a package-local interface that a connect-go stream
// satisfies.
type receiver interface {
	Receive() (*Msg, error)
}

// drain receives through the interface.
func drain(r receiver) {
	for {
		if _, err := r.Receive(); err != nil {
			return
		}
	}
}

// adapter holds a stream behind the interface.
type adapter struct {
	stream *connect.BidiStreamForClient[Msg, Msg]
}

func (a *adapter) Receive() (*Msg, error) { return a.stream.Receive() }

// deferredStopThroughInterfaces: the deferred literals cancel before the
// deferred Wait (they run last first), and the receive goes through a
// package-local interface, directly and through a type that holds the
// stream (buf's curl).
func deferredStopThroughInterfaces(ctx context.Context, c *connect.Client[Msg, Msg], next func() error) (err error) {
	ctx, cancel := context.WithCancel(ctx)
	stream := c.CallBidiStream(ctx)
	a := &adapter{stream: stream}
	var wg sync.WaitGroup
	wg.Go(func() {
		defer cancel()
		drain(a) // want `stream\.Receive can block forever in a sync\.WaitGroup goroutine \(in drain\): on a connect-go bidi stream, cancelling ctx does not free a pending Receive once the server has answered; also close the stream when ctx is done: context\.AfterFunc\(ctx, func\(\) \{ _ = stream\.CloseResponse\(\) \}\)$`
	})
	defer func() { wg.Wait() }()
	defer func() {
		if err != nil {
			cancel()
		}
	}()
	if err = next(); err != nil {
		return err
	}
	return stream.CloseRequest()
}

// contextPoolStreamOutside: the stream is opened on the pool's parent;
// the pool's context reaches only its tasks.
func contextPoolStreamOutside(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	p := pool.New().WithContext(ctx).WithCancelOnError()
	p.Go(func(context.Context) error {
		_, err := stream.Recv() // want `stream\.Recv can block forever in a conc pool task: the stream's context ctx is not cancelled when the pool's context is; pool p gives its context only to its tasks: open the stream in a task, on the task's context$`
		return err
	})
	p.Go(func(context.Context) error { return errors.New("fail") })
	return p.Wait()
}
