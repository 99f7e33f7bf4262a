// A connect-go bidi stream opened under the group, held in a struct the
// task's receiver points to, in a group with one task whose parent can be
// cancelled: cancelling frees no pending Receive once the server has
// answered, so a cancelled parent leaves the task blocked. Reported (it
// was not: the stream's context was taken for invisible). What the fix
// writes is left to the fix.
package receiverbidi

import (
	"context"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type Msg struct{}

type session struct {
	stream *connect.BidiStreamForClient[Msg, Msg]
}

type reader struct{ sess *session }

func (r *reader) run() error {
	_, err := r.sess.stream.Receive() // want `Receive can block forever in an errgroup task: on a connect-go bidi stream`
	return err
}

func bidiInReceiver(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	r := &reader{sess: &session{stream: c.CallBidiStream(gctx)}}
	g.Go(r.run)
	return g.Wait()
}
