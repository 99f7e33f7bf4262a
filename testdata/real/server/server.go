// Package server is the catalogue of docs/rules.md's Server side: handlers that
// receive from their own stream inside errgroup tasks.
package server

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"

	"example.com/real/gen/chatgrpc"
	"example.com/real/gen/chatv2"
)

type Msg = chatgrpc.Msg

type Server struct{}

// ChatV1: connect-go v1 bidi handler; receive in one of two tasks.
func (s *Server) ChatV1(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
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

// UploadV1: connect-go v1 client-stream handler.
func (s *Server) UploadV1(ctx context.Context, stream *connect.ClientStream[Msg]) (*connect.Response[Msg], error) {
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error {
		for stream.Receive() { // want `stream\.Receive in an errgroup task blocks`
		}
		return stream.Err()
	})
	g.Go(func() error { return errors.New("fail") })
	return connect.NewResponse(&Msg{}), g.Wait()
}

// ChatV2: connect-go v2 generated handler stream.
func (s *Server) ChatV2(ctx context.Context, stream chatv2.ChatServiceChatServerStream) error {
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `stream\.Receive in an errgroup task blocks`
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}

// ChatGRPC: grpc-go generic handler stream.
func (s *Server) ChatGRPC(stream grpc.BidiStreamingServer[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(stream.Context())
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv in an errgroup task blocks`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// LegacyGRPC: a pre-generics generated handler stream, RecvMsg.
func (s *Server) LegacyGRPC(stream chatgrpc.Chat_LegacyServer) error {
	var g errgroup.Group
	g.Go(func() error { return stream.RecvMsg(&Msg{}) }) // want `stream\.RecvMsg in an errgroup task blocks`
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}

// onlyTask: the receive is the group's only task: no report.
func (s *Server) onlyTask(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err })
	return g.Wait()
}

// noWait: the handler does not wait for the group: no report.
func (s *Server) noWait(ctx context.Context, stream *connect.BidiStream[Msg, Msg], done chan<- error) error {
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err })
	g.Go(func() error { return errors.New("fail") })
	go func() { done <- g.Wait() }()
	return nil
}

// restructured: the remedy; receive outside the group.
func (s *Server) restructured(ctx context.Context, stream *connect.BidiStream[Msg, Msg]) error {
	msgs := make(chan *Msg)
	go func() {
		defer close(msgs)
		for {
			m, err := stream.Receive()
			if err != nil {
				return
			}
			msgs <- m
		}
	}()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			select {
			case <-gctx.Done():
				return gctx.Err()
			case _, ok := <-msgs:
				if !ok {
					return nil
				}
			}
		}
	})
	g.Go(func() error { return errors.New("fail") })
	return g.Wait()
}
