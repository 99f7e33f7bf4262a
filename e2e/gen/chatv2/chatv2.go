// Package chatv2 is what protoc-gen-connect-go writes for connect-go v2
// from a chat.v1.ChatService with three streaming methods. connect-go v2's
// own generated packages are internal, so this is a hand-written copy of
// that shape (compare connect-go's internal pingv1connect): one Spec per
// procedure, a client interface whose methods return named stream types
// wrapping connect.ClientStream, and handler adapters registered on a
// connect.Server.
package chatv2

import (
	"context"

	connect "connectrpc.com/connect/v2"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// Msg is the request and response message of every method.
type Msg = wrapperspb.StringValue

// Procedure names of the ChatService methods.
const (
	ChatServiceChatProcedure   = "/chat.v1.ChatService/Chat"
	ChatServiceWatchProcedure  = "/chat.v1.ChatService/Watch"
	ChatServiceUploadProcedure = "/chat.v1.ChatService/Upload"
)

var (
	chatServiceChatSpec   = connect.Spec{StreamType: connect.StreamTypeBidi, Procedure: ChatServiceChatProcedure}
	chatServiceWatchSpec  = connect.Spec{StreamType: connect.StreamTypeServer, Procedure: ChatServiceWatchProcedure}
	chatServiceUploadSpec = connect.Spec{StreamType: connect.StreamTypeClient, Procedure: ChatServiceUploadProcedure}
)

// ChatServiceClient is a client for the chat.v1.ChatService service.
type ChatServiceClient interface {
	// Chat is a bidi stream.
	Chat(context.Context) (ChatServiceChatClientStream, error)
	// Watch is a server stream.
	Watch(context.Context, *Msg) (ChatServiceWatchClientStream, error)
	// Upload is a client stream.
	Upload(context.Context) (ChatServiceUploadClientStream, error)
}

// NewChatServiceClient constructs a client for the chat.v1.ChatService
// service.
func NewChatServiceClient(client *connect.Client) ChatServiceClient {
	return &chatServiceClient{client: client}
}

type chatServiceClient struct {
	client *connect.Client
}

func (c *chatServiceClient) Chat(ctx context.Context) (ChatServiceChatClientStream, error) {
	stream, err := c.client.CallClientStream(ctx, chatServiceChatSpec)
	if err != nil {
		return ChatServiceChatClientStream{}, err
	}
	return ChatServiceChatClientStream{stream: stream}, nil
}

func (c *chatServiceClient) Watch(ctx context.Context, req *Msg) (ChatServiceWatchClientStream, error) {
	stream, err := c.client.CallServerStream(ctx, chatServiceWatchSpec, req)
	if err != nil {
		return ChatServiceWatchClientStream{}, err
	}
	return ChatServiceWatchClientStream{stream: stream}, nil
}

func (c *chatServiceClient) Upload(ctx context.Context) (ChatServiceUploadClientStream, error) {
	stream, err := c.client.CallClientStream(ctx, chatServiceUploadSpec)
	if err != nil {
		return ChatServiceUploadClientStream{}, err
	}
	return ChatServiceUploadClientStream{stream: stream}, nil
}

// ChatServiceChatClientStream is the client stream for the Chat RPC.
type ChatServiceChatClientStream struct {
	stream connect.ClientStream
}

// SendHeaders opens the stream without a message.
func (s ChatServiceChatClientStream) SendHeaders() error { return s.stream.SendHeaders() }

// Send sends a request message to the server.
func (s ChatServiceChatClientStream) Send(req *Msg) error { return s.stream.Send(req) }

// CloseSend closes the request side of the stream.
func (s ChatServiceChatClientStream) CloseSend() error { return s.stream.CloseSend() }

// Receive returns the next response message from the server.
func (s ChatServiceChatClientStream) Receive() (*Msg, error) {
	var res Msg
	if err := s.stream.Receive(&res); err != nil {
		return nil, err
	}
	return &res, nil
}

// Close releases the stream's resources, unblocking a pending Receive.
func (s ChatServiceChatClientStream) Close() error { return s.stream.Close() }

// ChatServiceWatchClientStream is the client stream for the Watch RPC.
type ChatServiceWatchClientStream struct {
	stream connect.ClientStream
}

// Receive returns the next response message from the server.
func (s ChatServiceWatchClientStream) Receive() (*Msg, error) {
	var res Msg
	if err := s.stream.Receive(&res); err != nil {
		return nil, err
	}
	return &res, nil
}

// Close releases the stream's resources, unblocking a pending Receive.
func (s ChatServiceWatchClientStream) Close() error { return s.stream.Close() }

// ChatServiceUploadClientStream is the client stream for the Upload RPC.
type ChatServiceUploadClientStream struct {
	stream connect.ClientStream
}

// SendHeaders opens the stream without a message.
func (s ChatServiceUploadClientStream) SendHeaders() error { return s.stream.SendHeaders() }

// Send sends a request message to the server.
func (s ChatServiceUploadClientStream) Send(req *Msg) error { return s.stream.Send(req) }

// CloseAndReceive closes the request side and returns the single response.
func (s ChatServiceUploadClientStream) CloseAndReceive() (*Msg, error) {
	if err := s.stream.CloseSend(); err != nil {
		return nil, err
	}
	var res Msg
	if err := s.stream.Receive(&res); err != nil {
		return nil, err
	}
	return &res, nil
}

// ChatServiceHandler is an implementation of the chat.v1.ChatService
// service.
type ChatServiceHandler interface {
	Chat(context.Context, ChatServiceChatServerStream) error
	Watch(context.Context, *Msg, ChatServiceWatchServerStream) error
	Upload(context.Context, ChatServiceUploadServerStream) (*Msg, error)
}

// RegisterChatServiceHandler registers svc on server.
func RegisterChatServiceHandler(server *connect.Server, svc ChatServiceHandler) {
	adapter := chatServiceHandler{svc: svc}
	server.Register(
		connect.Method{Spec: chatServiceChatSpec, Handler: adapter.chat},
		connect.Method{Spec: chatServiceWatchSpec, Handler: adapter.watch},
		connect.Method{Spec: chatServiceUploadSpec, Handler: adapter.upload},
	)
}

// ChatServiceChatServerStream is the server stream for the Chat RPC.
type ChatServiceChatServerStream struct {
	stream connect.ServerStream
}

// SendHeaders flushes the response headers without a message.
func (s ChatServiceChatServerStream) SendHeaders() error { return s.stream.SendHeaders() }

// Receive returns the next request message from the client.
func (s ChatServiceChatServerStream) Receive() (*Msg, error) {
	var req Msg
	if err := s.stream.Receive(&req); err != nil {
		return nil, err
	}
	return &req, nil
}

// Send sends a response message to the client.
func (s ChatServiceChatServerStream) Send(res *Msg) error { return s.stream.Send(res) }

// ChatServiceWatchServerStream is the server stream for the Watch RPC.
type ChatServiceWatchServerStream struct {
	stream connect.ServerStream
}

// SendHeaders flushes the response headers without a message.
func (s ChatServiceWatchServerStream) SendHeaders() error { return s.stream.SendHeaders() }

// Send sends a response message to the client.
func (s ChatServiceWatchServerStream) Send(res *Msg) error { return s.stream.Send(res) }

// ChatServiceUploadServerStream is the server stream for the Upload RPC.
type ChatServiceUploadServerStream struct {
	stream connect.ServerStream
}

// SendHeaders flushes the response headers without a message.
func (s ChatServiceUploadServerStream) SendHeaders() error { return s.stream.SendHeaders() }

// Receive returns the next request message from the client.
func (s ChatServiceUploadServerStream) Receive() (*Msg, error) {
	var req Msg
	if err := s.stream.Receive(&req); err != nil {
		return nil, err
	}
	return &req, nil
}

type chatServiceHandler struct{ svc ChatServiceHandler }

func (h chatServiceHandler) chat(ctx context.Context, _ connect.Spec, stream connect.ServerStream) error {
	return h.svc.Chat(ctx, ChatServiceChatServerStream{stream: stream})
}

func (h chatServiceHandler) watch(ctx context.Context, _ connect.Spec, stream connect.ServerStream) error {
	var req Msg
	if err := stream.Receive(&req); err != nil {
		return err
	}
	return h.svc.Watch(ctx, &req, ChatServiceWatchServerStream{stream: stream})
}

func (h chatServiceHandler) upload(ctx context.Context, _ connect.Spec, stream connect.ServerStream) error {
	res, err := h.svc.Upload(ctx, ChatServiceUploadServerStream{stream: stream})
	if err != nil {
		return err
	}
	return stream.Send(res)
}
