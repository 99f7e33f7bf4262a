package analyzer

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
	"github.com/bidictxlint/bidictxlint/analyzer/internal/fix"
)

// A finding is the decision behind one diagnostic: what is wrong, what
// the user must do, and what a fix must achieve (docs/rules.md). decide
// makes it whole; the planner and the renderer only read it.
type finding struct {
	kind   string // the kind of finding (docs/checks.md)
	use    *use
	group  *group
	remedy remedy

	ctx         string // the stream's context as written; "" when not visible
	ctxIsName   bool   // ctx is a variable or field, not a call
	reassigned  bool   // the stream was opened with ctx before ctx became the group's context
	lateForOpen bool   // the cancel is wired in the task only after the blocking opening
	stops       bool   // the function stops the tasks before it waits for them
	inTask      bool   // openUnderGroup for a stream opened in the task that uses it
	// fn is the function a leaking goroutine outlives, and ret its return
	// that leaves the stream open; method is a wrapper's closing method,
	// and stream the field it leaves open.
	fn     inspector.Cursor
	ret    ast.Node
	method *ast.FuncDecl
	stream string
	closer string // the method that also frees a pending call, or ""

	// spec is what the remedy's code does, for the message and the fix;
	// nil for remedies without code.
	spec *fix.Spec
	// noFix says why no fix is offered even though the remedy has code;
	// "" when the planner may try.
	noFix string
}

// A remedy is what the user must do so that the group's failure reaches
// the stream (docs/fixes.md).
type remedy uint8

const (
	// wireCancel: the stream's context is visible; cancel it (and close
	// a connect-go stream) when the group's context is done.
	wireCancel remedy = iota
	// closeNotVisible: the context is not visible, but a connect-go v2
	// stream's Close frees it.
	closeNotVisible
	// openerMustAct: the context is not visible; only the code that
	// opened the stream can cancel it.
	openerMustAct
	// noGroupContext: a zero-value group, and the stream's context is not
	// visible: nothing here can be wired.
	noGroupContext
	// addClose: a connect-go bidi stream whose context the group's
	// failure cancels, but which nothing closes
	// (docs/rules.md#connect-go-bidi-streams-need-the-close).
	addClose
	// openUnderGroup: a stream opened once per loop iteration, where a
	// defer or a registration per iteration would pile up: open it under
	// the group's context instead (docs/fixes.md#no-pile-up-in-loops).
	openUnderGroup
	// reopenedInLoop: a connect-go bidi stream reopened in a loop inside a
	// task: its close, registered per attempt, would pile up; no fix.
	reopenedInLoop
	// stopAndCancel: a group without a context the tasks' failure
	// cancels (sync.WaitGroup, conc), and nothing cancels the stream's
	// context when the goroutines should stop; the stop decision is the
	// application's, so there is no fix (docs/rules.md#groups-without-a-context).
	stopAndCancel
	// cancelOnError: a conc ContextPool without WithCancelOnError, whose
	// context a failing task does not cancel; no fix.
	cancelOnError
	// poolContext: a ContextPool made WithCancelOnError, whose context
	// only its tasks receive: nothing in the function can wait on it, so
	// the stream must be opened, or cancelled, in a task; no fix.
	poolContext
	// leakOnReturn: a goroutine blocked on a connect-go bidi stream that
	// its function returns without closing
	// (docs/rules.md#goroutines-that-outlive-their-function).
	leakOnReturn
	// leakPerAttempt: leakOnReturn, for a stream opened once per attempt
	// of a loop, which must be closed before the next; no fix.
	leakPerAttempt
	// leakNeverCancelled: a goroutine blocked on a stream whose context
	// nothing can cancel; no fix.
	leakNeverCancelled
	// handlerChannel: a handler waits for its own receive, run in a
	// goroutine, by receiving the goroutine's result from a channel after
	// it has failed; no fix.
	handlerChannel
	// closeOnlyCancels: a wrapper's closing method cancels without closing
	// its connect-go bidi stream (docs/rules.md#wrappers-whose-close-only-cancels).
	closeOnlyCancels
)

