package gen

// Stub import paths. The stubs declare just the API surface that the
// analyzer matches (types by package path and name), like the stubs in
// testdata/src.
const (
	ErrgroupPath  = "golang.org/x/sync/errgroup"
	ConnectPath   = "connectrpc.com/connect"
	ConnectV2Path = "connectrpc.com/connect/v2"
	GRPCPath      = "google.golang.org/grpc"
)

// Stubs returns the stub sources by import path.
func Stubs() map[string]string {
	return map[string]string{
		ErrgroupPath:  errgroupStub,
		ConnectPath:   connectStub,
		ConnectV2Path: connectV2Stub,
		GRPCPath:      grpcStub,
	}
}

// stubModules maps each stub module path to the import paths it holds,
// for WriteModule.
var stubModules = map[string][]string{
	"golang.org/x/sync":         {ErrgroupPath},
	"connectrpc.com/connect":    {ConnectPath},
	"connectrpc.com/connect/v2": {ConnectV2Path},
	"google.golang.org/grpc":    {GRPCPath},
}

const errgroupStub = `// Package errgroup is a stub of golang.org/x/sync/errgroup.
package errgroup

import "context"

type Group struct{ n int }

func WithContext(ctx context.Context) (*Group, context.Context) { return &Group{}, ctx }
func (g *Group) Go(f func() error)                              { g.n++ }
func (g *Group) TryGo(f func() error) bool                      { g.n++; return true }
func (g *Group) Wait() error                                    { return nil }
func (g *Group) SetLimit(n int)                                 {}
`

const connectStub = `// Package connect is a stub of connect-go v1's stream API.
package connect

import "context"

type Request[T any] struct{ Msg *T }
type Response[T any] struct{ Msg *T }

type Client[Req, Res any] struct{}

func (c *Client[Req, Res]) CallBidiStream(ctx context.Context) *BidiStreamForClient[Req, Res] {
	return nil
}
func (c *Client[Req, Res]) CallServerStream(ctx context.Context, r *Request[Req]) (*ServerStreamForClient[Res], error) {
	return nil, nil
}
func (c *Client[Req, Res]) CallClientStream(ctx context.Context) *ClientStreamForClient[Req, Res] {
	return nil
}

type BidiStreamForClient[Req, Res any] struct{}

func (b *BidiStreamForClient[Req, Res]) Send(*Req) error        { return nil }
func (b *BidiStreamForClient[Req, Res]) Receive() (*Res, error) { return nil, nil }
func (b *BidiStreamForClient[Req, Res]) CloseRequest() error    { return nil }
func (b *BidiStreamForClient[Req, Res]) CloseResponse() error   { return nil }

type ServerStreamForClient[Res any] struct{}

func (s *ServerStreamForClient[Res]) Receive() bool { return false }
func (s *ServerStreamForClient[Res]) Msg() *Res     { return nil }
func (s *ServerStreamForClient[Res]) Close() error  { return nil }

type ClientStreamForClient[Req, Res any] struct{}

func (c *ClientStreamForClient[Req, Res]) Send(*Req) error                          { return nil }
func (c *ClientStreamForClient[Req, Res]) CloseAndReceive() (*Response[Res], error) { return nil, nil }

type BidiStream[Req, Res any] struct{}

func (b *BidiStream[Req, Res]) Receive() (*Req, error) { return nil, nil }
func (b *BidiStream[Req, Res]) Send(*Res) error        { return nil }
`

const connectV2Stub = `// Package connect is a stub of connect-go v2's stream API.
package connect

type ClientStream interface {
	SendHeaders() error
	Send(msg any) error
	CloseSend() error
	Receive(msg any) error
	Close() error
}

type ServerStream interface {
	Receive(msg any) error
	SendHeaders() error
	Send(msg any) error
}
`

const grpcStub = `// Package grpc is a stub of grpc-go's stream interfaces.
package grpc

import "context"

type ClientStream interface {
	Header() (map[string][]string, error)
	CloseSend() error
	Context() context.Context
	SendMsg(m any) error
	RecvMsg(m any) error
}

type ServerStream interface {
	Context() context.Context
	SendMsg(m any) error
	RecvMsg(m any) error
}

type BidiStreamingClient[Req any, Res any] interface {
	Send(*Req) error
	Recv() (*Res, error)
	ClientStream
}

type BidiStreamingServer[Req any, Res any] interface {
	Recv() (*Req, error)
	Send(*Res) error
	ServerStream
}
`
