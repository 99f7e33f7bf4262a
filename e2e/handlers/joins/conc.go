package joins

import (
	"context"

	"connectrpc.com/connect"
	"github.com/sourcegraph/conc"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// ConcConnect is a connect-go v1 bidi handler that greets the client,
// receives in a task of a conc.WaitGroup and waits for it, while it runs
// the backend: when the backend fails, it waits until the client ends its
// side or the stream.
func ConcConnect(backend Backend) func(context.Context, *connect.BidiStream[Msg, Msg]) error {
	return func(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		wg := conc.NewWaitGroup()
		wg.Go(func() {
			for {
				if _, err := stream.Receive(); err != nil {
					return
				}
			}
		})
		err := backend(ctx)
		wg.Wait()
		return err
	}
}

// RestructuredConcConnect is ConcConnect restructured: it returns the
// backend's error at once and waits for its receive loop only when the
// backend succeeded.
func RestructuredConcConnect(backend Backend) func(context.Context, *connect.BidiStream[Msg, Msg]) error {
	return func(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		wg := conc.NewWaitGroup()
		wg.Go(func() {
			for {
				if _, err := stream.Receive(); err != nil {
					return
				}
			}
		})
		if err := backend(ctx); err != nil {
			return err // returning ends the stream, and with it the receive loop
		}
		wg.Wait()
		return nil
	}
}

// ConcConnectV2 is a connect-go v2 bidi handler that greets the client,
// receives in a task of a conc.WaitGroup and waits for it, while it runs
// the backend: when the backend fails, it waits until the client ends its
// side or the stream.
func ConcConnectV2(backend Backend) func(context.Context, chatv2.ChatServiceChatServerStream) error {
	return func(ctx context.Context, stream chatv2.ChatServiceChatServerStream) error {
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		wg := conc.NewWaitGroup()
		wg.Go(func() {
			for {
				if _, err := stream.Receive(); err != nil {
					return
				}
			}
		})
		err := backend(ctx)
		wg.Wait()
		return err
	}
}

// RestructuredConcConnectV2 is ConcConnectV2 restructured: it returns the
// backend's error at once and waits for its receive loop only when the
// backend succeeded.
func RestructuredConcConnectV2(backend Backend) func(context.Context, chatv2.ChatServiceChatServerStream) error {
	return func(ctx context.Context, stream chatv2.ChatServiceChatServerStream) error {
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		wg := conc.NewWaitGroup()
		wg.Go(func() {
			for {
				if _, err := stream.Receive(); err != nil {
					return
				}
			}
		})
		if err := backend(ctx); err != nil {
			return err // returning ends the stream, and with it the receive loop
		}
		wg.Wait()
		return nil
	}
}

// ConcGRPC is a grpc-go bidi handler that greets the client, receives in a
// task of a conc.WaitGroup and waits for it, while it runs the backend:
// when the backend fails, it waits until the client ends its side or the
// stream.
func ConcGRPC(backend Backend) func(grpc.BidiStreamingServer[Msg, Msg]) error {
	return func(stream grpc.BidiStreamingServer[Msg, Msg]) error {
		ctx := stream.Context()
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		wg := conc.NewWaitGroup()
		wg.Go(func() {
			for {
				if _, err := stream.Recv(); err != nil {
					return
				}
			}
		})
		err := backend(ctx)
		wg.Wait()
		return err
	}
}

// RestructuredConcGRPC is ConcGRPC restructured: it returns the backend's
// error at once and waits for its receive loop only when the backend
// succeeded.
func RestructuredConcGRPC(backend Backend) func(grpc.BidiStreamingServer[Msg, Msg]) error {
	return func(stream grpc.BidiStreamingServer[Msg, Msg]) error {
		ctx := stream.Context()
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		wg := conc.NewWaitGroup()
		wg.Go(func() {
			for {
				if _, err := stream.Recv(); err != nil {
					return
				}
			}
		})
		if err := backend(ctx); err != nil {
			return err // returning ends the stream, and with it the receive loop
		}
		wg.Wait()
		return nil
	}
}