// decide makes the finding for the first blocking use u of a stream in a
// task of g, which paths p do not free.
func (c *checker) decide(u *use, g *group, p paths) *finding {
	s := u.stream
	f := &finding{use: u, group: g, kind: kindUncancelledStream, lateForOpen: p.lateForOpen}
	if s.ctxKnown() {
		f.ctx, f.ctxIsName = types.ExprString(s.ctxArg), isName(s.ctxArg)
		f.reassigned = g.kind == errGroup && !g.zero() && f.ctx == g.ctxName()
	}
	if !g.errgroupLike() {
		c.decideWait(f, p)
		return f
	}
	switch {
	case s.ctxKnown() && s.bidi && p.cancelled && g.zero() && !code.InnermostFunc(g.assign.stmt).Valid():
		// A package-level group cannot be made with errgroup.WithContext;
		// the stream's own context, which a path cancels, can close it.
		f.remedy, f.kind, f.closer = addClose, kindBidiNeedsClose, closer(s.kind)
		fn := inspector.Cursor{}
		if cur, ok := c.cursorOf(u.call); ok {
			fn = code.OutermostFunc(cur)
		}
		c.closeOnStreamCtx(f, fn)
	case s.ctxKnown() && s.bidi && p.cancelled:
		f.remedy, f.kind, f.closer = addClose, kindBidiNeedsClose, closer(s.kind)
		f.spec = c.spec(u, g, fix.CloseAfterOpen)
		f.spec.Closer = f.closer
		if f.spec.Group.Ctx == nil && p.underGroup {
			// A pool's context has no name in the group's function; the
			// stream's own context, a task's context parameter, does.
			if id := code.IdentOf(s.ctxArg); id != nil {
				f.spec.Group.Ctx = c.info.Uses[code.IdentOf(s.ctxArg)]
			}
		}
		if site := c.usableSite(p.site, f.spec); site != nil {
			f.spec.Remedy, f.spec.Site = fix.CloseAtSite, site
		} else if cs := cancelFuncs(s.ctx); len(cs) > 0 && !p.underGroup {
			f.spec.Remedy, f.spec.Cancel = fix.WireCancel, cancelOf(cs[0])
		}
	case !s.ctxKnown() && g.zero():
		f.remedy = noGroupContext
	case !s.ctxKnown() && s.kind.lib == connectV2:
		f.remedy, f.closer = closeNotVisible, "Close"
		f.spec = c.spec(u, g, fix.CloseStream)
		f.spec.Closer = f.closer
	case !s.ctxKnown():
		f.remedy = openerMustAct
	case g.kind == concContextPool && g.ctx == nil:
		f.remedy = poolContext
		if s.bidi {
			f.closer = closer(s.kind)
		}
	default:
		f.remedy = wireCancel
		f.spec = c.spec(u, g, fix.WireCancel)
		if blockingOpen(s) {
			// A server stream whose opening blocks is freed by the cancel,
			// opening and receive alike (e2e facts); the cancel is wired
			// before the opening, where the stream has no name yet.
			f.spec.Early = true
		} else {
			f.closer = responseCloser(s)
		}
		if cs := cancelFuncs(s.ctx); len(cs) > 0 {
			f.spec.Cancel = cancelOf(cs[0])
		}
		if loop := c.iterationLoop(s, g); loop.Valid() {
			c.perIteration(f, loop)
		} else if c.openedInTask(s, g, f.spec) {
			// Opened in the task that uses it: open it under the group's
			// context, which the group cancels on failure and when Wait
			// returns (docs/fixes.md#stream-opened-in-its-task).
			f.remedy, f.inTask = openUnderGroup, true
			f.spec.Remedy, f.spec.Swap, f.spec.Early = fix.OpenUnderGroup, s.ctxArg, false
		}
		if f.spec != nil {
			f.spec.Closer = f.closer
		}
	}
	if f.reassigned && f.remedy != addClose {
		f.kind = kindReassignedContext
	}
	if f.spec != nil && f.noFix == "" && f.closer != "" && f.spec.Stream.Name == "" {
		f.noFix = "the stream has no name to close it by: it is opened inside the expression that uses it"
	}
	return f
}

