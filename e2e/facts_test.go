package e2e

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"connectrpc.com/connect"
	connectv2 "connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/peer"
)

// The facts table: what frees a call that waits on a client stream, for
// every library, stream kind, peer state, action and transport, measured
// against real servers on 127.0.0.1 that never end a stream on their own
// (peer.Options.IgnoreDeadline: they hold it past the client's deadline
// too, so that only the client can end the wait). The rules of
// docs/rules.md rest on these rows: a library or Go version that changes
// one fails TestFacts.
//
// Run it alone with `go -C e2e test -run Facts -count=1 ./...`.

// streamKind is the kind of RPC.
type streamKind string

const (
	bidiStream   streamKind = "bidi"
	serverStream streamKind = "server-stream"
	clientStream streamKind = "client-stream"
)

// pendingOp is the call that waits.
type pendingOp string

const (
	// opOpen: opening a server stream (connect-go's call sends the
	// request and waits for the response headers).
	opOpen pendingOp = "open"
	// opReceive: Receive (Recv) on a bidi or server stream.
	opReceive pendingOp = "receive"
	// opSend: a Send blocked by flow control (the server never reads);
	// the client sends 1 MiB messages until one blocks.
	opSend pendingOp = "send"
	// opCloseAndReceive: CloseAndReceive on a client stream.
	opCloseAndReceive pendingOp = "close-and-receive"
)

// peerState is how far the server has answered when the action is taken.
type peerState string

const (
	// noHeaders: the server holds the stream and has sent nothing.
	noHeaders peerState = "no-headers"
	// answered: the response headers have arrived (for a receive, with a
	// first message the client received; for a send or a
	// CloseAndReceive, flushed alone: v1 Send(nil), v2 SendHeaders,
	// grpc-go SendHeader) and the request side is open.
	answered peerState = "answered"
	// answeredClosed: the request side is closed (CloseRequest, or a
	// server stream, whose request closes when the call returns) and the
	// server has sent a first message, which the client received.
	answeredClosed peerState = "answered-closed"
)

// factAction is what is done to the stream while the call waits.
type factAction string

const (
	// actCancel cancels the context the stream was opened with.
	actCancel factAction = "cancel"
	// actClose is the library's close of the response side: v1
	// CloseResponse (a server stream's Close, a client stream's
	// Conn().CloseResponse()), v2 Close. grpc-go has none.
	actClose factAction = "close"
	// actCancelClose cancels, then closes.
	actCancelClose factAction = "cancel+close"
	// actCloseRequest closes the request side: v1 CloseRequest (a client
	// stream's through Conn()), v2 CloseSend, grpc-go CloseSend.
	actCloseRequest factAction = "close-request"
	// actCloseRequestCancel closes the request side, then cancels.
	actCloseRequestCancel factAction = "close-request+cancel"
	// actDeadline lets the deadline of the stream's context expire
	// (context.WithTimeout at the opening).
	actDeadline factAction = "deadline"
)

// A fact is one row of the table. It holds for every transport of its
// library (peer.Transports for connect-go; grpc-go has its own).
type fact struct {
	lib    peer.Lib
	kind   streamKind
	op     pendingOp
	state  peerState
	action factAction
	// frees: the waiting call returns, with an error, within
	// factHangBound of the action (of the deadline); otherwise it stays
	// blocked for that long. (Freed calls return in milliseconds.)
	frees bool
	// actionBlocks: the action's own calls (a close) do not return within
	// settle.
	actionBlocks bool
}

func (f fact) String() string {
	return fmt.Sprintf("%s/%s/%s/%s/%s", f.lib, f.kind, f.op, f.state, f.action)
}

// Bounds of the facts, shorter than hangBound so that the table stays fast.
const (
	factHangBound = time.Second
	// deadlineAfter is the deadline of actDeadline rows, counted from the
	// opening; the call must be waiting before it expires.
	deadlineAfter     = 4 * time.Second
	deadlineAfterSend = 6 * time.Second
	// quiet is how long the server must read nothing, while a Send
	// waits, for the Send to count as blocked by flow control.
	quiet = 300 * time.Millisecond
	// sendAttempts is how many runs in a row a waiting Send must be freed
	// in for a row that says it waits to fail (see checkFact).
	sendAttempts = 3
	// setupBound bounds each step of a row's setup.
	setupBound = 5 * time.Second
)

// stalled reports whether the call is still waiting once the server has
// read nothing from its connection for quiet (within setupBound).
func stalled(p *peer.Peer, sending *call) bool {
	deadline := time.Now().Add(setupBound)
	for time.Now().Before(deadline) {
		before := p.Received()
		if sending.returnsWithin(quiet) {
			return false
		}
		if p.Received() == before {
			return true
		}
	}
	return false
}

