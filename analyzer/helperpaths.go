package analyzer

// Cancellation paths that run through same-package functions: a method
// value or helper given to context.AfterFunc, a helper that registers the
// cancel or close, a watcher started through a helper
// (docs/rules.md#cancellation-paths).

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// pathsThroughHelpers adds the paths that same-package functions make
// (docs/rules.md#cancellation-paths): context.AfterFunc(gctx, sess.Stop)
// where Stop cancels
// the stream's context or closes the stream, and a helper given the
// group's context that registers such a func (closeOnDone(gctx, stream)).
// cancels are the cancel funcs of the stream's context; task is the
// blocked task's function, which pathsTo searches itself.
func (c *checker) pathsThroughHelpers(s *streamRef, cancels []types.Object, g *group, fn inspector.Cursor, task ast.Node, r *paths) {
	if !g.failureCancels() {
		return
	}
	e := effects{c: c, s: s, cancels: cancels}
	for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if c.isAfterFunc(call) {
			if _, lit := ast.Unparen(call.Args[1]).(*ast.FuncLit); !lit && c.onGroupContext(call, g, s) {
				if body, fr := c.funcValue(call.Args[1], nil, call.Pos()); body.Valid() {
					e.scan(body, fr, 0)
				}
			}
			continue
		}
		if decl, fr := c.declOf(call, nil); decl.Valid() && c.givesGroupContext(call, g) {
			if _, isGo := cur.Parent().Node().(*ast.GoStmt); isGo && c.watches(decl.Node().(*ast.FuncDecl).Body, fr, g) {
				e.scan(decl, fr, 0) // go supervise(gctx, cancel): the helper is the watcher
				continue
			}
			for inner := range decl.Preorder((*ast.CallExpr)(nil)) {
				reg := inner.Node().(*ast.CallExpr)
				if code.Within(task, reg.Pos()) {
					continue // the blocked task's own literal: pathsTo has searched it, in order
				}
				if lit, ok := ast.Unparen(reg.Fun).(*ast.FuncLit); ok && c.watches(lit.Body, fr, g) {
					if _, isGo := inner.Parent().Node().(*ast.GoStmt); isGo {
						e.scan(inner.ChildAt(edge.CallExpr_Fun, -1), fr, 0) // a watcher goroutine
					}
					continue
				}
				if c.isAfterFunc(reg) && c.boundUnderGroup(reg.Args[0], fr, g) {
					if body, bfr := c.funcValue(reg.Args[1], fr, reg.Pos()); body.Valid() {
						e.scan(body, bfr, 0)
					} else if lit := code.Unparen(inner.ChildAt(edge.CallExpr_Args, 1)); lit.Valid() {
						e.scan(lit, fr, 0)
					}
				}
			}
		}
	}
	r.cancelled = r.cancelled || e.cancelled
	r.closed = r.closed || e.closed
}

// watches reports whether body, inside a helper whose parameters fr
// binds, waits for g's context to be done (<-ctx.Done()).
func (c *checker) watches(body *ast.BlockStmt, fr *frame, g *group) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if u, ok := n.(*ast.UnaryExpr); ok && u.Op == token.ARROW {
			if call, ok := ast.Unparen(u.X).(*ast.CallExpr); ok {
				if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && sel.Sel.Name == "Done" && c.boundUnderGroup(sel.X, fr, g) {
					found = true
				}
			}
		}
		return !found
	})
	return found
}

// givesGroupContext reports whether call passes g's context (or one
// derived from it) as an argument.
func (c *checker) givesGroupContext(call *ast.CallExpr, g *group) bool {
	for _, a := range call.Args {
		if t := c.info.TypeOf(a); t != nil && isContext(t) && underGroup(c.ctxAt(a, call.Pos()), g) {
			return true
		}
	}
	return false
}

// boundUnderGroup reports whether e, inside a helper whose parameters fr
// binds, is g's context or derives from it.
func (c *checker) boundUnderGroup(e ast.Expr, fr *frame, g *group) bool {
	if id, ok := ast.Unparen(e).(*ast.Ident); ok && fr != nil {
		if b, ok := fr.binds[c.info.Uses[id]]; ok {
			return underGroup(c.ctxAt(b.expr, b.expr.Pos()), g)
		}
	}
	return false
}

// effects finds, in same-package functions, the calls that cancel the
// stream's context (one of cancels, or any cancel func when the
// context is not visible) or close the stream.
type effects struct {
	c                 *checker
	s                 *streamRef
	cancels           []types.Object
	cancelled, closed bool
}

// scan looks at the calls in fn, following same-package calls a few deep.
func (e *effects) scan(fn inspector.Cursor, fr *frame, depth int) {
	c := e.c
	for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if obj := c.calledVar(call.Fun, fr); obj != nil {
			if slices.Contains(e.cancels, obj) || !e.s.ctxKnown() && isCancelFunc(obj.Type()) {
				e.cancelled = true
			}
			continue
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			k := c.streamKind(c.info.TypeOf(sel.X))
			if k.ok() && closer(k) == sel.Sel.Name {
				if r := c.resolveStream(sel.X, fr, call.Pos(), k); r != nil && r.key == e.s.key {
					e.closed = true
				}
				continue
			}
		}
		if depth < maxDepth {
			if decl, cfr := c.declOf(call, fr); decl.Valid() {
				e.scan(decl, cfr, depth+1)
			}
		}
	}
}
