// Handlers that receive inside errgroup tasks (docs/rules.md, Server side).
package server

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"gen/chatv2"
	"google.golang.org/grpc"

	"golang.org/x/sync/errgroup"
)

type Msg struct{}

type Server struct{}

// connectV1: the receive loop is one of two tasks and the handler waits.
func (s *Server) Chat(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			if _, err := stream.Receive(); err != nil { // want `stream\.Receive in an errgroup task blocks until the client sends or hangs up, while the handler waits in g\.Wait\(\); receive outside the group`
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// grpcGo: the same with a grpc-go handler stream.
func (s *Server) ChatGRPC(stream grpc.BidiStreamingServer[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(context.Background())
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv in an errgroup task blocks until the client sends or hangs up`
	g.Go(func() error { return stream.Send(&Msg{}) })
	_ = gctx
	return g.Wait()
}

// connectV2: a generated handler stream of connect-go v2.
func (s *Server) ChatV2(ctx context.Context, stream chatv2.ChatServiceChatServerStream) error {
	var g errgroup.Group
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `stream\.Receive in an errgroup task blocks`
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}

// onlyTask: the receive is the only task; when it ends the group ends.
func (s *Server) onlyTask(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err })
	return g.Wait()
}

// noWait: the handler does not wait for the group; returning ends the stream.
func (s *Server) noWait(ctx context.Context, stream *connect.BidiStream[Msg, Msg], done chan<- error) error {
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err })
	g.Go(func() error { return errors.New("fail") })
	go func() { done <- g.Wait() }()
	return nil
}

// sendOnly: Send is not a receive: no report on the server side.
func (s *Server) sendOnly(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { return stream.Send(&Msg{}) })
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}
