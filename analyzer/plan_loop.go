package analyzer

import (
	"go/ast"

	"golang.org/x/tools/go/ast/inspector"
)

// iterationLoop returns the loop in which s is opened once per
// iteration, inside the function that opens it, or, when the fix's pair
// would be hoisted into the group's function, the loop around the
// group's creation there; an invalid cursor when there is none.
func (c *checker) iterationLoop(s *streamRef, g *group) inspector.Cursor {
	if s.def == nil {
		return inspector.Cursor{}
	}
	if loop := enclosingLoop(statementOf(s.def.stmt)); loop.Valid() {
		return loop
	}
	if c.hoists(s, g) {
		return enclosingLoop(statementOf(g.def.stmt))
	}
	return inspector.Cursor{}
}

// perIteration decides the remedy for a stream opened once per iteration
// of loop (SPEC section 5, "No pile-up in loops"). A cancel func made
// outside the loop serves every iteration: it is wired once, outside
// (placeWiring). Otherwise the stream, or the per-iteration context with
// the cancel func, is opened under the group's context, which Wait
// cancels when it returns. A connect-go bidi stream needs the close as
// well, and a close registered per iteration piles up too: that remedy
// has no fix. Other streams are freed by the cancel alone (SPEC
// section 1), so they get no close.
func (r *remedy) perIteration(loop inspector.Cursor) {
	s := r.use.stream
	r.loop = true
	if !s.bidi {
		r.closer = ""
	}
	if r.derive {
		r.shape, r.swap = openUnderGroup, s.ctxArg
		return
	}
	n := cancelFuncs(s.ctx)[0]
	if !loop.Contains(n.def.stmt) && !s.bidi {
		return // wireCancel, wired once outside the loop
	}
	r.shape = openUnderGroup
	if call, ok := ast.Unparen(n.def.rhs).(*ast.CallExpr); ok && len(call.Args) > 0 {
		r.swap = call.Args[0]
	}
}

// planSwap plans shape openUnderGroup: the group's context replaces the
// context expression r.swap, which must be the group's parent, so that
// the stream keeps its values and deadline and only gains the group's
// cancellation. A zero-value group is created on that context.
func (c *checker) planSwap(r *remedy) *fixPlan {
	s, g := r.use.stream, r.group
	if r.swap == nil || r.closer != "" && !c.taskPerIteration(s, g) {
		return nil // a connect-go bidi stream reopened in a loop: its closes would pile up
	}
	p := c.newFixPlan(g.def.stmt)
	if p == nil {
		return nil
	}
	if r.closer != "" {
		// One stream and one task per iteration: each stream is closed once
		// the group's context is done, as each task ends then.
		stmt := statementOf(s.def.stmt)
		if !stmt.Valid() || !inStatementList(stmt) || !p.canName(s, r.stream, stmt.Node().End()) || !p.useContextPkg(c, stmt.Node().Pos()) {
			return nil
		}
		p.after = c.pastErrCheck(stmt)
	}
	if g.zero() {
		if r.swap != s.ctxArg {
			return nil
		}
	} else if !sameValue(c.ctxAt(r.swap, r.swap.Pos()), g.parent) {
		return nil
	}
	if p.gctx = c.planGroupCtx(p, s, g); p.gctx == nil {
		return nil
	}
	pos := r.swap.Pos()
	if !(g.def.stmt.Node().End() <= pos) || !p.scopeReachesPos(g.def.stmt, pos) {
		return nil
	}
	if g.gctx != nil && (!p.visibleAt(g.gctx.obj, pos) || c.reaching(g.gctx.obj, pos) != g.gctx) {
		return nil // the group's context is reassigned or shadowed there
	}
	p.swap = r.swap
	return p
}

// sameValue reports whether a and b are the same context value, looking
// through plain copies (ctx2 := ctx).
func sameValue(a, b *ctxNode) bool {
	for a != nil && a.step == stepAlias {
		a = a.parent
	}
	for b != nil && b.step == stepAlias {
		b = b.parent
	}
	return a != nil && a == b
}

// taskPerIteration reports whether the loop that opens s once per
// iteration is in the group's own function and starts a task of g in
// each iteration (a stream per shard, each read by its task), so that a
// close registered per iteration is one per task, not a pile-up.
func (c *checker) taskPerIteration(s *streamRef, g *group) bool {
	loop := c.iterationLoop(s, g)
	if !loop.Valid() || innermostFunc(loop) != innermostFunc(g.def.stmt) || loop.Contains(g.def.stmt) {
		return false
	}
	for _, task := range g.tasks {
		if task.frame == nil && loop.Contains(task.cur) {
			return true
		}
	}
	return false
}
