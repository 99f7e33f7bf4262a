package analyzer_test

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer"
	"github.com/bidictxlint/bidictxlint/internal/gen"
)

// This file holds FuzzAnalyzer and the harness it shares with
// BenchmarkAnalyzer (bench_test.go): type-check one package with go/types
// against stub libraries, build an *analysis.Pass by hand (with the
// inspect result) and call the analyzer's Run directly, as a driver would.

// stdAllowed are the standard packages the harness imports (from source,
// once per process); others fail to import, which is a type error like
// any other.
var stdAllowed = map[string]bool{
	"context": true, "errors": true, "fmt": true, "strings": true,
	"time": true, "sync": true, "io": true, "sync/atomic": true,
}

// env is a shared FileSet and importer: as in a real driver, imported
// objects have positions in the same FileSet as the package analysed.
type env struct {
	mu    sync.Mutex
	fset  *token.FileSet
	std   types.ImporterFrom
	pkgs  map[string]*types.Package
	stubs map[string]string // import path -> source, from internal/gen
}

var (
	theEnv   *env
	theEnvMu sync.Mutex
)

// getEnv returns the process's env, starting a fresh one when the
// FileSet has grown large (the fuzzer adds a file per input).
func getEnv() *env {
	theEnvMu.Lock()
	defer theEnvMu.Unlock()
	if theEnv == nil || theEnv.fset.Base() > 256<<20 {
		fset := token.NewFileSet()
		theEnv = &env{
			fset:  fset,
			std:   importer.ForCompiler(fset, "source", nil).(types.ImporterFrom),
			pkgs:  make(map[string]*types.Package),
			stubs: gen.Stubs(),
		}
	}
	return theEnv
}

func (e *env) Import(path string) (*types.Package, error) {
	return e.ImportFrom(path, "", 0)
}

// ImportFrom serves the stub libraries (testdata/src first, as in the
// analysistest cases, then internal/gen's stubs) and a few standard
// packages. Callers hold e.mu.
func (e *env) ImportFrom(path, dir string, mode types.ImportMode) (*types.Package, error) {
	if p, ok := e.pkgs[path]; ok {
		if p == nil {
			return nil, fmt.Errorf("cannot import %q", path)
		}
		return p, nil
	}
	e.pkgs[path] = nil // breaks import cycles among stubs
	var (
		p   *types.Package
		err error
	)
	switch {
	case stdAllowed[path]:
		p, err = e.std.ImportFrom(path, "", 0)
	default:
		var files []*ast.File
		files, err = e.parseStub(path)
		if err == nil {
			conf := types.Config{Importer: e}
			p, err = conf.Check(path, e.fset, files, nil)
		}
	}
	if err != nil {
		return nil, err
	}
	e.pkgs[path] = p
	return p, nil
}

