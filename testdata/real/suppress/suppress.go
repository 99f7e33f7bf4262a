// Package suppress silences one finding of each kind with the real
// libraries: each directive covers its finding, and the stale ones are
// reported.
package suppress

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	connectv2 "connectrpc.com/connect/v2"
	"golang.org/x/sync/errgroup"

	"example.com/real/gen/chatgrpc"
	"example.com/real/gen/chatv2"
)

type Msg = chatgrpc.Msg

// uncancelled: a grpc-go stream opened with the caller's context.
func uncancelled(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			if _, err := stream.Recv(); err != nil { //bidictxlint:ignore uncancelled-stream the server ends the stream when gctx's deadline passes
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// reassigned: the directive in the doc comment covers the function.
//
//bidictxlint:ignore reassigned-context the caller cancels ctx when Chat fails
func reassigned(ctx context.Context, client *chatv2.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err })
	g.Go(func() error { <-ctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// bidiNotClosed: a connect-go v1 bidi stream opened under the group.
func bidiNotClosed(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	stream := c.CallBidiStream(gctx)
	//bidictxlint:ignore bidi-needs-close the send task closes the request side before it fails
	g.Go(func() error {
		_, err := stream.Receive()
		return err
	})
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}

type Server struct{}

// Chat: a handler that receives in a task while it waits for the group.
func (s *Server) Chat(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err }) //nolint:bidictxlint // clients send every second
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// stale: a grpc-go stream opened under the group is freed when a task
// fails, and the directives from before the fix silence nothing.
func stale(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(gctx) //nolint:bidictxlint // want `^//nolint:bidictxlint silences no bidictxlint finding on the lines it covers; remove it$`
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err }) //bidictxlint:ignore uncancelled-stream,reassigned-context fixed since // want `^//bidictxlint:ignore uncancelled-stream,reassigned-context silences no uncancelled-stream or reassigned-context finding on the lines it covers; remove it$`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v2Closed: a connect-go v2 stream under the group, closed once the
// group's context is done.
func v2Closed(ctx context.Context, c *connectv2.Client, spec connectv2.Spec) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := c.CallClientStream(gctx, spec)
	if err != nil {
		return err
	}
	context.AfterFunc(gctx, func() { _ = stream.Close() })
	g.Go(func() error { return stream.Receive(&Msg{}) }) //bidictxlint:ignore bidi-needs-close closed above // want `silences no bidi-needs-close finding`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
