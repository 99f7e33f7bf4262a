package e2e

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/bidictxlint/bidictxlint/e2e/peer"
	"github.com/bidictxlint/bidictxlint/e2e/scenario"
)

// The joins beyond errgroup (scenario.Joins, JoinsClean, Leaks,
// LeaksClean; clients/doc.go): a sync.WaitGroup, a conc WaitGroup or pool
// waiting for a task blocked on a stream, and a plain goroutine left
// blocked on a stream after its function returned. Each test measures
// against real servers on 127.0.0.1 what the facts table predicts: the
// original hangs or leaks, the hand-fixed twin returns within prompt and
// leaves nothing behind, on a peer that has answered and on one that has
// not, and delivers in the run in which nothing fails what the original
// delivers; the grpc-go twins are correct as written.

// TestJoinsFixed: every hand-fixed client of scenario.Joins and
// scenario.Leaks returns the failing task's error within prompt and leaves
// nothing behind, against the case's peer, which has answered when the
// task fails, and against a silent peer, with a task that fails before
// anything was sent (the close the fixes add must not wait there for
// response headers that never come).
func TestJoinsFixed(t *testing.T) {
	defer checkNoGoroutineLeft(t)()
	t.Run("cases", func(t *testing.T) {
		for _, c := range append(scenario.Joins[:len(scenario.Joins):len(scenario.Joins)], scenario.Leaks...) {
			// The two runs count the goroutines of the same package: one
			// after the other.
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				t.Run("answered", func(t *testing.T) {
					checkPrompt(t, scenario.Measure(c, scenario.HandFixed, hangBound))
				})
				t.Run("unanswered", func(t *testing.T) {
					checkPrompt(t, scenario.MeasureUnanswered(c, scenario.HandFixed, hangBound))
				})
			})
		}
	})
}

// TestJoinsClean: the grpc-go twins (scenario.JoinsClean, LeaksClean)
// return the failing task's error within prompt and leave nothing behind
// as written, against a peer that has answered and a silent one.
func TestJoinsClean(t *testing.T) {
	defer checkNoGoroutineLeft(t)()
	t.Run("cases", func(t *testing.T) {
		for _, c := range append(scenario.JoinsClean[:len(scenario.JoinsClean):len(scenario.JoinsClean)], scenario.LeaksClean...) {
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				t.Run("answered", func(t *testing.T) {
					checkPrompt(t, scenario.Measure(c, scenario.Original, hangBound))
				})
				t.Run("unanswered", func(t *testing.T) {
					checkPrompt(t, scenario.MeasureUnanswered(c, scenario.Original, hangBound))
				})
			})
		}
	})
}

// TestJoinsUnanswered: the connect-go hangs and leaks need a peer that has
// answered. Against a silent peer, with a task that fails before anything
// was sent, the cancel frees the pending Receive (TestFacts), so every
// original of scenario.Joins and Leaks returns at once and leaves nothing
// behind; but for ctxpool, whose pool's context nothing cancels, which
// hangs on every peer.
func TestJoinsUnanswered(t *testing.T) {
	defer checkNoGoroutineLeft(t)()
	t.Run("cases", func(t *testing.T) {
		for _, c := range append(scenario.Joins[:len(scenario.Joins):len(scenario.Joins)], scenario.Leaks...) {
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				r := scenario.MeasureUnanswered(c, scenario.Original, hangBound)
				if !strings.HasSuffix(c.Name, "/ctxpool") && c.Name != "grpcgo/background" {
					checkPrompt(t, r)
					return
				}
				t.Log(r)
				switch {
				case r.Problem != "":
					t.Fatal(r.Problem)
				case c.Name == "grpcgo/background":
					// Nothing cancels its stream, whatever the peer sent.
					if !r.Returned || len(r.Blocked) == 0 {
						t.Errorf("want Run returned and its goroutine left blocked, whatever the peer sent")
					}
				case r.Returned:
					t.Errorf("Wait returned %q: nothing should cancel the pool's context", r.Err)
				case !r.Unwound:
					t.Errorf("cancelling the caller's context did not unwind Wait on a silent peer")
				}
			})
		}
	})
}

