package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"sort"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// A def is one assignment to a variable (or to a struct field through a
// selector) that the analysis may need: a context, a stream, a group, a
// function value or a value holding a stream. Contexts are tracked by
// assignment and position, not by variable, because the most common bug
// reuses the name: `g, ctx := errgroup.WithContext(ctx)` after the stream
// was opened with the caller's ctx.
type def struct {
	obj   types.Object     // the variable or field assigned
	lhs   ast.Expr         // the assigned expression (identifier or selector)
	rhs   ast.Expr         // the value, or nil for a zero value (var x T)
	index int              // which result of a multi-value rhs
	rhsAt int              // index of rhs among the statement's values
	stmt  inspector.Cursor // the AssignStmt or ValueSpec
	end   token.Pos        // uses at or after end see this def

	// What the analysis learns of d, memoised on d itself rather than in
	// maps keyed by it: a package's defs are many, and a field is read
	// where the def already is, without probing a large table.
	group  memo[*group]     // groupOf
	stream memo[*streamRef] // streamOfDef
	ctx    memo[*ctxNode]   // ctxOfDef
}

// A memo holds a value computed once. While it is being computed it reads
// as the zero value, so that a cycle (x = f(x) in a loop) ends.
type memo[T any] struct {
	state uint8 // 0: not asked, 1: being computed, 2: done
	val   T
}

// get returns the memoised value, computing it with mk the first time.
func (m *memo[T]) get(mk func() T) T {
	if m.state == 0 {
		m.state = 1
		m.val = mk()
		m.state = 2
	}
	return m.val
}

// set gives the value while it is being computed, for a cycle back to it
// to read instead of the zero value; what mk returns replaces it.
func (m *memo[T]) set(v T) { m.val = v }

// defining reports whether d introduces its variable (`:=` or var) rather
// than assigning an existing one.
func (d *def) defining(info *types.Info) bool {
	id, ok := d.lhs.(*ast.Ident)
	return ok && info.Defs[id] != nil
}

