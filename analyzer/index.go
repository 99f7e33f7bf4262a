package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// An index is what one walk of a package's syntax records before any
// check runs: every assignment, the same-package function declarations,
// the Go calls on group variables, and the calls, sends and collected
// values that hand streams and groups on. It is the pipeline's first
// step; the checks read it and never walk the package again.
type index struct {
	info *types.Info

	// assigns holds the assignments to each variable or struct field, in
	// source order; assignsIn the same, per top-level declaration, and
	// pkgDecl a package variable's declaration.
	assigns   map[*types.Var][]*assign
	assignsIn map[declKey][]*assign
	pkgDecl   map[*types.Var]*assign
	// files holds each file's top-level declarations, to find the one
	// that holds a position.
	files []fileDecls
	// decls holds the declarations of the package's functions and
	// methods, for following helpers.
	decls map[*types.Func]inspector.Cursor
	// goCalls are the g.Go(f) and g.TryGo(f) calls on a group variable,
	// in the order of the walk; goStmts the go statements.
	goCalls []*goCall
	goStmts []inspector.Cursor
	// calls holds the calls of each function of the package, for
	// following a group handed to a helper.
	calls map[*types.Func][]inspector.Cursor
	// fieldCalls holds the calls of each func-valued struct field
	// (r.cancel()), for following a cancel func stored in a field.
	fieldCalls map[*types.Var][]inspector.Cursor
	// sends holds the sends on each channel variable, for following a
	// stream handed over a channel.
	sends map[*types.Var][]*ast.SendStmt
	// elems holds the values put into each slice or map variable
	// (append, index assignment, composite literal), for following a
	// stream collected in a loop and ranged over.
	elems map[*types.Var][]*assign
}

// A declKey is a variable within one top-level declaration.
type declKey struct {
	v   *types.Var
	top ast.Decl
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

// fileDecls holds a file's top-level declarations, in order.
type fileDecls struct {
	file  *ast.File
	decls []inspector.Cursor
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

// newIndex walks the package once.
func newIndex(pkg *types.Package, info *types.Info, root inspector.Cursor) *index {
	x := &index{
		info:       info,
		calls:      make(map[*types.Func][]inspector.Cursor),
		fieldCalls: make(map[*types.Var][]inspector.Cursor),
		assignsIn:  make(map[declKey][]*assign),
		pkgDecl:    make(map[*types.Var]*assign),
		sends:      make(map[*types.Var][]*ast.SendStmt),
		elems:      make(map[*types.Var][]*assign),
		assigns:    make(map[*types.Var][]*assign),
		decls:      make(map[*types.Func]inspector.Cursor),
	}
	filter := []ast.Node{(*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.CallExpr)(nil), (*ast.SendStmt)(nil), (*ast.RangeStmt)(nil), (*ast.GoStmt)(nil)}
	for file := range root.Children() {
		f, ok := file.Node().(*ast.File)
		if !ok {
			continue
		}
		tops := fileDecls{file: f}
		for decl := range file.Children() {
			top, ok := decl.Node().(ast.Decl)
			if !ok {
				continue
			}
			tops.decls = append(tops.decls, decl)
			if fd, ok := top.(*ast.FuncDecl); ok && fd.Body != nil {
				if fn, ok := info.Defs[fd.Name].(*types.Func); ok {
					x.decls[fn] = decl
				}
			}
			for cur := range decl.Preorder(filter...) {
				switch n := cur.Node().(type) {
				case *ast.AssignStmt:
					x.addAssign(cur, n, top)
				case *ast.ValueSpec:
					x.addValueSpec(cur, n, top)
				case *ast.CallExpr:
					x.addGoCall(cur, n)
					if fn := code.StaticFunc(info, n); fn != nil && fn.Pkg() == pkg {
						x.calls[fn] = append(x.calls[fn], cur)
					} else if f := calledField(info, n); f != nil {
						x.fieldCalls[f] = append(x.fieldCalls[f], cur)
					}
				case *ast.RangeStmt:
					x.addRange(cur, n, top)
				case *ast.GoStmt:
					x.goStmts = append(x.goStmts, cur)
				case *ast.SendStmt:
					if id, ok := ast.Unparen(n.Chan).(*ast.Ident); ok {
						if v, ok := info.Uses[id].(*types.Var); ok {
							x.sends[v] = append(x.sends[v], n)
						}
					}
				}
			}
		}
		x.files = append(x.files, tops)
	}
	return x
}

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

func (x *index) addAssign(cur inspector.Cursor, n *ast.AssignStmt, top ast.Decl) {
	if n.Tok != token.DEFINE && n.Tok != token.ASSIGN {
		return
	}
	for i, lhs := range n.Lhs {
		switch {
		case len(n.Rhs) == len(n.Lhs):
			x.addTarget(cur, lhs, n.Rhs[i], 0, i, n.End(), top)
		case len(n.Rhs) == 1:
			x.addTarget(cur, lhs, n.Rhs[0], i, 0, n.End(), top)
		}
	}
}

func (x *index) addValueSpec(cur inspector.Cursor, n *ast.ValueSpec, top ast.Decl) {
	end := n.End()
	if p := cur.Parent(); p.Valid() {
		end = p.Node().End() // a var ( ... ) block takes effect as a whole
	}
	for i, name := range n.Names {
		switch {
		case len(n.Values) == 0:
			x.addTarget(cur, name, nil, 0, 0, end, top)
		case len(n.Values) == len(n.Names):
			x.addTarget(cur, name, n.Values[i], 0, i, end, top)
		case len(n.Values) == 1:
			x.addTarget(cur, name, n.Values[0], i, 0, end, top)
		}
	}
}

// addRange records `for _, v := range xs` as an assignment of v whose
// value is an element of xs (assign.elem).
func (x *index) addRange(cur inspector.Cursor, n *ast.RangeStmt, top ast.Decl) {
	if n.Value == nil || (n.Tok != token.DEFINE && n.Tok != token.ASSIGN) {
		return
	}
	if v, ok := x.info.ObjectOf(code.IdentOf(n.Value)).(*types.Var); ok {
		x.add(&assign{obj: v, lhs: n.Value, rhs: n.X, elem: true, stmt: cur, end: n.Body.Lbrace, top: top})
	}
}

// addElems records the values an assignment puts into a slice or map
// variable: xs = append(xs, v...), xs[i] = v, xs := []T{v, ...}.
func (x *index) addElems(cur inspector.Cursor, lhs, rhs ast.Expr, end token.Pos, top ast.Decl) {
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
	v, ok := x.info.ObjectOf(code.IdentOf(container)).(*types.Var)
	if !ok {
		return
	}
	for _, val := range values {
		x.elems[v] = append(x.elems[v], &assign{obj: v, lhs: container, rhs: val, stmt: cur, end: end, top: top})
	}
}

func (x *index) addTarget(cur inspector.Cursor, lhs, rhs ast.Expr, index, rhsAt int, end token.Pos, top ast.Decl) {
	if rhs != nil && index == 0 {
		x.addElems(cur, lhs, rhs, end, top)
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
		x.add(&assign{obj: v, lhs: lhs, rhs: rhs, index: index, rhsAt: rhsAt, stmt: cur, end: end, top: top})
	}
}

// add records d in the assignment lists.
func (x *index) add(d *assign) {
	x.assigns[d.obj] = append(x.assigns[d.obj], d)
	k := declKey{d.obj, d.top}
	x.assignsIn[k] = append(x.assignsIn[k], d)
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
