package analyzer

// Goroutines that outlive their function (docs/rules.md#goroutines-that-outlive-their-function):
// a goroutine started in a function blocks on a stream the function
// opened, and the function returns without freeing it. On a connect-go
// bidi stream whose server has answered, the deferred cancel that usually
// ends such a goroutine frees nothing (docs/bug.md#the-facts-table), so
// the goroutine stays blocked until the server ends the stream; the
// stream must be closed on return. Other streams leak so only when
// nothing can cancel their context. And wrappers: a type that holds a
// connect-go bidi stream and whose closing method only cancels.

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
	"github.com/bidictxlint/bidictxlint/analyzer/internal/fix"
)

// checkLeaks returns the findings of the go statements that no group
// waits for: each stream opened by the function that starts the
// goroutine, blocked on in the goroutine, and not freed on some return.
func (c *checker) checkLeaks(grouped map[*ast.CallExpr]bool) []*finding {
	var out []*finding
	for _, cur := range c.goStmts {
		call := cur.Node().(*ast.GoStmt).Call
		if grouped[call] {
			continue
		}
		callCur := cur.ChildAt(edge.GoStmt_Call, -1)
		t := &task{goCall: &goCall{call: call, cur: callCur, fn: callCur.ChildAt(edge.CallExpr_Fun, -1), spawned: true}}
		fn := code.InnermostFunc(cur)
		seen := make(map[any]bool)
		for _, u := range c.usesOf(t) {
			s := u.stream
			if seen[s.key] {
				continue
			}
			seen[s.key] = true
			if s.kind.server {
				if c.settings.Server && c.joinsOnFailure(cur, fn) {
					out = append(out, &finding{kind: kindHandlerReceive, remedy: handlerChannel, use: u, fn: fn})
				}
				continue
			}
			if f := c.leak(u, fn, cur); f != nil {
				out = append(out, f)
			}
		}
	}
	return out
}

// joinsOnFailure reports whether the function fn waits for the goroutine
// of goStmt by receiving from a channel the goroutine sends on, after it
// has failed (docs/rules.md#server-side): a handler that joins its own
// receive this way hangs until the client acts.
func (c *checker) joinsOnFailure(goStmt, fn inspector.Cursor) bool {
	var chans []types.Object
	for cur := range goStmt.Preorder((*ast.SendStmt)(nil)) {
		if id := code.IdentOf(cur.Node().(*ast.SendStmt).Chan); id != nil {
			chans = append(chans, c.info.Uses[id])
		}
	}
	var waits []inspector.Cursor
	for cur := range fn.Preorder((*ast.UnaryExpr)(nil)) {
		u := cur.Node().(*ast.UnaryExpr)
		if id := code.IdentOf(u.X); u.Op == token.ARROW && id != nil && slices.Contains(chans, c.info.Uses[id]) && !goStmt.Contains(cur) && code.InnermostFunc(cur) == fn {
			waits = append(waits, cur)
		}
	}
	return c.failsBeforeWaiting(waits, goStmt.Node().Pos())
}

// leak returns the finding of the use u of a stream in the goroutine
// started by the go statement at goStmt in fn, or nil.
func (c *checker) leak(u *use, fn, goStmt inspector.Cursor) *finding {
	s := u.stream
	// The function must own a stream it holds in a variable of its own;
	// one a struct holds is the wrapper's to close (checkWrappers).
	if s.assign == nil || !s.ctxKnown() || code.InnermostFunc(s.assign.stmt) != fn {
		return nil
	}
	if id, ok := s.assign.lhs.(*ast.Ident); !ok || id.Name != s.name {
		return nil
	}
	if c.handedOn(s.assign, fn, goStmt) {
		return nil
	}
	f := &finding{kind: kindGoroutineLeak, use: u, fn: fn}
	f.ctx, f.ctxIsName = types.ExprString(s.ctxArg), isName(s.ctxArg)
	if !s.bidi {
		if !neverCancelled(s.ctx) {
			return nil // the function's cancel, or its caller's, frees it
		}
		f.remedy = leakNeverCancelled
		return f
	}
	ret, closed := c.closedOnReturn(fn, goStmt, s)
	if closed {
		return nil
	}
	f.remedy, f.closer, f.ret = leakOnReturn, closer(s.kind), ret
	if loop := code.EnclosingLoop(code.StatementOf(s.assign.stmt)); loop.Valid() {
		f.remedy = leakPerAttempt // a defer per attempt would pile up
		return f
	}
	f.spec = &fix.Spec{
		Remedy: fix.DeferClose,
		File:   c.fileOf(s.assign.stmt.Node().Pos()),
		Closer: f.closer,
		Group:  fix.Group{Stmt: s.assign.stmt},
		Stream: fix.Stream{Key: s.key, Open: code.StatementOf(s.assign.stmt), OpenCall: s.open, CtxArg: s.ctxArg},
	}
	f.spec.Stream.Name, f.spec.Stream.Var = c.streamName(s)
	if cs := cancelFuncs(s.ctx); len(cs) > 0 && code.InnermostFunc(cs[0].assign.stmt) == fn {
		f.spec.Cancel = cancelOf(cs[0])
	}
	return f
}

