package analyzer_test

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"io/fs"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
	"golang.org/x/tools/go/ast/inspector"
	"golang.org/x/tools/go/packages"

	"github.com/bidictxlint/bidictxlint/analyzer"
	"github.com/bidictxlint/bidictxlint/internal/gen/compose"
)

// The switches of TestComposed.
const (
	// genCountEnv sets how many functions the run generates with the
	// seed that changes each run (the long run: BIDICTXLINT_GEN=20000).
	genCountEnv = "BIDICTXLINT_GEN"
	// genSeedEnv runs one seed only (with BIDICTXLINT_GEN functions, or
	// the default count); "named" runs the named shapes only.
	genSeedEnv = "BIDICTXLINT_GEN_SEED"
	// genUnitEnv, with genSeedEnv, runs one function of that seed.
	genUnitEnv = "BIDICTXLINT_GEN_UNIT"
	// genDimsEnv runs one function written from dimension values, as
	// the failure report prints them ("lib=grpc-go kind=bidi ...").
	genDimsEnv = "BIDICTXLINT_GEN_DIMS"
	// genShowEnv sets how many examples a failure kind prints besides
	// the minimised one (default 1).
	genShowEnv = "BIDICTXLINT_GEN_SHOW"
	// genMinEnv=0 turns off minimising the first example of each kind.
	genMinEnv = "BIDICTXLINT_GEN_MIN"
	// genLogEnv names a file to which every failure is appended, one
	// line per function: seed, number, kind, dimensions (for triage).
	genLogEnv = "BIDICTXLINT_GEN_LOG"
)

const (
	// genFixedSeed is the seed every run checks.
	genFixedSeed = 1
	// genDefaultCount is how many functions each of the two default
	// seeds generates; together about two minutes on two cores.
	genDefaultCount = 1500
	// genBatch is how many functions share one package, built, vetted
	// and loaded at once.
	genBatch = 250
	// genFiles is how many files a package spreads its functions over.
	genFiles = 5
	// genMinimiseBudget bounds the time the whole test spends minimising
	// failures.
	genMinimiseBudget = 45 * time.Second
)

// TestComposed checks properties of the analyzer on functions composed
// by internal/gen/compose over the real connect-go v1 and v2, grpc-go and
// errgroup types: from a seed, each function picks independently where
// the stream is opened, with which context, which group, which tasks and
// which cancellation path. Every generated package builds and vets
// before the analyzer sees it. On every function:
//
//   - the analyzer does not panic (the harness recovers and reports the
//     stack; the analyzer itself recovers nothing);
//   - the diagnostics are valid, and do not depend on the order or the
//     names of the package's files;
//   - where the measured facts settle the function's verdict (bug or
//     clean), the analyzer reports it or not accordingly;
//   - a message never writes a method call on a call (which would open a
//     second stream) and names in its code only identifiers that exist
//     where it says to write them, or that its fix introduces; the code
//     it shows is the code its fix writes;
//   - applying every fix gives gofmt-clean code that builds and vets, on
//     which a second run reports nothing in what was fixed and whose own
//     fixes change nothing.
//
// It runs genDefaultCount functions of seed 1 and as many of a seed
// taken from the clock, printed in the log. See the env switches above
// for a long run and for running one seed or one function.
func TestComposed(t *testing.T) {
	count := genDefaultCount
	if s := os.Getenv(genCountEnv); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			t.Fatalf("%s=%q: want a positive number of functions", genCountEnv, s)
		}
		count = n
	}
	type run struct {
		seed   int64
		ids    []int
		single *compose.Dims
		named  bool // the named shapes of compose.Named
	}
	var runs []run
	switch {
	case os.Getenv(genDimsEnv) != "":
		d, err := compose.ParseDims(os.Getenv(genDimsEnv))
		if err != nil {
			t.Fatalf("%s: %v", genDimsEnv, err)
		}
		runs = append(runs, run{seed: 0, ids: []int{0}, single: &d})
	case os.Getenv(genSeedEnv) == "named":
		runs = append(runs, run{named: true})
	case os.Getenv(genSeedEnv) != "":
		seed, err := strconv.ParseInt(os.Getenv(genSeedEnv), 10, 64)
		if err != nil {
			t.Fatalf("%s: %v", genSeedEnv, err)
		}
		r := run{seed: seed, ids: ids(count)}
		if s := os.Getenv(genUnitEnv); s != "" {
			id, err := strconv.Atoi(s)
			if err != nil {
				t.Fatalf("%s: %v", genUnitEnv, err)
			}
			r.ids = []int{id}
		}
		runs = append(runs, r)
	default:
		timeSeed := time.Now().UnixNano()
		t.Logf("seeds: %d (fixed) and %d (this run's; rerun it with %s=%d)", genFixedSeed, timeSeed, genSeedEnv, timeSeed)
		runs = append(runs, run{named: true}, run{seed: genFixedSeed, ids: ids(genDefaultCount)}, run{seed: timeSeed, ids: ids(count)})
	}
	h := newGenHarness(t)
	for _, r := range runs {
		name := fmt.Sprintf("seed=%d", r.seed)
		if r.named {
			name = "named"
		}
		t.Run(name, func(t *testing.T) {
			start := time.Now()
			h.stats = genStats{}
			var all []*genFailure
			var units []compose.Unit
			if r.named {
				names, us := compose.Named()
				units = us
				all = h.batch(t, units)
				for _, f := range all {
					if f.unit != nil {
						f.match = f.kind
						f.kind += " [" + names[f.unit.ID] + "]"
					}
				}
			}
			for lo := 0; lo < len(r.ids); lo += genBatch {
				batch := make([]compose.Unit, 0, genBatch)
				for _, id := range r.ids[lo:min(lo+genBatch, len(r.ids))] {
					if r.single != nil {
						batch = append(batch, compose.FromDims(r.seed, id, *r.single))
					} else {
						batch = append(batch, compose.New(r.seed, id))
					}
				}
				units = append(units, batch...)
				all = append(all, h.batch(t, batch)...)
			}
			t.Logf("%d functions (%s) in %v: %d diagnostics, %d functions fixed, %d of them built, vetted and analysed again",
				len(units), verdictCounts(units), time.Since(start).Round(time.Millisecond), h.stats.diags, h.stats.fixed, h.stats.fixedChecked)
			if len(units) >= 500 {
				// A run this size that reports nothing, or whose fixes are
				// never built and analysed again, checks too little.
				if h.stats.diags == 0 {
					t.Errorf("%d functions and no diagnostic: the run checks nothing", len(units))
				}
				if h.stats.fixedChecked == 0 {
					t.Errorf("%d functions and no fix applied and checked: the fixes go unchecked", len(units))
				}
			}
			if os.Getenv("BIDICTXLINT_GEN_TIMES") != "" {
				t.Logf("times: %v", h.times)
			}
			h.times = nil
			h.reportFailures(t, all)
		})
	}
}

