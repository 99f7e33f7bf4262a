package fix

import (
	"errors"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// A Planner plans the fixes of one package. It remembers what the plans
// made so far share, so that two fixes in one function pick different
// names and the parts two fixes both need (one derived pair for a stream
// in two groups, one name for a discarded group context) are identical
// edits, which the drivers coalesce. A plan is remembered only once it is
// complete.
type Planner struct {
	fset *token.FileSet
	info *types.Info

	claimed    map[*types.Scope]map[string]bool // names taken per function
	wraps      map[any]*wrap                    // per stream
	groupCtxs  map[any]*groupCtx                // per group
	reparented map[any]bool                     // groups created on rpcCtx by a plan
}

// NewPlanner returns a planner for a package's syntax and types.
func NewPlanner(fset *token.FileSet, info *types.Info) *Planner {
	return &Planner{
		fset:       fset,
		info:       info,
		claimed:    make(map[*types.Scope]map[string]bool),
		wraps:      make(map[any]*wrap),
		groupCtxs:  make(map[any]*groupCtx),
		reparented: make(map[any]bool),
	}
}

// A Plan says where each line of a fix goes and which names it uses.
type Plan struct {
	spec      *Spec
	tok       *token.File
	scope     *types.Scope // of the outermost function around the group's creation
	names     Names
	importCtx bool             // the file does not import context yet
	wrap      *wrap            // the derived pair, when the fix derives one
	gctx      *groupCtx        // how the fix names the group's context
	after     inspector.Cursor // the wiring goes after this statement
	before    inspector.Cursor // or, when valid, before this one (after the pair)

	claims map[string]bool // names this plan takes in scope
}

// A wrap is `rpcCtx, rpcCancel := context.WithCancel(ctx)` and `defer
// rpcCancel()` before the statement at, with the opening call (and the
// group, when it shared the stream's context) moved onto rpcCtx. Fixes
// of one stream in several groups share it.
type wrap struct {
	ctx, cancel string
	ctxText     string           // the context it derives from, as written
	at          inspector.Cursor // the statement it goes before
	ctxArg      ast.Expr         // the opening call's context argument
	reparent    ast.Expr         // the group's parent argument; nil to keep it
	zeroGroup   bool             // a zero-value group is created on rpcCtx
	hoisted     bool             // before the group's creation, for a stream opened in a task
}

// A groupCtx is how the fix names the group's context: as the code does,
// by naming a discarded one, or by creating the group with
// errgroup.WithContext. Fixes of one group share it.
type groupCtx struct {
	name   string
	rename ast.Expr         // the `_` that becomes name
	create inspector.Cursor // the zero-value declaration to replace
	parent string           // the created group's parent context
}

// Plan plans the fix that s asks for, or says why there is none.
func (pl *Planner) Plan(s *Spec) (*Plan, error) {
	p, err := pl.newPlan(s)
	if err != nil {
		return nil, err
	}
	switch s.Remedy {
	case WireCancel:
		err = pl.planWiring(p)
	case CloseStream:
		err = pl.planClose(p)
	case CloseAtSite:
		err = pl.planCloseAtSite(p)
	case CloseAfterOpen:
		err = pl.planCloseAfterOpen(p)
	case OpenUnderGroup:
		err = pl.planSwap(p)
	case DeferClose:
		err = pl.planDeferClose(p)
	case CloseAfterCancel:
		err = pl.planCloseAfterCancel(p)
	default:
		err = errors.New("nothing to fix")
	}
	if err == nil {
		err = p.ownLines()
	}
	if err != nil {
		return nil, err
	}
	pl.record(p)
	return p, nil
}

// ownLines checks that every statement the plan inserts lines before or
// after stands on lines of its own, so that the lines go where the plan
// says and stay gofmt-clean: `g.Go(func() error { s := open(ctx); ... })`
// on one line has no line to put a statement on inside the task.
func (p *Plan) ownLines() error {
	if w := p.wrap; w != nil && !p.startsLine(w.at) {
		return errSharedLine
	}
	if p.before.Valid() && !p.startsLine(p.before) {
		return errSharedLine
	}
	if p.after.Valid() && !p.endsLine(p.after) {
		return errSharedLine
	}
	if site := p.spec.Site; site != nil && site.Lit != nil && site.Stmt.Valid() && p.tok.Line(site.Lit.Body.Lbrace) != p.tok.Line(site.Lit.Body.Rbrace) && !p.endsLine(site.Stmt) {
		return errSharedLine
	}
	return nil
}

var errSharedLine = errors.New("the statement the fix would add a line next to shares its line with other code")

// startsLine reports whether stmt is the first code on its line.
func (p *Plan) startsLine(stmt inspector.Cursor) bool {
	line := p.tok.Line(stmt.Node().Pos())
	if prev, ok := stmt.PrevSibling(); ok {
		return p.tok.Line(prev.Node().End()) < line
	}
	switch parent := stmt.Parent().Node().(type) {
	case *ast.BlockStmt:
		return p.tok.Line(parent.Lbrace) < line
	case *ast.CaseClause:
		return p.tok.Line(parent.Colon) < line
	case *ast.CommClause:
		return p.tok.Line(parent.Colon) < line
	}
	return false
}

// endsLine reports whether stmt is the last code on its line (a comment
// may follow it).
func (p *Plan) endsLine(stmt inspector.Cursor) bool {
	line := p.tok.Line(stmt.Node().End())
	if next, ok := stmt.NextSibling(); ok {
		return p.tok.Line(next.Node().Pos()) > line
	}
	clause := stmt.Parent()
	switch parent := clause.Node().(type) {
	case *ast.BlockStmt:
		return p.tok.Line(parent.Rbrace) > line
	case *ast.CaseClause, *ast.CommClause:
		if next, ok := clause.NextSibling(); ok {
			return p.tok.Line(next.Node().Pos()) > line
		}
		if body, ok := clause.Parent().Node().(*ast.BlockStmt); ok {
			return p.tok.Line(body.Rbrace) > line
		}
	}
	return false
}

func (pl *Planner) newPlan(s *Spec) (*Plan, error) {
	at := s.Group.Stmt
	if s.File == nil || !at.Valid() {
		return nil, errNoSyntax
	}
	tok := pl.fset.File(at.Node().Pos())
	if tok == nil {
		return nil, errNoSyntax
	}
	p := &Plan{spec: s, tok: tok, scope: pl.info.Scopes[s.File], claims: make(map[string]bool)}
	if fn := code.OutermostFunc(at); fn.Valid() {
		if sc := code.FuncScope(pl.info, fn); sc != nil {
			p.scope = sc
		}
	}
	if p.scope == nil {
		return nil, errNoSyntax
	}
	p.names = s.DefaultNames()
	return p, nil
}

var errNoSyntax = errors.New("the code around the group has no syntax or types")

// record makes the plan's names and shared parts known to the package's
// later plans.
func (pl *Planner) record(p *Plan) {
	if pl.claimed[p.scope] == nil {
		pl.claimed[p.scope] = make(map[string]bool)
	}
	for name := range p.claims {
		pl.claimed[p.scope][name] = true
	}
	s := p.spec
	if p.wrap != nil {
		pl.wraps[s.Stream.Key] = p.wrap
		if p.wrap.reparent != nil || p.wrap.zeroGroup {
			pl.reparented[s.Group.Key] = true
		}
	}
	if p.gctx != nil {
		pl.groupCtxs[s.Group.Key] = p.gctx
	}
}

// Names returns the names the plan's code is written with.
func (p *Plan) Names() Names { return p.names }

// Code returns the code the plan writes, which the message quotes.
func (p *Plan) Code() Code {
	parent := ""
	if p.gctx != nil {
		parent = p.gctx.parent
	}
	c := p.spec.code(p.names, parent)
	if p.gctx == nil || p.gctx.rename == nil {
		c.NameGroupCtx = ""
	}
	if p.gctx == nil || !p.gctx.create.Valid() {
		c.Create = ""
	}
	if p.wrap == nil {
		c.Pair, c.Defer = "", ""
	}
	if p.wrap == nil || p.wrap.reparent == nil {
		c.Reparent = ""
	}
	return c
}
