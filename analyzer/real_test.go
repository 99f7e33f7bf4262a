package analyzer_test

import (
	"fmt"
	"go/types"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

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

// TestExportData runs packages of the catalogue as go vet and the
// standalone command see them: their dependencies read from export data
// (packages.LoadSyntax), where a package they reach only through
// another's results has no imports recorded. analysistest loads every
// dependency from source and cannot show what is missed there. Each
// line with a `// want` comment must get one diagnostic that matches it,
// and no other line any.
func TestExportData(t *testing.T) {
	dir := realModules(t)
	cfg := &packages.Config{Mode: packages.LoadSyntax | packages.NeedModule, Dir: dir}
	pkgs, err := packages.Load(cfg, "./regress/indirectpb")
	if err != nil || packages.PrintErrors(pkgs) > 0 {
		t.Fatalf("loading: %v", err)
	}
	// The premise: the generated package is known without imports.
	var gen *types.Package
	for _, imp := range pkgs[0].Types.Imports() {
		for _, dep := range imp.Imports() {
			if dep.Path() == "example.com/real/gen/chatgrpc" {
				gen = dep
			}
		}
	}
	if gen == nil || len(gen.Imports()) != 0 {
		t.Fatalf("the test's premise does not hold: chatgrpc (%v) is not an indirect package known without imports", gen)
	}
	g, err := checker.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := make(map[string]*regexp.Regexp) // file:line -> pattern
	for _, p := range pkgs {
		for _, f := range p.Syntax {
			for _, cg := range f.Comments {
				for _, c := range cg.List {
					if _, pat, ok := strings.Cut(c.Text, "// want `"); ok {
						pos := p.Fset.Position(c.Pos())
						want[fmt.Sprintf("%s:%d", pos.Filename, pos.Line)] = regexp.MustCompile(strings.TrimSuffix(pat, "`"))
					}
				}
			}
		}
	}
	if len(want) == 0 {
		t.Fatal("no // want comments")
	}
	for _, act := range g.Roots {
		if act.Err != nil {
			t.Fatal(act.Err)
		}
		for _, d := range act.Diagnostics {
			pos := act.Package.Fset.Position(d.Pos)
			at := fmt.Sprintf("%s:%d", pos.Filename, pos.Line)
			if re, ok := want[at]; !ok || !re.MatchString(d.Message) {
				t.Errorf("%s: unexpected diagnostic: %s", at, d.Message)
				continue
			}
			delete(want, at)
		}
	}
	for at, re := range want {
		t.Errorf("%s: no diagnostic matching %s", at, re)
	}
}
