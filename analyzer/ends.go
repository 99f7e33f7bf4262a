package analyzer

// What ends a group's work, and whether the function waits for it: the
// third condition of docs/rules.md#when-it-reports, and the joins of
// docs/rules.md#groups-without-a-context and docs/rules.md#server-side.

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// waits reports whether the function that creates g waits for it in its
// own body before returning: only then does a blocked receive hold the
// handler.
func (c *checker) waits(g *group) bool {
	return len(c.waitsOf(g)) > 0
}

// waitsOnFailure reports whether the function that creates g waits for
// its tasks on a path where it has failed: the Wait is deferred, so it
// runs on every return, or it follows an error that was not checked
// with a return before it. A handler that waits for its own receive only
// once its work succeeded waits by design (docs/rules.md#server-side).
func (c *checker) waitsOnFailure(g *group) bool {
	return c.failsBeforeWaiting(c.waitsOf(g), g.tasks[0].call.Pos())
}

// failsBeforeWaiting reports whether one of the waits (a Wait call, a
// receive of a goroutine's result) is deferred, or follows, after start,
// an error that the function did not return on before it.
func (c *checker) failsBeforeWaiting(waits []inspector.Cursor, start token.Pos) bool {
	for _, w := range waits {
		stmt := code.EnclosingStmt(w)
		if !stmt.Valid() {
			continue
		}
		if _, deferred := stmt.Node().(*ast.DeferStmt); deferred {
			return true
		}
		var before []ast.Node // the statements before the wait, since start, in order
		for p, ok := stmt.PrevSibling(); ok && p.Node().Pos() >= start; p, ok = p.PrevSibling() {
			before = append([]ast.Node{p.Node()}, before...)
		}
		unchecked := map[types.Object]bool{}
		for _, n := range before {
			switch n := n.(type) {
			case *ast.IfStmt:
				if returns(n.Body) {
					for _, id := range identsIn(n.Cond) {
						delete(unchecked, c.info.Uses[id])
					}
				}
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if id := code.IdentOf(l); id != nil {
						if obj := c.info.ObjectOf(id); obj != nil && isError(obj.Type()) {
							unchecked[obj] = true
						}
					}
				}
			}
		}
		// The wait's own statement may read the error before the wait:
		// if end := <-received; err == nil && ... waits whatever err is.
		if len(unchecked) > 0 {
			return true
		}
	}
	return false
}

// returns reports whether the block ends with a return.
func returns(b *ast.BlockStmt) bool {
	if len(b.List) == 0 {
		return false
	}
	_, ok := b.List[len(b.List)-1].(*ast.ReturnStmt)
	return ok
}

func isError(t types.Type) bool {
	return types.Identical(t, types.Universe.Lookup("error").Type())
}

// groupEndsElsewhere is the third condition of docs/rules.md#when-it-reports:
// something other than the stream's task can end the group's work. With
// several tasks another task can fail or return; with one, a cancelled
// parent can, if that parent does not free the stream too, and so can
// the function itself, when it cancels a context or closes a channel to
// stop before it waits (cancel, then Wait). Cancelling never frees a
// connect-go bidi stream once the server has answered
// (docs/bug.md#the-facts-table), so for those a parent that can be cancelled is
// enough.
func (c *checker) groupEndsElsewhere(u *use, g *group, t *task) bool {
	s := u.stream
	if g.hasSeveralTasks() && (g.kind == errGroup || g.failureCancels() || c.anotherReturnsEarly(u, g, t)) {
		return true
	}
	if c.stopsBeforeWait(g) {
		return true
	}
	if g.parent == nil || !s.ctxKnown() || neverCancelled(g.parent) {
		return false
	}
	return s.bidi || !derivesFrom(s.ctx, g.parent)
}

// anotherReturnsEarly reports, for a group whose tasks' failure cancels
// nothing, whether a task other than t can return while u's stream is
// still open, leaving the function to wait for t: a task in a loop (one
// per iteration), or one that does not end only with the stream. A
// receive loop that returns when a call on s fails ends with the stream,
// and so frees no one and strands no one; and a stream the task opens
// itself, in its literal or in the method or function it runs, is no
// other task's (docs/rules.md#groups-without-a-context).
func (c *checker) anotherReturnsEarly(u *use, g *group, t *task) bool {
	s := u.stream
	if s.assign != nil && code.Within(u.taskFunc, s.assign.stmt.Node().Pos()) && !(s.ctxKnown() && underGroup(s.ctx, g)) && !c.tasksFail(g) {
		return false // opened in the task itself, not on the pool's context, by tasks that cannot fail: no other task's business
	}
	for _, o := range g.tasks {
		if o.inLoop || o != t && !c.endsWithStream(o, s) {
			return true
		}
	}
	return false
}

// tasksFail reports whether g's tasks return errors (a conc ErrorPool):
// then one that fails has ended the work, and one left blocked holds the
// error back.
func (c *checker) tasksFail(g *group) bool {
	for _, t := range g.tasks {
		if sig, ok := c.info.TypeOf(t.fn.Node().(ast.Expr)).(*types.Signature); ok && sig.Results().Len() > 0 {
			return true
		}
	}
	return false
}

