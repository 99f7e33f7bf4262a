package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
)

// A remedy is the one decision behind a diagnostic: what the user must do
// so that the group's failure reaches the stream (SPEC sections 3 and 5).
// The message (message.go) and the suggested fix (fix.go) are both
// rendered from it, so the words and the edits cannot disagree.
type remedy struct {
	use   *use
	group *group
	shape shape

	ctx       string // the stream's context as written; "" when not visible
	ctxIsName bool   // ctx is a variable or field, not a call
	gctx      string // the group's context as the wiring names it
	nameGctx  bool   // the group discards its context or has none: name it
	cancel    string // the cancel func the wiring calls
	derive    bool   // no cancel func of the stream's context: derive one
	cause     bool   // cancel is a CancelCauseFunc: pass the group's cause
	closer    string // the method that also frees a pending receive, or ""
	stream    string // how the wiring names the stream
	watcher   bool   // before Go 1.21: a goroutine instead of context.AfterFunc
	loop      bool   // the stream is opened once per iteration of a loop
	// swap is the context expression that the group's context replaces
	// (shape openUnderGroup): the opening call's, or the parent of the
	// per-iteration context that has the cancel func.
	swap ast.Expr
	// site is the func, run once the group's context is done, that
	// cancels the stream and that the close joins (shape addClose); nil
	// when the close is wired on its own.
	site *cancelSite

	fix *fixPlan // where the fix's lines go; nil when no fix is safe
}

// A shape is what the remedy can do, given what is visible (SPEC section 5).
type shape uint8

const (
	// wireCancel: the stream's context is visible; cancel it (and close
	// a connect-go stream) when the group's context is done.
	wireCancel shape = iota
	// closeStream: the context is not visible, but a connect-go v2
	// stream's Close frees it.
	closeStream
	// openerMustAct: the context is not visible; only the code that
	// opened the stream can cancel it.
	openerMustAct
	// noGroupContext: a zero-value group, and the stream's context is not
	// visible: nothing here can be wired.
	noGroupContext
	// addClose: a connect-go bidi stream whose context is cancelled when
	// the group's is, but which is not closed: cancelling frees nothing
	// once the server has answered (SPEC section 1). Add the close to
	// the func that cancels, or wire it on its own.
	addClose
	// openUnderGroup: the stream is opened once per loop iteration, where
	// a defer or a registration per iteration would pile up: open it
	// under the group's context instead (SPEC section 5, "No pile-up in
	// loops").
	openUnderGroup
)

// Placeholder names the remedy uses when it introduces a name and no fix
// chooses a free one.
const (
	placeholderCancel = "cancel"
	placeholderGctx   = "gctx"
)

// remedyFor decides the remedy for the first blocking use u of a stream
// in a task of g, and plans its fix.
func (c *checker) remedyFor(u *use, g *group, reach reach) *remedy {
	s := u.stream
	r := &remedy{
		use:     u,
		group:   g,
		gctx:    g.ctxName(),
		stream:  s.name,
		watcher: c.beforeAfterFunc(g.def.stmt.Node().Pos()),
	}
	if g.gctx == nil {
		r.gctx, r.nameGctx = placeholderGctx, true
	}
	switch {
	case s.visible() && s.bidi && reach.cancelled:
		r.shape = addClose
		r.ctx, r.ctxIsName = types.ExprString(s.ctxArg), isName(s.ctxArg)
		r.closer = closer(s.kind)
		if !reach.underGroup {
			if cs := cancelFuncs(s.ctx); len(cs) > 0 {
				r.cancel, r.cause = cs[0].cancel.Name(), cs[0].cause
			}
		}
		r.site = reach.site
	case !s.visible() && g.zero():
		r.shape = noGroupContext
	case !s.visible() && s.kind.lib == connectV2:
		r.shape, r.closer = closeStream, "Close"
	case !s.visible():
		r.shape = openerMustAct
	default:
		r.shape = wireCancel
		r.ctx, r.ctxIsName = types.ExprString(s.ctxArg), isName(s.ctxArg)
		if !blockingOpen(s) {
			// A server stream whose opening blocks is freed by the cancel,
			// opening and receive alike (e2e facts); the cancel is wired
			// before the opening, where the stream has no name yet.
			r.closer = responseCloser(s)
		}
		if cs := cancelFuncs(s.ctx); len(cs) > 0 {
			r.cancel, r.cause = cs[0].cancel.Name(), cs[0].cause
		} else {
			r.cancel, r.derive = placeholderCancel, true
		}
		if loop := c.iterationLoop(s, g); loop.Valid() {
			r.perIteration(loop)
		}
	}
	r.fix = c.planFix(r)
	return r
}

// beforeAfterFunc reports whether the file holding pos has a Go version
// before 1.21, which added context.AfterFunc. An unknown version is
// taken as current.
func (c *checker) beforeAfterFunc(pos token.Pos) bool {
	for _, f := range c.pass.Files {
		if within(f, pos) {
			v := c.info.FileVersions[f]
			return v != "" && version.Compare(v, "go1.21") < 0
		}
	}
	return false
}

// names are the names a remedy's code is written with: in the message,
// the names as the code has them, with placeholders for those the fix
// introduces; in the fix, the free names it chose.
type names struct {
	ctxPkg string // the file's name for package context
	cancel string
	gctx   string
}

// wordNames are the names the message uses.
func (r *remedy) wordNames() names {
	return names{ctxPkg: "context", cancel: r.cancel, gctx: r.gctx}
}

// calls is the body of the func that the wiring runs once the group's
// context is done: the cancel, then the close.
func (r *remedy) calls(n names) string {
	closing := r.closeCall()
	if r.shape == closeStream || r.shape == addClose && r.cancel == "" {
		return closing
	}
	call := n.cancel + "()"
	if r.cause {
		call = fmt.Sprintf("%s(%s.Cause(%s))", n.cancel, n.ctxPkg, n.gctx)
	}
	if r.closer != "" {
		call += "; " + closing
	}
	return call
}

// closeEach is the statement that closes a stream opened under the group
// in each iteration of a loop that starts a task per stream.
func (r *remedy) closeEach(ctxPkg, gctx string) string {
	return fmt.Sprintf("%s.AfterFunc(%s, func() { %s })", ctxPkg, gctx, r.closeCall())
}

// closeCall is the statement that closes the stream.
func (r *remedy) closeCall() string {
	return fmt.Sprintf("_ = %s.%s()", r.stream, r.closer)
}

// afterFunc is the func value the wiring runs: the cancel func itself
// when that is all it does, else a literal.
func (r *remedy) afterFunc(n names) string {
	if r.shape == wireCancel && !r.cause && r.closer == "" {
		return n.cancel
	}
	return "func() { " + r.calls(n) + " }"
}

// wiring is the statement that runs the remedy's calls once the group's
// context is done: context.AfterFunc, or before Go 1.21 a goroutine that
// waits on the context (SPEC section 5, shape 5).
func (r *remedy) wiring(n names) string {
	if r.watcher {
		return fmt.Sprintf("go func() { <-%s.Done(); %s }()", n.gctx, r.calls(n))
	}
	return fmt.Sprintf("%s.AfterFunc(%s, %s)", n.ctxPkg, n.gctx, r.afterFunc(n))
}
