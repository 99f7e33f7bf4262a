// The only blocking call of this package is a Recv declared in a package
// that neither is nor imports a stream library, made through an
// interface of this package that holds a grpc-go stream. The fast exit
// kept it only because the interface is this package's
// (docs/performance.md#the-fast-exit); it is reported as the same task
// calling stream.Recv directly would be.
package foreigniface

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"
	"example.com/real/regress/foreigniface/recv"
	"golang.org/x/sync/errgroup"
)

type msgs interface {
	recv.Receiver[*chatgrpc.Msg]
}

func drain(s msgs) error {
	for {
		if _, err := s.Recv(); err != nil {
			return err
		}
	}
}

func reassigned(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { return drain(stream) }) // want `stream\.Recv can block forever in an errgroup task \(in drain\)`
	g.Go(func() error { <-ctx.Done(); return errors.New("boom") })
	return g.Wait()
}
