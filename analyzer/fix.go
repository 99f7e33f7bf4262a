package analyzer

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"go/version"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/edge"
	"golang.org/x/tools/go/ast/inspector"
)

// FixMessage is the title of the one suggested fix of every diagnostic.
const FixMessage = "Cancel the RPC when the errgroup's context is done"

// fixState is what the fixes of one package share, so that two fixes in
// one function pick different names, and the parts that two fixes both
// need (wrapping one stream's context, naming one group's context) are
// identical edits that the drivers coalesce.
type fixState struct {
	claimed map[*types.Scope]map[string]bool // fresh names taken, per function
	wraps   map[any]*wrap                    // per stream key
	gctx    map[*group]*groupEdit            // per group
	parent  map[*group]bool                  // groups already re-parented on an rpcCtx
}

// A wrap is `rpcCtx, rpcCancel := context.WithCancel(ctx)` before a stream.
type wrap struct {
	ctx, cancel string
	at          token.Pos // where the definition is inserted
	edits       []analysis.TextEdit
}

// A groupEdit gives a group a usable context: its name, and the edits
// that name it (discarded context) or create it (zero-value group).
type groupEdit struct {
	name  string
	edits []analysis.TextEdit
	ok    bool
}

// A fixer builds the edits of one fix.
type fixer struct {
	c      *checker
	file   *ast.File
	tok    *token.File
	pkgCtx string // local name of package context in this file
	edits  []analysis.TextEdit
	old    bool         // the file's Go version predates context.AfterFunc
	outer  *types.Scope // scope of the outermost function around the fix
}

// beforeAfterFunc reports whether the file holding pos has a Go version
// before 1.21, which added context.AfterFunc. An unknown version is
// taken as current.
func (c *checker) beforeAfterFunc(pos token.Pos) bool {
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			v := c.info.FileVersions[f]
			return v != "" && version.Compare(v, "go1.21") < 0
		}
	}
	return false
}

// fix returns the suggested fix for the diagnostic of stream use u in
// group g (SPEC section 5), or nil when no safe fix exists.
func (c *checker) fix(u *use, g *group) *analysis.SuggestedFix {
	f := c.newFixer(g.def.stmt)
	if f == nil {
		return nil
	}
	if !f.build(u.stream, g) {
		return nil
	}
	return &analysis.SuggestedFix{Message: FixMessage, TextEdits: f.edits}
}

func (c *checker) newFixer(at inspector.Cursor) *fixer {
	pos := at.Node().Pos()
	var file *ast.File
	for _, f := range c.pass.Files {
		if f.FileStart <= pos && pos <= f.FileEnd {
			file = f
		}
	}
	if file == nil {
		return nil
	}
	tok := c.pass.Fset.File(pos)
	if tok == nil {
		return nil
	}
	f := &fixer{c: c, file: file, tok: tok, old: c.beforeAfterFunc(pos), outer: c.info.Scopes[file]}
	if fn := enclosingFunc(at); fn.Valid() {
		var ft *ast.FuncType
		switch n := fn.Node().(type) {
		case *ast.FuncDecl:
			ft = n.Type
		case *ast.FuncLit:
			ft = n.Type
		}
		if s := c.info.Scopes[ft]; s != nil {
			f.outer = s
		}
	}
	if f.outer == nil {
		return nil
	}
	if c.fixes == nil {
		c.fixes = &fixState{
			claimed: make(map[*types.Scope]map[string]bool),
			wraps:   make(map[any]*wrap),
			gctx:    make(map[*group]*groupEdit),
			parent:  make(map[*group]bool),
		}
	}
	return f
}

