package analyzer

// When a cancel or a close runs: while the group's tasks work, or only
// after the blocked task or Wait has returned
// (docs/rules.md#cancellation-paths).

import (
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// runsWhileGroupWorks reports whether the cancel func (or close)
// referenced at cur, inside the group's function fn, can run while the
// group works: called inside a task, goroutine or callback, or handed on
// as a value. A call in fn's own body (including `defer cancel()`) runs
// only after Wait, and context.AfterFunc counts only on the group's
// context. When it runs from context.AfterFunc or a goroutine started in
// fn, the site says where. A cancel deferred in the blocked task itself
// (blocked) runs only once that task returns, which it cannot while it is
// blocked: no path (measured: Wait hangs).
func (c *checker) runsWhileGroupWorks(cur, fn inspector.Cursor, g *group, blocked ast.Node, s *streamRef) (bool, *cancelSite) {
	if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == cur.Node() {
		cur = cur.Parent() // x.cancel, stream.Close
	}
	call, called := cur.Parent().Node().(*ast.CallExpr)
	if !called || call.Fun != cur.Node() {
		if called && c.isAfterFunc(call) {
			if !c.onGroupContext(call, g, s) {
				return false, nil
			}
			return true, &cancelSite{arg: cur.Node().(ast.Expr), call: call}
		}
		if called {
			if decl, fr := c.declOf(call, nil); decl.Valid() {
				// g.Go(cancelling(cancel)): a task constructor's literal
				// that calls it as another task would; any other
				// same-package helper: pathsThroughHelpers looks inside.
				return c.taskCtorCalls(call, cur.Node(), decl, fr, g, blocked, s), nil
			}
		}
		if f := c.storedInField(cur); f != nil {
			return c.fieldCalledWhileGroupWorks(f, blocked), nil
		}
		return true, nil // handed on: time.AfterFunc, another package
	}
	callCur := cur.Parent()
	if _, deferred := callCur.Parent().Node().(*ast.DeferStmt); deferred && code.InnermostFunc(callCur).Node() == blocked {
		return false, nil
	}
	if at, ok := inBody(callCur, g.fn()); ok {
		return c.beforeWait(at, g), nil // cancel, then Wait; a deferred one runs after it
	}
	for p := range callCur.Enclosing((*ast.FuncLit)(nil)) {
		if p == fn {
			return false, nil
		}
		lit := p.Node().(*ast.FuncLit)
		site := &cancelSite{lit: lit}
		if st := callCur.Parent(); st.ParentEdgeKind() == edge.BlockStmt_List && st.Parent().Node() == lit.Body {
			site.stmt = st
		}
		switch parent := p.Parent().Node().(type) {
		case *ast.CallExpr:
			if c.isAfterFunc(parent) {
				if !c.onGroupContext(parent, g, s) {
					return false, nil
				}
				return true, site
			}
			if _, ok := p.Parent().Parent().Node().(*ast.GoStmt); ok && parent.Fun == lit {
				return true, site // a watcher goroutine
			}
			if lit == blocked {
				return false, nil // runs only when the blocked task is not blocked
			}
			if c.isGoCall(parent) && !c.runsOnEveryExit(p, callCur, s) {
				return false, nil // another task that can return without it
			}
		}
		return true, nil // a task or a callback
	}
	return false, nil
}

// beforeWait reports whether the call at call, in the body of the
// function that creates g, runs while g's tasks work: after the first
// task starts and before the group's Wait, or deferred after a deferred
// Wait, since defers run last first (docs/rules.md#cancellation-paths).
// A cancel deferred before the Wait, or made after it, runs once Wait has
// returned.
func (c *checker) beforeWait(call inspector.Cursor, g *group) bool {
	_, deferred := call.Parent().Node().(*ast.DeferStmt)
	if len(g.tasks) == 0 || !deferred && call.Node().Pos() < g.tasks[0].call.Pos() {
		return false // before the tasks start, it stops nothing they do
	}
	for _, w := range c.waitsOf(g) {
		_, waitDeferred := w.Parent().Node().(*ast.DeferStmt)
		switch {
		case waitDeferred && (!deferred || call.Node().Pos() > w.Node().Pos()):
			return true
		case !waitDeferred && !deferred && call.Node().Pos() < w.Node().Pos():
			return true
		}
	}
	return false
}

// isGoCall reports whether call starts a task of a group: g.Go(f),
// g.TryGo(f), wg.Go(f), p.Go(f).
func (c *checker) isGoCall(call *ast.CallExpr) bool {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return false
	}
	k := groupKindOf(c.info.TypeOf(sel.X))
	return k != notGroup && k.startsTask(sel.Sel.Name) && code.FuncIn(c.info, call, k.path()) != nil
}

