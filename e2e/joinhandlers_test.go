package e2e

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"connectrpc.com/connect"
	connectv2 "connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
	"github.com/bidictxlint/bidictxlint/e2e/handlers"
	"github.com/bidictxlint/bidictxlint/e2e/handlers/joins"
	"github.com/bidictxlint/bidictxlint/e2e/peer"
)

// joinHandler is one handler of handlers/joins under test; exactly one of
// v1, v2 and grpc is set.
type joinHandler struct {
	// fn is the handler's function name in package joins.
	fn    string
	lib   peer.Lib
	buggy bool
	v1    func(joins.Backend) func(context.Context, *connect.BidiStream[joins.Msg, joins.Msg]) error
	v2    func(joins.Backend) func(context.Context, chatv2.ChatServiceChatServerStream) error
	grpc  func(joins.Backend) func(grpc.BidiStreamingServer[joins.Msg, joins.Msg]) error
}

var joinHandlers = []joinHandler{
	{fn: "WaitGroupConnect", lib: peer.ConnectV1, buggy: true, v1: joins.WaitGroupConnect},
	{fn: "RestructuredWaitGroupConnect", lib: peer.ConnectV1, v1: joins.RestructuredWaitGroupConnect},
	{fn: "ConcConnect", lib: peer.ConnectV1, buggy: true, v1: joins.ConcConnect},
	{fn: "RestructuredConcConnect", lib: peer.ConnectV1, v1: joins.RestructuredConcConnect},
	{fn: "ChannelConnect", lib: peer.ConnectV1, buggy: true, v1: joins.ChannelConnect},
	{fn: "RestructuredChannelConnect", lib: peer.ConnectV1, v1: joins.RestructuredChannelConnect},
	{fn: "WaitGroupConnectV2", lib: peer.ConnectV2, buggy: true, v2: joins.WaitGroupConnectV2},
	{fn: "RestructuredWaitGroupConnectV2", lib: peer.ConnectV2, v2: joins.RestructuredWaitGroupConnectV2},
	{fn: "ConcConnectV2", lib: peer.ConnectV2, buggy: true, v2: joins.ConcConnectV2},
	{fn: "RestructuredConcConnectV2", lib: peer.ConnectV2, v2: joins.RestructuredConcConnectV2},
	{fn: "ChannelConnectV2", lib: peer.ConnectV2, buggy: true, v2: joins.ChannelConnectV2},
	{fn: "RestructuredChannelConnectV2", lib: peer.ConnectV2, v2: joins.RestructuredChannelConnectV2},
	{fn: "WaitGroupGRPC", lib: peer.GRPC, buggy: true, grpc: joins.WaitGroupGRPC},
	{fn: "RestructuredWaitGroupGRPC", lib: peer.GRPC, grpc: joins.RestructuredWaitGroupGRPC},
	{fn: "ConcGRPC", lib: peer.GRPC, buggy: true, grpc: joins.ConcGRPC},
	{fn: "RestructuredConcGRPC", lib: peer.GRPC, grpc: joins.RestructuredConcGRPC},
	{fn: "ChannelGRPC", lib: peer.GRPC, buggy: true, grpc: joins.ChannelGRPC},
	{fn: "RestructuredChannelGRPC", lib: peer.GRPC, grpc: joins.RestructuredChannelGRPC},
}

