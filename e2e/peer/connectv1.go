package peer

import (
	"context"
	"net/http"
	"net/http/httptest"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// Procedures of the connect-go v1 ChatService.
const (
	ChatProcedure   = "/chat.v1.ChatService/Chat"
	WatchProcedure  = "/chat.v1.ChatService/Watch"
	UploadProcedure = "/chat.v1.ChatService/Upload"
)

// ConnectV1Clients are connect-go v1 clients, one per procedure, as
// generated connect-go v1 code holds them.
type ConnectV1Clients struct {
	Chat   *connect.Client[Msg, Msg] // bidi stream
	Watch  *connect.Client[Msg, Msg] // server stream
	Upload *connect.Client[Msg, Msg] // client stream
}

func (p *Peer) startConnectV1() {
	mux := http.NewServeMux()
	mux.Handle(ChatProcedure, connect.NewBidiStreamHandler(ChatProcedure,
		func(ctx context.Context, s *connect.BidiStream[Msg, Msg]) error {
			return p.holdChat(ctx, s.Send)
		}))
	mux.Handle(WatchProcedure, connect.NewServerStreamHandler(WatchProcedure,
		func(ctx context.Context, _ *connect.Request[Msg], s *connect.ServerStream[Msg]) error {
			return p.holdWatch(ctx, s.Send)
		}))
	mux.Handle(UploadProcedure, connect.NewClientStreamHandler(UploadProcedure,
		func(ctx context.Context, _ *connect.ClientStream[Msg]) (*connect.Response[Msg], error) {
			if err := p.holdUpload(ctx); err != nil {
				return nil, err
			}
			return connect.NewResponse(wrapperspb.String("bye")), nil
		}))
	srv := startTLS(mux)
	p.shutdown = srv.Close
	count := connect.WithInterceptors(connectV1Counter{p})
	p.ConnectV1 = &ConnectV1Clients{
		Chat:   connect.NewClient[Msg, Msg](srv.Client(), srv.URL+ChatProcedure, count),
		Watch:  connect.NewClient[Msg, Msg](srv.Client(), srv.URL+WatchProcedure, count),
		Upload: connect.NewClient[Msg, Msg](srv.Client(), srv.URL+UploadProcedure, count),
	}
}

// startTLS starts an HTTP/2 server with TLS on 127.0.0.1 (httptest
// listens on loopback only).
func startTLS(h http.Handler) *httptest.Server {
	srv := httptest.NewUnstartedServer(h)
	srv.EnableHTTP2 = true
	srv.StartTLS()
	return srv
}