// handedOn reports whether the function fn does anything with the stream
// that d assigns other than call its methods and start the goroutine at
// goStmt with it: returns it, stores it, sends it, passes it on. A
// stream handed on is not the function's to close.
func (c *checker) handedOn(d *assign, fn, goStmt inspector.Cursor) bool {
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		if c.info.Uses[cur.Node().(*ast.Ident)] != d.obj || goStmt.Contains(cur) {
			continue
		}
		if !methodCallOn(cur) {
			return true
		}
	}
	return false
}

// closedOnReturn reports whether fn frees the stream s on every return,
// or returns the first return that leaves it open. A return is freed by
// what runs before it in a block that holds it: a deferred close, or a
// deferred func that closes it or half-closes it; an explicit close, or
// a half-close when a cancel of the stream's context is deferred (either
// order frees it, e2e facts); a close registered with context.AfterFunc
// on a context whose cancel fn defers. The goroutine's own calls free
// nothing on return, and a return before the go statement leaks nothing.
func (c *checker) closedOnReturn(fn, goStmt inspector.Cursor, s *streamRef) (ast.Node, bool) {
	cancelled := c.cancelDeferred(fn, s)
	var frees []inspector.Cursor // statements that free the stream for what follows them
	var rets []ast.Node
	fn.Inspect([]ast.Node{(*ast.FuncLit)(nil), (*ast.GoStmt)(nil), (*ast.ReturnStmt)(nil), (*ast.CallExpr)(nil)}, func(cur inspector.Cursor) bool {
		switch n := cur.Node().(type) {
		case *ast.GoStmt:
			return false
		case *ast.FuncLit:
			if cur == fn {
				return true
			}
			// A deferred literal, or one given to context.AfterFunc, frees
			// for its statement; any other literal runs who knows when.
			stmt := code.EnclosingStmt(cur.Parent())
			if _, deferred := stmt.Node().(*ast.DeferStmt); stmt.Valid() && (deferred || cur.ParentEdgeKind() == edge.CallExpr_Args && c.isAfterFunc(cur.Parent().Node().(*ast.CallExpr))) {
				if close, half := c.closeCalls(cur, s); close || half && cancelled {
					frees = append(frees, stmt)
				}
			}
			return false
		case *ast.ReturnStmt:
			if n.Pos() > goStmt.Node().Pos() {
				rets = append(rets, n) // before the goroutine starts, nothing leaks
			}
		case *ast.CallExpr:
			if close, half := c.closeCall(n, s); close || half && cancelled {
				frees = append(frees, code.EnclosingStmt(cur))
			}
		}
		return true
	})
	if body := funcBody(fn); body != nil && !terminates(body) {
		rets = append(rets, &ast.Ident{NamePos: body.Rbrace, Name: "}"})
	}
	if loop := code.EnclosingLoop(code.StatementOf(s.assign.stmt)); loop.Valid() && code.InnermostFunc(loop) == fn {
		// The next attempt: the stream must be freed by the end of the loop's body.
		var body *ast.BlockStmt
		switch l := loop.Node().(type) {
		case *ast.ForStmt:
			body = l.Body
		case *ast.RangeStmt:
			body = l.Body
		}
		rets = append(rets, &ast.Ident{NamePos: body.Rbrace, Name: "}"})
	}
	if len(rets) == 0 {
		return nil, true
	}
	for _, r := range rets {
		if !slices.ContainsFunc(frees, func(f inspector.Cursor) bool {
			return f.Valid() && f.Node().Pos() < r.Pos() && code.Within(f.Parent().Node(), r.Pos())
		}) {
			return r, false
		}
	}
	return nil, true
}

// cancelDeferred reports whether fn defers a cancel func of the stream's
// context.
func (c *checker) cancelDeferred(fn inspector.Cursor, s *streamRef) bool {
	cancels := cancelFuncs(s.ctx)
	for cur := range fn.Preorder((*ast.DeferStmt)(nil)) {
		obj := c.calledVar(cur.Node().(*ast.DeferStmt).Call.Fun, nil)
		if slices.ContainsFunc(cancels, func(n *ctxNode) bool { return n.cancel == obj }) {
			return true
		}
	}
	return false
}

