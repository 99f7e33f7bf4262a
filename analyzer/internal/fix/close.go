package fix

import (
	"errors"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// planClose plans CloseStream: the stream's context is not visible, and
// the stream is closed once the group's context is done, registered after
// the group's creation
// (docs/fixes.md#context-not-visible).
func (pl *Planner) planClose(p *Plan) error {
	s := p.spec
	if s.Group.Zero {
		return errors.New("a zero-value group has no context to wait on")
	}
	stmt := code.StatementOf(s.Group.Stmt)
	if !stmt.Valid() || !code.InStatementList(stmt) {
		return errNoPlace
	}
	if !p.canName(stmt.Node().End()) {
		return errNoName
	}
	if err := pl.useContextPkg(p, stmt.Node().Pos()); err != nil {
		return err
	}
	gc, err := pl.planGroupCtx(p)
	if err != nil {
		return err
	}
	p.gctx, p.names.GroupCtx = gc, gc.name
	p.after = stmt
	return nil
}

// planCloseAfterOpen plans CloseAfterOpen: a stream opened under the
// group's context is closed once that context is done, registered right
// after the opening (docs/fixes.md#close-joins-an-existing-cancel).
func (pl *Planner) planCloseAfterOpen(p *Plan) error {
	s := p.spec
	stmt := s.Stream.Open
	if s.Group.Ctx == nil || !stmt.Valid() || !code.InStatementList(stmt) {
		return errNoPlace
	}
	if pilesUp(stmt, s.Group.Stmt) {
		return errPileUp
	}
	if !p.denotes(s.Group.Ctx, stmt.Node().End()) || !p.canName(stmt.Node().End()) {
		return errNoName
	}
	if err := pl.useContextPkg(p, stmt.Node().Pos()); err != nil {
		return err
	}
	p.gctx = &groupCtx{name: s.Group.Ctx.Name()}
	p.after = code.PastErrCheck(pl.info, stmt)
	return nil
}

// planCloseAtSite plans CloseAtSite: the close joins the func that already
// cancels the stream once the group's context is done
// (docs/fixes.md#close-joins-an-existing-cancel). The analysis chose the site only where
// the stream can be named in it.
func (pl *Planner) planCloseAtSite(p *Plan) error {
	site := p.spec.Site
	if site.Arg != nil {
		// context.AfterFunc(gctx, cancel) becomes a literal that also
		// closes; only a func() can be called as cancel().
		sig, ok := pl.info.TypeOf(site.Arg).Underlying().(*types.Signature)
		if !ok || sig.Params().Len() != 0 || !p.canName(site.Arg.Pos()) {
			return errNoName
		}
		return nil
	}
	if !site.Stmt.Valid() || !p.canName(site.Stmt.Node().End()) {
		return errNoName
	}
	if _, ok := site.Stmt.Node().(*ast.ExprStmt); !ok {
		return errNoPlace
	}
	return nil
}

// canName reports whether the fix can write the stream's name at pos.
func (p *Plan) canName(pos token.Pos) bool {
	st := p.spec.Stream
	return st.Name != "" && st.Var != nil && p.denotes(st.Var, pos)
}
