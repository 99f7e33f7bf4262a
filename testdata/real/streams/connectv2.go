package streams

import (
	"context"
	"errors"

	connect "connectrpc.com/connect/v2"
	"golang.org/x/sync/errgroup"

	"example.com/real/gen/chatv2"
)

var spec = connect.Spec{StreamType: connect.StreamTypeBidi, Procedure: "/chat.v1.ChatService/Chat"}

// v2Raw: connect.ClientStream from Client.CallClientStream.
func v2Raw(ctx context.Context, c *connect.Client) error {
	stream, err := c.CallClientStream(ctx, spec)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return stream.Receive(&Msg{}) }) // want `stream\.Receive can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v2Generated: the generated bidi stream type wraps a ClientStream.
func v2Generated(ctx context.Context, client *chatv2.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `stream\.Receive can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v2Watch: the generated server-stream type.
func v2Watch(ctx context.Context, client *chatv2.ChatClient) error {
	stream, err := client.Watch(ctx, &Msg{})
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `stream\.Receive can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v2Upload: the generated client-stream type, CloseAndReceive.
func v2Upload(ctx context.Context, client *chatv2.ChatClient) error {
	stream, err := client.Upload(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.CloseAndReceive(); return err }) // want `stream\.CloseAndReceive can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v2SendHeaders: SendHeaders opens the stream and can wait.
func v2SendHeaders(ctx context.Context, client *chatv2.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return stream.SendHeaders() }) // want `stream\.SendHeaders can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v2CloseSend: CloseSend does not wait: no report.
func v2CloseSend(ctx context.Context, client *chatv2.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return stream.CloseSend() })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
