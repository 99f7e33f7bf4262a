// Package fixjoins is the fix catalogue of groups without a context that
// a task's failure cancels (docs/fixes.md#groups-without-a-context).
package fixjoins

import (
	"context"
	"errors"
	"sync"

	"connectrpc.com/connect"
	"github.com/sourcegraph/conc/pool"

	"example.com/real/gen/chatgrpc"
)

type Msg = chatgrpc.Msg

// cancelThenWait: the usual remedy on a connect-go bidi stream; the fix
// closes the stream on the context the function cancels.
func cancelThenWait(ctx context.Context, c *connect.Client[Msg, Msg], next func() error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		for {
			if _, err := stream.Receive(); err != nil { // want `stream\.Receive can block forever in a sync\.WaitGroup goroutine: on a connect-go bidi stream, cancelling ctx does not free a pending Receive once the server has answered; also close the stream when ctx is done: context\.AfterFunc\(ctx, func\(\) \{ _ = stream\.CloseResponse\(\) \}\)$`
				return
			}
		}
	})
	err := next()
	cancel()
	wg.Wait()
	return err
}

// deferredCancelFirst: `defer wg.Wait()` then `defer cancel()`: the
// cancel runs first.
func deferredCancelFirst(ctx context.Context, c *connect.Client[Msg, Msg], next func() error) error {
	var wg sync.WaitGroup
	defer wg.Wait()
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			if _, err := stream.Receive(); err != nil { // want `stream\.Receive can block forever in a sync\.WaitGroup goroutine: on a connect-go bidi stream, cancelling ctx does not free a pending Receive once the server has answered`
				return
			}
		}
	}()
	return next()
}

// senderCancels: a pool whose sender cancels on failure.
func senderCancels(ctx context.Context, c *connect.Client[Msg, Msg], next func() (string, error)) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	p := pool.New()
	p.Go(func() {
		for {
			if _, err := stream.Receive(); err != nil { // want `stream\.Receive can block forever in a conc pool task: on a connect-go bidi stream, cancelling ctx does not free a pending Receive`
				return
			}
		}
	})
	p.Go(func() {
		for {
			_, err := next()
			if err != nil {
				cancel()
				return
			}
		}
	})
	p.Wait()
}

// parentContext: the function cancels no context of its own, so a close
// registered on ctx would live as long as the caller's context: no fix.
func parentContext(ctx context.Context, c *connect.Client[Msg, Msg], cancel context.CancelFunc) error {
	stream := c.CallBidiStream(ctx)
	var wg sync.WaitGroup
	wg.Go(func() {
		_, _ = stream.Receive() // want `stream\.Receive can block forever in a sync\.WaitGroup goroutine`
	})
	cancel()
	wg.Wait()
	return errors.New("stopped")
}
