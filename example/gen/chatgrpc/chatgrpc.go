// Package chatgrpc is what protoc-gen-go-grpc writes for a Chat service,
// in the generic style (grpc-go 1.64 and later) and the pre-generics
// style (Chat_LegacyClient), hand-written to avoid code generation.
package chatgrpc

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type Msg = wrapperspb.StringValue

var desc = grpc.StreamDesc{StreamName: "Chat", ServerStreams: true, ClientStreams: true}

// ChatClient is the client API for the Chat service.
type ChatClient interface {
	Chat(ctx context.Context, opts ...grpc.CallOption) (grpc.BidiStreamingClient[Msg, Msg], error)
	Watch(ctx context.Context, in *Msg, opts ...grpc.CallOption) (grpc.ServerStreamingClient[Msg], error)
	Upload(ctx context.Context, opts ...grpc.CallOption) (grpc.ClientStreamingClient[Msg, Msg], error)
	Legacy(ctx context.Context, opts ...grpc.CallOption) (Chat_LegacyClient, error)
}

type chatClient struct{ cc grpc.ClientConnInterface }

func NewChatClient(cc grpc.ClientConnInterface) ChatClient { return &chatClient{cc} }

func (c *chatClient) Chat(ctx context.Context, opts ...grpc.CallOption) (grpc.BidiStreamingClient[Msg, Msg], error) {
	stream, err := c.cc.NewStream(ctx, &desc, "/chat.Chat/Chat", opts...)
	if err != nil {
		return nil, err
	}
	return &grpc.GenericClientStream[Msg, Msg]{ClientStream: stream}, nil
}

func (c *chatClient) Watch(ctx context.Context, in *Msg, opts ...grpc.CallOption) (grpc.ServerStreamingClient[Msg], error) {
	stream, err := c.cc.NewStream(ctx, &desc, "/chat.Chat/Watch", opts...)
	if err != nil {
		return nil, err
	}
	x := &grpc.GenericClientStream[Msg, Msg]{ClientStream: stream}
	if err := x.ClientStream.SendMsg(in); err != nil {
		return nil, err
	}
	if err := x.ClientStream.CloseSend(); err != nil {
		return nil, err
	}
	return x, nil
}

func (c *chatClient) Upload(ctx context.Context, opts ...grpc.CallOption) (grpc.ClientStreamingClient[Msg, Msg], error) {
	stream, err := c.cc.NewStream(ctx, &desc, "/chat.Chat/Upload", opts...)
	if err != nil {
		return nil, err
	}
	return &grpc.GenericClientStream[Msg, Msg]{ClientStream: stream}, nil
}

func (c *chatClient) Legacy(ctx context.Context, opts ...grpc.CallOption) (Chat_LegacyClient, error) {
	stream, err := c.cc.NewStream(ctx, &desc, "/chat.Chat/Legacy", opts...)
	if err != nil {
		return nil, err
	}
	return &chatLegacyClient{stream}, nil
}

// Chat_LegacyClient is the pre-generics generated stream interface.
type Chat_LegacyClient interface {
	Send(*Msg) error
	Recv() (*Msg, error)
	grpc.ClientStream
}

type chatLegacyClient struct{ grpc.ClientStream }

func (x *chatLegacyClient) Send(m *Msg) error { return x.ClientStream.SendMsg(m) }
func (x *chatLegacyClient) Recv() (*Msg, error) {
	m := new(Msg)
	if err := x.ClientStream.RecvMsg(m); err != nil {
		return nil, err
	}
	return m, nil
}

// Chat_LegacyServer is the pre-generics generated handler stream.
type Chat_LegacyServer interface {
	Send(*Msg) error
	Recv() (*Msg, error)
	grpc.ServerStream
}
