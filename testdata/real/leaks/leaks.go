// Package leaks is the catalogue of goroutines that outlive their
// function and of stream wrappers whose close only cancels
// (docs/rules.md#goroutines-that-outlive-their-function), against the real
// libraries.
package leaks

import (
	"context"
	"errors"

	"connectrpc.com/connect"

	"example.com/real/gen/chatgrpc"
	"example.com/real/gen/chatv2"
)

type Msg = chatgrpc.Msg

// handedOn: the stream is returned: its reader is not this function's.
func handedOn(ctx context.Context, c *connect.Client[Msg, Msg], out chan<- *Msg) *connect.BidiStreamForClient[Msg, Msg] {
	stream := c.CallBidiStream(ctx)
	go func() {
		for {
			m, err := stream.Receive()
			if err != nil {
				return
			}
			out <- m
		}
	}()
	return stream
}

// deferredClose: closed on every return, cancelled first.
func deferredClose(ctx context.Context, c *connect.Client[Msg, Msg], out chan<- *Msg, next func() error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	defer func() {
		cancel()
		_ = stream.CloseResponse()
	}()
	go func() {
		for {
			m, err := stream.Receive()
			if err != nil {
				return
			}
			out <- m
		}
	}()
	return next()
}

// halfCloseThenCancel: CloseRequest in a deferred func and a deferred
// cancel free it in either order.
func halfCloseThenCancel(ctx context.Context, c *connect.Client[Msg, Msg], out chan<- *Msg, next func() error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	defer func() { _ = stream.CloseRequest() }()
	go func() {
		for {
			m, err := stream.Receive()
			if err != nil {
				return
			}
			out <- m
		}
	}()
	return next()
}

// closedOnOnePath: closed only when next succeeds.
func closedOnOnePath(ctx context.Context, c *connect.Client[Msg, Msg], out chan<- *Msg, next func() error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	go func() {
		for {
			m, err := stream.Receive() // want `stream\.Receive in this goroutine outlives closedOnOnePath: on a connect-go bidi stream whose server has answered, cancelling ctx frees no pending Receive; close the stream on return, cancelling first: defer func\(\) \{ cancel\(\); _ = stream\.CloseResponse\(\) \}\(\)$`
			if err != nil {
				return
			}
			out <- m
		}
	}()
	if err := next(); err != nil {
		return err
	}
	return stream.CloseResponse()
}

// reconnect: each attempt's stream outlives the attempt.
func reconnect(ctx context.Context, c *connect.Client[Msg, Msg], out chan<- *Msg, attempt func() error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	for {
		stream := c.CallBidiStream(ctx)
		go func() {
			for {
				m, err := stream.Receive() // want `stream\.Receive in this goroutine outlives the attempt that opened it in reconnect: on a connect-go bidi stream whose server has answered, cancelling ctx frees no pending Receive; cancel and then close each attempt's stream before the next \(stream\.CloseResponse\(\)\) and when reconnect returns$`
				if err != nil {
					return
				}
				out <- m
			}
		}()
		if err := attempt(); !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
	}
}

// grpcDeferredCancel: grpc-go's transport frees the goroutine on the
// deferred cancel.
func grpcDeferredCancel(ctx context.Context, client chatgrpc.ChatClient, out chan<- *Msg, next func() error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	go func() {
		for {
			m, err := stream.Recv()
			if err != nil {
				return
			}
			out <- m
		}
	}()
	return next()
}

// grpcBackground: nothing can cancel the stream's context.
func grpcBackground(client chatgrpc.ChatClient, out chan<- *Msg, next func() error) error {
	stream, err := client.Chat(context.Background())
	if err != nil {
		return err
	}
	go func() {
		for {
			m, err := stream.Recv() // want `stream\.Recv in this goroutine outlives grpcBackground: nothing cancels the stream's context context\.Background\(\), so the goroutine waits until the server ends the stream; open it with a context that grpcBackground cancels when it returns$`
			if err != nil {
				return
			}
			out <- m
		}
	}()
	return next()
}

// session wraps a connect-go v2 bidi stream.
type session struct {
	stream chatv2.ChatServiceChatClientStream
	cancel context.CancelFunc
}

func (s *session) recv() (*chatv2.Msg, error) { return s.stream.Receive() }

// closeOnly: Close cancels and leaves the stream open.
func (s *session) closeOnly() error {
	s.cancel()
	return nil
}

// Close cancels, then closes.
func (s *session) Close() error {
	s.cancel()
	return s.stream.Close()
}

// conn wraps a connect-go v1 bidi stream; its Stop only cancels.
type conn struct {
	stream *connect.BidiStreamForClient[Msg, Msg]
	stop   context.CancelFunc
}

func (c *conn) Read() (*Msg, error) { return c.stream.Receive() }

func (c *conn) Stop() { // want `\(\*conn\)\.Stop cancels but does not close c\.stream: on a connect-go bidi stream whose server has answered, cancelling frees no pending Receive; close it after the cancel: _ = c\.stream\.CloseResponse\(\)$`
	c.stop()
}
