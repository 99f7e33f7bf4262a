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
	srv := startTLS(mux)
	p.shutdown = srv.Close
	p.ConnectV2 = chatv2.NewChatServiceClient(connect.NewClient(connecthttp.NewTransport(srv.Client(), srv.URL), p.countConnectV2))
}

type connectV2Handler struct{ p *Peer }

func (h connectV2Handler) Chat(ctx context.Context, s chatv2.ChatServiceChatServerStream) error {
	return h.p.holdChat(ctx, s.Send)
}

func (h connectV2Handler) Watch(ctx context.Context, _ *Msg, s chatv2.ChatServiceWatchServerStream) error {
	return h.p.holdWatch(ctx, s.Send)
}

func (h connectV2Handler) Upload(ctx context.Context, _ chatv2.ChatServiceUploadServerStream) (*Msg, error) {
	if err := h.p.holdUpload(ctx); err != nil {
		return nil, err
	}
	return wrapperspb.String("bye"), nil
}