func ids(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func verdictCounts(units []compose.Unit) string {
	n := make(map[compose.Verdict]int)
	for _, u := range units {
		n[u.Verdict]++
	}
	return fmt.Sprintf("%d bug, %d clean, %d unknown", n[compose.Bug], n[compose.Clean], n[compose.Unknown])
}

// A genFailure is one property that one generated function breaks.
type genFailure struct {
	kind   string // what is wrong, the same for every instance of one bug
	match  string // the kind a variant must fail with to count as the same (default kind)
	unit   *compose.Unit
	detail string // this instance: the diagnostic, the error, the stack
	code   string // code other than the unit's source (the fixed code)
}

// genHarness is a temporary module with the real libraries' requirements
// (testdata/real's go.mod and go.sum) and its hand-written generated
// client packages.
type genHarness struct {
	dir   string
	env   []string
	n     int
	stats genStats
	times map[string]time.Duration
	deps  map[string]*types.Package // memDeps
	// minimiseUntil ends minimising, for the whole test
	minimiseUntil time.Time
	// shown are the failure kinds printed with examples, and where
	shown map[string]string
}

// genStats count what a run checked, so that a run that checks little
// shows it.
type genStats struct {
	diags, fixed, fixedChecked int
}

func newGenHarness(t *testing.T) *genHarness {
	real := realModules(t)
	dir := t.TempDir()
	for _, name := range []string{"go.mod", "go.sum"} {
		b, err := os.ReadFile(filepath.Join(real, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	err := filepath.WalkDir(filepath.Join(real, "gen"), func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(real, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(rel)), 0o755); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return &genHarness{
		dir: dir,
		env: append(os.Environ(), "GOFLAGS=-mod=mod -buildvcs=false", "GOPROXY=off", "GOWORK=off"),
	}
}

// timed adds the time until the returned func is called to the phase's
// total, printed with BIDICTXLINT_GEN_TIMES=1.
func (h *genHarness) timed(phase string) func() {
	start := time.Now()
	return func() {
		if h.times == nil {
			h.times = make(map[string]time.Duration)
		}
		h.times[phase] += time.Since(start)
	}
}

// A genPkg is one generated package on disk: file name -> content.
type genPkg struct {
	rel   string // directory, relative to the module
	files map[string][]byte
}

func (h *genHarness) write(p genPkg) error {
	dir := filepath.Join(h.dir, p.rel)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for name, b := range p.files {
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// buildAndVet loads the package in directory rel (go/packages asks go
// list for export data, which compiles it) while go vet checks it, and
// returns the package and every compile, type and vet error, with the
// phase ("build" or "vet") that found it.
func (h *genHarness) buildAndVet(t *testing.T, rel string) (*packages.Package, []goError) {
	t.Helper()
	type vetResult struct {
		out []byte
		err error
	}
	vetDone := make(chan vetResult, 1)
	go func() {
		defer h.timed("go vet")()
		cmd := exec.Command("go", "vet", "./"+rel)
		cmd.Dir = h.dir
		cmd.Env = h.env
		out, err := cmd.CombinedOutput()
		vetDone <- vetResult{out, err}
	}()
	p := h.load(t, "./"+rel)[0]
	vet := <-vetDone
	var errs []goError
	seen := make(map[string]bool)
	add := func(phase, text string) {
		for _, m := range goErrorLine.FindAllStringSubmatch(text, -1) {
			line, _ := strconv.Atoi(m[2])
			file := m[1]
			if !filepath.IsAbs(file) {
				file = filepath.Join(h.dir, file)
			}
			file = filepath.Clean(file)
			key := fmt.Sprintf("%s:%d: %s", file, line, m[4])
			if seen[key] {
				continue
			}
			seen[key] = true
			errs = append(errs, goError{phase: phase, file: file, line: line, msg: m[4]})
		}
	}
	for _, e := range p.Errors {
		text := e.Msg
		if e.Pos != "" {
			text = e.Pos + ": " + e.Msg
		}
		if !goErrorLine.MatchString(text) {
			t.Fatalf("loading %s: %v", rel, e)
		}
		add("build", text)
	}
	if vet.err != nil && len(errs) == 0 {
		if !goErrorLine.Match(vet.out) {
			t.Fatalf("go vet ./%s: %v\n%s", rel, vet.err, vet.out)
		}
		add("vet", string(vet.out))
	}
	return p, errs
}

var goErrorLine = regexp.MustCompile(`(?m)^(?:vet: )?(\S+\.go):(\d+):(\d+): (.*)$`)

type goError struct {
	phase string
	file  string
	line  int
	msg   string
}

// retypecheck type-checks the files of pkg (written on disk under dir)
// against the dependencies p was type-checked with, parsing them (and so
// numbering their positions) in the order of their names, as go/packages
// does. It stands for loading pkg, which differs from p in file names
// only.
func retypecheck(p *packages.Package, dir string, pkg genPkg) (*packages.Package, error) {
	deps := make(map[string]*types.Package)
	for _, imp := range p.Types.Imports() {
		deps[imp.Path()] = imp
	}
	q, errs := typecheckFiles(p.Fset, deps, p.PkgPath+"r", filepath.Join(dir, pkg.rel), pkg.files)
	if len(errs) > 0 {
		return nil, errs[0]
	}
	return q, nil
}

// typecheckFiles parses files (named as if in dir, parsed in the order
// of their names) and type-checks them against deps, collecting errors.
func typecheckFiles(fset *token.FileSet, deps map[string]*types.Package, path, dir string, files map[string][]byte) (*packages.Package, []error) {
	names := slices.Sorted(maps.Keys(files))
	q := &packages.Package{
		Name: "p", PkgPath: path, Fset: fset, TypesSizes: types.SizesFor("gc", "amd64"),
		TypesInfo: &types.Info{
			Types:        make(map[ast.Expr]types.TypeAndValue),
			Instances:    make(map[*ast.Ident]types.Instance),
			Defs:         make(map[*ast.Ident]types.Object),
			Uses:         make(map[*ast.Ident]types.Object),
			Implicits:    make(map[ast.Node]types.Object),
			Selections:   make(map[*ast.SelectorExpr]*types.Selection),
			Scopes:       make(map[ast.Node]*types.Scope),
			FileVersions: make(map[*ast.File]string),
		},
	}
	var errs []error
	for _, name := range names {
		name := filepath.Join(dir, name)
		f, err := parser.ParseFile(fset, name, files[filepath.Base(name)], parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, []error{err}
		}
		q.Syntax = append(q.Syntax, f)
		q.GoFiles = append(q.GoFiles, name)
	}
	conf := types.Config{
		GoVersion: "go1.26",
		Importer: importerFunc(func(path string) (*types.Package, error) {
			if d, ok := deps[path]; ok {
				return d, nil
			}
			return nil, fmt.Errorf("no dependency %q", path)
		}),
		Error: func(err error) { errs = append(errs, err) },
	}
	q.Types, _ = conf.Check(path, fset, q.Syntax, q.TypesInfo)
	return q, errs
}

type importerFunc func(path string) (*types.Package, error)

func (f importerFunc) Import(path string) (*types.Package, error) { return f(path) }

// batch runs every property on one batch of units and returns what
// failed. Units that fail a property that stops the others (a panic, a
// fix that does not build) are checked no further.
func (h *genHarness) batch(t *testing.T, units []compose.Unit) []*genFailure {
	t.Helper()
	h.n++
	base := fmt.Sprintf("b%d", h.n)
	byName := make(map[string]*compose.Unit)
	for i := range units {
		for _, n := range units[i].Names {
			byName[n] = &units[i]
		}
	}
	var fails []*genFailure
	fail := func(kind string, u *compose.Unit, detail, code string) {
		fails = append(fails, &genFailure{kind: kind, unit: u, detail: detail, code: code})
	}

	// The package, and the same functions in files with other names,
	// listed in another order.
	orig, err := genPackage(base, units, false)
	if err != nil {
		t.Fatalf("generator: %v", err)
	}
	renamed, _ := genPackage(base+"r", units, true)
	for _, p := range []genPkg{orig, renamed} {
		if err := h.write(p); err != nil {
			t.Fatal(err)
		}
	}

	// Every generated package builds and vets: a generator bug fails the
	// test, and the function is left out.
	excluded := make(map[*compose.Unit]bool)
	pOrig, errs := h.buildAndVet(t, orig.rel)
	for _, e := range errs {
		u := unitAt(byName, e.file, e.line)
		if u == nil {
			t.Fatalf("generator: %s in no function: %s:%d: %s", e.phase, e.file, e.line, e.msg)
		}
		if !excluded[u] {
			fail("generator: the generated function does not "+e.phase, u, fmt.Sprintf("%s:%d: %s", filepath.Base(e.file), e.line, e.msg), "")
			excluded[u] = true
		}
	}
	pRenamed, err := retypecheck(pOrig, h.dir, renamed)
	if err != nil {
		t.Fatalf("type-checking the renamed copy: %v", err)
	}

	// Panics: narrowed down to the function by analysing each alone.
	live := func(u *compose.Unit) bool { return u != nil && !excluded[u] }
	files := filterDecls(pOrig, byName, func(u *compose.Unit) bool { return u == nil || live(u) })
	if _, err := analyse(pOrig, files); err != nil {
		for i := range units {
			u := &units[i]
			if !live(u) {
				continue
			}
			alone := filterDecls(pOrig, byName, func(v *compose.Unit) bool { return v == nil || v == u })
			if _, err := analyse(pOrig, alone); err != nil {
				fail(err.kind, u, err.detail, "")
				excluded[u] = true
			}
		}
		files = filterDecls(pOrig, byName, func(u *compose.Unit) bool { return u == nil || live(u) })
		if _, err := analyse(pOrig, files); err != nil {
			fail("panic only with other functions in the package: "+err.kind, nil, err.detail, "")
			return fails
		}
	}
	diags, _ := analyse(pOrig, files)
	h.stats.diags += len(diags)
	ix := newDeclIndex(pOrig, byName)

	// Valid diagnostics; the verdicts; the messages.
	reported := make(map[*compose.Unit][]analysis.Diagnostic)
	for _, d := range diags {
		u := ix.unitOf(d.Pos)
		if u == nil {
			fail("diagnostic outside every generated function", nil, ix.show(d), "")
			continue
		}
		if err := validDiag(pOrig.Fset.File(d.Pos), d); err != nil {
			fail("invalid diagnostic", u, fmt.Sprintf("%v: %s", err, ix.show(d)), "")
		}
		reported[u] = append(reported[u], d)
	}
	for i := range units {
		u := &units[i]
		if !live(u) {
			continue
		}
		fails = append(fails, unitFailures(pOrig, ix, u, reported[u])...)
	}

	// Independence of the files' order and names.
	want := ix.keys(diags, live)
	rev := slices.Clone(files)
	slices.Reverse(rev)
	if got, err := analyse(pOrig, rev); err == nil {
		compareKeys(want, ix.keys(got, live), "the diagnostics change when the files are listed in reverse order", fail)
	} else {
		fail("panic only with the files in reverse order: "+err.kind, nil, err.detail, "")
	}
	ixr := newDeclIndex(pRenamed, byName)
	rfiles := filterDecls(pRenamed, byName, func(u *compose.Unit) bool { return u == nil || live(u) })
	if got, err := analyse(pRenamed, rfiles); err == nil {
		compareKeys(want, ixr.keys(got, live), "the diagnostics change when the files have other names (and so another order)", fail)
	} else {
		fail("panic only with other file names: "+err.kind, nil, err.detail, "")
	}

	// The fixes.
	fails = append(fails, h.checkFixes(t, base, orig, pOrig, ix, diags, byName, excluded)...)
	return fails
}

// unitFailures checks the diagnostics ds of unit u against its verdict
// and checks their messages.
func unitFailures(p *packages.Package, ix *declIndex, u *compose.Unit, ds []analysis.Diagnostic) []*genFailure {
	var fails []*genFailure
	fail := func(kind, detail string) {
		fails = append(fails, &genFailure{kind: kind, unit: u, detail: detail})
	}
	rel := slices.DeleteFunc(slices.Clone(ds), func(d analysis.Diagnostic) bool { return !oracleCategory(d.Category) })
	switch {
	case u.Verdict == compose.Bug && len(rel) == 0:
		fail("missed: "+u.Why, "no diagnostic")
	case u.Verdict == compose.Clean && len(rel) > 0:
		fail("false report: "+u.Why, ix.showAll(rel))
	}
	for _, d := range ds {
		for _, m := range checkMessage(p, ix, d) {
			fail("message: "+m.kind, m.detail+"\n"+ix.show(d))
		}
	}
	return fails
}

// oracleCategory reports whether diagnostics of category c are the ones
// the verdicts are about (the errgroup checks); other checks, added
// later, are left to their own tests.
func oracleCategory(c string) bool {
	switch c {
	case "", "uncancelled-stream", "reassigned-context", "bidi-needs-close":
		return true
	}
	return false
}

func compareKeys(want, got map[string]*compose.Unit, kind string, fail func(string, *compose.Unit, string, string)) {
	for k, u := range want {
		if _, ok := got[k]; !ok {
			fail(kind, u, "missing: "+k, "")
		}
	}
	for k, u := range got {
		if _, ok := want[k]; !ok {
			fail(kind, u, "extra: "+k, "")
		}
	}
}

// genPackage lays units out as a package in directory rel: a shared
// header and genFiles files of units. renamed gives the files other
// names that sort in the reverse order.
func genPackage(rel string, units []compose.Unit, renamed bool) (genPkg, error) {
	p := genPkg{rel: rel, files: map[string][]byte{}}
	header := "common.go"
	if renamed {
		header = "zz_common.go"
	}
	p.files[header] = []byte(compose.Header("p"))
	per := (len(units) + genFiles - 1) / genFiles
	for i := 0; i < genFiles && i*per < len(units); i++ {
		src, err := compose.File("p", units[i*per:min((i+1)*per, len(units))])
		if err != nil {
			return p, err
		}
		name := fmt.Sprintf("u%d.go", i)
		if renamed {
			name = fmt.Sprintf("a%d_units.go", genFiles-1-i)
		}
		p.files[name] = []byte(src)
	}
	return p, nil
}

func (h *genHarness) load(t *testing.T, patterns ...string) []*packages.Package {
	t.Helper()
	defer h.timed("load")()
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes |
			packages.NeedTypesInfo | packages.NeedTypesSizes | packages.NeedModule,
		Dir: h.dir,
		Env: h.env,
	}
	pkgs, err := packages.Load(cfg, patterns...)
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) != len(patterns) {
		t.Fatalf("loaded %d packages for %v", len(pkgs), patterns)
	}
	// packages.Load returns them in no particular order.
	slices.SortFunc(pkgs, func(a, b *packages.Package) int { return cmp.Compare(a.PkgPath, b.PkgPath) })
	return pkgs
}

// unitAt returns the unit whose declaration covers line of file.
func unitAt(byName map[string]*compose.Unit, file string, line int) *compose.Unit {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution)
	if f == nil {
		_ = err
		return nil
	}
	for _, d := range f.Decls {
		if fset.Position(d.Pos()).Line <= line && line <= fset.Position(d.End()).Line {
			return byName[declName(d)]
		}
	}
	return nil
}

// declName is the name that ties a declaration to its unit: a function's
// or type's name, a method's receiver type, a var's first name.
func declName(d ast.Decl) string {
	switch d := d.(type) {
	case *ast.FuncDecl:
		if d.Recv != nil && len(d.Recv.List) > 0 {
			t := d.Recv.List[0].Type
			if s, ok := t.(*ast.StarExpr); ok {
				t = s.X
			}
			if id, ok := t.(*ast.Ident); ok {
				return id.Name
			}
		}
		return d.Name.Name
	case *ast.GenDecl:
		for _, s := range d.Specs {
			switch s := s.(type) {
			case *ast.TypeSpec:
				return s.Name.Name
			case *ast.ValueSpec:
				return s.Names[0].Name
			}
		}
	}
	return ""
}

// filterDecls returns p's files keeping the imports and the declarations
// of the units keep accepts (nil: the header).
func filterDecls(p *packages.Package, byName map[string]*compose.Unit, keep func(*compose.Unit) bool) []*ast.File {
	var out []*ast.File
	for _, f := range p.Syntax {
		g := *f
		g.Decls = nil
		for _, d := range f.Decls {
			if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
				g.Decls = append(g.Decls, d)
				continue
			}
			if keep(byName[declName(d)]) {
				g.Decls = append(g.Decls, d)
			}
		}
		out = append(out, &g)
	}
	return out
}

// analyseErr is a panic or an error of the analyzer.
type analyseErr struct {
	kind, detail string
}

var analyseCalls int

var genAnalyzer = analyzer.New(analyzer.DefaultSettings())

// analyse runs the analyzer on files of p as a driver would, with the
// inspector over exactly those files. A panic is recovered here, in the
// test, and returned with its stack.
func analyse(p *packages.Package, files []*ast.File) (diags []analysis.Diagnostic, err *analyseErr) {
	analyseCalls++
	pass := &analysis.Pass{
		Analyzer:   genAnalyzer,
		Fset:       p.Fset,
		Files:      files,
		Pkg:        p.Types,
		TypesInfo:  p.TypesInfo,
		TypesSizes: p.TypesSizes,
		TypeErrors: p.TypeErrors,
		Module:     &analysis.Module{Path: "example.com/real", GoVersion: "1.26.0"},
		ResultOf:   map[*analysis.Analyzer]any{inspect.Analyzer: inspector.New(files)},
		Report:     func(d analysis.Diagnostic) { diags = append(diags, d) },
		ReadFile:   os.ReadFile,
	}
	defer func() {
		if r := recover(); r != nil {
			stack := string(debug.Stack())
			err = &analyseErr{kind: "panic: " + firstLine(fmt.Sprint(r)) + " at " + panicSite(stack), detail: fmt.Sprintf("panic: %v\n%s", r, trimStack(stack))}
		}
	}()
	if _, e := genAnalyzer.Run(pass); e != nil {
		return nil, &analyseErr{kind: "analyzer error: " + firstLine(e.Error()), detail: e.Error()}
	}
	return diags, nil
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	return s
}

// panicSite is the first frame of the analyzer's own code in a stack.
func panicSite(stack string) string {
	lines := strings.Split(stack, "\n")
	for i, l := range lines {
		if strings.Contains(l, "bidictxlint/analyzer.") && !strings.Contains(l, "_test.") && i+1 < len(lines) {
			fn := strings.TrimSpace(l)
			if j := strings.LastIndex(fn, "("); j > 0 {
				fn = fn[:j]
			}
			return fn[strings.LastIndex(fn, "/")+1:]
		}
	}
	return "?"
}

// trimStack keeps the frames from the panic to the analyzer's Run.
func trimStack(stack string) string {
	lines := strings.Split(stack, "\n")
	var out []string
	started := false
	for _, l := range lines {
		if strings.HasPrefix(l, "panic(") {
			started = true
		}
		if started {
			out = append(out, l)
			if strings.Contains(l, "analyzer_test.analyse(") {
				break
			}
		}
	}
	if len(out) == 0 {
		return stack
	}
	return strings.Join(out, "\n")
}

// declIndex maps positions of a package to the units' declarations.
type declIndex struct {
	p      *packages.Package
	byName map[string]*compose.Unit
	decls  []ast.Decl // sorted by position
}

func newDeclIndex(p *packages.Package, byName map[string]*compose.Unit) *declIndex {
	ix := &declIndex{p: p, byName: byName}
	for _, f := range p.Syntax {
		ix.decls = append(ix.decls, f.Decls...)
	}
	slices.SortFunc(ix.decls, func(a, b ast.Decl) int { return cmp.Compare(a.Pos(), b.Pos()) })
	return ix
}

func (ix *declIndex) declAt(pos token.Pos) ast.Decl {
	i, _ := slices.BinarySearchFunc(ix.decls, pos, func(d ast.Decl, p token.Pos) int { return cmp.Compare(d.Pos(), p+1) })
	if i == 0 {
		return nil
	}
	if d := ix.decls[i-1]; pos <= d.End() {
		return d
	}
	return nil
}

func (ix *declIndex) unitOf(pos token.Pos) *compose.Unit {
	if d := ix.declAt(pos); d != nil {
		return ix.byName[declName(d)]
	}
	return nil
}

// where names pos by declaration and offset in it, the same in every
// copy of the package whatever its file names; "file+N" outside
// declarations (an import).
func (ix *declIndex) where(pos token.Pos) string {
	if d := ix.declAt(pos); d != nil {
		return fmt.Sprintf("%s+%d", declName(d), pos-d.Pos())
	}
	tf := ix.p.Fset.File(pos)
	if tf == nil {
		return "?"
	}
	return fmt.Sprintf("file+%d", tf.Offset(pos))
}

// keys describes each diagnostic of a live unit by where it is, its
// message and its fixes' edits, independently of the file names.
func (ix *declIndex) keys(diags []analysis.Diagnostic, live func(*compose.Unit) bool) map[string]*compose.Unit {
	out := make(map[string]*compose.Unit)
	for _, d := range diags {
		u := ix.unitOf(d.Pos)
		if !live(u) {
			continue
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%s: %s", ix.where(d.Pos), d.Message)
		for _, f := range d.SuggestedFixes {
			for _, e := range f.TextEdits {
				fmt.Fprintf(&b, " [%s..%d %q]", ix.where(e.Pos), cmp.Or(e.End, e.Pos)-e.Pos, e.NewText)
			}
		}
		out[b.String()] = u
	}
	return out
}

func (ix *declIndex) show(d analysis.Diagnostic) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s", ix.short(d.Pos), d.Message)
	for _, r := range d.Related {
		fmt.Fprintf(&b, "\n\t%s: %s", ix.short(r.Pos), r.Message)
	}
	for _, f := range d.SuggestedFixes {
		fmt.Fprintf(&b, "\n\tfix %q:", f.Message)
		for _, e := range f.TextEdits {
			fmt.Fprintf(&b, "\n\t\t%s-%s %q", ix.short(e.Pos), ix.short(cmp.Or(e.End, e.Pos)), e.NewText)
		}
	}
	return b.String()
}

func (ix *declIndex) showAll(ds []analysis.Diagnostic) string {
	var parts []string
	for _, d := range ds {
		parts = append(parts, ix.show(d))
	}
	return strings.Join(parts, "\n")
}

func (ix *declIndex) short(pos token.Pos) string {
	p := ix.p.Fset.Position(pos)
	return fmt.Sprintf("%s:%d:%d", filepath.Base(p.Filename), p.Line, p.Column)
}

// The fixes.

// checkFixes applies every fix of diags to orig, as a driver does with
// -fix (identical edits coalesce), and checks the result: gofmt-clean,
// builds, vets, and a second run reports nothing in what was fixed and
// its fixes change nothing.
func (h *genHarness) checkFixes(t *testing.T, base string, orig genPkg, p *packages.Package, ix *declIndex,
	diags []analysis.Diagnostic, byName map[string]*compose.Unit, excluded map[*compose.Unit]bool) []*genFailure {
	t.Helper()
	var fails []*genFailure
	fail := func(kind string, u *compose.Unit, detail, code string) {
		fails = append(fails, &genFailure{kind: kind, unit: u, detail: detail, code: code})
	}

	// Edits by file; each diagnostic's first fix, as the drivers apply.
	byFile := make(map[string][]fileEdit)
	fixed := make(map[*compose.Unit][]analysis.Diagnostic) // the diagnostics whose fix was applied
	unfixed := make(map[*compose.Unit][]string)            // messages of diagnostics without a fix
	for _, d := range diags {
		u := ix.unitOf(d.Pos)
		if u == nil || excluded[u] {
			continue
		}
		if len(d.SuggestedFixes) == 0 {
			unfixed[u] = append(unfixed[u], d.Message)
			continue
		}
		fixed[u] = append(fixed[u], d)
		for _, e := range d.SuggestedFixes[0].TextEdits {
			tf := p.Fset.File(e.Pos)
			byFile[filepath.Base(tf.Name())] = append(byFile[filepath.Base(tf.Name())],
				fileEdit{tf.Offset(e.Pos), tf.Offset(cmp.Or(e.End, e.Pos)), string(e.NewText), u})
		}
	}
	if len(fixed) == 0 {
		return nil
	}
	h.stats.fixed += len(fixed)
	out := genPkg{rel: base + "f", files: maps.Clone(orig.files)}
	for name, edits := range byFile {
		merged, conflict := mergeEdits(orig.files[name], edits)
		if conflict != nil {
			a, b := conflict[0], conflict[1]
			fail("fixes overlap", a.unit, fmt.Sprintf("edit %d-%d %q overlaps edit %d-%d %q", a.start, a.end, a.text, b.start, b.end, b.text), "")
			excluded[a.unit] = true
			excluded[b.unit] = true
		}
		out.files[name] = merged
	}

	// gofmt: find the units whose fix alone leaves the file unformatted.
	for name, edits := range byFile {
		if formatted, err := format.Source(out.files[name]); err == nil && bytes.Equal(formatted, out.files[name]) {
			continue
		} else if err != nil {
			// does not parse: found per unit below
			_ = err
		}
		units := make(map[*compose.Unit][]fileEdit)
		for _, e := range edits {
			units[e.unit] = append(units[e.unit], e)
		}
		for u, es := range units {
			fixedSrc, _ := mergeEdits(orig.files[name], es)
			buf := bytes.NewBuffer(fixedSrc)
			formatted, err := format.Source(buf.Bytes())
			switch {
			case err != nil:
				fail("fix gives code that does not parse", u, err.Error(), unitSource(buf.Bytes(), u))
				excluded[u] = true
			case !bytes.Equal(formatted, buf.Bytes()):
				fail("fix is not gofmt-clean", u, lineDiff(buf.Bytes(), formatted), unitSource(buf.Bytes(), u))
			}
		}
	}
	// From here on the files are formatted, so that a gofmt failure does
	// not hide the others.
	for name, b := range out.files {
		if f, err := format.Source(b); err == nil {
			out.files[name] = f
		}
	}

	// Build and vet, leaving out the functions whose fix breaks them.
	var pf *packages.Package
	for round := 0; ; round++ {
		if err := h.write(out); err != nil {
			t.Fatal(err)
		}
		var errs []goError
		pf, errs = h.buildAndVet(t, out.rel)
		broke := 0
		for _, e := range errs {
			u := unitAt(byName, e.file, e.line)
			if u == nil {
				t.Fatalf("fixed package: %s error in no function: %s:%d: %s", e.phase, e.file, e.line, e.msg)
			}
			if excluded[u] {
				continue
			}
			src, _ := os.ReadFile(e.file)
			fail("fix does not "+e.phase+": "+genericError(e.msg), u, fmt.Sprintf("%s:%d: %s", filepath.Base(e.file), e.line, e.msg), unitSource(src, u))
			excluded[u] = true
			broke++
		}
		if broke == 0 {
			break
		}
		if round > 5 {
			t.Fatalf("fixed package still does not build after leaving out %d functions", len(excluded))
		}
		// Leave the broken functions out of the fixed package.
		for name, b := range out.files {
			out.files[name] = removeUnits(b, byName, excluded)
		}
	}

	// The second run.
	ixf := newDeclIndex(pf, byName)
	live := func(u *compose.Unit) bool { return u != nil && !excluded[u] }
	files := filterDecls(pf, byName, func(u *compose.Unit) bool { return u == nil || live(u) })
	again, err := analyse(pf, files)
	if err != nil {
		for u := range fixed {
			if !live(u) {
				continue
			}
			alone := filterDecls(pf, byName, func(v *compose.Unit) bool { return v == nil || v == u })
			if _, err := analyse(pf, alone); err != nil {
				fail("fixed code: "+err.kind, u, err.detail, unitSourceIn(pf, ixf, u))
				excluded[u] = true
			}
		}
		files = filterDecls(pf, byName, func(u *compose.Unit) bool { return u == nil || live(u) })
		if again, err = analyse(pf, files); err != nil {
			fail("fixed code: panic only with other functions: "+err.kind, nil, err.detail, "")
			return fails
		}
	}
	for u := range fixed {
		if live(u) {
			h.stats.fixedChecked++
		}
	}
	for _, d := range again {
		u := ixf.unitOf(d.Pos)
		if !live(u) || fixed[u] == nil {
			continue
		}
		if slices.Contains(unfixed[u], d.Message) && len(d.SuggestedFixes) == 0 {
			continue // reported without a fix before, and still
		}
		kind := "fixed code is reported again"
		if len(d.SuggestedFixes) > 0 {
			kind = "fixed code is reported again, with a fix"
		}
		fail(kind, u, ixf.show(d), unitSourceIn(pf, ixf, u))
	}
	return fails
}

// A fileEdit is one edit of a fix, by offsets in its file.
type fileEdit struct {
	start, end int
	text       string
	unit       *compose.Unit
}

// mergeEdits applies edits to src as the x/tools drivers merge fixes:
// identical edits coalesce and insertions at one point apply in the
// order of the fixes. Edits that overlap otherwise are a conflict: the
// driver would drop a fix. It returns the first conflicting pair (the
// later edit is left out).
func mergeEdits(src []byte, edits []fileEdit) ([]byte, *[2]fileEdit) {
	edits = slices.Clone(edits)
	slices.SortStableFunc(edits, func(a, b fileEdit) int { return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end)) })
	var buf bytes.Buffer
	var conflict *[2]fileEdit
	last := 0
	var prev *fileEdit
	for i := range edits {
		e := &edits[i]
		if prev != nil && e.start == prev.start && e.end == prev.end && e.text == prev.text {
			continue
		}
		if e.start < last {
			if conflict == nil {
				conflict = &[2]fileEdit{*e, *prev}
			}
			continue
		}
		buf.Write(src[last:e.start])
		buf.WriteString(e.text)
		last = e.end
		prev = e
	}
	buf.Write(src[last:])
	return buf.Bytes(), conflict
}

