package e2e

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"testing"

	"github.com/bidictxlint/bidictxlint/e2e/scenario"
)

// defersInLoops returns the positions of the defer statements of src that
// run once per iteration of a loop of their own function: each iteration
// adds one more, and none runs before the function returns (no pile-up
// in loops). A defer inside a function literal that the loop
// calls runs when that literal returns and is not counted.
func defersInLoops(t *testing.T, filename string, src []byte) []token.Position {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, filename, src, 0)
	if err != nil {
		t.Fatal(err)
	}
	var found []token.Position
	var walk func(n ast.Node, loops int)
	walk = func(n ast.Node, loops int) {
		ast.Inspect(n, func(m ast.Node) bool {
			switch m := m.(type) {
			case *ast.FuncLit:
				if m != n {
					walk(m.Body, 0)
					return false
				}
			case *ast.ForStmt:
				if m != n {
					walk(m, loops+1)
					return false
				}
			case *ast.RangeStmt:
				if m != n {
					walk(m, loops+1)
					return false
				}
			case *ast.DeferStmt:
				if loops > 0 {
					found = append(found, fset.Position(m.Pos()))
				}
			}
			return true
		})
	}
	for _, d := range f.Decls {
		if fn, ok := d.(*ast.FuncDecl); ok && fn.Body != nil {
			walk(fn.Body, 0)
		}
	}
	return found
}

// checkNoPileUp fails t for every defer of a fixed client's source that
// runs once per loop iteration.
func checkNoPileUp(t *testing.T, name string, src []byte) {
	t.Helper()
	for _, pos := range defersInLoops(t, name+"/client.go", src) {
		t.Errorf("%v: a defer in a loop piles up, one per iteration, until the function returns", pos)
	}
}

// TestDefersInLoops checks the check on the shapes it must tell apart.
func TestDefersInLoops(t *testing.T) {
	for _, c := range []struct {
		src  string
		want int
	}{
		{"package p\nfunc f() { for { defer g() } }", 1},
		{"package p\nfunc f(xs []int) { for range xs { if true { defer g() } } }", 1},
		{"package p\nfunc f() { go func() { for { defer g() } }() }", 1},
		{"package p\nfunc f() { defer g(); for { g() } }", 0},
		{"package p\nfunc f() { for { func() { defer g() }() } }", 0},
		{"package p\nfunc f() { for { h(func() error { defer g(); return nil }) } }", 0},
	} {
		if got := len(defersInLoops(t, "p.go", []byte(c.src))); got != c.want {
			t.Errorf("%s: %d defers in loops, want %d", c.src, got, c.want)
		}
	}
}

// TestHandFixedNoPileUp: no hand-fixed client defers once per iteration.
// (applyToolFix checks the tool's fixes the same way.)
func TestHandFixedNoPileUp(t *testing.T) {
	for _, c := range slices.Concat(scenario.Cases, scenario.Leaks) {
		checkNoPileUp(t, c.Name+"/fixed", readClient(t, ".", c.Name, "fixed"))
	}
}
