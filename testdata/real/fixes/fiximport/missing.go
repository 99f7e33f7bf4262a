// The file does not import context: the fix adds it.
package fiximport

import (
	"errors"

	"example.com/real/gen/chatgrpc"

	"golang.org/x/sync/errgroup"
)

func (s *session) missing(client chatgrpc.ChatClient) error {
	stream, err := client.Chat(s.ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(s.ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context s\.ctx is not cancelled when gctx is`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