// genericError turns a compiler or vet message into a kind: names in it
// stay (they tell bugs apart), positions go.
func genericError(msg string) string {
	return regexp.MustCompile(`\S+\.go:\d+:\d+`).ReplaceAllString(msg, "POS")
}

// removeUnits deletes the declarations of the excluded units from a
// file, and the imports nothing uses any more.
func removeUnits(src []byte, byName map[string]*compose.Unit, excluded map[*compose.Unit]bool) []byte {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return src
	}
	tf := fset.File(f.FileStart)
	var buf bytes.Buffer
	last := 0
	for _, d := range f.Decls {
		u := byName[declName(d)]
		if u == nil || !excluded[u] {
			continue
		}
		start := d.Pos()
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
			start = fd.Doc.Pos()
		}
		if gd, ok := d.(*ast.GenDecl); ok && gd.Doc != nil {
			start = gd.Doc.Pos()
		}
		buf.Write(src[last:tf.Offset(start)])
		last = tf.Offset(d.End())
	}
	buf.Write(src[last:])
	out := buf.Bytes()
	// Drop unused imports.
	f, err = parser.ParseFile(fset, "y.go", out, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		return out
	}
	used := make(map[string]bool)
	ast.Inspect(f, func(n ast.Node) bool {
		if sel, ok := n.(*ast.SelectorExpr); ok {
			if id, ok := sel.X.(*ast.Ident); ok {
				used[id.Name] = true
			}
		}
		return true
	})
	for _, imp := range slices.Clone(f.Imports) {
		path, _ := strconv.Unquote(imp.Path.Value)
		name := path[strings.LastIndex(path, "/")+1:]
		if imp.Name != nil {
			name = imp.Name.Name
		}
		if path == "connectrpc.com/connect/v2" && imp.Name == nil {
			name = "connect"
		}
		if !used[name] {
			deleteImport(fset, f, imp)
		}
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return out
	}
	return b.Bytes()
}

