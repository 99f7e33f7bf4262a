package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"maps"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
	"github.com/bidictxlint/bidictxlint/analyzer/internal/fix"
)

// The pipeline, in one direction (docs/development.md#the-analyzer):
//
//	run      fast exit, then the index: declarations, go statements and
//	         Go calls, each declaration walked when first asked (index.go)
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

	groups map[*assign]*group            // the group each creation makes (groupOf)
	ctxs   map[ctxKey]*ctxNode           // each context value (ctxAt)
	kinds  map[*types.Named]streamKind   // each type's stream kind (streamKind)
	holds  map[*types.Named]bool         // whether a struct type holds a stream (holdsStream)
	fields map[*types.Named][]*types.Var // a type's connect-go bidi stream fields (streamFields)
	// receives are the positions of the selections of Receive and Recv
	// that can be a stream's (selections).
	receives []token.Pos
	// bound is the frame whose parameters a context value being built
	// refers to, while streamOpenedBy builds one (contexts.go).
	bound *frame
}

func run(pass *analysis.Pass, s Settings) (any, error) {
	if pass.TypesInfo == nil {
		return nil, nil
	}
	sel := selections(pass.Pkg, pass.TypesInfo)
	if !sel.blocks {
		return nil, nil // no stream can be received or sent on here
	}
	in, ok := pass.ResultOf[inspect.Analyzer].(*inspector.Inspector)
	if !ok {
		return nil, nil
	}
	c := &checker{
		pass:     pass,
		info:     pass.TypesInfo,
		settings: s,
		index:    newIndex(pass.Pkg, pass.TypesInfo, in.Root(), sel.starts),
		receives: sel.receives,
		groups:   make(map[*assign]*group),
		ctxs:     make(map[ctxKey]*ctxNode),
		kinds:    make(map[*types.Named]streamKind),
		holds:    make(map[*types.Named]bool),
		fields:   make(map[*types.Named][]*types.Var),
	}
	planner := fix.NewPlanner(pass.Fset, pass.TypesInfo)
	grouped := make(map[*ast.CallExpr]bool) // go statements a group waits for
	for _, g := range c.groupsWithTasks() {
		for _, t := range g.tasks {
			grouped[t.call] = t.spawned
		}
		for _, f := range c.checkGroup(g) {
			pass.Report(render(f, plan(planner, f)))
		}
	}
	for _, f := range append(c.checkLeaks(grouped), c.checkWrappers()...) {
		pass.Report(render(f, plan(planner, f)))
	}
	return nil, nil
}

// What the type checker's selections say about a package, read once
// for the fast exit and the index (selections).
type selected struct {
	// blocks: the package selects a method that can wait for the peer
	// on a stream (onStream).
	blocks bool
	// starts are the selections of a method Go or TryGo, where a group
	// can start a task; receives the positions of those of the methods
	// Receive and Recv that can be a stream's, where a wrapper type's
	// method can receive (wrapperTypes).
	starts   []*ast.SelectorExpr
	receives []token.Pos
}

// selections reads the type checker's selections, not the syntax. A
// method selected can wait for the peer on a stream when it is named as
// a blocking or receiving method (blockingMethods, receiveMethods:
// Receive, Recv, Send, ...) and is declared where a stream's methods are
// (in a stream library, in a package that imports one, as generated code
// does, or in this package when it depends on one: a local interface or
// a wrapper), or is selected on a local interface. Every finding starts
// from such a call (taskScan.blocking) or from a wrapper's Receive
// (receivesOn), so a package that selects none has nothing to report
// (docs/performance.md#the-fast-exit).
func selections(pkg *types.Package, info *types.Info) selected {
	sc := &selectionScan{pkg: pkg, imports: make(map[*types.Package]bool)}
	// The map's entries are copied a chunk at a time to arrays on the
	// stack, then the selections they point to are read: that loop is
	// short enough for the processor to overlap the loads of several
	// selections, which the map's iteration does not let it, and copies
	// to the stack cost no write barrier while the collector runs.
	var keys [selectionChunk]*ast.SelectorExpr
	var vals [selectionChunk]*types.Selection
	n := 0
	for sel, s := range info.Selections {
		keys[n], vals[n] = sel, s
		if n++; n == selectionChunk {
			sc.scan(keys[:], vals[:])
			n = 0
		}
	}
	sc.scan(keys[:n], vals[:n])
	return sc.out
}

// selectionChunk is how many selections selections reads at a time.
const selectionChunk = 256

// A selectionScan is the state of selections.
type selectionScan struct {
	pkg     *types.Package
	imports map[*types.Package]bool // streamLibraryOrImporter, per declaring package
	out     selected
}