// facts is the table, as measured with connect-go v1.21.1, connect-go
// v2.0.2 and grpc-go v1.85.0 on Go 1.26, on 2 cores, over every transport.
// Rows that are absent do not apply (see factApplies).
var facts = []fact{
	// connect-go v1, bidi, pending Receive.
	{peer.ConnectV1, bidiStream, opReceive, noHeaders, actCancel, true, false},
	{peer.ConnectV1, bidiStream, opReceive, noHeaders, actClose, false, true}, // CloseResponse waits for the headers
	{peer.ConnectV1, bidiStream, opReceive, noHeaders, actCancelClose, true, false},
	{peer.ConnectV1, bidiStream, opReceive, noHeaders, actCloseRequest, false, false},
	{peer.ConnectV1, bidiStream, opReceive, noHeaders, actCloseRequestCancel, true, false},
	{peer.ConnectV1, bidiStream, opReceive, noHeaders, actDeadline, true, false}, // watched, like the cancel, while the headers are awaited
	// The finding: once the server has answered and while the request side
	// is open, cancelling frees nothing (Go's HTTP/2 clients watch the
	// request context only once the request body is written), nor does the
	// deadline. Closing does, and so does closing the request side first.
	{peer.ConnectV1, bidiStream, opReceive, answered, actCancel, false, false},
	{peer.ConnectV1, bidiStream, opReceive, answered, actClose, true, false},
	{peer.ConnectV1, bidiStream, opReceive, answered, actCancelClose, true, false},
	{peer.ConnectV1, bidiStream, opReceive, answered, actCloseRequest, false, false},
	{peer.ConnectV1, bidiStream, opReceive, answered, actCloseRequestCancel, true, false},
	{peer.ConnectV1, bidiStream, opReceive, answered, actDeadline, false, false},
	{peer.ConnectV1, bidiStream, opReceive, answeredClosed, actCancel, true, false},
	{peer.ConnectV1, bidiStream, opReceive, answeredClosed, actClose, true, false},
	{peer.ConnectV1, bidiStream, opReceive, answeredClosed, actCancelClose, true, false},
	{peer.ConnectV1, bidiStream, opReceive, answeredClosed, actDeadline, true, false},
	// connect-go v1, bidi, Send blocked by flow control.
	{peer.ConnectV1, bidiStream, opSend, noHeaders, actCancel, true, false},
	{peer.ConnectV1, bidiStream, opSend, noHeaders, actClose, false, true},
	{peer.ConnectV1, bidiStream, opSend, noHeaders, actCancelClose, true, false},
	{peer.ConnectV1, bidiStream, opSend, noHeaders, actCloseRequest, true, false},
	{peer.ConnectV1, bidiStream, opSend, noHeaders, actCloseRequestCancel, true, false},
	{peer.ConnectV1, bidiStream, opSend, noHeaders, actDeadline, true, false},
	{peer.ConnectV1, bidiStream, opSend, answered, actCancel, false, false},
	{peer.ConnectV1, bidiStream, opSend, answered, actClose, true, false},
	{peer.ConnectV1, bidiStream, opSend, answered, actCancelClose, true, false},
	{peer.ConnectV1, bidiStream, opSend, answered, actCloseRequest, true, false},
	{peer.ConnectV1, bidiStream, opSend, answered, actCloseRequestCancel, true, false},
	{peer.ConnectV1, bidiStream, opSend, answered, actDeadline, false, false},
	// connect-go v1, server stream: opening waits for the headers.
	{peer.ConnectV1, serverStream, opOpen, noHeaders, actCancel, true, false},
	{peer.ConnectV1, serverStream, opOpen, noHeaders, actDeadline, true, false},
	{peer.ConnectV1, serverStream, opReceive, answeredClosed, actCancel, true, false},
	{peer.ConnectV1, serverStream, opReceive, answeredClosed, actClose, true, false},
	{peer.ConnectV1, serverStream, opReceive, answeredClosed, actCancelClose, true, false},
	{peer.ConnectV1, serverStream, opReceive, answeredClosed, actDeadline, true, false},
	// connect-go v1, client stream.
	{peer.ConnectV1, clientStream, opSend, noHeaders, actCancel, true, false},
	{peer.ConnectV1, clientStream, opSend, noHeaders, actClose, false, true},
	{peer.ConnectV1, clientStream, opSend, noHeaders, actCancelClose, true, false},
	{peer.ConnectV1, clientStream, opSend, noHeaders, actCloseRequest, true, false},
	{peer.ConnectV1, clientStream, opSend, noHeaders, actCloseRequestCancel, true, false},
	{peer.ConnectV1, clientStream, opSend, noHeaders, actDeadline, true, false},
	{peer.ConnectV1, clientStream, opSend, answered, actCancel, false, false},
	{peer.ConnectV1, clientStream, opSend, answered, actClose, true, false},
	{peer.ConnectV1, clientStream, opSend, answered, actCancelClose, true, false},
	{peer.ConnectV1, clientStream, opSend, answered, actCloseRequest, true, false},
	{peer.ConnectV1, clientStream, opSend, answered, actCloseRequestCancel, true, false},
	{peer.ConnectV1, clientStream, opSend, answered, actDeadline, false, false},
	{peer.ConnectV1, clientStream, opCloseAndReceive, noHeaders, actCancel, true, false},
	{peer.ConnectV1, clientStream, opCloseAndReceive, noHeaders, actClose, false, true},
	{peer.ConnectV1, clientStream, opCloseAndReceive, noHeaders, actCancelClose, true, false},
	{peer.ConnectV1, clientStream, opCloseAndReceive, noHeaders, actDeadline, true, false},
	{peer.ConnectV1, clientStream, opCloseAndReceive, answered, actCancel, true, false},
	{peer.ConnectV1, clientStream, opCloseAndReceive, answered, actClose, true, false},
	{peer.ConnectV1, clientStream, opCloseAndReceive, answered, actCancelClose, true, false},
	{peer.ConnectV1, clientStream, opCloseAndReceive, answered, actDeadline, true, false},

	// connect-go v2, bidi, pending Receive.
	{peer.ConnectV2, bidiStream, opReceive, noHeaders, actCancel, true, false},
	{peer.ConnectV2, bidiStream, opReceive, noHeaders, actClose, false, true}, // Close waits for the headers
	{peer.ConnectV2, bidiStream, opReceive, noHeaders, actCancelClose, true, false},
	{peer.ConnectV2, bidiStream, opReceive, noHeaders, actCloseRequest, false, false},
	{peer.ConnectV2, bidiStream, opReceive, noHeaders, actCloseRequestCancel, true, false},
	{peer.ConnectV2, bidiStream, opReceive, noHeaders, actDeadline, true, false},
	{peer.ConnectV2, bidiStream, opReceive, answered, actCancel, false, false},
	{peer.ConnectV2, bidiStream, opReceive, answered, actClose, true, false},
	{peer.ConnectV2, bidiStream, opReceive, answered, actCancelClose, true, false},
	{peer.ConnectV2, bidiStream, opReceive, answered, actCloseRequest, false, false},
	{peer.ConnectV2, bidiStream, opReceive, answered, actCloseRequestCancel, true, false},
	{peer.ConnectV2, bidiStream, opReceive, answered, actDeadline, false, false},
	{peer.ConnectV2, bidiStream, opReceive, answeredClosed, actCancel, true, false},
	{peer.ConnectV2, bidiStream, opReceive, answeredClosed, actClose, true, false},
	{peer.ConnectV2, bidiStream, opReceive, answeredClosed, actCancelClose, true, false},
	{peer.ConnectV2, bidiStream, opReceive, answeredClosed, actDeadline, true, false},
	// connect-go v2, bidi, Send blocked by flow control.
	{peer.ConnectV2, bidiStream, opSend, noHeaders, actCancel, true, false},
	{peer.ConnectV2, bidiStream, opSend, noHeaders, actClose, true, true}, // Close closes the request side first, which frees the Send, then waits for the headers
	{peer.ConnectV2, bidiStream, opSend, noHeaders, actCancelClose, true, false},
	{peer.ConnectV2, bidiStream, opSend, noHeaders, actCloseRequest, true, false},
	{peer.ConnectV2, bidiStream, opSend, noHeaders, actCloseRequestCancel, true, false},
	{peer.ConnectV2, bidiStream, opSend, noHeaders, actDeadline, true, false},
	{peer.ConnectV2, bidiStream, opSend, answered, actCancel, false, false},
	{peer.ConnectV2, bidiStream, opSend, answered, actClose, true, false},
	{peer.ConnectV2, bidiStream, opSend, answered, actCancelClose, true, false},
	{peer.ConnectV2, bidiStream, opSend, answered, actCloseRequest, true, false},
	{peer.ConnectV2, bidiStream, opSend, answered, actCloseRequestCancel, true, false},
	{peer.ConnectV2, bidiStream, opSend, answered, actDeadline, false, false},
	// connect-go v2, server stream.
	{peer.ConnectV2, serverStream, opOpen, noHeaders, actCancel, true, false},
	{peer.ConnectV2, serverStream, opOpen, noHeaders, actDeadline, true, false},
	{peer.ConnectV2, serverStream, opReceive, answeredClosed, actCancel, true, false},
	{peer.ConnectV2, serverStream, opReceive, answeredClosed, actClose, true, false},
	{peer.ConnectV2, serverStream, opReceive, answeredClosed, actCancelClose, true, false},
	{peer.ConnectV2, serverStream, opReceive, answeredClosed, actDeadline, true, false},
	// connect-go v2, client stream.
	{peer.ConnectV2, clientStream, opSend, noHeaders, actCancel, true, false},
	{peer.ConnectV2, clientStream, opSend, noHeaders, actClose, true, true}, // Close closes the request side first, which frees the Send, then waits for the headers
	{peer.ConnectV2, clientStream, opSend, noHeaders, actCancelClose, true, false},
	{peer.ConnectV2, clientStream, opSend, noHeaders, actCloseRequest, true, false},
	{peer.ConnectV2, clientStream, opSend, noHeaders, actCloseRequestCancel, true, false},
	{peer.ConnectV2, clientStream, opSend, noHeaders, actDeadline, true, false},
	{peer.ConnectV2, clientStream, opSend, answered, actCancel, false, false},
	{peer.ConnectV2, clientStream, opSend, answered, actClose, true, false},
	{peer.ConnectV2, clientStream, opSend, answered, actCancelClose, true, false},
	{peer.ConnectV2, clientStream, opSend, answered, actCloseRequest, true, false},
	{peer.ConnectV2, clientStream, opSend, answered, actCloseRequestCancel, true, false},
	{peer.ConnectV2, clientStream, opSend, answered, actDeadline, false, false},
	{peer.ConnectV2, clientStream, opCloseAndReceive, noHeaders, actCancel, true, false},
	{peer.ConnectV2, clientStream, opCloseAndReceive, noHeaders, actClose, false, true},
	{peer.ConnectV2, clientStream, opCloseAndReceive, noHeaders, actCancelClose, true, false},
	{peer.ConnectV2, clientStream, opCloseAndReceive, noHeaders, actDeadline, true, false},
	{peer.ConnectV2, clientStream, opCloseAndReceive, answered, actCancel, true, false},
	{peer.ConnectV2, clientStream, opCloseAndReceive, answered, actClose, true, false},
	{peer.ConnectV2, clientStream, opCloseAndReceive, answered, actCancelClose, true, false},
	{peer.ConnectV2, clientStream, opCloseAndReceive, answered, actDeadline, true, false},

	// grpc-go (its own HTTP/2 transport): the cancel and the deadline free
	// every wait; CloseSend never frees a Recv.
	{peer.GRPC, bidiStream, opReceive, noHeaders, actCancel, true, false},
	{peer.GRPC, bidiStream, opReceive, noHeaders, actCloseRequest, false, false},
	{peer.GRPC, bidiStream, opReceive, noHeaders, actCloseRequestCancel, true, false},
	{peer.GRPC, bidiStream, opReceive, noHeaders, actDeadline, true, false},
	{peer.GRPC, bidiStream, opReceive, answered, actCancel, true, false},
	{peer.GRPC, bidiStream, opReceive, answered, actCloseRequest, false, false},
	{peer.GRPC, bidiStream, opReceive, answered, actCloseRequestCancel, true, false},
	{peer.GRPC, bidiStream, opReceive, answered, actDeadline, true, false},
	{peer.GRPC, bidiStream, opReceive, answeredClosed, actCancel, true, false},
	{peer.GRPC, bidiStream, opReceive, answeredClosed, actDeadline, true, false},
	{peer.GRPC, bidiStream, opSend, noHeaders, actCancel, true, false},
	{peer.GRPC, bidiStream, opSend, noHeaders, actCloseRequest, false, false},
	{peer.GRPC, bidiStream, opSend, noHeaders, actCloseRequestCancel, true, false},
	{peer.GRPC, bidiStream, opSend, noHeaders, actDeadline, true, false},
	{peer.GRPC, bidiStream, opSend, answered, actCancel, true, false},
	{peer.GRPC, bidiStream, opSend, answered, actCloseRequest, false, false},
	{peer.GRPC, bidiStream, opSend, answered, actCloseRequestCancel, true, false},
	{peer.GRPC, bidiStream, opSend, answered, actDeadline, true, false},
	{peer.GRPC, serverStream, opReceive, noHeaders, actCancel, true, false},
	{peer.GRPC, serverStream, opReceive, noHeaders, actDeadline, true, false},
	{peer.GRPC, serverStream, opReceive, answeredClosed, actCancel, true, false},
	{peer.GRPC, serverStream, opReceive, answeredClosed, actDeadline, true, false},
	{peer.GRPC, clientStream, opSend, noHeaders, actCancel, true, false},
	{peer.GRPC, clientStream, opSend, noHeaders, actCloseRequest, false, false},
	{peer.GRPC, clientStream, opSend, noHeaders, actCloseRequestCancel, true, false},
	{peer.GRPC, clientStream, opSend, noHeaders, actDeadline, true, false},
	{peer.GRPC, clientStream, opSend, answered, actCancel, true, false},
	{peer.GRPC, clientStream, opSend, answered, actCloseRequest, false, false},
	{peer.GRPC, clientStream, opSend, answered, actCloseRequestCancel, true, false},
	{peer.GRPC, clientStream, opSend, answered, actDeadline, true, false},
	{peer.GRPC, clientStream, opCloseAndReceive, noHeaders, actCancel, true, false},
	{peer.GRPC, clientStream, opCloseAndReceive, noHeaders, actDeadline, true, false},
	{peer.GRPC, clientStream, opCloseAndReceive, answered, actCancel, true, false},
	{peer.GRPC, clientStream, opCloseAndReceive, answered, actDeadline, true, false},
}

