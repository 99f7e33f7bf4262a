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
