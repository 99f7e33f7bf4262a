package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// pastErrCheck returns the `if err != nil { ... }` that checks the error
// stmt assigns, if one follows it, so that the wiring goes after it.
func (c *checker) pastErrCheck(stmt inspector.Cursor) inspector.Cursor {
	as, ok := stmt.Node().(*ast.AssignStmt)
	if !ok {
		return stmt
	}
	next, ok := stmt.NextSibling()
	if !ok {
		return stmt
	}
	ifs, ok := next.Node().(*ast.IfStmt)
	if !ok || ifs.Init != nil {
		return stmt
	}
	cond, ok := ifs.Cond.(*ast.BinaryExpr)
	if !ok || cond.Op != token.NEQ {
		return stmt
	}
	x, ok := cond.X.(*ast.Ident)
	if !ok || !c.isNil(cond.Y) {
		return stmt
	}
	for _, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); ok && id.Name != "_" && c.info.ObjectOf(id) == c.info.Uses[x] {
			return next
		}
	}
	return stmt
}

func (c *checker) isNil(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := c.info.Uses[id].(*types.Nil)
	return isNil
}

// statementOf returns the statement that holds the def at cur: the
// assignment itself, or the declaration of a var spec.
func statementOf(cur inspector.Cursor) inspector.Cursor {
	if _, ok := cur.Node().(*ast.ValueSpec); ok {
		cur = cur.Parent() // GenDecl
		if cur.Valid() {
			cur = cur.Parent() // DeclStmt
		}
	}
	return cur
}

// inStatementList reports whether the statement at cur stands in a
// statement list, where statements can be inserted before and after it.
func inStatementList(cur inspector.Cursor) bool {
	switch cur.ParentEdgeKind() {
	case edge.BlockStmt_List, edge.CaseClause_Body, edge.CommClause_Body:
		return true
	}
	return false
}

// laterStmt returns whichever of a and b starts later.
func laterStmt(a, b inspector.Cursor) inspector.Cursor {
	if !a.Valid() {
		return b
	}
	if !b.Valid() {
		return a
	}
	if b.Node().Pos() > a.Node().Pos() {
		return b
	}
	return a
}

// enclosingLoop returns the innermost for or range statement around cur
// inside the function that holds cur, or an invalid cursor: a statement
// there runs once per iteration.
func enclosingLoop(cur inspector.Cursor) inspector.Cursor {
	for p := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		switch p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			if p != cur {
				return p
			}
		default:
			return inspector.Cursor{}
		}
	}
	return inspector.Cursor{}
}

// pilesUp reports whether a context.AfterFunc at cur would register once
// per iteration of a loop that the group's creation is not in: each
// registration lives until the group's context is done (SPEC section 5,
// "No pile-up in loops"). A group made per iteration is done per
// iteration, and its registrations with it.
func pilesUp(cur, creation inspector.Cursor) bool {
	loop := enclosingLoop(cur)
	return loop.Valid() && !loop.Contains(creation)
}
