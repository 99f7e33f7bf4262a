// Package session wraps a connect-go v2 bidi stream in a Session type whose Close
// only cancels the stream's context. Run reads the session's replies in a
// goroutine and closes the session on return. Once the server has answered
// and while the request side is open, the cancel does not free the
// goroutine's pending Receive (see TestFacts): the goroutine outlives Run,
// blocked until the server ends the stream.
package session

import (
	"context"
	"errors"
	"io"
	"log"

	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

// A Session is a chat over one bidi stream.
type Session struct {
	stream chatv2.ChatServiceChatClientStream
	cancel context.CancelFunc
}

// Dial opens a session.
func Dial(ctx context.Context, client chatv2.ChatServiceClient) (*Session, error) {
	ctx, cancel := context.WithCancel(ctx)
	stream, err := client.Chat(ctx)
	if err != nil {
		cancel()
		return nil, err
	}
	return &Session{stream: stream, cancel: cancel}, nil
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
	return s.stream.CloseSend()
}

// Close ends the session.
func (s *Session) Close() error {
	s.cancel()
	return nil
}

// Run sends the lines next yields over a session, each once the previous
// one has had its reply, and logs the replies; once next says io.EOF, it
// closes its side and logs the rest until the session ends.
func Run(ctx context.Context, client chatv2.ChatServiceClient, next func(context.Context) (string, error)) error {
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
