package fix

import (
	"errors"
	"go/types"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// planDeferClose plans DeferClose: right after the opening (and its error
// check), a deferred func that cancels the stream's context and then
// closes the stream, so that a goroutine blocked on it is freed whichever
// way the function returns (docs/fixes.md#close-on-return). When the
// stream's context has no cancel func, the pair is derived before the
// opening. An opening in a loop gets no fix: its defer would pile up.
func (pl *Planner) planDeferClose(p *Plan) error {
	s := p.spec
	open := s.Stream.Open
	if !open.Valid() || !code.InStatementList(open) {
		return errNoPlace
	}
	if code.EnclosingLoop(open).Valid() {
		return errPileUp
	}
	if s.Cancel == nil {
		if s.Stream.OpenCall == nil || s.Stream.CtxArg == nil {
			return errors.New("the stream's opening takes no context to derive from")
		}
		if err := pl.useContextPkg(p, open.Node().Pos()); err != nil {
			return err
		}
		w := &wrap{at: open, ctxArg: s.Stream.CtxArg, ctxText: types.ExprString(s.Stream.CtxArg)}
		w.ctx = pl.fresh(p, DefaultCtx, open.Node().Pos())
		w.cancel = pl.fresh(p, DefaultCancel, open.Node().Pos())
		p.wrap = w
		p.names.Ctx, p.names.Cancel = w.ctx, w.cancel
	} else if !p.denotes(s.Cancel.Obj, open.Node().End()) {
		return errors.New("the cancel func is not in scope after the opening")
	}
	p.after = code.PastErrCheck(pl.info, open)
	if !p.canName(p.after.Node().End()) {
		return errNoName
	}
	return nil
}

// planCloseAfterCancel plans CloseAfterCancel: the close goes on the line
// after the cancel statement of the method that ends a wrapper's life
// (docs/fixes.md#close-in-the-closing-method).
func (pl *Planner) planCloseAfterCancel(p *Plan) error {
	site := p.spec.Site
	if site == nil || !site.Stmt.Valid() || !code.InStatementList(site.Stmt) {
		return errNoPlace
	}
	if !p.canName(site.Stmt.Node().End()) {
		return errNoName
	}
	p.after = site.Stmt
	return nil
}
