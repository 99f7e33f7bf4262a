package e2e

import (
	"testing"

	"github.com/bidictxlint/bidictxlint/e2e/peer"
	"github.com/bidictxlint/bidictxlint/e2e/scenario"
)

// TestOriginalClientsHang runs every client of e2e/clients as written
// (with the bug) against a slow peer: once its failing task has returned,
// g.Wait does not return within hangBound. Cancelling the caller's
// context then unwinds it, with the task's error, and leaves nothing
// behind; except on a connect-go bidi stream whose peer has answered,
// which only the peer ending the stream unwinds.
func TestOriginalClientsHang(t *testing.T) {
	for _, c := range scenario.Cases {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			checkHangs(t, c)
		})
	}
}

// checkHangs measures the original client of c: once its failing task has
// returned, its wait does not return within hangBound; cancelling the
// caller's context then unwinds it (or, on a connect-go bidi stream whose
// peer has answered, only the peer ending the stream does), with the
// task's error and nothing left behind.
func checkHangs(t *testing.T, c scenario.Case) {
	t.Helper()
	r := scenario.Measure(c, scenario.Original, hangBound)
	t.Log(r)
	switch {
	case r.Problem != "":
		t.Fatal(r.Problem)
	case r.Returned:
		t.Fatalf("Wait returned %q %v after the task failed: no hang", r.Err, r.Latency)
	case !r.Unwound && !(r.PeerUnwound && answeredConnectBidi(c)):
		t.Fatal("Wait did not return after the caller's context was cancelled")
	case r.Unwound && c.Peer.Echo && c.Lib != peer.GRPC:
		// Against an echo peer the stream's context derives from the
		// caller's, and the cancel frees nothing (TestFacts).
		t.Fatal("cancelling the caller's context unwound Wait: the cancel freed the Receive after all")
	}
	checkClean(t, r)
}

// answeredConnectBidi says whether c is a connect-go bidi stream whose
// peer answers before the task fails: cancelling the stream's context
// then frees no pending Receive while the request side is open
// (TestFacts), so only the peer ending the stream unwinds Wait.
func answeredConnectBidi(c scenario.Case) bool {
	return c.Lib != peer.GRPC && c.Bidi() && (c.Peer.Echo || c.Peer.SendFirst)
}

// checkClean fails t unless Run returned the task's error and left no
// goroutine in the client and no stream held at the server.
func checkClean(t *testing.T, r scenario.Result) {
	t.Helper()
	if !r.TaskErr {
		t.Errorf("Wait returned %q, want the task's error %q", r.Err, scenario.ErrTask)
	}
	for _, g := range r.Blocked {
		t.Errorf("goroutine still in the client after Wait returned:\n%s", g)
	}
	if r.Held != 0 {
		t.Errorf("the server still holds %d streams: the RPC was not cancelled", r.Held)
	}
}
