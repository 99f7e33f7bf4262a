package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// paths says how the group's failure reaches a stream: the cancellation
// paths of docs/rules.md#cancellation-paths, found in the function that
// creates the group and the same-package functions it hands things to.
type paths struct {
	cancelled  bool // the stream's context is cancelled while the group works
	closed     bool // the stream's closer runs while the group works
	underGroup bool // the stream was opened under the group's context
	// lateForOpen: the stream's opening blocks, and the only cancel is
	// wired in the opening task after it, so it cannot free the opening
	// (docs/rules.md#cancellation-paths).
	lateForOpen bool
	// site is where a cancel that does not close runs: the func of a
	// context.AfterFunc or a watcher goroutine, to which a fix adds the
	// close; nil when there is none.
	site *cancelSite
}

// A cancelSite is a cancel func's reference inside the func that runs once
// the group's context is done.
type cancelSite struct {
	arg  ast.Expr         // the cancel func passed to context.AfterFunc itself, or nil
	call *ast.CallExpr    // that context.AfterFunc call
	stmt inspector.Cursor // else the statement that calls it in the func literal
	lit  *ast.FuncLit     // that literal
}

// frees reports whether the paths free a pending call on s. A cancel
// frees grpc-go streams and connect-go server and client streams; a
// connect-go bidi stream needs the cancel and the close
// (docs/rules.md#connect-go-bidi-streams-need-the-close);
// a connect-go v2 Close alone frees any other v2 stream, and, when the
// stream's context is not visible, any cancel func counts (the programmer
// has taken charge).
func (r paths) frees(s *streamRef) bool {
	closeFrees := r.closed && s.kind.lib == connectV2
	if s.ctxKnown() && s.bidi {
		return r.cancelled && r.closed
	}
	return r.cancelled || closeFrees
}

// pathsTo finds how the failure of g reaches the stream of u.
func (c *checker) pathsTo(u *use, g *group) paths {
	s := u.stream
	var r paths
	if s.ctxKnown() && g.failureCancels() && underGroup(s.ctx, g) {
		r.cancelled, r.underGroup = true, true
	}
	fn := g.outerFn()
	if !fn.Valid() {
		return r
	}
	lateAfter := token.NoPos // a cancel wired in the task after a blocking opening there is too late
	if blockingOpen(s) {
		switch {
		case code.Within(u.taskFunc, s.open.Pos()):
			lateAfter = s.open.End()
		case s.assign != nil && code.Within(u.taskFunc, s.assign.stmt.Node().Pos()):
			lateAfter = s.assign.stmt.Node().End() // s, err := open(sctx, client): a helper opens it
		}
	}
	cancelRef := func(ref inspector.Cursor) {
		if ok, site := c.runsWhileGroupWorks(ref, fn, g, u.taskFunc, u.stream); ok {
			if lateAfter.IsValid() && ref.Node().Pos() >= lateAfter && code.Within(u.taskFunc, ref.Node().Pos()) {
				r.lateForOpen = true
				return
			}
			r.cancelled = true
			if r.site == nil {
				r.site = site
			}
		}
	}
	// The cancel funcs that count: those of the stream's context when it is
	// visible, else any that does not cancel a context derived below it.
	var cancels []types.Object
	if s.ctxKnown() {
		for _, n := range cancelFuncs(s.ctx) {
			cancels = append(cancels, n.cancel)
		}
	}
	scopes := []inspector.Cursor{fn}
	if task, ok := c.cursorOf(u.taskFunc); ok && !fn.Contains(task) {
		// The blocked task is a function of its own (a method value,
		// g.Go(t.run)): a watcher or callback it starts counts too, its
		// receiver and parameters what the caller gave.
		scopes = append(scopes, task)
	}
	outer := c.bound
	defer func() { c.bound = outer }()
	for i, scope := range scopes {
		if i > 0 {
			c.bound = u.taskFrame
		}
		for cur := range scope.Preorder((*ast.Ident)(nil)) {
			v, ok := c.info.Uses[cur.Node().(*ast.Ident)].(*types.Var)
			switch {
			case !ok:
			case s.ctxKnown():
				if slices.Contains(cancels, types.Object(v)) {
					cancelRef(cur)
				}
			case isCancelFunc(v.Type()) && !c.cancelsNewContext(v, s):
				cancelRef(cur)
			}
		}
	}
	if name := closer(s.kind); name != "" {
		for cur := range fn.Preorder((*ast.SelectorExpr)(nil)) {
			if cur.Node().(*ast.SelectorExpr).Sel.Name != name {
				continue
			}
			ref := cur.ChildAt(edge.SelectorExpr_Sel, -1)
			if c.closesStream(ref, s) {
				if ok, _ := c.runsWhileGroupWorks(ref, fn, g, u.taskFunc, u.stream); ok {
					r.closed = true
				}
			}
		}
	}
	if !r.cancelled || !r.closed {
		c.pathsThroughHelpers(s, cancels, g, fn, u.taskFunc, &r)
	}
	return r
}

// cancelsNewContext reports whether v is the cancel func of a context
// that the package derives (`ctx, cancel := context.WithCancel(parent)`)
// while the stream s was not opened in the package: a stream received as
// a parameter or read from a field was opened before that context
// existed, so cancelling it cannot reach the stream (the cancel must be
// the stream's context's or an ancestor's,
// docs/rules.md#cancellation-paths).
func (c *checker) cancelsNewContext(v *types.Var, s *streamRef) bool {
	if s.assign != nil {
		return false
	}
	for _, d := range c.assignsOf(v) {
		if call, ok := ast.Unparen(d.rhs).(*ast.CallExpr); ok && d.index == 1 && code.FuncIn(c.info, call, contextPath) != nil {
			return true
		}
	}
	return false
}

// closesStream reports whether the selector x.M whose M is at ref is the
// closer of the stream s.
func (c *checker) closesStream(ref inspector.Cursor, s *streamRef) bool {
	sel := ref.Parent().Node().(*ast.SelectorExpr)
	k := c.streamKind(c.info.TypeOf(sel.X))
	if closer(k) != sel.Sel.Name {
		return false
	}
	r := c.resolveStream(sel.X, nil, sel.Pos(), k)
	return r != nil && r.key == s.key
}