func (e *env) parseStub(path string) ([]*ast.File, error) {
	dir := filepath.Join("..", "testdata", "src", filepath.FromSlash(path))
	names, _ := filepath.Glob(filepath.Join(dir, "*.go"))
	if len(names) > 0 {
		var files []*ast.File
		for _, name := range names {
			f, err := parser.ParseFile(e.fset, name, nil, parser.ParseComments|parser.SkipObjectResolution)
			if err != nil {
				return nil, err
			}
			files = append(files, f)
		}
		return files, nil
	}
	if src, ok := e.stubs[path]; ok {
		f, err := parser.ParseFile(e.fset, "stub/"+path+"/stub.go", src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		return []*ast.File{f}, nil
	}
	return nil, fmt.Errorf("no stub for %q", path)
}

// checked is a type-checked package, ready to build passes for.
type checked struct {
	fset      *token.FileSet
	files     []*ast.File
	src       map[string][]byte // file name -> content
	pkg       *types.Package
	info      *types.Info
	parseErrs int
	typeErrs  []types.Error
	inspect   *inspector.Inspector
}

// check parses the given files (partial ASTs allowed) and type-checks
// them, collecting errors so that checking goes on after the first.
func check(e *env, path string, srcs map[string][]byte) *checked {
	return checkParsedIn(e, path, srcs, nil)
}

// checkParsedIn is check with the files parsed (and so numbered in the
// FileSet) in the order of the names in parseOrder, as a driver that
// parses in parallel may; they are listed by name all the same.
func checkParsedIn(e *env, path string, srcs map[string][]byte, parseOrder []string) *checked {
	e.mu.Lock()
	defer e.mu.Unlock()
	c := &checked{fset: e.fset, src: srcs}
	names := slices.Sorted(func(yield func(string) bool) {
		for n := range srcs {
			if !yield(n) {
				return
			}
		}
	})
	if parseOrder == nil {
		parseOrder = names
	}
	parsed := make(map[string]*ast.File)
	for _, name := range parseOrder {
		f, err := parser.ParseFile(e.fset, name, srcs[name], parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			c.parseErrs++
		}
		parsed[name] = f
	}
	for _, name := range names {
		if f := parsed[name]; f != nil {
			c.files = append(c.files, f)
		}
	}
	c.info = &types.Info{
		Types:        make(map[ast.Expr]types.TypeAndValue),
		Instances:    make(map[*ast.Ident]types.Instance),
		Defs:         make(map[*ast.Ident]types.Object),
		Uses:         make(map[*ast.Ident]types.Object),
		Implicits:    make(map[ast.Node]types.Object),
		Selections:   make(map[*ast.SelectorExpr]*types.Selection),
		Scopes:       make(map[ast.Node]*types.Scope),
		FileVersions: make(map[*ast.File]string),
	}
	conf := types.Config{
		Importer:  e,
		GoVersion: "go1.26",
		Error: func(err error) {
			if te, ok := err.(types.Error); ok {
				c.typeErrs = append(c.typeErrs, te)
			}
		},
	}
	c.pkg, _ = conf.Check(path, e.fset, c.files, c.info)
	c.inspect = inspector.New(c.files)
	return c
}

// pass builds the pass a driver would give the analyzer a.
func (c *checked) pass(a *analysis.Analyzer, report func(analysis.Diagnostic)) *analysis.Pass {
	return &analysis.Pass{
		Analyzer:   a,
		Fset:       c.fset,
		Files:      c.files,
		Pkg:        c.pkg,
		TypesInfo:  c.info,
		TypesSizes: types.SizesFor("gc", "amd64"),
		TypeErrors: c.typeErrs,
		Module:     &analysis.Module{Path: "example.com/fuzz", GoVersion: "1.26"},
		ResultOf:   map[*analysis.Analyzer]any{inspect.Analyzer: c.inspect},
		Report:     report,
		ReadFile: func(name string) ([]byte, error) {
			if b, ok := c.src[name]; ok {
				return b, nil
			}
			return nil, os.ErrNotExist
		},
	}
}

// fuzzAnalyzer is the analyzer under test, with every check on.
var fuzzAnalyzer = analyzer.New(analyzer.Settings{GRPC: true, Server: true, Nolint: true})

// FuzzAnalyzer type-checks arbitrary source text against the stub
// libraries and runs the analyzer on it. It fails when the analyzer
// panics, returns an error, or reports a diagnostic or a fix whose
// positions are not in the file; and, for input that parses and
// type-checks cleanly, when applying a suggested fix gives source that
// no longer parses.
//
//	go test -run='^$' -fuzz=FuzzAnalyzer -fuzztime=60s -parallel=1 ./analyzer
func FuzzAnalyzer(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		if len(src) > 64<<10 {
			t.Skip("input too large")
		}
		runOnSource(t, src)
	})
}

// hangLimit bounds one iteration. Past it the process crashes with every
// goroutine's stack, so that the fuzzer records the input as a failure
// (it has no time limit of its own; a hang would stall it silently).
const hangLimit = 20 * time.Second

// runOnSource is one fuzz iteration.
func runOnSource(t *testing.T, src string) {
	const name = "fuzz/p.go"
	watchdog := time.AfterFunc(hangLimit, func() {
		debug.SetTraceback("all")
		os.WriteFile(filepath.Join(os.TempDir(), "bidictxlint-fuzz-hang.go.txt"), []byte(src), 0o644)
		panic(fmt.Sprintf("FuzzAnalyzer: one input took more than %v (input saved in %s)", hangLimit, filepath.Join(os.TempDir(), "bidictxlint-fuzz-hang.go.txt")))
	})
	defer watchdog.Stop()
	c := check(getEnv(), "example.com/fuzz/p", map[string][]byte{name: []byte(src)})
	if c.pkg == nil || len(c.files) == 0 {
		return
	}
	var diags []analysis.Diagnostic
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("analyzer panicked: %v\n%s\ninput:\n%s", r, debug.Stack(), src)
			}
		}()
		if _, err := fuzzAnalyzer.Run(c.pass(fuzzAnalyzer, func(d analysis.Diagnostic) { diags = append(diags, d) })); err != nil {
			t.Fatalf("analyzer returned an error: %v\ninput:\n%s", err, src)
		}
	}()
	clean := c.parseErrs == 0 && len(c.typeErrs) == 0
	tf := c.fset.File(c.files[0].FileStart)
	for _, d := range diags {
		if err := validDiag(tf, d); err != nil {
			t.Fatalf("%v\ndiagnostic: %s\ninput:\n%s", err, d.Message, src)
		}
		if !clean {
			continue
		}
		for _, fix := range d.SuggestedFixes {
			out, err := applyEdits(tf, []byte(src), fix.TextEdits)
			if err != nil {
				t.Fatalf("fix %q: %v\ninput:\n%s", fix.Message, err, src)
			}
			if _, err := parser.ParseFile(token.NewFileSet(), "fixed.go", out, parser.SkipObjectResolution); err != nil {
				t.Fatalf("fix %q gives source that does not parse: %v\ninput:\n%s\nfixed:\n%s", fix.Message, err, src, out)
			}
		}
	}
}

