package analyzer

// What the analysis tells the fix planner: the fix.Spec of a finding,
// with the facts about the group and the stream that only the analysis
// can establish (which value a context expression has at a position,
// how a stream is used), so that the planner never re-runs the analysis.

import (
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
	"github.com/bidictxlint/bidictxlint/analyzer/internal/fix"
)

// spec returns the fix spec of remedy r for u in g, with what the
// analysis knows of the group and the stream.
func (c *checker) spec(u *use, g *group, r fix.Remedy) *fix.Spec {
	s := u.stream
	gpos := g.assign.stmt.Node().Pos()
	sp := &fix.Spec{
		Remedy:  r,
		File:    c.fileOf(gpos),
		Watcher: c.beforeAfterFunc(gpos),
		Group: fix.Group{
			Key:             g,
			Stmt:            g.assign.stmt,
			Name:            g.name(),
			Zero:            g.zero(),
			ParentArg:       g.parentArg,
			SharesStreamCtx: g.zero() || (s.ctx != nil && g.parent == s.ctx),
		},
		Stream: fix.Stream{
			Key:      s.key,
			OpenCall: s.open,
			CtxArg:   s.ctxArg,
		},
	}
	if g.ctx != nil {
		sp.Group.Ctx = g.ctx.obj
	}
	if g.zero() {
		sp.Group.OnlyMethodCalls = c.onlyMethodCalls(g)
	}
	sp.Stream.Name, sp.Stream.Var = c.streamName(s)
	switch {
	case s.assign != nil:
		sp.Stream.Open = code.StatementOf(s.assign.stmt)
		sp.Stream.Hoist = c.hoists(s, g)
	case s.open != nil:
		// Opened inside the expression that uses it: the wiring must be
		// registered before that statement runs.
		if cur, ok := c.cursorOf(s.open); ok {
			sp.Stream.Open = code.EnclosingStmt(cur)
		}
		sp.Early = true
	}
	if s.ctxArg != nil {
		gpos := code.StatementOf(g.assign.stmt).Node().Pos()
		sp.Stream.CtxAtGroup = c.ctxAt(s.ctxArg, gpos) == s.ctx && c.sameAt(s.ctxArg, gpos, s.ctxArg.Pos())
		// A stream opened in another function (a method task) on a
		// context the group's function stored for it (d := &dialer{ctx:
		// ctx}): the pair goes before the statement that stores it.
		gfn := code.OutermostFunc(g.assign.stmt)
		if cur, ok := c.cursorOf(s.ctxArg); ok && gfn.Valid() && gfn.Contains(cur) && sp.Stream.Open.Valid() && !gfn.Contains(sp.Stream.Open) {
			sp.Stream.Open, sp.Stream.Hoist, sp.Early = code.EnclosingStmt(cur), false, true
		}
	}
	return sp
}

// sameAt reports whether every variable in e holds at pos the value it
// holds at at: e written at pos means what it means at at (a context
// expression moved up to the group's creation).
func (c *checker) sameAt(e ast.Expr, pos, at token.Pos) bool {
	same := true
	ast.Inspect(e, func(n ast.Node) bool {
		id, ok := n.(*ast.Ident)
		if !ok || !same {
			return same
		}
		if v, ok := c.info.Uses[id].(*types.Var); ok && !v.IsField() {
			local := v.Parent() != nil && v.Pkg() != nil && v.Parent() != v.Pkg().Scope()
			same = v.Pos() < pos && (!local || v.Parent().Contains(pos)) && c.reaching(v, pos) == c.reaching(v, at)
		}
		return same
	})
	return same
}

// streamName returns how a fix can write the stream, and the variable
// that name starts with: `stream`, or `sess.stream` for a stream a
// constructor put in sess; "" when the code gives it no name.
func (c *checker) streamName(s *streamRef) (string, types.Object) {
	if d := s.assign; d != nil {
		root := rootIdent(d.lhs)
		if root == nil {
			return "", nil
		}
		if s.name == root.Name || strings.HasPrefix(s.name, root.Name+".") {
			return s.name, c.info.ObjectOf(root)
		}
		return "", nil
	}
	if v, ok := s.key.(*types.Var); ok && !v.IsField() && v.Name() == s.name {
		return s.name, v // a parameter
	}
	return "", nil
}

// rootIdent returns the identifier a selector chain starts with (s in
// s.conn.stream), or nil.
func rootIdent(e ast.Expr) *ast.Ident {
	for {
		switch x := ast.Unparen(e).(type) {
		case *ast.Ident:
			return x
		case *ast.SelectorExpr:
			e = x.X
		default:
			return nil
		}
	}
}

// cancelOf is the fix's view of a cancel func of the stream's context.
func cancelOf(n *ctxNode) *fix.Cancel {
	return &fix.Cancel{Obj: n.cancel, Def: n.assign.stmt, Cause: n.cause}
}

// usableSite returns the fix's view of the func that cancels the stream
// once the group's context is done, when the close can join it: the
// stream can be named there, and a cancel func given to context.AfterFunc
// itself is a func() that a literal can call. nil otherwise, and the
// close is wired on its own.
func (c *checker) usableSite(site *cancelSite, sp *fix.Spec) *fix.Site {
	if site == nil || sp.Stream.Name == "" {
		return nil
	}
	fn := code.OutermostFunc(sp.Group.Stmt)
	scope := code.FuncScope(c.info, fn)
	if scope == nil {
		return nil
	}
	nameable := func(pos token.Pos) bool { return code.Denotes(scope, sp.Stream.Var, pos) }
	if site.arg != nil {
		sig, ok := c.info.TypeOf(site.arg).Underlying().(*types.Signature)
		if !ok || sig.Params().Len() != 0 || !nameable(site.arg.Pos()) {
			return nil
		}
		return &fix.Site{Call: site.call, Arg: site.arg}
	}
	if !site.stmt.Valid() || !nameable(site.stmt.Node().End()) {
		return nil
	}
	if _, ok := site.stmt.Node().(*ast.ExprStmt); !ok {
		return nil
	}
	return &fix.Site{Stmt: site.stmt, Lit: site.lit}
}

