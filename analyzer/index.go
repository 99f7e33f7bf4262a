package analyzer

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// An index is what the checks ask of a package's syntax: the
// same-package function declarations, the go statements and the Go calls
// on group variables, found before any check runs; every assignment and
// the sends and collected values that hand streams and groups on,
// recorded per top-level declaration by one walk of that declaration when
// a check first asks about it; and the calls of each function, by one
// walk of the package's calls when first asked
// (docs/performance.md#the-index). A question about a local variable
// walks only the declaration that holds it; one about a struct field or a
// package variable walks the rest of the package, once. The checks never
// walk the package themselves.
type index struct {
	info *types.Info
	pkg  *types.Package

	// files holds each file's top-level declarations, to find the one
	// that holds a position.
	files []*fileDecls
	// goCalls are the g.Go(f) and g.TryGo(f) calls on a group variable,
	// in source order; goStmts the go statements.
	goCalls []*goCall
	goStmts []inspector.Cursor

	// segs holds what each top-level declaration records, once walked;
	// all the same merged over the package, in source order, once asked
	// for (whole).
	segs map[ast.Decl]*segment
	all  *segment
	// calls holds the calls of each function of the package, for
	// following a group handed to a helper, and fieldCalls those of each
	// func-valued struct field (r.cancel()), for following a cancel func
	// stored in a field; both filled by one walk of the package when
	// first asked (callIndex).
	calls      map[*types.Func][]inspector.Cursor
	fieldCalls map[*types.Var][]inspector.Cursor
	// pkgDecl holds a package variable's declaration.
	pkgDecl map[*types.Var]*assign
}

// A segment is what the walk of some declarations records.
type segment struct {
	// assigns holds the assignments to each variable or struct field, in
	// source order.
	assigns map[*types.Var][]*assign
	// sends holds the sends on each channel variable, for following a
	// stream handed over a channel.
	sends map[*types.Var][]*ast.SendStmt
	// elems holds the values put into each slice or map variable
	// (append, index assignment, composite literal), for following a
	// stream collected in a loop and ranged over.
	elems map[*types.Var][]*assign
}

func newSegment() *segment {
	return &segment{
		assigns: make(map[*types.Var][]*assign),
		sends:   make(map[*types.Var][]*ast.SendStmt),
		elems:   make(map[*types.Var][]*assign),
	}
}

// An assign is one assignment to a variable (or to a struct field
// through a selector): an assignment statement, a var spec, or a range
// clause. Contexts and streams are traced by assignment and position, not
// by variable, because the most common bug reuses the name: `g, ctx :=
// errgroup.WithContext(ctx)` after the stream was opened with the
// caller's ctx (docs/rules.md#the-streams-context).
type assign struct {
	obj   *types.Var
	lhs   ast.Expr         // the assigned expression (identifier or selector)
	rhs   ast.Expr         // the value, or nil for a zero value (var x T)
	index int              // which result of a multi-value rhs
	rhsAt int              // index of rhs among the statement's values
	stmt  inspector.Cursor // the AssignStmt or ValueSpec
	end   token.Pos        // uses at or after end see this assignment
	top   ast.Decl         // the top-level declaration that holds it
	elem  bool             // a range value: an element of rhs
}

// packageLevel reports whether d is a package-level var declaration,
// whose value every function of the package sees.
func (d *assign) packageLevel() bool {
	gen, ok := d.top.(*ast.GenDecl)
	return ok && d.stmt.Parent().Node() == gen
}

// rhsCursor returns the cursor of d's value, or an invalid cursor.
func (d *assign) rhsCursor() inspector.Cursor {
	if d.rhs == nil {
		return inspector.Cursor{}
	}
	switch d.stmt.Node().(type) {
	case *ast.AssignStmt:
		return d.stmt.ChildAt(edge.AssignStmt_Rhs, d.rhsAt)
	case *ast.ValueSpec:
		return d.stmt.ChildAt(edge.ValueSpec_Values, d.rhsAt)
	}
	return inspector.Cursor{}
}

// fileDecls holds a file and the cursors of its top-level declarations,
// in order, listed when a question first comes to the file (declsOf):
// listing them reads memory that nothing else may need.
type fileDecls struct {
	file  *ast.File
	cur   inspector.Cursor
	decls []inspector.Cursor
}

// declsOf returns the cursors of f's top-level declarations, as
// f.file.Decls holds them.
func declsOf(f *fileDecls) []inspector.Cursor {
	if f.decls == nil {
		f.decls = make([]inspector.Cursor, 0, len(f.file.Decls))
		for decl := range f.cur.Children() {
			if _, ok := decl.Node().(ast.Decl); ok {
				f.decls = append(f.decls, decl)
			}
		}
	}
	return f.decls
}