func deleteImport(fset *token.FileSet, f *ast.File, imp *ast.ImportSpec) {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		gd.Specs = slices.DeleteFunc(gd.Specs, func(s ast.Spec) bool { return s == imp })
	}
	f.Imports = slices.DeleteFunc(f.Imports, func(s *ast.ImportSpec) bool { return s == imp })
	_ = fset
}

// unitSource returns the declarations of u in a file's source.
func unitSource(src []byte, u *compose.Unit) string {
	fset := token.NewFileSet()
	f, _ := parser.ParseFile(fset, "x.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if f == nil {
		return string(src)
	}
	tf := fset.File(f.FileStart)
	var parts []string
	for _, d := range f.Decls {
		if slices.Contains(u.Names, declName(d)) {
			start := d.Pos()
			if fd, ok := d.(*ast.FuncDecl); ok && fd.Doc != nil {
				start = fd.Doc.Pos()
			}
			parts = append(parts, string(src[tf.Offset(start):tf.Offset(d.End())]))
		}
	}
	return strings.Join(parts, "\n\n")
}

func unitSourceIn(p *packages.Package, ix *declIndex, u *compose.Unit) string {
	for _, f := range p.GoFiles {
		src, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		if s := unitSource(src, u); s != "" {
			return s
		}
	}
	return ""
}

