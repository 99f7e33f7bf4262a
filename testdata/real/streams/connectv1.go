// Package streams is the catalogue of stream kinds (docs/rules.md, Streams): each
// client stream type of each library is reported in the bug shape, and a
// method of the same name on another type is not.
package streams

import (
	"context"
	"errors"
	"net/http"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type Msg = wrapperspb.StringValue

func v1Client() *connect.Client[Msg, Msg] {
	return connect.NewClient[Msg, Msg](http.DefaultClient, "http://localhost/chat.v1.ChatService/Chat")
}

// v1Bidi: *connect.BidiStreamForClient, Receive.
func v1Bidi(ctx context.Context) error {
	stream := v1Client().CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `stream\.Receive can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v1BidiSimple: *connect.BidiStreamForClientSimple, Send.
func v1BidiSimple(ctx context.Context) error {
	stream, err := v1Client().CallBidiStreamSimple(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return stream.Send(&Msg{}) }) // want `stream\.Send can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v1ServerStream: *connect.ServerStreamForClient, Receive() bool.
func v1ServerStream(ctx context.Context) error {
	stream, err := v1Client().CallServerStream(ctx, connect.NewRequest(&Msg{}))
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for stream.Receive() { // want `stream\.Receive can block forever`
		}
		return stream.Err()
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v1ClientStream: *connect.ClientStreamForClient, CloseAndReceive.
func v1ClientStream(ctx context.Context) error {
	stream := v1Client().CallClientStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.CloseAndReceive(); return err }) // want `stream\.CloseAndReceive can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v1ClientStreamSimple: *connect.ClientStreamForClientSimple.
func v1ClientStreamSimple(ctx context.Context) error {
	stream, err := v1Client().CallClientStreamSimple(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.CloseAndReceive(); return err }) // want `stream\.CloseAndReceive can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v1Conn: connect.StreamingClientConn received as a parameter: its
// context is not visible, so the report comes without a fix.
func v1Conn(ctx context.Context, conn connect.StreamingClientConn) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return conn.Receive(&Msg{}) }) // want `conn\.Receive can block forever in an errgroup task: the stream's context is not visible here and is not cancelled when gctx is; the stream's opener must cancel it`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v1ResponseHeader: ResponseHeader waits for the response headers.
func v1ResponseHeader(ctx context.Context) error {
	stream := v1Client().CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _ = stream.ResponseHeader(); return nil }) // want `stream\.ResponseHeader can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// v1CloseRequest: CloseRequest does not wait for the peer: no report.
func v1CloseRequest(ctx context.Context) error {
	stream := v1Client().CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return stream.CloseRequest() })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
