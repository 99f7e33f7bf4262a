package paths

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"

	"example.com/real/gen/chatgrpc"
	"example.com/real/gen/chatv1"
)

// Cancels that run only on some of a task's exits, and cancels held in a
// struct field (docs/rules.md#cancellation-paths).

// siblingCancelsOnSuccess: the other task cancels only when it returns
// cleanly; when it fails, the stream stays in Recv.
func siblingCancelsOnSuccess(ctx context.Context, client chatgrpc.ChatClient, ui func() error) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(sctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error {
		if err := ui(); err != nil {
			return err
		}
		cancel()
		return nil
	})
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context sctx is not cancelled when the group's context is`
	return g.Wait()
}

// siblingDefersCancel: the other task cancels whichever way it returns.
func siblingDefersCancel(ctx context.Context, client chatgrpc.ChatClient, ui func() error) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(sctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer cancel()
		return ui()
	})
	g.Go(func() error { _, err := stream.Recv(); return err })
	return g.Wait()
}

// siblingCancelsBeforeReturning: the cancel comes before the task's only
// return.
func siblingCancelsBeforeReturning(ctx context.Context, client chatgrpc.ChatClient, ui func() error) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(sctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error {
		err := ui()
		cancel()
		return err
	})
	g.Go(func() error { _, err := stream.Recv(); return err })
	return g.Wait()
}

// cancelAfterReceive: a cancel in the blocked task itself runs only once
// it is not blocked.
func cancelAfterReceive(ctx context.Context, client chatgrpc.ChatClient) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(sctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error {
		if _, err := stream.Recv(); err != nil { // want `stream\.Recv can block forever in an errgroup task: the stream's context sctx is not cancelled when the group's context is`
			cancel()
			return err
		}
		return nil
	})
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}

// runner holds its stream and the cancel func of the stream's context.
type runner struct {
	cancel context.CancelFunc
	stream chatgrpc.Chat_LegacyClient
}

func (r *runner) recv() error {
	defer r.cancel() // runs only once recv returns
	for {
		if _, err := r.stream.Recv(); err != nil { // want `r\.stream\.Recv can block forever in an errgroup task: the stream's context sctx is not cancelled when the group's context is`
			return err
		}
	}
}

// fieldCancelDeferredInBlockedTask: the cancel func is held in a field
// and called only by a defer in the task that blocks.
func fieldCancelDeferredInBlockedTask(ctx context.Context, client chatgrpc.ChatClient) error {
	sctx, cancel := context.WithCancel(ctx)
	stream, err := client.Legacy(sctx)
	if err != nil {
		cancel()
		return err
	}
	r := &runner{cancel: cancel, stream: stream}
	g, _ := errgroup.WithContext(ctx)
	g.Go(r.recv)
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}

// stopper holds the cancel func of a stream's context, which its stop
// method calls.
type stopper struct {
	cancel context.CancelFunc
}

func (s *stopper) stop() error { s.cancel(); return nil }

// fieldCancelCalledByAnotherTask: another task calls the field.
func fieldCancelCalledByAnotherTask(ctx context.Context, client chatgrpc.ChatClient, work func() error) error {
	sctx, cancel := context.WithCancel(ctx)
	stream, err := client.Legacy(sctx)
	if err != nil {
		cancel()
		return err
	}
	s := &stopper{cancel: cancel}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { defer s.cancel(); return work() })
	return g.Wait()
}

// lateWiringForBlockingOpen: a connect-go server stream's opening waits
// for the response headers, and the cancel is wired only after it.
func lateWiringForBlockingOpen(ctx context.Context, client chatv1.ChatServiceClient) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stream, err := client.Watch(sctx, connect.NewRequest(&chatv1.Msg{})) // want `client\.Watch can block forever in an errgroup task: it waits for the server's answer, and sctx is cancelled when gctx is only after it returns; cancel it before the opening with context\.AfterFunc\(gctx, cancel\)`
		if err != nil {
			return err
		}
		context.AfterFunc(gctx, cancel)
		for stream.Receive() {
		}
		return stream.Err()
	})
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}

// earlyWiringForBlockingOpen: the cancel is wired before the opening.
func earlyWiringForBlockingOpen(ctx context.Context, client chatv1.ChatServiceClient) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		context.AfterFunc(gctx, cancel)
		stream, err := client.Watch(sctx, connect.NewRequest(&chatv1.Msg{}))
		if err != nil {
			return err
		}
		for stream.Receive() {
		}
		return stream.Err()
	})
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}
