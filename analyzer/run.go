package analyzer

import (
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
)

// A checker decides, for one package, which streams the groups' tasks
// block on without a cancellation path, and reports them. It first
// indexes the package (index.go), then checks each group that has tasks.
type checker struct {
	pass     *analysis.Pass
	info     *types.Info
	settings Settings
	*index

	groups map[*def]*group     // the group each creation makes (groupOf)
	ctxs   map[ctxKey]*ctxNode // each context value (ctxAt)
	fixes  fixState            // what the package's fixes share (fix.go)
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
		pass:     pass,
		info:     pass.TypesInfo,
		settings: s,
		index:    newIndex(pass.Pkg, pass.TypesInfo, in.Root()),
		groups:   make(map[*def]*group),
		ctxs:     make(map[ctxKey]*ctxNode),
	}
	for _, g := range c.groupsWithTasks() {
		c.checkGroup(g)
	}
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
				if c.groupEndsElsewhere(u.stream, g) {
					if reach := c.reachOf(u, g); !reach.frees(u.stream) {
						c.report(u, g, reach)
					}
				}
			case c.settings.Server:
				if g.hasSeveralTasks() && c.waits(g) {
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
		if funcIn(c.info, call, errgroupPath) == nil {
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
// parent does not free the stream too. Cancelling never frees a
// connect-go bidi stream once the server has answered (SPEC section 1),
// so for those a parent that can be cancelled is enough.
func (c *checker) groupEndsElsewhere(s *streamRef, g *group) bool {
	if g.hasSeveralTasks() {
		return true
	}
	if g.zero() || !s.visible() || neverCancelled(g.parent) {
		return false
	}
	return s.bidi || !derivesFrom(s.ctx, g.parent)
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