// build adds the edits for stream s and group g; false means no fix.
func (f *fixer) build(s *streamRef, g *group) bool {
	if !s.visible() {
		return f.buildClose(s, g)
	}
	if !f.importContext(g.def.stmt.Node().Pos()) {
		return false
	}
	// The cancel func to call, and where its context begins to exist.
	var cancel string
	var cause bool
	var cancelDef inspector.Cursor
	if cs := cancelFuncs(s.ctx); len(cs) > 0 {
		n := cs[0]
		cancel, cause, cancelDef = n.cancel.Name(), n.cause, n.def.stmt
		if !f.visibleAt(n.cancel, g.def.stmt.Node().End()) && !f.visibleAt(n.cancel, s.def.stmt.Node().End()) {
			return false
		}
	} else {
		w := f.wrapStream(s, g)
		if w == nil {
			return false
		}
		cancel, cancelDef = w.cancel, s.def.stmt
	}
	gctx := f.groupContext(s, g)
	if gctx == "" {
		return false
	}
	// Insert the wiring after whichever comes later: the group's creation,
	// the stream's opening, the cancel func's definition.
	after := laterStmt(g.def.stmt, s.def.stmt)
	after = laterStmt(after, cancelDef)
	stmt := statementOf(after)
	if !stmt.Valid() || !listed(stmt) {
		return false
	}
	if !f.scopeReaches(g.def.stmt, stmt) || !f.scopeReaches(s.def.stmt, stmt) {
		return false
	}
	stmt = f.pastErrCheck(stmt)
	call := cancel + "()"
	if cause {
		call = fmt.Sprintf("%s(%s.Cause(%s))", cancel, f.pkgCtx, gctx)
	}
	literal := cause
	if closer := f.c.responseCloser(s); closer != "" {
		if id, ok := s.def.lhs.(*ast.Ident); ok && f.visibleAt(s.def.obj, stmt.Node().End()) {
			call += fmt.Sprintf("; _ = %s.%s()", id.Name, closer)
			literal = true
		}
	}
	f.insertAfter(stmt, f.wiring(gctx, cancel, call, literal))
	return true
}

// responseCloser returns the method that frees a connect-go stream's
// pending Receive once the response headers have arrived: cancelling the
// context alone does not then, while the request side is still open (Go's
// HTTP/2 client watches the context only once the request body is
// written; see e2e/facts_test.go). "" for grpc-go and for streams without
// such a method.
func (c *checker) responseCloser(s *streamRef) string {
	var name string
	switch s.kind.lib {
	case connectV1:
		name = "CloseResponse"
	case connectV2:
		name = "Close"
	default:
		return ""
	}
	t := s.def.obj.Type()
	if obj, _, _ := types.LookupFieldOrMethod(t, true, nil, name); obj != nil {
		if fn, ok := obj.(*types.Func); ok && fn.Signature().Params().Len() == 0 {
			return name
		}
	}
	return ""
}

// pastErrCheck returns the `if err != nil { ... }` that checks the error
// stmt assigns, if one follows it, so that the wiring goes after it.
func (f *fixer) pastErrCheck(stmt inspector.Cursor) inspector.Cursor {
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
	if !ok || !isNil(f.c.info, cond.Y) {
		return stmt
	}
	for _, l := range as.Lhs {
		if id, ok := l.(*ast.Ident); ok && id.Name != "_" && f.c.info.ObjectOf(id) == f.c.info.Uses[x] {
			return next
		}
	}
	return stmt
}

func isNil(info *types.Info, e ast.Expr) bool {
	id, ok := ast.Unparen(e).(*ast.Ident)
	if !ok {
		return false
	}
	_, isNil := info.Uses[id].(*types.Nil)
	return isNil
}

// wiring is the statement that cancels the RPC when gctx is done.
func (f *fixer) wiring(gctx, cancel, call string, literal bool) string {
	switch {
	case f.old:
		return fmt.Sprintf("go func() { <-%s.Done(); %s }()", gctx, call)
	case literal:
		return fmt.Sprintf("%s.AfterFunc(%s, func() { %s })", f.pkgCtx, gctx, call)
	}
	return fmt.Sprintf("%s.AfterFunc(%s, %s)", f.pkgCtx, gctx, cancel)
}

// buildClose is shape 6: the stream's context is not visible. Only a
// connect-go v2 stream can be freed, by its Close.
func (f *fixer) buildClose(s *streamRef, g *group) bool {
	if s.kind.lib != connectV2 || g.zero() {
		return false
	}
	stmt := statementOf(g.def.stmt)
	if !stmt.Valid() || !listed(stmt) {
		return false
	}
	// The stream must be nameable where the wiring goes.
	id := rootIdent(s.name, s)
	if id == nil || !f.visibleAt(id, stmt.Node().End()) {
		return false
	}
	if !f.importContext(stmt.Node().Pos()) {
		return false
	}
	gctx := f.groupContext(s, g)
	if gctx == "" {
		return false
	}
	f.insertAfter(stmt, f.wiring(gctx, "", "_ = "+s.name+".Close()", true))
	return true
}

