// Command bidictxlint reports client RPC streams (connect-go, grpc-go)
// driven from errgroup tasks whose context is not cancelled when the
// group's context is, so that g.Wait() can hang forever.
//
// Usage:
//
//	bidictxlint [-grpc=false] [-server=false] [-fix] [-diff] [-json] packages...
//	go vet -vettool=$(command -v bidictxlint) packages...
//
// Exit status: 0 when nothing is found, 3 when diagnostics are reported,
// 1 when some packages fail to load (even if others have findings, which
// are still printed), 2 on a bad flag.
//
// See https://github.com/bidictxlint/bidictxlint#readme.
package main

import (
	"os"

	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

func main() {
	if os.Getenv(childEnv) == "" && !vetProtocol(os.Args[1:]) {
		os.Exit(runChild())
	}
	a := analyzer.Analyzer
	if os.Getenv(childEnv) != "" {
		a = markAnalysis(a)
	}
	singlechecker.Main(a)
}