// TestLeaks: every client of scenario.Leaks, as written, returns the
// failing task's error at once but leaves its receiving goroutine blocked
// in a stream receive, and the stream held at the server, after Run has
// returned and the caller's context has been cancelled too; the goroutine
// ends only once the server ends the stream (checkNoGoroutineLeft, once
// every peer is closed).
func TestLeaks(t *testing.T) {
	defer checkNoGoroutineLeft(t)()
	t.Run("cases", func(t *testing.T) {
		for _, c := range scenario.Leaks {
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				checkLeaks(t, scenario.Measure(c, scenario.Original, hangBound), 1)
			})
		}
	})
}

// checkLeaks fails t unless Run returned the task's error within prompt
// and left want goroutines blocked in a stream receive, each with its
// stream held at the server.
func checkLeaks(t *testing.T, r scenario.Result, want int) {
	t.Helper()
	t.Log(r)
	switch {
	case r.Problem != "":
		t.Fatal(r.Problem)
	case !r.Returned:
		t.Fatalf("Run did not return within %v of the failure", hangBound)
	case r.Latency > prompt:
		t.Errorf("Run returned %v after the failure, want within %v", r.Latency, prompt)
	case !r.TaskErr:
		t.Errorf("Run returned %q, want the task's error %q", r.Err, scenario.ErrTask)
	}
	// The server may hold one stream more than there are goroutines left:
	// a stream cancelled once the server had answered, whose goroutine was
	// not in Receive then, is abandoned by the client but not reset (the
	// cancel never reaches the server, TestServerFacts).
	if len(r.Blocked) != want || r.Held < int64(want) {
		t.Errorf("%d goroutines left in the client and %d streams held once Run returned, want %d goroutines and as many streams held at least", len(r.Blocked), r.Held, want)
	}
	for _, g := range r.Blocked {
		if !inStreamReceive(g) {
			t.Errorf("a goroutine left in the client, not in a stream receive:\n%s", g)
		}
	}
}

// streamReceive matches a frame of a pending receive on a client stream.
var streamReceive = regexp.MustCompile(`(?m)^(connectrpc\.com/connect|google\.golang\.org/grpc)\S*\.(Receive|Recv|RecvMsg)\(`)

// inStreamReceive reports whether the goroutine's stack is in a receive on
// a connect-go or grpc-go stream.
func inStreamReceive(stack string) bool {
	return streamReceive.MatchString(stack)
}

// TestRedialPilesUp: the redial clients leak one goroutine and one held
// stream per attempt that went quiet. Two attempts go quiet before the
// third fails: the connect-go original leaves two goroutines blocked in
// Receive and two streams held after Run has returned; the fixed twin
// none (each attempt closed its stream), and the grpc-go twin none (Run's
// deferred cancel frees them all).
func TestRedialPilesUp(t *testing.T) {
	for _, tc := range []struct {
		name    string
		variant scenario.Variant
		left    int
	}{
		{"connectv1/redial", scenario.Original, 2},
		{"connectv1/redial", scenario.HandFixed, 0},
		{"connectv2/redial", scenario.Original, 2},
		{"connectv2/redial", scenario.HandFixed, 0},
		{"grpcgo/redial", scenario.Original, 0},
	} {
		c, ok := scenario.Lookup(tc.name)
		if !ok {
			t.Fatalf("%s: not a registered client", tc.name)
		}
		t.Run(tc.name+"/"+string(tc.variant), func(t *testing.T) {
			t.Parallel()
			p := startPeer(t, c.Lib, c.Peer)
			ctx, cancel := newCtx(t)
			run := c.Original
			if tc.variant == scenario.HandFixed {
				run = c.HandFixed
			}
			calls := 0
			done := start(func() error {
				return run(ctx, p, func(context.Context) (string, error) {
					if calls++; calls <= 2 {
						return "line", nil
					}
					return "", scenario.ErrTask
				})
			})
			if !done.returnsWithin(5 * time.Second) {
				cancel()
				p.Release()
				done.returnsWithin(hangBound)
				t.Fatal("Run did not return")
			}
			if !errors.Is(done.err, scenario.ErrTask) || calls != 3 {
				t.Fatalf("Run returned %v after %d attempts, want the task's error after 3", done.err, calls)
			}
			cancel()
			left, held := waitGone(p, c.Package(tc.variant), time.Second)
			t.Logf("after Run returned and the caller's context was cancelled: %d goroutines in the client, %d streams held", left, held)
			// The last attempt's stream may be held too (see checkLeaks).
			if left != tc.left || held < int64(tc.left) || tc.left == 0 && held != 0 {
				t.Errorf("%d goroutines left in the client and %d streams held, want %d goroutines and as many streams held at least", left, held, tc.left)
			}
		})
	}
}

