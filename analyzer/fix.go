package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// FixMessage is the title of the one suggested fix of every diagnostic.
const FixMessage = "Cancel the RPC when the errgroup's context is done"

// A fixPlan says where each line of a remedy's fix goes and which names
// it introduces (SPEC section 5). edits.go renders it as text edits.
type fixPlan struct {
	file      *ast.File
	tok       *token.File
	scope     *types.Scope // the scope of the outermost function around the fix
	ctxPkg    string       // the file's name for package context
	importCtx bool         // the file does not import context yet
	cancel    string       // the cancel func the wiring calls
	wrap      *wrap        // the derived pair, when the remedy derives one
	gctx      *groupCtx    // the group's context
	after     inspector.Cursor

	claims map[string]bool // names this plan takes in scope
}

// A wrap is `rpcCtx, rpcCancel := context.WithCancel(ctx)` and `defer
// rpcCancel()` before the statement at, with the opening call (and the
// group, when it shared the stream's context) moved onto rpcCtx (shape 2).
// Fixes of one stream in several groups share it.
type wrap struct {
	ctx, cancel string
	ctxText     string           // the context it derives from, as written
	at          inspector.Cursor // the statement it goes before
	ctxArg      ast.Expr         // the opening call's context argument
	reparent    ast.Expr         // the group's parent argument; nil to keep it
	zeroGroup   bool             // a zero-value group is created on rpcCtx
}

// A groupCtx is how the fix names the group's context: as the code does,
// by naming a discarded one (shape 3), or by creating the group with
// errgroup.WithContext (shape 4). Fixes of one group share it.
type groupCtx struct {
	name   string
	rename ast.Expr         // the `_` that becomes name
	create inspector.Cursor // the zero-value declaration to replace
	text   string           // its replacement
}

// fixState is what the fixes of one package share, so that two fixes in
// one function pick different names and the parts that two fixes both
// need are identical edits, which the drivers coalesce. A plan records
// itself here only once it is complete.
type fixState struct {
	claimed    map[*types.Scope]map[string]bool
	wraps      map[any]*wrap
	groupCtxs  map[*group]*groupCtx
	reparented map[*group]bool
}

// planFix plans the fix of r, or returns nil when no fix is safe.
func (c *checker) planFix(r *remedy) *fixPlan {
	var p *fixPlan
	switch r.shape {
	case wireCancel:
		p = c.planWiring(r)
	case closeStream:
		p = c.planClose(r)
	case addClose:
		p = c.planAddClose(r)
	}
	if p != nil {
		c.record(p, r)
	}
	return p
}

// planWiring plans shapes 1 to 5: cancel the stream's context (and close
// a connect-go stream) once the group's context is done.
func (c *checker) planWiring(r *remedy) *fixPlan {
	s, g := r.use.stream, r.group
	p := c.newFixPlan(g.def.stmt)
	if p == nil || !p.useContextPkg(c, g.def.stmt.Node().Pos()) {
		return nil
	}
	var cancelDef inspector.Cursor
	if r.derive {
		p.wrap = c.planWrap(p, s, g)
		if p.wrap == nil {
			return nil
		}
		p.cancel, cancelDef = p.wrap.cancel, s.def.stmt
	} else {
		n := cancelFuncs(s.ctx)[0]
		if !p.visibleAt(n.cancel, g.def.stmt.Node().End()) && !p.visibleAt(n.cancel, s.def.stmt.Node().End()) {
			return nil
		}
		p.cancel, cancelDef = n.cancel.Name(), n.def.stmt
	}
	if p.gctx = c.planGroupCtx(p, s, g); p.gctx == nil {
		return nil
	}
	// The wiring goes after whichever comes later: the group's creation,
	// the stream's opening, the cancel func's definition.
	stmt := statementOf(laterStmt(laterStmt(g.def.stmt, s.def.stmt), cancelDef))
	if !stmt.Valid() || !inStatementList(stmt) {
		return nil
	}
	if !p.scopeReaches(g.def.stmt, stmt) || !p.scopeReaches(s.def.stmt, stmt) {
		return nil
	}
	if r.closer != "" && !p.canName(s, r.stream, stmt.Node().End()) {
		return nil // the wiring could not name the stream to close it
	}
	p.after = c.pastErrCheck(stmt)
	return p
}

