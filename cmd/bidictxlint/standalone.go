package main

// The standalone command: load packages with go/packages, run the
// analyzer with x/tools' checker, print the findings or apply the fixes.
// It replaces singlechecker, whose exit status, error printing and -fix
// (see fix.go and write.go) could not be mended from outside.

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

// Exit statuses.
const (
	exitOK       = 0
	exitFailed   = 1 // packages did not load, a file was not written, or -diff printed a diff
	exitUsage    = 2
	exitFindings = 3 // findings were reported (after -fix: some are not fixed)
)

// options are the command's flags.
type options struct {
	fix, diff, json, version bool
	context                  int
	tests                    bool
}

const usageText = `bidictxlint reports client RPC streams (connect-go v1 and v2, grpc-go)
that a goroutine blocks on (an errgroup task, a sync.WaitGroup or conc
goroutine, a plain go statement) and that nothing frees when the code
stops, so that Wait hangs or the goroutine outlives its function, and
fixes them.

Usage:
	bidictxlint [flags] packages...
	go vet -vettool=$(command -v bidictxlint) [flags] packages...
	go fix -fixtool=$(command -v bidictxlint) [-diff] packages...

The fix cancels the stream's context where the code stops: for an
errgroup, context.AfterFunc(gctx, cancel) (deriving the context with
context.WithCancel when it has no cancel func); on a connect-go bidi
stream it also closes it, context.AfterFunc(gctx, func() { cancel(); _ =
stream.CloseResponse() }) (Close in v2), since once the server has
answered, cancelling alone does not free a pending Receive. Each message
quotes the code its fix writes.

-fix writes each fixed file whole or not at all (a temporary file
renamed over it), never edits a generated file or a package that does not
load, and prints every finding it did not fix, with why, as a plain run
would. -fix -diff prints the changes as a unified diff instead.

Exit status: 0 nothing found (after -fix: everything fixed); 3 findings
reported (after -fix: some not fixed); 1 packages failed to load, a file
could not be written, or -fix -diff printed a diff; 2 bad usage.

Flags:
`

// standalone runs the command with args (without the program name) in
// the working directory.
func standalone(args []string, stdout, stderr io.Writer) int {
	wd, err := os.Getwd()
	if err != nil {
		fmt.Fprintf(stderr, "bidictxlint: %v\n", err)
		return exitFailed
	}
	return standaloneIn(wd, newWriter(), args, stdout, stderr)
}

// standaloneIn runs the command in directory wd, writing files with w.
func standaloneIn(wd string, w *writer, args []string, stdout, stderr io.Writer) int {
	var o options
	a := analyzer.New(analyzer.DefaultSettings())
	fl := flag.NewFlagSet("bidictxlint", flag.ContinueOnError)
	fl.SetOutput(stderr)
	fl.Usage = func() {
		io.WriteString(stderr, usageText)
		fl.PrintDefaults()
		fmt.Fprintln(stderr, "\nSee https://github.com/bidictxlint/bidictxlint/blob/main/docs/standalone.md")
	}
	fl.BoolVar(&o.fix, "fix", false, "apply the suggested fixes; print the findings not fixed")
	fl.BoolVar(&o.diff, "diff", false, "with -fix, print the fixes as a unified diff on standard output instead of applying them")
	fl.BoolVar(&o.json, "json", false, "print the findings as JSON on standard output")
	fl.IntVar(&o.context, "c", -1, "print the offending line with this many lines of context")
	fl.BoolVar(&o.tests, "test", true, "analyse test files too")
	fl.BoolVar(&o.version, "version", false, "print the version and exit")
	a.Flags.VisitAll(func(f *flag.Flag) { fl.Var(f.Value, f.Name, f.Usage) })
	if err := fl.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK
		}
		return exitUsage
	}
	if o.version {
		printVersion(stdout)
		return exitOK
	}
	usage := func(msg string) int {
		fmt.Fprintf(stderr, "bidictxlint: %s (see bidictxlint -h)\n", msg)
		return exitUsage
	}
	switch {
	case fl.NArg() == 1 && fl.Arg(0) == "help":
		fl.Usage()
		return exitOK
	case fl.NArg() == 0:
		return usage("no packages named; to check the module in the current directory, run bidictxlint ./...")
	case o.diff && !o.fix:
		return usage("-diff requires -fix")
	case o.json && o.fix:
		return usage("-json and -fix cannot be used together")
	}

	r := &run{opts: o, wd: wd, writer: w, stdout: stdout, stderr: stderr}
	return r.main(a, fl.Args())
}

// A run is one invocation of the standalone command.
type run struct {
	opts           options
	wd             string
	writer         *writer
	stdout, stderr io.Writer

	mu      sync.Mutex
	sources map[string][]byte // file -> content, as parsed; nil when changed while loading
}

