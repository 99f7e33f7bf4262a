package analyzer

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
)

// cancelled reports whether the group's failure reaches the stream: a
// cancellation path of SPEC section 4. Paths are looked for in the
// function that creates the group, among the references the index
// holds: to the cancel funcs of the stream's context (any cancel func
// when that context is not visible: the programmer has taken charge),
// and to the Close of a connect-go v2 stream.
func (c *checker) cancelled(s *streamRef, g *group) bool {
	if s.visible() && !g.zero() && underGroup(s.ctx, g) {
		return true // opened under the group
	}
	fn := outermostFunc(g.def.stmt)
	if !fn.Valid() {
		return false
	}
	inFn := func(ref inspector.Cursor) bool { return within(fn.Node(), ref.Node().Pos()) }
	if s.visible() {
		for _, n := range cancelFuncs(s.ctx) {
			v, _ := n.cancel.(*types.Var)
			for _, ref := range c.funcRefs[v] {
				if inFn(ref) && c.runsWhileGroupWorks(ref, fn, g) {
					return true
				}
			}
		}
	} else {
		for v, refs := range c.funcRefs {
			if !isCancelFunc(v.Type()) {
				continue
			}
			for _, ref := range refs {
				if inFn(ref) && c.runsWhileGroupWorks(ref, fn, g) {
					return true
				}
			}
		}
	}
	if s.kind.lib == connectV2 {
		for _, ref := range c.closeRefs {
			if inFn(ref) && c.closesStream(ref, s) && c.runsWhileGroupWorks(ref, fn, g) {
				return true
			}
		}
	}
	return false
}

// closesStream reports whether the selector x.M at ref (M being the
// index's Close or CloseResponse) frees a pending receive on the stream
// s: connect-go v2's Close, on s itself.
func (c *checker) closesStream(ref inspector.Cursor, s *streamRef) bool {
	sel := ref.Parent().Node().(*ast.SelectorExpr)
	k := c.streamKind(c.info.TypeOf(sel.X))
	if !closesPendingReceive(k, sel.Sel.Name) {
		return false
	}
	r := c.resolveStream(sel.X, nil, sel.Pos(), k)
	return r != nil && r.key == s.key
}

// runsWhileGroupWorks reports whether the cancel func (or Close) referenced at cur,
// inside the group's function fn, can run while the group works: called
// inside a task, goroutine or callback, or handed on as a value. A call
// in fn's own body (including `defer cancel()`) runs only after Wait, and
// context.AfterFunc counts only on the group's context.
func (c *checker) runsWhileGroupWorks(cur, fn inspector.Cursor, g *group) bool {
	if sel, ok := cur.Parent().Node().(*ast.SelectorExpr); ok && sel.Sel == cur.Node() {
		cur = cur.Parent() // x.cancel, stream.Close
	}
	called := false
	if call, ok := cur.Parent().Node().(*ast.CallExpr); ok && call.Fun == cur.Node() {
		called = true
		cur = cur.Parent()
	}
	if !called {
		if call, ok := cur.Parent().Node().(*ast.CallExpr); ok && c.isAfterFunc(call) {
			return c.onGroupContext(call, g)
		}
		return true // handed on: a helper, time.AfterFunc, a struct field
	}
	for p := cur; p.Node() != nil; p = p.Parent() {
		if _, ok := p.Node().(*ast.FuncLit); !ok {
			continue
		}
		if p == fn {
			return false
		}
		if call, ok := p.Parent().Node().(*ast.CallExpr); ok && c.isAfterFunc(call) {
			return c.onGroupContext(call, g)
		}
		return true
	}
	return false
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