// lineDiff shows the lines that differ between a and b.
func lineDiff(a, b []byte) string {
	al, bl := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	var out []string
	for i := 0; i < max(len(al), len(bl)) && len(out) < 12; i++ {
		var x, y string
		if i < len(al) {
			x = al[i]
		}
		if i < len(bl) {
			y = bl[i]
		}
		if x != y {
			out = append(out, fmt.Sprintf("-%q\n+%q", x, y))
		}
	}
	return strings.Join(out, "\n")
}

// The messages.

type msgProblem struct{ kind, detail string }

// checkMessage checks the code a message shows: no method call on a call
// (`_ = c.Chat(ctx).CloseResponse()` would open a second stream), only
// identifiers that exist in the function that creates the group (or that
// the fix introduces), and, when there is a fix, code the fix writes.
func checkMessage(p *packages.Package, ix *declIndex, d analysis.Diagnostic) []msgProblem {
	var probs []msgProblem
	frags := codeFragments(d.Message)
	if len(frags) == 0 {
		return nil
	}
	visible := visibleNames(p, ix, d)
	// Names the fix introduces: defined with := or given to a blank.
	introduced := make(map[string]bool)
	var after string // the file with this diagnostic's fix applied
	if len(d.SuggestedFixes) > 0 {
		var edits []fileEdit
		var src []byte
		for _, e := range d.SuggestedFixes[0].TextEdits {
			for _, m := range definedNames.FindAllStringSubmatch(string(e.NewText), -1) {
				for _, n := range strings.Split(m[1], ",") {
					introduced[strings.TrimSpace(n)] = true
				}
			}
			if token.IsIdentifier(string(e.NewText)) {
				introduced[string(e.NewText)] = true
			}
			tf := p.Fset.File(e.Pos)
			if tf == nil || tf != p.Fset.File(d.Pos) {
				continue // an edit in another file (imports)
			}
			if src == nil {
				src, _ = readGenFile(p, tf.Name())
			}
			edits = append(edits, fileEdit{tf.Offset(e.Pos), tf.Offset(cmp.Or(e.End, e.Pos)), string(e.NewText), nil})
		}
		fixed, _ := mergeEdits(src, edits)
		after = squash(string(fixed))
	}
	// Names the message asks to create.
	asked := make(map[string]bool)
	if strings.Contains(d.Message, "errgroup.WithContext") || strings.Contains(d.Message, "name the group's context") {
		asked["gctx"] = true
	}
	if strings.Contains(d.Message, "with context.WithCancel") {
		asked["cancel"] = true
	}
	for _, frag := range frags {
		x, err := parser.ParseExpr(frag)
		if err != nil {
			continue
		}
		ast.Inspect(x, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if call, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok {
				probs = append(probs, msgProblem{"writes a method call on a call, which evaluates the call again (a second stream)",
					fmt.Sprintf("%s in %s", types.ExprString(call), frag)})
			}
			return true
		})
		for _, id := range freeIdents(x) {
			switch {
			case visible[id] || asked[id]:
			case introduced[id]:
				probs = append(probs, msgProblem{"names an identifier that only its fix creates, without saying to create it",
					fmt.Sprintf("%s in %s", id, frag)})
			default:
				probs = append(probs, msgProblem{"names an identifier that does not exist where it says to write it",
					fmt.Sprintf("%s in %s", id, frag)})
			}
		}
		if after != "" && isStatementFragment(frag) && !strings.Contains(after, squash(frag)) {
			probs = append(probs, msgProblem{"shows code the fix does not write", frag})
		}
	}
	return probs
}

