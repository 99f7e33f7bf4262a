package analyzer

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
)

// A group is an errgroup.Group whose creation is visible (SPEC section 2).
type group struct {
	def    *def          // the creation of the group variable
	call   *ast.CallExpr // errgroup.WithContext(parent), nil for a zero value
	gctx   *def          // the group context's def; nil when discarded or zero
	parent *ctxNode      // the parent context; nil for a zero value
	tasks  []*goCall     // its Go and TryGo calls, in source order
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
// first Go call.
func (c *checker) groupsWithTasks() []*group {
	var out []*group
	for _, gc := range c.goCalls {
		d := c.reaching(gc.group, gc.call.Pos())
		if d == nil {
			continue // a parameter: the creation is not visible
		}
		g := c.groupOf(d)
		if g == nil {
			continue
		}
		if len(g.tasks) == 0 {
			out = append(out, g)
		}
		gc.inLoop = inLoopBelow(gc.cur, d.stmt)
		g.tasks = append(g.tasks, gc)
	}
	return out
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
		if d.index == 0 && c.isWithContext(rhs) && len(rhs.Args) == 1 {
			g := &group{def: d, call: rhs}
			c.groups[d] = g // the group context, reached from the parent, points back to g
			g.parent = c.ctxAt(rhs.Args[0], rhs.Pos())
			if st, ok := d.stmt.Node().(*ast.AssignStmt); ok && len(st.Lhs) == 2 {
				g.gctx = c.defAt(st.Lhs[1], d.stmt)
			}
			return g
		}
	}
	return nil
}

// groupAt returns the group created by the statement at stmt.
func (c *checker) groupAt(stmt inspector.Cursor) *group {
	st, ok := stmt.Node().(*ast.AssignStmt)
	if !ok || len(st.Lhs) == 0 {
		return nil
	}
	if d := c.defAt(st.Lhs[0], stmt); d != nil {
		return c.groupOf(d)
	}
	return nil
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
