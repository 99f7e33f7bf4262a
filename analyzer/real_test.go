package analyzer_test

import (
	"os/exec"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

// realModules returns the module-mode catalogue that uses the real
// connect-go v1 and v2, grpc-go and x/sync, making sure its modules are in
// the module cache (analysistest loads it with GOPROXY=off).
func realModules(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(testdata(t), "real")
	cmd := exec.Command("go", "mod", "download")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go mod download in %s: %v\n%s", dir, err, out)
	}
	return dir
}

// TestRealModules runs the catalogue against the real libraries with the
// default settings.
func TestRealModules(t *testing.T) {
	analysistest.Run(t, realModules(t), analyzer.Analyzer,
		"./streams", "./ctxflow", "./groups/...", "./report", "./paths", "./server", "./realcode", "./joins", "./leaks")
}

// TestSettings checks the two settings on packages that have cases of
// what each turns off.
func TestSettings(t *testing.T) {
	dir := realModules(t)
	analysistest.Run(t, dir, analyzer.New(analyzer.Settings{GRPC: false, Server: true}), "./nogrpc")
	analysistest.Run(t, dir, analyzer.New(analyzer.Settings{GRPC: true, Server: false}), "./noserver")
}

// TestRealFixes applies the suggested fixes to the fix catalogue written
// against the real libraries and compares with the .golden files.
func TestRealFixes(t *testing.T) {
	analysistest.RunWithSuggestedFixes(t, realModules(t), analyzer.Analyzer, "./fixes/...")
}

// TestRealDirectives silences a finding of each kind with the real
// libraries and reports the stale directives.
func TestRealDirectives(t *testing.T) {
	analysistest.Run(t, realModules(t), analyzer.Analyzer, "./suppress")
}
