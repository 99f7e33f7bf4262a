package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/peer"
)

// bidi is a client bidi stream of any library, reduced to what the facts
// need. close is the library's candidate for freeing a pending receive:
// CloseResponse (connect-go v1), Close (connect-go v2), CloseSend (grpc-go).
type bidi struct {
	send, recv, close func() error
}

func openBidi(t *testing.T, p *peer.Peer, lib peer.Lib, ctx context.Context) bidi {
	t.Helper()
	hi := wrapperspb.String("hi")
	switch lib {
	case peer.ConnectV1:
		s := p.ConnectV1.Chat.CallBidiStream(ctx)
		return bidi{
			send:  func() error { return s.Send(hi) },
			recv:  func() error { _, err := s.Receive(); return err },
			close: s.CloseResponse,
		}
	case peer.ConnectV2:
		s, err := p.ConnectV2.Chat(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return bidi{
			send:  func() error { return s.Send(hi) },
			recv:  func() error { _, err := s.Receive(); return err },
			close: s.Close,
		}
	default:
		s, err := p.GRPC.Chat(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return bidi{
			send:  func() error { return s.Send(hi) },
			recv:  func() error { _, err := s.Recv(); return err },
			close: s.CloseSend,
		}
	}
}

// What is done to a stream whose Receive is pending.
type action string

const (
	cancelCtx      action = "cancel"       // cancel the context the stream was opened with
	closeStream    action = "close"        // the library's close (see bidi)
	cancelAndClose action = "cancel+close" // both, in that order
)

// A pendingReceiveFact says whether an action frees a Receive pending on a
// bidi stream, before or after the response headers arrived (the handler
// sent a first message, which the client received). The request side is
// left open, as it is while a send task is still running or has failed.
type pendingReceiveFact struct {
	lib     peer.Lib
	headers bool
	action  action
	// frees: the pending Receive returns (with an error) promptly.
	frees bool
	// closeBlocks: the close call itself blocks.
	closeBlocks bool
}

// pendingReceiveFacts are the facts observed with connect-go v1.21.1,
// connect-go v2.0.2 and grpc-go v1.85.0 on Go 1.26. Differences from
// SPEC section 2 are marked.
var pendingReceiveFacts = []pendingReceiveFact{
	{peer.ConnectV1, false, cancelCtx, true, false},
	{peer.ConnectV1, false, closeStream, false, true}, // CloseResponse waits for the headers
	{peer.ConnectV1, false, cancelAndClose, true, false},
	// SPEC section 1 assumes cancelling frees a Receive; not once the
	// headers arrived while the request side is open: net/http's HTTP/2
	// client only watches the context after it has written the whole
	// request body.
	{peer.ConnectV1, true, cancelCtx, false, false},
	{peer.ConnectV1, true, closeStream, true, false},
	{peer.ConnectV1, true, cancelAndClose, true, false},

	{peer.ConnectV2, false, cancelCtx, true, false},
	// SPEC section 2 says Close frees a pending Receive: not before the
	// headers, where Close (CloseRequest then CloseResponse) waits for them
	// like v1's CloseResponse.
	{peer.ConnectV2, false, closeStream, false, true},
	{peer.ConnectV2, false, cancelAndClose, true, false},
	{peer.ConnectV2, true, cancelCtx, false, false}, // as for v1
	{peer.ConnectV2, true, closeStream, true, false},
	{peer.ConnectV2, true, cancelAndClose, true, false},

	{peer.GRPC, false, cancelCtx, true, false},
	{peer.GRPC, false, closeStream, false, false}, // CloseSend half-closes only
	{peer.GRPC, true, cancelCtx, true, false},
	{peer.GRPC, true, closeStream, false, false},
}

func (f pendingReceiveFact) String() string {
	when := "before-headers"
	if f.headers {
		when = "after-headers"
	}
	return fmt.Sprintf("%s/%s/%s", f.lib, when, f.action)
}

// TestPendingReceive checks each fact of pendingReceiveFacts against a
// real server that holds the stream and sends nothing more.
func TestPendingReceive(t *testing.T) {
	for _, f := range pendingReceiveFacts {
		t.Run(f.String(), func(t *testing.T) {
			t.Parallel()
			checkPendingReceive(t, f)
		})
	}
}

func checkPendingReceive(t *testing.T, f pendingReceiveFact) {
	p := startPeer(t, f.lib, peer.Options{SendFirst: f.headers})
	ctx, cancel := newCtx(t)
	s := openBidi(t, p, f.lib, ctx)
	if err := s.send(); err != nil {
		t.Fatalf("Send: %v", err)
	}
	if !p.WaitHeld(1, 5*time.Second) {
		t.Fatal("the server never held the stream")
	}
	if f.headers {
		if err := s.recv(); err != nil {
			t.Fatalf("first Receive: %v", err)
		}
	}
	recv := start(s.recv)
	if recv.returnsWithin(settle) {
		t.Fatalf("Receive returned at once: %v", recv.err)
	}
	// Whatever happens, unblock everything before the peer is closed.
	defer func() {
		cancel()
		go s.close()
		if !recv.returnsWithin(2 * time.Second) {
			t.Error("Receive still blocked after cancel and close")
		}
	}()

	var closing *call
	if f.action == cancelCtx || f.action == cancelAndClose {
		cancel()
	}
	if f.action == closeStream || f.action == cancelAndClose {
		closing = start(s.close)
	}
	bound := prompt
	if !f.frees {
		bound = hangBound
	}
	freed := recv.returnsWithin(bound)
	switch {
	case freed != f.frees:
		t.Errorf("%s: the pending Receive freed=%v within %v, want %v", f, freed, bound, f.frees)
	case freed && recv.err == nil:
		t.Errorf("%s: the pending Receive returned no error", f)
	case freed:
		t.Logf("%s: Receive returned %v", f, recv.err)
	}
	if closing != nil && f.action == closeStream {
		if blocks := !closing.returnsWithin(settle); blocks != f.closeBlocks {
			t.Errorf("%s: the close call blocked=%v, want %v", f, blocks, f.closeBlocks)
		}
	}
}

// TestConnectServerStreamOpenWaitsForHeaders: connect-go's call that opens
// a server stream (v1 CallServerStream, v2 CallServerStream behind Watch)
// does not return until the response headers arrive, so against a silent
// handler the hang comes before any errgroup exists. grpc-go's returns at
// once. (This is why the peers' Watch handlers send a snapshot.)
func TestConnectServerStreamOpenWaitsForHeaders(t *testing.T) {
	opens := map[peer.Lib]func(context.Context, *peer.Peer) error{
		peer.ConnectV1: func(ctx context.Context, p *peer.Peer) error {
			_, err := p.ConnectV1.Watch.CallServerStream(ctx, connect.NewRequest(wrapperspb.String("updates")))
			return err
		},
		peer.ConnectV2: func(ctx context.Context, p *peer.Peer) error {
			_, err := p.ConnectV2.Watch(ctx, wrapperspb.String("updates"))
			return err
		},
		peer.GRPC: func(ctx context.Context, p *peer.Peer) error {
			_, err := p.GRPC.Watch(ctx, wrapperspb.String("updates"))
			return err
		},
	}
	for lib, open := range opens {
		t.Run(string(lib), func(t *testing.T) {
			t.Parallel()
			p := startPeer(t, lib, peer.Options{SilentWatch: true})
			ctx, cancel := newCtx(t)
			opening := start(func() error { return open(ctx, p) })
			if !p.WaitHeld(1, 5*time.Second) {
				t.Fatal("the server never held the stream")
			}
			returned := opening.returnsWithin(hangBound)
			if want := lib == peer.GRPC; returned != want {
				t.Errorf("opening a server stream returned=%v within %v, want %v", returned, hangBound, want)
			}
			cancel()
			if !opening.returnsWithin(prompt) {
				t.Error("opening a server stream did not return after cancel")
			}
		})
	}
}