// TestDeferredCloseFirst: why the fixes cancel before they close. A
// deferred close of a connect-go bidi stream, deferred after the cancel of
// its context, runs first; if the server has not answered, the close waits
// for the response headers (TestFacts), and the function does not return
// until something else cancels the stream's context (here the caller).
// Cancelling first, then closing, returns at once.
func TestDeferredCloseFirst(t *testing.T) {
	for _, lib := range []peer.Lib{peer.ConnectV1, peer.ConnectV2} {
		for _, cancelFirst := range []bool{false, true} {
			name := string(lib) + "/close-then-cancel"
			if cancelFirst {
				name = string(lib) + "/cancel-then-close"
			}
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				p := startPeer(t, lib, peer.Options{})
				caller, cancelCaller := newCtx(t)
				run := func() error {
					ctx, cancel := context.WithCancel(caller)
					defer cancel()
					s, err := openFactStream(ctx, p, lib, bidiStream)
					if err != nil {
						return err
					}
					if cancelFirst {
						defer func() { cancel(); _ = s.close() }()
					} else {
						defer func() { _ = s.close() }()
					}
					start(s.recv)
					if err := s.sendSmall(); err != nil {
						return err
					}
					if !p.WaitHeld(1, setupBound) {
						return errors.New("the server never held the stream")
					}
					return scenario.ErrTask
				}
				done := start(run)
				if cancelFirst {
					if !done.returnsWithin(setupBound) {
						t.Fatal("cancel-then-close did not return")
					}
					if !errors.Is(done.err, scenario.ErrTask) {
						t.Fatalf("returned %v", done.err)
					}
					if !poll(func() bool { return p.Held() == 0 }) {
						t.Errorf("the server still holds %d streams", p.Held())
					}
					return
				}
				if !p.WaitHeld(1, setupBound) {
					t.Fatal("the server never held the stream")
				}
				if done.returnsWithin(hangBound) {
					t.Fatalf("close-then-cancel returned %v: the close did not wait for the headers", done.err)
				}
				cancelCaller()
				if !done.returnsWithin(prompt) {
					t.Fatal("close-then-cancel did not return once the caller's context was cancelled")
				}
			})
		}
	}
}

// TestJoinsSuccess runs every client of scenario.Joins and Leaks,
// original and hand-fixed, and the grpc-go twins, against a healthy peer
// in a run in which nothing fails: each returns no error, having received
// every message the peer sent, with nothing left behind, and every
// hand-fixed twin delivers exactly what its original delivers.
func TestJoinsSuccess(t *testing.T) {
	defer checkNoGoroutineLeft(t)()
	t.Run("cases", func(t *testing.T) {
		for _, c := range append(scenario.Joins[:len(scenario.Joins):len(scenario.Joins)], scenario.Leaks...) {
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				want := originalDelivery(t, c)
				got := scenario.Succeed(c, scenario.HandFixed)
				t.Log(got)
				checkDelivered(t, got)
				if diff := got.Same(want); diff != "" {
					t.Errorf("the hand-fixed client delivers other than the original: %s", diff)
				}
			})
		}
		for _, c := range append(scenario.JoinsClean[:len(scenario.JoinsClean):len(scenario.JoinsClean)], scenario.LeaksClean...) {
			t.Run(c.Name, func(t *testing.T) {
				t.Parallel()
				originalDelivery(t, c)
			})
		}
	})
}

// checkNoGoroutineLeft returns a func, to be deferred by a test whose
// subtests each start and close their own peers, that fails the test if
// any goroutine started during it is still running (go.uber.org/goleak):
// once every peer has ended its streams, whatever a client left blocked
// in a stream call must have ended too, and nothing else may be left
// (a goroutine stuck on a channel, a connection not closed). It must run
// while no other test runs, as the tests of this package do at top level.
func checkNoGoroutineLeft(t *testing.T) func() {
	before := goleak.IgnoreCurrent()
	return func() {
		if t.Failed() {
			return
		}
		if err := goleak.Find(before); err != nil {
			t.Errorf("goroutines left once every peer was closed: %v", err)
		}
	}
}