// readGenFile reads a file of p: from disk, or for a package checked in
// memory, from the files it was checked from.
func readGenFile(p *packages.Package, name string) ([]byte, error) {
	if b, ok := memFiles[name]; ok {
		return b, nil
	}
	return os.ReadFile(name)
}

// memFiles are the files of the package memCheck checks, by name.
var memFiles = map[string][]byte{}

var definedNames = regexp.MustCompile(`(?m)(\b[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*:=`)

// isStatementFragment reports whether frag is code to write as it is (a
// registration), rather than a value it names.
func isStatementFragment(frag string) bool {
	return strings.HasPrefix(frag, "context.AfterFunc(") || strings.HasPrefix(frag, "go func()")
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == ';' {
			return -1
		}
		return r
	}, s)
}

// codeFragments finds the calls a message shows as code: the maximal
// runs `a.b(...)` with balanced parentheses, and `_ = x.M()`. The
// diagnostic's subject at the very start (`stream.Receive can block`)
// describes, it is not code to write.
func codeFragments(msg string) []string {
	var out []string
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(msg))
	s.Init(file, []byte(msg), func(token.Position, string) {}, 0)
	type tok struct {
		pos int
		tok token.Token
		lit string
	}
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{file.Offset(pos), t, lit})
	}
	for i := 0; i < len(toks); i++ {
		if toks[i].tok != token.IDENT {
			continue
		}
		// an identifier chain followed by "("
		j := i
		for j+2 < len(toks) && toks[j+1].tok == token.PERIOD && toks[j+2].tok == token.IDENT {
			j += 2
		}
		if j+1 >= len(toks) || toks[j+1].tok != token.LPAREN {
			continue
		}
		depth, k := 0, j+1
		for ; k < len(toks); k++ {
			switch toks[k].tok {
			case token.LPAREN, token.LBRACE, token.LBRACK:
				depth++
			case token.RPAREN, token.RBRACE, token.RBRACK:
				depth--
			}
			if depth == 0 {
				break
			}
		}
		if k >= len(toks) {
			continue
		}
		// a trailing .M() on the call
		for k+3 < len(toks) && toks[k+1].tok == token.PERIOD && toks[k+2].tok == token.IDENT && toks[k+3].tok == token.LPAREN {
			depth, k = 0, k+3
			for ; k < len(toks); k++ {
				switch toks[k].tok {
				case token.LPAREN:
					depth++
				case token.RPAREN:
					depth--
				}
				if depth == 0 {
					break
				}
			}
			if k >= len(toks) {
				break
			}
		}
		if k >= len(toks) {
			continue
		}
		start, end := toks[i].pos, toks[k].pos+1
		if start == 0 {
			i = k
			continue
		}
		out = append(out, msg[start:end])
		i = k
	}
	return out
}