// planClose plans shape 6: the stream's context is not visible, and a
// connect-go v2 stream is closed instead.
func (c *checker) planClose(r *remedy) *fixPlan {
	s, g := r.use.stream, r.group
	if g.zero() {
		return nil
	}
	stmt := statementOf(g.def.stmt)
	if !stmt.Valid() || !inStatementList(stmt) {
		return nil
	}
	p := c.newFixPlan(g.def.stmt)
	if p == nil {
		return nil
	}
	// The stream must be a variable that can be named where the wiring goes.
	v, ok := s.key.(*types.Var)
	if !ok || v.IsField() || v.Name() != s.name || !p.visibleAt(v, stmt.Node().End()) {
		return nil
	}
	if !p.useContextPkg(c, stmt.Node().Pos()) {
		return nil
	}
	if p.gctx = c.planGroupCtx(p, s, g); p.gctx == nil {
		return nil
	}
	p.after = stmt
	return p
}

// planAddClose plans the close of a connect-go bidi stream whose
// context the group's failure already cancels (SPEC section 5: cancel and
// close): in the func that cancels it, when one runs once the group's
// context is done; else wired with the cancel; else, for a stream opened
// under the group, on its own after the opening.
func (c *checker) planAddClose(r *remedy) *fixPlan {
	if r.site != nil {
		if p := c.planCloseAtSite(r); p != nil {
			return p
		}
		r.site = nil
	}
	if r.cancel != "" {
		return c.planWiring(r)
	}
	s, g := r.use.stream, r.group
	stmt := statementOf(s.def.stmt)
	if g.gctx == nil || !stmt.Valid() || !inStatementList(stmt) {
		return nil
	}
	p := c.newFixPlan(stmt)
	if p == nil || !p.visibleAt(g.gctx.obj, stmt.Node().End()) || !p.canName(s, r.stream, stmt.Node().End()) {
		return nil
	}
	if !p.useContextPkg(c, stmt.Node().Pos()) {
		return nil
	}
	p.gctx = &groupCtx{name: g.gctx.obj.Name()}
	p.after = c.pastErrCheck(stmt)
	return p
}

// planCloseAtSite plans the close inside the func at r.site, or returns
// nil when the stream cannot be named there.
func (c *checker) planCloseAtSite(r *remedy) *fixPlan {
	site, s := r.site, r.use.stream
	p := c.newFixPlan(r.group.def.stmt)
	if p == nil {
		return nil
	}
	if site.arg != nil {
		// context.AfterFunc(gctx, cancel) becomes a literal that also
		// closes; only a func() can be called as cancel().
		sig, ok := c.info.TypeOf(site.arg).Underlying().(*types.Signature)
		if !ok || sig.Params().Len() != 0 || !p.canName(s, r.stream, site.arg.Pos()) {
			return nil
		}
		return p
	}
	if !site.stmt.Valid() || !p.canName(s, r.stream, site.stmt.Node().End()) {
		return nil
	}
	if _, ok := site.stmt.Node().(*ast.ExprStmt); !ok {
		return nil
	}
	return p
}

// canName reports whether the stream s, as the remedy names it, can be
// written at pos and means s there.
func (p *fixPlan) canName(s *streamRef, name string, pos token.Pos) bool {
	id, ok := s.def.lhs.(*ast.Ident)
	if !ok || !p.visibleAt(s.def.obj, pos) {
		return false
	}
	// stream, or sess.stream for a stream a constructor put in sess
	return name == id.Name || strings.HasPrefix(name, id.Name+".")
}