func (r *run) main(a *analysis.Analyzer, patterns []string) int {
	pkgs, err := r.load(patterns)
	if err != nil {
		fmt.Fprintf(r.stderr, "bidictxlint: %v\n", err)
		return exitFailed
	}
	errs, unparsed := loadErrors(pkgs, r.wd)
	printLoadErrors(r.stderr, errs)
	failed := len(errs) > 0

	// Packages that do not parse are not analysed: the partial syntax
	// tree go/parser returns is not the code the user wrote.
	var roots []*packages.Package
	for _, p := range pkgs {
		if !unparsed[p.ID] {
			roots = append(roots, p)
		}
	}
	slices.SortFunc(roots, func(x, y *packages.Package) int { return cmp.Compare(x.ID, y.ID) })
	graph, err := checker.Analyze([]*analysis.Analyzer{a}, roots, nil)
	if err != nil {
		fmt.Fprintf(r.stderr, "bidictxlint: %v\n", err)
		return exitFailed
	}
	for _, act := range graph.Roots {
		if act.Err != nil {
			fmt.Fprintf(r.stderr, "bidictxlint: %s: %v\n", act.Package.ID, act.Err)
			failed = true
		}
	}

	code := exitOK
	if r.opts.json {
		if err := graph.PrintJSON(r.stdout); err != nil {
			fmt.Fprintf(r.stderr, "bidictxlint: %v\n", err)
			failed = true
		}
	} else {
		findings := collect(graph)
		if r.opts.fix {
			code = r.fix(pkgs, findings)
		} else {
			for _, f := range findings {
				r.printFinding(f, "")
			}
			r.printKinds(findings)
			if len(findings) > 0 {
				code = exitFindings
			}
		}
	}
	if failed {
		code = exitFailed
	}
	return code
}