// freeIdents returns the identifiers of x that are not selected fields
// or methods, package names, predeclared names or blank.
func freeIdents(x ast.Expr) []string {
	var out []string
	skip := make(map[*ast.Ident]bool)
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			skip[n.Sel] = true
		case *ast.FuncType:
			return false
		case *ast.Ident:
			if !skip[n] && n.Name != "_" && types.Universe.Lookup(n.Name) == nil && !knownPackages[n.Name] && !slices.Contains(out, n.Name) {
				out = append(out, n.Name)
			}
		}
		return true
	})
	return out
}

var knownPackages = map[string]bool{"context": true, "errgroup": true, "metadata": true, "time": true, "connect": true, "connectv2": true}

// visibleNames are the names that the code a message shows can use: the
// package's, and those of the function that creates the group and of
// the function that opens the stream (a task, for a stream opened there:
// its close is registered there): parameters, receivers and the
// variables declared outside nested function literals.
func visibleNames(p *packages.Package, ix *declIndex, d analysis.Diagnostic) map[string]bool {
	names := make(map[string]bool)
	for _, n := range p.Types.Scope().Names() {
		names[n] = true
	}
	var sites []token.Pos
	for _, r := range d.Related {
		if strings.HasPrefix(r.Message, "group ") || strings.HasSuffix(r.Message, " opened here") {
			sites = append(sites, r.Pos)
		}
	}
	for _, at := range sites {
		decl, ok := ix.declAt(at).(*ast.FuncDecl)
		if !ok {
			continue
		}
		// The innermost function (declaration or literal) around at.
		var fn ast.Node = decl
		ast.Inspect(decl, func(n ast.Node) bool {
			if lit, ok := n.(*ast.FuncLit); ok && lit.Pos() <= at && at < lit.End() {
				fn = lit
			}
			return true
		})
		ast.Inspect(fn, func(n ast.Node) bool {
			if lit, ok := n.(*ast.FuncLit); ok && lit != fn {
				return false
			}
			if id, ok := n.(*ast.Ident); ok && p.TypesInfo.Defs[id] != nil {
				names[id.Name] = true
			}
			return true
		})
		if decl.Recv != nil && fn == ast.Node(decl) {
			for _, f := range decl.Recv.List {
				for _, n := range f.Names {
					names[n.Name] = true
				}
			}
		}
	}
	return names
}

// Reporting.

