package e2e

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/bidictxlint/bidictxlint/e2e/peer"
)

// The server side of the facts table: what frees a handler's Receive,
// pending in a goroutine of the handler's own while the handler waits for
// that goroutine (a handler that joins its own receive, peer.Probe), for
// every library, server state, client action and transport. The client
// has sent one message, which the handler received; the handler then
// waits for the next. The rules on handlers that join their own receive
// rest on these rows: a library or Go version that changes one fails
// TestServerFacts.
//
// Run it alone with `go -C e2e test -run ServerFacts -count=1 ./...`.

// A serverFact is one row.
type serverFact struct {
	lib peer.Lib
	// state: noHeaders, the handler has sent nothing; answered, it has sent
	// a first message, which the client received.
	state  peerState
	action factAction
	// frees: the handler's pending Receive returns, with an error, within
	// factHangBound of the client's action (of the deadline).
	frees bool
	// ctxEnds: the handler's context ends within that bound.
	ctxEnds bool
	// actionBlocks: the client's calls of the action do not return within
	// settle.
	actionBlocks bool
}

func (f serverFact) String() string {
	return fmt.Sprintf("%s/%s/%s", f.lib, f.state, f.action)
}

// serverFacts is the table, as measured with connect-go v1.21.1,
// connect-go v2.0.2 and grpc-go v1.85.0 on Go 1.26, over every transport.
var serverFacts = []serverFact{
	// connect-go v1. While the handler has sent nothing, the client's
	// cancel (or deadline) reaches the server: its Receive and its context
	// end. Once it has answered, the client's transport no longer watches
	// the context while the request side is open (TestFacts), so a cancel
	// or a deadline on the client tells the server nothing: the handler's
	// Receive waits on (at the deadline its context ends, because the
	// server applies the deadline the client sent, but that frees no
	// Receive). The client's close resets the stream: Receive and context
	// end. Closing the request side gives the handler io.EOF; with a cancel
	// too, in either order, the client's transport then resets the stream,
	// which ends the handler's context as well.
	{peer.ConnectV1, noHeaders, actCancel, true, true, false},
	{peer.ConnectV1, noHeaders, actClose, false, false, true}, // CloseResponse waits for the headers, which the handler never sends
	{peer.ConnectV1, noHeaders, actCancelClose, true, true, false},
	{peer.ConnectV1, noHeaders, actCloseRequest, true, false, false}, // io.EOF: the client's clean end
	{peer.ConnectV1, noHeaders, actCloseRequestCancel, true, true, false},
	{peer.ConnectV1, noHeaders, actCancelCloseRequest, true, true, false},
	{peer.ConnectV1, noHeaders, actDeadline, true, true, false},
	{peer.ConnectV1, answered, actCancel, false, false, false},
	{peer.ConnectV1, answered, actClose, true, true, false},
	{peer.ConnectV1, answered, actCancelClose, true, true, false},
	{peer.ConnectV1, answered, actCloseRequest, true, false, false},
	{peer.ConnectV1, answered, actCloseRequestCancel, true, true, false},
	{peer.ConnectV1, answered, actCancelCloseRequest, true, true, false},
	{peer.ConnectV1, answered, actDeadline, false, true, false}, // the server's own deadline ends the handler's context, not its Receive
	// connect-go v2: the same, but that v2 Close closes the request side
	// first.
	{peer.ConnectV2, noHeaders, actCancel, true, true, false},
	{peer.ConnectV2, noHeaders, actClose, true, false, true}, // Close closes the request side first (io.EOF at the handler), then waits for the headers
	{peer.ConnectV2, noHeaders, actCancelClose, true, true, false},
	{peer.ConnectV2, noHeaders, actCloseRequest, true, false, false},
	{peer.ConnectV2, noHeaders, actCloseRequestCancel, true, true, false},
	{peer.ConnectV2, noHeaders, actCancelCloseRequest, true, true, false},
	{peer.ConnectV2, noHeaders, actDeadline, true, true, false},
	{peer.ConnectV2, answered, actCancel, false, false, false},
	{peer.ConnectV2, answered, actClose, true, true, false},
	{peer.ConnectV2, answered, actCancelClose, true, true, false},
	{peer.ConnectV2, answered, actCloseRequest, true, false, false},
	{peer.ConnectV2, answered, actCloseRequestCancel, true, true, false},
	{peer.ConnectV2, answered, actCancelCloseRequest, true, true, false},
	{peer.ConnectV2, answered, actDeadline, false, true, false},
	// grpc-go: the client's cancel and deadline always reach the server.
	{peer.GRPC, noHeaders, actCancel, true, true, false},
	{peer.GRPC, noHeaders, actCloseRequest, true, false, false},
	{peer.GRPC, noHeaders, actCloseRequestCancel, true, true, false},
	{peer.GRPC, noHeaders, actCancelCloseRequest, true, true, false},
	{peer.GRPC, noHeaders, actDeadline, true, true, false},
	{peer.GRPC, answered, actCancel, true, true, false},
	{peer.GRPC, answered, actCloseRequest, true, false, false},
	{peer.GRPC, answered, actCloseRequestCancel, true, true, false},
	{peer.GRPC, answered, actCancelCloseRequest, true, true, false},
	{peer.GRPC, answered, actDeadline, true, true, false},
}