// rootIdent returns the variable that the stream's name starts with
// ("stream" for stream, "c" for c.stream), when it is a variable.
func rootIdent(name string, s *streamRef) types.Object {
	obj, ok := s.key.(types.Object)
	if !ok {
		return nil
	}
	if v, ok := obj.(*types.Var); ok && !v.IsField() && v.Name() == name {
		return v
	}
	return nil
}

// wrapStream is shape 2: define rpcCtx, rpcCancel before the stream is
// opened, pass rpcCtx to the opening call, and parent the group on
// rpcCtx when it shared the stream's context.
func (f *fixer) wrapStream(s *streamRef, g *group) *wrap {
	st := f.c.fixes
	if w, ok := st.wraps[s.key]; ok {
		if w == nil {
			return nil
		}
		f.edits = append(f.edits, w.edits...)
		return w
	}
	st.wraps[s.key] = nil
	open := statementOf(s.def.stmt)
	if !open.Valid() || !listed(open) || s.open == nil || s.ctxArg == nil {
		return nil
	}
	// Parent the group on rpcCtx too when it shares the stream's context
	// (or has none yet) and is created in the same block; then rpcCtx goes
	// before both.
	at := open
	reparent := false
	if (g.zero() || g.parent == s.ctx) && !st.parent[g] {
		gs := statementOf(g.def.stmt)
		if gs.Valid() && gs.Parent() == open.Parent() {
			reparent = true
			if gs.Node().Pos() < at.Node().Pos() {
				at = gs
			}
		}
	}
	pos := at.Node().Pos()
	w := &wrap{at: pos}
	w.ctx = f.fresh("rpcCtx", pos)
	w.cancel = f.fresh("rpcCancel", pos)
	ctxText := f.c.text(s.ctxArg)
	if at != open && f.c.ctxAt(s.ctxArg, pos) != s.ctx {
		return nil // the context expression means something else up there
	}
	var edits []analysis.TextEdit
	edits = append(edits, f.insertBeforeEdit(at, fmt.Sprintf("%s, %s := %s.WithCancel(%s)", w.ctx, w.cancel, f.pkgCtx, ctxText), "defer "+w.cancel+"()"))
	edits = append(edits, replace(s.ctxArg, w.ctx))
	if reparent {
		st.parent[g] = true
		if !g.zero() {
			edits = append(edits, replace(g.call.Args[0], w.ctx))
		} // a zero-value group is created on rpcCtx by groupContext
	}
	w.edits = edits
	st.wraps[s.key] = w
	f.edits = append(f.edits, edits...)
	return w
}

// groupContext returns the name of g's context, adding the edits that
// name a discarded one (shape 3) or turn a zero-value group into
// errgroup.WithContext (shape 4). "" means no fix.
func (f *fixer) groupContext(s *streamRef, g *group) string {
	st := f.c.fixes
	ge, ok := st.gctx[g]
	if !ok {
		ge = f.makeGroupContext(s, g)
		st.gctx[g] = ge
	}
	if !ge.ok {
		return ""
	}
	f.edits = append(f.edits, ge.edits...)
	return ge.name
}

func (f *fixer) makeGroupContext(s *streamRef, g *group) *groupEdit {
	if g.gctx != nil {
		return &groupEdit{name: g.gctx.obj.Name(), ok: true}
	}
	stmt := statementOf(g.def.stmt)
	if !stmt.Valid() {
		return &groupEdit{}
	}
	if !g.zero() {
		// g, _ := errgroup.WithContext(ctx): name the context.
		as, ok := g.def.stmt.Node().(*ast.AssignStmt)
		if !ok || as.Tok != token.DEFINE || len(as.Lhs) != 2 {
			return &groupEdit{}
		}
		name := f.fresh("gctx", as.End())
		return &groupEdit{name: name, ok: true, edits: []analysis.TextEdit{replace(as.Lhs[1], name)}}
	}
	// A zero-value group: only when it is used through method calls alone.
	if !listed(stmt) || !f.onlyMethodCalls(g) || !s.visible() {
		return &groupEdit{}
	}
	parent := f.c.text(s.ctxArg)
	if w := f.c.fixes.wraps[s.key]; w != nil && w.at <= stmt.Node().Pos() {
		parent = w.ctx
	} else if f.c.ctxAt(s.ctxArg, stmt.Node().Pos()) != s.ctx {
		return &groupEdit{}
	}
	name := f.fresh("gctx", stmt.Node().End())
	errgroup := f.importName(errgroupPath, stmt.Node().Pos())
	if errgroup == "" {
		return &groupEdit{}
	}
	text := fmt.Sprintf("%s, %s := %s.WithContext(%s)", g.name(), name, errgroup, parent)
	return &groupEdit{name: name, ok: true, edits: []analysis.TextEdit{{
		Pos: stmt.Node().Pos(), End: stmt.Node().End(), NewText: []byte(text),
	}}}
}

