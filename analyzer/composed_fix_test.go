package analyzer_test

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"

	"github.com/bidictxlint/bidictxlint/internal/gen/compose"
)

// This file holds the fix checks of TestComposed.

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
			continue // (a file that does not parse is narrowed down below)
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
			deleteImport(f, imp)
		}
	}
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return out
	}
	return b.Bytes()
}

func deleteImport(f *ast.File, imp *ast.ImportSpec) {
	for _, d := range f.Decls {
		gd, ok := d.(*ast.GenDecl)
		if !ok || gd.Tok != token.IMPORT {
			continue
		}
		gd.Specs = slices.DeleteFunc(gd.Specs, func(s ast.Spec) bool { return s == imp })
	}
	f.Imports = slices.DeleteFunc(f.Imports, func(s *ast.ImportSpec) bool { return s == imp })
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