// factApplies says whether a combination is a row of the table, and why
// not when it is not.
func factApplies(lib peer.Lib, kind streamKind, op pendingOp, state peerState, action factAction) (bool, string) {
	connect := lib != peer.GRPC
	switch {
	case op == opOpen && (kind != serverStream || !connect || state != noHeaders):
		return false, "only connect-go's opening of a server stream waits (for the headers); every other opening returns at once"
	case kind == serverStream && state == answered:
		return false, "a server stream's request side is closed when the call returns"
	case kind == serverStream && connect && op == opReceive && state == noHeaders:
		return false, "connect-go returns a server stream only once the headers arrived: the wait is the opening (op open)"
	case kind == serverStream && op != opReceive && op != opOpen:
		return false, "a server stream has nothing to send"
	case kind == clientStream && op != opSend && op != opCloseAndReceive:
		return false, "a client stream receives through CloseAndReceive"
	case kind != clientStream && op == opCloseAndReceive:
		return false, "CloseAndReceive is a client stream's"
	case kind == clientStream && state == answeredClosed:
		return false, "a client stream's closed request side is CloseAndReceive (state answered)"
	case op == opSend && state == answeredClosed:
		return false, "nothing can be sent once the request side is closed"
	case !connect && (action == actClose || action == actCancelClose):
		return false, "grpc-go has no close of the response side (cancelling is its close)"
	case (action == actCloseRequest || action == actCloseRequestCancel) &&
		(kind == serverStream || state == answeredClosed || op == opCloseAndReceive || op == opOpen):
		return false, "the request side is already closed"
	case op == opOpen && action != actCancel && action != actDeadline:
		return false, "there is no stream to close while it is being opened"
	}
	return true, ""
}