// rhsCursor returns the cursor of d's value, or an invalid cursor.
func (d *def) rhsCursor() inspector.Cursor {
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

// defsOf returns all the defs of obj, in source order: for a local
// variable, those of the declaration it is in; otherwise, of the package.
func (c *checker) defsOf(obj types.Object) []*def {
	if obj != nil && isLocal(obj) {
		return c.defsBefore(obj, obj.Pos()) // walks the declaration it is in
	}
	c.collectAll()
	return c.recorded(obj)
}

// defsBefore returns the defs of obj recorded so far, in source order,
// which include all those that end before pos.
func (c *checker) defsBefore(obj types.Object, pos token.Pos) []*def {
	c.collectThrough(pos)
	return c.recorded(obj)
}

// recorded returns the defs of obj recorded so far. Only variables and
// fields are recorded.
func (c *checker) recorded(obj types.Object) []*def {
	v, _ := obj.(*types.Var)
	return c.defs[v]
}

// reaching returns the last def of obj that ends before pos, or nil.
// Textual order stands in for control flow: good enough for the straight
// line code that opens a stream and starts a group.
func (c *checker) reaching(obj types.Object, pos token.Pos) *def {
	ds := c.defsBefore(obj, pos) // in source order: the walk visits files and nodes in order
	i := sort.Search(len(ds), func(i int) bool { return c.cmpPos(ds[i].end, pos) > 0 })
	if i == 0 {
		return nil
	}
	return ds[i-1]
}

// recordAssign records the defs of an assignment statement.
func (c *checker) recordAssign(cur inspector.Cursor, n *ast.AssignStmt) {
	if n.Tok != token.DEFINE && n.Tok != token.ASSIGN {
		return
	}
	for i, lhs := range n.Lhs {
		var rhs ast.Expr
		index := 0
		switch {
		case len(n.Rhs) == len(n.Lhs):
			rhs = n.Rhs[i]
		case len(n.Rhs) == 1:
			rhs, index = n.Rhs[0], i
		default:
			continue
		}
		c.recordDef(cur, lhs, rhs, index, i-index, n.End())
	}
}

// recordValueSpec records the defs of a var declaration.
func (c *checker) recordValueSpec(cur inspector.Cursor, n *ast.ValueSpec) {
	end := n.End()
	if p := cur.Parent(); p.Valid() {
		end = p.Node().End()
	}
	for i, name := range n.Names {
		var rhs ast.Expr
		index := 0
		switch {
		case len(n.Values) == 0:
		case len(n.Values) == len(n.Names):
			rhs = n.Values[i]
		case len(n.Values) == 1:
			rhs, index = n.Values[0], i
		default:
			continue
		}
		c.recordDef(cur, name, rhs, index, i-index, end)
	}
}

func (c *checker) recordDef(cur inspector.Cursor, lhs, rhs ast.Expr, index, rhsAt int, end token.Pos) {
	var obj types.Object
	switch l := ast.Unparen(lhs).(type) {
	case *ast.Ident:
		if l.Name == "_" {
			return
		}
		if a, ok := cur.Node().(*ast.AssignStmt); ok && a.Tok == token.ASSIGN {
			obj = c.info.Uses[l] // x = v: a use; ObjectOf would probe Defs first
		} else {
			obj = c.info.ObjectOf(l)
		}
	case *ast.SelectorExpr:
		if sel := c.info.Selections[l]; sel != nil && sel.Kind() == types.FieldVal {
			obj = sel.Obj()
		}
	}
	v, ok := obj.(*types.Var)
	if !ok || !c.tracked(v.Type()) {
		return
	}
	c.defs[v] = append(c.defs[v], &def{obj: obj, lhs: lhs, rhs: rhs, index: index, rhsAt: rhsAt, stmt: cur, end: end})
}

// tracked reports whether values of type t matter to the analysis.
func (c *checker) tracked(t types.Type) bool {
	if t == nil {
		return false
	}
	if v, ok := c.trackedTypes[t]; ok {
		return v
	}
	v := c.trackedType(t)
	c.trackedTypes[t] = v
	return v
}

func (c *checker) trackedType(t types.Type) bool {
	if isContext(t) || isGroupType(t) || c.streams.kind(t).ok() {
		return true
	}
	switch u := t.Underlying().(type) {
	case *types.Signature:
		return true // function values: tasks, helpers, cancel funcs
	case *types.Pointer:
		if s, ok := u.Elem().Underlying().(*types.Struct); ok {
			return c.holdsStream(s)
		}
	case *types.Struct:
		return c.holdsStream(u)
	}
	return false
}

// holdsStream reports whether a struct has a field of stream type, so
// that a task reading `c.stream` can be traced to the stream put there.
func (c *checker) holdsStream(s *types.Struct) bool {
	for f := range s.Fields() {
		if c.streams.kind(f.Type()).ok() {
			return true
		}
	}
	return false
}

// isNamed reports whether t (after aliases and one pointer) is the named
// type pkg.name.
func isNamed(t types.Type, pkg, name string) bool {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, ok := t.(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg && n.Obj().Name() == name
}

func isContext(t types.Type) bool {
	n, ok := types.Unalias(t).(*types.Named)
	return ok && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == contextPath && n.Obj().Name() == "Context"
}

func isGroupType(t types.Type) bool { return isNamed(t, errgroupPath, "Group") }

// funcIn returns the package-level function or method that call invokes
// statically when it belongs to package path, or nil.
func funcIn(info *types.Info, call *ast.CallExpr, path string) *types.Func {
	fn := calleeFunc(info, call.Fun)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != path {
		return nil
	}
	return fn
}

// calleeFunc is typeutil.Callee restricted to functions and methods, in
// one probe of Uses: for x.f, go/types records f in Uses with the object
// it also puts in the Selection, whether x is a package or a value, so
// Selections need not be asked.
func calleeFunc(info *types.Info, fun ast.Expr) *types.Func {
	var fn *types.Func
	switch f := ast.Unparen(fun).(type) {
	case *ast.Ident:
		fn, _ = info.Uses[f].(*types.Func)
	case *ast.SelectorExpr:
		fn, _ = info.Uses[f.Sel].(*types.Func)
	case *ast.IndexExpr:
		fn = calleeFunc(info, f.X)
	case *ast.IndexListExpr:
		fn = calleeFunc(info, f.X)
	}
	return fn
}

// typeOf is info.TypeOf, answered from Uses for a variable's name:
// Uses is the smaller map and keyed by pointer, and names are most of
// the expressions whose type the analysis asks.
func typeOf(info *types.Info, e ast.Expr) types.Type {
	if id, ok := e.(*ast.Ident); ok {
		if v, ok := info.Uses[id].(*types.Var); ok {
			return v.Type()
		}
	}
	return info.TypeOf(e)
}
