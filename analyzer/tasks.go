package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"slices"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/types/typeutil"
)

// maxDepth is how many calls deep a task is followed into same-package
// helpers that it hands the stream to.
const maxDepth = 4

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
	ctor *def // the caller's def, for a field a constructor returns
}

// taskScan gathers the blocking uses reached from one task.
type taskScan struct {
	c       *checker
	task    *goCall
	visited []ast.Node // functions scanned: a task reaches few
	root    ast.Node   // the task's own function
	uses    []*use
}

// usesOf returns the blocking stream calls reached from task, in order.
func (c *checker) usesOf(task *goCall) []*use {
	ts := &taskScan{c: c, task: task}
	arg := unparen(task.cur.ChildAt(edge.CallExpr_Args, 0))
	switch f := arg.Node().(type) {
	case *ast.FuncLit:
		ts.scanFunc(arg, task.frame, 0, nil, "")
	case *ast.Ident, *ast.SelectorExpr:
		if fn, fr := c.funcValue(f.(ast.Expr), task.frame, task.call.Pos()); fn.Valid() {
			ts.scanFunc(fn, fr, 0, nil, "")
		}
	case *ast.CallExpr:
		// g.Go(c.recv(stream)): a same-package call that returns a literal.
		decl, fr := c.declOf(f, task.frame)
		if !decl.Valid() {
			break
		}
		for lit := range returnedLits(decl) {
			ts.scanFunc(lit, fr, 0, nil, "")
		}
	}
	return ts.uses
}

// scanFunc scans the function (literal or declaration) at fn. site is
// the task's own call through which fn was reached (nil for the task
// itself) and via names the helper. A goroutine that the task starts is
// not scanned: its blocking calls do not block the task, which can
// return on the group's context (SPEC section 2, "Tasks").
func (ts *taskScan) scanFunc(fn inspector.Cursor, fr *frame, depth int, site ast.Node, via string) {
	if !fn.Valid() || slices.Contains(ts.visited, fn.Node()) {
		return
	}
	ts.visited = append(ts.visited, fn.Node())
	if depth == 0 {
		ts.root = fn.Node()
	}
	fn.Inspect([]ast.Node{(*ast.CallExpr)(nil), (*ast.GoStmt)(nil)}, func(cc inspector.Cursor) bool {
		call, ok := cc.Node().(*ast.CallExpr)
		if !ok {
			return false // a go statement
		}
		here := site
		if here == nil {
			here = call
		}
		if u := ts.blocking(call, fr); u != nil {
			u.site, u.via, u.taskFunc = here, via, ts.root
			ts.uses = append(ts.uses, u)
			return true
		}
		if depth+1 < maxDepth {
			if body, cfr, name := ts.helper(call, fr); body.Valid() {
				v := via
				if v == "" {
					v = name
				}
				ts.scanFunc(body, cfr, depth+1, here, v)
			}
		}
		return true
	})
}

// blocking returns the use if call is a blocking method call on a stream.
func (ts *taskScan) blocking(call *ast.CallExpr, fr *frame) *use {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return nil
	}
	selection := ts.c.info.Selections[sel]
	if selection == nil || selection.Kind() != types.MethodVal {
		return nil
	}
	c := ts.c
	var ref *streamRef
	st := c.info.TypeOf(sel.X) // the stream's type
	if k := c.streamKind(st); k.ok() {
		if !isBlocking(k, sel.Sel.Name) {
			return nil
		}
		ref = c.resolveStream(sel.X, fr, call.Pos(), k)
	} else if k, field := c.embeddedStream(sel.X, selection.Index()); k.ok() && isBlocking(k, sel.Sel.Name) {
		st = field.Type()
		ref = &streamRef{kind: k, name: types.ExprString(sel.X) + "." + field.Name(), key: field}
		if v := c.fieldValue(sel.X, field, fr, call.Pos()); v != nil {
			if r := c.traceStream(v.expr, v.fr, v.expr.Pos(), k, 1); r != nil {
				ref = r
			}
		}
	}
	if ref == nil {
		return nil
	}
	ref.bidi, ref.typ = isConnectBidi(c.info, ref.kind, st, ref.open), st
	return &use{stream: ref, method: sel.Sel.Name, call: call, recv: types.ExprString(sel.X), task: ts.task}
}