var (
	allLibs    = []peer.Lib{peer.ConnectV1, peer.ConnectV2, peer.GRPC}
	allKinds   = []streamKind{bidiStream, serverStream, clientStream}
	allOps     = []pendingOp{opOpen, opReceive, opSend, opCloseAndReceive}
	allStates  = []peerState{noHeaders, answered, answeredClosed}
	allActions = []factAction{actCancel, actClose, actCancelClose, actCloseRequest, actCloseRequestCancel, actDeadline}
)

// TestFactsTableComplete: the table has exactly one row per combination
// that applies.
func TestFactsTableComplete(t *testing.T) {
	rows := map[string]int{}
	for _, f := range facts {
		rows[f.String()]++
		if ok, why := factApplies(f.lib, f.kind, f.op, f.state, f.action); !ok {
			t.Errorf("%s: a row for a combination that does not apply: %s", f, why)
		}
	}
	for _, lib := range allLibs {
		for _, kind := range allKinds {
			for _, op := range allOps {
				for _, state := range allStates {
					for _, action := range allActions {
						if ok, _ := factApplies(lib, kind, op, state, action); !ok {
							continue
						}
						name := fact{lib: lib, kind: kind, op: op, state: state, action: action}.String()
						if n := rows[name]; n != 1 {
							t.Errorf("%s: %d rows, want 1", name, n)
						}
					}
				}
			}
		}
	}
}

