// A package-level zero-value group whose sibling task cancels the
// stream's context: for a group with no context, an explicit cancel in
// another task is the cancellation path, and a deferred one runs on every
// path. Not reported (it was: "group pkgGroup has no context"). The same
// sibling cancelling only on success is reported.
package pkggroupsibling

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"
	"golang.org/x/sync/errgroup"
)

var pkgGroup errgroup.Group

func work() error { return errors.New("fail") }

func siblingCancels(ctx context.Context, client chatgrpc.ChatClient) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Watch(sctx, &chatgrpc.Msg{})
	if err != nil {
		return err
	}
	pkgGroup.Go(func() error {
		_, err := stream.Recv()
		return err
	})
	pkgGroup.Go(func() error {
		defer cancel()
		return work()
	})
	return pkgGroup.Wait()
}

var otherGroup errgroup.Group

func siblingCancelsOnSuccess(ctx context.Context, client chatgrpc.ChatClient) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Watch(sctx, &chatgrpc.Msg{})
	if err != nil {
		return err
	}
	otherGroup.Go(func() error {
		_, err := stream.Recv() // want `stream\.Recv can block forever in an errgroup task`
		return err
	})
	otherGroup.Go(func() error {
		if err := work(); err != nil {
			return err
		}
		cancel()
		return nil
	})
	return otherGroup.Wait()
}
