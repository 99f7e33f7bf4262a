package fix

import (
	"errors"
	"go/ast"
	"go/token"
	"go/types"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

const errgroupPath = "golang.org/x/sync/errgroup"

// planGroupCtx returns how the fix names the group's context: the code's
// own name, a name for a discarded one, or a zero-value group created
// with errgroup.WithContext when it is used through method calls alone
// (docs/fixes.md#discarded-group-context).
func (pl *Planner) planGroupCtx(p *Plan) (*groupCtx, error) {
	s := p.spec
	g := s.Group
	if gc := pl.groupCtxs[g.Key]; gc != nil {
		return gc, nil
	}
	if g.Ctx != nil {
		return &groupCtx{name: g.Ctx.Name()}, nil
	}
	stmt := code.StatementOf(g.Stmt)
	if !stmt.Valid() {
		return nil, errNoSyntax
	}
	if !g.Zero {
		// g, _ := errgroup.WithContext(ctx): name the context.
		as, ok := g.Stmt.Node().(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 2 {
			return nil, errors.New("the group's context is discarded in an assignment the fix cannot rename in")
		}
		return &groupCtx{name: pl.fresh(p, DefaultGroupCtx, as.End()), rename: as.Lhs[1]}, nil
	}
	if !code.InStatementList(stmt) || !g.OnlyMethodCalls || s.Stream.CtxArg == nil {
		return nil, errors.New("the zero-value group is used other than through its methods, so it cannot become errgroup.WithContext")
	}
	parent := types.ExprString(s.Stream.CtxArg)
	if w := p.wrap; w != nil && w.at.Node().Pos() <= stmt.Node().Pos() {
		parent = w.ctx
	} else if !s.Stream.CtxAtGroup {
		return nil, errors.New("the stream's context means something else where the group is created")
	}
	errgroup := p.importName(pl, errgroupPath, stmt.Node().Pos())
	if errgroup == "" {
		return nil, errors.New("errgroup's import is not visible where the group is created")
	}
	p.names.Errgroup = errgroup
	return &groupCtx{name: pl.fresh(p, DefaultGroupCtx, stmt.Node().End()), create: stmt, parent: parent}, nil
}
