package e2e

import (
	"testing"

	"github.com/bidictxlint/bidictxlint/e2e/peer"
	"github.com/bidictxlint/bidictxlint/e2e/scenario"
)

// TestFixGapOnceAnswered documents where the fix of SPEC section 1
// (cancel the RPC's context once the group's is done) falls short: when
// the peer has already sent a message on a connect-go bidi stream (v1 or
// v2) and the request side is still open, cancelling the context does not
// free the pending Receive (see TestPendingReceive), so the hand-fixed
// client still hangs. grpc-go is not affected. This test fails, on
// purpose, once the fix (or the libraries) cure it; then flip want.
func TestFixGapOnceAnswered(t *testing.T) {
	for _, name := range []string{"connectv1/reassigned", "connectv2/reassigned", "grpcgo/reassigned"} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			c, _ := scenario.Lookup(name)
			c.Peer = peer.Options{SendFirst: true}
			r := scenario.Measure(c, scenario.HandFixed, hangBound)
			t.Log(r)
			if want := c.Lib == peer.GRPC; r.Returned != want {
				t.Errorf("the fixed client against a peer that answered: returned=%v, want %v", r.Returned, want)
			}
		})
	}
}
