// Package chatv2 is what protoc-gen-connect-go v2 writes for a Chat
// service (its generated packages are internal to connect-go, so this is
// a faithful hand-written copy): named stream types that wrap
// connect.ClientStream and connect.ServerStream.
package chatv2

import (
	"context"

	connect "connectrpc.com/connect/v2"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type Msg = wrapperspb.StringValue

var chatSpec = connect.Spec{StreamType: connect.StreamTypeBidi, Procedure: "/chat.v1.ChatService/Chat"}

// ChatClient is the client of the Chat service.
type ChatClient struct{ client *connect.Client }

func NewChatClient(c *connect.Client) *ChatClient { return &ChatClient{client: c} }

// Chat opens a bidi stream.
func (c *ChatClient) Chat(ctx context.Context) (ChatServiceChatClientStream, error) {
	stream, err := c.client.CallClientStream(ctx, chatSpec)
	if err != nil {
		return ChatServiceChatClientStream{}, err
	}
	return ChatServiceChatClientStream{stream: stream}, nil
}

// Watch opens a server stream.
func (c *ChatClient) Watch(ctx context.Context, req *Msg) (ChatServiceWatchClientStream, error) {
	stream, err := c.client.CallServerStream(ctx, chatSpec, req)
	if err != nil {
		return ChatServiceWatchClientStream{}, err
	}
	return ChatServiceWatchClientStream{stream: stream}, nil
}

// Upload opens a client stream.
func (c *ChatClient) Upload(ctx context.Context) (ChatServiceUploadClientStream, error) {
	stream, err := c.client.CallClientStream(ctx, chatSpec)
	if err != nil {
		return ChatServiceUploadClientStream{}, err
	}
	return ChatServiceUploadClientStream{stream: stream}, nil
}

type ChatServiceChatClientStream struct {
	stream connect.ClientStream
}

func (s ChatServiceChatClientStream) SendHeaders() error  { return s.stream.SendHeaders() }
func (s ChatServiceChatClientStream) Send(req *Msg) error { return s.stream.Send(req) }
func (s ChatServiceChatClientStream) CloseSend() error    { return s.stream.CloseSend() }
func (s ChatServiceChatClientStream) Receive() (*Msg, error) {
	res := new(Msg)
	if err := s.stream.Receive(res); err != nil {
		return nil, err
	}
	return res, nil
}
func (s ChatServiceChatClientStream) Close() error { return s.stream.Close() }

type ChatServiceWatchClientStream struct {
	stream connect.ClientStream
}

func (s ChatServiceWatchClientStream) Receive() (*Msg, error) {
	res := new(Msg)
	if err := s.stream.Receive(res); err != nil {
		return nil, err
	}
	return res, nil
}
func (s ChatServiceWatchClientStream) Close() error { return s.stream.Close() }

type ChatServiceUploadClientStream struct {
	stream connect.ClientStream
}

func (s ChatServiceUploadClientStream) SendHeaders() error  { return s.stream.SendHeaders() }
func (s ChatServiceUploadClientStream) Send(req *Msg) error { return s.stream.Send(req) }
func (s ChatServiceUploadClientStream) CloseAndReceive() (*Msg, error) {
	if err := s.stream.CloseSend(); err != nil {
		return nil, err
	}
	res := new(Msg)
	return res, s.stream.Receive(res)
}

// ChatServiceChatServerStream is the handler side of Chat.
type ChatServiceChatServerStream struct {
	stream connect.ServerStream
}

func (s ChatServiceChatServerStream) Receive() (*Msg, error) {
	req := new(Msg)
	if err := s.stream.Receive(req); err != nil {
		return nil, err
	}
	return req, nil
}
func (s ChatServiceChatServerStream) Send(res *Msg) error { return s.stream.Send(res) }
