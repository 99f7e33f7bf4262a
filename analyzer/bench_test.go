package analyzer_test

import (
	"fmt"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

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
	for _, n := range []int{1000, 2000, 4000, 8000} {
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
