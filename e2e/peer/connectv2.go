package peer

import (
	"context"
	"net/http"

	connect "connectrpc.com/connect/v2"
	"connectrpc.com/connect/v2/connecthttp"
	"google.golang.org/protobuf/types/known/wrapperspb"

	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
)

func (p *Peer) startConnectV2() {
	server := connect.NewServer()
	chatv2.RegisterChatServiceHandler(server, connectV2Handler{p})
	mux := http.NewServeMux()
	connecthttp.Mount(mux, server)
	client, url := p.startHTTP(mux)
	p.ConnectV2Client = connect.NewClient(connecthttp.NewTransport(client, url), p.countConnectV2)
	p.ConnectV2 = chatv2.NewChatServiceClient(p.ConnectV2Client)
}

type connectV2Handler struct{ p *Peer }

func (h connectV2Handler) Chat(ctx context.Context, s chatv2.ChatServiceChatServerStream) error {
	return h.p.holdChat(ctx, stream{send: s.Send, recv: s.Receive, sendHeaders: s.SendHeaders})
}

func (h connectV2Handler) Watch(ctx context.Context, _ *Msg, s chatv2.ChatServiceWatchServerStream) error {
	return h.p.holdWatch(ctx, stream{send: s.Send, sendHeaders: s.SendHeaders})
}

func (h connectV2Handler) Upload(ctx context.Context, s chatv2.ChatServiceUploadServerStream) (*Msg, error) {
	if err := h.p.holdUpload(ctx, stream{recv: s.Receive, sendHeaders: s.SendHeaders}); err != nil {
		return nil, err
	}
	return wrapperspb.String("bye"), nil
}
