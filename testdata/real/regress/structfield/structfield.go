// A connect-go bidi stream opened in a struct literal's field,
// s := &session{stream: c.Chat(ctx)}, and received through the field in a
// task. The analyzer crashed planning the fix, and where it did not (a
// zero-value group) its message told to write
// `_ = c.Chat(ctx).CloseResponse()`, which opens a second stream. The fix
// derives the RPC's context and closes the stream through the field.
package structfield

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type Msg struct{}

// ChatClient is what protoc-gen-connect-go (v1) writes for a bidi method.
type ChatClient interface {
	Chat(context.Context) *connect.BidiStreamForClient[Msg, Msg]
}

type session struct {
	stream *connect.BidiStreamForClient[Msg, Msg]
}

func structLiteral(ctx context.Context, c ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	s := &session{stream: c.Chat(ctx)}
	g.Go(func() error {
		_, err := s.stream.Receive() // want `s\.stream\.Receive can block forever in an errgroup task: .*_ = s\.stream\.CloseResponse\(\)`
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
