package analyzer

// Following same-package functions: a task, a cancellation path or a
// stream's value can run through a helper, a method value, a local
// closure or a constructor (docs/rules.md#tasks). A frame binds the
// followed function's parameters to what its caller passed; a field
// read through one is the value its caller stored there.

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

// fieldValue finds the value stored in field of x when x is traced to a
// local variable built by a composite literal `&T{f: v}` or assigned
// `x.f = v` before it is used.
func (c *checker) fieldValue(x ast.Expr, field types.Object, fr *frame, pos token.Pos) *binding {
	base, bfr, bpos := ast.Unparen(x), fr, pos
	for {
		if sel, ok := base.(*ast.SelectorExpr); ok {
			// r.sess.stream: the value of r.sess first.
			inner := c.info.Selections[sel]
			if inner == nil || inner.Kind() != types.FieldVal {
				return nil
			}
			v := c.fieldValue(sel.X, inner.Obj(), bfr, bpos)
			if v == nil {
				return nil
			}
			value := ast.Unparen(v.expr)
			if u, ok := value.(*ast.UnaryExpr); ok && u.Op == token.AND {
				value = ast.Unparen(u.X)
			}
			if lit, ok := value.(*ast.CompositeLit); ok {
				if e := c.fieldIn(lit, field); e != nil {
					return &binding{expr: e, fr: v.fr, holder: v.holder}
				}
				return nil
			}
			base, bfr, bpos = value, v.fr, v.expr.Pos()
			continue
		}
		id, ok := base.(*ast.Ident)
		if !ok {
			return nil
		}
		obj := c.info.Uses[id]
		b, bound := binding{}, false
		if bfr != nil {
			b, bound = bfr.binds[obj]
		}
		if !bound {
			break
		}
		base, bfr, bpos = ast.Unparen(b.expr), b.fr, b.expr.Pos()
	}
	obj := c.info.Uses[base.(*ast.Ident)]
	if obj == nil {
		return nil
	}
	// x.f = v: the last such assignment before the use, after x exists.
	fds := c.assignsBefore(field, bpos)
	for i := len(fds) - 1; i >= 0; i-- {
		d := fds[i]
		if code.Within(d.top, obj.Pos()) && d.end <= obj.Pos() {
			break // before x was declared
		}
		if sel, ok := ast.Unparen(d.lhs).(*ast.SelectorExpr); ok && d.index == 0 && d.rhs != nil {
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && c.info.Uses[id] == obj {
				return &binding{expr: d.rhs, holder: d}
			}
		}
	}
	// x := &T{f: v}
	d := c.reaching(obj, bpos)
	if d == nil || d.index != 0 {
		return nil
	}
	rhs := ast.Unparen(d.rhs)
	if u, ok := rhs.(*ast.UnaryExpr); ok && u.Op == token.AND {
		rhs = ast.Unparen(u.X)
	}
	switch rhs := rhs.(type) {
	case *ast.CompositeLit:
		if v := c.fieldIn(rhs, field); v != nil {
			return &binding{expr: v, fr: bfr, holder: d}
		}
	case *ast.CallExpr:
		return c.constructedField(rhs, d, field, bfr)
	}
	return nil
}

// fieldIn returns the value a composite literal gives field, or nil.
func (c *checker) fieldIn(lit *ast.CompositeLit, field types.Object) ast.Expr {
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && c.info.Uses[k] == field {
				return kv.Value
			}
		}
	}
	return nil
}

// constructedField follows x := newSession(ctx, ...) into a same-package
// constructor and returns the value its return statement gives field
// (`return &session{stream: s}`), seen in the constructor's frame, with
// the caller's assignment (docs/rules.md#tracing-a-stream-to-its-opening: a
// same-package constructor opens the stream).
func (c *checker) constructedField(call *ast.CallExpr, d *assign, field types.Object, fr *frame) *binding {
	decl, cfr := c.declOf(call, fr)
	if !decl.Valid() {
		return nil
	}
	var out *binding
	decl.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.ReturnStmt)(nil)}, func(cur inspector.Cursor) bool {
		ret, ok := cur.Node().(*ast.ReturnStmt)
		if !ok || out != nil {
			return false // a nested literal's returns are not the constructor's
		}
		if d.index >= len(ret.Results) {
			return true
		}
		switch res := ast.Unparen(ret.Results[d.index]).(type) {
		case *ast.UnaryExpr:
			if lit, ok := ast.Unparen(res.X).(*ast.CompositeLit); ok && res.Op == token.AND {
				if v := c.fieldIn(lit, field); v != nil {
					out = &binding{expr: v, fr: cfr}
				}
			}
		case *ast.CompositeLit:
			if v := c.fieldIn(res, field); v != nil {
				out = &binding{expr: v, fr: cfr}
			}
		case *ast.Ident:
			out = c.fieldValue(res, field, cfr, ret.Pos())
		}
		return true
	})
	if out != nil {
		out.ctor = d
	}
	return out
}