// helper returns the same-package function that call invokes with a
// stream (as an argument, the receiver, or captured by a local closure),
// the frame binding its parameters, and its name.
func (ts *taskScan) helper(call *ast.CallExpr, fr *frame) (inspector.Cursor, *frame, string) {
	c := ts.c
	// A local closure: it sees the stream it captured.
	if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok {
		if v, ok := c.info.Uses[id].(*types.Var); ok {
			if lit := c.funcLitOf(v, call.Pos()); lit.Valid() {
				return lit, fr, id.Name
			}
			return inspector.Cursor{}, nil, ""
		}
	}
	if !c.carriesStream(call) {
		return inspector.Cursor{}, nil, ""
	}
	decl, cfr := c.declOf(call, fr)
	if !decl.Valid() {
		return inspector.Cursor{}, nil, ""
	}
	return decl, cfr, decl.Node().(*ast.FuncDecl).Name.Name
}

// carriesStream reports whether a call passes a stream, or a value that
// holds one, as an argument or receiver.
func (c *checker) carriesStream(call *ast.CallExpr) bool {
	holds := func(e ast.Expr) bool {
		t := c.info.TypeOf(e)
		return t != nil && (c.streamKind(t).ok() || c.holdsStream(t))
	}
	for _, a := range call.Args {
		if holds(a) {
			return true
		}
	}
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := c.info.Selections[sel]; s != nil && s.Kind() == types.MethodVal {
			return holds(sel.X)
		}
	}
	return false
}

// holdsStream reports whether t is a struct, or a pointer to one, with a
// field of stream type, so that a helper reading `c.stream` can be
// traced to the stream put there.
func (c *checker) holdsStream(t types.Type) bool {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	s, ok := t.Underlying().(*types.Struct)
	if !ok {
		return false
	}
	for f := range s.Fields() {
		if c.streamKind(f.Type()).ok() {
			return true
		}
	}
	return false
}

// declOf returns the declaration of the same-package function or method
// that call invokes, and a frame binding its receiver and parameters to
// the call's expressions.
func (c *checker) declOf(call *ast.CallExpr, fr *frame) (inspector.Cursor, *frame) {
	cur := c.funcDecl(staticFunc(c.info, call))
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
	if rhs := unparen(d.rhsCursor()); rhs.Valid() {
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

// staticFunc returns the function that call invokes statically, or nil.
// A method expression T.M(x) is left out: its receiver is an argument.
func staticFunc(info *types.Info, call *ast.CallExpr) *types.Func {
	if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
		if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
			return nil
		}
	}
	return typeutil.StaticCallee(info, call)
}

// funcDecl returns the declaration of fn if it is in the package being
// analysed.
func (c *checker) funcDecl(fn *types.Func) inspector.Cursor {
	if fn == nil || fn.Pkg() != c.pass.Pkg {
		return inspector.Cursor{}
	}
	return c.decls[fn.Origin()]
}

// returnedLits yields the function literals that the declaration at decl
// returns directly.
func returnedLits(decl inspector.Cursor) iter.Seq[inspector.Cursor] {
	return func(yield func(inspector.Cursor) bool) {
		decl.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.ReturnStmt)(nil)}, func(cur inspector.Cursor) bool {
			if _, ok := cur.Node().(*ast.FuncLit); ok {
				return false
			}
			for r := range cur.Children() {
				if r = unparen(r); r.Valid() {
					if _, ok := r.Node().(*ast.FuncLit); ok && !yield(r) {
						return false
					}
				}
			}
			return true
		})
	}
}

// unparen returns the cursor of the expression inside any parentheses.
func unparen(cur inspector.Cursor) inspector.Cursor {
	for cur.Valid() {
		if _, ok := cur.Node().(*ast.ParenExpr); !ok {
			break
		}
		cur = cur.ChildAt(edge.ParenExpr_X, -1)
	}
	return cur
}

// outermostFunc returns the outermost function declaration or literal
// that encloses cur: the function whose body holds a group and its
// tasks.
func outermostFunc(cur inspector.Cursor) inspector.Cursor {
	var out inspector.Cursor
	for p := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		out = p
	}
	return out
}

// innermostFunc returns the function declaration or literal that most
// closely encloses cur.
func innermostFunc(cur inspector.Cursor) inspector.Cursor {
	for p := range cur.Enclosing((*ast.FuncDecl)(nil), (*ast.FuncLit)(nil)) {
		return p
	}
	return inspector.Cursor{}
}
