// Command baseline is the floor for bidictxlint's wall time and memory:
// x/tools' driver (singlechecker, which loads with go/packages and runs
// x/tools' checker, as the standalone command's own driver does) with an
// analyzer that only requires inspect.Analyzer, like bidictxlint, and
// does nothing. bench/run.sh compares the two on real modules.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/analysis/singlechecker"
)

// Analyzer does nothing, with the same requirements and error handling
// as bidictxlint's.
var Analyzer = &analysis.Analyzer{
	Name:             "baseline",
	Doc:              "do nothing after inspect (benchmark baseline)",
	Requires:         []*analysis.Analyzer{inspect.Analyzer},
	RunDespiteErrors: true,
	Run:              func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { singlechecker.Main(Analyzer) }
