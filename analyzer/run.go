package analyzer

import (
	"cmp"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"sort"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// checker holds what one pass learns about one package.
type checker struct {
	pass    *analysis.Pass
	info    *types.Info
	root    inspector.Cursor
	streams *streamTypes
	set     Settings

	defs         map[*types.Var][]*def // keyed by pointer: hashed faster than an interface
	groupList    []*group              // groups with tasks, in source order
	ctxNodes     map[ctxKey]*ctxNode
	decls        map[*types.Func]inspector.Cursor
	trackedTypes map[types.Type]bool
	fixes        *fixState

	topDecls  []inspector.Cursor // the files' declarations, in walk order
	collected int                // topDecls[:collected] have been walked
	walking   int                // the declaration being walked, or -1
	files     []fileSpan         // the files' positions, by start; nil when in walk order
}

// A fileSpan is the range of positions of one file and its place in the
// order the driver lists the files (the walk's order).
type fileSpan struct {
	start, end token.Pos
	index      int
}

func run(pass *analysis.Pass, s Settings) (any, error) {
	if !imports(pass.Pkg, errgroupPath) {
		return nil, nil // no group can be created here
	}
	in, ok := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	if !ok || pass.TypesInfo == nil {
		return nil, nil
	}
	c := &checker{
		pass:         pass,
		info:         pass.TypesInfo,
		root:         in.Root(),
		streams:      newStreamTypes(s.GRPC),
		set:          s,
		defs:         make(map[*types.Var][]*def),
		ctxNodes:     make(map[ctxKey]*ctxNode),
		decls:        make(map[*types.Func]inspector.Cursor),
		trackedTypes: make(map[types.Type]bool),
	}
	c.checkPackage()
	return nil, nil
}

// imports reports whether pkg imports path directly. A group must be
// created in the package for anything to be reported, and creating one
// names errgroup.
func imports(pkg *types.Package, path string) bool {
	if pkg == nil {
		return false
	}
	return slices.ContainsFunc(pkg.Imports(), func(p *types.Package) bool { return p.Path() == path })
}

// checkPackage is the one walk of the syntax, a top-level declaration at
// a time: it records the assignments of the values that matter and the
// groups' Go calls (collectDecl), and checks the groups that a function
// creates as soon as the function has been walked, while its syntax is
// still in the CPU's caches. A check can look further down the package
// (a task calls a helper declared later); collectThrough then walks on
// to there first, so that the defs before any position the analysis asks
// about are all recorded, as if the whole package had been walked.
// "Before" is walk order (cmpPos), whatever order the files were parsed
// in.
// Groups held in package variables, whose Go calls can be in any
// function, are checked at the end.
func (c *checker) checkPackage() {
	c.walking = -1
	for file := range c.root.Children() {
		for d := range file.Children() {
			switch n := d.Node().(type) {
			case *ast.FuncDecl:
				if fn, ok := c.info.Defs[n.Name].(*types.Func); ok && n.Body != nil {
					c.decls[fn] = d
				}
				c.topDecls = append(c.topDecls, d)
			case *ast.GenDecl:
				c.topDecls = append(c.topDecls, d)
			}
		}
	}
	c.files = outOfOrderFiles(c.pass.Files)
	next := 0 // c.groupList[:next] are checked or deferred
	var late []*group
	for i := range c.topDecls {
		c.walkTo(i + 1)
		for ; next < len(c.groupList) && c.groupList[next].decl <= i; next++ {
			if g := c.groupList[next]; isLocal(g.def.obj) {
				c.checkGroup(g)
			} else {
				late = append(late, g)
			}
		}
	}
	late = append(late, c.groupList[next:]...)
	for _, g := range late {
		c.checkGroup(g)
	}
}

// outOfOrderFiles returns the files' position ranges sorted by start,
// with their places in the list, or nil if positions already increase
// along the list. Files are numbered as they are parsed; drivers that
// parse in parallel (go/packages) number them in no set order.
func outOfOrderFiles(files []*ast.File) []fileSpan {
	spans := make([]fileSpan, len(files))
	for i, f := range files {
		spans[i] = fileSpan{f.FileStart, f.FileEnd, i}
	}
	byStart := func(a, b fileSpan) int { return cmp.Compare(a.start, b.start) }
	if slices.IsSortedFunc(spans, byStart) {
		return nil
	}
	slices.SortFunc(spans, byStart)
	return spans
}

// cmpPos compares two positions of the package in the order the walk
// meets them: by file as the driver lists the files, then by offset. So
// "before" means the same whatever order the files were parsed in, and
// the defs of a variable, recorded as the walk meets them, are sorted.
func (c *checker) cmpPos(a, b token.Pos) int {
	if c.files != nil {
		if fa, fb := c.fileIndex(a), c.fileIndex(b); fa != fb {
			return cmp.Compare(fa, fb)
		}
	}
	return cmp.Compare(a, b)
}

// fileIndex returns the place in the driver's list of the file that
// holds p, or -1.
func (c *checker) fileIndex(p token.Pos) int {
	i := sort.Search(len(c.files), func(i int) bool { return c.files[i].start > p }) - 1
	if i < 0 || p > c.files[i].end {
		return -1
	}
	return c.files[i].index
}

// isLocal reports whether obj is declared inside a function, so that
// every statement that names it is in that function's declaration.
func isLocal(obj types.Object) bool {
	p := obj.Parent()
	return p != nil && p != types.Universe && (obj.Pkg() == nil || p != obj.Pkg().Scope())
}

// collectThrough walks the declarations that begin at or before pos, so
// that every def before pos is recorded.
func (c *checker) collectThrough(pos token.Pos) {
	n := c.collected
	for n < len(c.topDecls) && c.cmpPos(c.topDecls[n].Node().Pos(), pos) <= 0 {
		n++
	}
	c.walkTo(n)
}

// collectAll walks every declaration not yet walked.
func (c *checker) collectAll() { c.walkTo(len(c.topDecls)) }

// walkTo walks topDecls[:n], those not walked yet. It does nothing while
// a declaration is being walked: the walk's own questions are about
// positions it has passed.
func (c *checker) walkTo(n int) {
	if c.walking >= 0 {
		return
	}
	for c.collected < n {
		c.collectDecl(c.collected)
	}
}

// collectDecl walks topDecls[i], which must be the next one.
func (c *checker) collectDecl(i int) {
	c.collected, c.walking = i+1, i
	defer func() { c.walking = -1 }()
	filter := []ast.Node{(*ast.AssignStmt)(nil), (*ast.ValueSpec)(nil), (*ast.CallExpr)(nil)}
	for cur := range c.topDecls[i].Preorder(filter...) {
		switch n := cur.Node().(type) {
		case *ast.AssignStmt:
			c.recordAssign(cur, n)
		case *ast.ValueSpec:
			c.recordValueSpec(cur, n)
		case *ast.CallExpr:
			c.recordGo(cur, n)
		}
	}
}

// checkGroup reports each stream that a task of g blocks on and that the
// group cannot free: client streams with no cancellation path from g
// (SPEC section 3) and handler streams received in a task (section 7).
func (c *checker) checkGroup(g *group) {
	seen := make(map[any]bool)
	for _, task := range g.tasks {
		for _, u := range c.usesOf(task) {
			if seen[u.stream.key] {
				continue // one diagnostic per (stream, group), at the first use
			}
			seen[u.stream.key] = true
			switch {
			case !u.stream.kind.server:
				if c.groupEndsElsewhere(u.stream, g) && !c.cancelled(u.stream, g) {
					c.report(u, g)
				}
			case c.set.Server:
				if g.several() && c.waits(g) {
					c.reportServer(u, g)
				}
			}
		}
	}
}

// waits reports whether the function that creates g waits for it in its
// own body before returning: only then does a blocked receive hold the
// handler.
func (c *checker) waits(g *group) bool {
	fn := innermostFunc(g.def.stmt)
	if !fn.Valid() {
		return false
	}
	for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Wait" {
			continue
		}
		if f := funcIn(c.info, call, errgroupPath); f == nil {
			continue
		}
		if innermostFunc(cur) != fn {
			continue // waited on by a goroutine, not by the handler
		}
		if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && c.reaching(c.info.Uses[id], call.Pos()) == g.def {
			return true
		}
	}
	return false
}

// groupEndsElsewhere is rule 3 of SPEC section 3: something other than
// the stream's task can end the group's work. With several tasks another
// task can fail; with one, only a cancelled parent can, and only if that
// parent does not cancel the stream too.
func (c *checker) groupEndsElsewhere(s *streamRef, g *group) bool {
	if g.several() {
		return true
	}
	if g.zero() || !s.visible() || neverCancelled(g.parent) {
		return false
	}
	return !derivesFrom(s.ctx, g.parent)
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
