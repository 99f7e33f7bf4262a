// Package ctor is a connect-go v1 bidi chat whose stream a same-package
// constructor opens and keeps in a struct. The constructor gets the
// caller's context: when the sending task fails, the receive loop on
// sess.stream keeps waiting and Run never returns.
package ctor

import (
	"context"
	"errors"
	"io"
	"log"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// A session is one chat.
type session struct {
	stream *connect.BidiStreamForClient[wrapperspb.StringValue, wrapperspb.StringValue]
}

// newSession opens a chat.
func newSession(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue]) *session {
	return &session{stream: client.CallBidiStream(ctx)}
}

// Run sends the lines next yields and logs the replies until the chat ends
// and next says io.EOF, or either fails.
func Run(ctx context.Context, client *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue], next func(context.Context) (string, error)) error {
	sess := newSession(ctx, client)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			msg, err := sess.stream.Receive()
			if errors.Is(err, io.EOF) {
				return sess.stream.CloseResponse()
			}
			if err != nil {
				return err
			}
			log.Printf("reply: %s", msg.GetValue())
		}
	})
	g.Go(func() error {
		for {
			line, err := next(gctx)
			if errors.Is(err, io.EOF) {
				return sess.stream.CloseRequest()
			}
			if err != nil {
				return err
			}
			if err := sess.stream.Send(wrapperspb.String(line)); err != nil {
				return err
			}
		}
	})
	return g.Wait()
}