// TestJoinHandlers: a handler that joins its own receive hangs until the
// client acts. The client opens a bidi stream, sends one message and
// receives the handler's greeting (so the handler has answered); the
// handler's backend then fails. The buggy handlers keep waiting for their
// receive loop: the client hears nothing within hangBound. The client
// then cancels its context: on grpc-go that ends the handler; on
// connect-go it does not (the cancel never reaches the server once it has
// answered, TestServerFacts), and only the client's close does. The
// restructured handlers return the backend's error within prompt. Every
// handler leaves no goroutine behind once it has returned.
func TestJoinHandlers(t *testing.T) {
	defer checkNoGoroutineLeft(t)()
	t.Run("handlers", func(t *testing.T) {
		for _, h := range joinHandlers {
			t.Run(h.fn, func(t *testing.T) {
				t.Parallel()
				// The backend fails once the exchange has begun, so that the
				// restructured handlers do not end the stream before the
				// client has sent.
				begun, failed := make(chan struct{}), make(chan struct{})
				begin := sync.OnceFunc(func() { close(begun) })
				defer begin()
				ctx, cancel := context.WithCancel(context.Background())
				defer cancel()
				cl, returned := h.serve(t, ctx, func(context.Context) error {
					<-begun
					close(failed)
					return handlers.ErrBackend
				})
				if err := cl.send("hi"); err != nil {
					t.Fatalf("Send: %v", err)
				}
				if got, err := cl.recv(); err != nil || got != "hello" {
					t.Fatalf("the greeting: %q, %v", got, err)
				}
				begin()
				select {
				case <-failed:
				case <-time.After(setupBound):
					t.Fatal("the backend never ran")
				}
				answer := start(func() error { _, err := cl.recv(); return err })
				if !h.buggy {
					if !answer.returnsWithin(prompt) {
						t.Fatalf("the restructured handler did not answer within %v of the backend's failure", prompt)
					}
					// connect-go v2 passes on an error that is not its own
					// as "unknown", without its message.
					switch {
					case answer.err == nil || errors.Is(answer.err, io.EOF):
						t.Errorf("the client saw %v, want the backend's error", answer.err)
					case h.lib != peer.ConnectV2 && !strings.Contains(answer.err.Error(), handlers.ErrBackend.Error()):
						t.Errorf("the client saw %v, want the backend's error", answer.err)
					}
					h.checkGone(t, returned)
					return
				}
				if answer.returnsWithin(hangBound) {
					t.Fatalf("the handler answered (%v) while the client kept the stream open", answer.err)
				}
				cancel() // the client hangs up its context
				if h.lib == peer.GRPC {
					if !waitClosed(returned, prompt) {
						t.Fatal("the handler did not return once the client cancelled")
					}
					h.checkGone(t, returned)
					return
				}
				if waitClosed(returned, factHangBound) {
					t.Fatal("the handler returned once the client cancelled: the cancel reached the server after all")
				}
				closing := start(cl.close)
				if !waitClosed(returned, prompt) {
					t.Fatal("the handler did not return once the client closed the stream")
				}
				closing.returnsWithin(prompt)
				h.checkGone(t, returned)
			})
		}
	})
}

// TestJoinHandlersSucceed: in a run in which nothing fails, every handler,
// buggy or restructured, greets the client, receives what it sends until
// it closes its side, and ends the stream cleanly; the client sees the
// greeting and then the clean end, io.EOF.
func TestJoinHandlersSucceed(t *testing.T) {
	for _, h := range joinHandlers {
		t.Run(h.fn, func(t *testing.T) {
			t.Parallel()
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			cl, returned := h.serve(t, ctx, func(context.Context) error { return nil })
			for _, line := range []string{"line 1", "line 2"} {
				if err := cl.send(line); err != nil {
					t.Fatalf("Send: %v", err)
				}
			}
			if err := cl.closeRequest(); err != nil {
				t.Fatalf("closing the request side: %v", err)
			}
			if got, err := cl.recv(); err != nil || got != "hello" {
				t.Fatalf("the greeting: %q, %v", got, err)
			}
			end := start(func() error { _, err := cl.recv(); return err })
			if !end.returnsWithin(setupBound) {
				t.Fatal("the stream did not end")
			}
			if !errors.Is(end.err, io.EOF) {
				t.Errorf("the stream ended with %v, want io.EOF", end.err)
			}
			h.checkGone(t, returned)
		})
	}
}

// checkGone fails t unless the handler has returned and no goroutine of
// its own is left.
func (h joinHandler) checkGone(t *testing.T, returned <-chan struct{}) {
	t.Helper()
	if !waitClosed(returned, prompt) {
		t.Fatal("the handler has not returned")
	}
	frame := "github.com/bidictxlint/bidictxlint/e2e/handlers/joins." + h.fn + "."
	if !poll(func() bool { return goroutinesWith(frame) == 0 }) {
		t.Errorf("%d goroutines of the handler left once it returned", goroutinesWith(frame))
	}
}

// goroutinesWith counts the goroutines whose stack holds frame.
func goroutinesWith(frame string) int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, frame) {
			n++
		}
	}
	return n
}

