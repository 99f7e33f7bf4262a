// A package-level zero-value group whose sibling task cancels a
// connect-go bidi stream's context: cancelling does not free a pending
// Receive once the server has answered, so the stream must also be
// closed. A package-level group cannot become errgroup.WithContext (the
// message said "create the group with pkgGroup, gctx :=
// errgroup.WithContext(sctx)"); the close waits on the stream's own
// context, which the sibling cancels.
package pkggroupbidi

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type Msg struct{}

var pkgGroup errgroup.Group

func work() error { return errors.New("fail") }

func siblingCancels(ctx context.Context, client *connect.Client[Msg, Msg]) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := client.CallBidiStream(sctx)
	pkgGroup.Go(func() error {
		_, err := stream.Receive() // want `stream\.Receive can block forever in an errgroup task: on a connect-go bidi stream, cancelling sctx does not free a pending Receive once the server has answered; also close the stream when sctx is done: context\.AfterFunc\(sctx, func\(\) \{ _ = stream\.CloseResponse\(\) \}\)`
		return err
	})
	pkgGroup.Go(func() error {
		defer cancel()
		return work()
	})
	return pkgGroup.Wait()
}
