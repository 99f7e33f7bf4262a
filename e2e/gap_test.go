package e2e

import (
	"testing"

	"github.com/bidictxlint/bidictxlint/e2e/peer"
	"github.com/bidictxlint/bidictxlint/e2e/scenario"
)

// TestFixGapOnceAnswered: the gap in the usual remedy (cancel the RPC's
// context once the group's is done) and how the fix closes it. Against a
// peer that has already answered on a connect-go bidi stream (v1 or v2),
// cancelling the context does not free a pending Receive while the
// request side is open (TestFacts), so the remedy alone hangs (the
// afterfunccancel clients, TestOriginalClientsHang); the fix also closes
// the stream, and the hand-fixed clients return at once, as the grpc-go
// one does with the cancel alone.
func TestFixGapOnceAnswered(t *testing.T) {
	for _, name := range []string{"connectv1/reassigned", "connectv2/reassigned", "grpcgo/reassigned", "connectv1/cancelfunc", "connectv2/cancelfunc"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _ := scenario.Lookup(name)
			c.Peer = peer.Options{SendFirst: true}
			r := scenario.Measure(c, scenario.HandFixed, hangBound)
			t.Log(r)
			switch {
			case r.Problem != "":
				t.Fatal(r.Problem)
			case !r.Returned:
				t.Fatalf("the fixed client against a peer that answered did not return within %v", hangBound)
			case r.Latency > prompt:
				t.Errorf("Wait returned %v after the task failed, want within %v", r.Latency, prompt)
			}
			checkClean(t, r)
		})
	}
}
