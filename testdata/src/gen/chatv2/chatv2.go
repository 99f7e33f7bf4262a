// Package chatv2 is what protoc-gen-connect-go v2 generates for a Chat
// service: named stream types that wrap connect.ClientStream.
package chatv2

import (
	"context"

	connect "connectrpc.com/connect/v2"
)

type Msg struct{}

type ChatClient interface {
	Chat(ctx context.Context) (ChatServiceChatClientStream, error)
}

type ChatServiceChatClientStream struct {
	stream connect.ClientStream
}

func (s ChatServiceChatClientStream) Send(m *Msg) error      { return s.stream.Send(m) }
func (s ChatServiceChatClientStream) CloseSend() error       { return s.stream.CloseSend() }
func (s ChatServiceChatClientStream) Receive() (*Msg, error) { return nil, s.stream.Receive(nil) }
func (s ChatServiceChatClientStream) Close() error           { return s.stream.Close() }

// ChatServiceChatServerStream is the handler side of Chat.
type ChatServiceChatServerStream struct {
	stream connect.ServerStream
}

func (s ChatServiceChatServerStream) Receive() (*Msg, error) { return nil, s.stream.Receive(nil) }
func (s ChatServiceChatServerStream) Send(m *Msg) error      { return s.stream.Send(m) }
