package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
)

// A group is an errgroup.Group whose creation is visible (SPEC section 2).
type group struct {
	def       *def          // the creation of the group variable
	call      *ast.CallExpr // errgroup.WithContext(parent) or a constructor; nil for a zero value
	parentArg ast.Expr      // the parent context argument of call
	gctx      *def          // the group context's def; nil when discarded or zero
	parent    *ctxNode      // the parent context; nil for a zero value
	tasks     []*goCall     // its Go and TryGo calls, in source order
}

// zero reports whether g is a zero-value group, which has no context.
func (g *group) zero() bool { return g.call == nil }

// name is the group variable's name.
func (g *group) name() string { return g.def.obj.Name() }

// ctxName is how the code names the group's context.
func (g *group) ctxName() string {
	if g.gctx == nil {
		return "the group's context"
	}
	return g.gctx.obj.Name()
}

// hasSeveralTasks reports whether another task than the one that blocks
// can fail: two or more Go calls, or one inside a loop (SPEC section 2).
func (g *group) hasSeveralTasks() bool {
	return len(g.tasks) > 1 || (len(g.tasks) == 1 && g.tasks[0].inLoop)
}

// groupsWithTasks attaches every indexed Go call to the group its
// variable holds there, and returns those groups in the order of their
// first Go call. A Go call on a helper's group parameter adds a task to
// the group of each caller that passes one (SPEC section 2:
// `attachReader(ctx, g, stream)`).
func (c *checker) groupsWithTasks() []*group {
	var out []*group
	add := func(g *group, gc *goCall) {
		if len(g.tasks) == 0 {
			out = append(out, g)
		}
		g.tasks = append(g.tasks, gc)
	}
	for _, gc := range c.goCalls {
		if d := c.reaching(gc.group, gc.call.Pos()); d != nil {
			if g := c.groupOf(d); g != nil {
				gc.inLoop = inLoopBelow(gc.cur, d.stmt)
				add(g, gc)
			}
			continue
		}
		for _, task := range c.tasksFromCallers(gc) {
			add(task.g, task.gc)
		}
	}
	return out
}

// A callerTask is a Go call in a helper, seen from one caller's group.
type callerTask struct {
	g  *group
	gc *goCall
}

// tasksFromCallers returns, for a Go call on a group parameter of a
// same-package function, the task it adds to each caller's group, with
// the helper's parameters bound to that caller's arguments.
func (c *checker) tasksFromCallers(gc *goCall) []callerTask {
	param, ok := gc.group.(*types.Var)
	if !ok {
		return nil
	}
	fn, i := c.paramOf(param, gc.cur)
	if fn == nil {
		return nil
	}
	var out []callerTask
	for _, site := range c.calls[fn] {
		call := site.Node().(*ast.CallExpr)
		if i >= len(call.Args) {
			continue
		}
		arg := ast.Unparen(call.Args[i])
		if u, ok := arg.(*ast.UnaryExpr); ok && u.Op == token.AND {
			arg = ast.Unparen(u.X) // attach(&g) for a zero-value group
		}
		id, ok := arg.(*ast.Ident)
		if !ok {
			continue
		}
		d := c.reaching(c.info.Uses[id], call.Pos())
		if d == nil {
			continue
		}
		g := c.groupOf(d)
		_, fr := c.declOf(call, nil)
		if g == nil || fr == nil {
			continue
		}
		task := &goCall{call: gc.call, cur: gc.cur, group: gc.group, frame: fr,
			inLoop: inLoopBelow(site, d.stmt) || inLoopBelow(gc.cur, c.decls[fn])}
		out = append(out, callerTask{g, task})
	}
	return out
}

// paramOf returns the function declaration around cur that has v as its
// i-th parameter, or nil.
func (c *checker) paramOf(v *types.Var, cur inspector.Cursor) (*types.Func, int) {
	for p := range cur.Enclosing((*ast.FuncDecl)(nil)) {
		fn, ok := c.info.Defs[p.Node().(*ast.FuncDecl).Name].(*types.Func)
		if !ok {
			return nil, 0
		}
		params := fn.Signature().Params()
		for i := range params.Len() {
			if params.At(i) == v {
				return fn, i
			}
		}
	}
	return nil, 0
}

// groupOf returns the group created by d, or nil if d is not a creation.
// There is one group per creation, wherever it is reached from.
func (c *checker) groupOf(d *def) *group {
	if g, ok := c.groups[d]; ok {
		return g
	}
	c.groups[d] = nil
	g := c.newGroup(d)
	if g != nil {
		c.groups[d] = g
	}
	return g
}