// validDiag checks what the checker checks (driverutil.ValidateFixes)
// and a little more: positions in the file, End not before Pos, fixes
// with distinct messages and edits in the file that do not overlap.
// Like the checker, it lets an End be slightly beyond EOF: go/parser
// computes the End of an unterminated node (a call missing its ")" at
// EOF) one past the end of the file (golang/go#71659).
func validDiag(tf *token.File, d analysis.Diagnostic) error {
	in := func(p token.Pos) bool { return p.IsValid() && tf.Base() <= int(p) && int(p) <= tf.Base()+tf.Size() }
	inEnd := func(p token.Pos) bool { return p.IsValid() && tf.Base() <= int(p) && int(p) < tf.Base()+tf.Size()+10 }
	if !in(d.Pos) {
		return fmt.Errorf("diagnostic Pos %d outside the file [%d, %d]", d.Pos, tf.Base(), tf.Base()+tf.Size())
	}
	if d.End.IsValid() && (!inEnd(d.End) || d.End < d.Pos) {
		return fmt.Errorf("diagnostic End %d invalid (Pos %d, file [%d, %d])", d.End, d.Pos, tf.Base(), tf.Base()+tf.Size())
	}
	msgs := make(map[string]bool)
	for _, fix := range d.SuggestedFixes {
		if msgs[fix.Message] {
			return fmt.Errorf("two fixes with the message %q", fix.Message)
		}
		msgs[fix.Message] = true
	}
	for _, r := range d.Related {
		if r.Pos.IsValid() && !in(r.Pos) {
			return fmt.Errorf("related %q Pos %d outside the file", r.Message, r.Pos)
		}
	}
	for _, fix := range d.SuggestedFixes {
		edits := slices.Clone(fix.TextEdits)
		slices.SortStableFunc(edits, func(a, b analysis.TextEdit) int { return cmp.Compare(a.Pos, b.Pos) })
		for i, e := range edits {
			end := cmp.Or(e.End, e.Pos)
			if !in(e.Pos) || !inEnd(end) || end < e.Pos {
				return fmt.Errorf("fix %q: edit [%d, %d) outside the file or reversed", fix.Message, e.Pos, e.End)
			}
			if i > 0 && e.Pos < cmp.Or(edits[i-1].End, edits[i-1].Pos) {
				return fmt.Errorf("fix %q: overlapping edits at %d", fix.Message, e.Pos)
			}
		}
	}
	return nil
}

// applyEdits applies validated, non-overlapping edits to src.
func applyEdits(tf *token.File, src []byte, edits []analysis.TextEdit) ([]byte, error) {
	edits = slices.Clone(edits)
	slices.SortStableFunc(edits, func(a, b analysis.TextEdit) int { return cmp.Compare(a.Pos, b.Pos) })
	var out bytes.Buffer
	last := 0
	for _, e := range edits {
		start, end := tf.Offset(e.Pos), tf.Offset(cmp.Or(e.End, e.Pos)) // Offset clamps to EOF
		if start < last || end > len(src) {
			return nil, fmt.Errorf("edit [%d, %d) out of order or bounds", start, end)
		}
		out.Write(src[last:start])
		out.Write(e.NewText)
		last = end
	}
	out.Write(src[last:])
	return out.Bytes(), nil
}

// fuzzSeeds are the seed inputs: the fast test cases of testdata/src
// (with their stubs), a generated package with every shape, and small
// sources with syntax and type errors. The corpus under
// testdata/fuzz/FuzzAnalyzer adds what fuzzing found interesting.
func fuzzSeeds(tb testing.TB) []string {
	var seeds []string
	names, _ := filepath.Glob(filepath.Join("..", "testdata", "src", "*", "*.go"))
	for _, name := range names {
		b, err := os.ReadFile(name)
		if err != nil {
			tb.Fatal(err)
		}
		seeds = append(seeds, string(b))
	}
	src, _ := gen.Source(gen.Options{Package: "p", Funcs: 18})
	seeds = append(seeds, src)
	seeds = append(seeds, smallSeeds...)
	return seeds
}