func (c *checker) newFixPlan(at inspector.Cursor) *fixPlan {
	pos := at.Node().Pos()
	var file *ast.File
	for _, f := range c.pass.Files {
		if within(f, pos) {
			file = f
		}
	}
	tok := c.pass.Fset.File(pos)
	if file == nil || tok == nil {
		return nil
	}
	p := &fixPlan{file: file, tok: tok, scope: c.info.Scopes[file], claims: make(map[string]bool)}
	if fn := outermostFunc(at); fn.Valid() {
		var ft *ast.FuncType
		switch n := fn.Node().(type) {
		case *ast.FuncDecl:
			ft = n.Type
		case *ast.FuncLit:
			ft = n.Type
		}
		if s := c.info.Scopes[ft]; s != nil {
			p.scope = s
		}
	}
	if p.scope == nil {
		return nil
	}
	return p
}

// record makes the plan's names and shared parts known to the package's
// later fixes.
func (c *checker) record(p *fixPlan, r *remedy) {
	st := &c.fixes
	if st.claimed == nil {
		st.claimed = make(map[*types.Scope]map[string]bool)
		st.wraps = make(map[any]*wrap)
		st.groupCtxs = make(map[*group]*groupCtx)
		st.reparented = make(map[*group]bool)
	}
	if st.claimed[p.scope] == nil {
		st.claimed[p.scope] = make(map[string]bool)
	}
	for name := range p.claims {
		st.claimed[p.scope][name] = true
	}
	if p.wrap != nil {
		st.wraps[r.use.stream.key] = p.wrap
		if p.wrap.reparent != nil || p.wrap.zeroGroup {
			st.reparented[r.group] = true
		}
	}
	if p.gctx != nil {
		st.groupCtxs[r.group] = p.gctx
	}
}

// planWrap plans shape 2: derive rpcCtx, rpcCancel before the stream is
// opened and open it on rpcCtx; parent the group on rpcCtx too when it
// shared the stream's context, so that an early return releases it.
func (c *checker) planWrap(p *fixPlan, s *streamRef, g *group) *wrap {
	if w := c.fixes.wraps[s.key]; w != nil {
		return w
	}
	open := statementOf(s.def.stmt)
	if !open.Valid() || !inStatementList(open) || s.open == nil || s.ctxArg == nil {
		return nil
	}
	if fn := outermostFunc(open); !fn.Valid() || !within(fn.Node(), s.ctxArg.Pos()) {
		return nil // the context is chosen in another function: a constructor that does not take it
	}
	w := &wrap{at: open, ctxArg: s.ctxArg, ctxText: types.ExprString(s.ctxArg)}
	if (g.zero() || g.parent == s.ctx) && !c.fixes.reparented[g] {
		if gs := statementOf(g.def.stmt); gs.Valid() && gs.Parent() == open.Parent() {
			if g.zero() {
				w.zeroGroup = true // planGroupCtx creates it on rpcCtx
			} else {
				w.reparent = g.parentArg
			}
			if gs.Node().Pos() < open.Node().Pos() {
				w.at = gs // rpcCtx goes before both
			}
		}
	}
	pos := w.at.Node().Pos()
	if w.at != open && c.ctxAt(s.ctxArg, pos) != s.ctx {
		return nil // the context expression means something else up there
	}
	w.ctx = p.fresh(c, "rpcCtx", pos)
	w.cancel = p.fresh(c, "rpcCancel", pos)
	return w
}