func (c *checker) newGroup(d *def) *group {
	if !isGroupType(d.obj.Type()) {
		return nil
	}
	switch rhs := ast.Unparen(d.rhs).(type) {
	case nil:
		if _, ok := d.stmt.Node().(*ast.ValueSpec); ok && !isPointer(d.obj.Type()) {
			return &group{def: d} // var g errgroup.Group
		}
	case *ast.CompositeLit:
		return &group{def: d} // errgroup.Group{}
	case *ast.UnaryExpr:
		if _, ok := ast.Unparen(rhs.X).(*ast.CompositeLit); ok {
			return &group{def: d} // &errgroup.Group{}
		}
	case *ast.CallExpr:
		if isNew(c.info, rhs) {
			return &group{def: d} // new(errgroup.Group)
		}
		if parent := c.groupParentArg(rhs); d.index == 0 && parent != nil {
			g := &group{def: d, call: rhs, parentArg: parent}
			c.groups[d] = g // the group context, reached from the parent, points back to g
			g.parent = c.ctxAt(parent, rhs.Pos())
			if lhs := assigned(d.stmt); len(lhs) == 2 {
				g.gctx = c.defAt(lhs[1], d.stmt)
			}
			return g
		}
	}
	return nil
}

// groupAt returns the group created by the statement at stmt.
func (c *checker) groupAt(stmt inspector.Cursor) *group {
	lhs := assigned(stmt)
	if len(lhs) == 0 {
		return nil
	}
	if d := c.defAt(lhs[0], stmt); d != nil {
		return c.groupOf(d)
	}
	return nil
}

// assigned returns what the assignment or var spec at stmt assigns to:
// `g, gctx := ...`, `var g, gctx = ...` (SPEC section 2: any declaration
// form).
func assigned(stmt inspector.Cursor) []ast.Expr {
	switch st := stmt.Node().(type) {
	case *ast.AssignStmt:
		return st.Lhs
	case *ast.ValueSpec:
		lhs := make([]ast.Expr, len(st.Names))
		for i, n := range st.Names {
			lhs[i] = n
		}
		return lhs
	}
	return nil
}

// groupParentArg returns the parent context argument of a call that
// creates a group and its context: errgroup.WithContext(parent), or a
// same-package constructor that returns errgroup.WithContext of one of
// its parameters (`g, gctx := newGroup(ctx, 4)`, SPEC section 2). nil
// for any other call.
func (c *checker) groupParentArg(call *ast.CallExpr) ast.Expr {
	if fn := funcIn(c.info, call, errgroupPath); fn != nil {
		if fn.Name() == "WithContext" && len(call.Args) == 1 {
			return call.Args[0]
		}
		return nil
	}
	fn := staticFunc(c.info, call)
	decl := c.funcDecl(fn)
	if !decl.Valid() || fn.Signature().Recv() != nil || !returnsGroupAndContext(fn.Signature()) {
		return nil
	}
	params := fn.Signature().Params()
	for cur := range decl.Preorder((*ast.CallExpr)(nil)) {
		inner := cur.Node().(*ast.CallExpr)
		if f := funcIn(c.info, inner, errgroupPath); f == nil || f.Name() != "WithContext" || len(inner.Args) != 1 {
			continue
		}
		id, ok := ast.Unparen(inner.Args[0]).(*ast.Ident)
		if !ok {
			continue
		}
		for i := range params.Len() {
			if params.At(i) == c.info.Uses[id] && i < len(call.Args) && !fn.Signature().Variadic() {
				return call.Args[i]
			}
		}
	}
	return nil
}

// returnsGroupAndContext reports whether sig returns (*errgroup.Group,
// context.Context), as errgroup.WithContext does.
func returnsGroupAndContext(sig *types.Signature) bool {
	res := sig.Results()
	return res.Len() == 2 && isPointer(res.At(0).Type()) && isGroupType(res.At(0).Type()) && isContext(res.At(1).Type())
}

// defAt returns the def that statement stmt records for lhs.
func (c *checker) defAt(lhs ast.Expr, stmt inspector.Cursor) *def {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	v, _ := c.info.ObjectOf(id).(*types.Var)
	for _, d := range c.defs[v] {
		if d.stmt == stmt && d.lhs == lhs {
			return d
		}
	}
	return nil
}

// inLoopBelow reports whether a loop encloses cur without enclosing the
// group's creation: a Go call in a loop starts many tasks.
func inLoopBelow(cur, creation inspector.Cursor) bool {
	for p := cur; p.Node() != nil; p = p.Parent() {
		switch p.Node().(type) {
		case *ast.FuncDecl:
			return false
		case *ast.ForStmt, *ast.RangeStmt:
			if !p.Contains(creation) {
				return true
			}
		}
	}
	return false
}

func isNew(info *types.Info, call *ast.CallExpr) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == "new"
}

func isPointer(t types.Type) bool {
	_, ok := types.Unalias(t).(*types.Pointer)
	return ok
}
