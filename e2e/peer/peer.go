// Package peer starts real connect-go v1, connect-go v2 and grpc-go
// servers of a chat.v1.ChatService on 127.0.0.1 that behave like a slow
// peer: every handler holds its stream open and answers nothing until the
// peer is released or the stream's context ends.
//
// The one exception is the server stream (Watch), whose handler first
// sends a snapshot, as a watch does: connect-go (v1 and v2) does not return
// from opening a server stream until the response headers arrive, so a
// silent Watch would block the opening call itself, before any errgroup
// exists. No code generation: the
// messages are wrapperspb.StringValue and the service glue is the
// hand-written equivalent of generated code in e2e/gen.
package peer

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// Msg is the message of every stream.
type Msg = wrapperspb.StringValue

// Lib names an RPC library.
type Lib string

// The libraries a peer can serve with.
const (
	ConnectV1 Lib = "connectv1"
	ConnectV2 Lib = "connectv2"
	GRPC      Lib = "grpcgo"
)

// Options say how the handlers behave.
type Options struct {
	// SendFirst makes the bidi handlers send one message ("hello") before
	// going silent, so that the response headers reach the client.
	SendFirst bool
	// SilentWatch makes the server-stream handlers skip their snapshot.
	SilentWatch bool
}

// A Peer is a running server and clients of it. Exactly one of the
// client fields is set, the one of the peer's library.
type Peer struct {
	ConnectV1 *ConnectV1Clients
	ConnectV2 chatv2.ChatServiceClient
	GRPC      chatgrpc.ChatServiceClient

	opts      Options
	held      atomic.Int64
	delivered atomic.Int64
	release   chan struct{}
	released  sync.Once
	shutdown  func()
}

// Start starts a server of lib on 127.0.0.1.
func Start(lib Lib, opts Options) (*Peer, error) {
	p := &Peer{opts: opts, release: make(chan struct{})}
	switch lib {
	case ConnectV1:
		p.startConnectV1()
	case ConnectV2:
		p.startConnectV2()
	case GRPC:
		if err := p.startGRPC(); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("peer: unknown library %q", lib)
	}
	return p, nil
}

// Held is the number of streams the handlers currently hold open.
func (p *Peer) Held() int64 { return p.held.Load() }

// WaitHeld waits up to d until the handlers hold at least n streams.
func (p *Peer) WaitHeld(n int64, d time.Duration) bool {
	return poll(d, func() bool { return p.Held() >= n })
}

// Release lets every handler, now and later, answer and end its stream:
// bidi and server-stream handlers send "bye" and return, client-stream
// handlers return "bye" as their response.
func (p *Peer) Release() { p.released.Do(func() { close(p.release) }) }

// Close releases the handlers, shuts the server down and waits for every
// handler to return.
func (p *Peer) Close() error {
	p.Release()
	p.shutdown()
	if !poll(2*time.Second, func() bool { return p.Held() == 0 }) {
		return fmt.Errorf("peer: %d handlers still hold a stream after shutdown", p.Held())
	}
	return nil
}

// holdChat is the body of the bidi handlers.
func (p *Peer) holdChat(ctx context.Context, send func(*Msg) error) error {
	return p.hold(ctx, send, p.opts.SendFirst)
}

// holdWatch is the body of the server-stream handlers.
func (p *Peer) holdWatch(ctx context.Context, send func(*Msg) error) error {
	return p.hold(ctx, send, !p.opts.SilentWatch)
}

// holdUpload is the body of the client-stream handlers, which answer by
// returning their response once released.
func (p *Peer) holdUpload(ctx context.Context) error {
	return p.hold(ctx, nil, false)
}

// hold counts the stream as held, sends a first message if asked, then
// waits until released (and answers) or the stream's context ends.
func (p *Peer) hold(ctx context.Context, send func(*Msg) error, first bool) error {
	p.held.Add(1)
	defer p.held.Add(-1)
	if first {
		if err := send(wrapperspb.String("hello")); err != nil {
			return err
		}
	}
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-p.release:
		if send != nil {
			return send(wrapperspb.String("bye"))
		}
		return nil
	}
}

// poll reports whether cond becomes true within d.
func poll(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}
