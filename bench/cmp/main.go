// Command cmp runs bidictxlint and lostcancel together (multichecker), so
// that -debug=tp prints the time of each analyzer's actions on the same
// packages, with parallelism off.
//
//	cmp -debug=tp ./...
package main

import (
	"golang.org/x/tools/go/analysis/multichecker"
	"golang.org/x/tools/go/analysis/passes/lostcancel"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

func main() { multichecker.Main(analyzer.Analyzer, lostcancel.Analyzer) }
