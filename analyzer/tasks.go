package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"iter"
	"slices"
	"sort"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
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

type binding struct {
	expr ast.Expr
	fr   *frame
}

// A streamRef is a stream value as the group's function sees it.
type streamRef struct {
	kind   streamKind
	name   string        // how messages name it: "stream", "c.stream"
	key    any           // identity: the opening def, else the variable or field
	def    *def          // the def that made it, nil if not visible
	open   *ast.CallExpr // the call that opened it, nil if not visible
	ctxArg ast.Expr      // the context argument of open
	ctx    *ctxNode      // the stream's context, nil if not visible
}

func (s *streamRef) visible() bool { return s.ctx != nil }

// A use is a blocking call on a stream reached from a task.
type use struct {
	stream *streamRef
	method string
	call   *ast.CallExpr // the blocking call
	site   ast.Node      // where to report: the task's own call leading to it
	via    string        // the helper it was reached through, if any
	recv   string        // the stream as written at the blocking call
	task   *goCall
}

// streamName is how the diagnostic names the stream: as written where it
// is reported, or as the task knows it when reported at a helper call.
func (u *use) streamName() string {
	if u.site == ast.Node(u.call) {
		return u.recv
	}
	return u.stream.name
}

// taskScan gathers the blocking uses reached from one task.
type taskScan struct {
	c       *checker
	task    *goCall
	visited []ast.Node // functions scanned: a task reaches few
	uses    []*use
}

