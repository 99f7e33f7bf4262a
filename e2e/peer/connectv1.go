package peer

import (
	"context"
	"net/http"

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
			return p.holdChat(ctx, stream{send: s.Send, recv: s.Receive, sendHeaders: func() error { return s.Send(nil) }})
		}))
	mux.Handle(WatchProcedure, connect.NewServerStreamHandler(WatchProcedure,
		func(ctx context.Context, _ *connect.Request[Msg], s *connect.ServerStream[Msg]) error {
			return p.holdWatch(ctx, stream{send: s.Send, sendHeaders: func() error { return s.Send(nil) }})
		}))
	mux.Handle(UploadProcedure, connect.NewClientStreamHandler(UploadProcedure,
		func(ctx context.Context, s *connect.ClientStream[Msg]) (*connect.Response[Msg], error) {
			// The handler's stream has no Send: flush the headers on its conn.
			headers := func() error { return s.Conn().Send(nil) }
			if err := p.holdUpload(ctx, stream{recv: uploadReceiver(s), sendHeaders: headers}); err != nil {
				return nil, err
			}
			return connect.NewResponse(wrapperspb.String("bye")), nil
		}))
	client, url := p.startHTTP(mux)
	count := connect.WithInterceptors(connectV1Counter{p})
	p.ConnectV1 = &ConnectV1Clients{
		Chat:   connect.NewClient[Msg, Msg](client, url+ChatProcedure, count),
		Watch:  connect.NewClient[Msg, Msg](client, url+WatchProcedure, count),
		Upload: connect.NewClient[Msg, Msg](client, url+UploadProcedure, count),
	}
}