// A goCall starts one task of a group: g.Go(f) or g.TryGo(f) on a group
// variable, or a go statement whose function calls wg.Done() on a
// sync.WaitGroup variable (groupsWithTasks).
type goCall struct {
	call  *ast.CallExpr    // the Go call, or the go statement's call
	cur   inspector.Cursor // its cursor
	fn    inspector.Cursor // the task's function: f, or the go statement's function
	group types.Object     // the group variable
	// spawned: a go statement's call, whose function runs with the
	// call's arguments.
	spawned bool
}

// newIndex lists the package's declarations and go statements, and the
// group calls among starts (the selections of a method named Go or
// TryGo, selections); the rest waits for a question (segment).
func newIndex(pkg *types.Package, info *types.Info, root inspector.Cursor, starts []*ast.SelectorExpr) *index {
	x := &index{
		info:    info,
		pkg:     pkg,
		segs:    make(map[ast.Decl]*segment),
		pkgDecl: make(map[*types.Var]*assign),
	}
	for file := range root.Children() {
		f, ok := file.Node().(*ast.File)
		if !ok {
			continue
		}
		x.files = append(x.files, &fileDecls{file: f, cur: file})
	}
	for cur := range root.Preorder((*ast.GoStmt)(nil)) {
		x.goStmts = append(x.goStmts, cur)
	}
	// Each selection is found by a descent of its declaration by position,
	// not by a walk of the declaration's calls; the calls are kept in
	// source order, file by file, as such a walk would find them.
	type start struct {
		sel  *ast.SelectorExpr
		decl int
	}
	byFile := make(map[*fileDecls][]start)
	for _, sel := range starts {
		if f, i := x.declAt(sel.Pos()); f != nil {
			byFile[f] = append(byFile[f], start{sel, i})
		}
	}
	for _, f := range x.files {
		sels := byFile[f]
		slices.SortFunc(sels, func(a, b start) int { return cmp.Compare(a.sel.Pos(), b.sel.Pos()) })
		for _, s := range sels {
			cur, ok := declsOf(f)[s.decl].FindByPos(s.sel.Pos(), s.sel.End())
			if !ok || cur.Node() != s.sel {
				continue
			}
			for cur.ParentEdgeKind() == edge.ParenExpr_X {
				cur = cur.Parent() // (g.Go)(f)
			}
			if cur.ParentEdgeKind() == edge.CallExpr_Fun {
				x.addGoCall(cur.Parent(), cur.Parent().Node().(*ast.CallExpr))
			}
		}
	}
	return x
}

// topAt returns the top-level declaration that holds pos, or nil.
func (x *index) topAt(pos token.Pos) ast.Decl {
	if f, i := x.declAt(pos); f != nil {
		return f.file.Decls[i]
	}
	return nil
}

// topCursorAt returns the cursor of the top-level declaration that holds
// pos, or the zero Cursor.
func (x *index) topCursorAt(pos token.Pos) inspector.Cursor {
	if f, i := x.declAt(pos); f != nil {
		if curs := declsOf(f); i < len(curs) && curs[i].Node() == f.file.Decls[i] {
			return curs[i]
		}
	}
	return inspector.Cursor{}
}

// declAt returns the file and the index in its Decls of the top-level
// declaration that holds pos, found by binary search, or nil.
func (x *index) declAt(pos token.Pos) (*fileDecls, int) {
	for _, f := range x.files {
		if !code.Within(f.file, pos) {
			continue
		}
		decls := f.file.Decls
		i := sort.Search(len(decls), func(i int) bool { return decls[i].End() > pos })
		if i < len(decls) && code.Within(decls[i], pos) {
			return f, i
		}
	}
	return nil, 0
}

// funcDecl returns the declaration of the package's function or method
// fn (its origin, if an instance), or the zero Cursor.
func (x *index) funcDecl(fn *types.Func) inspector.Cursor {
	if fn == nil || fn.Pkg() != x.pkg {
		return inspector.Cursor{}
	}
	fn = fn.Origin()
	cur := x.topCursorAt(fn.Pos())
	if fd, ok := cur.Node().(*ast.FuncDecl); ok && fd.Body != nil && x.info.Defs[fd.Name] == fn {
		return cur
	}
	return inspector.Cursor{}
}

