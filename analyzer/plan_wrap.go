package analyzer

import (
	"go/types"
)

// planWrap plans shape 2: derive rpcCtx, rpcCancel before the stream is
// opened and open it on rpcCtx; parent the group on rpcCtx too when it
// shared the stream's context, so that an early return releases it.
func (c *checker) planWrap(p *fixPlan, s *streamRef, g *group) *wrap {
	if w := c.fixes.wraps[s.key]; w != nil {
		return w
	}
	open := statementOf(s.def.stmt)
	if !open.Valid() || !inStatementList(open) || s.open == nil || s.ctxArg == nil {
		return nil
	}
	w := &wrap{at: open, ctxArg: s.ctxArg, ctxText: types.ExprString(s.ctxArg)}
	if (g.zero() || g.parent == s.ctx) && !c.fixes.reparented[g] {
		if gs := statementOf(g.def.stmt); gs.Valid() && gs.Parent() == open.Parent() {
			if g.zero() {
				w.zeroGroup = true // planGroupCtx creates it on rpcCtx
			} else {
				w.reparent = g.call.Args[0]
			}
			if gs.Node().Pos() < open.Node().Pos() {
				w.at = gs // rpcCtx goes before both
			}
		}
	}
	pos := w.at.Node().Pos()
	if w.at != open && c.ctxAt(s.ctxArg, pos) != s.ctx {
		return nil // the context expression means something else up there
	}
	w.ctx = p.fresh(c, "rpcCtx", pos)
	w.cancel = p.fresh(c, "rpcCancel", pos)
	return w
}
