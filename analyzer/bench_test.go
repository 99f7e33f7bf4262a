package analyzer_test

import (
	"fmt"
	"go/types"
	"sync"
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
// nested literals). Parsing, type-checking and the inspector are done
// before the timer, so ns/op and B/op are the analyzer's own. Doubling N
// should at most roughly double the time (target: ≤ 2.2× per doubling;
// bench/run.sh prints the ratios).
//
// Each size is measured the way a driver meets packages, after other work
// has been through the CPU caches: every iteration analyses the next of
// several type-checked copies of the package (benchFuncs functions in
// all, whatever N), and before it, outside the timer, evictCaches writes
// a buffer larger than the last-level cache. So no iteration finds its
// package, or the memory the previous iteration allocated and freed, in
// the caches, and every size is timed from the same start.
// BenchmarkAnalyzerRepeat analyses one copy again and again instead.
//
//	go test -run='^$' -bench=BenchmarkAnalyzer -benchmem -p 1 ./analyzer
func BenchmarkAnalyzer(b *testing.B) {
	a := analyzer.New(analyzer.Settings{GRPC: true, Server: true, Nolint: true})
	benchSizes(b, false, func(b *testing.B, cs []*checked, want int) {
		var diags int
		report := func(analysis.Diagnostic) { diags++ }
		// One run outside the timer checks that the analyzer does the
		// expected work.
		if _, err := a.Run(cs[0].pass(a, report)); err != nil {
			b.Fatal(err)
		}
		if diags != want {
			b.Fatalf("%d diagnostics, want %d", diags, want)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			evictCaches(b)
			if _, err := a.Run(cs[i%len(cs)].pass(a, report)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAnalyzerRepeat is BenchmarkAnalyzer on a single copy of each
// package. A package small enough to stay in the last-level cache between
// iterations (on the project's machine, about 16 MB: 1000 generated
// functions of syntax and type information) is then timed warm and the
// larger ones cold, so its doubling ratios mix the machine's cache size
// with the analyzer's growth. bench/run.sh prints them for reference.
func BenchmarkAnalyzerRepeat(b *testing.B) {
	a := analyzer.New(analyzer.Settings{GRPC: true, Server: true, Nolint: true})
	benchSizes(b, true, func(b *testing.B, cs []*checked, want int) {
		report := func(analysis.Diagnostic) {}
		b.ReportAllocs()
		for b.Loop() {
			if _, err := a.Run(cs[0].pass(a, report)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLostcancel is the reference for BenchmarkAnalyzer: go vet's
// lostcancel with the ctrlflow result it needs, on the same generated
// packages, timed the same way (copies in turn, caches evicted).
func BenchmarkLostcancel(b *testing.B) {
	benchSizes(b, false, func(b *testing.B, cs []*checked, _ int) {
		var diags int
		report := func(analysis.Diagnostic) { diags++ }
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			evictCaches(b)
			c := cs[i%len(cs)]
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

// Package sizes of the benchmarks, in generated functions, and how many
// functions the copies of one size hold in all: enough that the copies
// together are several times the last-level cache of common machines.
var (
	benchNs    = []int{1000, 2000, 4000, 8000}
	benchFuncs = 8000
)

// benchSizes runs f as a sub-benchmark per size, with the type-checked
// copies of the generated package of that size (one copy if single) and
// the number of diagnostics the generator expects in one copy.
func benchSizes(b *testing.B, single bool, f func(b *testing.B, cs []*checked, want int)) {
	// Every size is timed with the same live heap: all the copies.
	for _, n := range benchNs {
		benchCopies(b, n)
	}
	for _, n := range benchNs {
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			cs, want := benchCopies(b, n)
			if single {
				cs = cs[:1]
			}
			f(b, cs, want)
		})
	}
}

// benchCopies returns benchFuncs/n type-checked copies of the generated
// package of n functions, each under its own import path, made once per
// size and process so that -count and the three benchmarks share them.
func benchCopies(b *testing.B, n int) ([]*checked, int) {
	benchMu.Lock()
	defer benchMu.Unlock()
	if cs, ok := benchCache[n]; ok {
		return cs, benchWant[n]
	}
	src, want := gen.Source(gen.Options{Package: "synth", Funcs: n})
	var cs []*checked
	for i := range max(1, benchFuncs/n) {
		c := check(getEnv(), fmt.Sprintf("example.com/synth%d", i), map[string][]byte{"synth.go": []byte(src)})
		if c.parseErrs > 0 || len(c.typeErrs) > 0 {
			b.Fatalf("generated package: %d parse errors, type errors %v", c.parseErrs, c.typeErrs[:min(3, len(c.typeErrs))])
		}
		cs = append(cs, c)
	}
	benchCache[n], benchWant[n] = cs, want
	return cs, want
}

var (
	benchMu    sync.Mutex
	benchCache = make(map[int][]*checked)
	benchWant  = make(map[int]int)
)

// evictCaches writes one byte per cache line of a 128 MB buffer, several
// times the last-level cache of common machines, with the timer stopped.
func evictCaches(b *testing.B) {
	b.StopTimer()
	evictOnce.Do(func() { evictBuf = make([]byte, 128<<20) })
	for i := 0; i < len(evictBuf); i += 64 {
		evictBuf[i]++
	}
	b.StartTimer()
}

var (
	evictOnce sync.Once
	evictBuf  []byte
)

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