// load loads the packages named by patterns, with syntax for them and
// types for their dependencies, keeping each parsed file's content.
func (r *run) load(patterns []string) ([]*packages.Package, error) {
	r.sources = make(map[string][]byte)
	cfg := &packages.Config{
		Mode:  packages.LoadSyntax | packages.NeedModule,
		Dir:   r.wd,
		Tests: r.opts.tests,
		ParseFile: func(fset *token.FileSet, name string, src []byte) (*ast.File, error) {
			if r.opts.fix {
				r.mu.Lock()
				if prev, ok := r.sources[name]; !ok {
					r.sources[name] = src
				} else if prev != nil && string(prev) != string(src) {
					r.sources[name] = nil // read twice, different each time
				}
				r.mu.Unlock()
			}
			return parser.ParseFile(fset, name, src, parser.AllErrors|parser.ParseComments|parser.SkipObjectResolution)
		},
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err == nil && len(pkgs) == 0 {
		err = fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	return pkgs, err
}

// collect returns the findings of the graph's root actions, each once
// (a package and its test variant report the findings of their common
// files twice), in order of file and position.
func collect(graph *checker.Graph) []*finding {
	type key struct {
		posn, end token.Position
		msg       string
	}
	seen := make(map[key]bool)
	var out []*finding
	for _, act := range graph.Roots {
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			k := key{fset.Position(d.Pos), fset.Position(d.End), d.Message}
			if seen[k] {
				continue
			}
			seen[k] = true
			out = append(out, &finding{fset: fset, diag: d, posn: k.posn, pkg: act.Package.ID})
		}
	}
	slices.SortStableFunc(out, func(a, b *finding) int {
		return cmp.Or(cmp.Compare(a.posn.Filename, b.posn.Filename), cmp.Compare(a.posn.Offset, b.posn.Offset), cmp.Compare(a.diag.Message, b.diag.Message))
	})
	return out
}

// printFinding prints a finding as go vet does, "file:line:col: message"
// and a line for each related location, then, when it was not fixed,
// "\tnot fixed: why".
func (r *run) printFinding(f *finding, why string) {
	line := func(pos, end token.Pos, msg string) {
		posn := f.fset.Position(pos)
		fmt.Fprintf(r.stderr, "%s: %s\n", posn, msg)
		if r.opts.context < 0 {
			return
		}
		endp := f.fset.Position(end)
		if !endp.IsValid() {
			endp = posn
		}
		data, _ := os.ReadFile(posn.Filename)
		lines := strings.Split(string(data), "\n")
		for i := posn.Line - r.opts.context; i <= endp.Line+r.opts.context; i++ {
			if 1 <= i && i <= len(lines) {
				fmt.Fprintf(r.stderr, "%d\t%s\n", i, lines[i-1])
			}
		}
	}
	line(f.diag.Pos, f.diag.End, f.diag.Message)
	for _, rel := range f.diag.Related {
		line(rel.Pos, rel.End, "\t"+rel.Message)
	}
	if why != "" {
		fmt.Fprintf(r.stderr, "\tnot fixed: %s\n", why)
	}
}

// printKinds ends a report with the page of each kind of finding it
// printed, once per kind, so that a terminal user who has not read the
// documentation has the link: "bidictxlint: uncancelled-stream: URL".
func (r *run) printKinds(findings []*finding) {
	seen := map[string]bool{}
	for _, f := range findings {
		if k := f.diag.Category; k != "" && !seen[k] {
			seen[k] = true
			url := f.diag.URL
			if url == "" {
				continue
			}
			fmt.Fprintf(r.stderr, "bidictxlint: %s: %s\n", k, url)
		}
	}
}

// fix plans the fixes of the findings, applies them (or prints their
// diff), prints the findings not fixed and a summary, and returns the
// exit status.
func (r *run) fix(pkgs []*packages.Package, findings []*finding) int {
	p := r.planner(pkgs, findings)
	p.plan()
	return r.finish(p, findings)
}

// planner returns a planner for the findings in the loaded packages.
func (r *run) planner(pkgs []*packages.Package, findings []*finding) *planner {
	p := &planner{
		findings:  findings,
		sources:   make(map[string][]byte),
		generated: make(map[string]bool),
		blocked:   make(map[string]string),
		editable:  make(map[string]bool),
	}
	for name, src := range r.sources {
		if src != nil {
			p.sources[name] = src
		}
	}
	for _, pkg := range pkgs {
		for _, f := range pkg.Syntax {
			if isGenerated(f) {
				p.generated[pkg.Fset.File(f.FileStart).Name()] = true
			}
		}
		var why string
		switch {
		case len(pkg.Errors) > 0:
			why = fmt.Sprintf("package %s did not load without errors; no file of it is edited", pkg.ID)
		case pkg.IllTyped:
			why = fmt.Sprintf("a package that %s imports has errors; no file of it is edited", pkg.ID)
		}
		for _, name := range pkg.GoFiles {
			name = filepath.Clean(name)
			p.editable[name] = true
			if why != "" && p.blocked[name] == "" {
				p.blocked[name] = why
			}
		}
	}
	return p
}

// finish writes the planned files (or prints their diff), prints the
// findings not fixed and the summary, and returns the exit status.
func (r *run) finish(p *planner, findings []*finding) int {
	code := exitOK
	var written []*fileState
	if r.opts.diff {
		for _, fs := range p.changed() {
			name := fs.name
			if rel, err := filepath.Rel(r.wd, name); err == nil && filepath.IsLocal(rel) {
				name = rel
			}
			io.WriteString(r.stdout, fs.diff(name))
			written = append(written, fs)
		}
		if len(written) > 0 {
			code = exitFailed // as go fix -diff, gofmt -d: a diff means work to do
		}
	} else {
		written = p.writeAll(r.writer)
	}

	nfixed, notFixed := 0, 0
	for _, f := range findings {
		if f.fixed {
			nfixed++
		} else {
			notFixed++
			r.printFinding(f, f.reason)
		}
	}
	var failedFiles []*fileState
	for _, fs := range p.files {
		if fs.failed {
			failedFiles = append(failedFiles, fs)
		}
	}
	slices.SortFunc(failedFiles, func(a, b *fileState) int { return cmp.Compare(a.name, b.name) })
	for _, fs := range failedFiles {
		fmt.Fprintf(r.stderr, "bidictxlint: %s: not written, left as it was: %v\n", fs.name, fs.err)
	}
	r.summary(nfixed, len(findings), written, failedFiles)

	if notFixed > 0 && code == exitOK {
		code = exitFindings
	}
	if len(failedFiles) > 0 {
		code = exitFailed
	}
	return code
}

// summary prints the last line of -fix: how many findings were fixed in
// how many files, and, when some file was not written, which were and
// which were not.
func (r *run) summary(nfixed, n int, written, failed []*fileState) {
	if n == 0 {
		fmt.Fprintln(r.stderr, "bidictxlint: no findings, nothing to fix")
		return
	}
	verb := "fixed"
	if r.opts.diff {
		verb = "the diff fixes"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "bidictxlint: %s ", verb)
	if nfixed < n {
		fmt.Fprintf(&b, "%d of %s", nfixed, plural(n, "finding"))
	} else {
		b.WriteString(plural(n, "finding"))
	}
	fmt.Fprintf(&b, " in %s", plural(len(written), "file"))
	if len(failed) > 0 {
		fmt.Fprintf(&b, " (%s); %s not written (%s)", names(written), plural(len(failed), "file"), names(failed))
	}
	if nfixed < n {
		fmt.Fprintf(&b, "; %d not fixed, printed above", n-nfixed)
	}
	fmt.Fprintln(r.stderr, b.String())
}

func names(files []*fileState) string {
	if len(files) == 0 {
		return "none"
	}
	var s []string
	for _, fs := range files {
		s = append(s, fs.name)
	}
	return strings.Join(s, ", ")
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
