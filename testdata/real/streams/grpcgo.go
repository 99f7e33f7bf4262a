package streams

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"

	"example.com/real/gen/chatgrpc"
)

// grpcBidi: grpc.BidiStreamingClient, Recv.
func grpcBidi(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// grpcWatch: grpc.ServerStreamingClient, RecvMsg.
func grpcWatch(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Watch(ctx, &Msg{})
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return stream.RecvMsg(&Msg{}) }) // want `stream\.RecvMsg can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// grpcUpload: grpc.ClientStreamingClient, CloseAndRecv.
func grpcUpload(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Upload(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.CloseAndRecv(); return err }) // want `stream\.CloseAndRecv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// grpcLegacy: a pre-generics generated interface, Send and Header.
func grpcLegacy(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Header(); return err }) // want `stream\.Header can block forever`
	g.Go(func() error { return stream.SendMsg(&Msg{}) })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// grpcCloseSend: CloseSend does not wait: no report.
func grpcCloseSend(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return stream.CloseSend() })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
