package main

// The standalone command runs singlechecker in a child process of
// itself and reads the child's standard error, for two reasons that
// singlechecker (x/tools v0.42.0) gives no hook for:
//
//   - exit status: the checker raises its exit status to 1 when packages
//     fail to load, then to 3 when diagnostics are printed, so a run that
//     had both exits with 3 and a script cannot tell that part of the
//     code was not checked. Here such a run exits with 1.
//   - repeated load errors: packages.PrintErrors prints a package's
//     errors once per package variant (p and p [p.test]), and a type
//     error twice in each (once in the go list compile output, relative
//     to the working directory, once from go/types, absolute). Here each
//     is printed once.
//
// The child writes a marker line when the analysis of the first package
// starts (the checker prints load errors before it analyses anything),
// so everything before it is load errors and everything after it is the
// checker's report, which is passed on unchanged.
//
// go vet's unitchecker protocol (a single *.cfg argument, -flags, -V)
// runs in process as before: go vet prints and counts errors itself.
//
// The second process costs about 3 ms a run (median of 30 runs on a
// one-file module, 41.4 ms against 38.6 ms for the child alone), under
// 0.5% of a run over connect-go; bench/run.sh cmd measures the whole.

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
)

// childEnv marks the child process.
const childEnv = "BIDICTXLINT_CHILD"

// analysisMarker is the line the child writes to standard error when the
// first package's analysis starts. It is never shown.
const analysisMarker = "\x00bidictxlint: analysis starts\x00"

// vetProtocol reports whether the arguments are go vet's (or go fix's)
// unitchecker protocol, which is run in process.
func vetProtocol(args []string) bool {
	if len(args) == 1 && strings.HasSuffix(args[0], ".cfg") {
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

// markAnalysis returns a copy of a whose Run first writes the marker.
func markAnalysis(a *analysis.Analyzer) *analysis.Analyzer {
	c := *a
	var once sync.Once
	run := a.Run
	c.Run = func(pass *analysis.Pass) (any, error) {
		once.Do(func() { fmt.Fprintln(os.Stderr, analysisMarker) })
		return run(pass)
	}
	return &c
}

// runChild runs the command again as a child with the same arguments,
// passes its standard output on, filters its standard error, and returns
// the exit status.
func runChild() int {
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bidictxlint: %v\n", err)
		return 1
	}
	cmd := exec.Command(exe, os.Args[1:]...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	cmd.Stdin, cmd.Stdout = os.Stdin, os.Stdout
	stderr, err := cmd.StderrPipe()
	if err != nil {
		fmt.Fprintf(os.Stderr, "bidictxlint: %v\n", err)
		return 1
	}
	// An interrupt reaches the child too; let it decide how to end.
	signal.Ignore(os.Interrupt)
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(os.Stderr, "bidictxlint: %v\n", err)
		return 1
	}

	// Read the load phase, up to the marker or the end.
	r := bufio.NewReader(stderr)
	var load bytes.Buffer
	marked := false
	for {
		line, err := r.ReadString('\n')
		if strings.TrimSuffix(line, "\n") == analysisMarker {
			marked = true
			break
		}
		load.WriteString(line)
		if err != nil {
			break
		}
	}
	code := 0
	failed := false
	if marked {
		failed = writeLoadErrors(os.Stderr, load.String())
		io.Copy(os.Stderr, r)
		code = exitCode(cmd.Wait())
	} else {
		io.Copy(&load, r)
		code = exitCode(cmd.Wait())
		if code == 2 { // a bad flag: usage text, not load errors
			os.Stderr.WriteString(load.String())
		} else {
			failed = writeLoadErrors(os.Stderr, load.String())
		}
	}
	if failed && code == 3 {
		code = 1 // some packages did not load: not everything was checked
	}
	return code
}

func exitCode(err error) int {
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ee):
		if c := ee.ExitCode(); c > 0 {
			return c
		}
		return 1 // killed by a signal
	default:
		fmt.Fprintf(os.Stderr, "bidictxlint: %v\n", err)
		return 1
	}
}

// errorPos matches an error that starts with a position.
var errorPos = regexp.MustCompile(`^(.+?):(\d+):(\d+): (.*)$`)

// writeLoadErrors writes the load errors in out to w, each once, and
// reports whether there were any. A record is a line and the indented
// lines that continue it. Records with the same position (the file made
// absolute) and message are the same error; a go list header
// ("-: # pkg [variant]") is written only when a new error follows it.
func writeLoadErrors(w io.Writer, out string) bool {
	var records []string
	for line := range strings.Lines(out) {
		if strings.HasPrefix(line, "\t") && len(records) > 0 {
			records[len(records)-1] += line
			continue
		}
		records = append(records, line)
	}
	seen := make(map[string]bool)
	header := ""
	found := false
	for _, rec := range records {
		if strings.TrimSpace(rec) == "" {
			continue
		}
		found = true
		if strings.HasPrefix(rec, "-: # ") {
			header = rec
			continue
		}
		key := rec
		first, rest, _ := strings.Cut(rec, "\n")
		if m := errorPos.FindStringSubmatch(first); m != nil {
			file := m[1]
			if filepath.IsAbs(file) {
				header = "" // go list's output for a header is relative
			} else if abs, err := filepath.Abs(file); err == nil {
				file = abs
			}
			key = file + ":" + m[2] + ":" + m[3] + ": " + m[4] + "\n" + rest
		} else {
			header = ""
		}
		if seen[key] {
			continue
		}
		seen[key] = true
		if header != "" {
			io.WriteString(w, header)
			header = ""
		}
		io.WriteString(w, rec)
	}
	return found
}
