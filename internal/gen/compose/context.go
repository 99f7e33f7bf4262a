package compose

import (
	"slices"
)

// prepareCtx writes the derivation of the stream's context (unless it is
// the task's, which derives it from e.ctx) and sets e.ctx to the opening
// call's context argument.
func (e *emitter) prepareCtx() {
	d := e.d
	wrap, step := d[DWrap] != wrapNone, d[DStep] != stepNone
	c := e.baseExpr()
	if wrap && (!step || d[DWrapOuter] == 0) {
		c = e.assignWrapped(e.wrap(c))
	}
	if d[DDerive] == deriveTask {
		e.ctx = c
		return
	}
	if step {
		c = e.derive(e.w, c, e.use)
	}
	if wrap && step && d[DWrapOuter] == 1 {
		c = e.assignWrapped(e.wrap(c))
	}
	e.ctx = c
}

// assignWrapped writes `octx := <c>` unless the wrapper is written inline.
func (e *emitter) assignWrapped(c ctxExpr) ctxExpr {
	if e.d[DInline] == 1 {
		return c
	}
	e.w.p("octx := %s", c.text(e.use(c.v)))
	e.vars["octx"] = c.val()
	e.declare("octx", "context.Context")
	return varExpr(e, "octx")
}

func varExpr(e *emitter, v string) ctxExpr {
	return ctxExpr{v: v, text: func(ref string) string { return ref }, val: func() *ctxVal { return e.vars[v] }}
}

// baseExpr is the context the stream's context starts from.
func (e *emitter) baseExpr() ctxExpr {
	switch e.d[DBase] {
	case baseGroup:
		return varExpr(e, e.gctxName)
	case baseBackground:
		bg := &ctxVal{name: "context.Background()", step: stepRoot}
		return ctxExpr{text: func(string) string { return "context.Background()" }, val: func() *ctxVal { return bg }}
	}
	return varExpr(e, "ctx")
}

// wrap applies the wrapper dimension around c.
func (e *emitter) wrap(c ctxExpr) ctxExpr {
	var f func(string) string
	switch e.d[DWrap] {
	case wrapMetadata:
		f = func(s string) string { return "metadata.AppendToOutgoingContext(" + s + `, "k", "v")` }
	case wrapHelper:
		name := e.name("withTrace")
		if !slices.Contains(e.names, name) {
			e.decl(name, "// %s carries a trace ID.\nfunc %s(ctx context.Context) context.Context {\nreturn context.WithValue(ctx, ctxKey{}, \"trace\")\n}\n", name, name)
		}
		f = func(s string) string { return name + "(" + s + ")" }
	case wrapWithValue:
		f = func(s string) string { return "context.WithValue(" + s + `, ctxKey{}, "v")` }
	}
	var val *ctxVal
	return ctxExpr{
		v:    c.v,
		text: func(ref string) string { return f(c.text(ref)) },
		val: func() *ctxVal {
			if val == nil {
				val = derived("a wrapped context", c.val(), stepValue)
			}
			return val
		},
	}
}

// derive writes `sctx, cancel := context.WithXxx(<c>)` (or WithoutCancel)
// into w, ref rendering c's variable, and returns sctx.
func (e *emitter) derive(w *writer, c ctxExpr, ref func(string) string) ctxExpr {
	text := c.text(ref(c.v))
	parent := c.val()
	switch e.d[DStep] {
	case stepWithoutCancel:
		w.p("sctx := context.WithoutCancel(%s)", text)
		e.vars["sctx"] = derived("sctx", parent, stepCut)
	case stepWithCancel:
		w.p("sctx, cancel := context.WithCancel(%s)", text)
		w.p("defer cancel()")
	case stepWithTimeout:
		w.p("sctx, cancel := context.WithTimeout(%s, time.Minute)", text)
		w.p("defer cancel()")
	case stepWithCancelCause:
		w.p("sctx, cancel := context.WithCancelCause(%s)", text)
		w.p("defer cancel(nil)")
	}
	if e.d[DStep] != stepWithoutCancel {
		e.vars["sctx"] = derived("sctx", parent, stepCancel)
		e.cancel, e.cancelVal = "cancel", e.vars["sctx"]
		if w == e.w {
			e.locals["cancel"] = &local{typ: e.cancelType(), used: true}
		}
	}
	if w == e.w {
		e.declare("sctx", "context.Context")
	}
	e.derived = true
	return varExpr(e, "sctx")
}
