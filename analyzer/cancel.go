package analyzer

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// A reach says how the group's failure reaches a stream: the cancellation
// paths of SPEC section 4, found in the function that creates the group
// among the references the index holds.
type reach struct {
	cancelled  bool // the stream's context is cancelled while the group works
	closed     bool // the stream's closer runs while the group works
	underGroup bool // the stream was opened under the group's context
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

// frees reports whether the reach frees a pending call on s. A cancel
// frees grpc-go streams and connect-go server and client streams; a
// connect-go bidi stream needs the cancel and the close (SPEC section 1);
// a connect-go v2 Close alone frees any other v2 stream, and, when the
// stream's context is not visible, any cancel func counts (the programmer
// has taken charge).
func (r reach) frees(s *streamRef) bool {
	closeFrees := r.closed && s.kind.lib == connectV2
	if s.visible() && s.bidi {
		return r.cancelled && r.closed
	}
	return r.cancelled || closeFrees
}

// reachOf finds how the failure of g reaches the stream of u.
func (c *checker) reachOf(u *use, g *group) reach {
	s := u.stream
	var r reach
	if s.visible() && !g.zero() && underGroup(s.ctx, g) {
		r.cancelled, r.underGroup = true, true
	}
	fn := outermostFunc(g.def.stmt)
	if !fn.Valid() {
		return r
	}
	inFn := func(ref inspector.Cursor) bool { return within(fn.Node(), ref.Node().Pos()) }
	cancelRef := func(ref inspector.Cursor) {
		if !inFn(ref) {
			return
		}
		if ok, site := c.runsWhileGroupWorks(ref, fn, g, u.taskFunc); ok {
			r.cancelled = true
			if r.site == nil {
				r.site = site
			}
		}
	}
	if s.visible() {
		for _, n := range cancelFuncs(s.ctx) {
			v, _ := n.cancel.(*types.Var)
			for _, ref := range c.funcRefs[v] {
				cancelRef(ref)
			}
		}
	} else {
		for v, refs := range c.funcRefs {
			if isCancelFunc(v.Type()) {
				for _, ref := range refs {
					cancelRef(ref)
				}
			}
		}
	}
	for _, ref := range c.closeRefs {
		if inFn(ref) && c.closesStream(ref, s) {
			if ok, _ := c.runsWhileGroupWorks(ref, fn, g, u.taskFunc); ok {
				r.closed = true
			}
		}
	}
	return r
}

// closesStream reports whether the selector x.M at ref (M being the
// index's Close or CloseResponse) is the closer of the stream s.
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
func (c *checker) runsWhileGroupWorks(cur, fn inspector.Cursor, g *group, blocked ast.Node) (bool, *cancelSite) {
	if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == cur.Node() {
		cur = cur.Parent() // x.cancel, stream.Close
	}
	call, called := cur.Parent().Node().(*ast.CallExpr)
	if !called || call.Fun != cur.Node() {
		if called && c.isAfterFunc(call) {
			if !c.onGroupContext(call, g) {
				return false, nil
			}
			return true, &cancelSite{arg: cur.Node().(ast.Expr), call: call}
		}
		return true, nil // handed on: a helper, time.AfterFunc, a struct field
	}
	callCur := cur.Parent()
	if _, deferred := callCur.Parent().Node().(*ast.DeferStmt); deferred && innermostFunc(callCur).Node() == blocked {
		return false, nil
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
				if !c.onGroupContext(parent, g) {
					return false, nil
				}
				return true, site
			}
			if _, ok := p.Parent().Parent().Node().(*ast.GoStmt); ok && parent.Fun == lit {
				return true, site // a watcher goroutine
			}
		}
		return true, nil // a task or a callback
	}
	return false, nil
}

func (c *checker) isAfterFunc(call *ast.CallExpr) bool {
	fn := funcIn(c.info, call, contextPath)
	return fn != nil && fn.Name() == "AfterFunc" && len(call.Args) == 2
}

// onGroupContext reports whether context.AfterFunc(ctx, f) waits on the
// group's context or a context derived from it.
func (c *checker) onGroupContext(call *ast.CallExpr, g *group) bool {
	return !g.zero() && underGroup(c.ctxAt(call.Args[0], call.Pos()), g)
}