// segment returns what the top-level declaration top records, walking it
// on first use; an empty segment for nil.
func (x *index) segment(top ast.Decl) *segment {
	if top == nil {
		return newSegment()
	}
	if sg := x.segs[top]; sg != nil {
		return sg
	}
	sg := newSegment()
	x.segs[top] = sg
	cur := x.topCursorAt(top.Pos())
	if !cur.Valid() || cur.Node() != top {
		return sg
	}
	filter := []ast.Node{(*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.SendStmt)(nil), (*ast.RangeStmt)(nil)}
	for c := range cur.Preorder(filter...) {
		switch n := c.Node().(type) {
		case *ast.AssignStmt:
			x.addAssign(sg, c, n, top)
		case *ast.ValueSpec:
			x.addValueSpec(sg, c, n, top)
		case *ast.RangeStmt:
			x.addRange(sg, c, n, top)
		case *ast.SendStmt:
			if id, ok := ast.Unparen(n.Chan).(*ast.Ident); ok {
				if v, ok := x.info.Uses[id].(*types.Var); ok {
					sg.sends[v] = append(sg.sends[v], n)
				}
			}
		}
	}
	return sg
}

// whole returns what the whole package records, in source order.
func (x *index) whole() *segment {
	if x.all != nil {
		return x.all
	}
	all := newSegment()
	for _, f := range x.files {
		for _, decl := range f.file.Decls {
			sg := x.segment(decl)
			for k, v := range sg.assigns {
				all.assigns[k] = append(all.assigns[k], v...)
			}
			for k, v := range sg.sends {
				all.sends[k] = append(all.sends[k], v...)
			}
			for k, v := range sg.elems {
				all.elems[k] = append(all.elems[k], v...)
			}
		}
	}
	x.all = all
	return all
}

// of returns the segment that answers a question about v: the walk of the
// declaration that holds v when v is local to it (every assignment of a
// local variable is within its scope), the whole package otherwise.
func (x *index) of(v *types.Var) *segment {
	if v == nil {
		return newSegment()
	}
	if v.Pkg() == x.pkg && !v.IsField() && v.Parent() != nil && v.Parent() != x.pkg.Scope() && v.Parent() != types.Universe {
		if top := x.topAt(v.Pos()); top != nil {
			return x.segment(top)
		}
	}
	return x.whole()
}

// assignsOf returns the assignments of v in the package, in source order.
func (x *index) assignsOf(v *types.Var) []*assign { return x.of(v).assigns[v] }

// assignsIn returns the assignments of v in the top-level declaration
// top, in source order.
func (x *index) assignsIn(v *types.Var, top ast.Decl) []*assign {
	return x.segment(top).assigns[v]
}

// declOfVar returns the declaration of the package variable v, or nil.
func (x *index) declOfVar(v *types.Var) *assign {
	if v == nil || v.Pkg() != x.pkg || v.Parent() != x.pkg.Scope() {
		return nil
	}
	x.segment(x.topAt(v.Pos()))
	return x.pkgDecl[v]
}

// callIndex fills calls and fieldCalls, walking the package's calls once.
func (x *index) callIndex() {
	if x.calls != nil {
		return
	}
	x.calls = make(map[*types.Func][]inspector.Cursor)
	x.fieldCalls = make(map[*types.Var][]inspector.Cursor)
	for _, f := range x.files {
		for c := range f.cur.Preorder((*ast.CallExpr)(nil)) {
			n := c.Node().(*ast.CallExpr)
			if fn := code.StaticFunc(x.info, n); fn != nil && fn.Pkg() == x.pkg {
				x.calls[fn] = append(x.calls[fn], c)
			} else if f := calledField(x.info, n); f != nil {
				x.fieldCalls[f] = append(x.fieldCalls[f], c)
			}
		}
	}
}

// callsOf returns the calls of the package's function fn.
func (x *index) callsOf(fn *types.Func) []inspector.Cursor {
	x.callIndex()
	return x.calls[fn]
}

// fieldCallsOf returns the calls of the func-valued field f.
func (x *index) fieldCallsOf(f *types.Var) []inspector.Cursor {
	x.callIndex()
	return x.fieldCalls[f]
}

// sendsOn returns the sends on the channel variable v.
func (x *index) sendsOn(v *types.Var) []*ast.SendStmt { return x.of(v).sends[v] }

// elemsOf returns the values put into the slice or map variable v.
func (x *index) elemsOf(v *types.Var) []*assign { return x.of(v).elems[v] }

// calledField returns the struct field that call calls (r.cancel()), or
// nil.
func calledField(info *types.Info, call *ast.CallExpr) *types.Var {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	if s := info.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
		v, _ := s.Obj().(*types.Var)
		return v
	}
	return nil
}

func (x *index) addAssign(sg *segment, cur inspector.Cursor, n *ast.AssignStmt, top ast.Decl) {
	if n.Tok != token.DEFINE && n.Tok != token.ASSIGN {
		return
	}
	for i, lhs := range n.Lhs {
		switch {
		case len(n.Rhs) == len(n.Lhs):
			x.addTarget(sg, cur, lhs, n.Rhs[i], 0, i, n.End(), top)
		case len(n.Rhs) == 1:
			x.addTarget(sg, cur, lhs, n.Rhs[0], i, 0, n.End(), top)
		}
	}
}

