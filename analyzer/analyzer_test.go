package analyzer_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

// testdata is the GOPATH-style tree of fast cases, with stub libraries.
func testdata(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// fixPackages are the stub packages of the fix catalogue, one per shape
// of docs/fixes.md, each with .golden files.
var fixPackages = []string{
	"fixcancel", "fixwrap", "fixgctx", "fixzero", "fixclose",
	"fiximport", "fixnames", "fixcomments", "fixtwo",
}

func TestStubs(t *testing.T) {
	analysistest.Run(t, testdata(t), analyzer.Analyzer, "basic", "tasks", "server", "broken")
}

// TestFixes applies every suggested fix and compares with the .golden
// files, one package per shape of docs/fixes.md.
func TestFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, testdata(t), analyzer.Analyzer, fixPackages...)
}

// TestGo120 checks shape 5: in a Go 1.20 module the fix starts a watcher
// goroutine, because context.AfterFunc came in Go 1.21.
func TestGo120(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, filepath.Join(testdata(t), "go1.20"), analyzer.Analyzer, "./...")
}

// TestDirectives checks //bidictxlint:ignore and //nolint: where each
// may stand, what each covers, and the reports of directives that
// silence nothing or cannot be read.
func TestDirectives(t *testing.T) {
	analysistest.Run(t, testdata(t), analyzer.Analyzer, "suppress", "suppressfile", "suppressnogroup", "suppressbroken")
	off := analyzer.DefaultSettings()
	off.Nolint = false
	analysistest.Run(t, testdata(t), analyzer.New(off), "nolintoff")
}
