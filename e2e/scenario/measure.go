package scenario

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/bidictxlint/bidictxlint/e2e/peer"
)

// ErrTask is the error the failing task returns.
var ErrTask = errors.New("scenario: the producing task failed")

// Bounds of a measurement.
const (
	// setupBound is how long the stream may take to reach the server and
	// the task to fail.
	setupBound = 5 * time.Second
	// unwindBound is how long Run may take to return once the caller's
	// context is cancelled.
	unwindBound = 2 * time.Second
	// settleBound is how long goroutines and server streams may take to
	// wind down once Run has returned.
	settleBound = time.Second
	// waitBound bounds how long a failing task waits for the client to
	// wait on the peer (waitForPeer).
	waitBound = time.Second
)

// A Result is what Measure observed.
type Result struct {
	Case    string
	Variant Variant
	// Problem is set when the scenario itself could not run (no server,
	// the stream never reached it, Run returned before the task failed).
	Problem string `json:",omitempty"`
	// Returned says whether Run returned within the bound after the
	// task's failure, and Latency how long that took (the bound if not).
	Returned bool
	Latency  time.Duration
	// Unwound says, when Run had not returned, whether cancelling the
	// caller's context made it return.
	Unwound bool
	// PeerUnwound says, when cancelling did not unwind Run, whether the
	// peer ending its streams then did (a connect-go bidi stream whose
	// peer has answered is not freed by a cancel while its request side is
	// open; see TestFacts).
	PeerUnwound bool `json:",omitempty"`
	// Err is Run's error; TaskErr says whether it is ErrTask.
	Err     string `json:",omitempty"`
	TaskErr bool
	// Blocked lists the goroutines still in the client's package after Run
	// returned and a short settle: a task stuck in Receive/Recv.
	Blocked []string `json:",omitempty"`
	// Held is the number of streams the server still held then: an RPC
	// that was never cancelled.
	Held int64
}

func (r Result) String() string {
	return fmt.Sprintf("%s (%s): returned=%v after %v, unwound=%v, peer-unwound=%v, err=%q, blocked=%d, held=%d, problem=%q",
		r.Case, r.Variant, r.Returned, r.Latency.Round(time.Millisecond), r.Unwound, r.PeerUnwound, r.Err, len(r.Blocked), r.Held, r.Problem)
}

// Measure starts a slow peer for c, runs variant v of its client with a
// failing task, and reports whether Run returns within bound of the
// failure. If it does not, Measure cancels the caller's context and
// reports whether that unwinds it. The task fails only once the server
// holds the stream, so a hang is never a stream that was not yet open,
// and not while the client is midway through the library calls before
// it hands the stream to another task (waitForPeer).
func Measure(c Case, v Variant, bound time.Duration) Result {
	return measure(c, v, bound, c.Peer, func(p *peer.Peer, failed chan<- time.Time) Next {
		return failingNext(p, c.Peer, c.Package(v), failed)
	})
}

// MeasureUnanswered is Measure against a peer that sends nothing, with a
// task that fails at its first call of next, before anything was sent:
// the function stops while the server has not answered. A fix that
// closes a connect-go stream must cancel it too (or first): a close alone
// waits for the response headers (see TestFacts).
func MeasureUnanswered(c Case, v Variant, bound time.Duration) Result {
	opts := peer.Options{Transport: c.Peer.Transport}
	return measure(c, v, bound, opts, func(_ *peer.Peer, failed chan<- time.Time) Next {
		return func(context.Context) (string, error) {
			select {
			case failed <- time.Now():
			default:
			}
			return "", ErrTask
		}
	})
}

