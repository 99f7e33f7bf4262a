package fix

import (
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// These tests run the fix stage alone, as the analyzer's pipeline calls
// it: a Spec built by hand from a package's syntax and types, planned
// and rendered with no analysis around it. The analyzer's own tests
// cover the Specs it builds (testdata/src/*/*.golden); these check the
// planner's contract: the edits write what Code says, the names do not
// collide, and a Spec that cannot be fixed gets a reason, not edits.

// loaded is one type-checked file and what a Spec is built from.
type loaded struct {
	fset *token.FileSet
	file *ast.File
	info *types.Info
	root inspector.Cursor
	src  string
}

func load(t *testing.T, src string) *loaded {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types:      make(map[ast.Expr]types.TypeAndValue),
		Defs:       make(map[*ast.Ident]types.Object),
		Uses:       make(map[*ast.Ident]types.Object),
		Scopes:     make(map[ast.Node]*types.Scope),
		Implicits:  make(map[ast.Node]types.Object),
		Selections: make(map[*ast.SelectorExpr]*types.Selection),
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	if _, err := conf.Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	return &loaded{fset: fset, file: f, info: info, root: inspector.New([]*ast.File{f}).Root(), src: src}
}

// stmt returns the cursor of the first statement whose source starts
// with prefix.
func (l *loaded) stmt(t *testing.T, prefix string) inspector.Cursor {
	t.Helper()
	for cur := range l.root.Preorder((*ast.AssignStmt)(nil), (*ast.DeferStmt)(nil), (*ast.ExprStmt)(nil)) {
		n := cur.Node()
		if strings.HasPrefix(l.src[l.fset.Position(n.Pos()).Offset:], prefix) {
			return cur
		}
	}
	t.Fatalf("no statement %q", prefix)
	return inspector.Cursor{}
}

// obj returns the object that the statement at cur defines with name.
func (l *loaded) obj(t *testing.T, cur inspector.Cursor, name string) types.Object {
	t.Helper()
	for id, obj := range l.info.Defs {
		if id.Name == name && cur.Node().Pos() <= id.Pos() && id.End() <= cur.Node().End() {
			return obj
		}
	}
	t.Fatalf("statement defines no %s", name)
	return nil
}

// leakSpec is the Spec the analyzer builds for a goroutine that leaks
// the stream opened by `stream, err := open(...)` (leaks.go): DeferClose
// right after the opening, with cancel as the stream's cancel func when
// cancelDef is set.
func (l *loaded) leakSpec(t *testing.T, cancelDef string) *Spec {
	open := l.stmt(t, "stream, err := open(")
	call := open.Node().(*ast.AssignStmt).Rhs[0].(*ast.CallExpr)
	s := &Spec{
		Remedy: DeferClose,
		File:   l.file,
		Closer: "CloseResponse",
		Group:  Group{Stmt: open},
		Stream: Stream{Key: "stream", Name: "stream", Var: l.obj(t, open, "stream"), Open: open, OpenCall: call, CtxArg: call.Args[0]},
	}
	if cancelDef != "" {
		def := l.stmt(t, cancelDef)
		s.Cancel = &Cancel{Obj: l.obj(t, def, "cancel"), Def: def}
	}
	return s
}

// apply returns the source with the edits applied; it fails the test
// if two edits overlap.
func apply(t *testing.T, l *loaded, edits []analysis.TextEdit) string {
	t.Helper()
	edits = slices.Clone(edits)
	slices.SortStableFunc(edits, func(a, b analysis.TextEdit) int { return int(a.Pos - b.Pos) })
	var out strings.Builder
	last := 0
	for _, e := range edits {
		from, to := l.fset.Position(e.Pos).Offset, l.fset.Position(e.End).Offset
		if e.End == token.NoPos {
			to = from
		}
		if from < last {
			t.Fatalf("overlapping edits at offset %d", from)
		}
		out.WriteString(l.src[last:from])
		out.Write(e.NewText)
		last = to
	}
	out.WriteString(l.src[last:])
	return out.String()
}

const leakSrc = `package p

import "context"

type Stream struct{}

func (*Stream) Receive() error       { return nil }
func (*Stream) CloseResponse() error { return nil }

func open(ctx context.Context) (*Stream, error) { return &Stream{}, nil }

func run(parent context.Context) error {
	ctx, cancel := context.WithCancel(parent)
	defer cancel()
	stream, err := open(ctx)
	if err != nil {
		return err
	}
	go func() { _ = stream.Receive() }()
	return nil
}
`

// TestDeferCloseWithCancel: the stream's context has a cancel func, so
// the deferred func calls it and then closes the stream, right after the
// error check, and the message's code is exactly what is inserted.
func TestDeferCloseWithCancel(t *testing.T) {
	l := load(t, leakSrc)
	p, err := NewPlanner(l.fset, l.info).Plan(l.leakSpec(t, "ctx, cancel :="))
	if err != nil {
		t.Fatal(err)
	}
	got := apply(t, l, p.Edits())
	want := strings.Replace(leakSrc, "\t\treturn err\n\t}\n", "\t\treturn err\n\t}\n\tdefer func() { cancel(); _ = stream.CloseResponse() }()\n", 1)
	if got != want {
		t.Errorf("fixed:\n%s\nwant:\n%s", got, want)
	}
	checkRendered(t, l, p, got)
}

// TestDeferCloseDerivesPair: with no cancel func the pair is derived
// before the opening, under names that collide with nothing in scope
// (rpcCtx is taken here), and the opening moves onto the new context.
func TestDeferCloseDerivesPair(t *testing.T) {
	src := strings.Replace(leakSrc, "\tctx, cancel := context.WithCancel(parent)\n\tdefer cancel()\n", "\tctx := parent\n\trpcCtx := 1\n\t_ = rpcCtx\n", 1)
	l := load(t, src)
	p, err := NewPlanner(l.fset, l.info).Plan(l.leakSpec(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	names := p.Names()
	if names.Ctx != DefaultCtx+"2" || names.Cancel != DefaultCancel {
		t.Errorf("names %s, %s; want %s2, %s (%s is taken)", names.Ctx, names.Cancel, DefaultCtx, DefaultCancel, DefaultCtx)
	}
	got := apply(t, l, p.Edits())
	for _, line := range []string{
		"rpcCtx2, rpcCancel := context.WithCancel(ctx)",
		"stream, err := open(rpcCtx2)",
		"defer func() { rpcCancel(); _ = stream.CloseResponse() }()",
	} {
		if !strings.Contains(got, "\t"+line+"\n") {
			t.Errorf("fixed code has no line %q:\n%s", line, got)
		}
	}
	checkRendered(t, l, p, got)
}

// TestDeferCloseInLoop: an opening in a loop gets no fix, with the
// reason: a defer per iteration would pile up.
func TestDeferCloseInLoop(t *testing.T) {
	src := strings.Replace(leakSrc, "\tstream, err := open(ctx)\n\tif err != nil {\n\t\treturn err\n\t}\n\tgo func() { _ = stream.Receive() }()\n",
		"\tfor range 3 {\n\t\tstream, err := open(ctx)\n\t\tif err != nil {\n\t\t\treturn err\n\t\t}\n\t\tgo func() { _ = stream.Receive() }()\n\t}\n", 1)
	l := load(t, src)
	p, err := NewPlanner(l.fset, l.info).Plan(l.leakSpec(t, "ctx, cancel :="))
	if err != errPileUp || p != nil {
		t.Errorf("Plan = %v, %v; want no plan and %v", p, err, errPileUp)
	}
}

// TestPlannerSharesNames: two plans in one function take different
// names, as a package's plans must (the second stream is opened after
// the first).
func TestPlannerSharesNames(t *testing.T) {
	src := strings.Replace(leakSrc, "\tctx, cancel := context.WithCancel(parent)\n\tdefer cancel()\n", "\tctx := parent\n", 1)
	src = strings.Replace(src, "\treturn nil\n}\n", "\tother, err := open(ctx)\n\tif err != nil {\n\t\treturn err\n\t}\n\tgo func() { _ = other.Receive() }()\n\treturn nil\n}\n", 1)
	l := load(t, src)
	pl := NewPlanner(l.fset, l.info)
	first, err := pl.Plan(l.leakSpec(t, ""))
	if err != nil {
		t.Fatal(err)
	}
	open := l.stmt(t, "other, err := open(")
	call := open.Node().(*ast.AssignStmt).Rhs[0].(*ast.CallExpr)
	second, err := pl.Plan(&Spec{
		Remedy: DeferClose, File: l.file, Closer: "CloseResponse", Group: Group{Stmt: open},
		Stream: Stream{Key: "other", Name: "other", Var: l.obj(t, open, "other"), Open: open, OpenCall: call, CtxArg: call.Args[0]},
	})
	if err != nil {
		t.Fatal(err)
	}
	a, b := first.Names(), second.Names()
	if a.Ctx == b.Ctx || a.Cancel == b.Cancel {
		t.Errorf("both plans use %s, %s and %s, %s", a.Ctx, a.Cancel, b.Ctx, b.Cancel)
	}
	got := apply(t, l, append(first.Edits(), second.Edits()...))
	checkRendered(t, l, first, got)
	checkRendered(t, l, second, got)
}

// checkRendered checks that the fixed source is gofmt-clean and
// type-checks, and that every piece of code the plan's message quotes
// is in it, word for word.
func checkRendered(t *testing.T, l *loaded, p *Plan, fixed string) {
	t.Helper()
	if out, err := format.Source([]byte(fixed)); err != nil {
		t.Errorf("fixed code does not parse: %v\n%s", err, fixed)
	} else if string(out) != fixed {
		t.Errorf("fixed code is not gofmt-clean:\n%s", fixed)
	}
	load(t, fixed)
	c := p.Code()
	for _, quoted := range []string{c.Pair, c.Defer, c.Wiring, c.Close} {
		if quoted != "" && !strings.Contains(fixed, quoted) {
			t.Errorf("the message quotes %q, which the edits do not write:\n%s", quoted, fixed)
		}
	}
}