// checkWrappers returns the findings of the closing methods of the
// package's types that hold a connect-go bidi stream in a field and
// receive on it, when the closing method cancels without closing the
// stream (docs/rules.md#wrappers-whose-close-only-cancels).
func (c *checker) checkWrappers() []*finding {
	var methods []inspector.Cursor
	for _, named := range c.wrapperTypes() {
		for m := range named.Methods() {
			decl := c.funcDecl(m)
			if !decl.Valid() {
				continue
			}
			if fd := decl.Node().(*ast.FuncDecl); len(fd.Recv.List) == 1 && len(fd.Recv.List[0].Names) == 1 {
				methods = append(methods, decl)
			}
		}
	}
	slices.SortFunc(methods, func(a, b inspector.Cursor) int { return cmp.Compare(a.Node().Pos(), b.Node().Pos()) })
	var out []*finding
	for _, decl := range methods {
		if w := c.closeOnlyCancels(decl, decl.Node().(*ast.FuncDecl)); w != nil {
			out = append(out, w)
		}
	}
	return out
}

// wrapperTypes returns the types declared in the package that hold a
// connect-go bidi stream in a field and have a method that can receive
// on one: only their methods can leave one open. The methods are found
// from the selections of Receive and Recv, not by reading every type of
// the package; a method's receiver type is its signature's.
func (c *checker) wrapperTypes() []*types.Named {
	var out []*types.Named
	asked := make(map[*types.Named]bool)
	for _, pos := range c.receives {
		fd, ok := c.topAt(pos).(*ast.FuncDecl)
		if !ok || fd.Recv == nil {
			continue
		}
		fn, ok := c.info.Defs[fd.Name].(*types.Func)
		if !ok {
			continue
		}
		recv := fn.Signature().Recv()
		if recv == nil {
			continue
		}
		named := code.NamedOf(recv.Type())
		if named == nil {
			continue
		}
		if named = named.Origin(); asked[named] {
			continue
		}
		asked[named] = true
		if named.Obj().Pkg() == c.pass.Pkg && len(c.streamFieldsOf(named)) > 0 {
			out = append(out, named)
		}
	}
	return out
}

// closeOnlyCancels returns the finding of the method fd when it ends its
// receiver's life (Close, Stop, Shutdown, or a method that calls a cancel
// func held in a field), cancels, and leaves open a connect-go bidi
// stream the receiver holds and receives on.
func (c *checker) closeOnlyCancels(decl inspector.Cursor, fd *ast.FuncDecl) *finding {
	recv, _ := c.info.Defs[fd.Recv.List[0].Names[0]].(*types.Var)
	if recv == nil {
		return nil
	}
	fields := c.streamFields(recv)
	if len(fields) == 0 {
		return nil // holds no connect-go bidi stream: nothing to read
	}
	if !closingName(fd.Name.Name) && (c.hasClosingMethod(recv) || !hasCancelField(recv.Type())) {
		return nil // not named to end the value's life, and cannot call a stored cancel func
	}
	var cancel inspector.Cursor
	closesField, receivesHere := map[*types.Var]bool{}, map[*types.Var]bool{}
	for cur := range decl.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		if t := c.info.TypeOf(call.Fun); t != nil && isCancelFunc(t) && !cancel.Valid() {
			cancel = cur
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if f := c.fieldOfRecv(sel.X, recv); f != nil {
				closesField[f] = closesField[f] || sel.Sel.Name == closer(c.streamKind(f.Type()))
				// A method that receives on the stream itself (a task's
				// run, cancelling when it ends) is not what frees it.
				receivesHere[f] = receivesHere[f] || sel.Sel.Name == "Receive" || sel.Sel.Name == "Recv"
			}
		}
	}
	if !cancel.Valid() || !(closingName(fd.Name.Name) || c.isFieldCall(cancel, recv) && !c.hasClosingMethod(recv)) {
		return nil
	}
	for _, field := range fields {
		if closesField[field] || receivesHere[field] || !c.receivesOn(recv, field) {
			continue
		}
		k := c.streamKind(field.Type())
		stmt := code.EnclosingStmt(cancel)
		sel := recv.Name() + "." + field.Name()
		f := &finding{kind: kindCloseOnlyCancels, method: fd, closer: closer(k), remedy: closeOnlyCancels, stream: sel,
			use: &use{stream: &streamRef{kind: k, name: sel, key: field}, site: fd.Name, method: "Receive"}}
		f.spec = &fix.Spec{
			Remedy: fix.CloseAfterCancel,
			File:   c.fileOf(fd.Pos()),
			Closer: f.closer,
			Group:  fix.Group{Stmt: stmt},
			Stream: fix.Stream{Key: field, Name: sel, Var: recv},
			Site:   &fix.Site{Stmt: stmt},
		}
		return f
	}
	return nil
}

