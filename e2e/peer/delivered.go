package peer

import (
	"context"
	"time"

	connectv1 "connectrpc.com/connect"
	connectv2 "connectrpc.com/connect/v2"
	"google.golang.org/grpc"
)

// Delivered is the number of messages the peer's clients have received,
// counted by an interceptor on each client.
func (p *Peer) Delivered() int64 { return p.delivered.Load() }

// WaitDelivered waits up to d until the clients have received at least n
// messages.
func (p *Peer) WaitDelivered(n int64, d time.Duration) bool {
	return poll(d, func() bool { return p.Delivered() >= n })
}

// connectV1Counter counts the messages connect-go v1 clients receive.
type connectV1Counter struct{ p *Peer }

func (c connectV1Counter) WrapUnary(next connectv1.UnaryFunc) connectv1.UnaryFunc { return next }

func (c connectV1Counter) WrapStreamingClient(next connectv1.StreamingClientFunc) connectv1.StreamingClientFunc {
	return func(ctx context.Context, spec connectv1.Spec) connectv1.StreamingClientConn {
		return countingConnectV1Conn{next(ctx, spec), c.p, c.p.newTranscript()}
	}
}

func (c connectV1Counter) WrapStreamingHandler(next connectv1.StreamingHandlerFunc) connectv1.StreamingHandlerFunc {
	return next
}

type countingConnectV1Conn struct {
	connectv1.StreamingClientConn
	p *Peer
	t *transcript
}

func (c countingConnectV1Conn) Receive(msg any) error {
	err := c.StreamingClientConn.Receive(msg)
	if err == nil {
		c.p.delivered.Add(1)
		c.t.add(msg)
	}
	return err
}

// countConnectV2 counts the messages connect-go v2 clients receive.
func (p *Peer) countConnectV2(next connectv2.ClientFunc) connectv2.ClientFunc {
	return func(ctx context.Context, spec connectv2.Spec) (connectv2.ClientStream, error) {
		s, err := next(ctx, spec)
		if err != nil {
			return nil, err
		}
		return countingConnectV2Stream{s, p, p.newTranscript()}, nil
	}
}

type countingConnectV2Stream struct {
	connectv2.ClientStream
	p *Peer
	t *transcript
}

func (s countingConnectV2Stream) Receive(msg any) error {
	err := s.ClientStream.Receive(msg)
	if err == nil {
		s.p.delivered.Add(1)
		s.t.add(msg)
	}
	return err
}

// countGRPC counts the messages grpc-go clients receive.
func (p *Peer) countGRPC(ctx context.Context, desc *grpc.StreamDesc, cc *grpc.ClientConn, method string, streamer grpc.Streamer, opts ...grpc.CallOption) (grpc.ClientStream, error) {
	s, err := streamer(ctx, desc, cc, method, opts...)
	if err != nil {
		return nil, err
	}
	return countingGRPCStream{s, p, p.newTranscript()}, nil
}

type countingGRPCStream struct {
	grpc.ClientStream
	p *Peer
	t *transcript
}

func (s countingGRPCStream) RecvMsg(m any) error {
	err := s.ClientStream.RecvMsg(m)
	if err == nil {
		s.p.delivered.Add(1)
		s.t.add(m)
	}
	return err
}
