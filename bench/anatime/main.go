// Command anatime loads packages once, as singlechecker does (with
// tests), then runs the analysis graph of bidictxlint and lostcancel
// sequentially several times (checker.Analyze with Sequential, as
// -debug=tp does) and prints, per analyzer, the median over the runs of
// the sum of its actions' durations over ALL packages. -debug=tp prints
// only the actions that make up 90% of the total, so its per-analyzer
// sums miss the long tail; this command does not.
//
//	anatime [-reps 5] [-cpuprofile file] [-top N] ./...
//
// -cpuprofile writes a CPU profile of the analysis runs (not the load);
// -top prints the N packages in which bidictxlint spent most time (last
// run) on standard error. Standard error also shows the spread of the
// ratio bidictxlint/lostcancel over the runs: on a shared machine it is
// wide, and a process's runs of lostcancel can be all fast or all slow.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"runtime/pprof"
	"slices"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/analysis/passes/lostcancel"
	"golang.org/x/tools/go/packages"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

func main() {
	reps := flag.Int("reps", 5, "number of analysis runs (median is printed)")
	tests := flag.Bool("test", true, "include test packages")
	cpuprofile := flag.String("cpuprofile", "", "write a CPU profile of the analysis runs to `file`")
	top := flag.Int("top", 0, "print the `N` packages bidictxlint spent most time in")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("anatime: ")

	// lostcancel needs ctrlflow, which has facts: load all syntax, as
	// the checker would for these two analyzers together.
	cfg := &packages.Config{Mode: packages.LoadAllSyntax | packages.NeedModule, Tests: *tests}
	t0 := time.Now()
	pkgs, err := packages.Load(cfg, flag.Args()...)
	if err != nil {
		log.Fatal(err)
	}
	if len(pkgs) == 0 {
		log.Fatal("no packages")
	}
	fmt.Fprintf(os.Stderr, "loaded %d root packages in %v\n", len(pkgs), time.Since(t0).Round(time.Millisecond))

	roots := []*analysis.Analyzer{analyzer.Analyzer, lostcancel.Analyzer}
	if *cpuprofile != "" {
		f, err := os.Create(*cpuprofile)
		if err != nil {
			log.Fatal(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			log.Fatal(err)
		}
		defer func() {
			pprof.StopCPUProfile()
			f.Close()
		}()
	}
	type pkgTime struct {
		path string
		d    time.Duration
	}
	var byPkg []pkgTime
	totals := make(map[string][]time.Duration)
	counts := make(map[string]int)
	var ratios []float64 // per run: bidictxlint / lostcancel
	for range *reps {
		g, err := checker.Analyze(roots, pkgs, &checker.Options{Sequential: true})
		if err != nil {
			log.Fatal(err)
		}
		sum := make(map[string]time.Duration)
		n := make(map[string]int)
		byPkg = byPkg[:0]
		for act := range g.All() {
			if act.IsRoot && act.Analyzer == analyzer.Analyzer {
				byPkg = append(byPkg, pkgTime{act.Package.ID, act.Duration})
			}
			name := act.Analyzer.Name
			if !act.IsRoot && (name == analyzer.Name || name == lostcancel.Analyzer.Name) {
				continue
			}
			if act.IsRoot || name == "ctrlflow" || name == "inspect" {
				sum[name] += act.Duration
				n[name]++
			}
		}
		// ctrlflow on the root packages only: the part lostcancel adds
		// on the packages being linted.
		var cfRoots time.Duration
		for act := range g.All() {
			if act.Analyzer.Name == "ctrlflow" && slices.Contains(pkgs, act.Package) {
				cfRoots += act.Duration
			}
		}
		sum["ctrlflow(roots)"] = cfRoots
		for k, v := range sum {
			totals[k] = append(totals[k], v)
		}
		if l := sum[lostcancel.Analyzer.Name]; l > 0 {
			ratios = append(ratios, float64(sum[analyzer.Name])/float64(l))
		}
		counts = n
	}
	slices.SortFunc(byPkg, func(a, b pkgTime) int { return int(b.d - a.d) })
	for _, p := range byPkg[:min(*top, len(byPkg))] {
		fmt.Fprintf(os.Stderr, "%10v %s\n", p.d, p.path)
	}
	med := func(ds []time.Duration) time.Duration {
		slices.Sort(ds)
		return ds[len(ds)/2]
	}
	if len(ratios) > 0 {
		slices.Sort(ratios)
		fmt.Fprintf(os.Stderr, "ratio per run: median %.3f, quartiles %.3f %.3f\n", ratios[len(ratios)/2], ratios[len(ratios)/4], ratios[3*len(ratios)/4])
	}
	// Machine-readable lines for bench/run.sh: name, median ns, actions.
	for _, name := range []string{analyzer.Name, lostcancel.Analyzer.Name, "ctrlflow(roots)", "ctrlflow", "inspect"} {
		if ds := totals[name]; len(ds) > 0 {
			fmt.Printf("%s %d %d\n", name, med(ds).Nanoseconds(), counts[name])
		}
	}
}