// waitClosed reports whether c is closed within d.
func waitClosed(c <-chan struct{}, d time.Duration) bool {
	select {
	case <-c:
		return true
	case <-time.After(d):
		return false
	}
}

// handlerClient is the client side of a bidi stream to a handler under
// test.
type handlerClient struct {
	send         func(string) error
	recv         func() (string, error)
	closeRequest func() error
	// close closes the response side (connect-go only).
	close func() error
}

// serve serves the handler, with backend, on 127.0.0.1 (connect-go over
// TLS HTTP/2), opens a bidi stream to it with ctx and returns the stream
// and a channel closed once the handler has returned.
func (h joinHandler) serve(t *testing.T, ctx context.Context, backend joins.Backend) (handlerClient, <-chan struct{}) {
	t.Helper()
	returned := make(chan struct{})
	switch h.lib {
	case peer.ConnectV1:
		handler := h.v1(backend)
		mux := http.NewServeMux()
		mux.Handle(peer.ChatProcedure, connect.NewBidiStreamHandler(peer.ChatProcedure,
			func(ctx context.Context, s *connect.BidiStream[joins.Msg, joins.Msg]) error {
				defer close(returned)
				return handler(ctx, s)
			}))
		srv := tlsServer(t, mux)
		s := connect.NewClient[joins.Msg, joins.Msg](srv.Client(), srv.URL+peer.ChatProcedure).CallBidiStream(ctx)
		return handlerClient{
			send: func(v string) error { return s.Send(wrapperspb.String(v)) },
			recv: func() (string, error) {
				m, err := s.Receive()
				return m.GetValue(), err
			},
			closeRequest: s.CloseRequest,
			close:        s.CloseResponse,
		}, returned
	case peer.ConnectV2:
		handler := h.v2(backend)
		server := connectv2.NewServer()
		chatv2.RegisterChatServiceHandler(server, v2Chat{func(ctx context.Context, s chatv2.ChatServiceChatServerStream) error {
			defer close(returned)
			return handler(ctx, s)
		}})
		mux := http.NewServeMux()
		connecthttp.Mount(mux, server)
		srv := tlsServer(t, mux)
		client := chatv2.NewChatServiceClient(connectv2.NewClient(connecthttp.NewTransport(srv.Client(), srv.URL)))
		s, err := client.Chat(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return handlerClient{
			send: func(v string) error { return s.Send(wrapperspb.String(v)) },
			recv: func() (string, error) {
				m, err := s.Receive()
				return m.GetValue(), err
			},
			closeRequest: s.CloseSend,
			close:        s.Close,
		}, returned
	default:
		handler := h.grpc(backend)
		lis, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		srv := grpc.NewServer()
		chatgrpc.RegisterChatServiceServer(srv, grpcChat{func(s grpc.BidiStreamingServer[handlers.Msg, handlers.Msg]) error {
			defer close(returned)
			return handler(s)
		}})
		served := make(chan struct{})
		go func() {
			defer close(served)
			_ = srv.Serve(lis)
		}()
		t.Cleanup(func() {
			srv.Stop()
			<-served
		})
		conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { conn.Close() })
		s, err := chatgrpc.NewChatServiceClient(conn).Chat(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return handlerClient{
			send: func(v string) error { return s.Send(wrapperspb.String(v)) },
			recv: func() (string, error) {
				m, err := s.Recv()
				return m.GetValue(), err
			},
			closeRequest: s.CloseSend,
		}, returned
	}
}

// tlsServer serves h over TLS HTTP/2 on 127.0.0.1 until the test ends.
func tlsServer(t *testing.T, h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	return srv
}

// v2Chat serves Chat with a connect-go v2 handler under test.
type v2Chat struct {
	chat func(context.Context, chatv2.ChatServiceChatServerStream) error
}

func (s v2Chat) Chat(ctx context.Context, stream chatv2.ChatServiceChatServerStream) error {
	return s.chat(ctx, stream)
}

func (v2Chat) Watch(context.Context, *chatv2.Msg, chatv2.ChatServiceWatchServerStream) error {
	return errors.New("unused")
}

func (v2Chat) Upload(context.Context, chatv2.ChatServiceUploadServerStream) (*chatv2.Msg, error) {
	return nil, errors.New("unused")
}