// perIteration decides the remedy for a stream opened once per iteration
// of loop (docs/fixes.md#no-pile-up-in-loops). A cancel func made outside
// the loop serves every iteration: it is wired once, outside. Otherwise
// the stream, or the per-iteration context with the cancel func, is
// opened under the group's context, which Wait cancels when it returns.
// A connect-go bidi stream needs the close as well, and a close
// registered per iteration piles up unless each iteration starts its own
// task; other streams are freed by the cancel alone, so they get no close.
func (c *checker) perIteration(f *finding, loop inspector.Cursor) {
	s, g, sp := f.use.stream, f.group, f.spec
	sp.Early = true
	if !s.bidi {
		f.closer = ""
	}
	var swap ast.Expr
	switch n := sp.Cancel; {
	case n == nil:
		swap = s.ctxArg
	case !loop.Contains(n.Def) && !s.bidi:
		return // wireCancel, wired once outside the loop
	default:
		if call, ok := ast.Unparen(cancelFuncs(s.ctx)[0].assign.rhs).(*ast.CallExpr); ok && len(call.Args) > 0 {
			swap = call.Args[0]
		}
	}
	f.remedy, sp.Remedy, sp.Cancel, sp.Swap = openUnderGroup, fix.OpenUnderGroup, nil, swap
	sp.Stream.TaskPerIteration = c.taskPerIteration(s, g)
	switch {
	case f.closer != "" && !sp.Stream.TaskPerIteration:
		f.remedy, f.spec = reopenedInLoop, nil // its closes would pile up
	case swap == nil:
		f.noFix = "the stream's context has no parent to replace"
	case g.zero() && swap != s.ctxArg, !g.zero() && !sameValue(c.ctxAt(swap, swap.Pos()), g.parent):
		f.noFix = "the context to replace is not the group's parent, so the stream would lose values or a deadline"
	case g.ctx != nil && c.reaching(g.ctx.obj, swap.Pos()) != g.ctx:
		f.noFix = "the group's context variable holds another value where the stream's context is chosen"
	}
}

// decideWait decides the remedy for a group whose tasks' failure cancels
// no context: a sync.WaitGroup, a conc.WaitGroup, a conc pool, a
// ContextPool without WithCancelOnError (docs/rules.md#groups-without-a-context).
// Where the function cancels the stream's context to stop, a connect-go
// bidi stream needs the close on that context as well, which the fix
// registers; otherwise the stop decision is the application's, and the
// message says what to write.
func (c *checker) decideWait(f *finding, p paths) {
	s, g := f.use.stream, f.group
	f.kind = kindWaitHang
	switch {
	case s.ctxKnown() && s.bidi && p.cancelled:
		f.kind, f.remedy, f.closer = kindBidiNeedsClose, addClose, closer(s.kind)
		c.closeOnStreamCtx(f, code.InnermostFunc(g.assign.stmt))
	case g.kind == concContextPool && s.ctxKnown() && underGroup(s.ctx, g):
		f.remedy = cancelOnError
	default:
		f.remedy, f.stops = stopAndCancel, c.stopsBeforeWait(g)
		f.closer = closer(s.kind)
		if !s.bidi {
			f.closer = ""
		}
	}
}

// closeOnStreamCtx plans f's close on the stream's own context, which
// the function fn derives and cancels to stop, so that the close does not
// pile up on a longer-lived parent; with no such context there is no fix.
func (c *checker) closeOnStreamCtx(f *finding, fn inspector.Cursor) {
	s := f.use.stream
	f.spec = c.spec(f.use, f.group, fix.CloseAfterOpen)
	f.spec.Closer = f.closer
	f.spec.Group.Ctx, f.spec.Group.Zero = nil, false // the group is left as it is
	if cs := cancelFuncs(s.ctx); code.IdentOf(s.ctxArg) != nil && len(cs) > 0 && fn.Valid() && code.InnermostFunc(cs[0].assign.stmt) == fn {
		f.spec.Group.Ctx = c.info.Uses[code.IdentOf(s.ctxArg)]
	} else {
		f.noFix = "the stream's context is not one the function derives and cancels to stop"
	}
}

// openedInTask reports whether the stream s, whose context has no cancel
// func, is opened inside a task of g and used only there, with the
// group's parent as its context: then opening it under the group's
// context frees it and keeps its values and deadline.
func (c *checker) openedInTask(s *streamRef, g *group, sp *fix.Spec) bool {
	if sp.Cancel != nil || sp.Stream.Hoist || s.open == nil || s.ctxArg == nil || !g.failureCancels() || g.parent == nil {
		return false
	}
	gfn := code.InnermostFunc(g.assign.stmt)
	cur, ok := c.cursorOf(s.open)
	if !ok || !gfn.Valid() || code.InnermostFunc(cur) == gfn || !gfn.Contains(cur) {
		return false
	}
	return sameValue(c.ctxAt(s.ctxArg, s.ctxArg.Pos()), g.parent)
}

// groupAfterSwap reports whether the context to replace is chosen before
// the group exists, so the group must be created first.
func (f *finding) groupAfterSwap() bool {
	g := f.group
	return f.spec != nil && f.spec.Swap != nil && !g.zero() && f.spec.Swap.Pos() < g.assign.stmt.Node().End()
}

// isName reports whether e reads as the name of a value: a variable, a
// field chain (ctx, s.ctx), or a call without arguments
// (context.Background()).
func isName(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return isName(x.X)
	case *ast.CallExpr:
		return len(x.Args) == 0 && isName(x.Fun)
	}
	return false
}
