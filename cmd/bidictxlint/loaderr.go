package main

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/tools/go/packages"
)

// A loadError is one error met while loading packages, as printed: a
// position (file absolute) or none, and a message.
type loadError struct {
	file      string
	line, col int
	msg       string
}

func (e loadError) String() string {
	switch {
	case e.file == "":
		return "bidictxlint: " + e.msg
	case e.line == 0:
		return fmt.Sprintf("%s: %s", e.file, e.msg)
	case e.col == 0:
		return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.file, e.line, e.col, e.msg)
}

// compilerLine matches an error line of the compiler output that go list
// puts in a package's list error ("dir/file.go:3:9: message"), relative
// to the working directory.
var compilerLine = regexp.MustCompile(`^(.+\.go):(\d+):(\d+): (.*)$`)

// loadErrors returns the errors of the packages and of every package
// they import, each once, in a stable order; and the set of packages
// (by ID) that have syntax errors.
//
// go/packages reports one error several times: once per variant of a
// package (p and p [p.test]), and, for a package that does not compile,
// once in the compiler output that go list prints (relative to the
// working directory, under a "# pkg" header) and once from go/parser or
// go/types (absolute). Here an error is identified by its file (made
// absolute), line and column, and the first message seen is kept.
//
// A package whose files do not parse gets only the first syntax error
// of each such file, as go vet prints it: in the compiler's words when
// go list ran the compiler, else go/parser's. After a syntax error both
// go on and report its consequences (go/parser a dozen for one missing
// parenthesis), and the type checker reports the broken declarations;
// none of those tell the user more.
func loadErrors(pkgs []*packages.Package, wd string) (errs []loadError, unparsed map[string]bool) {
	unparsed = make(map[string]bool)
	seen := make(map[loadError]bool) // by position; msg is empty
	add := func(e loadError) {
		k := e
		if k.file != "" {
			k.msg = ""
		}
		if !seen[k] {
			seen[k] = true
			errs = append(errs, e)
		}
	}
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		syntax := false
		for _, e := range p.Errors {
			if e.Kind == packages.ParseError {
				syntax = true
			}
		}
		if syntax {
			unparsed[p.ID] = true
		}
		firstParse := make(map[string]bool) // files with a syntax error printed
		for _, e := range p.Errors {
			switch {
			case e.Kind == packages.ListError && e.Pos == "" && strings.HasPrefix(e.Msg, "# "):
				// The compiler's output: "# pkg" then one error a line.
				for _, line := range strings.Split(e.Msg, "\n")[1:] {
					if m := compilerLine.FindStringSubmatch(line); m != nil {
						le := loadError{file: absPath(wd, m[1]), line: atoi(m[2]), col: atoi(m[3]), msg: m[4]}
						if syntax {
							// Only the first syntax error of each file:
							// the others are often its consequences.
							if !strings.HasPrefix(le.msg, "syntax error") || firstParse[le.file] {
								continue
							}
							firstParse[le.file] = true
						}
						add(le)
					} else if line = strings.TrimSpace(line); line != "" {
						add(loadError{msg: line})
					}
				}
			case syntax && e.Kind == packages.TypeError:
				// Consequences of the syntax errors.
			default:
				le := parsePos(wd, e.Pos)
				le.msg = e.Msg
				if e.Kind == packages.ParseError {
					if firstParse[le.file] {
						continue
					}
					firstParse[le.file] = true
				}
				add(le)
			}
		}
	})
	return errs, unparsed
}

// parsePos parses a packages.Error position, "file:line:col",
// "file:line" or "" (or "-").
func parsePos(wd, pos string) loadError {
	if pos == "" || pos == "-" {
		return loadError{}
	}
	var e loadError
	rest := pos
	nums := []*int{&e.col, &e.line}
	if strings.Count(pos, ":") == 1 {
		nums = nums[1:]
	}
	for _, n := range nums {
		i := strings.LastIndex(rest, ":")
		if i < 0 {
			return loadError{file: absPath(wd, pos)}
		}
		v, err := strconv.Atoi(rest[i+1:])
		if err != nil {
			return loadError{file: absPath(wd, pos)}
		}
		*n = v
		rest = rest[:i]
	}
	e.file = absPath(wd, rest)
	return e
}

func absPath(wd, file string) string {
	if filepath.IsAbs(file) {
		return filepath.Clean(file)
	}
	return filepath.Join(wd, file)
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// printLoadErrors writes the errors, those with a position sorted by
// file and position after those without.
func printLoadErrors(w io.Writer, errs []loadError) {
	slices.SortStableFunc(errs, func(a, b loadError) int {
		return cmp.Or(cmp.Compare(a.file, b.file), cmp.Compare(a.line, b.line), cmp.Compare(a.col, b.col))
	})
	for _, e := range errs {
		fmt.Fprintln(w, e)
	}
}
