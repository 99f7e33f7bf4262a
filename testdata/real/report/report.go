// Package report is the catalogue of docs/rules.md's When it reports: when something other
// than the stream's own task can end the group's work.
package report

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"

	"example.com/real/gen/chatgrpc"
)

// singleSameParent: one task, the group on the stream's context: only the
// stream's own task can fail, and a cancelled parent reaches the stream.
func singleSameParent(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err })
	return g.Wait()
}

// singleAncestorParent: one task, the group on an ancestor of the
// stream's context.
func singleAncestorParent(ctx context.Context, client chatgrpc.ChatClient) error {
	sctx := context.WithValue(ctx, key{}, 1)
	stream, err := client.Legacy(sctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err })
	return g.Wait()
}

// singleUnrelatedParent: one task, but cancelling ctx stops the group and
// not the stream opened on context.Background().
func singleUnrelatedParent(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(context.Background())
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context context\.Background\(\) is not cancelled when the group's context is`
	return g.Wait()
}

// singleWithoutCancelParent: the stream's context is cut from ctx.
func singleWithoutCancelParent(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(context.WithoutCancel(ctx))
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	return g.Wait()
}

// twoTasks: another task can fail.
func twoTasks(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}

// zeroOneTask: a zero-value group with one task: nothing else ends it.
func zeroOneTask(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	var g errgroup.Group
	g.Go(func() error { _, err := stream.Recv(); return err })
	return g.Wait()
}

// zeroTwoTasks: a zero-value group with two tasks.
func zeroTwoTasks(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	var g errgroup.Group
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: group g has no context`
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}

// outsideTasks: the stream is used only by the function that waits.
func outsideTasks(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { return nil })
	g.Go(func() error { return errors.New("fail") })
	if _, err := stream.Recv(); err != nil {
		return err
	}
	return g.Wait()
}

// firstCallOnly: one diagnostic per stream and group, at the first
// blocking call in a task.
func firstCallOnly(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return stream.Send(&chatgrpc.Msg{}) }) // want `stream\.Send can block forever`
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// twoGroups: one stream used by two groups: one diagnostic each.
func twoGroups(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g1, gctx1 := errgroup.WithContext(ctx)
	g1.Go(func() error { _, err := stream.Recv(); return err }) // want `not cancelled when gctx1 is`
	g1.Go(func() error { <-gctx1.Done(); return errors.New("fail") })
	g2, gctx2 := errgroup.WithContext(ctx)
	g2.Go(func() error { return stream.Send(&chatgrpc.Msg{}) }) // want `not cancelled when gctx2 is`
	g2.Go(func() error { <-gctx2.Done(); return errors.New("fail") })
	return errors.Join(g1.Wait(), g2.Wait())
}

type key struct{}