// usesOf returns the blocking stream calls reached from task, in order.
func (c *checker) usesOf(task *goCall) []*use {
	ts := &taskScan{c: c, task: task}
	arg := unparen(task.cur.ChildAt(edge.CallExpr_Args, 0))
	switch f := arg.Node().(type) {
	case *ast.FuncLit:
		ts.scanFunc(arg, nil, 0, nil, "")
	case *ast.Ident, *ast.SelectorExpr:
		if fn, fr := c.funcValue(f.(ast.Expr), nil, task.call.Pos()); fn.Valid() {
			ts.scanFunc(fn, fr, 0, nil, "")
		}
	case *ast.CallExpr:
		// g.Go(c.recv(stream)): a same-package call that returns a literal.
		decl, fr := c.declOf(f, nil)
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
// itself) and via names the helper.
func (ts *taskScan) scanFunc(fn inspector.Cursor, fr *frame, depth int, site ast.Node, via string) {
	if !fn.Valid() || slices.Contains(ts.visited, fn.Node()) {
		return
	}
	ts.visited = append(ts.visited, fn.Node())
	for cc := range fn.Preorder((*ast.CallExpr)(nil)) {
		call := cc.Node().(*ast.CallExpr)
		here := site
		if here == nil {
			here = call
		}
		if u := ts.blocking(call, fr); u != nil {
			u.site, u.via = here, via
			ts.uses = append(ts.uses, u)
			continue
		}
		if depth+1 >= maxDepth {
			continue
		}
		if body, cfr, name := ts.helper(call, fr); body.Valid() {
			v := via
			if v == "" {
				v = name
			}
			ts.scanFunc(body, cfr, depth+1, here, v)
		}
	}
}

// blocking returns the use if call is a blocking method call on a stream.
func (ts *taskScan) blocking(call *ast.CallExpr, fr *frame) *use {
	sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
	if !ok || !blockingNames[sel.Sel.Name] {
		return nil
	}
	k := ts.c.streams.kind(typeOf(ts.c.info, sel.X))
	if !isBlocking(k, sel.Sel.Name) {
		return nil
	}
	if s := ts.c.info.Selections[sel]; s == nil || s.Kind() != types.MethodVal {
		return nil
	}
	ref := ts.c.resolveStream(sel.X, fr, call.Pos())
	if ref == nil {
		return nil
	}
	ref.kind = k
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
	// Only a same-package function can be followed; asking that first
	// spares the type lookups of carriesStream for calls into other
	// packages, which are most calls.
	if !c.funcDecl(staticFunc(c.info, call.Fun)).Valid() || !c.carriesStream(call) {
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
		t := typeOf(c.info, e)
		return t != nil && (c.streams.kind(t).ok() || c.tracked(t) && !isContext(t) && !isGroupType(t) && !isFunc(t))
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

func isFunc(t types.Type) bool {
	_, ok := t.Underlying().(*types.Signature)
	return ok
}

// declOf returns the declaration of the same-package function or method
// that call invokes, and a frame binding its receiver and parameters to
// the call's expressions.
func (c *checker) declOf(call *ast.CallExpr, fr *frame) (inspector.Cursor, *frame) {
	cur := c.funcDecl(staticFunc(c.info, call.Fun))
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

// staticFunc returns the function a call's Fun denotes, or nil: the
// callee (calleeFunc), except for a method expression T.M(x), whose
// receiver is an argument. Only a method needs Selections to tell.
func staticFunc(info *types.Info, fun ast.Expr) *types.Func {
	fn := calleeFunc(info, fun)
	if fn == nil || fn.Signature().Recv() == nil {
		return fn
	}
	sel, ok := ast.Unparen(fun).(*ast.SelectorExpr)
	if !ok {
		return fn
	}
	if s := info.Selections[sel]; s == nil || s.Kind() != types.MethodVal {
		return nil
	}
	return fn
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

// resolveStream traces the stream expression e, seen at pos in frame fr,
// back to the value the group's function holds.
func (c *checker) resolveStream(e ast.Expr, fr *frame, pos token.Pos) *streamRef {
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.Ident:
		obj := c.info.Uses[x]
		if obj == nil {
			return nil
		}
		if fr != nil {
			if b, ok := fr.binds[obj]; ok {
				return c.resolveStream(b.expr, b.fr, b.expr.Pos())
			}
		}
		d := c.reaching(obj, pos)
		if d == nil {
			return &streamRef{name: x.Name, key: obj}
		}
		if src := copied(d); src != nil && fr != nil {
			// s := param inside a followed helper: the copy is the
			// caller's stream, which only the frame knows.
			if ref := c.resolveStream(src, fr, d.stmt.Node().Pos()); ref != nil {
				return ref
			}
		}
		return c.streamOfDef(d)
	case *ast.SelectorExpr:
		sel := c.info.Selections[x]
		if sel == nil || sel.Kind() != types.FieldVal {
			return nil
		}
		if v := c.fieldValue(x, fr, pos); v != nil {
			if ref := c.resolveStream(v.expr, v.fr, v.expr.Pos()); ref != nil {
				return ref
			}
		}
		return &streamRef{name: c.text(x), key: sel.Obj()}
	}
	return nil
}

// fieldValue finds the value stored in field x.f when x is traced to a
// local variable built by a composite literal `&T{f: v}` or assigned
// `x.f = v` before it is used.
func (c *checker) fieldValue(x *ast.SelectorExpr, fr *frame, pos token.Pos) *binding {
	base, bfr, bpos := ast.Unparen(x.X), fr, pos
	for {
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
	field := c.info.Selections[x].Obj()
	// x.f = v: the last such assignment before the use, after x exists.
	fds := c.defsBefore(field, bpos)
	for i := sort.Search(len(fds), func(i int) bool { return c.cmpPos(fds[i].end, bpos) > 0 }) - 1; i >= 0 && c.cmpPos(fds[i].end, obj.Pos()) > 0; i-- {
		d := fds[i]
		if sel, ok := ast.Unparen(d.lhs).(*ast.SelectorExpr); ok && d.index == 0 && d.rhs != nil {
			if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && c.info.Uses[id] == obj {
				return &binding{expr: d.rhs}
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
	lit, ok := rhs.(*ast.CompositeLit)
	if !ok {
		return nil
	}
	for _, elt := range lit.Elts {
		if kv, ok := elt.(*ast.KeyValueExpr); ok {
			if k, ok := kv.Key.(*ast.Ident); ok && c.info.Uses[k] == field {
				return &binding{expr: kv.Value}
			}
		}
	}
	return nil
}

// streamOfDef returns the stream that d assigns, with its opening call
// and context when they are visible.
func (c *checker) streamOfDef(d *def) *streamRef {
	return d.stream.get(func() *streamRef {
		ref := &streamRef{name: c.text(d.lhs), key: d, def: d}
		d.stream.set(ref) // a cycle (s = s in a loop) ends at d itself
		if src := copied(d); src != nil {
			if from := c.resolveStream(src, nil, d.stmt.Node().Pos()); from != nil {
				return from
			}
		} else if call, ok := ast.Unparen(d.rhs).(*ast.CallExpr); ok {
			if arg := c.firstContextArg(call); arg != nil {
				ref.open, ref.ctxArg = call, arg
				ref.ctx = c.ctxAt(arg, call.Pos())
			}
		}
		return ref
	})
}

// copied returns the variable that d copies (s := in), or nil.
func copied(d *def) *ast.Ident {
	id, ok := ast.Unparen(d.rhs).(*ast.Ident)
	if !ok || d.index != 0 {
		return nil
	}
	return id
}

// firstContextArg returns the first argument of call whose type is
// context.Context.
func (c *checker) firstContextArg(call *ast.CallExpr) ast.Expr {
	for _, a := range call.Args {
		if t := typeOf(c.info, a); t != nil && isContext(t) {
			return a
		}
	}
	return nil
}

// enclosingFunc returns the outermost function declaration or literal
// that encloses cur.
func enclosingFunc(cur inspector.Cursor) inspector.Cursor {
	var out inspector.Cursor
	for p := cur; p.Node() != nil; p = p.Parent() {
		if isFuncNode(p.Node()) {
			out = p
		}
	}
	return out
}

// innermostFunc returns the function declaration or literal that most
// closely encloses cur.
func innermostFunc(cur inspector.Cursor) inspector.Cursor {
	for p := cur; p.Node() != nil; p = p.Parent() {
		if isFuncNode(p.Node()) {
			return p
		}
	}
	return inspector.Cursor{}
}

// isFuncNode reports whether n is a function declaration or literal.
// The walks up the tree test it by hand rather than through
// Cursor.Enclosing, whose iterator allocates on every call.
func isFuncNode(n ast.Node) bool {
	switch n.(type) {
	case *ast.FuncDecl, *ast.FuncLit:
		return true
	}
	return false
}
