// Package code answers the structural and type questions about Go syntax
// that both the analysis and the fix planner of bidictxlint ask: where a
// node sits (its statement, function, loop), what a call calls, what a
// type is, and what a name denotes at a position. It holds no rule of
// its own.
package code

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// -- positions and syntax --

// Within reports whether pos is inside the node n.
func Within(n ast.Node, pos token.Pos) bool {
	return n.Pos() <= pos && pos < n.End()
}

// Unparen returns the cursor of the expression inside any parentheses.
func Unparen(cur inspector.Cursor) inspector.Cursor {
	for cur.Valid() {
		if _, ok := cur.Node().(*ast.ParenExpr); !ok {
			break
		}
		cur = cur.ChildAt(edge.ParenExpr_X, -1)
	}
	return cur
}

// IdentOf returns e as an identifier, or nil.
func IdentOf(e ast.Expr) *ast.Ident {
	id, _ := ast.Unparen(e).(*ast.Ident)
	return id
}

// OutermostFunc returns the outermost function declaration or literal
// that encloses cur.
func OutermostFunc(cur inspector.Cursor) inspector.Cursor {
	var out inspector.Cursor
	for p := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		out = p
	}
	return out
}

// InnermostFunc returns the function declaration or literal that most
// closely encloses cur (cur itself, if it is one).
func InnermostFunc(cur inspector.Cursor) inspector.Cursor {
	for p := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return p
	}
	return inspector.Cursor{}
}

// FuncType returns the type of the function declaration or literal at fn.
func FuncType(fn inspector.Cursor) *ast.FuncType {
	switch n := fn.Node().(type) {
	case *ast.FuncDecl:
		return n.Type
	case *ast.FuncLit:
		return n.Type
	}
	return nil
}

// StatementOf returns the statement that holds the assignment or var
// spec at cur: the assignment itself, or the declaration of a var spec.
func StatementOf(cur inspector.Cursor) inspector.Cursor {
	if _, ok := cur.Node().(*ast.ValueSpec); ok {
		cur = cur.Parent() // GenDecl
		if cur.Valid() {
			cur = cur.Parent() // DeclStmt
		}
	}
	return cur
}

// EnclosingStmt returns the innermost statement that holds cur and
// stands in a statement list, or the zero Cursor.
func EnclosingStmt(cur inspector.Cursor) inspector.Cursor {
	for p := cur; p.Valid(); p = p.Parent() {
		switch p.Node().(type) {
		case *ast.FuncLit, *ast.FuncDecl:
			return inspector.Cursor{}
		case ast.Stmt:
			if InStatementList(p) {
				return p
			}
		}
	}
	return inspector.Cursor{}
}

// InnermostIf returns the if statement that most closely encloses cur
// within its function, or false.
func InnermostIf(cur inspector.Cursor) (*ast.IfStmt, bool) {
	for p := range cur.Enclosing((*ast.IfStmt)(nil), (*ast.FuncLit)(nil), (*ast.FuncDecl)(nil)) {
		ifs, ok := p.Node().(*ast.IfStmt)
		return ifs, ok
	}
	return nil, false
}

// InStatementList reports whether the statement at cur stands in a
// statement list, where statements can be inserted before and after it.
func InStatementList(cur inspector.Cursor) bool {
	switch cur.ParentEdgeKind() {
	case edge.BlockStmt_List, edge.CaseClause_Body, edge.CommClause_Body:
		return true
	}
	return false
}

// LaterStmt returns whichever of a and b starts later.
func LaterStmt(a, b inspector.Cursor) inspector.Cursor {
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

// EnclosingLoop returns the innermost for or range statement around cur
// inside the function that holds cur, or the zero Cursor: a statement
// there runs once per iteration.
func EnclosingLoop(cur inspector.Cursor) inspector.Cursor {
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

// Assigned returns what the assignment or var spec at stmt assigns to.
func Assigned(stmt inspector.Cursor) []ast.Expr {
	switch st := stmt.Node().(type) {
	case *ast.AssignStmt:
		return st.Lhs
	case *ast.ValueSpec:
		lhs := make([]ast.Expr, len(st.Names))
		for i, n := range st.Names {
			lhs[i] = n
		}
		return lhs
	}
	return nil
}

// PastErrCheck returns the `if err != nil { ... }` that checks an error
// the assignment at stmt assigns, if one follows it; else stmt.
func PastErrCheck(info *types.Info, stmt inspector.Cursor) inspector.Cursor {
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
	if !ok || !IsNil(info, cond.Y) {
		return stmt
	}
	for _, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); ok && id.Name != "_" && info.ObjectOf(id) == info.Uses[x] {
			return next
		}
	}
	return stmt
}

// -- calls and types --

// StaticFunc returns the function that call invokes statically, or nil.
// A method expression T.M(x) is left out: its receiver is an argument.
func StaticFunc(info *types.Info, call *ast.CallExpr) *types.Func {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
			return nil
		}
	}
	return typeutil.StaticCallee(info, call)
}

// FuncIn returns the function or method that call invokes when it
// belongs to package path, or nil.
func FuncIn(info *types.Info, call *ast.CallExpr, path string) *types.Func {
	fn, _ := typeutil.Callee(info, call).(*types.Func)
	if fn == nil || fn.Pkg() == nil || fn.Pkg().Path() != path {
		return nil
	}
	return fn
}

// IsNil reports whether e is the predeclared nil.
func IsNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := info.Uses[id].(*types.Nil)
	return isNil
}

// IsBuiltin reports whether call calls the builtin called name.
func IsBuiltin(info *types.Info, call *ast.CallExpr, name string) bool {
	id, ok := ast.Unparen(call.Fun).(*ast.Ident)
	if !ok {
		return false
	}
	b, ok := info.Uses[id].(*types.Builtin)
	return ok && b.Name() == name
}

// NamedOf returns the named type that t is, after aliases and one
// pointer, or nil.
func NamedOf(t types.Type) *types.Named {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	n, _ := t.(*types.Named)
	return n
}

// NamedIn returns the name of t (after aliases and one pointer) when it
// is a named type of package pkg, or "".
func NamedIn(t types.Type, pkg string) string {
	if n := NamedOf(t); n != nil && n.Obj().Pkg() != nil && n.Obj().Pkg().Path() == pkg {
		return n.Obj().Name()
	}
	return ""
}

// IsNamed reports whether t (after aliases and one pointer) is the named
// type pkg.name.
func IsNamed(t types.Type, pkg, name string) bool {
	return NamedIn(t, pkg) == name
}

// IsPointer reports whether t is a pointer type.
func IsPointer(t types.Type) bool {
	_, ok := types.Unalias(t).(*types.Pointer)
	return ok
}

// HasMethod reports whether t (or *t) has a method called name.
func HasMethod(t types.Type, name string) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name)
	_, ok := obj.(*types.Func)
	return ok
}

// -- scopes --

// ScopeAt returns the innermost scope at pos below scope, or scope.
func ScopeAt(scope *types.Scope, pos token.Pos) *types.Scope {
	if s := scope.Innermost(pos); s != nil {
		return s
	}
	return scope
}

// Denotes reports whether obj is what its name denotes at pos, looked up
// from scope.
func Denotes(scope *types.Scope, obj types.Object, pos token.Pos) bool {
	_, found := ScopeAt(scope, pos).LookupParent(obj.Name(), pos)
	return found == obj
}

// FuncScope returns the scope of the function at fn, or nil.
func FuncScope(info *types.Info, fn inspector.Cursor) *types.Scope {
	if ft := FuncType(fn); ft != nil {
		return info.Scopes[ft]
	}
	return nil
}
