// Package peer starts real connect-go v1, connect-go v2 and grpc-go
// servers of a chat.v1.ChatService on 127.0.0.1 that behave like a slow
// peer: every handler holds its stream open and answers nothing until the
// peer is released or the stream's context ends.
//
// The one exception is the server stream (Watch), whose handler first
// sends a snapshot, as a watch does: connect-go (v1 and v2) does not return
// from opening a server stream until the response headers arrive, so a
// silent Watch would block the opening call itself, before any errgroup
// exists. Options change that (a first message, headers flushed alone, an
// echo) and pick the HTTP/2 transport of connect-go (TLS, h2c through
// net/http, h2c through x/net's http2.Transport). No code generation: the
// messages are wrapperspb.StringValue and the service glue is the
// hand-written equivalent of generated code in e2e/gen.
package peer

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	connectv2 "connectrpc.com/connect/v2"
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
	// HeadersFirst makes every handler flush its response headers, with no
	// message, before going silent: connect-go v1 Send(nil), v2
	// SendHeaders, grpc-go SendHeader.
	HeadersFirst bool
	// Echo makes the bidi handlers send back every message they receive
	// (after the first message, if SendFirst), until released.
	Echo bool
	// IgnoreDeadline makes the handlers hold their stream past the
	// deadline the client sent along (connect-timeout-ms, grpc-timeout),
	// until released, so that what ends a call at its deadline can only be
	// the client.
	IgnoreDeadline bool
	// Transport is how the connect-go clients reach the server (default
	// TLS). grpc-go has its own transport and ignores it.
	Transport Transport
	// Answer, when positive, makes every handler answer like a healthy
	// server instead of holding its stream, for the run in which nothing
	// fails (see answer.go). It overrides the options above but SendFirst.
	Answer int
	// Probe, when set, makes the bidi handlers receive in a goroutine and
	// report to it (see probe.go). It overrides Echo and Answer.
	Probe *Probe
}

// Transport names an HTTP/2 client and server pair for connect-go.
type Transport string

// The transports of connect-go peers.
const (
	// TLS is httptest's HTTP/2 server with TLS and its Client (net/http's
	// HTTP/2).
	TLS Transport = "tls"
	// H2C is unencrypted HTTP/2 with prior knowledge through net/http's
	// http.Protocols, on both sides.
	H2C Transport = "h2c"
	// XNetH2C is the same server with x/net's http2.Transport
	// (AllowHTTP) as the client.
	XNetH2C Transport = "xnet-h2c"
)

// Transports lists the connect-go transports.
var Transports = []Transport{H2C, XNetH2C, TLS}

// A Peer is a running server and clients of it. Exactly one of the
// client fields is set, the one of the peer's library.
type Peer struct {
	ConnectV1 *ConnectV1Clients
	ConnectV2 chatv2.ChatServiceClient
	// ConnectV2Client is the connect-go v2 client ConnectV2 wraps, for
	// calls by spec (every method of connect.ClientStream).
	ConnectV2Client *connectv2.Client
	GRPC            chatgrpc.ChatServiceClient

	opts      Options
	held      atomic.Int64
	delivered atomic.Int64
	received  atomic.Int64
	answers   answers
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

// stream is the part of a handler's stream the peer uses; send is nil
// for client-stream handlers, recv for server-stream handlers.
type stream struct {
	send        func(*Msg) error
	recv        func() (*Msg, error)
	sendHeaders func() error
}

// holdChat is the body of the bidi handlers.
func (p *Peer) holdChat(ctx context.Context, s stream) error {
	if p.opts.Probe != nil {
		return p.probe(ctx, s)
	}
	if p.opts.Answer > 0 {
		return p.answerChat(s)
	}
	if p.opts.Echo {
		return p.echo(ctx, s)
	}
	return p.hold(ctx, s, p.opts.SendFirst)
}

// holdWatch is the body of the server-stream handlers.
func (p *Peer) holdWatch(ctx context.Context, s stream) error {
	if p.opts.Answer > 0 {
		return p.answerWatch(s)
	}
	return p.hold(ctx, s, !p.opts.SilentWatch)
}

// holdUpload is the body of the client-stream handlers, which answer by
// returning their response once released. They never receive, so a
// client that keeps sending is stopped by flow control.
func (p *Peer) holdUpload(ctx context.Context, s stream) error {
	if p.opts.Answer > 0 {
		return p.answerUpload(s)
	}
	s.send = nil
	return p.hold(ctx, s, false)
}

// hold counts the stream as held, sends its headers or a first message if
// asked, then waits until released (and answers) or the stream's context
// ends. It never receives.
func (p *Peer) hold(ctx context.Context, s stream, first bool) error {
	p.held.Add(1)
	defer p.held.Add(-1)
	if err := p.greet(s, first); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
		if !p.opts.IgnoreDeadline || !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return ctx.Err()
		}
		<-p.release
	case <-p.release:
	}
	if s.send != nil {
		return s.send(wrapperspb.String("bye"))
	}
	return nil
}

// greet flushes the headers or sends a first message, as the options and
// first say.
func (p *Peer) greet(s stream, first bool) error {
	if p.opts.HeadersFirst {
		if err := s.sendHeaders(); err != nil {
			return err
		}
	}
	if first && s.send != nil {
		if err := s.send(wrapperspb.String("hello")); err != nil {
			return err
		}
	}
	return nil
}

// echo counts the stream as held and sends back every message it
// receives, until the client ends its request side (then it returns),
// the stream's context ends, or the peer is released (then it sends "bye"
// and returns).
func (p *Peer) echo(ctx context.Context, s stream) error {
	p.held.Add(1)
	defer p.held.Add(-1)
	if err := p.greet(s, p.opts.SendFirst); err != nil {
		return err
	}
	got := make(chan *Msg)
	failed := make(chan error, 1)
	go func() {
		for {
			m, err := s.recv()
			if err != nil {
				failed <- err
				return
			}
			select {
			case got <- m:
			case <-ctx.Done():
				return
			case <-p.release:
				return
			}
		}
	}()
	for {
		select {
		case m := <-got:
			if err := s.send(m); err != nil {
				return err
			}
		case err := <-failed:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		case <-ctx.Done():
			return ctx.Err()
		case <-p.release:
			return s.send(wrapperspb.String("bye"))
		}
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
