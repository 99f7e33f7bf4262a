package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A streamRef is a stream value as the group's function sees it.
type streamRef struct {
	kind   streamKind
	name   string        // how messages name it: "stream", "c.stream"
	key    any           // identity: the opening def, else the variable or field
	def    *def          // the def that made it, nil if not visible
	open   *ast.CallExpr // the call that opened it, nil if not visible
	ctxArg ast.Expr      // the context argument of open
	ctx    *ctxNode      // the stream's context, nil if not visible
	bidi   bool          // a connect-go bidi stream (isConnectBidi)
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
	// taskFunc is the function the task runs: a cancel deferred there
	// runs only once the task returns, too late to free it.
	taskFunc ast.Node
}

// streamName is how the diagnostic names the stream: as written where it
// is reported, or as the task knows it when reported at a helper call.
func (u *use) streamName() string {
	if u.site == ast.Node(u.call) {
		return u.recv
	}
	return u.stream.name
}

// maxHops bounds how many assignments, copies and parameter bindings a
// stream is traced through, so that ill-typed code (an initialisation
// cycle between package variables) cannot send the tracing round forever.
const maxHops = 32

// resolveStream traces the stream expression e, seen at pos in frame fr,
// back to the value the group's function holds. kind is the stream's.
func (c *checker) resolveStream(e ast.Expr, fr *frame, pos token.Pos, kind streamKind) *streamRef {
	return c.traceStream(e, fr, pos, kind, 0)
}

func (c *checker) traceStream(e ast.Expr, fr *frame, pos token.Pos, kind streamKind, hops int) *streamRef {
	if hops > maxHops {
		return nil
	}
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		obj := c.info.Uses[x]
		if obj == nil {
			return nil
		}
		if fr != nil {
			if b, ok := fr.binds[obj]; ok {
				return c.traceStream(b.expr, b.fr, b.expr.Pos(), kind, hops+1)
			}
		}
		d := c.reaching(obj, pos)
		if d == nil {
			return &streamRef{kind: kind, name: x.Name, key: obj}
		}
		if src := copied(d); src != nil {
			// s := in: the stream that in holds there (inside a followed
			// helper, the caller's, which only the frame knows).
			if ref := c.traceStream(src, fr, d.stmt.Node().Pos(), kind, hops+1); ref != nil {
				return ref
			}
		}
		return c.streamOfDef(d, kind)
	case *ast.SelectorExpr:
		sel := c.info.Selections[x]
		if sel == nil || sel.Kind() != types.FieldVal {
			return nil
		}
		if v := c.fieldValue(x.X, sel.Obj(), fr, pos); v != nil {
			if ref := c.traceStream(v.expr, v.fr, v.expr.Pos(), kind, hops+1); ref != nil {
				return ref
			}
		}
		return &streamRef{kind: kind, name: types.ExprString(x), key: sel.Obj()}
	}
	return nil
}

// fieldValue finds the value stored in field of x when x is traced to a
// local variable built by a composite literal `&T{f: v}` or assigned
// `x.f = v` before it is used.
func (c *checker) fieldValue(x ast.Expr, field types.Object, fr *frame, pos token.Pos) *binding {
	base, bfr, bpos := ast.Unparen(x), fr, pos
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
	if obj == nil {
		return nil
	}
	// x.f = v: the last such assignment before the use, after x exists.
	fds := c.defsBefore(field, bpos)
	for i := len(fds) - 1; i >= 0; i-- {
		d := fds[i]
		if within(d.top, obj.Pos()) && d.end <= obj.Pos() {
			break // before x was declared
		}
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
// and context when they are visible: the first context.Context argument
// of the call whose result it is (SPEC section 2).
func (c *checker) streamOfDef(d *def, kind streamKind) *streamRef {
	ref := &streamRef{kind: kind, name: types.ExprString(d.lhs), key: d, def: d}
	if call, ok := ast.Unparen(d.rhs).(*ast.CallExpr); ok {
		if arg := c.firstContextArg(call); arg != nil {
			ref.open, ref.ctxArg = call, arg
			ref.ctx = c.ctxAt(arg, call.Pos())
		}
	}
	return ref
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
		if t := c.info.TypeOf(a); t != nil && isContext(t) {
			return a
		}
	}
	return nil
}

// streamKind returns the stream kind of t under the checker's settings.
func (c *checker) streamKind(t types.Type) streamKind {
	return streamKindOf(t, c.settings.GRPC)
}

// responseCloser returns the method the remedy calls after the cancel
// on a connect-go stream (closer), when the stream's type has it: the
// cancel alone does not free a pending receive once the server has
// answered while the request side is open. "" otherwise.
func responseCloser(s *streamRef) string {
	name := closer(s.kind)
	if name == "" || s.def == nil {
		return ""
	}
	obj, _, _ := types.LookupFieldOrMethod(s.def.obj.Type(), true, nil, name)
	if fn, ok := obj.(*types.Func); ok && fn.Signature().Params().Len() == 0 {
		return name
	}
	return ""
}

// embeddedStream traces a stream whose method is promoted through an
// embedded field (`type conn struct{ chatv2.ChatServiceChatClientStream }`,
// then conn.Receive(), SPEC section 2): x is the value the method is
// called on and index the selection's path. It returns the embedded
// stream's kind and field, or a zero kind.
func (c *checker) embeddedStream(x ast.Expr, index []int) (streamKind, *types.Var) {
	t := c.info.TypeOf(x)
	var field *types.Var
	for _, i := range index[:len(index)-1] {
		if t == nil {
			return streamKind{}, nil
		}
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		s, ok := t.Underlying().(*types.Struct)
		if !ok || i >= s.NumFields() {
			return streamKind{}, nil
		}
		field = s.Field(i)
		t = field.Type()
		if k := c.streamKind(t); k.ok() {
			return k, field
		}
	}
	return streamKind{}, nil
}
