package analyzer_test

import (
	"cmp"
	"fmt"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/packages"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

// regressions are the packages of testdata/real/regress, one per bug
// found by TestComposed or in the field, each minimised, over the real
// libraries, stating what the facts call for: `// want` where a task can
// stay blocked, nothing where it cannot, and a .golden file where the fix
// is settled. A package without .golden files states the diagnostics
// only: any fix it gets must still compile.
var regressions = []string{
	// A stream opened inside an expression crashed the fix planner.
	"helperresult",       // open(ctx, client).Recv() in a task
	"helperresultcancel", // open(sctx, client).Recv() with a cancel func
	"helperarg",          // recvAll(open(ctx, client))
	"chansend",           // ch <- open(ctx, client), received in the task
	"clientstreamcall",   // c.CallClientStream(ctx).CloseAndReceive()
	"bidicallgroupctx",   // c.CallBidiStream(gctx).Receive()
	"bidicallafterfunc",  // context.AfterFunc(gctx, cancel), c.CallBidiStream(sctx).Receive()
	"structfield",        // &session{stream: c.Chat(ctx)}
	"appendrange",        // append(streams, c.Sync(ctx)), ranged over in tasks

	// Found on code written independently of the catalogue.
	"siblingsuccess",         // a sibling cancels only on its success path
	"v2halfclose",            // a v2 sender ending with CloseSend taken for one that strands the receiver
	"errfromelsewhere",       // an if on an err that Send or the producer set taken for the stream's end (e2e errpool)
	"ownstreammethod",        // a method task opening its own stream taken for one sharing it
	"deferfieldcancel",       // defer r.cancel() in the blocked task
	"wiredafteropen",         // a server stream's cancel wired after its blocking open
	"throughreceiver",        // stream or context through the receiver or a constructor
	"methodtaskctxfield",     // fix: undefined: rpcCancel
	"methodtaskctxfieldzero", // fix: undefined: rpcCtx
	"foreigniface",           // Recv declared where no stream library is, on a local interface over a stream
	"indirectpb",             // Recv of a generated package not imported (see TestExportData too)

	// Found by TestComposed.
	"receiverbidi",       // bidi stream through the receiver, one task: missed
	"pkggroupsibling",    // package-level group, sibling's deferred cancel: false report
	"mapstream",          // stream read from a map: missed
	"v2serverhelper",     // v2 server stream through a helper taken for bidi
	"zerogroupinlinectx", // zero group, inline context: fix undefined: sctx
	"msgnogctx",          // message writes gctx where there is none
	"msgfixwords",        // message says cancel() where the fix writes rpcCancel()
	"msgcalloncall",      // message writes _ = c.CallBidiStream(sctx).CloseResponse()
	"fieldctxwrapped",    // metadata.AppendToOutgoingContext(t.sctx, ...): false report; fix undefined: t
	"taskdefercancel",    // a receiving method task's defer t.cancel() taken for a closing method
	"pkggroupbidi",       // package-level group, bidi: message says to create it with :=
	"taskwatcherfield",   // a method task's own watcher on t.gctx: false report
	"ctortaskdefer",      // a task constructor's literal defers the cancel it is given: false report
	"ctorwiredlate",      // a constructor's task wires its cancel after a blocking open through a helper: missed
	"poolfieldcancel",    // a close on a context whose cancel a task holds: fixed code reported again
}

// TestRegressions runs the regression packages (one package with
// BIDICTXLINT_REGRESS=NAME). Besides what analysistest checks (the
// diagnostics, and the fixes against the .golden files), a message must
// pass TestComposed's message check, applying the fixes must give code
// that type-checks, and a file with a .golden must get a fix; these are
// subtests named after the package. A panic is reported with its stack,
// as an error analysing that package.
func TestRegressions(t *testing.T) {
	dir := realModules(t)
	pkgs := regressions
	if only := os.Getenv("BIDICTXLINT_REGRESS"); only != "" {
		pkgs = []string{only}
	}
	// Two loads, not one per package: packages with .golden files have
	// their fixes compared.
	var withFix, without []string
	goldens := make(map[string][]string)
	for _, pkg := range pkgs {
		gs, _ := filepath.Glob(filepath.Join(dir, "regress", pkg, "*.go.golden"))
		goldens[pkg] = gs
		if len(gs) > 0 {
			withFix = append(withFix, "./regress/"+pkg)
		} else {
			without = append(without, "./regress/"+pkg)
		}
	}
	a := panicAsError(analyzer.Analyzer)
	var results []*analysistest.Result
	if len(withFix) > 0 {
		results = append(results, analysistest.RunWithSuggestedFixes(t, dir, a, withFix...)...)
	}
	if len(without) > 0 {
		results = append(results, analysistest.Run(t, dir, a, without...)...)
	}
	if len(results) != len(pkgs) {
		t.Fatalf("%d results for %d packages", len(results), len(pkgs))
	}
	for _, res := range results {
		name := res.Pass.Pkg.Name()
		t.Run(name, func(t *testing.T) { checkRegression(t, res, goldens[name]) })
	}
}

// panicAsError returns a copy of a whose Run reports a panic as an
// error carrying the stack, so that analysistest fails the one package
// instead of the process. The analyzer itself recovers nothing.
func panicAsError(a *analysis.Analyzer) *analysis.Analyzer {
	b := *a
	run := a.Run
	b.Run = func(pass *analysis.Pass) (res any, err error) {
		defer func() {
			if r := recover(); r != nil {
				err = fmt.Errorf("analyzer panicked: %v\n%s", r, debug.Stack())
			}
		}()
		return run(pass)
	}
	return &b
}

func checkRegression(t *testing.T, res *analysistest.Result, goldens []string) {
	t.Helper()
	pass := res.Pass
	p := &packages.Package{Fset: pass.Fset, Syntax: pass.Files, Types: pass.Pkg, TypesInfo: pass.TypesInfo}
	ix := newDeclIndex(p, nil)
	for _, d := range res.Diagnostics {
		for _, m := range checkMessage(p, ix, d) {
			t.Errorf("%s: message %s: %s\n%s", pass.Fset.Position(d.Pos), m.kind, m.detail, d.Message)
		}
	}

	// Apply every first fix and type-check the result.
	edits := make(map[string][]fileEdit)
	for _, d := range res.Diagnostics {
		if len(d.SuggestedFixes) == 0 {
			continue
		}
		for _, e := range d.SuggestedFixes[0].TextEdits {
			tf := pass.Fset.File(e.Pos)
			edits[tf.Name()] = append(edits[tf.Name()], fileEdit{tf.Offset(e.Pos), tf.Offset(cmp.Or(e.End, e.Pos)), string(e.NewText), nil})
		}
	}
	for _, g := range goldens {
		if len(edits[g[:len(g)-len(".golden")]]) == 0 {
			t.Errorf("%s: no fix edits the file, but its .golden says there is one", filepath.Base(g))
		}
	}
	if len(edits) == 0 {
		return
	}
	files := make(map[string][]byte)
	dir := ""
	for _, f := range pass.Files {
		name := pass.Fset.File(f.FileStart).Name()
		dir = filepath.Dir(name)
		src, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		if es := edits[name]; len(es) > 0 {
			var conflict *[2]fileEdit
			src, conflict = mergeEdits(src, es)
			if conflict != nil {
				t.Errorf("%s: fixes overlap", filepath.Base(name))
			}
		}
		files[filepath.Base(name)] = src
	}
	deps := make(map[string]*types.Package)
	for _, imp := range pass.Pkg.Imports() {
		deps[imp.Path()] = imp
	}
	if _, errs := typecheckFiles(token.NewFileSet(), deps, pass.Pkg.Path(), dir, files); len(errs) > 0 {
		names := slices.Sorted(func(yield func(string) bool) {
			for n := range files {
				if !yield(n) {
					return
				}
			}
		})
		t.Errorf("the fixed package does not type-check: %v (files %v)", errs, names)
	}
}
