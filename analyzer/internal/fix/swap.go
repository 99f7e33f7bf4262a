package fix

import (
	"errors"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// planSwap plans OpenUnderGroup: the group's context replaces the context
// expression Swap, which the analysis found to be the group's parent, so
// that the stream keeps its values and deadline and only gains the
// group's cancellation; with a close, each stream is closed once the
// group's context is done (docs/fixes.md#stream-per-loop-iteration).
func (pl *Planner) planSwap(p *Plan) error {
	s := p.spec
	if s.Swap == nil {
		return errors.New("no context expression to replace")
	}
	if s.Closer != "" {
		stmt := s.Stream.Open
		if !stmt.Valid() || !code.InStatementList(stmt) || !p.canName(stmt.Node().End()) {
			return errNoName
		}
		if err := pl.useContextPkg(p, stmt.Node().Pos()); err != nil {
			return err
		}
		p.after = code.PastErrCheck(pl.info, stmt)
	}
	gc, err := pl.planGroupCtx(p)
	if err != nil {
		return err
	}
	p.gctx, p.names.GroupCtx = gc, gc.name
	pos := s.Swap.Pos()
	if !(s.Group.Stmt.Node().End() <= pos) || !p.scopeReachesPos(s.Group.Stmt, pos) {
		return errors.New("the group is created after the stream's context is chosen")
	}
	if s.Group.Ctx != nil && !p.denotes(s.Group.Ctx, pos) {
		return errors.New("the group's context is shadowed where the stream's context is chosen")
	}
	return nil
}
