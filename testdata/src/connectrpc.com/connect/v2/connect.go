// Package connect is a stub of connect-go v2's stream API.
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
