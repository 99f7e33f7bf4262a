package e2e

import (
	"context"
	"testing"
	"time"

	"github.com/bidictxlint/bidictxlint/e2e/peer"
)

const (
	// hangBound is how long a call must stay blocked to count as hung.
	hangBound = 1500 * time.Millisecond
	// prompt is how soon a freed call must return.
	prompt = 500 * time.Millisecond
	// settle is how long a call gets to prove it is blocked, not slow.
	settle = 200 * time.Millisecond
)

// A call is a function running in its own goroutine.
type call struct {
	done chan struct{}
	err  error
}

func start(f func() error) *call {
	c := &call{done: make(chan struct{})}
	go func() {
		defer close(c.done)
		c.err = f()
	}()
	return c
}

// returnsWithin reports whether the call returns within d.
func (c *call) returnsWithin(d time.Duration) bool {
	select {
	case <-c.done:
		return true
	case <-time.After(d):
		return false
	}
}

// startPeer starts a peer that is closed when the test ends.
func startPeer(t *testing.T, lib peer.Lib, opts peer.Options) *peer.Peer {
	t.Helper()
	p, err := peer.Start(lib, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	})
	return p
}

// newCtx returns a context cancelled when the test ends.
func newCtx(t *testing.T) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	return ctx, cancel
}
