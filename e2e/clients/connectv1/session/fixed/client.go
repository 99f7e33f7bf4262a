// Package fixed is session fixed by hand as bidictxlint fixes it: the
// Session's Close also closes the stream, after the cancel, which frees a
// pending Receive that the cancel alone does not.
package fixed

import (
	"context"
	"errors"
	"io"
	"log"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// A Session is a chat over one bidi stream.
type Session struct {
	stream *connect.BidiStreamForClient[wrapperspb.StringValue, wrapperspb.StringValue]
	cancel context.CancelFunc
}

// Dial opens a session.
func Dial(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue]) (*Session, error) {
	ctx, cancel := context.WithCancel(ctx)
	return &Session{stream: client.CallBidiStream(ctx), cancel: cancel}, nil
}

// Send sends a line.
func (s *Session) Send(line string) error {
	return s.stream.Send(wrapperspb.String(line))
}

// Receive waits for the next reply.
func (s *Session) Receive() (string, error) {
	msg, err := s.stream.Receive()
	if err != nil {
		return "", err
	}
	return msg.GetValue(), nil
}

// CloseSend says that no more lines will be sent.
func (s *Session) CloseSend() error {
	return s.stream.CloseRequest()
}

// Close ends the session.
func (s *Session) Close() error {
	s.cancel()
	_ = s.stream.CloseResponse()
	return nil
}

// Run sends the lines next yields over a session, each once the previous
// one has had its reply, and logs the replies; once next says io.EOF, it
// closes its side and logs the rest until the session ends.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	s, err := Dial(ctx, client)
	if err != nil {
		return err
	}
	defer s.Close()
	replies := make(chan string)
	ended := make(chan error, 1)
	go func() {
		for {
			reply, err := s.Receive()
			if err != nil {
				ended <- err
				return
			}
			select {
			case replies <- reply:
			case <-ctx.Done():
				return
			}
		}
	}()
	for {
		line, err := next(ctx)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if err := s.Send(line); err != nil {
			return err
		}
		select {
		case reply := <-replies:
			log.Printf("reply: %s", reply)
		case err := <-ended:
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	if err := s.CloseSend(); err != nil {
		return err
	}
	for {
		select {
		case reply := <-replies:
			log.Printf("reply: %s", reply)
		case err := <-ended:
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}
