// Package chatgrpc is what protoc-gen-go-grpc generates for a Chat
// service, in both the generic and the pre-generics style.
package chatgrpc

import (
	"context"

	"google.golang.org/grpc"
)

type Msg struct{}

type ChatClient interface {
	Chat(ctx context.Context) (grpc.BidiStreamingClient[Msg, Msg], error)
	Legacy(ctx context.Context) (Chat_LegacyClient, error)
}

// Chat_LegacyClient is the pre-generics generated stream interface.
type Chat_LegacyClient interface {
	Send(*Msg) error
	Recv() (*Msg, error)
	grpc.ClientStream
}