// onlyMethodCalls reports whether every use of the zero-value group g is
// a method call g.M(...), so that turning it into a *errgroup.Group
// changes nothing else, and g is declared alone in its statement.
func (f *fixer) onlyMethodCalls(g *group) bool {
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
	if len(f.c.defsOf(obj)) != 1 {
		return false
	}
	fn := enclosingFunc(g.def.stmt)
	if !fn.Valid() {
		return false
	}
	for cur := range fn.Preorder((*ast.Ident)(nil)) {
		id := cur.Node().(*ast.Ident)
		if id.Name != obj.Name() || f.c.info.Uses[id] != obj {
			continue // the name check spares most map lookups
		}
		if cur.ParentEdgeKind() != edge.SelectorExpr_X {
			return false
		}
		sel := cur.Parent()
		if sel.ParentEdgeKind() != edge.CallExpr_Fun {
			return false
		}
	}
	return true
}

// scope returns the innermost scope at pos. It starts from the scope of
// the function the fix is in: from the package scope, Innermost scans
// every function of the file.
func (f *fixer) scope(pos token.Pos) *types.Scope {
	if s := f.outer.Innermost(pos); s != nil {
		return s
	}
	return f.c.pass.Pkg.Scope().Innermost(pos)
}

// fresh returns a name based on base that neither collides with nor
// shadows anything visible at pos, nor anything declared later in the
// scopes below, nor a name another fix of this package chose in the
// same function: base, base2, base3, ...
func (f *fixer) fresh(base string, pos token.Pos) string {
	scope := f.scope(pos)
	claimed := f.c.fixes.claimed[f.outer]
	if claimed == nil {
		claimed = make(map[string]bool)
		f.c.fixes.claimed[f.outer] = claimed
	}
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s%d", base, i)
		}
		if claimed[name] || !free(scope, name, pos) {
			continue
		}
		claimed[name] = true
		return name
	}
}

// free reports whether name is unused at pos in scope and below it.
func free(scope *types.Scope, name string, pos token.Pos) bool {
	if scope == nil {
		return true
	}
	if _, obj := scope.LookupParent(name, pos); obj != nil {
		return false
	}
	return !declaredBelow(scope, name)
}

func declaredBelow(s *types.Scope, name string) bool {
	if s.Lookup(name) != nil {
		return true
	}
	for child := range s.Children() {
		if declaredBelow(child, name) {
			return true
		}
	}
	return false
}

// visibleAt reports whether obj is what its name denotes at pos.
func (f *fixer) visibleAt(obj types.Object, pos token.Pos) bool {
	scope := f.scope(pos)
	if scope == nil {
		return false
	}
	_, found := scope.LookupParent(obj.Name(), pos)
	return found == obj
}

// scopeReaches reports whether what is declared by the statement at from
// is in scope at the end of the statement at to.
func (f *fixer) scopeReaches(from, to inspector.Cursor) bool {
	a := f.scope(from.Node().Pos())
	b := f.scope(to.Node().End())
	for s := b; s != nil; s = s.Parent() {
		if s == a {
			return true
		}
	}
	return false
}

// importContext makes sure the file imports package context, and records
// its local name. It reports false when that name is shadowed at pos.
func (f *fixer) importContext(pos token.Pos) bool {
	f.pkgCtx = f.importName(contextPath, pos)
	if f.pkgCtx != "" {
		return true
	}
	if scope := f.scope(pos); scope != nil {
		if _, obj := scope.LookupParent("context", pos); obj != nil {
			return false // a local "context" would hide the import
		}
	}
	f.pkgCtx = "context"
	f.edits = append(f.edits, f.addImport(contextPath))
	return true
}

