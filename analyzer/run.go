package analyzer

import (
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
	"github.com/bidictxlint/bidictxlint/analyzer/internal/fix"
)

// The pipeline, in one direction (docs/development.md#the-pipeline):
//
//	run      fast exit, then index the package in one walk (index.go)
//	check    for each group with tasks: the blocking uses of its tasks
//	         (groups.go, tasks.go, streams.go, contexts.go) and the
//	         cancellation paths that reach them (paths.go)
//	decide   one finding per stream and group that nothing frees
//	         (decide.go, spec.go)
//	plan     the fix the finding's spec asks for, or why there is none
//	         (internal/fix)
//	render   the message and the edits, from the finding and the plan,
//	         assembled into one diagnostic (message.go, report.go)

// A checker holds what the checks of one package share: the index, and
// one node per group and per context value, so that a value is the same
// wherever it is reached from.
type checker struct {
	pass     *analysis.Pass
	info     *types.Info
	settings Settings
	*index

	groups map[*assign]*group  // the group each creation makes (groupOf)
	ctxs   map[ctxKey]*ctxNode // each context value (ctxAt)
}

func run(pass *analysis.Pass, s Settings) (any, error) {
	if !dependsOnStreams(pass.Pkg) {
		return nil, nil // no stream can be opened or received here
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
		groups:   make(map[*assign]*group),
		ctxs:     make(map[ctxKey]*ctxNode),
	}
	planner := fix.NewPlanner(pass.Fset, pass.TypesInfo)
	for _, g := range c.groupsWithTasks() {
		for _, f := range c.checkGroup(g) {
			pass.Report(render(f, plan(planner, f)))
		}
	}
	return nil, nil
}

// dependsOnStreams reports whether pkg imports, directly or not, one of
// the RPC libraries whose streams the analysis knows: a package that
// does not can hold no stream value. A package can use a stream without
// naming its type (client.Chat(ctx) of a generated client), so direct
// imports are not enough (docs/performance.md#the-fast-exit).
func dependsOnStreams(pkg *types.Package) bool {
	if pkg == nil {
		return false
	}
	seen := make(map[*types.Package]bool)
	var walk func(p *types.Package) bool
	walk = func(p *types.Package) bool {
		if seen[p] {
			return false
		}
		seen[p] = true
		switch p.Path() {
		case connectV1Path, connectV2Path, grpcPath:
			return true
		}
		return slices.ContainsFunc(p.Imports(), walk)
	}
	return walk(pkg)
}

// checkGroup returns the findings of g: each stream that a task of g
// blocks on and that the group cannot free, client streams with no
// cancellation path from g (docs/rules.md#when-it-reports) and handler
// streams received in a task (docs/rules.md#server-side).
func (c *checker) checkGroup(g *group) []*finding {
	var out []*finding
	seen := make(map[any]bool)
	for _, t := range g.tasks {
		for _, u := range c.usesOf(t) {
			if seen[u.stream.key] {
				continue // one diagnostic per (stream, group), at the first use
			}
			seen[u.stream.key] = true
			switch {
			case !u.stream.kind.server:
				if c.groupEndsElsewhere(u.stream, g) {
					if p := c.pathsTo(u, g); !p.frees(u.stream) {
						out = append(out, c.decide(u, g, p))
					}
				}
			case c.settings.Server:
				if g.hasSeveralTasks() && c.waits(g) {
					out = append(out, &finding{kind: kindHandlerReceive, use: u, group: g})
				}
			}
		}
	}
	return out
}

// plan plans the fix of f, or returns nil and why there is none.
func plan(pl *fix.Planner, f *finding) *fix.Plan {
	if f.spec == nil || f.noFix != "" {
		return nil
	}
	p, err := pl.Plan(f.spec)
	if err != nil {
		return nil
	}
	return p
}

// waits reports whether the function that creates g waits for it in its
// own body before returning: only then does a blocked receive hold the
// handler.
func (c *checker) waits(g *group) bool {
	return len(c.waitsOf(g)) > 0
}

// waitsOf returns the calls of g's join (Wait) in the body of the
// function that creates g, not in a goroutine or task.
func (c *checker) waitsOf(g *group) []inspector.Cursor {
	fn := code.InnermostFunc(g.assign.stmt)
	if !fn.Valid() {
		return nil
	}
	var out []inspector.Cursor
	for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
		if !ok || !g.kind.waitsFor(sel.Sel.Name) || code.FuncIn(c.info, call, g.kind.path()) == nil {
			continue
		}
		if code.InnermostFunc(cur) != fn {
			continue // waited on by a goroutine, not by the function
		}
		if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && c.reaching(c.info.Uses[id], call.Pos()) == g.assign {
			out = append(out, cur)
		}
	}
	return out
}

// groupEndsElsewhere is the third condition of docs/rules.md#when-it-reports:
// something other than the stream's task can end the group's work. With
// several tasks another task can fail or return; with one, a cancelled
// parent can, if that parent does not free the stream too, and so can
// the function itself, when it cancels a context or closes a channel to
// stop before it waits (cancel, then Wait). Cancelling never frees a
// connect-go bidi stream once the server has answered
// (docs/bug.md#facts), so for those a parent that can be cancelled is
// enough.
func (c *checker) groupEndsElsewhere(s *streamRef, g *group) bool {
	if g.hasSeveralTasks() {
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

// stopsBeforeWait reports whether the function that creates g decides to
// stop while the tasks work: it calls a cancel func or closes a channel
// before it waits for them.
func (c *checker) stopsBeforeWait(g *group) bool {
	fn := code.InnermostFunc(g.assign.stmt)
	if !fn.Valid() {
		return false
	}
	for cur := range fn.Preorder((*ast.CallExpr)(nil)) {
		call := cur.Node().(*ast.CallExpr)
		stop := code.IsBuiltin(c.info, call, "close")
		if t := c.info.TypeOf(call.Fun); t != nil && isCancelFunc(t) {
			stop = true
		}
		if stop && code.InnermostFunc(cur) == fn && c.beforeWait(cur, g) {
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
