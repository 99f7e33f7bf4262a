package peer

import (
	"context"
	"crypto/tls"
	"net"
	"net/http"
	"net/http/httptest"

	"golang.org/x/net/http2"
)

// startHTTP serves h on 127.0.0.1 (httptest listens on loopback only)
// over the peer's transport, sets the peer's shutdown, and returns the
// server's base URL and a client for it.
func (p *Peer) startHTTP(h http.Handler) (*http.Client, string) {
	srv := httptest.NewUnstartedServer(h)
	srv.Listener = countingListener{srv.Listener, p}
	if p.opts.Transport == "" || p.opts.Transport == TLS {
		srv.EnableHTTP2 = true
		srv.StartTLS()
		p.shutdown = srv.Close
		return srv.Client(), srv.URL
	}
	var serve http.Protocols
	serve.SetHTTP1(true)
	serve.SetUnencryptedHTTP2(true)
	srv.Config.Protocols = &serve
	srv.Start()
	var client *http.Client
	if p.opts.Transport == XNetH2C {
		t := &http2.Transport{
			AllowHTTP: true,
			DialTLSContext: func(ctx context.Context, network, addr string, _ *tls.Config) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, network, addr)
			},
		}
		client = &http.Client{Transport: t}
	} else {
		var dial http.Protocols
		dial.SetUnencryptedHTTP2(true)
		client = &http.Client{Transport: &http.Transport{Protocols: &dial}}
	}
	p.shutdown = func() {
		srv.Close()
		client.CloseIdleConnections()
	}
	return client, srv.URL
}

// Received is the number of bytes the server has read from its
// connections (TLS records included): when it stops growing while a
// client sends, the client's transport is waiting for flow control.
func (p *Peer) Received() int64 { return p.received.Load() }

// countingListener counts in p.received what its connections read.
type countingListener struct {
	net.Listener
	p *Peer
}

func (l countingListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return countingConn{c, l.p}, nil
}

type countingConn struct {
	net.Conn
	p *Peer
}

func (c countingConn) Read(b []byte) (int, error) {
	n, err := c.Conn.Read(b)
	c.p.received.Add(int64(n))
	return n, err
}
