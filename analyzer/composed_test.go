package analyzer_test

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
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
// by internal/gen/compose over the real connect-go v1 and v2, grpc-go,
// errgroup and conc types: from a seed, each function picks independently where
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
// the verdicts are about (the checks of a blocked task in a group: an
// errgroup's, and a conc pool's wait-hang); other checks are left to
// their own tests.
func oracleCategory(c string) bool {
	switch c {
	case "", "uncancelled-stream", "reassigned-context", "bidi-needs-close", "wait-hang":
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
	f, _ := parser.ParseFile(fset, file, nil, parser.SkipObjectResolution) // a partial file still has its declarations
	if f == nil {
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

var genAnalyzer = analyzer.New(analyzer.DefaultSettings())

// analyse runs the analyzer on files of p as a driver would, with the
// inspector over exactly those files. A panic is recovered here, in the
// test, and returned with its stack.
func analyse(p *packages.Package, files []*ast.File) (diags []analysis.Diagnostic, err *analyseErr) {
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
