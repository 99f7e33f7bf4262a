package e2e

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/bidictxlint/bidictxlint/e2e/peer"
	"github.com/bidictxlint/bidictxlint/e2e/scenario"
)

// TestGoroutineInTask measures the goroutineintask clients (issue 14,
// shape 5: the receive runs in a goroutine the task starts, and the task
// returns on the group's context) with the caller's context left alive, so
// that only the client's own deferred cancel can free the goroutine once
// Run has returned. What the shape promises holds on every library and
// against every peer: Wait returns the failing task's error at once.
//
// grpc-go: the deferred cancel then frees the goroutine blocked in Recv,
// and the server sees the RPC end. connect-go v1 and v2: against a silent
// peer too; but once the response headers are in and while the request
// side is open, cancelling frees no pending Receive (TestFacts), so the
// goroutine stays blocked and the server keeps the stream after Run has
// returned, even once the caller's context is cancelled too, until the
// peer ends the stream: a leak that the shape's claim (Wait returns) does
// not cover.
func TestGoroutineInTask(t *testing.T) {
	for _, tc := range []struct {
		name, peer string
		opts       peer.Options
		leaks      bool
	}{
		{"grpcgo/goroutineintask", "silent", peer.Options{}, false},
		{"grpcgo/goroutineintask", "echo", peer.Options{Echo: true}, false},
		{"grpcgo/goroutineintask", "greeting", peer.Options{SendFirst: true}, false},
		{"connectv1/goroutineintask", "silent", peer.Options{}, false},
		{"connectv1/goroutineintask", "echo", peer.Options{Echo: true}, true},
		{"connectv1/goroutineintask", "greeting", peer.Options{SendFirst: true}, true},
		{"connectv2/goroutineintask", "silent", peer.Options{}, false},
		{"connectv2/goroutineintask", "echo", peer.Options{Echo: true}, true},
		{"connectv2/goroutineintask", "greeting", peer.Options{SendFirst: true}, true},
	} {
		c, ok := scenario.Lookup(tc.name)
		if !ok {
			t.Fatalf("%s: not a registered client", tc.name)
		}
		t.Run(tc.name+"/"+tc.peer, func(t *testing.T) {
			// Not parallel: the goroutines of the client's package are
			// counted.
			p := startPeer(t, c.Lib, tc.opts)
			ctx, cancel := newCtx(t)
			pkg := c.Package(scenario.Original)
			failed := make(chan time.Time, 1)
			done := start(func() error {
				return c.Original(ctx, p, func(context.Context) (string, error) {
					select {
					case <-failed:
						return "", errors.New("next called after the failure")
					default:
					}
					if !p.WaitHeld(1, 5*time.Second) {
						return "", errors.New("the server never held the stream")
					}
					if (tc.opts.Echo || tc.opts.SendFirst) && !p.WaitDelivered(1, 5*time.Second) {
						return "", errors.New("the client never received the first message")
					}
					failed <- time.Now()
					return "", scenario.ErrTask
				})
			})
			if !done.returnsWithin(hangBound) {
				cancel()
				p.Release()
				done.returnsWithin(hangBound)
				t.Fatalf("Wait did not return within %v", hangBound)
			}
			var latency time.Duration
			select {
			case at := <-failed:
				latency = time.Since(at)
			default:
				t.Fatalf("Run returned %v before the task failed", done.err)
			}
			t.Logf("Run returned %v %v after the task failed", done.err, latency)
			if !errors.Is(done.err, scenario.ErrTask) {
				t.Errorf("Wait returned %v, want the task's error %v", done.err, scenario.ErrTask)
			}
			if latency > prompt {
				t.Errorf("Wait returned %v after the task failed, want within %v", latency, prompt)
			}

			// The caller's context is still alive: only the client's
			// deferred cancel has run.
			left, held := waitGone(p, pkg, time.Second)
			t.Logf("after Run returned (waited up to 1 s), the caller's context alive: %d goroutines in the client, %d streams held", left, held)
			if !tc.leaks {
				if left != 0 || held != 0 {
					t.Errorf("the deferred cancel did not free the receiving goroutine: %d goroutines in the client, %d streams held", left, held)
				}
				return
			}
			if left != 1 || held != 1 {
				t.Errorf("%d goroutines in the client, %d streams held; want the receiving goroutine still blocked and its stream held (the cancel frees nothing once the peer has answered)", left, held)
			}
			cancel()
			left, held = waitGone(p, pkg, time.Second)
			t.Logf("after the caller's context was cancelled too (waited up to 1 s): %d goroutines in the client, %d streams held", left, held)
			if left != 1 || held != 1 {
				t.Errorf("%d goroutines in the client, %d streams held; want the receiving goroutine still blocked", left, held)
			}
			p.Release()
			left, held = waitGone(p, pkg, 2*time.Second)
			t.Logf("once the peer ended the stream: %d goroutines in the client, %d streams held", left, held)
			if left != 0 || held != 0 {
				t.Errorf("the peer ending the stream did not free the receiving goroutine: %d goroutines in the client, %d streams held", left, held)
			}
		})
	}
}

// waitGone waits up to d for every goroutine with a frame in pkg to end
// and for p to hold no stream, and returns how many of each are left.
func waitGone(p *peer.Peer, pkg string, d time.Duration) (goroutines int, held int64) {
	deadline := time.Now().Add(d)
	for {
		buf := make([]byte, 1<<20)
		buf = buf[:runtime.Stack(buf, true)]
		goroutines = 0
		for _, g := range strings.Split(string(buf), "\n\n") {
			if strings.Contains(g, pkg+".") {
				goroutines++
			}
		}
		held = p.Held()
		if goroutines == 0 && held == 0 || time.Now().After(deadline) {
			return goroutines, held
		}
		time.Sleep(10 * time.Millisecond)
	}
}
