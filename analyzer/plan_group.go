package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
)

// planGroupCtx returns how the fix names g's context, or nil for no fix.
func (c *checker) planGroupCtx(p *fixPlan, s *streamRef, g *group) *groupCtx {
	if gc := c.fixes.groupCtxs[g]; gc != nil {
		return gc
	}
	if g.gctx != nil {
		return &groupCtx{name: g.gctx.obj.Name()}
	}
	stmt := statementOf(g.def.stmt)
	if !stmt.Valid() {
		return nil
	}
	if !g.zero() {
		// g, _ := errgroup.WithContext(ctx): name the context.
		as, ok := g.def.stmt.Node().(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 2 {
			return nil
		}
		return &groupCtx{name: p.fresh(c, placeholderGctx, as.End()), rename: as.Lhs[1]}
	}
	// A zero-value group: only when it is used through method calls alone.
	if !inStatementList(stmt) || !c.onlyMethodCalls(g) || !s.visible() {
		return nil
	}
	parent := types.ExprString(s.ctxArg)
	if w := p.wrap; w != nil && w.at.Node().Pos() <= stmt.Node().Pos() {
		parent = w.ctx
	} else if c.ctxAt(s.ctxArg, stmt.Node().Pos()) != s.ctx {
		return nil
	}
	errgroup := p.importName(c, errgroupPath, stmt.Node().Pos())
	if errgroup == "" {
		return nil
	}
	name := p.fresh(c, placeholderGctx, stmt.Node().End())
	return &groupCtx{
		name:   name,
		create: stmt,
		text:   fmt.Sprintf("%s, %s := %s.WithContext(%s)", g.name(), name, errgroup, parent),
	}
}

// onlyMethodCalls reports whether every use of the zero-value group g is
// a method call g.M(...), so that turning it into a *errgroup.Group
// changes nothing else, and g is declared alone in its statement.
func (c *checker) onlyMethodCalls(g *group) bool {
	switch n := g.def.stmt.Node().(type) {
	case *ast.ValueSpec:
		decl, ok := g.def.stmt.Parent().Node().(*ast.GenDecl)
		if !ok || len(decl.Specs) != 1 || len(n.Names) != 1 {
			return false
		}
	case *ast.AssignStmt:
		if len(n.Lhs) != 1 || n.Tok != token.DEFINE {
			return false
		}
	default:
		return false
	}
	obj := g.def.obj
	if len(c.defs[obj]) != 1 {
		return false
	}
	fn := outermostFunc(g.def.stmt)
	if !fn.Valid() {
		return false
	}
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		if c.info.Uses[cur.Node().(*ast.Ident)] != obj {
			continue
		}
		if cur.ParentEdgeKind() != edge.SelectorExpr_X || cur.Parent().ParentEdgeKind() != edge.CallExpr_Fun {
			return false
		}
	}
	return true
}
