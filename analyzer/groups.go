package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// A group is an errgroup.Group whose creation is visible
// (docs/rules.md#groups).
type group struct {
	assign    *assign       // the creation of the group variable
	call      *ast.CallExpr // errgroup.WithContext(parent) or a constructor; nil for a zero value
	parentArg ast.Expr      // the parent context argument of call
	ctx       *assign       // the assignment of the group's context; nil when discarded or zero
	parent    *ctxNode      // the parent context; nil for a zero value
	tasks     []*task       // its Go and TryGo calls, in source order
}

// zero reports whether g is a zero-value group, which has no context.
func (g *group) zero() bool { return g.call == nil }

// name is the group variable's name.
func (g *group) name() string { return g.assign.obj.Name() }

// ctxName is how messages name the group's context: as the code does,
// or in words when the code has no name for it.
func (g *group) ctxName() string {
	if g.ctx == nil {
		return "the group's context"
	}
	return g.ctx.obj.Name()
}

// hasSeveralTasks reports whether another task than the one that blocks
// can fail: two or more Go calls, or one inside a loop
// (docs/rules.md#tasks).
func (g *group) hasSeveralTasks() bool {
	return len(g.tasks) > 1 || (len(g.tasks) == 1 && g.tasks[0].inLoop)
}

// A task is a function a group runs: one Go or TryGo call, as seen from
// the group's function (docs/rules.md#tasks).
type task struct {
	*goCall
	inLoop bool   // a loop encloses the call inside the group's function
	frame  *frame // for a Go call in a helper given the group: its parameters
}

// groupsWithTasks attaches every indexed Go call to the group its
// variable holds there, and returns those groups in the order of their
// first Go call. A Go call on a helper's group parameter adds a task to
// the group of each caller that passes one (`attachReader(ctx, g,
// stream)`, docs/rules.md#groups).
func (c *checker) groupsWithTasks() []*group {
	var out []*group
	add := func(g *group, t *task) {
		if len(g.tasks) == 0 {
			out = append(out, g)
		}
		g.tasks = append(g.tasks, t)
	}
	for _, gc := range c.goCalls {
		if d := c.reaching(gc.group, gc.call.Pos()); d != nil {
			if g := c.groupOf(d); g != nil {
				add(g, &task{goCall: gc, inLoop: inLoopBelow(gc.cur, d.stmt)})
			}
			continue
		}
		for g, t := range c.tasksFromCallers(gc) {
			add(g, t)
		}
	}
	return out
}

// tasksFromCallers yields, for a Go call on a group parameter of a
// same-package function, the task it adds to each caller's group, with
// the helper's parameters bound to that caller's arguments.
func (c *checker) tasksFromCallers(gc *goCall) iter.Seq2[*group, *task] {
	return func(yield func(*group, *task) bool) {
		param, ok := gc.group.(*types.Var)
		if !ok {
			return
		}
		fn, i := c.paramOf(param, gc.cur)
		if fn == nil {
			return
		}
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
			t := &task{goCall: gc, frame: fr, inLoop: inLoopBelow(site, d.stmt) || inLoopBelow(gc.cur, c.decls[fn])}
			if !yield(g, t) {
				return
			}
		}
	}
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
func (c *checker) groupOf(d *assign) *group {
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

func (c *checker) newGroup(d *assign) *group {
	if !isGroupType(d.obj.Type()) {
		return nil
	}
	switch rhs := ast.Unparen(d.rhs).(type) {
	case nil:
		if _, ok := d.stmt.Node().(*ast.ValueSpec); ok && !code.IsPointer(d.obj.Type()) {
			return &group{assign: d} // var g errgroup.Group
		}
	case *ast.CompositeLit:
		return &group{assign: d} // errgroup.Group{}
	case *ast.UnaryExpr:
		if _, ok := ast.Unparen(rhs.X).(*ast.CompositeLit); ok {
			return &group{assign: d} // &errgroup.Group{}
		}
	case *ast.CallExpr:
		if code.IsBuiltin(c.info, rhs, "new") {
			return &group{assign: d} // new(errgroup.Group)
		}
		if parent := c.groupParentArg(rhs); d.index == 0 && parent != nil {
			g := &group{assign: d, call: rhs, parentArg: parent}
			g.parent = c.ctxAt(parent, rhs.Pos())
			if lhs := code.Assigned(d.stmt); len(lhs) == 2 {
				g.ctx = c.assignAt(lhs[1], d.stmt)
			}
			return g
		}
	}
	return nil
}

// assignAt returns the assignment that statement stmt records for lhs.
func (c *checker) assignAt(lhs ast.Expr, stmt inspector.Cursor) *assign {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	v, _ := c.info.ObjectOf(id).(*types.Var)
	for _, d := range c.assigns[v] {
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
