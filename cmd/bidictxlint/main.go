// Command bidictxlint reports client RPC streams (connect-go v1 and v2,
// grpc-go) that a goroutine blocks on (an errgroup task, a
// sync.WaitGroup or conc goroutine, a plain go statement) and that
// nothing frees when the code stops, so that Wait can hang or the
// goroutine leak, and fixes them: the stream's context is cancelled where
// the code stops, and a connect-go bidi stream is closed too, since once
// the server has answered cancelling alone does not free a pending
// Receive.
//
// Usage:
//
//	bidictxlint [-grpc=false] [-server=false] [-test=false] [-c=N] [-json] packages...
//	bidictxlint -fix [-diff] packages...
//	bidictxlint -version
//	go vet -vettool=$(command -v bidictxlint) packages...
//	go fix -fixtool=$(command -v bidictxlint) [-diff] packages...
//
// Run with packages, the command loads them with go/packages and
// analyses them in process (standalone.go). It prints each finding once
// on standard error, as "file:line:col: message" with related locations
// on indented lines (-json: a JSON tree on standard output). Each load
// or syntax error is printed once; a package that does not parse is not
// analysed.
//
// -fix applies the suggested fixes: each changed file is written to a
// temporary file beside it and renamed over it, so a file is either fully
// fixed or untouched, and the summary names the files not written and
// why (write.go). Generated files, files of packages that did not load
// and files that do not parse are never edited; every finding not fixed
// is printed with the reason (fix.go). -fix -diff prints a unified diff
// on standard output instead (diff.go).
//
// Exit status: 0 when nothing is found (after -fix: everything was
// fixed); 3 when findings are reported (after -fix: some are not fixed);
// 1 when packages fail to load (findings elsewhere are still printed), a
// file could not be written, or -fix -diff printed a diff; 2 on bad
// usage. With -json, findings do not change the exit status.
//
// Invoked by go vet or go fix (a single *.cfg argument, -flags or
// -V=full), the command speaks their unitchecker protocol instead: under
// go fix the tool writes the fixed files into a zip archive and the go
// command writes them into the source tree.
//
// See docs/standalone.md.
package main

import (
	"fmt"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis/unitchecker"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

func main() {
	args := os.Args[1:]
	if vetProtocol(args) {
		if fullVersion(args) {
			if err := printFullVersion(os.Stdout); err != nil {
				fmt.Fprintf(os.Stderr, "bidictxlint: %v\n", err)
				os.Exit(1)
			}
			os.Exit(0)
		}
		unitchecker.Main(analyzer.Analyzer)
	}
	os.Exit(standalone(args, os.Stdout, os.Stderr))
}

// vetProtocol reports whether the arguments are go vet's (or go fix's)
// unitchecker protocol: a single *.cfg argument, -flags or -V=full.
func vetProtocol(args []string) bool {
	if len(args) > 0 && strings.HasSuffix(args[len(args)-1], ".cfg") {
		return true
	}
	for _, a := range args {
		name := strings.TrimLeft(a, "-")
		if a != name && (name == "flags" || name == "V" || strings.HasPrefix(name, "V=")) {
			return true
		}
	}
	return false
}

// fullVersion reports whether the arguments ask for -V=full.
func fullVersion(args []string) bool {
	for _, a := range args {
		if strings.TrimLeft(a, "-") == "V=full" && a != "V=full" {
			return true
		}
	}
	return false
}
