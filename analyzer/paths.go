package analyzer

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
)

// cancelled reports whether the group's failure reaches the stream: a
// cancellation path of SPEC section 4.
func (c *checker) cancelled(s *streamRef, g *group) bool {
	if s.visible() && !g.zero() && underGroup(s.ctx, g) {
		return true // opened under the group
	}
	cancels := make(map[types.Object]bool)
	names := make(map[string]bool) // a cheap filter before the type lookup
	if s.visible() {
		for _, n := range cancelFuncs(s.ctx) {
			cancels[n.cancel] = true
			names[n.cancel.Name()] = true
		}
	}
	closes := s.kind.lib == connectV2
	// When the stream's context is not visible, any cancel func that the
	// function calls or hands on from a task, goroutine or callback may
	// be the stream's: the programmer has taken charge.
	anyCancel := !s.visible()
	if len(cancels) == 0 && !closes && !anyCancel {
		return false
	}
	fn := enclosingFunc(g.def.stmt)
	if !fn.Valid() {
		return false
	}
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if !anyCancel && !names[id.Name] && !(closes && id.Name == "Close") {
			continue
		}
		obj := c.info.Uses[id]
		switch {
		case obj == nil:
		case cancels[obj] || anyCancel && isCancelFunc(obj.Type()):
			if c.handsOn(cur, fn, g) {
				return true
			}
		case closes && id.Name == "Close":
			if c.closesStream(cur, s) && c.handsOn(cur, fn, g) {
				return true
			}
		}
	}
	return false
}

// closesStream reports whether the identifier at cur is the Close of
// `x.Close` where x is the stream s.
func (c *checker) closesStream(cur inspector.Cursor, s *streamRef) bool {
	sel, ok := cur.Parent().Node().(*ast.SelectorExpr)
	if !ok || sel.Sel != cur.Node() {
		return false
	}
	k := c.streams.kind(typeOf(c.info, sel.X))
	if !closesPendingReceive(k, "Close") {
		return false
	}
	ref := c.resolveStream(sel.X, nil, sel.Pos())
	return ref != nil && ref.key == s.key
}

// handsOn reports whether the cancel func (or Close) referenced at cur,
// inside the group's function fn, can run while the group works: called
// inside a task, goroutine or callback, or handed on as a value. A call
// in fn's own body (including `defer cancel()`) runs only after Wait, and
// context.AfterFunc counts only on the group's context.
func (c *checker) handsOn(cur, fn inspector.Cursor, g *group) bool {
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

// isCancelFunc reports whether t is context.CancelFunc or
// context.CancelCauseFunc.
func isCancelFunc(t types.Type) bool {
	return isNamed(t, contextPath, "CancelFunc") || isNamed(t, contextPath, "CancelCauseFunc")
}
