package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// A streamRef is a stream value as the group's function sees it
// (docs/rules.md#tracing-a-stream-to-its-opening). How much of it is known varies;
// each field says when it is set, and nothing else may be assumed.
type streamRef struct {
	kind streamKind
	// name is how messages name it: "stream", "c.stream", or the opening
	// call as written for a stream used where it is opened.
	name string
	// key is its identity: the assignment that stored it, else the
	// opening call, the variable or the field it was read from.
	key any
	// assign is the assignment that stored the stream in a variable or
	// field (the caller's, for a stream a constructor opened); nil when
	// the stream was received (a parameter, a field or a channel filled
	// elsewhere) or is used inside the expression that opens it.
	assign *assign
	// open is the call that opened the stream, and ctxArg its context
	// argument; both nil when the opening is not visible or takes no
	// context. ctx is the context value there: set exactly when ctxArg is.
	open   *ast.CallExpr
	ctxArg ast.Expr
	ctx    *ctxNode
	bidi   bool       // a connect-go bidi stream (isConnectBidi)
	typ    types.Type // the stream's type at the blocking call
}

// ctxKnown reports whether the stream's context is known: its opening is
// visible and takes a context.
func (s *streamRef) ctxKnown() bool { return s.ctx != nil }

// A use is a blocking call on a stream reached from a task.
type use struct {
	stream *streamRef
	method string
	call   *ast.CallExpr // the blocking call
	site   ast.Node      // where to report: the task's own call leading to it
	via    string        // the helper it was reached through, if any
	recv   string        // the stream as written at the blocking call
	// taskFunc is the function the task runs: a cancel deferred there
	// runs only once the task returns, too late to free it.
	taskFunc  ast.Node
	taskFrame *frame // what taskFunc's parameters and receiver are bound to
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
		return c.streamOfAssign(d, kind, fr, hops)
	case *ast.CallExpr:
		return c.streamOpenedBy(x, kind, fr)
	case *ast.IndexExpr:
		// streams["chat"]: a value put into the map or slice before, where
		// the container was filled (through a helper's parameter or a
		// field, the caller's).
		ce, cfr, cpos := c.holderOf(x.X, fr, pos)
		if v, ok := c.info.Uses[code.IdentOf(ce)].(*types.Var); ok {
			for _, e := range c.elemsOf(v) {
				if e.stmt.Node().Pos() < cpos && code.Within(e.top, cpos) {
					return c.traceStream(e.rhs, cfr, e.stmt.Node().Pos(), kind, hops+1)
				}
			}
		}
		return nil
	case *ast.SelectorExpr:
		sel := c.info.Selections[x]
		if sel == nil || sel.Kind() != types.FieldVal {
			return nil
		}
		if v := c.fieldValue(x.X, sel.Obj(), fr, pos); v != nil {
			if ref := c.traceStream(v.expr, v.fr, v.expr.Pos(), kind, hops+1); ref != nil {
				switch {
				case v.ctor != nil:
					ref = seenFromCaller(ref, x, v.ctor)
				case ref.assign == nil && v.holder != nil:
					ref = heldIn(ref, x, v.holder) // &session{stream: c.Chat(ctx)}
				}
				return ref
			}
		}
		return &streamRef{kind: kind, name: types.ExprString(x), key: sel.Obj()}
	}
	return nil
}

// streamOfAssign returns the stream that d assigns, with its opening call
// and context when they are visible (docs/rules.md#tracing-a-stream-to-its-opening).
// A stream received
// from a channel is the one sent on it in the same function (a task
// that opens it and hands it to a reader).
func (c *checker) streamOfAssign(d *assign, kind streamKind, fr *frame, hops int) *streamRef {
	if d.elem {
		if e := c.elemOf(d); e != nil {
			if ref := c.traceStream(e.rhs, fr, e.stmt.Node().Pos(), kind, hops+1); ref != nil {
				return ref
			}
		}
		return &streamRef{kind: kind, name: types.ExprString(d.lhs), key: d, assign: d}
	}
	switch rhs := ast.Unparen(d.rhs).(type) {
	case *ast.CallExpr:
		ref := c.streamOpenedBy(rhs, kind, fr)
		ref.name, ref.key, ref.assign = types.ExprString(d.lhs), d, d
		return ref
	case *ast.UnaryExpr:
		if sent, sfr := c.sentOn(rhs, d, fr); sent != nil {
			if ref := c.traceStream(sent.Value, sfr, sent.Pos(), kind, hops+1); ref != nil {
				return ref
			}
		}
	}
	return &streamRef{kind: kind, name: types.ExprString(d.lhs), key: d, assign: d}
}