// closingName reports whether a method of that name ends its receiver's
// life.
func closingName(name string) bool {
	return name == "Close" || name == "Stop" || name == "Shutdown"
}

// hasClosingMethod reports whether recv's type has a method Close, Stop
// or Shutdown: then that method, not another that cancels, ends the
// value's life.
func (c *checker) hasClosingMethod(recv *types.Var) bool {
	named := code.NamedOf(recv.Type())
	if named == nil {
		return false
	}
	for m := range named.Methods() {
		if closingName(m.Name()) {
			return true
		}
	}
	return false
}

// hasCancelField reports whether t's struct (through a pointer) has a
// field, its own or promoted from an embedded struct, that holds a
// context.CancelFunc or CancelCauseFunc: what a method calls when it
// ends the value's life by a stored cancel func.
func hasCancelField(t types.Type) bool {
	seen := make(map[*types.Struct]bool)
	var has func(t types.Type) bool
	has = func(t types.Type) bool {
		if p, ok := t.Underlying().(*types.Pointer); ok {
			t = p.Elem()
		}
		st, ok := t.Underlying().(*types.Struct)
		if !ok || seen[st] {
			return false
		}
		seen[st] = true
		for f := range st.Fields() {
			if isCancelFunc(f.Type()) || f.Embedded() && has(f.Type()) {
				return true
			}
		}
		return false
	}
	return has(t)
}

// fieldOfRecv returns the field that x reads from the receiver recv
// (s.stream), or nil.
func (c *checker) fieldOfRecv(x ast.Expr, recv *types.Var) *types.Var {
	sel, ok := ast.Unparen(x).(*ast.SelectorExpr)
	if !ok || code.IdentOf(sel.X) == nil || c.info.Uses[code.IdentOf(sel.X)] != recv {
		return nil
	}
	if s := c.info.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
		v, _ := s.Obj().(*types.Var)
		return v
	}
	return nil
}

// isFieldCall reports whether the call at cur calls a field of recv.
func (c *checker) isFieldCall(cur inspector.Cursor, recv *types.Var) bool {
	return c.fieldOfRecv(cur.Node().(*ast.CallExpr).Fun, recv) != nil
}

// streamFields returns the fields of recv's struct type that hold a
// connect-go bidi client stream.
func (c *checker) streamFields(recv *types.Var) []*types.Var {
	named := code.NamedOf(recv.Type())
	if fs, ok := c.fields[named]; ok && named != nil {
		return fs // asked for each method of the type
	}
	fs := c.streamFieldsOf(recv.Type())
	if named != nil {
		c.fields[named] = fs
	}
	return fs
}

func (c *checker) streamFieldsOf(t types.Type) []*types.Var {
	if p, ok := t.Underlying().(*types.Pointer); ok {
		t = p.Elem()
	}
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	var out []*types.Var
	for f := range st.Fields() {
		if k := c.streamKind(f.Type()); k.ok() && !k.server && isConnectBidi(c.info, k, f.Type(), nil) {
			out = append(out, f)
		}
	}
	return out
}

// receivesOn reports whether a method of recv's type makes a blocking
// receive on field.
func (c *checker) receivesOn(recv *types.Var, field *types.Var) bool {
	named := code.NamedOf(recv.Type())
	if named == nil {
		return false
	}
	for m := range named.Methods() {
		decl := c.funcDecl(m)
		if !decl.Valid() {
			continue
		}
		fd := decl.Node().(*ast.FuncDecl)
		if fd.Recv == nil || len(fd.Recv.List[0].Names) != 1 {
			continue
		}
		r, _ := c.info.Defs[fd.Recv.List[0].Names[0]].(*types.Var)
		for cur := range decl.Preorder((*ast.CallExpr)(nil)) {
			sel, ok := ast.Unparen(cur.Node().(*ast.CallExpr).Fun).(*ast.SelectorExpr)
			if ok && (sel.Sel.Name == "Receive" || sel.Sel.Name == "Recv") && r != nil && c.fieldOfRecv(sel.X, r) == field {
				return true
			}
		}
	}
	return false
}