// taskCtorCalls reports whether call, a same-package function given the
// cancel func (or close) at arg, makes a task of g (g.Go(call)) whose
// literal calls it on every exit and is not the blocked task.
func (c *checker) taskCtorCalls(call *ast.CallExpr, arg ast.Node, decl inspector.Cursor, fr *frame, g *group, blocked ast.Node, s *streamRef) bool {
	if fr == nil || !slices.ContainsFunc(g.tasks, func(t *task) bool { return code.Unparen(t.fn).Node() == call }) {
		return false
	}
	var param types.Object
	for obj, b := range fr.binds {
		if b.expr == arg {
			param = obj
		}
	}
	if param == nil {
		return false
	}
	for lit := range returnedLits(decl) {
		if lit.Node() == blocked {
			continue
		}
		for ref := range lit.Preorder((*ast.Ident)(nil)) {
			if c.info.Uses[ref.Node().(*ast.Ident)] == param && ref.ParentEdgeKind() == edge.CallExpr_Fun && c.runsOnEveryExit(lit, ref.Parent(), s) {
				return true
			}
		}
	}
	return false
}

// runsOnEveryExit reports whether the call at call, inside the task
// literal at task, runs whichever way the task ends: it is deferred in the
// task itself, or every return of the task before it half-closes the
// stream s first (an orderly end, after which the server ends the
// stream). A cancel that a task makes only on its success path leaves the
// stream blocked when that task fails (docs/rules.md#cancellation-paths).
func (c *checker) runsOnEveryExit(task, call inspector.Cursor, s *streamRef) bool {
	if _, ok := call.Parent().Node().(*ast.DeferStmt); ok && code.InnermostFunc(call) == task {
		return true
	}
	early := false
	task.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.ReturnStmt)(nil)}, func(cur inspector.Cursor) bool {
		switch cur.Node().(type) {
		case *ast.FuncLit:
			return cur == task // a nested literal's returns are its own
		case *ast.ReturnStmt:
			if cur.Node().Pos() < call.Node().Pos() && !c.halfClosedBefore(cur, s) {
				early = true
			}
		}
		return !early
	})
	return !early
}

// halfClosedBefore reports whether ret, or a statement before it in the
// block that holds it, half-closes the stream s (CloseRequest, CloseSend).
func (c *checker) halfClosedBefore(ret inspector.Cursor, s *streamRef) bool {
	if s == nil {
		return false
	}
	for p, ok := ret, true; ok; p, ok = p.PrevSibling() {
		for cur := range p.Preorder((*ast.CallExpr)(nil)) {
			sel, ok := ast.Unparen(cur.Node().(*ast.CallExpr).Fun).(*ast.SelectorExpr)
			if !ok || !isHalfClose(sel.Sel.Name) {
				continue
			}
			if k := c.streamKind(c.info.TypeOf(sel.X)); k.ok() {
				if r := c.resolveStream(sel.X, nil, sel.Pos(), k); r != nil && r.key == s.key {
					return true
				}
			}
		}
	}
	return false
}

// storedInField returns the field that the value at cur is stored in, by
// a composite literal (`&runner{cancel: cancel}`) or an assignment
// (`r.cancel = cancel`), or nil.
func (c *checker) storedInField(cur inspector.Cursor) *types.Var {
	switch parent := cur.Parent().Node().(type) {
	case *ast.KeyValueExpr:
		if parent.Value == cur.Node() {
			if k, ok := parent.Key.(*ast.Ident); ok {
				if v, ok := c.info.Uses[k].(*types.Var); ok && v.IsField() {
					return v
				}
			}
		}
	case *ast.AssignStmt:
		for i, rhs := range parent.Rhs {
			if rhs == cur.Node() && i < len(parent.Lhs) && len(parent.Lhs) == len(parent.Rhs) {
				if sel, ok := ast.Unparen(parent.Lhs[i]).(*ast.SelectorExpr); ok {
					if s := c.info.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
						v, _ := s.Obj().(*types.Var)
						return v
					}
				}
			}
		}
	}
	return nil
}

