package analyzer

// Which calls are a group's tasks: its Go and TryGo calls, the go
// statements a sync.WaitGroup's Done ends, and the Go calls a helper
// makes on a group its caller passes (docs/rules.md#groups).

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
		for _, site := range c.callsOf(fn) {
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
			t := &task{goCall: gc, frame: fr, inLoop: inLoopBelow(site, d.stmt) || inLoopBelow(gc.cur, c.funcDecl(fn))}
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
