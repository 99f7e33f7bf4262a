// Package connect is a stub of connect-go v1's client stream API.
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
