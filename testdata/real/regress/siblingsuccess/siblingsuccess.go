// A sibling task that cancels the stream's context only on its own
// success path: when it fails it returns before the cancel, and the task
// in Recv stays blocked (a UI task that cancels when it exits cleanly;
// when the UI fails the collector stays in Recv). That is no cancellation
// path; a deferred cancel in the sibling is one.
package siblingsuccess

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"
	"golang.org/x/sync/errgroup"
)

func runUI(ctx context.Context) error { return errors.New("ui failed") }

// successOnly: reported; the fix wires the cancel to the group.
func successOnly(ctx context.Context, client chatgrpc.ChatClient) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(sctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			if _, err := stream.Recv(); err != nil { // want `stream\.Recv can block forever in an errgroup task: .*context\.AfterFunc\(gctx, cancel\)`
				return err
			}
		}
	})
	g.Go(func() error {
		if err := runUI(gctx); err != nil {
			return err
		}
		cancel()
		return nil
	})
	return g.Wait()
}

// deferred: the sibling cancels on every path: not reported.
func deferred(ctx context.Context, client chatgrpc.ChatClient) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(sctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			if _, err := stream.Recv(); err != nil {
				return err
			}
		}
	})
	g.Go(func() error {
		defer cancel()
		return runUI(gctx)
	})
	return g.Wait()
}
