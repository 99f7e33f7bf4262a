// Package fixleaks is the fix catalogue of goroutines that outlive their
// function and of stream wrappers whose close only cancels
// (docs/fixes.md#close-on-return).
package fixleaks

import (
	"context"

	"connectrpc.com/connect"

	"example.com/real/gen/chatgrpc"
)

type Msg = chatgrpc.Msg

// pump: the deferred cancel frees nothing once the server has answered;
// the fix cancels, then closes, on every return.
func pump(ctx context.Context, c *connect.Client[Msg, Msg], out chan<- *Msg, next func() error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	go func() {
		for {
			m, err := stream.Receive() // want `stream\.Receive in this goroutine outlives pump: on a connect-go bidi stream whose server has answered, cancelling ctx frees no pending Receive; close the stream on return, cancelling first: defer func\(\) \{ cancel\(\); _ = stream\.CloseResponse\(\) \}\(\)$`
			if err != nil {
				return
			}
			out <- m
		}
	}()
	return next()
}

// noCancel: the stream's context is the caller's; the fix derives one to
// cancel before the close.
func noCancel(ctx context.Context, c *connect.Client[Msg, Msg], out chan<- *Msg, next func() error) error {
	stream := c.CallBidiStream(ctx)
	go func() {
		for {
			m, err := stream.Receive() // want `stream\.Receive in this goroutine outlives noCancel: on a connect-go bidi stream whose server has answered, cancelling ctx frees no pending Receive; derive rpcCtx, rpcCancel := context\.WithCancel\(ctx\) with defer rpcCancel\(\), open the stream on rpcCtx and close the stream on return, cancelling first: defer func\(\) \{ rpcCancel\(\); _ = stream\.CloseResponse\(\) \}\(\)$`
			if err != nil {
				return
			}
			out <- m
		}
	}()
	return next()
}

// conn wraps a connect-go v1 bidi stream; its Close only cancels.
type conn struct {
	stream *connect.BidiStreamForClient[Msg, Msg]
	cancel context.CancelFunc
}

func (c *conn) Read() (*Msg, error) { return c.stream.Receive() }

func (c *conn) Close() error { // want `\(\*conn\)\.Close cancels but does not close c\.stream: on a connect-go bidi stream whose server has answered, cancelling frees no pending Receive; close it after the cancel: _ = c\.stream\.CloseResponse\(\)$`
	c.cancel() // ends the RPC
	return nil
}