func measure(c Case, v Variant, bound time.Duration, opts peer.Options, newNext func(*peer.Peer, chan<- time.Time) Next) (r Result) {
	r = Result{Case: c.Name, Variant: v}
	p, err := peer.Start(c.Lib, opts)
	if err != nil {
		r.Problem = err.Error()
		return r
	}
	defer func() {
		if err := p.Close(); err != nil && r.Problem == "" {
			r.Problem = err.Error()
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	failed := make(chan time.Time, 1)
	done := make(chan error, 1)
	go func() { done <- c.runner(v)(ctx, p, newNext(p, failed)) }()

	var failedAt time.Time
	select {
	case failedAt = <-failed:
	case err := <-done:
		r.Problem = fmt.Sprintf("Run returned before the task failed: %v", err)
		return r
	case <-time.After(setupBound):
		r.Problem = "the task did not fail within " + setupBound.String()
		cancel()
		<-done
		return r
	}

	var runErr error
	select {
	case runErr = <-done:
		r.Returned, r.Latency = true, time.Since(failedAt)
	case <-time.After(bound):
		r.Latency = bound
		cancel()
		select {
		case runErr = <-done:
			r.Unwound = true
		case <-time.After(unwindBound):
			p.Release()
			select {
			case runErr = <-done:
				r.PeerUnwound = true
			case <-time.After(unwindBound):
				r.Problem = "Run did not return even after its context was cancelled and the peer ended its streams"
				return r
			}
		}
	}
	if runErr != nil {
		r.Err = runErr.Error()
	}
	r.TaskErr = errors.Is(runErr, ErrTask)
	cancel()
	r.Blocked, r.Held = settle(p, c.Package(v))
	return r
}

// failingNext yields one line, then, once p holds the stream (and, if p
// sends a first message or echoes, once the client has received it) and
// the client is not midway through a library call that hands the stream
// on (waitForPeer), records the time and returns ErrTask.
func failingNext(p *peer.Peer, opts peer.Options, pkg string, failed chan<- time.Time) Next {
	calls := 0
	return func(context.Context) (string, error) {
		calls++
		if calls == 1 {
			return "hello", nil
		}
		if !p.WaitHeld(1, setupBound) {
			return "", errors.New("scenario: the server never held the stream")
		}
		if (opts.SendFirst || opts.Echo) && !p.WaitDelivered(1, setupBound) {
			return "", errors.New("scenario: the client never received the first message")
		}
		waitForPeer(pkg)
		failed <- time.Now()
		return "", ErrTask
	}
}

// waitForPeer waits, up to waitBound, while a goroutine running code of
// pkg is inside a stream library's call and none waits for the peer in
// a stream method. A client that opens the stream in one task and hands
// it over a channel to a reader can still be sending or half-closing
// when the server holds the stream; a failure then stops the reader
// before it has the stream, and nothing hangs. A client whose goroutines
// are in no library call (blocked on a channel, or in the failing task
// itself) goes on at once, as it did before this wait.
func waitForPeer(pkg string) {
	deadline := time.Now().Add(waitBound)
	for time.Now().Before(deadline) {
		inLibrary := false
		for _, g := range goroutinesIn(pkg) {
			for _, m := range peerWaits {
				if strings.Contains(g, m) {
					return
				}
			}
			inLibrary = inLibrary || strings.Contains(g, "connectrpc.com/connect") || strings.Contains(g, "google.golang.org/grpc.")
		}
		if !inLibrary {
			return
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// peerWaits are the stack frames of the stream methods that wait for the
// peer's next message or its response.
var peerWaits = []string{").Receive(", ").Recv(", ").RecvMsg(", ").CloseAndReceive(", ").CloseAndRecv("}

// settle waits up to settleBound for every goroutine running code of pkg
// to end and for the server to release every stream, and returns what is
// left.
func settle(p *peer.Peer, pkg string) (blocked []string, held int64) {
	deadline := time.Now().Add(settleBound)
	for {
		blocked, held = goroutinesIn(pkg), p.Held()
		if len(blocked) == 0 && held == 0 || time.Now().After(deadline) {
			return blocked, held
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// goroutinesIn returns the stacks of the goroutines with a frame in pkg.
func goroutinesIn(pkg string) []string {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	var in []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, pkg+".") {
			in = append(in, g)
		}
	}
	return in
}
