// A connect-go bidi stream opened inside an expression in a task,
// c.CallBidiStream(sctx).Receive(), with a zero-value group whose sibling
// cancels: cancelling frees no pending Receive once the server has
// answered, and nothing closes the stream, so it is reported. The stream
// has no name; the message told to write
// `_ = c.CallBidiStream(sctx).CloseResponse()`, which opens a second
// stream and closes that one. The message must name no call to write on
// the opening call.
package msgcalloncall

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type Msg struct{}

func zeroGroupSibling(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	var g errgroup.Group
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g.Go(func() error {
		_, err := c.CallBidiStream(sctx).Receive() // want `Receive can block forever in an errgroup task`
		return err
	})
	g.Go(func() error {
		defer cancel()
		return errors.New("fail")
	})
	return g.Wait()
}
