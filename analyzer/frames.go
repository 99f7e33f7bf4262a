package analyzer

// Following same-package functions: a task, a cancellation path or a
// stream's value can run through a helper, a method value, a local
// closure or a constructor (docs/rules.md#tasks). A frame binds the
// followed function's parameters to what its caller passed.

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// A frame binds the parameters (and receiver) of a followed helper to the
// expressions its caller passed, so that a stream named `s` inside the
// helper is traced back to the variable the task holds.
type frame struct {
	binds map[types.Object]binding
}

// lookup returns the binding of obj in fr, if fr binds it.
func (fr *frame) lookup(obj types.Object) (binding, bool) {
	if fr == nil {
		return binding{}, false
	}
	b, ok := fr.binds[obj]
	return b, ok
}

type binding struct {
	expr ast.Expr
	fr   *frame
	ctor *assign // the caller's assignment, for a field a constructor returns
	// holder is the assignment that stored the value in a field of a
	// local variable (x := &T{f: v}, x.f = v).
	holder *assign
}

// declOf returns the declaration of the same-package function or method
// that call invokes, and a frame binding its receiver and parameters to
// the call's expressions.
func (c *checker) declOf(call *ast.CallExpr, fr *frame) (inspector.Cursor, *frame) {
	cur := c.funcDecl(code.StaticFunc(c.info, call))
	if !cur.Valid() {
		return cur, nil
	}
	decl := cur.Node().(*ast.FuncDecl)
	nf := &frame{binds: make(map[types.Object]binding)}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && decl.Recv != nil {
		c.bindFields(nf, decl.Recv, []ast.Expr{sel.X}, fr)
	}
	c.bindFields(nf, decl.Type.Params, call.Args, fr)
	return cur, nf
}

// funcValue returns the function that a function-valued expression
// denotes: a local variable holding a literal, a same-package function,
// or a method value (whose receiver it binds).
func (c *checker) funcValue(e ast.Expr, fr *frame, pos token.Pos) (inspector.Cursor, *frame) {
	switch f := ast.Unparen(e).(type) {
	case *ast.Ident:
		switch obj := c.info.Uses[f].(type) {
		case *types.Var:
			return c.funcLitOf(obj, pos), fr
		case *types.Func:
			return c.funcDecl(obj), nil
		}
	case *ast.SelectorExpr:
		sel := c.info.Selections[f]
		if sel == nil || sel.Kind() != types.MethodVal {
			if fn, ok := c.info.Uses[f.Sel].(*types.Func); ok { // pkg.F
				return c.funcDecl(fn), nil
			}
			return inspector.Cursor{}, nil
		}
		fn, _ := sel.Obj().(*types.Func)
		cur := c.funcDecl(fn)
		if !cur.Valid() || cur.Node().(*ast.FuncDecl).Recv == nil {
			return inspector.Cursor{}, nil
		}
		nf := &frame{binds: make(map[types.Object]binding)}
		c.bindFields(nf, cur.Node().(*ast.FuncDecl).Recv, []ast.Expr{f.X}, fr)
		return cur, nf
	}
	return inspector.Cursor{}, nil
}

// funcLitOf returns the function literal that variable v holds at pos.
func (c *checker) funcLitOf(v *types.Var, pos token.Pos) inspector.Cursor {
	d := c.reaching(v, pos)
	if d == nil {
		return inspector.Cursor{}
	}
	if rhs := code.Unparen(d.rhsCursor()); rhs.Valid() {
		if _, ok := rhs.Node().(*ast.FuncLit); ok && d.index == 0 {
			return rhs
		}
	}
	return inspector.Cursor{}
}

// bindFields binds the names of a parameter list to args.
func (c *checker) bindFields(nf *frame, fields *ast.FieldList, args []ast.Expr, fr *frame) {
	if fields == nil {
		return
	}
	i := 0
	for _, f := range fields.List {
		if len(f.Names) == 0 {
			i++
			continue
		}
		for _, name := range f.Names {
			if i < len(args) {
				if obj := c.info.Defs[name]; obj != nil {
					nf.binds[obj] = binding{expr: args[i], fr: fr}
				}
			}
			i++
		}
	}
}

// funcDecl returns the declaration of fn if it is in the package being
// analysed.
func (c *checker) funcDecl(fn *types.Func) inspector.Cursor {
	if fn == nil || fn.Pkg() != c.pass.Pkg {
		return inspector.Cursor{}
	}
	return c.decls[fn.Origin()]
}
