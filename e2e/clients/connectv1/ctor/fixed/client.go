// Package fixed is ctor fixed by hand as bidictxlint fixes it, at the
// opener: the constructor that opens the stream is given a context of the
// RPC's own, whose cancel func, with the stream's close (a connect-go bidi
// stream), runs once the group's context is done.
package fixed

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
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	sess := newSession(rpcCtx, client)
	g, gctx := errgroup.WithContext(rpcCtx)
	context.AfterFunc(gctx, func() {
		rpcCancel()
		_ = sess.stream.CloseResponse()
	})
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