// planGroupCtx returns how the fix names g's context, or nil for no fix.
func (c *checker) planGroupCtx(p *fixPlan, s *streamRef, g *group) *groupCtx {
	if gc := c.fixes.groupCtxs[g]; gc != nil {
		return gc
	}
	if g.gctx != nil {
		return &groupCtx{name: g.gctx.obj.Name()}
	}
	stmt := statementOf(g.def.stmt)
	if !stmt.Valid() {
		return nil
	}
	if !g.zero() {
		// g, _ := errgroup.WithContext(ctx): name the context.
		as, ok := g.def.stmt.Node().(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 2 {
			return nil
		}
		return &groupCtx{name: p.fresh(c, placeholderGctx, as.End()), rename: as.Lhs[1]}
	}
	// A zero-value group: only when it is used through method calls alone.
	if !inStatementList(stmt) || !c.onlyMethodCalls(g) || !s.visible() {
		return nil
	}
	parent := types.ExprString(s.ctxArg)
	if w := p.wrap; w != nil && w.at.Node().Pos() <= stmt.Node().Pos() {
		parent = w.ctx
	} else if c.ctxAt(s.ctxArg, stmt.Node().Pos()) != s.ctx {
		return nil
	}
	errgroup := p.importName(c, errgroupPath, stmt.Node().Pos())
	if errgroup == "" {
		return nil
	}
	name := p.fresh(c, placeholderGctx, stmt.Node().End())
	return &groupCtx{
		name:   name,
		create: stmt,
		text:   fmt.Sprintf("%s, %s := %s.WithContext(%s)", g.name(), name, errgroup, parent),
	}
}

// onlyMethodCalls reports whether every use of the zero-value group g is
// a method call g.M(...), so that turning it into a *errgroup.Group
// changes nothing else, and g is declared alone in its statement.
func (c *checker) onlyMethodCalls(g *group) bool {
	switch n := g.def.stmt.Node().(type) {
	case *ast.ValueSpec:
		decl, ok := g.def.stmt.Parent().Node().(*ast.GenDecl)
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
	obj := g.def.obj
	if len(c.defs[obj]) != 1 {
		return false
	}
	fn := outermostFunc(g.def.stmt)
	if !fn.Valid() {
		return false
	}
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		if c.info.Uses[cur.Node().(*ast.Ident)] != obj {
			continue
		}
		if cur.ParentEdgeKind() != edge.SelectorExpr_X || cur.Parent().ParentEdgeKind() != edge.CallExpr_Fun {
			return false
		}
	}
	return true
}

// pastErrCheck returns the `if err != nil { ... }` that checks the error
// stmt assigns, if one follows it, so that the wiring goes after it.
func (c *checker) pastErrCheck(stmt inspector.Cursor) inspector.Cursor {
	as, ok := stmt.Node().(*ast.AssignStmt)
	if !ok {
		return stmt
	}
	next, ok := stmt.NextSibling()
	if !ok {
		return stmt
	}
	ifs, ok := next.Node().(*ast.IfStmt)
	if !ok || ifs.Init != nil {
		return stmt
	}
	cond, ok := ifs.Cond.(*ast.BinaryExpr)
	if !ok || cond.Op != token.NEQ {
		return stmt
	}
	x, ok := cond.X.(*ast.Ident)
	if !ok || !c.isNil(cond.Y) {
		return stmt
	}
	for _, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); ok && id.Name != "_" && c.info.ObjectOf(id) == c.info.Uses[x] {
			return next
		}
	}
	return stmt
}

func (c *checker) isNil(e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := c.info.Uses[id].(*types.Nil)
	return isNil
}

// statementOf returns the statement that holds the def at cur: the
// assignment itself, or the declaration of a var spec.
func statementOf(cur inspector.Cursor) inspector.Cursor {
	if _, ok := cur.Node().(*ast.ValueSpec); ok {
		cur = cur.Parent() // GenDecl
		if cur.Valid() {
			cur = cur.Parent() // DeclStmt
		}
	}
	return cur
}

// inStatementList reports whether the statement at cur stands in a
// statement list, where statements can be inserted before and after it.
func inStatementList(cur inspector.Cursor) bool {
	switch cur.ParentEdgeKind() {
	case edge.BlockStmt_List, edge.CaseClause_Body, edge.CommClause_Body:
		return true
	}
	return false
}

// laterStmt returns whichever of a and b starts later.
func laterStmt(a, b inspector.Cursor) inspector.Cursor {
	if !a.Valid() {
		return b
	}
	if !b.Valid() {
		return a
	}
	if b.Node().Pos() > a.Node().Pos() {
		return b
	}
	return a
}
