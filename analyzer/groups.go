package analyzer

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// A group is the set of tasks that one join waits for, whose creation is
// visible (docs/rules.md#groups): an errgroup.Group, a sync.WaitGroup, a
// conc.WaitGroup or a conc pool.
type group struct {
	kind      groupKind
	assign    *assign       // the creation of the group variable
	call      *ast.CallExpr // errgroup.WithContext(parent), a constructor, or the pool's construction; nil for a zero value
	parentArg ast.Expr      // the parent context argument of call, if any
	ctx       *assign       // the assignment of an errgroup's context; nil when discarded or zero
	parent    *ctxNode      // the parent context; nil without one
	// ctxValue is the group's context: an errgroup's second result, or
	// the context a conc ContextPool gives its tasks; nil without one.
	ctxValue *ctxNode
	// cancelsOnFailure: the group cancels its context when a task fails
	// (errgroup.WithContext, a ContextPool made WithCancelOnError).
	cancelsOnFailure bool
	tasks            []*task // its Go and TryGo calls, in source order
	stops            *bool   // stopsBeforeWait's answer, once asked
}

// zero reports whether g is a zero-value errgroup, which has no context.
func (g *group) zero() bool { return g.kind == errGroup && g.call == nil }

// failureCancels reports whether a task's failure cancels the group's
// context: only then is a stream opened under it, or a func waiting on it,
// a cancellation path (docs/rules.md#cancellation-paths).
func (g *group) failureCancels() bool { return g.cancelsOnFailure && g.ctxValue != nil }

// errgroupLike reports whether g follows the errgroup rules: an errgroup,
// or a ContextPool made WithCancelOnError, which is one under another
// name (docs/rules.md#groups).
func (g *group) errgroupLike() bool {
	return g.kind == errGroup || g.kind == concContextPool && g.cancelsOnFailure
}

// fn returns the function whose body runs g's tasks and waits for them:
// the one that creates g, or, for a group in a package variable, the one
// of its first task (docs/rules.md#groups).
func (g *group) fn() inspector.Cursor {
	if fn := code.InnermostFunc(g.assign.stmt); fn.Valid() {
		return fn
	}
	if len(g.tasks) > 0 {
		return code.InnermostFunc(g.tasks[0].cur)
	}
	return inspector.Cursor{}
}

// outerFn is fn's outermost enclosing function, where the paths to g's
// tasks are looked for.
func (g *group) outerFn() inspector.Cursor {
	if fn := code.OutermostFunc(g.assign.stmt); fn.Valid() {
		return fn
	}
	if len(g.tasks) > 0 {
		return code.OutermostFunc(g.tasks[0].cur)
	}
	return inspector.Cursor{}
}

// name is the group variable's name.
func (g *group) name() string { return g.assign.obj.Name() }