// serverFactApplies says whether a combination is a row of the server
// table, and why not when it is not.
func serverFactApplies(lib peer.Lib, state peerState, action factAction) (bool, string) {
	switch {
	case state == answeredClosed:
		return false, "a handler whose client closed its request side has nothing left to wait for (its Receive returns io.EOF)"
	case lib == peer.GRPC && (action == actClose || action == actCancelClose):
		return false, "grpc-go has no close of the response side (cancelling is its close)"
	}
	return true, ""
}

// TestServerFactsTableComplete: the table has exactly one row per
// combination that applies.
func TestServerFactsTableComplete(t *testing.T) {
	rows := map[string]int{}
	for _, f := range serverFacts {
		rows[f.String()]++
		if ok, why := serverFactApplies(f.lib, f.state, f.action); !ok {
			t.Errorf("%s: a row for a combination that does not apply: %s", f, why)
		}
	}
	for _, lib := range allLibs {
		for _, state := range allStates {
			for _, action := range allActions {
				if ok, _ := serverFactApplies(lib, state, action); !ok {
					continue
				}
				name := serverFact{lib: lib, state: state, action: action}.String()
				if n := rows[name]; n != 1 {
					t.Errorf("%s: %d rows, want 1", name, n)
				}
			}
		}
	}
}

// TestServerFacts checks every row of the server table on every transport
// of its library, each a bounded subtest against a server of its own.
func TestServerFacts(t *testing.T) {
	for _, f := range serverFacts {
		transports := peer.Transports
		if f.lib == peer.GRPC {
			transports = []peer.Transport{"grpc"}
		}
		for _, tr := range transports {
			t.Run(f.String()+"/"+string(tr), func(t *testing.T) {
				t.Parallel()
				checkServerFact(t, f, tr)
			})
		}
	}
}

// checkServerFact sets up the row's state on a fresh server, with the
// handler's Receive pending, takes the client's action and checks what it
// frees at the server.
func checkServerFact(t *testing.T, f serverFact, tr peer.Transport) {
	probe := peer.NewProbe()
	opts := peer.Options{Probe: probe, SendFirst: f.state == answered, Transport: tr}
	if f.lib == peer.GRPC {
		opts.Transport = ""
	}
	p := startPeer(t, f.lib, opts)
	base, cancelBase := newCtx(t)
	ctx, cancel := base, cancelBase
	if f.action == actDeadline {
		ctx, cancel = context.WithTimeout(base, deadlineAfter)
		t.Cleanup(cancel)
	}
	var s factStream
	opening := start(func() error {
		var err error
		s, err = openFactStream(ctx, p, f.lib, bidiStream)
		return err
	})
	if !opening.returnsWithin(setupBound) || opening.err != nil {
		t.Fatalf("opening the stream: %v", opening.err)
	}
	if err := s.sendSmall(); err != nil {
		t.Fatalf("Send: %v", err)
	}
	select {
	case err := <-probe.Received():
		if err != nil {
			t.Fatalf("the handler's first Receive: %v", err)
		}
	case <-time.After(setupBound):
		t.Fatal("the handler never received the first message")
	}
	if f.state == answered {
		if err := s.recv(); err != nil {
			t.Fatalf("the client's first Receive: %v", err)
		}
	}
	// Whatever happens, unblock everything before the peer is closed.
	defer func() {
		cancelBase()
		go s.closeRequest()
		if s.close != nil {
			go s.close()
		}
		p.Release()
	}()
	select {
	case err := <-probe.Received():
		t.Fatalf("the handler's second Receive returned at once: %v", err)
	case <-time.After(settle):
	}
	if ctx.Err() != nil {
		t.Fatalf("the context ended (%v) before the handler was seen waiting: setup too slow", ctx.Err())
	}

	var acting *call
	if f.action == actDeadline {
		<-ctx.Done()
	} else {
		acting = start(func() error { return act(f.action, cancel, s) })
	}
	acted := time.Now()
	bound := time.After(factHangBound)
	received, ctxDone := probe.Received(), probe.ContextDone()
	var freed, ended bool
	var err error
wait:
	for !(freed && ended) {
		select {
		case err = <-received:
			freed, received = true, nil
		case <-ctxDone:
			ended, ctxDone = true, nil
		case <-bound:
			break wait
		}
	}
	switch {
	case freed != f.frees:
		t.Errorf("%s over %s: the handler's Receive freed=%v within %v (%v), want %v", f, tr, freed, factHangBound, err, f.frees)
	case freed && err == nil:
		t.Errorf("%s over %s: the handler's Receive returned a message", f, tr)
	case freed:
		t.Logf("the handler's Receive returned after %v: %v", time.Since(acted).Round(time.Millisecond), err)
	}
	if ended != f.ctxEnds {
		t.Errorf("%s over %s: the handler's context ended=%v within %v, want %v", f, tr, ended, factHangBound, f.ctxEnds)
	}
	if acting != nil {
		if blocks := !acting.returnsWithin(settle); blocks != f.actionBlocks {
			t.Errorf("%s over %s: the action's calls blocked=%v, want %v", f, tr, blocks, f.actionBlocks)
		}
	}
}