// fieldCalledWhileGroupWorks reports whether a cancel func stored in
// field f can be called while the group works: some call of the field
// (r.cancel()) other than one deferred in the blocked task itself, or
// none in the package, where another package may call it.
func (c *checker) fieldCalledWhileGroupWorks(f *types.Var, blocked ast.Node) bool {
	calls := c.fieldCallsOf(f)
	if len(calls) == 0 {
		return true
	}
	for _, call := range calls {
		_, deferred := call.Parent().Node().(*ast.DeferStmt)
		if !deferred || code.InnermostFunc(call).Node() != blocked {
			return true
		}
	}
	return false
}

func (c *checker) isAfterFunc(call *ast.CallExpr) bool {
	fn := code.FuncIn(c.info, call, contextPath)
	return fn != nil && fn.Name() == "AfterFunc" && len(call.Args) == 2
}

// onGroupContext reports whether context.AfterFunc(ctx, f) waits on a
// context that is done while the group works: the group's context (or
// one derived from it) when a task's failure cancels it, or a context
// whose cancel func runs while the tasks work, as when the function
// cancels before it waits, or hands the cancel func to a task (a field
// its method calls, a task constructor) (docs/rules.md#cancellation-paths).
func (c *checker) onGroupContext(call *ast.CallExpr, g *group, s *streamRef) bool {
	ctx := c.ctxAt(call.Args[0], call.Pos())
	if g.failureCancels() && underGroup(ctx, g) {
		return true
	}
	fn := g.outerFn()
	for _, n := range cancelFuncs(ctx) {
		for cur := range fn.Preorder((*ast.Ident)(nil)) {
			if c.info.Uses[cur.Node().(*ast.Ident)] != n.cancel {
				continue
			}
			if call, ok := cur.Parent().Node().(*ast.CallExpr); ok && cur.ParentEdgeKind() == edge.CallExpr_Args && c.isAfterFunc(call) {
				continue // a cancel registered on a context: that could lead back here
			}
			if ok, _ := c.runsWhileGroupWorks(cur, fn, g, nil, s); ok {
				return true
			}
		}
	}
	return false
}

// calledVar returns the variable or field that a call of fun calls, traced
// through the helper's parameter bindings and struct fields to the value
// stored there, or nil when fun names no variable.
func (c *checker) calledVar(fun ast.Expr, fr *frame) types.Object {
	for range maxHops {
		switch x := ast.Unparen(fun).(type) {
		case *ast.Ident:
			v, ok := c.info.Uses[x].(*types.Var)
			if !ok {
				return nil
			}
			if b, ok := fr.lookup(v); ok {
				fun, fr = b.expr, b.fr
				continue
			}
			return v
		case *ast.SelectorExpr:
			sel := c.info.Selections[x]
			if sel == nil || sel.Kind() != types.FieldVal {
				return nil
			}
			if b := c.fieldValue(x.X, sel.Obj(), fr, x.Pos()); b != nil {
				fun, fr = b.expr, b.fr
				continue
			}
			return sel.Obj()
		default:
			return nil
		}
	}
	return nil
}

// closeCalls reports whether the function at fn closes, or half-closes,
// the stream s.
func (c *checker) closeCalls(fn inspector.Cursor, s *streamRef) (close, half bool) {
	for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
		cl, h := c.closeCall(cur.Node().(*ast.CallExpr), s)
		close, half = close || cl, half || h
	}
	return close, half
}

// closeCall reports whether call closes, or half-closes, the stream s.
func (c *checker) closeCall(call *ast.CallExpr, s *streamRef) (close, half bool) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != closer(s.kind) && !isHalfClose(sel.Sel.Name) {
		return false, false
	}
	k := c.streamKind(c.info.TypeOf(sel.X))
	if !k.ok() {
		return false, false
	}
	if r := c.resolveStream(sel.X, nil, call.Pos(), k); r == nil || r.key != s.key {
		return false, false
	}
	return sel.Sel.Name == closer(s.kind), isHalfClose(sel.Sel.Name)
}

// funcBody returns the body of the function at fn.
func funcBody(fn inspector.Cursor) *ast.BlockStmt {
	switch n := fn.Node().(type) {
	case *ast.FuncDecl:
		return n.Body
	case *ast.FuncLit:
		return n.Body
	}
	return nil
}

// terminates reports whether control cannot fall off the end of b: it
// ends with a return or a loop without a condition.
func terminates(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	switch last := b.List[len(b.List)-1].(type) {
	case *ast.ReturnStmt:
		return true
	case *ast.ForStmt:
		return last.Cond == nil
	}
	return false
}