// ctxName is how messages name the group's context: as the code does,
// or in words when the code has no name for it.
func (g *group) ctxName() string {
	switch {
	case g.ctx == nil && g.kind == concContextPool:
		return "the pool's context"
	case g.ctx == nil:
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
	k := groupKindOf(d.obj.Type())
	if k == notGroup {
		return nil
	}
	zero := &group{kind: k, assign: d}
	switch rhs := ast.Unparen(d.rhs).(type) {
	case nil:
		if _, ok := d.stmt.Node().(*ast.ValueSpec); ok && !code.IsPointer(d.obj.Type()) {
			return zero // var g errgroup.Group
		}
	case *ast.CompositeLit:
		return zero // errgroup.Group{}
	case *ast.UnaryExpr:
		if _, ok := ast.Unparen(rhs.X).(*ast.CompositeLit); ok {
			return zero // &errgroup.Group{}
		}
	case *ast.CallExpr:
		if code.IsBuiltin(c.info, rhs, "new") {
			return zero // new(errgroup.Group)
		}
		if d.index != 0 {
			return nil
		}
		switch k {
		case errGroup:
			if parent := c.groupParentArg(rhs); parent != nil {
				g := &group{kind: k, assign: d, call: rhs, parentArg: parent, cancelsOnFailure: true}
				g.parent = c.ctxAt(parent, rhs.Pos())
				if lhs := code.Assigned(d.stmt); len(lhs) == 2 {
					if g.ctx = c.assignAt(lhs[1], d.stmt); g.ctx != nil {
						g.ctxValue = c.ctxOfAssign(g.ctx)
					}
				}
				return g
			}
		case concWaitGroup:
			if fn := code.FuncIn(c.info, rhs, concPath); fn != nil && fn.Name() == "NewWaitGroup" {
				zero.call = rhs
				return zero
			}
		case concPool, concContextPool:
			return c.newPool(d, rhs)
		}
	}
	return nil
}

// newPool returns the conc pool that the chain of calls call builds
// (pool.New().WithContext(ctx).WithCancelOnError()), or nil. A
// WithCancelOnError on the pool variable later in the function counts as
// well.
func (c *checker) newPool(d *assign, call *ast.CallExpr) *group {
	g := &group{kind: groupKindOf(d.obj.Type()), assign: d, call: call}
	for cur := call; ; {
		fn := code.FuncIn(c.info, cur, concPoolPath)
		if fn == nil {
			return nil
		}
		switch fn.Name() {
		case "New":
			if fn.Signature().Recv() != nil {
				return nil
			}
			if g.parentArg != nil {
				g.parent = c.ctxAt(g.parentArg, call.Pos())
				g.ctxValue = &ctxNode{parent: g.parent, step: stepGroup}
			}
			if !g.cancelsOnFailure {
				g.cancelsOnFailure = c.madeCancelOnError(d)
			}
			return g
		case "WithContext":
			if len(cur.Args) != 1 {
				return nil
			}
			g.parentArg = cur.Args[0]
		case "WithCancelOnError":
			g.cancelsOnFailure = true
		case "WithErrors", "WithFirstError", "WithMaxGoroutines":
		default:
			return nil
		}
		sel, ok := ast.Unparen(cur.Fun).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		if cur, ok = ast.Unparen(sel.X).(*ast.CallExpr); !ok {
			return nil
		}
	}
}

// madeCancelOnError reports whether the function that creates the pool
// variable of d calls WithCancelOnError on it.
func (c *checker) madeCancelOnError(d *assign) bool {
	fn := code.InnermostFunc(d.stmt)
	if !fn.Valid() {
		return false
	}
	for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "WithCancelOnError" {
			if id := code.IdentOf(sel.X); id != nil && c.info.Uses[id] == d.obj {
				return true
			}
		}
	}
	return false
}

// assignAt returns the assignment that statement stmt records for lhs.
func (c *checker) assignAt(lhs ast.Expr, stmt inspector.Cursor) *assign {
	id, ok := ast.Unparen(lhs).(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	v, _ := c.info.ObjectOf(id).(*types.Var)
	for _, d := range c.assignsOf(v) {
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

// inBody returns the call through which the call at cur runs in the body
// of fn: cur itself when fn is its function, or the deferred call of a
// literal that holds it (defer func() { wg.Wait() }()), which runs where
// a deferred call runs.
func inBody(cur, fn inspector.Cursor) (inspector.Cursor, bool) {
	inner := code.InnermostFunc(cur)
	if inner == fn {
		return cur, true
	}
	if _, ok := inner.Node().(*ast.FuncLit); ok && inner.ParentEdgeKind() == edge.CallExpr_Fun {
		call := inner.Parent()
		if _, ok := call.Parent().Node().(*ast.DeferStmt); ok && code.InnermostFunc(call) == fn {
			return call, true
		}
	}
	return inspector.Cursor{}, false
}

// waitsOf returns the calls of g's join (Wait) in the body of the
// function that creates g, not in a goroutine or task.
func (c *checker) waitsOf(g *group) []inspector.Cursor {
	fn := g.fn()
	if !fn.Valid() {
		return nil
	}
	var out []inspector.Cursor
	for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || !g.kind.waitsFor(sel.Sel.Name) || code.FuncIn(c.info, call, g.kind.path()) == nil {
			continue
		}
		at, ok := inBody(cur, fn)
		if !ok {
			continue // waited on by a goroutine, not by the function
		}
		if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && c.reaching(c.info.Uses[id], call.Pos()) == g.assign {
			out = append(out, at)
		}
	}
	return out
}
