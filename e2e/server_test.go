package e2e

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
	"github.com/bidictxlint/bidictxlint/e2e/handlers"
	"github.com/bidictxlint/bidictxlint/e2e/peer"
)

// failingBackend fails as soon as the handler starts it, and records
// that it did.
func failingBackend(failed chan<- struct{}) handlers.Backend {
	return func(context.Context) error {
		close(failed)
		return handlers.ErrBackend
	}
}

// serverCase is one handler under test and how to call it: open starts
// the client side of a bidi stream that keeps its request side open and
// sends nothing, and returns a function that waits for the handler's
// answer (the error the client sees).
type serverCase struct {
	name    string
	buggy   bool
	connect func(handlers.Backend) func(context.Context, *connect.BidiStream[handlers.Msg, handlers.Msg]) error
	grpc    func(handlers.Backend) func(grpc.BidiStreamingServer[handlers.Msg, handlers.Msg]) error
}

var serverCases = []serverCase{
	{name: "connectv1/buggy", buggy: true, connect: handlers.BuggyConnect},
	{name: "connectv1/restructured", connect: handlers.RestructuredConnect},
	{name: "grpcgo/buggy", buggy: true, grpc: handlers.BuggyGRPC},
	{name: "grpcgo/restructured", grpc: handlers.RestructuredGRPC},
}

// TestHandlers shows the handler finding at run time. The client opens a bidi
// stream and keeps it open without sending; the handler's backend task
// fails at once. The buggy handler stays in g.Wait() (its receive task
// waits for the client) and the client hears nothing within the bound;
// the restructured handler returns, and the client sees the backend's
// error promptly. Hanging up (cancelling the client) ends the buggy one,
// because it has sent nothing: once a handler has answered, a connect-go
// client's cancel no longer reaches it (TestServerFacts, TestJoinHandlers).
func TestHandlers(t *testing.T) {
	for _, c := range serverCases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			failed := make(chan struct{})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			answer := c.start(t, ctx, failingBackend(failed))
			select {
			case <-failed:
			case <-time.After(hangBound):
				t.Fatal("the handler's backend task never ran")
			}
			call := start(answer)
			if c.buggy {
				if call.returnsWithin(hangBound) {
					t.Fatalf("the buggy handler answered (%v) while the client kept the stream open", call.err)
				}
				cancel() // the client hangs up: that ends the handler
				if !call.returnsWithin(prompt) {
					t.Fatal("the buggy handler did not end when the client hung up")
				}
				return
			}
			if !call.returnsWithin(prompt) {
				t.Fatalf("the restructured handler did not answer within %v of the task's failure", prompt)
			}
			if call.err == nil || !strings.Contains(call.err.Error(), handlers.ErrBackend.Error()) {
				t.Errorf("the client saw %v, want the backend's error", call.err)
			}
		})
	}
}

// start serves the case's handler on 127.0.0.1, opens a bidi stream to
// it and returns a function that waits for the handler's answer.
func (c serverCase) start(t *testing.T, ctx context.Context, backend handlers.Backend) func() error {
	t.Helper()
	if c.connect != nil {
		mux := http.NewServeMux()
		mux.Handle(peer.ChatProcedure, connect.NewBidiStreamHandler(peer.ChatProcedure, c.connect(backend)))
		srv := httptest.NewUnstartedServer(mux)
		srv.EnableHTTP2 = true
		srv.StartTLS()
		t.Cleanup(srv.Close)
		client := connect.NewClient[handlers.Msg, handlers.Msg](srv.Client(), srv.URL+peer.ChatProcedure)
		stream := client.CallBidiStream(ctx)
		if err := stream.Send(nil); err != nil { // opens the stream: the headers go out
			t.Fatalf("opening the stream: %v", err)
		}
		return func() error { _, err := stream.Receive(); return err }
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := grpc.NewServer()
	chatgrpc.RegisterChatServiceServer(srv, grpcChat{c.grpc(backend)})
	go srv.Serve(lis)
	t.Cleanup(srv.Stop)
	conn, err := grpc.NewClient(lis.Addr().String(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	stream, err := chatgrpc.NewChatServiceClient(conn).Chat(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return func() error { _, err := stream.Recv(); return err }
}

// grpcChat serves Chat with a handler under test.
type grpcChat struct {
	chat func(grpc.BidiStreamingServer[handlers.Msg, handlers.Msg]) error
}

func (s grpcChat) Chat(stream grpc.BidiStreamingServer[handlers.Msg, handlers.Msg]) error {
	return s.chat(stream)
}

func (grpcChat) Watch(*handlers.Msg, grpc.ServerStreamingServer[handlers.Msg]) error {
	return errors.New("unused")
}

func (grpcChat) Upload(grpc.ClientStreamingServer[handlers.Msg, handlers.Msg]) error {
	return errors.New("unused")
}

// TestAnalyzerReportsHandlers: bidictxlint reports the two buggy handlers
// and not the restructured ones.
func TestAnalyzerReportsHandlers(t *testing.T) {
	out, err := run(".", buildTool(t), "./handlers")
	if err == nil {
		t.Fatalf("bidictxlint reported nothing on the handlers:\n%s", out)
	}
	text := err.Error() // the diagnostics, on standard error
	for _, want := range []string{"stream.Receive in an errgroup task blocks until the client sends or hangs up", "stream.Recv in an errgroup task blocks until the client sends or hangs up"} {
		if strings.Count(text, want) != 1 {
			t.Errorf("want one %q in:\n%s", want, text)
		}
	}
}

// TestAnalyzerReportsJoinHandlers: bidictxlint reports each of the nine
// handlers that join their own receive after they have failed (a
// sync.WaitGroup, a conc group, a channel), and none of their
// restructured twins.
func TestAnalyzerReportsJoinHandlers(t *testing.T) {
	out, err := run(".", buildTool(t), "./handlers/joins")
	if err == nil {
		t.Fatalf("bidictxlint reported nothing on the join handlers:\n%s", out)
	}
	text := err.Error()
	if n := strings.Count(text, "blocks until the client sends or hangs up"); n != 9 {
		t.Errorf("%d findings, want one per buggy handler (9):\n%s", n, text)
	}
	for _, line := range strings.Split(text, "\n") {
		if strings.Contains(line, "blocks until the client sends") && !strings.Contains(line, "after it has failed") {
			t.Errorf("a join handler's finding that does not say it waits after failing: %s", line)
		}
	}
}
