package analyzer_test

import (
	"go/ast"
	"go/types"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// TestPipelineOneDirection holds the analyzer's files to the pipeline
// picture of docs/development.md: every non-test file of analyzer/ is in
// the picture, and no two files use each other's functions, so that a
// reader following one diagnostic from run to its edits never turns back
// into a file already left, except through a shared helper (which lives
// in analyzer/internal/code, outside this package).
func TestPipelineOneDirection(t *testing.T) {
	pkgs, err := packages.Load(&packages.Config{Mode: packages.LoadAllSyntax, Dir: "."}, ".")
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		t.Fatalf("loading the analyzer: %v %v", err, pkgs)
	}
	p := pkgs[0]
	fileOf := func(n ast.Node) string { return filepath.Base(p.Fset.File(n.Pos()).Name()) }
	declared := map[types.Object]string{}
	for _, f := range p.Syntax {
		for _, d := range f.Decls {
			if fd, ok := d.(*ast.FuncDecl); ok {
				declared[p.TypesInfo.Defs[fd.Name]] = fileOf(f)
			}
		}
	}
	uses := map[string]map[string]bool{}
	for _, f := range p.Syntax {
		from := fileOf(f)
		ast.Inspect(f, func(n ast.Node) bool {
			id, ok := n.(*ast.Ident)
			if !ok {
				return true
			}
			obj := p.TypesInfo.Uses[id]
			if fn, ok := obj.(*types.Func); ok {
				obj = fn.Origin()
			}
			if to, ok := declared[obj]; ok && to != from {
				if uses[from] == nil {
					uses[from] = map[string]bool{}
				}
				uses[from][to] = true
			}
			return true
		})
	}
	for a, tos := range uses {
		for b := range tos {
			if a < b && uses[b][a] {
				t.Errorf("%s and %s use each other's functions: the pipeline turns back", a, b)
			}
		}
	}

	doc, err := os.ReadFile("../docs/development.md")
	if err != nil {
		t.Fatal(err)
	}
	pictured := regexp.MustCompile(`\b[a-z]+\.go\b`).FindAllString(string(doc), -1)
	for _, f := range p.Syntax {
		if name := fileOf(f); !slices.Contains(pictured, name) {
			t.Errorf("%s is not in the pipeline picture of docs/development.md", name)
		}
	}
	for _, name := range pictured {
		if _, err := os.Stat(name); err != nil && !strings.Contains(name, "_test") {
			if _, err := os.Stat(filepath.Join("..", name)); err != nil {
				t.Errorf("docs/development.md pictures %s, which does not exist", name)
			}
		}
	}
}
