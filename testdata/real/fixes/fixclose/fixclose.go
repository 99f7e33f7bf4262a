// Shape 6: the stream's context is not visible.
package fixclose

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"
	"example.com/real/gen/chatv2"

	"golang.org/x/sync/errgroup"
)

// v2Param: a connect-go v2 stream can be closed, which frees Receive.
func v2Param(ctx context.Context, stream chatv2.ChatServiceChatClientStream) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `stream\.Receive can block forever in an errgroup task: the stream's context is not visible here and is not cancelled when gctx is; close the stream with context\.AfterFunc\(gctx, func\(\) \{ _ = stream\.Close\(\) \}\)`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// grpcParam: nothing here can free Recv; report without a fix.
func grpcParam(ctx context.Context, stream chatgrpc.Chat_LegacyClient) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context is not visible here and is not cancelled when gctx is; the stream's opener must cancel it when gctx is done`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
