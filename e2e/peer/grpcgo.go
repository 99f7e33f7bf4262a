package peer

import (
	"net"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
)

func (p *Peer) startGRPC() error {
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	srv := grpc.NewServer()
	chatgrpc.RegisterChatServiceServer(srv, grpcHandler{p})
	served := make(chan struct{})
	go func() {
		defer close(served)
		_ = srv.Serve(countingListener{lis, p})
	}()
	conn, err := grpc.NewClient(lis.Addr().String(),
		grpc.WithTransportCredentials(insecure.NewCredentials()), grpc.WithStreamInterceptor(p.countGRPC))
	if err != nil {
		srv.Stop()
		<-served
		return err
	}
	p.shutdown = func() {
		_ = conn.Close()
		srv.Stop()
		<-served
	}
	p.GRPC = chatgrpc.NewChatServiceClient(conn)
	return nil
}

type grpcHandler struct{ p *Peer }

func (h grpcHandler) Chat(s grpc.BidiStreamingServer[Msg, Msg]) error {
	return h.p.holdChat(s.Context(), stream{send: s.Send, recv: s.Recv, sendHeaders: grpcHeaders(s)})
}

func (h grpcHandler) Watch(_ *Msg, s grpc.ServerStreamingServer[Msg]) error {
	return h.p.holdWatch(s.Context(), stream{send: s.Send, sendHeaders: grpcHeaders(s)})
}

func (h grpcHandler) Upload(s grpc.ClientStreamingServer[Msg, Msg]) error {
	if err := h.p.holdUpload(s.Context(), stream{recv: s.Recv, sendHeaders: grpcHeaders(s)}); err != nil {
		return err
	}
	return s.SendAndClose(wrapperspb.String("bye"))
}

// grpcHeaders flushes the response headers of s.
func grpcHeaders(s grpc.ServerStream) func() error {
	return func() error { return s.SendHeader(metadata.MD{}) }
}
