package joins

import (
	"context"
	"errors"
	"io"

	"connectrpc.com/connect"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// ChannelConnect is a connect-go v1 bidi handler that greets the client,
// receives in a goroutine and waits for its result on a channel, while it
// runs the backend: when the backend fails, it waits until the client ends
// its side or the stream.
func ChannelConnect(backend Backend) func(context.Context, *connect.BidiStream[Msg, Msg]) error {
	return func(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		received := make(chan error, 1)
		go func() {
			for {
				if _, err := stream.Receive(); err != nil {
					received <- err
					return
				}
			}
		}()
		err := backend(ctx)
		if end := <-received; err == nil && !errors.Is(end, io.EOF) {
			err = end
		}
		return err
	}
}

// RestructuredChannelConnect is ChannelConnect restructured: it returns the
// backend's error at once and waits for its receive loop only when the
// backend succeeded.
func RestructuredChannelConnect(backend Backend) func(context.Context, *connect.BidiStream[Msg, Msg]) error {
	return func(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		received := make(chan error, 1)
		go func() {
			for {
				if _, err := stream.Receive(); err != nil {
					received <- err
					return
				}
			}
		}()
		if err := backend(ctx); err != nil {
			return err // returning ends the stream, and with it the receive loop
		}
		if end := <-received; !errors.Is(end, io.EOF) {
			return end
		}
		return nil
	}
}

// ChannelConnectV2 is a connect-go v2 bidi handler that greets the client,
// receives in a goroutine and waits for its result on a channel, while it
// runs the backend: when the backend fails, it waits until the client ends
// its side or the stream.
func ChannelConnectV2(backend Backend) func(context.Context, chatv2.ChatServiceChatServerStream) error {
	return func(ctx context.Context, stream chatv2.ChatServiceChatServerStream) error {
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		received := make(chan error, 1)
		go func() {
			for {
				if _, err := stream.Receive(); err != nil {
					received <- err
					return
				}
			}
		}()
		err := backend(ctx)
		if end := <-received; err == nil && !errors.Is(end, io.EOF) {
			err = end
		}
		return err
	}
}

// RestructuredChannelConnectV2 is ChannelConnectV2 restructured: it returns
// the backend's error at once and waits for its receive loop only when the
// backend succeeded.
func RestructuredChannelConnectV2(backend Backend) func(context.Context, chatv2.ChatServiceChatServerStream) error {
	return func(ctx context.Context, stream chatv2.ChatServiceChatServerStream) error {
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		received := make(chan error, 1)
		go func() {
			for {
				if _, err := stream.Receive(); err != nil {
					received <- err
					return
				}
			}
		}()
		if err := backend(ctx); err != nil {
			return err // returning ends the stream, and with it the receive loop
		}
		if end := <-received; !errors.Is(end, io.EOF) {
			return end
		}
		return nil
	}
}

// ChannelGRPC is a grpc-go bidi handler that greets the client, receives in
// a goroutine and waits for its result on a channel, while it runs the
// backend: when the backend fails, it waits until the client ends its side
// or the stream.
func ChannelGRPC(backend Backend) func(grpc.BidiStreamingServer[Msg, Msg]) error {
	return func(stream grpc.BidiStreamingServer[Msg, Msg]) error {
		ctx := stream.Context()
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		received := make(chan error, 1)
		go func() {
			for {
				if _, err := stream.Recv(); err != nil {
					received <- err
					return
				}
			}
		}()
		err := backend(ctx)
		if end := <-received; err == nil && !errors.Is(end, io.EOF) {
			err = end
		}
		return err
	}
}

// RestructuredChannelGRPC is ChannelGRPC restructured: it returns the
// backend's error at once and waits for its receive loop only when the
// backend succeeded.
func RestructuredChannelGRPC(backend Backend) func(grpc.BidiStreamingServer[Msg, Msg]) error {
	return func(stream grpc.BidiStreamingServer[Msg, Msg]) error {
		ctx := stream.Context()
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		received := make(chan error, 1)
		go func() {
			for {
				if _, err := stream.Recv(); err != nil {
					received <- err
					return
				}
			}
		}()
		if err := backend(ctx); err != nil {
			return err // returning ends the stream, and with it the receive loop
		}
		if end := <-received; !errors.Is(end, io.EOF) {
			return end
		}
		return nil
	}
}
