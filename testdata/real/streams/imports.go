package streams

import (
	stdctx "context"
	"errors"
	"net/http"

	cv1 "connectrpc.com/connect"
	cv2 "connectrpc.com/connect/v2"
	eg "golang.org/x/sync/errgroup"
)

// BidiV1 is an alias of a connect-go v1 stream type.
type BidiV1 = *cv1.BidiStreamForClient[Msg, Msg]

func openAliased(ctx stdctx.Context) BidiV1 {
	return cv1.NewClient[Msg, Msg](http.DefaultClient, "http://localhost/x").CallBidiStream(ctx)
}

// renamedImports: renamed imports, an alias type, a same-package helper
// that opens the stream (its first context argument is the stream's), and
// both connect majors in one function.
func renamedImports(ctx stdctx.Context, c2 *cv2.Client) error {
	s1 := openAliased(ctx)
	s2, err := c2.CallClientStream(ctx, spec)
	if err != nil {
		return err
	}
	g, gctx := eg.WithContext(ctx)
	g.Go(func() error { _, err := s1.Receive(); return err }) // want `s1\.Receive can block forever`
	g.Go(func() error { return s2.Receive(&Msg{}) })          // want `s2\.Receive can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// notStream has methods named like a stream's.
type notStream struct{}

func (notStream) Recv() (*Msg, error) { return nil, nil }
func (notStream) Receive() bool       { return false }

// sameNames: a method named Recv on another type is not a stream method.
func sameNames(ctx stdctx.Context) error {
	var s notStream
	g, gctx := eg.WithContext(ctx)
	g.Go(func() error { _, err := s.Recv(); return err })
	g.Go(func() error { s.Receive(); return nil })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
