// Package chatv1 is what protoc-gen-connect-go (v1) writes for a Chat
// service with a server-streaming method, written by hand against the
// real connect-go v1: an interface and a client whose method calls
// CallServerStream, which waits for the response headers.
package chatv1

import (
	"context"
	"net/http"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type Msg = wrapperspb.StringValue

// ChatServiceClient is a client for the chat.v1.ChatService service.
type ChatServiceClient interface {
	Watch(context.Context, *connect.Request[Msg]) (*connect.ServerStreamForClient[Msg], error)
}

// NewChatServiceClient constructs a client for the chat.v1.ChatService
// service.
func NewChatServiceClient(httpClient connect.HTTPClient, baseURL string, opts ...connect.ClientOption) ChatServiceClient {
	return &chatServiceClient{
		watch: connect.NewClient[Msg, Msg](httpClient, baseURL+"/chat.v1.ChatService/Watch", opts...),
	}
}

type chatServiceClient struct {
	watch *connect.Client[Msg, Msg]
}

// Watch calls chat.v1.ChatService.Watch.
func (c *chatServiceClient) Watch(ctx context.Context, req *connect.Request[Msg]) (*connect.ServerStreamForClient[Msg], error) {
	return c.watch.CallServerStream(ctx, req)
}

var _ = http.DefaultClient
