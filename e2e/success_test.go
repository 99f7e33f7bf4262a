package e2e

import (
	"encoding/json"
	"testing"

	"github.com/bidictxlint/bidictxlint/e2e/scenario"
)

// TestSuccessPath runs every client, original and hand-fixed, against a
// healthy peer in a run in which nothing fails (docs/fixes.md: a fix
// never breaks working code). The original must return no error (nil or
// the stream's clean end, io.EOF), having received every message the peer
// sent, with nothing left behind; the hand-fixed twin must deliver exactly
// the same: the same result and the same messages on every stream.
// TestFixedClientsReturn checks the copy bidictxlint -fix fixed the same
// way (checkDelivers).
func TestSuccessPath(t *testing.T) {
	for _, c := range scenario.Cases {
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
}

// originalDelivery runs the original client of c in the run in which
// nothing fails and checks that it works: no error, every message the
// peer sent received, every stream answered in full.
func originalDelivery(t *testing.T, c scenario.Case) scenario.Delivery {
	t.Helper()
	d := scenario.Succeed(c, scenario.Original)
	t.Log(d)
	checkDelivered(t, d)
	switch {
	case d.Sent == 0 || d.Delivered != d.Sent:
		t.Fatalf("the original client received %d of the %d messages the peer sent", d.Delivered, d.Sent)
	case d.Answered != int64(c.Streams()) || len(d.Received) != c.Streams():
		t.Fatalf("the peer answered %d streams of %d opened, want %d", d.Answered, len(d.Received), c.Streams())
	}
	return d
}

// checkDelivered fails t unless the run in which nothing fails returned
// without error and left nothing behind.
func checkDelivered(t *testing.T, d scenario.Delivery) {
	t.Helper()
	switch {
	case d.Problem != "":
		t.Fatal(d.Problem)
	case !d.Returned:
		t.Fatalf("Run did not return although nothing failed (%q)", d.Err)
	case !d.Clean:
		t.Errorf("Run returned %q although nothing failed", d.Err)
	}
	for _, g := range d.Blocked {
		t.Errorf("goroutine still in the client after Run returned:\n%s", g)
	}
	if d.Held != 0 {
		t.Errorf("the server still holds %d streams after Run returned", d.Held)
	}
}

// checkDelivers runs the run in which nothing fails with the prove binary
// built from the fixed copy in dir, and checks that the fixed client
// delivers exactly what the original (in this module) delivers.
func checkDelivers(t *testing.T, dir, prove string, c scenario.Case, v scenario.Variant) {
	t.Helper()
	want := originalDelivery(t, c)
	out, err := run(dir, prove, "-success", "-case", c.Name, "-variant", string(v))
	if err != nil {
		t.Fatal(err)
	}
	var got scenario.Delivery
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatalf("prove output %q: %v", out, err)
	}
	t.Log(got)
	checkDelivered(t, got)
	if diff := got.Same(want); diff != "" {
		t.Errorf("the fixed client delivers other than the original: %s", diff)
	}
}
