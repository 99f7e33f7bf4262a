package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"slices"

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
	for _, gc := range slices.Concat(c.goCalls, c.doneGoroutines()) {
		if d := c.reaching(gc.group, gc.call.Pos()); d != nil {
			if g := c.groupOf(d); g != nil {
				add(g, &task{goCall: gc, inLoop: inLoopBelow(gc.cur, d.stmt)})
				c.givePoolContext(g, gc)
			}
			continue
		}
		for g, t := range c.tasksFromCallers(gc) {
			add(g, t)
		}
	}
	return out
}

// givePoolContext makes the context parameter of a ContextPool task
// literal (`p.Go(func(ctx context.Context) error { ... })`) the pool's
// context, which the pool passes it.
func (c *checker) givePoolContext(g *group, gc *goCall) {
	lit, ok := code.Unparen(gc.fn).Node().(*ast.FuncLit)
	if g.kind != concContextPool || g.ctxValue == nil || !ok || len(lit.Type.Params.List) == 0 {
		return
	}
	if names := lit.Type.Params.List[0].Names; len(names) > 0 {
		if obj := c.info.Defs[names[0]]; obj != nil {
			c.ctxs[ctxKey{obj: obj}] = g.ctxValue
		}
	}
}

// doneGoroutines returns the go statements whose function calls wg.Done()
// on a sync.WaitGroup variable wg: the tasks of that group
// (`wg.Add(1); go func() { defer wg.Done(); ... }()`). The function is a
// literal, or a same-package function given the group (`go worker(&wg,
// stream)`), whose Done call then runs on its parameter, bound to the
// caller's group.
func (c *checker) doneGoroutines() []*goCall {
	var out []*goCall
	for _, cur := range c.goStmts {
		call := cur.Node().(*ast.GoStmt).Call
		fn := cur.ChildAt(edge.GoStmt_Call, -1).ChildAt(edge.CallExpr_Fun, -1)
		body, bound := code.Unparen(fn), map[types.Object]ast.Expr(nil)
		if _, lit := body.Node().(*ast.FuncLit); !lit {
			decl := c.funcDecl(code.StaticFunc(c.info, call))
			if !decl.Valid() {
				continue
			}
			body, bound = decl, c.argsOf(decl, call)
		}
		if wg := c.doneOn(body, bound); wg != nil {
			out = append(out, &goCall{call: call, cur: cur.ChildAt(edge.GoStmt_Call, -1), fn: fn, group: wg, spawned: true})
		}
	}
	return out
}

// doneOn returns the sync.WaitGroup variable whose Done the function at fn
// calls (not in a nested literal), seen through bound, the caller's
// arguments for the function's parameters; nil if none.
func (c *checker) doneOn(fn inspector.Cursor, bound map[types.Object]ast.Expr) types.Object {
	var wg types.Object
	fn.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.CallExpr)(nil)}, func(cur inspector.Cursor) bool {
		if _, ok := cur.Node().(*ast.FuncLit); ok {
			return cur == fn
		}
		call := cur.Node().(*ast.CallExpr)
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Done" || code.FuncIn(c.info, call, syncPath) == nil {
			return wg == nil
		}
		id := code.IdentOf(sel.X)
		if id == nil {
			return wg == nil
		}
		obj := c.info.Uses[id]
		if arg, ok := bound[obj]; ok {
			if u, ok := ast.Unparen(arg).(*ast.UnaryExpr); ok && u.Op == token.AND {
				arg = u.X // worker(&wg)
			}
			if id := code.IdentOf(arg); id != nil {
				obj = c.info.Uses[id]
			}
		}
		if obj != nil && groupKindOf(obj.Type()) == waitGroup {
			wg = obj
		}
		return wg == nil
	})
	return wg
}

// argsOf maps the parameters of the function declaration at decl to the
// arguments of call.
func (c *checker) argsOf(decl inspector.Cursor, call *ast.CallExpr) map[types.Object]ast.Expr {
	out := make(map[types.Object]ast.Expr)
	i := 0
	for _, f := range decl.Node().(*ast.FuncDecl).Type.Params.List {
		for _, name := range f.Names {
			if i < len(call.Args) {
				if obj := c.info.Defs[name]; obj != nil {
					out[obj] = call.Args[i]
				}
			}
			i++
		}
		if len(f.Names) == 0 {
			i++
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
