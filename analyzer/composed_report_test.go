package analyzer_test

import (
	"bytes"
	"cmp"
	"fmt"
	"go/format"
	"go/token"
	"go/types"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/bidictxlint/bidictxlint/internal/gen/compose"
)

// This file holds how TestComposed reports and minimises its failures.

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