// TestFacts checks every row of the table on every transport of its
// library, each a bounded subtest against a server of its own. grpc-go
// runs over its own HTTP/2 transport (plain TCP): TLS changes nothing in
// how it watches a context, so it is not a dimension there.
func TestFacts(t *testing.T) {
	for _, f := range facts {
		transports := peer.Transports
		if f.lib == peer.GRPC {
			transports = []peer.Transport{"grpc"}
		}
		for _, tr := range transports {
			t.Run(f.String()+"/"+string(tr), func(t *testing.T) {
				t.Parallel()
				for attempt := 1; checkFact(t, f, tr, attempt < sendAttempts); attempt++ {
				}
			})
		}
	}
}

// big is the message a flow-controlled sender sends.
var big = wrapperspb.String(strings.Repeat("x", 1<<20))

// maxSends bounds how many big messages a sender sends before one blocks
// (grpc-go's windows grow to 16 MiB).
const maxSends = 64

// factStream is a client stream of any library and kind, reduced to what
// the facts need; a nil func is a call the stream does not have.
type factStream struct {
	sendSmall, sendBig func() error
	recv               func() error
	closeAndReceive    func() error
	closeRequest       func() error
	close              func() error
	// headers waits for the response headers to arrive.
	headers func() error
}

// openFactStream opens a stream of kind on p (for a connect-go server
// stream, this waits for the headers).
func openFactStream(ctx context.Context, p *peer.Peer, lib peer.Lib, kind streamKind) (factStream, error) {
	small := wrapperspb.String("hi")
	switch lib {
	case peer.ConnectV1:
		switch kind {
		case bidiStream:
			s := p.ConnectV1.Chat.CallBidiStream(ctx)
			return factStream{
				sendSmall:    func() error { return s.Send(small) },
				sendBig:      func() error { return s.Send(big) },
				recv:         func() error { _, err := s.Receive(); return err },
				closeRequest: s.CloseRequest,
				close:        s.CloseResponse,
				headers:      func() error { s.ResponseHeader(); return nil },
			}, nil
		case serverStream:
			s, err := p.ConnectV1.Watch.CallServerStream(ctx, connect.NewRequest(small))
			if err != nil {
				return factStream{}, err
			}
			return factStream{
				recv:  func() error { return v1ServerReceive(s.Receive, s.Err) },
				close: s.Close,
			}, nil
		default:
			s := p.ConnectV1.Upload.CallClientStream(ctx)
			conn, err := s.Conn()
			if err != nil {
				return factStream{}, err
			}
			return factStream{
				sendSmall:       func() error { return s.Send(small) },
				sendBig:         func() error { return s.Send(big) },
				closeAndReceive: func() error { _, err := s.CloseAndReceive(); return err },
				closeRequest:    conn.CloseRequest,
				close:           conn.CloseResponse,
				headers:         func() error { conn.ResponseHeader(); return nil },
			}, nil
		}
	case peer.ConnectV2:
		// The v2 client has no call that waits for the headers: watch the
		// transport's record of the response instead.
		ctx, _ := connectv2.NewClientContext(ctx)
		var s connectv2.ClientStream
		var err error
		switch kind {
		case bidiStream:
			s, err = p.ConnectV2Client.CallClientStream(ctx, connectv2.Spec{StreamType: connectv2.StreamTypeBidi, Procedure: peer.ChatProcedure})
		case serverStream:
			s, err = p.ConnectV2Client.CallServerStream(ctx, connectv2.Spec{StreamType: connectv2.StreamTypeServer, Procedure: peer.WatchProcedure}, small)
		default:
			s, err = p.ConnectV2Client.CallClientStream(ctx, connectv2.Spec{StreamType: connectv2.StreamTypeClient, Procedure: peer.UploadProcedure})
		}
		if err != nil {
			return factStream{}, err
		}
		recv := func() error { var m peer.Msg; return s.Receive(&m) }
		fs := factStream{close: s.Close, headers: func() error {
			info, ok := connecthttp.ClientInfoForContext(ctx)
			if !ok {
				return errors.New("no connecthttp.ClientInfo")
			}
			if !poll(func() bool { return info.ResponseProto() != "" }) {
				return errors.New("no response")
			}
			return nil
		}}
		switch kind {
		case bidiStream:
			fs.sendSmall = func() error { return s.Send(small) }
			fs.sendBig = func() error { return s.Send(big) }
			fs.recv = recv
			fs.closeRequest = s.CloseSend
		case serverStream:
			fs.recv = recv
		default:
			fs.sendSmall = func() error { return s.Send(small) }
			fs.sendBig = func() error { return s.Send(big) }
			fs.closeRequest = s.CloseSend
			fs.closeAndReceive = func() error {
				if err := s.CloseSend(); err != nil {
					return err
				}
				return recv()
			}
		}
		return fs, nil
	default:
		switch kind {
		case bidiStream:
			s, err := p.GRPC.Chat(ctx)
			if err != nil {
				return factStream{}, err
			}
			return factStream{
				sendSmall:    func() error { return s.Send(small) },
				sendBig:      func() error { return s.Send(big) },
				recv:         func() error { _, err := s.Recv(); return err },
				closeRequest: s.CloseSend,
				headers:      func() error { _, err := s.Header(); return err },
			}, nil
		case serverStream:
			s, err := p.GRPC.Watch(ctx, small)
			if err != nil {
				return factStream{}, err
			}
			return factStream{recv: func() error { _, err := s.Recv(); return err }}, nil
		default:
			s, err := p.GRPC.Upload(ctx)
			if err != nil {
				return factStream{}, err
			}
			return factStream{
				sendSmall:       func() error { return s.Send(small) },
				sendBig:         func() error { return s.Send(big) },
				closeAndReceive: func() error { _, err := s.CloseAndRecv(); return err },
				closeRequest:    s.CloseSend,
				headers:         func() error { _, err := s.Header(); return err },
			}, nil
		}
	}
}