// importName returns the name under which the file imports path, if it
// does and that name denotes the package at pos; "" otherwise.
func (f *fixer) importName(path string, pos token.Pos) string {
	for _, spec := range f.file.Imports {
		if strings.Trim(spec.Path.Value, "`\"") != path {
			continue
		}
		pn := f.c.info.PkgNameOf(spec)
		if pn == nil || pn.Name() == "_" || pn.Name() == "." {
			continue
		}
		scope := f.scope(pos)
		if scope == nil {
			continue
		}
		if _, obj := scope.LookupParent(pn.Name(), pos); obj == pn {
			return pn.Name()
		}
	}
	return ""
}

// addImport returns the edit that adds an import of path (a standard
// library package) where gofmt keeps it: sorted into the first import
// block's standard library group, else as a declaration of its own.
func (f *fixer) addImport(path string) analysis.TextEdit {
	quoted := fmt.Sprintf("%q", path)
	var first *ast.GenDecl
	for _, d := range f.file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			first = gd
			break
		}
	}
	if first == nil {
		return insertion(f.file.Name.End(), "\n\nimport "+quoted)
	}
	if !first.Lparen.IsValid() {
		return insertion(first.Pos(), "import "+quoted+"\n")
	}
	var lastStd *ast.ImportSpec
	for _, s := range first.Specs {
		spec := s.(*ast.ImportSpec)
		p := strings.Trim(spec.Path.Value, "`\"")
		if !isStdPath(p) {
			if lastStd != nil {
				break
			}
			// no standard library group yet: start one on top
			return insertion(spec.Pos(), quoted+"\n\n\t")
		}
		if p > path {
			return insertion(spec.Pos(), quoted+"\n\t")
		}
		lastStd = spec
	}
	if lastStd != nil {
		return insertion(lastStd.End(), "\n\t"+quoted)
	}
	return insertion(first.Lparen+1, "\n\t"+quoted)
}

func isStdPath(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

// insertAfter inserts a statement on a line of its own after stmt, after
// any comment that ends stmt's line.
func (f *fixer) insertAfter(stmt inspector.Cursor, text string) {
	end := stmt.Node().End()
	line := f.tok.Line(end)
	pos := f.lineEnd(line)
	f.edits = append(f.edits, insertion(pos, "\n"+f.indent(stmt.Node().Pos())+text))
}

// insertBeforeEdit returns the edit that inserts statements on lines of
// their own before stmt, above the comments that lead up to it, so that
// those comments stay with the statement they describe.
func (f *fixer) insertBeforeEdit(stmt inspector.Cursor, lines ...string) analysis.TextEdit {
	start := stmt.Node().Pos()
	line := f.tok.Line(start)
	before, _ := slices.BinarySearchFunc(f.file.Comments, start, func(cg *ast.CommentGroup, p token.Pos) int {
		return cmp.Compare(cg.Pos(), p)
	})
	for i := before - 1; i >= 0; i-- {
		cg := f.file.Comments[i]
		if f.tok.Line(cg.End()) != line-1 || f.tok.Position(cg.Pos()).Column != f.tok.Position(start).Column {
			break
		}
		line = f.tok.Line(cg.Pos())
	}
	indent := f.indent(start)
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(indent + l + "\n")
	}
	return insertion(f.tok.LineStart(line), b.String())
}

// lineEnd returns the position of the newline that ends line.
func (f *fixer) lineEnd(line int) token.Pos {
	if line < f.tok.LineCount() {
		return f.tok.LineStart(line+1) - 1
	}
	return token.Pos(f.tok.Base() + f.tok.Size())
}

// indent returns the indentation of the line holding pos (gofmt indents
// with tabs, one per level).
func (f *fixer) indent(pos token.Pos) string {
	col := f.tok.Position(pos).Column
	if col < 1 {
		col = 1
	}
	return strings.Repeat("\t", col-1)
}

func insertion(pos token.Pos, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: pos, End: pos, NewText: []byte(text)}
}

func replace(e ast.Node, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: e.Pos(), End: e.End(), NewText: []byte(text)}
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

// listed reports whether the statement at cur stands in a statement
// list, where statements can be inserted before and after it.
func listed(cur inspector.Cursor) bool {
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
