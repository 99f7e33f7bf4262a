package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// planClose plans shape 6: the stream's context is not visible, and a
// connect-go v2 stream is closed instead.
func (c *checker) planClose(r *remedy) *fixPlan {
	s, g := r.use.stream, r.group
	if g.zero() {
		return nil
	}
	stmt := statementOf(g.def.stmt)
	if !stmt.Valid() || !inStatementList(stmt) {
		return nil
	}
	p := c.newFixPlan(g.def.stmt)
	if p == nil {
		return nil
	}
	// The stream must be a variable that can be named where the wiring goes.
	v, ok := s.key.(*types.Var)
	if !ok || v.IsField() || v.Name() != s.name || !p.visibleAt(v, stmt.Node().End()) {
		return nil
	}
	if !p.useContextPkg(c, stmt.Node().Pos()) {
		return nil
	}
	if p.gctx = c.planGroupCtx(p, s, g); p.gctx == nil {
		return nil
	}
	p.after = stmt
	return p
}

// planAddClose plans the close of a connect-go bidi stream whose
// context the group's failure already cancels (SPEC section 5: cancel and
// close): in the func that cancels it, when one runs once the group's
// context is done; else wired with the cancel; else, for a stream opened
// under the group, on its own after the opening.
func (c *checker) planAddClose(r *remedy) *fixPlan {
	if r.site != nil {
		if p := c.planCloseAtSite(r); p != nil {
			return p
		}
		r.site = nil
	}
	if r.cancel != "" {
		return c.planWiring(r)
	}
	s, g := r.use.stream, r.group
	stmt := statementOf(s.def.stmt)
	if g.gctx == nil || !stmt.Valid() || !inStatementList(stmt) {
		return nil
	}
	if pilesUp(stmt, g.def.stmt) {
		return nil // a close registered per loop iteration would pile up
	}
	p := c.newFixPlan(stmt)
	if p == nil || !p.visibleAt(g.gctx.obj, stmt.Node().End()) || !p.canName(s, r.stream, stmt.Node().End()) {
		return nil
	}
	if !p.useContextPkg(c, stmt.Node().Pos()) {
		return nil
	}
	p.gctx = &groupCtx{name: g.gctx.obj.Name()}
	p.after = c.pastErrCheck(stmt)
	return p
}

// planCloseAtSite plans the close inside the func at r.site, or returns
// nil when the stream cannot be named there.
func (c *checker) planCloseAtSite(r *remedy) *fixPlan {
	site, s := r.site, r.use.stream
	p := c.newFixPlan(r.group.def.stmt)
	if p == nil {
		return nil
	}
	if site.arg != nil {
		// context.AfterFunc(gctx, cancel) becomes a literal that also
		// closes; only a func() can be called as cancel().
		sig, ok := c.info.TypeOf(site.arg).Underlying().(*types.Signature)
		if !ok || sig.Params().Len() != 0 || !p.canName(s, r.stream, site.arg.Pos()) {
			return nil
		}
		return p
	}
	if !site.stmt.Valid() || !p.canName(s, r.stream, site.stmt.Node().End()) {
		return nil
	}
	if _, ok := site.stmt.Node().(*ast.ExprStmt); !ok {
		return nil
	}
	return p
}

// canName reports whether the stream s, as the remedy names it, can be
// written at pos and means s there.
func (p *fixPlan) canName(s *streamRef, name string, pos token.Pos) bool {
	id, ok := s.def.lhs.(*ast.Ident)
	if !ok || !p.visibleAt(s.def.obj, pos) {
		return false
	}
	// stream, or sess.stream for a stream a constructor put in sess
	return name == id.Name || strings.HasPrefix(name, id.Name+".")
}