// elemOf returns, for `for _, s := range xs`, the first value put into
// xs in the same function before the loop (streams collected in a loop,
// docs/rules.md#tracing-a-stream-to-its-opening). Streams collected together are taken to be
// opened alike.
func (c *checker) elemOf(d *assign) *assign {
	v, ok := c.info.ObjectOf(code.IdentOf(d.rhs)).(*types.Var)
	if !ok {
		return nil
	}
	for _, e := range c.elemsOf(v) {
		if code.Within(d.top, e.stmt.Node().Pos()) && e.end <= d.stmt.Node().Pos() {
			return e
		}
	}
	return nil
}

// streamOpenedBy returns the stream that call opens: its context is the
// call's first context.Context argument, the caller's expression when it
// is a parameter of a followed function.
func (c *checker) streamOpenedBy(call *ast.CallExpr, kind streamKind, fr *frame) *streamRef {
	ref := &streamRef{kind: kind, name: types.ExprString(call), key: call}
	arg := c.firstContextArg(call)
	if arg == nil {
		return ref
	}
	for range maxHops {
		if sel, ok := ast.Unparen(arg).(*ast.SelectorExpr); ok {
			// d.client.Chat(d.ctx): the context the caller stored in d.
			if s := c.info.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
				if v := c.fieldValue(sel.X, s.Obj(), fr, sel.Pos()); v != nil {
					arg, fr = v.expr, v.fr
					continue
				}
			}
			break
		}
		id, ok := ast.Unparen(arg).(*ast.Ident)
		if !ok {
			break
		}
		obj := c.info.Uses[id]
		if b, ok := fr.lookup(obj); ok {
			arg, fr = b.expr, b.fr
			continue
		}
		if given := c.callbackContext(obj); given != nil {
			arg = given
			continue
		}
		break
	}
	// A context derived in a followed function from one of its parameters
	// (recvTask(gctx, client) deriving sctx from its ctx) derives from
	// what the caller passed: the frame binds the parameters while the
	// context value is built.
	outer := c.bound
	c.bound = fr
	ctx := c.ctxAt(arg, arg.Pos())
	c.bound = outer
	if ctx != nil {
		ref.open, ref.ctxArg, ref.ctx = call, arg, ctx
	}
	return ref
}

// sentOn returns the send that d's `<-ch` receives: the one send on ch in
// d's function, or nil.
func (c *checker) sentOn(recv *ast.UnaryExpr, d *assign, fr *frame) (*ast.SendStmt, *frame) {
	if recv.Op != token.ARROW {
		return nil, nil
	}
	ce, cfr, cpos := c.holderOf(recv.X, fr, d.stmt.Node().Pos())
	v, _ := c.info.Uses[code.IdentOf(ce)].(*types.Var)
	top := c.topAt(cpos)
	var out *ast.SendStmt
	for _, send := range c.sendsOn(v) {
		if top == nil || !code.Within(top, send.Pos()) {
			continue
		}
		if out != nil {
			return nil, nil // several sends: which one is not known
		}
		out = send
	}
	return out, cfr
}

