package peer

import "context"

// A Probe watches the server side of a bidi stream (Options.Probe): the
// bidi handlers send their first message if SendFirst, then receive in a
// goroutine of their own, as a handler that joins its own receive does,
// and report what each Receive returns and when their context ends. The
// handler returns only once released, neither on its context nor when its
// receive loop ends, so that what frees its Receive or ends its context
// can only be the client, and both are watched for as long as the test
// wants.
type Probe struct {
	received chan error
	ctxDone  chan struct{}
}

// NewProbe returns a probe for one stream.
func NewProbe() *Probe {
	return &Probe{received: make(chan error, 64), ctxDone: make(chan struct{})}
}

// Received yields the result of each Receive the handler makes, in order:
// nil for a message, then the error that ends its receive loop.
func (pr *Probe) Received() <-chan error { return pr.received }

// ContextDone is closed once the handler's context has ended.
func (pr *Probe) ContextDone() <-chan struct{} { return pr.ctxDone }

// probe is the body of the bidi handlers when Options.Probe is set.
func (p *Peer) probe(ctx context.Context, s stream) error {
	p.held.Add(1)
	defer p.held.Add(-1)
	pr := p.opts.Probe
	stop := context.AfterFunc(ctx, func() { close(pr.ctxDone) })
	defer stop()
	if err := p.greet(s, p.opts.SendFirst); err != nil {
		return err
	}
	go func() {
		for {
			_, err := s.recv()
			select {
			case pr.received <- err:
			default: // the test stopped reading
			}
			if err != nil {
				return
			}
		}
	}()
	<-p.release
	return nil
}
