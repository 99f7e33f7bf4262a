// A conc ErrorPool's sender whose err comes from its producer or from
// Send (line, err := next(); if err == nil { err = stream.Send(line) }):
// when the producer fails, the sender cancels and returns though the
// stream is still open, so the receiver's pending Receive on a
// connect-go bidi stream is not freed (e2e's errpool client). Reported
// (it was missed: the if on err was taken for one on the stream's end,
// since one of the assignments reaching it is a Send).
package errfromelsewhere

import (
	"context"
	"errors"
	"io"

	"connectrpc.com/connect"
	"github.com/sourcegraph/conc/pool"
)

type Msg struct{}

func run(ctx context.Context, client *connect.Client[Msg, Msg], next func(context.Context) (*Msg, error)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := client.CallBidiStream(ctx)
	p := pool.New().WithErrors()
	p.Go(func() error {
		for {
			_, err := stream.Receive() // want `stream\.Receive can block forever in a conc pool task: on a connect-go bidi stream, cancelling ctx does not free a pending Receive`
			if errors.Is(err, io.EOF) || err != nil && ctx.Err() != nil {
				return nil
			}
			if err != nil {
				return err
			}
		}
	})
	p.Go(func() error {
		for {
			msg, err := next(ctx)
			if errors.Is(err, io.EOF) {
				return stream.CloseRequest()
			}
			if err == nil {
				err = stream.Send(msg)
			}
			if err != nil {
				cancel()
				return err
			}
		}
	})
	return p.Wait()
}

// The same sender with err from Send alone ends with the stream: not
// reported.
func sendOnly(ctx context.Context, client *connect.Client[Msg, Msg], msgs []*Msg) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := client.CallBidiStream(ctx)
	p := pool.New().WithErrors()
	p.Go(func() error {
		for {
			if _, err := stream.Receive(); err != nil {
				return nil
			}
		}
	})
	p.Go(func() error {
		for _, m := range msgs {
			if err := stream.Send(m); err != nil {
				return err
			}
		}
		return stream.CloseRequest()
	})
	return p.Wait()
}