// v1ServerReceive is a connect-go v1 server stream's Receive with the
// error of the other libraries: io.EOF at a clean end.
func v1ServerReceive(receive func() bool, errf func() error) error {
	if receive() {
		return nil
	}
	if err := errf(); err != nil {
		return err
	}
	return io.EOF
}

// factPeer is how the server behaves for a row.
func factPeer(f fact, tr peer.Transport) peer.Options {
	opts := peer.Options{IgnoreDeadline: true, SilentWatch: true, Transport: tr}
	if f.lib == peer.GRPC {
		opts.Transport = ""
	}
	switch {
	case f.state == noHeaders:
	case f.op == opReceive:
		opts.SendFirst = true
		opts.SilentWatch = false
	default:
		opts.HeadersFirst = true
	}
	return opts
}

// checkFact sets up the row's state on a fresh server, starts the
// waiting call, takes the action and checks whether the call is freed.
//
// A Send blocked by flow control is the one racy row: once the headers
// are in, a cancel is not watched, but the transport's writer does look
// at the context whenever something wakes it while it waits for window,
// and now and then (about once in a few hundred runs under the race
// detector on a loaded machine) something does. With retry set, such a
// run of a row that says the Send waits reports true, and the caller runs
// the row again: it fails when the Send is freed sendAttempts times in a
// row, which a library that did watch the context would do every time.
func checkFact(t *testing.T, f fact, tr peer.Transport, retry bool) (again bool) {
	p := startPeer(t, f.lib, factPeer(f, tr))
	base, cancelBase := newCtx(t)
	ctx, cancel := base, cancelBase
	if f.action == actDeadline {
		after := deadlineAfter
		if f.op == opSend {
			after = deadlineAfterSend
		}
		ctx, cancel = context.WithTimeout(base, after)
		t.Cleanup(cancel)
	}

	var s factStream
	var pending *call
	if f.op == opOpen {
		pending = start(func() error {
			var err error
			s, err = openFactStream(ctx, p, f.lib, f.kind)
			return err
		})
		if !p.WaitHeld(1, 5*time.Second) {
			t.Fatal("the server never held the stream")
		}
	} else {
		opening := start(func() error {
			var err error
			s, err = openFactStream(ctx, p, f.lib, f.kind)
			return err
		})
		if !opening.returnsWithin(5 * time.Second) {
			t.Fatal("opening the stream did not return")
		}
		if opening.err != nil {
			t.Fatalf("opening the stream: %v", opening.err)
		}
		pending = setUpFact(t, f, p, s)
	}
	if pending.returnsWithin(settle) {
		t.Fatalf("the %s returned at once: %v", f.op, pending.err)
	}
	if ctx.Err() != nil {
		t.Fatalf("the context ended (%v) before the %s was seen waiting: setup too slow", ctx.Err(), f.op)
	}
	// Whatever happens, unblock everything before the peer is closed.
	defer func() {
		cancelBase()
		if f.op != opOpen && s.close != nil {
			go s.close()
		}
		if f.op == opSend && s.closeRequest != nil {
			go s.closeRequest()
		}
		p.Release()
		if !pending.returnsWithin(3 * time.Second) {
			t.Errorf("the %s still blocked after cancel, close and the peer's release", f.op)
		}
	}()

	var acting *call
	if f.action == actDeadline {
		<-ctx.Done()
	} else {
		acting = start(func() error { return act(f.action, cancel, s) })
	}
	// One bound for both outcomes, so that a loaded machine that delays a
	// freed call does not turn it into a hang.
	acted := time.Now()
	freed := pending.returnsWithin(factHangBound)
	switch {
	case freed && !f.frees && f.op == opSend && retry:
		t.Logf("%s over %s: the %s was freed this time (%v: %v); running the row again", f, tr, f.op, time.Since(acted), pending.err)
		return true
	case freed != f.frees:
		t.Errorf("%s over %s: the %s freed=%v within %v (%v: %v), want %v", f, tr, f.op, freed, factHangBound, time.Since(acted), pending.err, f.frees)
	case freed && pending.err == nil:
		t.Errorf("%s over %s: the %s returned no error", f, tr, f.op)
	case freed:
		t.Logf("the %s returned after %v: %v", f.op, time.Since(acted).Round(time.Millisecond), pending.err)
	}
	if acting != nil {
		if blocks := !acting.returnsWithin(settle); blocks != f.actionBlocks {
			t.Errorf("%s over %s: the action's calls blocked=%v, want %v", f, tr, blocks, f.actionBlocks)
		}
	}
	return false
}

