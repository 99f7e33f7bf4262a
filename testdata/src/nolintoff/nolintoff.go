// With Settings.Nolint off, as in the golangci-lint plugin, //nolint is
// left to golangci-lint: it silences nothing here and is never reported
// unused. //bidictxlint:ignore works as always.
package nolintoff

import (
	"context"
	"errors"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
)

type Msg struct{}

type ChatClient interface {
	Chat(ctx context.Context) (grpc.BidiStreamingClient[Msg, Msg], error)
}

func chat(ctx context.Context, client ChatClient) error {
	s1, _ := client.Chat(ctx)
	s2, _ := client.Chat(ctx)
	s3, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := s1.Recv(); return err })          //nolint:bidictxlint // want `s1\.Recv can block forever`
	g.Go(func() error { _, err := s2.Recv(); return err })          //nolint // want `s2\.Recv can block forever`
	g.Go(func() error { _, err := s3.Recv(); return err })          //bidictxlint:ignore uncancelled-stream reviewed
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") }) //nolint:bidictxlint // stale, but golangci-lint's to report
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") }) //bidictxlint:ignore uncancelled-stream stale // want `silences no uncancelled-stream finding`
	return g.Wait()
}
