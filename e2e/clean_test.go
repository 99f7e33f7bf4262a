package e2e

import (
	"strings"
	"testing"

	"github.com/bidictxlint/bidictxlint/e2e/scenario"
)

// TestCleanClients runs the clients that are correct as written
// (scenario.Clean): bidictxlint reports nothing on them, and once the
// failing task has returned, g.Wait returns its error within prompt with
// nothing left behind.
func TestCleanClients(t *testing.T) {
	tool := buildTool(t)
	for _, c := range scenario.Clean {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			pkg := "./" + strings.TrimPrefix(c.Package(scenario.Original), "github.com/bidictxlint/bidictxlint/e2e/")
			if out, err := run(".", tool, pkg); err != nil || len(out) > 0 {
				t.Errorf("bidictxlint reports the clean client (%v):\n%s", err, out)
			}
			r := scenario.Measure(c, scenario.Original, hangBound)
			t.Log(r)
			switch {
			case r.Problem != "":
				t.Fatal(r.Problem)
			case !r.Returned:
				t.Fatalf("Wait did not return within %v of the task's failure", hangBound)
			case r.Latency > prompt:
				t.Errorf("Wait returned %v after the task failed, want within %v", r.Latency, prompt)
			}
			checkClean(t, r)
		})
	}
}

// TestCleanClientsSucceed runs the clean clients in the run in which
// nothing fails: each returns no error, having received every message the
// peer sent, with nothing left behind (as TestSuccessPath does for the
// originals of scenario.Cases).
func TestCleanClientsSucceed(t *testing.T) {
	for _, c := range scenario.Clean {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			originalDelivery(t, c)
		})
	}
}
