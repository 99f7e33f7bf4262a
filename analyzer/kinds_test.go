package analyzer_test

import (
	"bytes"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

// The kinds of finding are documented as data: the table in kinds.go is
// held against docs/checks.md here, and every diagnostic of the
// catalogue against the table.

// A checksSection is one "## " section of docs/checks.md.
type checksSection struct {
	heading  string
	title    string            // the first paragraph, without its ** **
	fields   map[string]string // the "- Name: value" list under the title
	examples []checksExample
}

// A checksExample is a ```go block and the paragraph that introduces it.
type checksExample struct {
	label string
	code  string
}

// checksPage is docs/checks.md read into the ```go blocks before the
// first section (the declarations the examples share) and its sections.
func checksPage(t *testing.T) (shared string, sections []checksSection) {
	t.Helper()
	data, err := os.ReadFile("../docs/checks.md")
	if err != nil {
		t.Fatal(err)
	}
	var (
		cur    *checksSection
		para   string // the last paragraph's first line
		code   *strings.Builder
		label  string
		field  string
		blocks []string
	)
	for line := range strings.Lines(string(data)) {
		line = strings.TrimSuffix(line, "\n")
		switch {
		case code != nil:
			if line == "```" {
				if cur == nil {
					blocks = append(blocks, code.String())
				} else {
					cur.examples = append(cur.examples, checksExample{label, code.String()})
				}
				code = nil
				continue
			}
			code.WriteString(line + "\n")
		case line == "```go":
			code, label = new(strings.Builder), para
		case strings.HasPrefix(line, "## "):
			sections = append(sections, checksSection{heading: strings.TrimPrefix(line, "## "), fields: map[string]string{}})
			cur, para, field = &sections[len(sections)-1], "", ""
		case cur == nil:
			if line != "" {
				para = line
			}
		case strings.HasPrefix(line, "- ") && strings.Contains(line, ": ") && cur.title != "":
			field, _, _ = strings.Cut(strings.TrimPrefix(line, "- "), ": ")
			cur.fields[field] = strings.SplitN(line, ": ", 2)[1]
		case strings.HasPrefix(line, "  ") && field != "":
			cur.fields[field] += " " + strings.TrimSpace(line)
		case line == "":
			field = ""
		default:
			field = ""
			if cur.title == "" && strings.HasPrefix(line, "**") && strings.HasSuffix(line, "**") {
				cur.title = strings.Trim(line, "*")
			}
			para = line
		}
	}
	if len(blocks) != 1 {
		t.Fatalf("docs/checks.md has %d Go blocks before its first section, want 1: the declarations the examples share", len(blocks))
	}
	return blocks[0], sections
}

// githubAnchor is the anchor GitHub gives a heading: lower case, spaces
// as hyphens, other punctuation than - and _ dropped.
func githubAnchor(heading string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(heading) {
		switch {
		case r == ' ':
			b.WriteRune('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}

// otherSections are the sections of docs/checks.md that are not kinds.
var otherSections = []string{"Silencing a finding"}

func TestKindsTable(t *testing.T) {
	if want := "https://github.com/bidictxlint/bidictxlint/blob/main/docs/checks.md"; analyzer.ChecksURL != want {
		t.Errorf("ChecksURL = %q, want %q", analyzer.ChecksURL, want)
	}
	seen := map[string]bool{}
	id := regexp.MustCompile(`^[a-z]+(-[a-z]+)*$`)
	for _, k := range analyzer.Kinds() {
		if !id.MatchString(k.ID) || seen[k.ID] {
			t.Errorf("kind %q: IDs are distinct lower-case words joined by hyphens", k.ID)
		}
		seen[k.ID] = true
		if githubAnchor(k.ID) != k.ID {
			t.Errorf("kind %q: the anchor of its heading would be %q", k.ID, githubAnchor(k.ID))
		}
		if want := analyzer.ChecksURL + "#" + k.ID; k.URL() != want {
			t.Errorf("kind %q: URL %q, want %q", k.ID, k.URL(), want)
		}
		if k.Title == "" || k.Since == "" {
			t.Errorf("kind %q has no title or no version", k.ID)
		}
		if k.Directive && k.Fix {
			t.Errorf("kind %q is about directives and has a fix", k.ID)
		}
	}
}

// TestChecksPage holds docs/checks.md against the table: one section per
// kind, in the table's order, headed by its ID, with its title in bold,
// its version and whether it has a fix, and a bad and a good example.
func TestChecksPage(t *testing.T) {
	_, sections := checksPage(t)
	kinds := analyzer.Kinds()
	var headings []string
	for _, s := range sections {
		if !slices.Contains(otherSections, s.heading) {
			headings = append(headings, s.heading)
		}
	}
	var ids []string
	for _, k := range kinds {
		ids = append(ids, k.ID)
	}
	if !slices.Equal(headings, ids) {
		t.Fatalf("docs/checks.md has the sections %q, want one per kind, in this order: %q (and %q)", headings, ids, otherSections)
	}
	for _, s := range sections {
		i := slices.Index(ids, s.heading)
		if i < 0 {
			continue
		}
		k := kinds[i]
		if s.title != k.Title {
			t.Errorf("## %s: title %q, want **%s**", k.ID, s.title, k.Title)
		}
		if since := s.fields["Since"]; since != k.Since && !strings.HasPrefix(since, k.Since+" ") {
			t.Errorf("## %s: \"- Since: %s\", want %s", k.ID, since, k.Since)
		}
		if fix := s.fields["Fix"]; strings.HasPrefix(fix, "suggested") != k.Fix || !k.Fix && !strings.HasPrefix(fix, "none") {
			t.Errorf("## %s: \"- Fix: %s\", but the table says fix=%v (write \"suggested ...\" or \"none ...\")", k.ID, fix, k.Fix)
		}
		var bad, good int
		for _, e := range s.examples {
			switch {
			case strings.HasPrefix(e.label, "Bad"):
				bad++
			case strings.HasPrefix(e.label, "Good"):
				good++
			}
		}
		if bad != 1 || good != 1 {
			t.Errorf("## %s: %d bad and %d good examples, want one of each", k.ID, bad, good)
		}
	}
}

// lenient is an analysistest.Testing for runs that are checked by the
// caller, not by want comments: it drops analysistest's complaints about
// expectations and passes on the rest (load errors).
type lenient struct{ t *testing.T }

func (l lenient) Errorf(format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	for _, expectation := range []string{": unexpected diagnostic: ", ": no diagnostic was reported matching ", " does not match pattern "} {
		if strings.Contains(msg, expectation) {
			return
		}
	}
	l.t.Helper()
	l.t.Errorf("%s", msg)
}

// exampleImports are the packages the examples may use, by name.
var exampleImports = map[string]string{
	"context":  "context",
	"errors":   "errors",
	"fmt":      "fmt",
	"connect":  "connectrpc.com/connect",
	"errgroup": "golang.org/x/sync/errgroup",
	"grpc":     "google.golang.org/grpc",
	"sync":     "sync",
	"pool":     "github.com/sourcegraph/conc/pool",
}

// exampleFile makes a Go file of package pkg from declarations, importing
// the packages of exampleImports they use.
func exampleFile(t *testing.T, pkg, decls string) []byte {
	t.Helper()
	var b bytes.Buffer
	fmt.Fprintf(&b, "package %s\n\nimport (\n", pkg)
	for name, path := range exampleImports {
		if regexp.MustCompile(`\b` + name + `\.`).MatchString(decls) {
			fmt.Fprintf(&b, "\t%q\n", path)
		}
	}
	b.WriteString(")\n\n" + decls)
	src, err := format.Source(b.Bytes())
	if err != nil {
		t.Fatalf("example of package %s: %v\n%s", pkg, err, b.Bytes())
	}
	return src
}

// TestChecksExamples runs the analyzer on every example of
// docs/checks.md, each a package of its own with the shared declarations,
// in a module with the real libraries: a bad example is reported with
// its section's kind, a good one is not reported at all, and a good one
// introduced as the suggested fix is what applying the bad example's
// fixes writes.
func TestChecksExamples(t *testing.T) {
	shared, sections := checksPage(t)
	dir := t.TempDir()
	real := realModules(t)
	for _, f := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(real, f))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, f), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	type example struct {
		kind, label string
		bad, fixed  bool
		file        string
	}
	var examples []example
	for _, s := range sections {
		if slices.Contains(otherSections, s.heading) {
			continue
		}
		for i, e := range s.examples {
			// The bad and good examples of a kind are packages of one
			// name, so that a fixed bad one can be compared with a good one.
			pkg := strings.ReplaceAll(s.heading, "-", "")
			pdir := filepath.Join(dir, "checks", fmt.Sprintf("%s_%d", pkg, i))
			if err := os.MkdirAll(pdir, 0o755); err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(pdir, "example.go")
			for name, decls := range map[string]string{"shared.go": shared, "example.go": e.code} {
				if err := os.WriteFile(filepath.Join(pdir, name), exampleFile(t, pkg, decls), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			examples = append(examples, example{
				kind: s.heading, label: e.label, file: file,
				bad:   strings.HasPrefix(e.label, "Bad"),
				fixed: strings.HasPrefix(e.label, "Good, the suggested fix"),
			})
		}
	}
	results := analysistest.Run(lenient{t}, dir, analyzer.Analyzer, "./checks/...")
	byFile := map[string][]analysis.Diagnostic{}
	var fixed = map[string][]byte{}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			file := r.Pass.Fset.File(d.Pos).Name()
			byFile[file] = append(byFile[file], d)
		}
		for _, f := range r.Pass.Files {
			name := r.Pass.Fset.File(f.Pos()).Name()
			if filepath.Base(name) == "example.go" {
				fixed[name] = applyFixes(t, r.Pass, name, byFile[name])
			}
		}
	}
	if len(results) != len(examples) {
		t.Fatalf("%d packages analysed, want one per example (%d)", len(results), len(examples))
	}
	var badCode []byte
	for _, e := range examples {
		diags := byFile[e.file]
		src, _ := os.ReadFile(e.file)
		switch {
		case e.bad:
			badCode = fixed[e.file]
			if !slices.ContainsFunc(diags, func(d analysis.Diagnostic) bool { return d.Category == e.kind }) {
				t.Errorf("## %s: the bad example is not reported as %s; diagnostics: %s", e.kind, e.kind, messages(diags))
			}
		case len(diags) > 0:
			t.Errorf("## %s: the good example is reported: %s", e.kind, messages(diags))
		case e.fixed && !bytes.Equal(badCode, src):
			t.Errorf("## %s: %q, but the fix of the bad example writes\n%s\nwhere the page has\n%s", e.kind, e.label, badCode, src)
		}
	}
}

// applyFixes returns the file name of pass with the first fix of each of
// diags applied, formatted.
func applyFixes(t *testing.T, pass *analysis.Pass, name string, diags []analysis.Diagnostic) []byte {
	t.Helper()
	src, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	var edits []analysis.TextEdit
	for _, d := range diags {
		if len(d.SuggestedFixes) > 0 {
			edits = append(edits, d.SuggestedFixes[0].TextEdits...)
		}
	}
	slices.SortStableFunc(edits, func(a, b analysis.TextEdit) int { return int(b.Pos - a.Pos) })
	tf := pass.Fset.File(pass.Files[0].Pos())
	for _, f := range pass.Files {
		if pass.Fset.File(f.Pos()).Name() == name {
			tf = pass.Fset.File(f.Pos())
		}
	}
	for _, e := range edits {
		start, end := tf.Offset(e.Pos), tf.Offset(e.End)
		if !e.End.IsValid() {
			end = start
		}
		src = slices.Concat(src[:start], e.NewText, src[end:])
	}
	out, err := format.Source(src)
	if err != nil {
		t.Fatalf("%s after the fixes: %v\n%s", name, err, src)
	}
	return out
}

func messages(diags []analysis.Diagnostic) string {
	if len(diags) == 0 {
		return "none"
	}
	var ms []string
	for _, d := range diags {
		ms = append(ms, fmt.Sprintf("[%s] %s", d.Category, d.Message))
	}
	return strings.Join(ms, "; ")
}

// kindWords are the words of the messages of some kinds, and only them.
var kindWords = map[string]string{
	"reassigned-context": "became the group's context",
	"bidi-needs-close":   "on a connect-go bidi stream, cancelling",
	"handler-receive":    "in an errgroup task blocks until the client sends or hangs up",
	"unused-directive":   "silences no",
}

// TestEveryDiagnosticHasAKind runs the analyzer on the whole catalogue,
// stubs and real libraries, and checks every diagnostic against the
// table: its Category is a kind, its URL that kind's section, and only
// kinds with a fix carry one. Every kind must occur, so that a kind added
// to the table gets a case.
func TestEveryDiagnosticHasAKind(t *testing.T) {
	// Every package of testdata/src ("..." would take in the standard
	// library too).
	entries, err := os.ReadDir(filepath.Join(testdata(t), "src"))
	if err != nil {
		t.Fatal(err)
	}
	var stubs []string
	for _, e := range entries {
		stubs = append(stubs, e.Name()+"/...")
	}
	var results []*analysistest.Result
	results = append(results, analysistest.Run(lenient{t}, testdata(t), analyzer.Analyzer, stubs...)...)
	results = append(results, analysistest.Run(lenient{t}, filepath.Join(testdata(t), "go1.20"), analyzer.Analyzer, "./...")...)
	results = append(results, analysistest.Run(lenient{t}, realModules(t), analyzer.Analyzer, "./...")...)
	kinds := map[string]analyzer.Kind{}
	for _, k := range analyzer.Kinds() {
		kinds[k.ID] = k
	}
	seen, fixed := map[string]int{}, map[string]int{}
	for _, r := range results {
		for _, d := range r.Diagnostics {
			pos := r.Pass.Fset.Position(d.Pos)
			k, ok := kinds[d.Category]
			if !ok {
				t.Errorf("%s: category %q is no kind of the table: %s", pos, d.Category, d.Message)
				continue
			}
			seen[k.ID]++
			// The kind and the message come from one decision.
			for id, words := range kindWords {
				if strings.Contains(d.Message, words) != (k.ID == id) {
					t.Errorf("%s: a %s diagnostic; %q in its message says %s: %s", pos, k.ID, words, id, d.Message)
				}
			}
			if d.URL != k.URL() {
				t.Errorf("%s: URL %q, want %q", pos, d.URL, k.URL())
			}
			if len(d.SuggestedFixes) > 0 {
				fixed[k.ID]++
				if !k.Fix {
					t.Errorf("%s: a %s diagnostic has a fix, which the table says it never has", pos, k.ID)
				}
			}
		}
	}
	for _, k := range analyzer.Kinds() {
		if seen[k.ID] == 0 {
			t.Errorf("no diagnostic of kind %s in the catalogue", k.ID)
		}
		if k.Fix && fixed[k.ID] == 0 {
			t.Errorf("the table says %s has a fix, but no diagnostic of the catalogue has one", k.ID)
		}
	}
	t.Logf("diagnostics by kind: %v; with a fix: %v", seen, fixed)
}
