package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
)

// FixMessage is the title of the one suggested fix of every diagnostic.
const FixMessage = "Cancel the RPC when the errgroup's context is done"

// A fixPlan says where each line of a remedy's fix goes and which names
// it introduces (SPEC section 5). edits.go renders it as text edits.
type fixPlan struct {
	file      *ast.File
	tok       *token.File
	scope     *types.Scope     // the scope of the outermost function around the fix
	ctxPkg    string           // the file's name for package context
	importCtx bool             // the file does not import context yet
	cancel    string           // the cancel func the wiring calls
	wrap      *wrap            // the derived pair, when the remedy derives one
	gctx      *groupCtx        // the group's context
	after     inspector.Cursor // the wiring goes after this statement
	before    inspector.Cursor // or, when valid, before this one (after the pair)
	swap      ast.Expr         // the context the group's context replaces (shape openUnderGroup)

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
	hoisted     bool             // before the group's creation, for a stream opened in a task
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
	case openUnderGroup:
		p = c.planSwap(r)
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
	var cancelObj types.Object
	if r.derive {
		p.wrap = c.planWrap(p, s, g)
		if p.wrap == nil {
			return nil
		}
		p.cancel, cancelDef = p.wrap.cancel, p.wrap.at
	} else {
		n := cancelFuncs(s.ctx)[0]
		p.cancel, cancelDef, cancelObj = n.cancel.Name(), n.def.stmt, n.cancel
	}
	if p.gctx = c.planGroupCtx(p, s, g); p.gctx == nil {
		return nil
	}
	if !c.placeWiring(p, r, cancelDef, cancelObj) {
		return nil
	}
	return p
}

// placeWiring decides where the wiring goes. It must come after the
// group's creation and the cancel func's definition, and after the
// opening when it closes the stream, which it names. It goes early, as
// soon as those two exist and before the opening, when the opening blocks
// (SPEC section 5, "Wire before a blocking open"), when the pair was
// hoisted into the group's function, and when the stream is opened in a
// loop with one cancel func for all iterations; else after the opening
// (and its error check), as it always has. A wiring that would register
// once per iteration is no fix.
func (c *checker) placeWiring(p *fixPlan, r *remedy, cancelDef inspector.Cursor, cancelObj types.Object) bool {
	s, g := r.use.stream, r.group
	w := p.wrap
	early := r.closer == "" && (blockingOpen(s) || w != nil && w.hoisted || r.loop)
	if early && w != nil && w.at.Node().Pos() > g.def.stmt.Node().Pos() {
		// The pair goes after the group's creation: the wiring joins it.
		p.before = w.at
		return p.scopeReachesPos(g.def.stmt, w.at.Node().Pos()) && !pilesUp(w.at, g.def.stmt)
	}
	last := laterStmt(g.def.stmt, cancelDef)
	if !early {
		last = laterStmt(last, s.def.stmt)
	}
	stmt := statementOf(last)
	if !stmt.Valid() || !inStatementList(stmt) {
		return false
	}
	end := stmt.Node().End()
	if !p.scopeReaches(g.def.stmt, stmt) || !early && !p.scopeReaches(s.def.stmt, stmt) {
		return false
	}
	if cancelObj != nil && !p.visibleAt(cancelObj, end) {
		return false
	}
	if r.closer != "" && !p.canName(s, r.stream, end) {
		return false // the wiring could not name the stream to close it
	}
	p.after = c.pastErrCheck(stmt)
	return !pilesUp(p.after, g.def.stmt)
}

// blockingOpen reports whether the call that opened s waits for the
// peer: a connect-go server stream's opening (v1 and v2 CallServerStream,
// and the generated methods and helpers that return its result) sends the
// request and waits for the response headers (SPEC section 2; the
// opening rows of e2e/facts_test.go). grpc-go's returns at once.
func blockingOpen(s *streamRef) bool {
	if s.open == nil || s.typ == nil || s.kind.server {
		return false
	}
	switch s.kind.lib {
	case connectV1:
		return isNamed(s.typ, connectV1Path, "ServerStreamForClient")
	case connectV2:
		return !s.bidi && hasMethod(s.typ, "Receive") && !hasMethod(s.typ, "CloseAndReceive")
	}
	return false
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
