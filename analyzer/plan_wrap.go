package analyzer

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// planWrap plans shape 2: derive rpcCtx, rpcCancel before the stream is
// opened and open it on rpcCtx; parent the group on rpcCtx too when it
// shared the stream's context, so that an early return releases it.
// When the stream is opened in a task and used beyond it, the pair goes
// before the group's creation instead (hoisted): the opening task's
// return must not cancel a stream that others still use (SPEC section 5).
// A pair in a loop is no fix: its defer would pile up.
func (c *checker) planWrap(p *fixPlan, s *streamRef, g *group) *wrap {
	if w := c.fixes.wraps[s.key]; w != nil {
		return w
	}
	open := statementOf(s.def.stmt)
	if !open.Valid() || !inStatementList(open) || s.open == nil || s.ctxArg == nil {
		return nil
	}
	if fn := outermostFunc(open); !fn.Valid() || !within(fn.Node(), s.ctxArg.Pos()) {
		return nil // the context is chosen in another function: a constructor that does not take it
	}
	w := &wrap{at: open, ctxArg: s.ctxArg, ctxText: types.ExprString(s.ctxArg)}
	gs := statementOf(g.def.stmt)
	shares := (g.zero() || g.parent == s.ctx) && !c.fixes.reparented[g]
	switch {
	case c.hoists(s, g):
		if !gs.Valid() || !inStatementList(gs) || !gs.Parent().Contains(open) {
			return nil
		}
		w.at, w.hoisted = gs, true
		if shares {
			w.shareGroup(g)
		}
	case shares && gs.Valid() && gs.Parent() == open.Parent():
		w.shareGroup(g)
		if gs.Node().Pos() < open.Node().Pos() {
			w.at = gs // rpcCtx goes before both
		}
	}
	pos := w.at.Node().Pos()
	if w.at != open && c.ctxAt(s.ctxArg, pos) != s.ctx {
		return nil // the context expression means something else up there
	}
	if enclosingLoop(w.at).Valid() {
		return nil
	}
	w.ctx = p.fresh(c, "rpcCtx", pos)
	w.cancel = p.fresh(c, "rpcCancel", pos)
	return w
}

// shareGroup parents the group, which shares the stream's context, on
// rpcCtx too: a zero-value group is created on it (planGroupCtx).
func (w *wrap) shareGroup(g *group) {
	if g.zero() {
		w.zeroGroup = true
	} else {
		w.reparent = g.parentArg
	}
}

// hoists reports whether the stream s is opened inside a function nested
// in g's function (a task, or a goroutine a task starts) and is used
// beyond it: then its cancel func belongs to the group's function, which
// calls Wait, never to the opening task (SPEC section 5, "Never cancel a
// stream that other tasks still use").
func (c *checker) hoists(s *streamRef, g *group) bool {
	if s.def == nil {
		return false
	}
	fn := innermostFunc(s.def.stmt)
	return fn.Valid() && fn != innermostFunc(g.def.stmt) && c.usedBeyond(s.def, fn)
}

// usedBeyond reports whether the stream that d assigns can be used
// outside fn, the function that opens it: it is a field or a variable
// declared outside fn, or fn does anything with it other than call its
// methods (hand it over a channel, store it, pass it on, capture it in a
// goroutine).
func (c *checker) usedBeyond(d *def, fn inspector.Cursor) bool {
	if _, ok := ast.Unparen(d.lhs).(*ast.Ident); !ok || !within(fn.Node(), d.obj.Pos()) {
		return true
	}
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		if c.info.Uses[cur.Node().(*ast.Ident)] != d.obj {
			continue
		}
		if innermostFunc(cur) != fn || !methodCallOn(cur) {
			return true
		}
	}
	return false
}

// methodCallOn reports whether the identifier at cur is the receiver of
// a method call, x.M(...).
func methodCallOn(cur inspector.Cursor) bool {
	return cur.ParentEdgeKind() == edge.SelectorExpr_X && cur.Parent().ParentEdgeKind() == edge.CallExpr_Fun
}