var smallSeeds = []string{
	// The bug, smallest form.
	`package p

import (
	"context"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type M struct{}

func f(ctx context.Context, c *connect.Client[M, M]) error {
	s := c.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := s.Receive(); return err })
	g.Go(func() error { <-gctx.Done(); return nil })
	return g.Wait()
}
`,
	// Syntax error in the middle of a task: a partial AST.
	`package p

import (
	"context"

	"google.golang.org/grpc"
	"golang.org/x/sync/errgroup"
)

type M struct{}

func f(ctx context.Context, open func(context.Context) (grpc.BidiStreamingClient[M, M], error)) error {
	s, _ := open(ctx)
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := s.Recv( ; return err })
	g.Go(func() error { return s.Send(&M{} })
	return g.Wait(
}
`,
	// Type errors: undefined stream, wrong arity, non-function task,
	// group from an undefined call, misuse of AfterFunc.
	`package p

import (
	"context"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type M struct{}

func f(ctx context.Context, c *connect.Client[M, M]) error {
	s := c.CallBidiStream(ctx, 1, 2)
	g, gctx := errgroup.WithContext()
	h, hctx := undefined.WithContext(ctx)
	g.Go(42)
	g.Go(func() error { _, err := t.Receive(); return err })
	g.Go(func() error { _, err := s.Receive(); return err })
	h.Go(func() error { <-hctx.Done(); return nil })
	context.AfterFunc(gctx)
	context.AfterFunc(gctx, 7)
	return g.Wait() + 1
}
`,
	// Unknown import and a zero group copied and addressed.
	`package p

import (
	"context"

	"example.com/missing/stream"
	"golang.org/x/sync/errgroup"
)

func f(ctx context.Context) error {
	s := stream.Open(ctx)
	var g errgroup.Group
	h := g
	p := &g
	p.Go(func() error { return s.Recv() })
	h.Go(func() error { return s.Recv() })
	return g.Wait()
}
`,
	// Shadowing, reassignment in a loop, goto and labels around the group.
	`package p

import (
	"context"

	"google.golang.org/grpc"
	"golang.org/x/sync/errgroup"
)

type M struct{}

type C interface {
	Chat(ctx context.Context) (grpc.BidiStreamingClient[M, M], error)
}

func f(ctx context.Context, c C) error {
	var s grpc.BidiStreamingClient[M, M]
	for i := 0; i < 3; i++ {
		ctx := ctx
		s, _ = c.Chat(ctx)
		g, ctx := errgroup.WithContext(ctx)
		if i == 1 {
			goto done
		}
		g.Go(func() error { _, err := s.Recv(); return err })
		g.Go(func() error { <-ctx.Done(); return nil })
	done:
		_ = g.Wait()
	}
	return nil
}
`,
	// Only a package clause, and an empty file.
	"package p\n",
	"",
	// Recursive helpers and a task returned by a recursive call.
	`package p

import (
	"context"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type M struct{}

func rec(s *connect.BidiStreamForClient[M, M], n int) error {
	if n == 0 {
		_, err := s.Receive()
		return err
	}
	return rec(s, n-1)
}

func task(s *connect.BidiStreamForClient[M, M]) func() error {
	return task(s)
}

func f(ctx context.Context, c *connect.Client[M, M]) error {
	s := c.CallBidiStream(ctx)
	g, _ := errgroup.WithContext(context.Background())
	g.Go(func() error { return rec(s, 10) })
	g.Go(task(s))
	return g.Wait()
}
`,
}

// TestFuzzSeedsTypeCheck makes sure the harness works: the generated
// seed type-checks with no error against the stubs, and the analyzer
// reports on it what the generator expects.
func TestFuzzSeedsTypeCheck(t *testing.T) {
	src, want := gen.Source(gen.Options{Package: "p", Funcs: 18})
	c := check(getEnv(), "example.com/fuzz/p", map[string][]byte{"p.go": []byte(src)})
	if c.parseErrs > 0 || len(c.typeErrs) > 0 {
		t.Fatalf("generated seed: %d parse errors, type errors %v", c.parseErrs, c.typeErrs)
	}
	n := 0
	if _, err := fuzzAnalyzer.Run(c.pass(fuzzAnalyzer, func(analysis.Diagnostic) { n++ })); err != nil {
		t.Fatal(err)
	}
	if n != want {
		t.Errorf("analyzer reported %d diagnostics on the generated seed, want %d", n, want)
	}
	_ = strings.TrimSpace
}
