// Command bidictxlint reports client RPC streams (connect-go, grpc-go)
// driven from errgroup tasks whose context is not cancelled when the
// group's context is, so that g.Wait() can hang forever.
//
// Usage:
//
//	bidictxlint [-grpc=false] [-server=false] [-fix] [-diff] [-json] packages...
//	go vet -vettool=$(command -v bidictxlint) packages...
//
// See https://github.com/bidictxlint/bidictxlint#readme.
package main

import (
	"golang.org/x/tools/go/analysis/singlechecker"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

func main() { singlechecker.Main(analyzer.Analyzer) }
