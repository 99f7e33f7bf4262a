package fix

import (
	"errors"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// planWiring plans WireCancel: cancel the stream's context, and close
// the stream when the spec says so, once the group's context is done
// (docs/fixes.md#the-fix-shapes).
func (pl *Planner) planWiring(p *Plan) error {
	s := p.spec
	gpos := s.Group.Stmt.Node().Pos()
	if err := pl.useContextPkg(p, gpos); err != nil {
		return err
	}
	var cancelDef inspector.Cursor
	var cancelObj types.Object
	if s.Cancel == nil {
		w, err := pl.planWrap(p)
		if err != nil {
			return err
		}
		p.wrap = w
		p.names.Ctx, p.names.Cancel = w.ctx, w.cancel
		cancelDef = w.at
	} else {
		cancelDef, cancelObj = s.Cancel.Def, s.Cancel.Obj
	}
	gc, err := pl.planGroupCtx(p)
	if err != nil {
		return err
	}
	p.gctx, p.names.GroupCtx = gc, gc.name
	return pl.placeWiring(p, cancelDef, cancelObj)
}

// placeWiring decides where the wiring goes. It must come after the
// group's creation and the cancel func's definition, and after the
// opening when it closes the stream, which it names. It goes early, as
// soon as those two exist and before the opening, when the spec says so
// (docs/fixes.md#wire-before-a-blocking-open) and when the pair was
// hoisted into the group's function; else after the opening (and its
// error check). A wiring that would register once per iteration is no
// fix (docs/fixes.md#no-pile-up-in-loops).
func (pl *Planner) placeWiring(p *Plan, cancelDef inspector.Cursor, cancelObj types.Object) error {
	s := p.spec
	gs := s.Group.Stmt
	w := p.wrap
	early := s.Closer == "" && (s.Early || w != nil && w.hoisted)
	if early && w != nil && w.at.Node().Pos() > gs.Node().Pos() {
		// The pair goes after the group's creation: the wiring joins it.
		p.before = w.at
		if !p.scopeReachesPos(gs, w.at.Node().Pos()) || pilesUp(w.at, gs) {
			return errPileUp
		}
		return nil
	}
	last := code.LaterStmt(gs, cancelDef)
	if !early {
		last = code.LaterStmt(last, s.Stream.Open)
	}
	stmt := code.StatementOf(last)
	if !stmt.Valid() || !code.InStatementList(stmt) {
		return errNoPlace
	}
	end := stmt.Node().End()
	if !p.scopeReaches(gs, stmt) || !early && !p.scopeReaches(s.Stream.Open, stmt) {
		return errNoPlace
	}
	if cancelObj != nil && !p.denotes(cancelObj, end) {
		return errors.New("the cancel func is not in scope where the group's context exists")
	}
	if w != nil && !p.scopeReaches(w.at, stmt) {
		return errors.New("the stream is opened in another function than the group's")
	}
	if s.Closer != "" && !p.canName(end) {
		return errNoName
	}
	p.after = code.PastErrCheck(pl.info, stmt)
	if pilesUp(p.after, gs) {
		return errPileUp
	}
	return nil
}

var (
	errNoPlace = errors.New("no statement list holds both the group's creation and the stream's opening")
	errNoName  = errors.New("the stream has no name where the close would go")
	errPileUp  = errors.New("a registration there would be made once per loop iteration")
)

// planWrap plans the derived pair: rpcCtx, rpcCancel before the stream
// is opened, the stream opened on rpcCtx, and the group created on
// rpcCtx too when it shared the stream's context, so that an early return
// releases it. When the stream is opened in a task and used beyond it,
// the pair goes before the group's creation instead (hoisted): the
// opening task's return must not cancel a stream that others still use
// (docs/fixes.md#never-cancel-a-stream-that-other-tasks-still-use). A pair in
// a loop is no fix: its defer would pile up.
func (pl *Planner) planWrap(p *Plan) (*wrap, error) {
	s := p.spec
	if w := pl.wraps[s.Stream.Key]; w != nil {
		return w, nil
	}
	open, st := s.Stream.Open, s.Stream
	if !open.Valid() || !code.InStatementList(open) || st.OpenCall == nil || st.CtxArg == nil {
		return nil, errors.New("the stream's opening is not a statement the pair can go before")
	}
	fn := code.OutermostFunc(open)
	gs := code.StatementOf(s.Group.Stmt)
	if !fn.Valid() || !code.Within(fn.Node(), st.CtxArg.Pos()) {
		return nil, errors.New("the stream's context is chosen in another function")
	}
	if fn != code.OutermostFunc(gs) {
		return nil, errors.New("the stream is opened in another function than the group's")
	}
	w := &wrap{at: open, ctxArg: st.CtxArg, ctxText: types.ExprString(st.CtxArg)}
	shares := s.Group.SharesStreamCtx && !pl.reparented[s.Group.Key]
	switch {
	case st.Hoist:
		if !gs.Valid() || !code.InStatementList(gs) || !gs.Parent().Contains(open) {
			return nil, errors.New("the stream is opened in a task and used beyond it, and its pair cannot go before the group's creation")
		}
		w.at, w.hoisted = gs, true
		if shares {
			w.shareGroup(s.Group)
		}
	case shares && gs.Valid() && gs.Parent() == open.Parent():
		w.shareGroup(s.Group)
		if gs.Node().Pos() < open.Node().Pos() {
			w.at = gs // rpcCtx goes before both
		}
	}
	if w.at != open && !st.CtxAtGroup {
		return nil, errors.New("the stream's context means something else where the group is created")
	}
	if code.EnclosingLoop(w.at).Valid() {
		return nil, errPileUp
	}
	pos := w.at.Node().Pos()
	w.ctx = pl.fresh(p, DefaultCtx, pos)
	w.cancel = pl.fresh(p, DefaultCancel, pos)
	return w, nil
}

// shareGroup parents the group, which shares the stream's context, on
// rpcCtx too: a zero-value group is created on it (planGroupCtx).
func (w *wrap) shareGroup(g Group) {
	if g.Zero {
		w.zeroGroup = true
	} else {
		w.reparent = g.ParentArg
	}
}

// pilesUp reports whether a registration at cur would be made once per
// iteration of a loop that the group's creation is not in: each
// registration lives until the group's context is done
// (docs/fixes.md#no-pile-up-in-loops). A group made per iteration is done
// per iteration, and its registrations with it.
func pilesUp(cur, creation inspector.Cursor) bool {
	loop := code.EnclosingLoop(cur)
	return loop.Valid() && !loop.Contains(creation)
}
