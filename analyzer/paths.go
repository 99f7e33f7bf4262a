package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// paths says how the group's failure reaches a stream: the cancellation
// paths of docs/rules.md#cancellation-paths, found in the function that
// creates the group and the same-package functions it hands things to.
type paths struct {
	cancelled  bool // the stream's context is cancelled while the group works
	closed     bool // the stream's closer runs while the group works
	underGroup bool // the stream was opened under the group's context
	// lateForOpen: the stream's opening blocks, and the only cancel is
	// wired in the opening task after it, so it cannot free the opening
	// (docs/rules.md#cancellation-paths).
	lateForOpen bool
	// site is where a cancel that does not close runs: the func of a
	// context.AfterFunc or a watcher goroutine, to which a fix adds the
	// close; nil when there is none.
	site *cancelSite
}

// A cancelSite is a cancel func's reference inside the func that runs once
// the group's context is done.
type cancelSite struct {
	arg  ast.Expr         // the cancel func passed to context.AfterFunc itself, or nil
	call *ast.CallExpr    // that context.AfterFunc call
	stmt inspector.Cursor // else the statement that calls it in the func literal
	lit  *ast.FuncLit     // that literal
}

// frees reports whether the paths free a pending call on s. A cancel
// frees grpc-go streams and connect-go server and client streams; a
// connect-go bidi stream needs the cancel and the close
// (docs/rules.md#connect-go-bidi-streams-need-the-close);
// a connect-go v2 Close alone frees any other v2 stream, and, when the
// stream's context is not visible, any cancel func counts (the programmer
// has taken charge).
func (r paths) frees(s *streamRef) bool {
	closeFrees := r.closed && s.kind.lib == connectV2
	if s.ctxKnown() && s.bidi {
		return r.cancelled && r.closed
	}
	return r.cancelled || closeFrees
}

// pathsTo finds how the failure of g reaches the stream of u.
func (c *checker) pathsTo(u *use, g *group) paths {
	s := u.stream
	var r paths
	if s.ctxKnown() && g.failureCancels() && underGroup(s.ctx, g) {
		r.cancelled, r.underGroup = true, true
	}
	fn := code.OutermostFunc(g.assign.stmt)
	if !fn.Valid() {
		return r
	}
	lateAfter := token.NoPos // a cancel wired in the task after a blocking opening there is too late
	if blockingOpen(s) && code.Within(u.taskFunc, s.open.Pos()) {
		lateAfter = s.open.End()
	}
	cancelRef := func(ref inspector.Cursor) {
		if ok, site := c.runsWhileGroupWorks(ref, fn, g, u.taskFunc, u.stream); ok {
			if lateAfter.IsValid() && ref.Node().Pos() >= lateAfter && code.Within(u.taskFunc, ref.Node().Pos()) {
				r.lateForOpen = true
				return
			}
			r.cancelled = true
			if r.site == nil {
				r.site = site
			}
		}
	}
	// The cancel funcs that count: those of the stream's context when it is
	// visible, else any that does not cancel a context derived below it.
	var cancels []types.Object
	if s.ctxKnown() {
		for _, n := range cancelFuncs(s.ctx) {
			cancels = append(cancels, n.cancel)
		}
	}
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		v, ok := c.info.Uses[cur.Node().(*ast.Ident)].(*types.Var)
		switch {
		case !ok:
		case s.ctxKnown():
			if slices.Contains(cancels, types.Object(v)) {
				cancelRef(cur)
			}
		case isCancelFunc(v.Type()) && !c.cancelsNewContext(v, s):
			cancelRef(cur)
		}
	}
	if name := closer(s.kind); name != "" {
		for cur := range fn.Preorder((*ast.SelectorExpr)(nil)) {
			if cur.Node().(*ast.SelectorExpr).Sel.Name != name {
				continue
			}
			ref := cur.ChildAt(edge.SelectorExpr_Sel, -1)
			if c.closesStream(ref, s) {
				if ok, _ := c.runsWhileGroupWorks(ref, fn, g, u.taskFunc, u.stream); ok {
					r.closed = true
				}
			}
		}
	}
	if !r.cancelled || !r.closed {
		c.pathsThroughHelpers(s, cancels, g, fn, &r)
	}
	return r
}

// cancelsNewContext reports whether v is the cancel func of a context
// that the package derives (`ctx, cancel := context.WithCancel(parent)`)
// while the stream s was not opened in the package: a stream received as
// a parameter or read from a field was opened before that context
// existed, so cancelling it cannot reach the stream (the cancel must be
// the stream's context's or an ancestor's,
// docs/rules.md#cancellation-paths).
func (c *checker) cancelsNewContext(v *types.Var, s *streamRef) bool {
	if s.assign != nil {
		return false
	}
	for _, d := range c.assigns[v] {
		if call, ok := ast.Unparen(d.rhs).(*ast.CallExpr); ok && d.index == 1 && code.FuncIn(c.info, call, contextPath) != nil {
			return true
		}
	}
	return false
}

// closesStream reports whether the selector x.M whose M is at ref is the
// closer of the stream s.
func (c *checker) closesStream(ref inspector.Cursor, s *streamRef) bool {
	sel := ref.Parent().Node().(*ast.SelectorExpr)
	k := c.streamKind(c.info.TypeOf(sel.X))
	if closer(k) != sel.Sel.Name {
		return false
	}
	r := c.resolveStream(sel.X, nil, sel.Pos(), k)
	return r != nil && r.key == s.key
}

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
			if decl, _ := c.declOf(call, nil); decl.Valid() {
				return false, nil // a same-package helper: pathsThroughHelpers looks inside
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
	if code.InnermostFunc(callCur) == code.InnermostFunc(g.assign.stmt) {
		return c.beforeWait(callCur, g), nil // cancel, then Wait
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
			if !ok || sel.Sel.Name != "CloseRequest" && sel.Sel.Name != "CloseSend" {
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
	calls := c.fieldCalls[f]
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
// cancels before it waits (docs/rules.md#cancellation-paths).
func (c *checker) onGroupContext(call *ast.CallExpr, g *group, s *streamRef) bool {
	ctx := c.ctxAt(call.Args[0], call.Pos())
	if g.failureCancels() && underGroup(ctx, g) {
		return true
	}
	fn := code.OutermostFunc(g.assign.stmt)
	for _, n := range cancelFuncs(ctx) {
		for cur := range fn.Preorder((*ast.Ident)(nil)) {
			if c.info.Uses[cur.Node().(*ast.Ident)] != n.cancel || cur.ParentEdgeKind() != edge.CallExpr_Fun {
				continue // only a call of the cancel func, not a hand-off, which could lead back here
			}
			if ok, _ := c.runsWhileGroupWorks(cur, fn, g, nil, s); ok {
				return true
			}
		}
	}
	return false
}