// setUpFact brings the stream to the row's state and starts the waiting
// call.
func setUpFact(t *testing.T, f fact, p *peer.Peer, s factStream) *call {
	t.Helper()
	if f.op == opSend {
		if f.state == answered {
			// Open the stream and let the headers arrive before sending.
			if err := s.sendSmall(); err != nil {
				t.Fatalf("first Send: %v", err)
			}
			awaitHeaders(t, s)
		}
		for range maxSends {
			sending := start(s.sendBig)
			if !sending.returnsWithin(settle) {
				if !p.WaitHeld(1, setupBound) {
					t.Fatal("the server never held the stream")
				}
				// A Send that waits may still be handing its message to a
				// transport that is writing it out (slowly, under the race
				// detector and TLS); a cancel that comes then is seen by
				// the transport at its next write. It is blocked by flow
				// control once the server has read nothing more for a
				// while.
				if stalled(p, sending) {
					return sending
				}
				if !sending.returnsWithin(setupBound) {
					t.Fatal("the Send stayed blocked while the server kept reading")
				}
			}
			if sending.err != nil {
				t.Fatalf("Send: %v", sending.err)
			}
		}
		t.Fatalf("%d MiB sent and no Send blocked", maxSends)
	}
	if f.kind != serverStream {
		if err := s.sendSmall(); err != nil {
			t.Fatalf("Send: %v", err)
		}
	}
	if !p.WaitHeld(1, 5*time.Second) {
		t.Fatal("the server never held the stream")
	}
	if f.op == opCloseAndReceive {
		if f.state == answered {
			awaitHeaders(t, s)
		}
		return start(s.closeAndReceive)
	}
	if f.state == answeredClosed && f.kind == bidiStream {
		if err := s.closeRequest(); err != nil {
			t.Fatalf("closing the request side: %v", err)
		}
	}
	if f.state != noHeaders {
		if err := s.recv(); err != nil {
			t.Fatalf("first Receive: %v", err)
		}
	}
	return start(s.recv)
}