// endsWithStream reports whether the task t ends only with the stream
// s, or after an orderly end of it: every return and every break out of
// its loop sits in an if on the result of a blocking call on s (a
// receive loop that stops at the stream's end or error) or follows a
// half-close of s (CloseRequest, CloseSend, after which the server ends
// the stream); and the end of its body, if reachable, comes after such a
// half-close or after a loop without a condition. Such a task strands no
// other task on s (docs/rules.md#groups-without-a-context).
func (c *checker) endsWithStream(t *task, s *streamRef) bool {
	fn := code.Unparen(t.fn)
	lit, ok := fn.Node().(*ast.FuncLit)
	if !ok || len(lit.Body.List) == 0 {
		return false
	}
	orderly := func(cur inspector.Cursor) bool {
		ifs, ok := code.InnermostIf(cur)
		return ok && c.onStream(ifs, s) || c.halfClosedBefore(cur, s)
	}
	ends := true
	fn.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.ReturnStmt)(nil), (*ast.BranchStmt)(nil)}, func(cur inspector.Cursor) bool {
		switch n := cur.Node().(type) {
		case *ast.FuncLit:
			return cur == fn
		case *ast.ReturnStmt:
			ends = ends && orderly(cur)
		case *ast.BranchStmt:
			if n.Tok == token.BREAK && n.Label == nil && breaksLoop(cur) {
				ends = ends && orderly(cur)
			}
		}
		return ends
	})
	if !ends || terminates(lit.Body) {
		return ends
	}
	for _, st := range lit.Body.List {
		if loop, ok := st.(*ast.ForStmt); ok && loop.Cond == nil {
			return true // the end comes after a loop left only as above
		}
	}
	for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
		if _, half := c.closeCall(cur.Node().(*ast.CallExpr), s); half && code.EnclosingStmt(cur).Parent().Node() == lit.Body {
			return true // the body ends after a half-close
		}
	}
	return false
}

// breaksLoop reports whether the unlabelled break at cur leaves a for or
// range loop (not a switch or select).
func breaksLoop(cur inspector.Cursor) bool {
	for p := range cur.Enclosing((*ast.ForStmt)(nil), (*ast.RangeStmt)(nil), (*ast.SwitchStmt)(nil), (*ast.TypeSwitchStmt)(nil), (*ast.SelectStmt)(nil), (*ast.FuncLit)(nil)) {
		switch p.Node().(type) {
		case *ast.ForStmt, *ast.RangeStmt:
			return true
		}
		return false
	}
	return false
}

// onStream reports whether the condition (and init) of the if statement
// at ifs is the result of a blocking call on s: `if _, err :=
// stream.Recv(); err != nil`, `if err := stream.Send(m); err != nil`, `if
// stream.Send(m) != nil`.
func (c *checker) onStream(ifs *ast.IfStmt, s *streamRef) bool {
	found := false
	var check func(n ast.Node) bool
	check = func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || found {
			return !found
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if k := c.streamKind(c.info.TypeOf(sel.X)); k.ok() && isBlocking(k, sel.Sel.Name) {
				if r := c.resolveStream(sel.X, nil, call.Pos(), k); r != nil && r.key == s.key {
					found = true
				}
			}
		}
		return !found
	}
	if ifs.Init != nil {
		ast.Inspect(ifs.Init, check)
	}
	ast.Inspect(ifs.Cond, check)
	if !found {
		// err != nil, with err assigned by a blocking call on s before, by
		// every assignment that reaches the if: an err that may come from
		// elsewhere (line, err := next(); if err == nil { err =
		// s.Send(line) }) is no end of the stream.
		for _, id := range identsIn(ifs.Cond) {
			assigns, entry := c.reachingValues(c.info.Uses[id], ifs.Pos())
			if entry || len(assigns) == 0 {
				continue
			}
			all := true
			for _, d := range assigns {
				found = false
				if d.rhs != nil {
					ast.Inspect(d.rhs, check)
				}
				all = all && found
			}
			if found = all; found {
				break
			}
		}
	}
	return found
}

// identsIn returns the identifiers in e.
func identsIn(e ast.Expr) []*ast.Ident {
	var out []*ast.Ident
	ast.Inspect(e, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok {
			out = append(out, id)
		}
		return true
	})
	return out
}

// stopsBeforeWait reports whether the function that creates g decides to
// stop while the tasks work: it calls a cancel func or closes a channel
// before it waits for them.
func (c *checker) stopsBeforeWait(g *group) bool {
	if g.stops == nil { // asked for each use of each task
		stops := c.stopsBeforeWaitOf(g)
		g.stops = &stops
	}
	return *g.stops
}

func (c *checker) stopsBeforeWaitOf(g *group) bool {
	fn := g.fn()
	if !fn.Valid() {
		return false
	}
	for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if len(call.Args) > 1 {
			continue // not close(ch), cancel() or cancel(cause): no lookup needed
		}
		if !code.IsBuiltin(c.info, call, "close") {
			if t := c.info.TypeOf(call.Fun); t == nil || !isCancelFunc(t) {
				continue
			}
		}
		if at, ok := inBody(cur, fn); ok && c.beforeWait(at, g) {
			return true
		}
	}
	return false
}

// neverCancelled reports whether n is context.Background() or
// context.TODO() (or a value derived from one without a cancel step).
func neverCancelled(n *ctxNode) bool {
	for ; n != nil; n = n.parent {
		switch n.step {
		case stepCancel, stepGroup:
			return false
		case stepNoCancel:
			return true
		case stepNone:
			return n.background
		}
	}
	return false
}
