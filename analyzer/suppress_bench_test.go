package analyzer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

// BenchmarkFastExit times the analyzer's Run on net/http, a large package
// that does not import errgroup: what it costs there is reading the
// comments for directives (and //nolint), since nothing else is checked.
// "comments/op" is how many comments each run reads.
//
//	go test -run='^$' -bench=BenchmarkFastExit -benchmem ./analyzer
func BenchmarkFastExit(b *testing.B) {
	cfg := &packages.Config{Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax |
		packages.NeedTypes | packages.NeedTypesInfo | packages.NeedImports | packages.NeedTypesSizes}
	pkgs, err := packages.Load(cfg, "net/http")
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		b.Fatalf("loading net/http: %v %v", err, pkgs)
	}
	p := pkgs[0]
	comments := 0
	for _, f := range p.Syntax {
		for _, cg := range f.Comments {
			comments += len(cg.List)
		}
	}
	for _, s := range []struct {
		name   string
		nolint bool
	}{{"ignore", false}, {"ignore+nolint", true}} {
		b.Run(s.name, func(b *testing.B) {
			a := analyzer.New(analyzer.Settings{GRPC: true, Server: true, Nolint: s.nolint})
			diags := 0
			pass := &analysis.Pass{
				Analyzer: a, Fset: p.Fset, Files: p.Syntax, Pkg: p.Types, TypesInfo: p.TypesInfo,
				TypesSizes: p.TypesSizes, ResultOf: map[*analysis.Analyzer]any{},
				Report: func(analysis.Diagnostic) { diags++ },
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := a.Run(pass); err != nil {
					b.Fatal(err)
				}
			}
			if diags != 0 {
				b.Fatalf("%d diagnostics on net/http", diags)
			}
			b.ReportMetric(float64(comments), "comments/op")
		})
	}
}
