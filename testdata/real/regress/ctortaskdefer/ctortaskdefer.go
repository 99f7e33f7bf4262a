// A task made by a same-package constructor that is handed the cancel
// func and defers it: when that task returns, its deferred cancel frees
// the stream another task sends on. Not reported (it was: "group g has
// no context to cancel the stream's context").
package ctortaskdefer

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"
	"golang.org/x/sync/errgroup"
)

var errFail = errors.New("fail")

func cancelling(cancel context.CancelCauseFunc) func() error {
	return func() error {
		defer cancel(errFail)
		return nil
	}
}

func ctorDefers(ctx context.Context, client chatgrpc.ChatClient) error {
	g := errgroup.Group{}
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	s, err := client.Upload(sctx)
	if err != nil {
		return err
	}
	g.Go(cancelling(cancel))
	g.Go(func() error {
		return s.Send(&chatgrpc.Msg{})
	})
	return g.Wait()
}

func cancellingOnSuccess(cancel context.CancelCauseFunc) func() error {
	return func() error {
		if err := work(); err != nil {
			return err
		}
		cancel(errFail)
		return nil
	}
}

func work() error { return errFail }

// The constructor's task cancels only on its success path: when it fails,
// the sender stays blocked. Reported.
func ctorCancelsOnSuccess(ctx context.Context, client chatgrpc.ChatClient) error {
	g := errgroup.Group{}
	sctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	s, err := client.Upload(sctx)
	if err != nil {
		return err
	}
	g.Go(cancellingOnSuccess(cancel))
	g.Go(func() error {
		return s.Send(&chatgrpc.Msg{}) // want `s\.Send can block forever in an errgroup task`
	})
	return g.Wait()
}
