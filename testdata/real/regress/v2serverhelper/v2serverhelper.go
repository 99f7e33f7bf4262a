// A connect-go v2 server stream (CallServerStream returns a raw
// connect.ClientStream) opened through a same-package helper: it is a
// server stream, which the cancel alone frees, not a bidi stream. With one
// task whose group parent is the stream's context it is not reported (it
// was, as a bidi stream, with advice to close it); with a failing sibling
// it is reported, with the advice for a cancel only.
package v2serverhelper

import (
	"context"
	"errors"

	connect "connectrpc.com/connect/v2"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

var spec = connect.Spec{StreamType: connect.StreamTypeServer, Procedure: "/chat.v1.ChatService/Watch"}

func watch(ctx context.Context, c *connect.Client) (connect.ClientStream, error) {
	return c.CallServerStream(ctx, spec, &wrapperspb.StringValue{})
}

func oneTask(ctx context.Context, c *connect.Client) error {
	g, _ := errgroup.WithContext(ctx)
	stream, err := watch(ctx, c)
	if err != nil {
		return err
	}
	g.Go(func() error { return stream.Receive(new(wrapperspb.StringValue)) })
	return g.Wait()
}

func failingSibling(ctx context.Context, c *connect.Client) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := watch(ctx, c)
	if err != nil {
		return err
	}
	g.Go(func() error { return stream.Receive(new(wrapperspb.StringValue)) }) // want `stream\.Receive can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; .*cancel it with context\.AfterFunc\(gctx, \w+\)$`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
