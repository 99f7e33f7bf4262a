package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/bidictxlint/bidictxlint/analyzer"
	"github.com/bidictxlint/bidictxlint/internal/gen"
)

// benchFixFunc is one function with one fixable finding (the stream's
// context has a cancel func: the fix adds a context.AfterFunc line), and
// the import edit that every fix shares.
const benchFixFunc = `
func chat%d(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err })
	g.Go(func() error { <-gctx.Done(); return nil })
	return g.Wait()
}
`

// benchFixModule writes a module with stub libraries and one file of n
// functions, each with one fixable finding.
func benchFixModule(b *testing.B, n int) (dir, file string, src []byte) {
	b.Helper()
	var sb strings.Builder
	sb.WriteString("package p\n\nimport (\n\t\"context\"\n\n\t\"connectrpc.com/connect\"\n\t\"golang.org/x/sync/errgroup\"\n)\n\ntype Msg struct{}\n")
	for i := range n {
		fmt.Fprintf(&sb, benchFixFunc, i)
	}
	dir = filepath.Join(b.TempDir(), "mod")
	if err := gen.WriteModule(dir, "example.com/bench", map[string]string{"p/p.go": sb.String()}); err != nil {
		b.Fatal(err)
	}
	return dir, filepath.Join(dir, "p", "p.go"), []byte(sb.String())
}

// benchFixPlan loads and analyses the module (not timed) and returns a
// run and a planner ready to plan its n fixes.
func benchFixPlan(b *testing.B, dir string, n int, diff bool) (*run, *planner, []*finding) {
	b.Helper()
	r := &run{opts: options{fix: true, diff: diff, tests: true, context: -1}, wd: dir, writer: newWriter(), stdout: io.Discard, stderr: io.Discard}
	pkgs, err := r.load([]string{"./..."})
	if err != nil {
		b.Fatal(err)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{analyzer.New(analyzer.DefaultSettings())}, pkgs, nil)
	if err != nil {
		b.Fatal(err)
	}
	fs := collect(graph)
	if len(fs) != n {
		b.Fatalf("%d findings, want %d", len(fs), n)
	}
	return r, r.planner(pkgs, fs), fs
}

// BenchmarkApplyFixes times applying n fixes to one file (planning the
// fixes, checking conflicts, rendering and formatting the file, and
// writing it whole beside the original and renaming it): the analysis
// is done before the timer, and the file is put back between
// iterations. x/tools' checker merged every fix into the accumulated
// edits, quadratic in the fixes of a file; here doubling n should about
// double the time (target ≤ 2.2× per doubling; bench/run.sh fix prints
// the ratios).
//
//	go test -run='^$' -bench=BenchmarkApplyFixes -benchmem ./cmd/bidictxlint
func BenchmarkApplyFixes(b *testing.B) {
	benchFixes(b, false)
}

// BenchmarkFixDiff is BenchmarkApplyFixes with -diff: the unified diff
// of the fixed file is computed instead of writing it.
func BenchmarkFixDiff(b *testing.B) {
	benchFixes(b, true)
}

func benchFixes(b *testing.B, diff bool) {
	for _, n := range []int{1000, 2000, 4000, 8000} {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			dir, file, src := benchFixModule(b, n)
			r, p, fs := benchFixPlan(b, dir, n, diff)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				p.plan()
				if code := r.finish(p, fs); code != exitOK && !(diff && code == exitFailed) {
					b.Fatalf("exit status %d", code)
				}
				b.StopTimer()
				for _, f := range fs {
					if !f.fixed {
						b.Fatalf("not fixed: %s", f.reason)
					}
				}
				if !diff {
					if err := os.WriteFile(file, src, 0o644); err != nil {
						b.Fatal(err)
					}
				}
				b.StartTimer()
			}
			b.ReportMetric(float64(n), "fixes")
		})
	}
}