// holderOf follows an expression that holds streams (a channel, a map, a
// slice) through a followed helper's parameters and struct fields to the
// variable the caller filled, and returns it with its frame and a
// position in its function.
func (c *checker) holderOf(e ast.Expr, fr *frame, pos token.Pos) (ast.Expr, *frame, token.Pos) {
	for range maxHops {
		switch y := ast.Unparen(e).(type) {
		case *ast.Ident:
			b, ok := fr.lookup(c.info.Uses[y])
			if !ok {
				return e, fr, pos
			}
			e, fr, pos = b.expr, b.fr, b.expr.Pos()
		case *ast.SelectorExpr:
			sel := c.info.Selections[y]
			if sel == nil || sel.Kind() != types.FieldVal {
				return e, fr, pos
			}
			v := c.fieldValue(y.X, sel.Obj(), fr, pos)
			if v == nil {
				return e, fr, pos
			}
			e, fr, pos = v.expr, v.fr, v.expr.Pos()
		default:
			return e, fr, pos
		}
	}
	return e, fr, pos
}

// seenFromCaller returns the stream ref, opened in a same-package
// constructor, as the caller sees it: named as the task writes it
// (sess.stream), made by the caller's assignment, with the context the
// caller passes, so that the fix can act at the caller
// (docs/fixes.md#same-package-constructor).
func seenFromCaller(ref *streamRef, x ast.Expr, caller *assign) *streamRef {
	out := *ref
	out.name, out.assign = types.ExprString(x), caller
	if call, ok := ast.Unparen(caller.rhs).(*ast.CallExpr); ok && ref.open != nil {
		out.open = call
	}
	return &out
}

// heldIn returns the stream ref, opened inside the expression that
// stores it in a field (`s := &session{stream: c.Chat(ctx)}`, `s.stream =
// c.Chat(ctx)`), as the code names it: by the field it is read from,
// stored by holder.
func heldIn(ref *streamRef, x ast.Expr, holder *assign) *streamRef {
	out := *ref
	out.name, out.assign = types.ExprString(x), holder
	return &out
}

// copied returns the variable that d copies (s := in), or nil.
func copied(d *assign) *ast.Ident {
	id, ok := ast.Unparen(d.rhs).(*ast.Ident)
	if !ok || d.index != 0 || d.elem {
		return nil
	}
	return id
}

// streamKind returns the stream kind of t under the checker's settings.
func (c *checker) streamKind(t types.Type) streamKind {
	named := code.NamedOf(t)
	if named == nil {
		return streamKind{}
	}
	// Remembered per type: recognising a grpc-go stream looks up RecvMsg
	// in the method set, and the checks ask about the same few types at
	// every call they follow (bench/run.sh analysis, on grpc-go).
	k, ok := c.kinds[named]
	if !ok {
		k = streamKindOf(named, c.settings.GRPC)
		c.kinds[named] = k
	}
	return k
}

// responseCloser returns the method the remedy calls after the cancel
// on a connect-go stream (closer), when the stream's type has it: the
// cancel alone does not free a pending receive once the server has
// answered while the request side is open. "" otherwise.
func responseCloser(s *streamRef) string {
	name := closer(s.kind)
	if name == "" || s.typ == nil {
		return ""
	}
	obj, _, _ := types.LookupFieldOrMethod(s.typ, true, nil, name)
	if fn, ok := obj.(*types.Func); ok && fn.Signature().Params().Len() == 0 {
		return name
	}
	return ""
}

// embeddedStream traces a stream whose method is promoted through an
// embedded field (`type conn struct{ chatv2.ChatServiceChatClientStream }`,
// then conn.Receive(), docs/rules.md#tracing-a-stream-to-its-opening): x is the
// value the method is
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

// blockingOpen reports whether the call that opened s waits for the
// peer: a connect-go server stream's opening (v1 and v2 CallServerStream,
// and the generated methods and helpers that return its result) sends the
// request and waits for the response headers (docs/rules.md#streams; the
// opening rows of e2e/facts_test.go). grpc-go's returns at once.
func blockingOpen(s *streamRef) bool {
	if s.open == nil || s.typ == nil || s.kind.server {
		return false
	}
	switch s.kind.lib {
	case connectV1:
		return code.IsNamed(s.typ, connectV1Path, "ServerStreamForClient")
	case connectV2:
		return !s.bidi && code.HasMethod(s.typ, "Receive") && !code.HasMethod(s.typ, "CloseAndReceive")
	}
	return false
}
