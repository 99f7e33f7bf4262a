// Package joins holds chat handlers, for connect-go v1, connect-go v2 and
// grpc-go, that greet the client, receive its messages in a goroutine of
// their own and run a backend beside it, joined by a sync.WaitGroup, a
// conc.WaitGroup or a channel. The handlers named after their join wait
// for the receive loop before returning, also when the backend fails, so
// they hang until the client ends its side or the stream: once the handler
// has answered, a connect-go client's cancel never reaches the server (see
// TestServerFacts), so on connect-go only the client's close ends them.
// The Restructured twins return the backend's error at once, which ends
// the stream and with it the receive loop, and wait for the loop only when
// the backend succeeded. bidictxlint reports the former and not the twins
// (TestAnalyzerReportsJoinHandlers).
package joins

import (
	"context"
	"sync"

	"connectrpc.com/connect"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
	"github.com/bidictxlint/bidictxlint/e2e/handlers"
)

type Msg = wrapperspb.StringValue

// Backend is the work the handlers do beside receiving.
type Backend = handlers.Backend

// WaitGroupConnect is a connect-go v1 bidi handler that greets the client,
// receives in a sync.WaitGroup task (wg.Go) and waits for it with a
// deferred wg.Wait, while it runs the backend: when the backend fails, it
// waits until the client ends its side or the stream.
func WaitGroupConnect(backend Backend) func(context.Context, *connect.BidiStream[Msg, Msg]) error {
	return func(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		var wg sync.WaitGroup
		defer wg.Wait()
		wg.Go(func() {
			for {
				if _, err := stream.Receive(); err != nil {
					return
				}
			}
		})
		return backend(ctx)
	}
}

// RestructuredWaitGroupConnect is WaitGroupConnect restructured: it returns
// the backend's error at once and waits for its receive loop only when the
// backend succeeded.
func RestructuredWaitGroupConnect(backend Backend) func(context.Context, *connect.BidiStream[Msg, Msg]) error {
	return func(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		var wg sync.WaitGroup
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

// WaitGroupConnectV2 is a connect-go v2 bidi handler that greets the
// client, receives in a sync.WaitGroup task (wg.Go) and waits for it with a
// deferred wg.Wait, while it runs the backend: when the backend fails, it
// waits until the client ends its side or the stream.
func WaitGroupConnectV2(backend Backend) func(context.Context, chatv2.ChatServiceChatServerStream) error {
	return func(ctx context.Context, stream chatv2.ChatServiceChatServerStream) error {
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		var wg sync.WaitGroup
		defer wg.Wait()
		wg.Go(func() {
			for {
				if _, err := stream.Receive(); err != nil {
					return
				}
			}
		})
		return backend(ctx)
	}
}

// RestructuredWaitGroupConnectV2 is WaitGroupConnectV2 restructured: it
// returns the backend's error at once and waits for its receive loop only
// when the backend succeeded.
func RestructuredWaitGroupConnectV2(backend Backend) func(context.Context, chatv2.ChatServiceChatServerStream) error {
	return func(ctx context.Context, stream chatv2.ChatServiceChatServerStream) error {
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		var wg sync.WaitGroup
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

// WaitGroupGRPC is a grpc-go bidi handler that greets the client, receives
// in a sync.WaitGroup task (wg.Go) and waits for it with a deferred
// wg.Wait, while it runs the backend: when the backend fails, it waits
// until the client ends its side or the stream.
func WaitGroupGRPC(backend Backend) func(grpc.BidiStreamingServer[Msg, Msg]) error {
	return func(stream grpc.BidiStreamingServer[Msg, Msg]) error {
		ctx := stream.Context()
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		var wg sync.WaitGroup
		defer wg.Wait()
		wg.Go(func() {
			for {
				if _, err := stream.Recv(); err != nil {
					return
				}
			}
		})
		return backend(ctx)
	}
}

// RestructuredWaitGroupGRPC is WaitGroupGRPC restructured: it returns the
// backend's error at once and waits for its receive loop only when the
// backend succeeded.
func RestructuredWaitGroupGRPC(backend Backend) func(grpc.BidiStreamingServer[Msg, Msg]) error {
	return func(stream grpc.BidiStreamingServer[Msg, Msg]) error {
		ctx := stream.Context()
		if err := stream.Send(wrapperspb.String("hello")); err != nil {
			return err
		}
		var wg sync.WaitGroup
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
