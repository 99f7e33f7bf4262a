package analyzer_test

import (
	"fmt"
	"go/types"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/analysis/passes/ctrlflow"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/analysis/passes/lostcancel"

	"github.com/bidictxlint/bidictxlint/analyzer"
	"github.com/bidictxlint/bidictxlint/internal/gen"
)

// BenchmarkAnalyzer times the analyzer's Run alone on generated packages
// of N functions (internal/gen: mixed reported and clean shapes, helpers,
// nested literals). Parsing, type-checking and the inspector are built
// once per N outside the timer, so ns/op and B/op are the analyzer's own.
// Doubling N should at most roughly double the time (target: ≤ 2.2× per
// doubling; bench/run.sh prints the ratios).
//
//	go test -run='^$' -bench=BenchmarkAnalyzer -benchmem -p 1 ./analyzer
func BenchmarkAnalyzer(b *testing.B) {
	a := analyzer.New(analyzer.Settings{GRPC: true, Server: true})
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			src, want := gen.Source(gen.Options{Package: "synth", Funcs: n})
			c := check(getEnv(), "example.com/synth", map[string][]byte{"synth.go": []byte(src)})
			if c.parseErrs > 0 || len(c.typeErrs) > 0 {
				b.Fatalf("generated package: %d parse errors, type errors %v", c.parseErrs, c.typeErrs[:min(3, len(c.typeErrs))])
			}
			var diags int
			report := func(analysis.Diagnostic) { diags++ }
			// One run outside the timer checks that the analyzer does the
			// expected work.
			if _, err := a.Run(c.pass(a, report)); err != nil {
				b.Fatal(err)
			}
			if diags != want {
				b.Fatalf("%d diagnostics, want %d", diags, want)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				if _, err := a.Run(c.pass(a, report)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// benchSizes are the package sizes (in generated functions) of the
// benchmarks.
var benchSizes = []int{1000, 2000, 4000, 8000}

// BenchmarkLostcancel is the reference for BenchmarkAnalyzer: go vet's
// lostcancel with the ctrlflow result it needs, on the same generated
// packages, timed the same way. Both read go/types' maps, which grow
// with N; when those outgrow the CPU's caches, every lookup gets slower
// and any pass's time grows faster than N for a while. bench/run.sh
// prints both doubling ratios side by side so that the machine's share
// can be told from the analyzer's.
func BenchmarkLostcancel(b *testing.B) {
	for _, n := range benchSizes {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			src, _ := gen.Source(gen.Options{Package: "synth", Funcs: n})
			c := check(getEnv(), "example.com/synth", map[string][]byte{"synth.go": []byte(src)})
			var diags int
			report := func(analysis.Diagnostic) { diags++ }
			b.ReportAllocs()
			for b.Loop() {
				p := c.pass(ctrlflow.Analyzer, report)
				p.ImportObjectFact = func(types.Object, analysis.Fact) bool { return false }
				p.ExportObjectFact = func(types.Object, analysis.Fact) {}
				cfgs, err := ctrlflow.Analyzer.Run(p)
				if err != nil {
					b.Fatal(err)
				}
				q := c.pass(lostcancel.Analyzer, report)
				q.ResultOf = map[*analysis.Analyzer]any{inspect.Analyzer: c.inspect, ctrlflow.Analyzer: cfgs}
				if _, err := lostcancel.Analyzer.Run(q); err != nil {
					b.Fatal(err)
				}
			}
			if diags != 0 {
				b.Fatalf("lostcancel reported %d diagnostics on the generated package, want 0", diags)
			}
		})
	}
}

// TestGenerated checks the generator against the analyzer: every shape
// reported where the generator says (analysistest "// want"), nothing
// elsewhere. It keeps the benchmark honest: the benchmarked package has
// both reported and clean shapes, all type-correct.
func TestGenerated(t *testing.T) {
	dir := t.TempDir()
	names, _ := gen.ShapeNames()
	if _, err := gen.WriteGOPATH(dir, gen.Options{Package: "synth", Funcs: 2 * len(names), Want: true}); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, analyzer.Analyzer, "synth")
}
