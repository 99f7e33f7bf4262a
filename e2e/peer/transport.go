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
