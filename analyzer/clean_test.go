package analyzer_test

import (
	"go/ast"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

// TestFixesLeaveCleanCodeAlone checks docs/fixes.md's "Never touch
// correct code" over the whole catalogue: every edit of every suggested
// fix falls inside a top-level function that has a `// want` comment (a
// reported one) or that the diagnostic names in its Related positions
// (where the stream was opened, where the group was created: a task
// method reported apart from the function that starts it), or in the
// file's imports. A clean case, which has no `// want` and is named by no
// diagnostic, is never changed by applying the fixes.
func TestFixesLeaveCleanCodeAlone(t *testing.T) {
	var results []*analysistest.Result
	results = append(results, analysistest.Run(t, testdata(t), analyzer.Analyzer,
		append([]string{"basic", "tasks", "server", "broken"}, fixPackages...)...)...)
	results = append(results, analysistest.Run(t, filepath.Join(testdata(t), "go1.20"), analyzer.Analyzer, "./...")...)
	real := realModules(t)
	results = append(results, analysistest.Run(t, real, analyzer.Analyzer,
		"./streams", "./ctxflow", "./groups/...", "./report", "./paths", "./server", "./fixes/...")...)
	results = append(results, analysistest.Run(t, real, analyzer.New(analyzer.Settings{GRPC: false, Server: true}), "./nogrpc")...)
	results = append(results, analysistest.Run(t, real, analyzer.New(analyzer.Settings{GRPC: true, Server: false}), "./noserver")...)
	edits := 0
	for _, res := range results {
		for _, d := range res.Diagnostics {
			for _, fix := range d.SuggestedFixes {
				for _, e := range fix.TextEdits {
					edits++
					if where := outsideReported(res.Pass, d, e); where != "" {
						t.Errorf("%s: the fix of %q edits %s", res.Pass.Fset.Position(e.Pos), d.Message, where)
					}
				}
			}
		}
	}
	if edits < 50 {
		t.Errorf("only %d fix edits in the catalogue; the test checks too little", edits)
	}
}

// outsideReported says where the edit e falls when that is neither a
// top-level function with a `// want` comment nor the imports; "" when it
// is one of those.
func outsideReported(pass *analysis.Pass, d analysis.Diagnostic, e analysis.TextEdit) string {
	for _, f := range pass.Files {
		if e.Pos < f.FileStart || e.Pos > f.FileEnd {
			continue
		}
		for _, decl := range f.Decls {
			if decl.Pos() > e.Pos || e.End > decl.End() {
				continue
			}
			fd, ok := decl.(*ast.FuncDecl)
			if !ok {
				if gd, ok := decl.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
					return ""
				}
				return "a declaration that is not a function"
			}
			if !hasWant(f, fd) && !names(d, fd) {
				return "function " + fd.Name.Name + ", which has no // want (a clean case)"
			}
			return ""
		}
		if e.Pos == f.Name.End() || importEdit(f, e) {
			return "" // a new import declaration
		}
		return "text outside every declaration"
	}
	return "no file of the package"
}

// importEdit reports whether e inserts an import before the first
// import declaration.
func importEdit(f *ast.File, e analysis.TextEdit) bool {
	return len(f.Imports) > 0 && e.Pos == e.End && e.Pos == f.Decls[0].Pos() && strings.HasPrefix(string(e.NewText), "import ")
}

// names reports whether a Related position of d is inside fd.
func names(d analysis.Diagnostic, fd *ast.FuncDecl) bool {
	for _, r := range d.Related {
		if fd.Pos() <= r.Pos && r.Pos < fd.End() {
			return true
		}
	}
	return false
}

// hasWant reports whether a comment inside fd expects a diagnostic.
func hasWant(f *ast.File, fd *ast.FuncDecl) bool {
	for _, cg := range f.Comments {
		if cg.Pos() < fd.Pos() || cg.End() > fd.End() {
			continue
		}
		for _, c := range cg.List {
			if strings.HasPrefix(strings.TrimSpace(strings.TrimPrefix(c.Text, "//")), "want ") {
				return true
			}
		}
	}
	return false
}