func (x *index) addValueSpec(sg *segment, cur inspector.Cursor, n *ast.ValueSpec, top ast.Decl) {
	end := n.End()
	if p := cur.Parent(); p.Valid() {
		end = p.Node().End() // a var ( ... ) block takes effect as a whole
	}
	for i, name := range n.Names {
		switch {
		case len(n.Values) == 0:
			x.addTarget(sg, cur, name, nil, 0, 0, end, top)
		case len(n.Values) == len(n.Names):
			x.addTarget(sg, cur, name, n.Values[i], 0, i, end, top)
		case len(n.Values) == 1:
			x.addTarget(sg, cur, name, n.Values[0], i, 0, end, top)
		}
	}
}

// addRange records `for _, v := range xs` as an assignment of v whose
// value is an element of xs (assign.elem).
func (x *index) addRange(sg *segment, cur inspector.Cursor, n *ast.RangeStmt, top ast.Decl) {
	if n.Value == nil || (n.Tok != token.DEFINE && n.Tok != token.ASSIGN) {
		return
	}
	if v, ok := x.info.ObjectOf(code.IdentOf(n.Value)).(*types.Var); ok {
		x.add(sg, &assign{obj: v, lhs: n.Value, rhs: n.X, elem: true, stmt: cur, end: n.Body.Lbrace, top: top})
	}
}

// addElems records the values an assignment puts into a slice or map
// variable: xs = append(xs, v...), xs[i] = v, xs := []T{v, ...}.
func (x *index) addElems(sg *segment, cur inspector.Cursor, lhs, rhs ast.Expr, end token.Pos, top ast.Decl) {
	var container ast.Expr
	var values []ast.Expr
	if ix, ok := ast.Unparen(lhs).(*ast.IndexExpr); ok {
		container, values = ix.X, []ast.Expr{rhs}
	} else {
		container = lhs
		switch r := ast.Unparen(rhs).(type) {
		case *ast.CallExpr:
			if id, ok := ast.Unparen(r.Fun).(*ast.Ident); ok && id.Name == "append" && len(r.Args) > 1 {
				if _, builtin := x.info.Uses[id].(*types.Builtin); builtin {
					values = r.Args[1:]
				}
			}
		case *ast.CompositeLit:
			for _, e := range r.Elts {
				if kv, ok := e.(*ast.KeyValueExpr); ok {
					e = kv.Value
				}
				values = append(values, e)
			}
		}
	}
	if len(values) == 0 {
		return // most assignments: no lookup
	}
	v, ok := x.info.ObjectOf(code.IdentOf(container)).(*types.Var)
	if !ok {
		return
	}
	for _, val := range values {
		sg.elems[v] = append(sg.elems[v], &assign{obj: v, lhs: container, rhs: val, stmt: cur, end: end, top: top})
	}
}

func (x *index) addTarget(sg *segment, cur inspector.Cursor, lhs, rhs ast.Expr, index, rhsAt int, end token.Pos, top ast.Decl) {
	if rhs != nil && index == 0 {
		x.addElems(sg, cur, lhs, rhs, end, top)
	}
	var obj types.Object
	switch l := ast.Unparen(lhs).(type) {
	case *ast.Ident:
		if l.Name == "_" {
			return
		}
		obj = x.info.ObjectOf(l)
	case *ast.SelectorExpr:
		if sel := x.info.Selections[l]; sel != nil && sel.Kind() == types.FieldVal {
			obj = sel.Obj()
		}
	}
	if v, ok := obj.(*types.Var); ok {
		x.add(sg, &assign{obj: v, lhs: lhs, rhs: rhs, index: index, rhsAt: rhsAt, stmt: cur, end: end, top: top})
	}
}

// add records d in the assignment lists.
func (x *index) add(sg *segment, d *assign) {
	sg.assigns[d.obj] = append(sg.assigns[d.obj], d)
	if d.packageLevel() {
		x.pkgDecl[d.obj] = d
	}
}

// addGoCall records g.Go(f) and g.TryGo(f) where g is a variable of a
// group type; a group read from a field or returned by a call is not
// analysed (docs/rules.md#groups).
func (x *index) addGoCall(cur inspector.Cursor, call *ast.CallExpr) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || len(call.Args) != 1 {
		return
	}
	id, ok := ast.Unparen(sel.X).(*ast.Ident)
	if !ok {
		return
	}
	obj := x.info.Uses[id]
	if obj == nil {
		return
	}
	if k := groupKindOf(obj.Type()); k == notGroup || !k.startsTask(sel.Sel.Name) || code.FuncIn(x.info, call, k.path()) == nil {
		return
	}
	x.goCalls = append(x.goCalls, &goCall{call: call, cur: cur, fn: cur.ChildAt(edge.CallExpr_Args, 0), group: obj})
}