// awaitHeaders waits until the response headers have reached the client.
func awaitHeaders(t *testing.T, s factStream) {
	t.Helper()
	waiting := start(s.headers)
	if !waiting.returnsWithin(5 * time.Second) {
		t.Fatal("the response headers never arrived")
	}
	if waiting.err != nil {
		t.Fatalf("waiting for the response headers: %v", waiting.err)
	}
}

// poll reports whether cond becomes true within 5 s.
func poll(cond func() bool) bool {
	for deadline := time.Now().Add(5 * time.Second); !cond(); time.Sleep(5 * time.Millisecond) {
		if time.Now().After(deadline) {
			return false
		}
	}
	return true
}

// act takes the action (all but the deadline).
func act(a factAction, cancel context.CancelFunc, s factStream) error {
	var errs []error
	if a == actCloseRequest || a == actCloseRequestCancel {
		errs = append(errs, s.closeRequest())
	}
	if a == actCancel || a == actCancelClose || a == actCloseRequestCancel {
		cancel()
	}
	if a == actClose || a == actCancelClose {
		errs = append(errs, s.close())
	}
	return errors.Join(errs...)
}

// TestFactsDeadlineServerEnds: a connect-go bidi stream's deadline, which
// the client does not watch once the server has answered (TestFacts), is
// sent to the server too; a server that honours it ends the stream, and
// that frees the pending Receive.
func TestFactsDeadlineServerEnds(t *testing.T) {
	for _, lib := range []peer.Lib{peer.ConnectV1, peer.ConnectV2} {
		for _, tr := range peer.Transports {
			t.Run(string(lib)+"/"+string(tr), func(t *testing.T) {
				t.Parallel()
				p := startPeer(t, lib, peer.Options{SendFirst: true, Transport: tr})
				base, cancel := newCtx(t)
				ctx, stop := context.WithTimeout(base, deadlineAfter)
				defer stop()
				s, err := openFactStream(ctx, p, lib, bidiStream)
				if err != nil {
					t.Fatal(err)
				}
				if err := s.sendSmall(); err != nil {
					t.Fatalf("Send: %v", err)
				}
				if err := s.recv(); err != nil {
					t.Fatalf("first Receive: %v", err)
				}
				pending := start(s.recv)
				defer func() {
					cancel()
					go s.close()
					pending.returnsWithin(3 * time.Second)
				}()
				if pending.returnsWithin(settle) {
					t.Fatalf("Receive returned at once: %v", pending.err)
				}
				<-ctx.Done()
				if !pending.returnsWithin(factHangBound) {
					t.Fatalf("the pending Receive still waits %v after the deadline, with a server that honours it", factHangBound)
				}
				t.Logf("Receive returned %v", pending.err)
			})
		}
	}
}