// scan reads the selections vals of the expressions keys. The method's
// name is read from the expression (x.Recv), whose syntax the driver has
// just walked, and its length first, from the string's header: only a
// selection whose name can matter is read from the type checker's
// memory, which nothing has touched since the package was checked.
func (sc *selectionScan) scan(keys []*ast.SelectorExpr, vals []*types.Selection) {
	for i, s := range vals {
		name := keys[i].Sel.Name
		if len(name) >= len(selectedLen) || !selectedLen[len(name)] {
			continue
		}
		switch name {
		case "Go", "TryGo":
			if s.Kind() == types.MethodVal {
				sc.out.starts = append(sc.out.starts, keys[i])
			}
		case "Receive", "Recv":
			if s.Kind() == types.MethodVal && sc.onStream(s) {
				sc.out.blocks = true
				sc.out.receives = append(sc.out.receives, keys[i].Pos())
			}
		default:
			if !sc.out.blocks && blockingFirst[name[0]] && blockingName[name] && s.Kind() == types.MethodVal {
				sc.out.blocks = sc.onStream(s)
			}
		}
	}
}

// selectedLen holds the lengths of the method names that selections
// looks for: Go, TryGo and blockingName's.
var selectedLen = func() (lens [16]bool) {
	for _, name := range append([]string{"Go", "TryGo"}, slices.Collect(maps.Keys(blockingName))...) {
		lens[len(name)] = true // every name is shorter than 16
	}
	return lens
}()

// onStream reports whether the method s selects is declared where a
// stream's methods are, or is selected on a local interface.
func (sc *selectionScan) onStream(s *types.Selection) bool {
	switch p := s.Obj().Pkg(); {
	case p == sc.pkg:
		return sc.local()
	case p == nil:
		return false
	default:
		d, ok := sc.imports[p]
		if !ok {
			d = streamLibraryOrImporter(p)
			sc.imports[p] = d
		}
		if d {
			return true
		}
		n := code.NamedOf(s.Recv()) // a foreign method on a local interface
		return n != nil && n.Obj().Pkg() == sc.pkg && types.IsInterface(n) && sc.local()
	}
}

// local reports whether this package depends on a stream library, found
// by the one walk of its imports, when first asked.
func (sc *selectionScan) local() bool {
	if _, ok := sc.imports[sc.pkg]; !ok {
		sc.imports[sc.pkg] = dependsOnStreams(sc.pkg)
	}
	return sc.imports[sc.pkg]
}

// streamLibraryOrImporter reports whether p is a stream library or
// imports one directly, as the generated code of a service does, or
// whether p's imports are unknown. A driver that reads dependencies from
// export data (go vet, the standalone command) knows a package that this
// one does not import only as another's export data names it, with no
// imports recorded: a generated package this one reaches through a
// helper's results is such a package, so one with no imports counts.
func streamLibraryOrImporter(p *types.Package) bool {
	if streamLibrary(p) || len(p.Imports()) == 0 {
		return true
	}
	for _, imp := range p.Imports() {
		if streamLibrary(imp) {
			return true
		}
	}
	return false
}

// streamLibrary reports whether p is one of the RPC libraries whose
// streams the analysis knows.
func streamLibrary(p *types.Package) bool {
	switch p.Path() {
	case connectV1Path, connectV2Path, grpcPath:
		return true
	}
	return false
}

// dependsOnStreams reports whether pkg is, or imports directly or not,
// one of the RPC libraries whose streams the analysis knows: a package
// that does not can declare no stream method. A generated client's
// package imports its library directly, a wrapper's package may not, so
// direct imports are not enough (docs/performance.md#the-fast-exit).
func dependsOnStreams(pkg *types.Package) bool {
	if pkg == nil {
		return false
	}
	if streamLibrary(pkg) {
		return true
	}
	// Breadth first: the library is most often a direct import.
	seen := map[*types.Package]bool{pkg: true}
	for queue := []*types.Package{pkg}; len(queue) > 0; queue = queue[1:] {
		for _, imp := range queue[0].Imports() {
			if streamLibrary(imp) {
				return true
			}
			if !seen[imp] {
				seen[imp] = true
				queue = append(queue, imp)
			}
		}
	}
	return false
}

// checkGroup returns the findings of g: each stream that a task of g
// blocks on and that the group cannot free, client streams with no
// cancellation path from g (docs/rules.md#when-it-reports) and handler
// streams received in a task (docs/rules.md#server-side).
func (c *checker) checkGroup(g *group) []*finding {
	var out []*finding
	reported := make(map[any]bool)   // one diagnostic per (stream, group), at the first use that is one
	checked := make(map[[2]any]bool) // the first use of a stream in a task decides for the task
	for _, t := range g.tasks {
		for _, u := range c.usesOf(t) {
			if reported[u.stream.key] || checked[[2]any{u.stream.key, t}] {
				continue
			}
			checked[[2]any{u.stream.key, t}] = true
			var f *finding
			switch {
			case !u.stream.kind.server:
				if c.groupEndsElsewhere(u, g, t) {
					if p := c.pathsTo(u, g); !p.frees(u.stream) {
						f = c.decide(u, g, p)
					}
				}
			case c.settings.Server:
				if c.waits(g) && (g.hasSeveralTasks() || !g.errgroupLike() && c.waitsOnFailure(g)) {
					f = &finding{kind: kindHandlerReceive, use: u, group: g}
				}
			}
			if f != nil {
				reported[u.stream.key] = true
				out = append(out, f)
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