// hoists reports whether the stream s is opened inside a function nested
// in g's function (a task, or a goroutine a task starts) and is used
// beyond it: then its cancel func belongs to the group's function, which
// calls Wait, never to the opening task
// (docs/fixes.md#never-cancel-a-stream-that-other-tasks-still-use).
func (c *checker) hoists(s *streamRef, g *group) bool {
	if s.assign == nil {
		return false
	}
	fn := code.InnermostFunc(s.assign.stmt)
	return fn.Valid() && fn != code.InnermostFunc(g.assign.stmt) && c.usedBeyond(s.assign, fn)
}

// usedBeyond reports whether the stream that d assigns can be used
// outside fn, the function that opens it: it is a field or a variable
// declared outside fn, or fn does anything with it other than call its
// methods (hand it over a channel, store it, pass it on, capture it in a
// goroutine).
func (c *checker) usedBeyond(d *assign, fn inspector.Cursor) bool {
	if _, ok := ast.Unparen(d.lhs).(*ast.Ident); !ok || !code.Within(fn.Node(), d.obj.Pos()) {
		return true
	}
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		if c.info.Uses[cur.Node().(*ast.Ident)] != d.obj {
			continue
		}
		if code.InnermostFunc(cur) != fn || !methodCallOn(cur) {
			return true
		}
	}
	return false
}

// methodCallOn reports whether the identifier at cur is the receiver of
// a method call, x.M(...).
func methodCallOn(cur inspector.Cursor) bool {
	return cur.ParentEdgeKind() == edge.SelectorExpr_X && cur.Parent().ParentEdgeKind() == edge.CallExpr_Fun
}

// onlyMethodCalls reports whether every use of the zero-value group g is
// a method call g.M(...), so that turning it into a *errgroup.Group
// changes nothing else, and g is declared alone in its statement.
func (c *checker) onlyMethodCalls(g *group) bool {
	switch n := g.assign.stmt.Node().(type) {
	case *ast.ValueSpec:
		decl, ok := g.assign.stmt.Parent().Node().(*ast.GenDecl)
		if !ok || len(decl.Specs) != 1 || len(n.Names) != 1 {
			return false
		}
	case *ast.AssignStmt:
		if len(n.Lhs) != 1 || n.Tok != token.DEFINE {
			return false
		}
	default:
		return false
	}
	obj := g.assign.obj
	if len(c.assignsOf(obj)) != 1 {
		return false
	}
	fn := code.OutermostFunc(g.assign.stmt)
	if !fn.Valid() {
		return false
	}
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		if c.info.Uses[cur.Node().(*ast.Ident)] == obj && !methodCallOn(cur) {
			return false
		}
	}
	return true
}

// iterationLoop returns the loop in which s is opened once per
// iteration, inside the function that opens it, or, when the fix's pair
// would be hoisted into the group's function, the loop around the
// group's creation there; the zero Cursor when there is none.
func (c *checker) iterationLoop(s *streamRef, g *group) inspector.Cursor {
	if s.assign == nil {
		return inspector.Cursor{}
	}
	if loop := code.EnclosingLoop(code.StatementOf(s.assign.stmt)); loop.Valid() {
		return loop
	}
	if c.hoists(s, g) {
		return code.EnclosingLoop(code.StatementOf(g.assign.stmt))
	}
	return inspector.Cursor{}
}

// taskPerIteration reports whether the loop that opens s once per
// iteration is in the group's own function and starts a task of g in
// each iteration (a stream per shard, each read by its task), so that a
// close registered per iteration is one per task, not a pile-up.
func (c *checker) taskPerIteration(s *streamRef, g *group) bool {
	loop := c.iterationLoop(s, g)
	if !loop.Valid() || code.InnermostFunc(loop) != code.InnermostFunc(g.assign.stmt) || loop.Contains(g.assign.stmt) {
		return false
	}
	for _, t := range g.tasks {
		if t.frame == nil && loop.Contains(t.cur) {
			return true
		}
	}
	return false
}

// sameValue reports whether a and b are the same context value, looking
// through plain copies (ctx2 := ctx).
func sameValue(a, b *ctxNode) bool {
	for a != nil && a.step == stepAlias {
		a = a.parent
	}
	for b != nil && b.step == stepAlias {
		b = b.parent
	}
	return a != nil && a == b
}

// beforeAfterFunc reports whether the file holding pos has a Go version
// before 1.21, which added context.AfterFunc. An unknown version is
// taken as current.
func (c *checker) beforeAfterFunc(pos token.Pos) bool {
	if f := c.fileOf(pos); f != nil {
		v := c.info.FileVersions[f]
		return v != "" && version.Compare(v, "go1.21") < 0
	}
	return false
}

// fileOf returns the file that holds pos, or nil.
func (c *checker) fileOf(pos token.Pos) *ast.File {
	for _, f := range c.files {
		if code.Within(f.file, pos) {
			return f.file
		}
	}
	return nil
}

// cursorOf returns the cursor of node n.
func (c *checker) cursorOf(n ast.Node) (inspector.Cursor, bool) {
	top := c.topCursorAt(n.Pos())
	if !top.Valid() {
		return inspector.Cursor{}, false
	}
	return top.FindNode(n)
}
