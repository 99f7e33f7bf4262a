package e2e

import (
	"encoding/json"
	"slices"
	"testing"

	"github.com/bidictxlint/bidictxlint/e2e/scenario"
)

// diagnostic is the part of a bidictxlint -json diagnostic checked here.
type diagnostic struct {
	Posn           string `json:"posn"`
	Message        string `json:"message"`
	SuggestedFixes []struct {
		Message string `json:"message"`
	} `json:"suggested_fixes"`
}

// TestAnalyzerReportsClients runs the built bidictxlint -json on the
// clients: it must report every original client, with a suggested fix
// unless scenario.NoToolFix says why none is safe, and none of the
// hand-fixed ones.
func TestAnalyzerReportsClients(t *testing.T) {
	tool := buildTool(t)
	out, err := run(".", tool, "-json", "./clients/...")
	if err != nil {
		t.Fatal(err)
	}
	// package path -> analyzer -> diagnostics (or an error object)
	var report map[string]map[string]json.RawMessage
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("bidictxlint -json output: %v\n%s", err, out)
	}
	diagnostics := func(pkg string) []diagnostic {
		var all []diagnostic
		for analyzer, raw := range report[pkg] {
			var ds []diagnostic
			if err := json.Unmarshal(raw, &ds); err != nil {
				t.Errorf("%s: %s: %s", pkg, analyzer, raw)
			}
			all = append(all, ds...)
		}
		return all
	}
	for _, c := range slices.Concat(scenario.Cases, scenario.Leaks) {
		ds := diagnostics(c.Package(scenario.Original))
		if len(ds) == 0 {
			t.Errorf("%s: no diagnostic", c.Name)
		}
		for _, d := range ds {
			switch {
			case c.NoFix() != "" && len(d.SuggestedFixes) > 0:
				t.Errorf("%s: %s: a suggested fix, although none is safe (%s): %s", c.Name, d.Posn, c.NoFix(), d.Message)
			case c.NoFix() == "" && len(d.SuggestedFixes) == 0:
				t.Errorf("%s: %s: no suggested fix: %s", c.Name, d.Posn, d.Message)
			}
		}
		for _, d := range diagnostics(c.Package(scenario.HandFixed)) {
			t.Errorf("%s/fixed: reported although fixed: %s: %s", c.Name, d.Posn, d.Message)
		}
	}
}
