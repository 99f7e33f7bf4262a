// Package chatgrpc is what protoc-gen-go-grpc (grpc-go 1.64 and later)
// writes for a chat.v1.ChatService with three streaming methods,
// hand-written to avoid code generation: a ServiceDesc, a client whose
// methods wrap ClientConn.NewStream in grpc.GenericClientStream, and
// handlers that wrap the server stream in grpc.GenericServerStream.
package chatgrpc

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// Msg is the request and response message of every method.
type Msg = wrapperspb.StringValue

// Full method names of the ChatService methods.
const (
	ChatService_Chat_FullMethodName   = "/chat.v1.ChatService/Chat"
	ChatService_Watch_FullMethodName  = "/chat.v1.ChatService/Watch"
	ChatService_Upload_FullMethodName = "/chat.v1.ChatService/Upload"
)

// ChatServiceClient is the client API for the ChatService service.
type ChatServiceClient interface {
	// Chat is a bidi stream.
	Chat(ctx context.Context, opts ...grpc.CallOption) (grpc.BidiStreamingClient[Msg, Msg], error)
	// Watch is a server stream.
	Watch(ctx context.Context, in *Msg, opts ...grpc.CallOption) (grpc.ServerStreamingClient[Msg], error)
	// Upload is a client stream.
	Upload(ctx context.Context, opts ...grpc.CallOption) (grpc.ClientStreamingClient[Msg, Msg], error)
}

type chatServiceClient struct {
	cc grpc.ClientConnInterface
}

// NewChatServiceClient returns a client of the ChatService on cc.
func NewChatServiceClient(cc grpc.ClientConnInterface) ChatServiceClient {
	return &chatServiceClient{cc}
}

func (c *chatServiceClient) Chat(ctx context.Context, opts ...grpc.CallOption) (grpc.BidiStreamingClient[Msg, Msg], error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	stream, err := c.cc.NewStream(ctx, &ChatService_ServiceDesc.Streams[0], ChatService_Chat_FullMethodName, cOpts...)
	if err != nil {
		return nil, err
	}
	x := &grpc.GenericClientStream[Msg, Msg]{ClientStream: stream}
	return x, nil
}

func (c *chatServiceClient) Watch(ctx context.Context, in *Msg, opts ...grpc.CallOption) (grpc.ServerStreamingClient[Msg], error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	stream, err := c.cc.NewStream(ctx, &ChatService_ServiceDesc.Streams[1], ChatService_Watch_FullMethodName, cOpts...)
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

func (c *chatServiceClient) Upload(ctx context.Context, opts ...grpc.CallOption) (grpc.ClientStreamingClient[Msg, Msg], error) {
	cOpts := append([]grpc.CallOption{grpc.StaticMethod()}, opts...)
	stream, err := c.cc.NewStream(ctx, &ChatService_ServiceDesc.Streams[2], ChatService_Upload_FullMethodName, cOpts...)
	if err != nil {
		return nil, err
	}
	x := &grpc.GenericClientStream[Msg, Msg]{ClientStream: stream}
	return x, nil
}

// ChatServiceServer is the server API for the ChatService service.
type ChatServiceServer interface {
	Chat(grpc.BidiStreamingServer[Msg, Msg]) error
	Watch(*Msg, grpc.ServerStreamingServer[Msg]) error
	Upload(grpc.ClientStreamingServer[Msg, Msg]) error
}

// RegisterChatServiceServer registers srv on s.
func RegisterChatServiceServer(s grpc.ServiceRegistrar, srv ChatServiceServer) {
	s.RegisterService(&ChatService_ServiceDesc, srv)
}

func _ChatService_Chat_Handler(srv any, stream grpc.ServerStream) error {
	return srv.(ChatServiceServer).Chat(&grpc.GenericServerStream[Msg, Msg]{ServerStream: stream})
}

func _ChatService_Watch_Handler(srv any, stream grpc.ServerStream) error {
	m := new(Msg)
	if err := stream.RecvMsg(m); err != nil {
		return err
	}
	return srv.(ChatServiceServer).Watch(m, &grpc.GenericServerStream[Msg, Msg]{ServerStream: stream})
}

func _ChatService_Upload_Handler(srv any, stream grpc.ServerStream) error {
	return srv.(ChatServiceServer).Upload(&grpc.GenericServerStream[Msg, Msg]{ServerStream: stream})
}

// ChatService_ServiceDesc is the grpc.ServiceDesc for the ChatService.
var ChatService_ServiceDesc = grpc.ServiceDesc{
	ServiceName: "chat.v1.ChatService",
	HandlerType: (*ChatServiceServer)(nil),
	Streams: []grpc.StreamDesc{
		{StreamName: "Chat", Handler: _ChatService_Chat_Handler, ServerStreams: true, ClientStreams: true},
		{StreamName: "Watch", Handler: _ChatService_Watch_Handler, ServerStreams: true},
		{StreamName: "Upload", Handler: _ChatService_Upload_Handler, ClientStreams: true},
	},
}
