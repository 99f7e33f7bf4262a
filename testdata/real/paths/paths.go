// Package paths is the catalogue of docs/rules.md's Cancellation paths: every cancellation
// path (no report) and every look-alike that is not one (report).
package paths

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sync/errgroup"

	"example.com/real/gen/chatgrpc"
	"example.com/real/gen/chatv2"
)

// afterFunc: context.AfterFunc(gctx, cancel).
func afterFunc(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, cancel)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// afterFuncLiteral: a literal that calls the cancel func; on a context
// derived from the group's.
func afterFuncLiteral(ctx context.Context, client chatgrpc.ChatClient) error {
	rpcCtx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	stream, err := client.Legacy(rpcCtx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	watch := context.WithValue(gctx, key{}, 1)
	context.AfterFunc(watch, func() { cancel(context.Cause(gctx)) })
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// ancestorCancel: cancelling an ancestor reached through cancelable steps.
func ancestorCancel(ctx context.Context, client chatgrpc.ChatClient) error {
	base, cancel := context.WithCancel(ctx)
	defer cancel()
	sctx, stop := context.WithTimeout(context.WithValue(base, key{}, 1), time.Hour)
	defer stop()
	stream, err := client.Legacy(sctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, cancel)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// ancestorAcrossWithoutCancel: the ancestor is cut off by WithoutCancel.
func ancestorAcrossWithoutCancel(ctx context.Context, client chatgrpc.ChatClient) error {
	base, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(context.WithoutCancel(base))
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, cancel)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v2Close: connect-go v2 Close in AfterFunc frees Receive.
func v2Close(ctx context.Context, stream chatv2.ChatServiceChatClientStream) error {
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, func() { _ = stream.Close() })
	g.Go(func() error { _, err := stream.Receive(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// watcher: a goroutine waits on the group's context, then cancels.
func watcher(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	go func() {
		select {
		case <-gctx.Done():
			cancel()
		case <-time.After(time.Hour):
		}
	}()
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// cancelInTask: another task cancels explicitly when it fails.
func cancelInTask(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { cancel(); return errors.New("fail") })
	return g.Wait()
}

// deferInTask: defer cancel() inside a task.
func deferInTask(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	var g errgroup.Group
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { defer cancel(); return errors.New("fail") })
	return g.Wait()
}

// timeAfterFunc: the cancel func handed to time.AfterFunc.
func timeAfterFunc(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	time.AfterFunc(time.Second, cancel)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

func supervise(ctx context.Context, cancel context.CancelFunc) { <-ctx.Done(); cancel() }

// handedToHelper: the cancel func passed to a helper.
func handedToHelper(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	go supervise(gctx, cancel)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// errCheck: checking gctx between blocking calls does not interrupt one.
func errCheck(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for gctx.Err() == nil {
			if _, err := stream.Recv(); err != nil { // want `stream\.Recv can block forever`
				return err
			}
		}
		return gctx.Err()
	})
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}

// selectDefault: a select with default that receives.
func selectDefault(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			select {
			case <-gctx.Done():
				return gctx.Err()
			default:
				if _, err := stream.Recv(); err != nil { // want `stream\.Recv can block forever`
					return err
				}
			}
		}
	})
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}

// deadline: a timeout on the stream's context still waits it out.
func deadline(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; cancel it with context\.AfterFunc\(gctx, cancel\)`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// closeSend: grpc-go CloseSend in AfterFunc does not free Recv.
func closeSend(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, func() { _ = stream.CloseSend() })
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// afterFuncOtherContext: AfterFunc on the parent, not the group's context.
func afterFuncOtherContext(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(ctx, cancel)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// zeroAfterFuncImpossible: a zero-value group has no context; cancelling
// after Wait is too late.
func zeroAfterFuncImpossible(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	var g errgroup.Group
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `group g has no context`
	g.Go(func() error { return errors.New("fail") })
	err = g.Wait()
	cancel()
	return err
}

type key struct{}
