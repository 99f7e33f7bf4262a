// Package handlers holds chat handlers, for connect-go v1 and grpc-go,
// that receive from their own stream inside errgroup tasks (docs/rules.md,
// Server side): Buggy receives in a task, so when another task fails the handler
// waits in g.Wait() until the client sends or hangs up; Restructured
// receives outside the group and returns at once. bidictxlint reports the
// first and not the second.
package handlers

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type Msg = wrapperspb.StringValue

// ErrBackend is what the failing task returns.
var ErrBackend = errors.New("backend unavailable")

// Backend is the work the handler does beside receiving; it fails.
type Backend func(ctx context.Context) error

// BuggyConnect is a connect-go v1 bidi handler with the bug.
func BuggyConnect(backend Backend) func(context.Context, *connect.BidiStream[Msg, Msg]) error {
	return func(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error {
			for {
				if _, err := stream.Receive(); err != nil {
					return err
				}
			}
		})
		g.Go(func() error { return backend(gctx) })
		return g.Wait()
	}
}

// RestructuredConnect receives in a goroutine outside the group; the
// tasks select on its channel and on the group's context, and returning
// from the handler ends the stream.
func RestructuredConnect(backend Backend) func(context.Context, *connect.BidiStream[Msg, Msg]) error {
	return func(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
		msgs := make(chan *Msg)
		go func() {
			defer close(msgs)
			for {
				m, err := stream.Receive()
				if err != nil {
					return
				}
				select {
				case msgs <- m:
				case <-ctx.Done():
					return
				}
			}
		}()
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error {
			for {
				select {
				case <-gctx.Done():
					return gctx.Err()
				case _, ok := <-msgs:
					if !ok {
						return nil
					}
				}
			}
		})
		g.Go(func() error { return backend(gctx) })
		return g.Wait()
	}
}

// BuggyGRPC is a grpc-go bidi handler with the bug.
func BuggyGRPC(backend Backend) func(grpc.BidiStreamingServer[Msg, Msg]) error {
	return func(stream grpc.BidiStreamingServer[Msg, Msg]) error {
		g, gctx := errgroup.WithContext(stream.Context())
		g.Go(func() error {
			for {
				if _, err := stream.Recv(); err != nil {
					return err
				}
			}
		})
		g.Go(func() error { return backend(gctx) })
		return g.Wait()
	}
}

// RestructuredGRPC is BuggyGRPC with the receive outside the group.
func RestructuredGRPC(backend Backend) func(grpc.BidiStreamingServer[Msg, Msg]) error {
	return func(stream grpc.BidiStreamingServer[Msg, Msg]) error {
		ctx := stream.Context()
		msgs := make(chan *Msg)
		go func() {
			defer close(msgs)
			for {
				m, err := stream.Recv()
				if err != nil {
					return
				}
				select {
				case msgs <- m:
				case <-ctx.Done():
					return
				}
			}
		}()
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error {
			for {
				select {
				case <-gctx.Done():
					return gctx.Err()
				case _, ok := <-msgs:
					if !ok {
						return nil
					}
				}
			}
		})
		g.Go(func() error { return backend(gctx) })
		return g.Wait()
	}
}