// reportFailures prints each kind of failure once, with a few examples
// (the generated function, its dimension values, how to run it alone)
// and the dimension values every failing function of that kind shares.
func (h *genHarness) reportFailures(t *testing.T, fails []*genFailure) {
	t.Helper()
	if name := os.Getenv(genLogEnv); name != "" {
		var b strings.Builder
		for _, f := range fails {
			if f.unit != nil {
				fmt.Fprintf(&b, "%d\t%d\t%s\t%s\n", f.unit.Seed, f.unit.ID, f.kind, f.unit.Dims)
			}
		}
		lf, err := os.OpenFile(name, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
		if err != nil {
			t.Fatal(err)
		}
		lf.WriteString(b.String())
		lf.Close()
	}
	if h.minimiseUntil.IsZero() {
		h.minimiseUntil = time.Now().Add(genMinimiseBudget)
	}
	minimiseUntil := h.minimiseUntil
	if os.Getenv(genMinEnv) == "0" {
		minimiseUntil = time.Time{}
	}
	show := 1
	if s := os.Getenv(genShowEnv); s != "" {
		show, _ = strconv.Atoi(s)
	}
	if h.shown == nil {
		h.shown = make(map[string]string)
	}
	byKind := make(map[string][]*genFailure)
	for _, f := range fails {
		byKind[f.kind] = append(byKind[f.kind], f)
	}
	kinds := slices.Sorted(maps.Keys(byKind))
	for _, kind := range kinds {
		fs := byKind[kind]
		var b strings.Builder
		seen := make(map[*compose.Unit]bool)
		var us []*compose.Unit
		for _, f := range fs {
			if f.unit != nil && !seen[f.unit] {
				seen[f.unit] = true
				us = append(us, f.unit)
			}
		}
		fmt.Fprintf(&b, "\n=== %s: %d function(s)\n", kind, len(us))
		if where, ok := h.shown[kind]; ok {
			fmt.Fprintf(&b, "(examples above, under %s)\n", where)
			t.Error(b.String())
			continue
		}
		h.shown[kind] = t.Name()
		if shared := sharedDims(us); shared != "" {
			fmt.Fprintf(&b, "every one has: %s\n", shared)
		}
		for i, f := range pickExamples(fs, show) {
			if f.unit == nil {
				fmt.Fprintf(&b, "--- %s\n", f.detail)
				continue
			}
			if i == 0 && time.Now().Before(minimiseUntil) {
				match := cmp.Or(f.match, kind)
				if m, decisive, ok := h.minimise(t, f.unit, match); ok {
					fmt.Fprintf(&b, "--- minimised (in memory) from seed %d function %d (%s: %s)\n", m.Seed, m.ID, m.Verdict, m.Why)
					fmt.Fprintf(&b, "dims: %s\n", m.Dims)
					fmt.Fprintf(&b, "decided by: %s\n", strings.Join(decisive, ", "))
					fmt.Fprintf(&b, "run alone: %s=%q go test ./analyzer -run TestComposed\n", genDimsEnv, m.Dims.String())
					if mf := h.memCheck(t, &m); len(mf) > 0 {
						for _, x := range mf {
							if x.kind == match {
								fmt.Fprintf(&b, "%s\n", x.detail)
								break
							}
						}
					}
					fmt.Fprintf(&b, "generated:\n%s\n", indent(formatUnit(&m)))
				} else {
					fmt.Fprintf(&b, "(not reproduced in memory, alone: needs go vet or the rest of the package)\n")
				}
			}
			u := f.unit
			fmt.Fprintf(&b, "--- seed %d function %d (%s: %s)\n", u.Seed, u.ID, u.Verdict, u.Why)
			fmt.Fprintf(&b, "dims: %s\n", u.Dims)
			fmt.Fprintf(&b, "run alone: %s=%q go test ./analyzer -run TestComposed\n", genDimsEnv, u.Dims.String())
			fmt.Fprintf(&b, "%s\n", f.detail)
			fmt.Fprintf(&b, "generated:\n%s\n", indent(formatUnit(u)))
			if f.code != "" {
				fmt.Fprintf(&b, "after the fix:\n%s\n", indent(f.code))
			}
		}
		t.Error(b.String())
	}
}

func indent(s string) string {
	return "\t" + strings.ReplaceAll(strings.TrimRight(s, "\n"), "\n", "\n\t")
}

func formatUnit(u *compose.Unit) string {
	b, err := format.Source([]byte(u.Src))
	if err != nil {
		return u.Src
	}
	return string(b)
}

// pickExamples picks n failures: the shortest function first, then those
// whose dimension values differ most from the ones picked.
func pickExamples(fs []*genFailure, n int) []*genFailure {
	fs = slices.Clone(fs)
	slices.SortStableFunc(fs, func(a, b *genFailure) int {
		if a.unit == nil || b.unit == nil {
			return 0
		}
		return cmp.Compare(len(a.unit.Src), len(b.unit.Src))
	})
	var out []*genFailure
	for len(out) < n && len(fs) > 0 {
		best, bestDist := 0, -1
		for i, f := range fs {
			dist := 0
			for _, o := range out {
				if f.unit != nil && o.unit != nil {
					for x := range compose.NumDims {
						if f.unit.Dims[x] != o.unit.Dims[x] {
							dist++
						}
					}
				}
			}
			if len(out) == 0 {
				break
			}
			if dist > bestDist {
				best, bestDist = i, dist
			}
		}
		out = append(out, fs[best])
		fs = slices.Delete(fs, best, best+1)
	}
	return out
}

// sharedDims lists the dimension values that all of us have, when some
// dimension's value is shared and there are several units.
func sharedDims(us []*compose.Unit) string {
	if len(us) < 3 {
		return ""
	}
	var parts []string
	for x := range compose.NumDims {
		dim := compose.Dim(x)
		if len(dim.Values()) < 2 {
			continue
		}
		v := us[0].Dims[x]
		all := true
		for _, u := range us {
			if u.Dims[x] != v || !u.Dims.Applies(dim) {
				all = false
				break
			}
		}
		if all {
			parts = append(parts, dim.Name()+"="+dim.Values()[v])
		}
	}
	return strings.Join(parts, " ")
}

// Minimising.

// memDeps loads, once, a package that imports every library a generated
// file can import, and returns its dependencies: the in-memory checks
// type-check against these (one load, so that types agree).
func (h *genHarness) memDeps(t *testing.T) map[string]*types.Package {
	t.Helper()
	if h.deps != nil {
		return h.deps
	}
	var b strings.Builder
	b.WriteString("package deps\n\nimport (\n")
	for _, imp := range compose.Imports() {
		path := imp[strings.Index(imp, `"`):]
		fmt.Fprintf(&b, "\t_ %s\n", path)
	}
	b.WriteString(")\n")
	if err := h.write(genPkg{rel: "deps", files: map[string][]byte{"deps.go": []byte(b.String())}}); err != nil {
		t.Fatal(err)
	}
	p := h.load(t, "./deps")[0]
	if len(p.Errors) > 0 {
		t.Fatalf("loading the dependencies: %v", p.Errors)
	}
	h.deps = make(map[string]*types.Package)
	for _, imp := range p.Types.Imports() {
		h.deps[imp.Path()] = imp
	}
	return h.deps
}

// memCheck checks one unit alone, in memory: the properties that need
// no go command (no panic, the verdict, the messages, and that the fixed
// code type-checks, is gofmt-clean and is not reported again). It is
// what the minimiser runs on each variant.
func (h *genHarness) memCheck(t *testing.T, u *compose.Unit) []*genFailure {
	deps := h.memDeps(t)
	src, err := compose.File("p", []compose.Unit{*u})
	if err != nil {
		return []*genFailure{{kind: "generator: " + err.Error(), unit: u}}
	}
	files := map[string][]byte{"common.go": []byte(compose.Header("p")), "u.go": []byte(src)}
	clear(memFiles)
	for name, b := range files {
		memFiles[filepath.Join("/mem", name)] = b
	}
	fset := token.NewFileSet()
	p, errs := typecheckFiles(fset, deps, "example.com/real/mem", "/mem", files)
	if len(errs) > 0 {
		return []*genFailure{{kind: "generator: the generated function does not type-check", unit: u, detail: errs[0].Error()}}
	}
	byName := make(map[string]*compose.Unit)
	for _, n := range u.Names {
		byName[n] = u
	}
	diags, aerr := analyse(p, p.Syntax)
	if aerr != nil {
		return []*genFailure{{kind: aerr.kind, unit: u, detail: aerr.detail}}
	}
	ix := newDeclIndex(p, byName)
	fails := unitFailures(p, ix, u, diags)
	fail := func(kind, detail string) {
		fails = append(fails, &genFailure{kind: kind, unit: u, detail: detail})
	}
	var edits []fileEdit
	var unfixed []string
	for _, d := range diags {
		if len(d.SuggestedFixes) == 0 {
			unfixed = append(unfixed, d.Message)
			continue
		}
		for _, e := range d.SuggestedFixes[0].TextEdits {
			tf := fset.File(e.Pos)
			if filepath.Base(tf.Name()) != "u.go" {
				fail("fix edits another file", tf.Name())
				return fails
			}
			edits = append(edits, fileEdit{tf.Offset(e.Pos), tf.Offset(cmp.Or(e.End, e.Pos)), string(e.NewText), u})
		}
	}
	if len(edits) == 0 {
		return fails
	}
	fixed, conflict := mergeEdits(files["u.go"], edits)
	if conflict != nil {
		fail("fixes overlap", "")
	}
	formatted, err := format.Source(fixed)
	switch {
	case err != nil:
		fail("fix gives code that does not parse", err.Error())
		return fails
	case !bytes.Equal(formatted, fixed):
		fail("fix is not gofmt-clean", lineDiff(fixed, formatted))
	}
	files["u.go"] = formatted
	pf, errs := typecheckFiles(token.NewFileSet(), deps, "example.com/real/mem", "/mem", files)
	if len(errs) > 0 {
		msg := errs[0].Error()
		if te, ok := errs[0].(types.Error); ok {
			msg = te.Msg
		}
		fail("fix does not build: "+genericError(msg), errs[0].Error())
		return fails
	}
	again, aerr := analyse(pf, pf.Syntax)
	if aerr != nil {
		fail("fixed code: "+aerr.kind, aerr.detail)
		return fails
	}
	ixf := newDeclIndex(pf, byName)
	for _, d := range again {
		if slices.Contains(unfixed, d.Message) && len(d.SuggestedFixes) == 0 {
			continue
		}
		kind := "fixed code is reported again"
		if len(d.SuggestedFixes) > 0 {
			kind = "fixed code is reported again, with a fix"
		}
		fail(kind, ixf.show(d))
	}
	return fails
}

// minimise simplifies the dimensions of u, one value at a time toward
// each dimension's first (simplest) value, keeping a change while the
// function still fails with kind in memory. It returns the simplest
// failing unit and the dimensions that decide the failure (changing one
// of them to some other value makes it go away); ok is false when the
// failure does not show in memory (it needs go vet, or the package).
func (h *genHarness) minimise(t *testing.T, u *compose.Unit, kind string) (min compose.Unit, decisive []string, ok bool) {
	fails := func(d compose.Dims) (compose.Unit, bool) {
		v := compose.FromDims(u.Seed, u.ID, d)
		return v, slices.ContainsFunc(h.memCheck(t, &v), func(f *genFailure) bool { return f.kind == kind })
	}
	score := func(d compose.Dims) int {
		n := 0
		for _, v := range d {
			n += v
		}
		return n
	}
	d := u.Dims
	min, ok = fails(d)
	if !ok {
		return *u, nil, false
	}
	for changed := true; changed; {
		changed = false
		for x := range compose.NumDims {
			for v := 0; v < d[x]; v++ {
				e := d
				e[x] = v
				e = e.Normalised()
				if e == d || score(e) >= score(d) {
					continue
				}
				if m, still := fails(e); still {
					d, min, changed = e, m, true
					break
				}
			}
		}
	}
	for x := range compose.NumDims {
		dim := compose.Dim(x)
		if !d.Applies(dim) {
			continue
		}
		for v := range dim.Values() {
			e := d
			e[x] = v
			e = e.Normalised()
			if e == d {
				continue
			}
			if _, still := fails(e); !still {
				decisive = append(decisive, dim.Name())
				break
			}
		}
	}
	return min, decisive, true
}

// TestAnalyzerRecoversNothing checks that the analyzer's own code calls
// no recover: a recovered panic would hide a crash from TestComposed
// (and from users, who would get no diagnostics and no error).
func TestAnalyzerRecoversNothing(t *testing.T) {
	names, err := filepath.Glob("*.go")
	if err != nil || len(names) == 0 {
		t.Fatalf("no analyzer source: %v", err)
	}
	fset := token.NewFileSet()
	checked := 0
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		checked++
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				if id, ok := ast.Unparen(call.Fun).(*ast.Ident); ok && id.Name == "recover" {
					t.Errorf("%s: the analyzer calls recover", fset.Position(call.Pos()))
				}
			}
			return true
		})
	}
	if checked < 5 {
		t.Errorf("only %d analyzer files checked", checked)
	}
}
