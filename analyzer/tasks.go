package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"slices"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// maxDepth is how many calls deep a task is followed into same-package
// helpers that it hands the stream to.
const maxDepth = 4

// taskScan gathers the blocking uses reached from one task.
type taskScan struct {
	c       *checker
	visited []ast.Node // functions scanned: a task reaches few
	root    ast.Node   // the task's own function
	rootFr  *frame     // and the frame it runs in
	uses    []*use
}

// usesOf returns the blocking stream calls reached from task, in order.
func (c *checker) usesOf(task *task) []*use {
	ts := &taskScan{c: c}
	arg := code.Unparen(task.fn)
	switch f := arg.Node().(type) {
	case *ast.FuncLit:
		fr := task.frame
		if task.spawned && len(task.call.Args) > 0 {
			// go func(s Stream) { ... }(stream): bind its parameters.
			fr = &frame{binds: make(map[types.Object]binding)}
			c.bindFields(fr, f.Type.Params, task.call.Args, task.frame)
		}
		ts.scanFunc(arg, fr, 0, nil, "")
	case *ast.Ident, *ast.SelectorExpr:
		if task.spawned {
			// go recvLoop(stream): the function runs with the call's arguments.
			if decl, fr := c.declOf(task.call, task.frame); decl.Valid() {
				ts.scanFunc(decl, fr, 0, nil, "")
			}
			break
		}
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
// return on the group's context (docs/rules.md#tasks).
func (ts *taskScan) scanFunc(fn inspector.Cursor, fr *frame, depth int, site ast.Node, via string) {
	if !fn.Valid() || slices.Contains(ts.visited, fn.Node()) {
		return
	}
	ts.visited = append(ts.visited, fn.Node())
	if depth == 0 {
		ts.root, ts.rootFr = fn.Node(), fr
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
			u.site, u.via, u.taskFunc, u.taskFrame = here, via, ts.root, ts.rootFr
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
	if !ok || !blockingName[sel.Sel.Name] {
		return nil // every way below ends in isBlocking, which asks the name
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
	} else if r := c.throughLocalInterface(sel, fr, call.Pos()); r != nil {
		ref, st = r, r.typ // serverStream.Receive() on the stream the caller passed
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
	ref.bidi, ref.typ = isConnectBidi(c.info, ref.kind, st, c.libraryOpening(ref.open)), st
	return &use{stream: ref, method: sel.Sel.Name, call: call, recv: types.ExprString(sel.X)}
}

// libraryOpening returns the library call behind a stream's opening:
// open itself, or, when open calls a same-package helper that returns
// the result of another call (`return c.CallServerStream(ctx, ...)`),
// that call, followed a few helpers deep; what the stream is (a v2
// server stream or bidi) depends on it.
func (c *checker) libraryOpening(open *ast.CallExpr) *ast.CallExpr {
	for range maxDepth {
		if open == nil {
			return nil
		}
		decl := c.funcDecl(code.StaticFunc(c.info, open))
		if !decl.Valid() {
			return open
		}
		var inner *ast.CallExpr
		for cur := range decl.Preorder((*ast.ReturnStmt)(nil)) {
			if ret := cur.Node().(*ast.ReturnStmt); len(ret.Results) > 0 && code.InnermostFunc(cur) == decl {
				result := ret.Results[0]
				if id := code.IdentOf(result); id != nil {
					// s, err := c.CallServerStream(...); return s
					if d := c.reaching(c.info.Uses[id], ret.Pos()); d != nil && d.rhs != nil {
						result = d.rhs
					}
				}
				if call, ok := ast.Unparen(result).(*ast.CallExpr); ok {
					inner = call
					break
				}
			}
		}
		if inner == nil {
			return open
		}
		open = inner
	}
	return open
}

// throughLocalInterface traces a method call on a value of an interface
// type of this package (`func recvAll(s serverStream)`, `s.Receive()`)
// to the stream the value holds, when the caller passed one whose
// opening is visible, and returns that stream if the method blocks on it
// (docs/rules.md#tracing-a-stream-to-its-opening); nil otherwise.
func (c *checker) throughLocalInterface(sel *ast.SelectorExpr, fr *frame, pos token.Pos) *streamRef {
	t := c.info.TypeOf(sel.X)
	if t == nil || !types.IsInterface(t) {
		return nil
	}
	if n := code.NamedOf(t); n == nil || n.Obj().Pkg() != c.pass.Pkg {
		return nil
	}
	probe := c.traceStream(sel.X, fr, pos, streamKind{}, 0)
	if probe == nil || probe.open == nil {
		return nil
	}
	st := c.info.TypeOf(probe.open)
	if tuple, ok := st.(*types.Tuple); ok && tuple.Len() > 0 {
		st = tuple.At(0).Type()
	}
	k := c.streamKind(st)
	if !k.ok() || !isBlocking(k, sel.Sel.Name) {
		return nil
	}
	probe.kind, probe.typ = k, st
	return probe
}

// concreteMethod returns, for a method call on a value of an interface
// type of this package (`s.Receive()`, s a serverStream), the method of
// the same-package type the value holds (`adapter := &streamAdapter{...}`
// passed as s), with its receiver bound to that value, so that the
// stream the type holds is traced; the zero Cursor otherwise.
func (c *checker) concreteMethod(call *ast.CallExpr, fr *frame) (inspector.Cursor, *frame) {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok {
		return inspector.Cursor{}, nil
	}
	t := c.info.TypeOf(sel.X)
	if t == nil || !types.IsInterface(t) {
		return inspector.Cursor{}, nil
	}
	if n := code.NamedOf(t); n == nil || n.Obj().Pkg() != c.pass.Pkg {
		return inspector.Cursor{}, nil
	}
	e, efr := ast.Expr(sel.X), fr
	for range maxHops {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			break
		}
		b, bound := efr.lookup(c.info.Uses[id])
		if !bound {
			break
		}
		e, efr = b.expr, b.fr
	}
	ct := c.info.TypeOf(e)
	if ct == nil || types.IsInterface(ct) {
		return inspector.Cursor{}, nil
	}
	obj, _, _ := types.LookupFieldOrMethod(ct, true, c.pass.Pkg, sel.Sel.Name)
	fn, ok := obj.(*types.Func)
	decl := c.funcDecl(fn)
	if !ok || !decl.Valid() || decl.Node().(*ast.FuncDecl).Recv == nil {
		return inspector.Cursor{}, nil
	}
	nf := &frame{binds: make(map[types.Object]binding)}
	c.bindFields(nf, decl.Node().(*ast.FuncDecl).Recv, []ast.Expr{e}, efr)
	c.bindFields(nf, decl.Node().(*ast.FuncDecl).Type.Params, call.Args, fr)
	return decl, nf
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
	fn := code.StaticFunc(c.info, call)
	if fn == nil {
		// A method of an interface, which a static call is not.
		if decl, cfr := c.concreteMethod(call, fr); decl.Valid() {
			return decl, cfr, decl.Node().(*ast.FuncDecl).Name.Name
		}
		return inspector.Cursor{}, nil, ""
	}
	// Most calls are to other packages: ask that first, before the types
	// of the arguments.
	if !c.funcDecl(fn).Valid() || !c.carriesStream(call) {
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
	named := code.NamedOf(t)
	if h, ok := c.holds[named]; ok && named != nil {
		return h // asked for every argument of every call a task makes
	}
	h := c.holdsStreamOf(t)
	if named != nil {
		c.holds[named] = h
	}
	return h
}

func (c *checker) holdsStreamOf(t types.Type) bool {
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

// returnedLits yields the function literals that the declaration at decl
// returns directly.
func returnedLits(decl inspector.Cursor) iter.Seq[inspector.Cursor] {
	return func(yield func(inspector.Cursor) bool) {
		decl.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.ReturnStmt)(nil)}, func(cur inspector.Cursor) bool {
			if _, ok := cur.Node().(*ast.FuncLit); ok {
				return false
			}
			for r := range cur.Children() {
				if r = code.Unparen(r); r.Valid() {
					if _, ok := r.Node().(*ast.FuncLit); ok && !yield(r) {
						return false
					}
				}
			}
			return true
		})
	}
}
