// Package ctxflow is the catalogue of the stream's context (docs/rules.md,
// The stream's context): contexts are tracked by assignment and position, not by name.
package ctxflow

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sync/errgroup"

	"example.com/real/gen/chatgrpc"
)

// reassignedAfter: the stream is opened with the caller's ctx, then ctx
// names the group's context. The commonest bug.
func reassignedAfter(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream was opened with ctx before ctx became the group's context`
	g.Go(func() error { <-ctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// reassignedBefore: the group first, then the stream on the reassigned
// ctx: the commonest correct shape.
func reassignedBefore(ctx context.Context, client chatgrpc.ChatClient) error {
	g, ctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-ctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// background: a stream on context.Background() is never cancelled.
func background(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(context.Background())
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `the stream's context context\.Background\(\) is not cancelled when gctx is`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// derivedFromGroup: WithValue and WithTimeout below the group's context
// keep its cancellation: no report.
func derivedFromGroup(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	vctx := context.WithValue(gctx, key{}, "v")
	tctx, cancel := context.WithTimeout(vctx, time.Minute)
	defer cancel()
	stream, err := client.Chat(tctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// withoutCancel: WithoutCancel cuts the group's cancellation.
func withoutCancel(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(context.WithoutCancel(gctx))
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

func openStream(ctx context.Context, client chatgrpc.ChatClient) (chatgrpc.Chat_LegacyClient, error) {
	return client.Legacy(ctx)
}

// helperOpens: a same-package helper opens the stream; its first context
// argument is the stream's context.
func helperOpens(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := openStream(ctx, client)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// helperOpensUnderGroup: the same helper given the group's context.
func helperOpensUnderGroup(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := openStream(gctx, client)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// copied: a copy of the group's context is the group's context.
func copied(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	rpcCtx := gctx
	stream, err := client.Chat(rpcCtx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

type key struct{}
