package main

import (
	"fmt"
	"go/token"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

// testFiles is a file set with files of the given contents, named
// /t/NAME, and a planner over them with every file editable.
type testFiles struct {
	fset  *token.FileSet
	files map[string]*token.File
	p     *planner
}

func newTestFiles(srcs map[string]string) *testFiles {
	tf := &testFiles{fset: token.NewFileSet(), files: make(map[string]*token.File)}
	tf.p = &planner{sources: make(map[string][]byte), generated: make(map[string]bool), blocked: make(map[string]string), editable: make(map[string]bool)}
	names := make([]string, 0, len(srcs))
	for n := range srcs {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		name := "/t/" + n
		f := tf.fset.AddFile(name, -1, len(srcs[n]))
		f.SetLinesForContent([]byte(srcs[n]))
		tf.files[n] = f
		tf.p.sources[name] = []byte(srcs[n])
		tf.p.editable[name] = true
	}
	return tf
}

// fe is an edit of a test fix: file, offsets, text.
type fe struct {
	file       string
	start, end int
	text       string
}

// finding adds a finding at offset at of file, with a fix made of edits
// (none: no fix).
func (tf *testFiles) finding(file string, at int, edits ...fe) *finding {
	f := tf.files[file]
	d := analysis.Diagnostic{Pos: f.Pos(at), Message: fmt.Sprintf("finding %d", len(tf.p.findings))}
	if len(edits) > 0 {
		var tes []analysis.TextEdit
		for _, e := range edits {
			ef := tf.files[e.file]
			tes = append(tes, analysis.TextEdit{Pos: ef.Pos(e.start), End: ef.Pos(e.end), NewText: []byte(e.text)})
		}
		d.SuggestedFixes = []analysis.SuggestedFix{{Message: "fix", TextEdits: tes}}
	}
	fd := &finding{fset: tf.fset, diag: d, posn: tf.fset.Position(d.Pos)}
	tf.p.findings = append(tf.p.findings, fd)
	return fd
}

func (tf *testFiles) out(name string) string {
	fs := tf.p.files["/t/"+name]
	if fs == nil || fs.out == nil {
		return string(tf.p.sources["/t/"+name])
	}
	return string(fs.out)
}

const planSrc = `package p

import "fmt"

func a() {
	fmt.Println("a")
}

func b() {
	fmt.Println("b")
}
`

// TestPlanRules checks each rule of fix planning on a small file: whole
// fixes or none, in order of the findings, identical edits merged,
// insertions at one offset in fix order, an overlap (or an insertion
// strictly inside a replaced range) a conflict that names the fix taken,
// and no edit to generated, blocked or unknown files.
func TestPlanRules(t *testing.T) {
	at := func(s string) int {
		i := strings.Index(planSrc, s)
		if i < 0 {
			t.Fatalf("%q not in the source", s)
		}
		return i
	}
	imp := fe{"p.go", at(`import "fmt"`), at(`import "fmt"`) + len(`import "fmt"`), "import (\n\t\"context\"\n\t\"fmt\"\n)"}
	bodyA := at(`fmt.Println("a")`)
	bodyB := at(`fmt.Println("b")`)

	t.Run("identical edits merge, others apply", func(t *testing.T) {
		tf := newTestFiles(map[string]string{"p.go": planSrc})
		f1 := tf.finding("p.go", bodyA, imp, fe{"p.go", bodyA, bodyA, "_ = context.TODO()\n\t"})
		f2 := tf.finding("p.go", bodyB, imp, fe{"p.go", bodyB, bodyB, "_ = context.Background()\n\t"})
		tf.p.plan()
		if !f1.fixed || !f2.fixed {
			t.Fatalf("fixed: %v %v (%q, %q), want both", f1.fixed, f2.fixed, f1.reason, f2.reason)
		}
		got := tf.out("p.go")
		if strings.Count(got, `"context"`) != 1 || !strings.Contains(got, "context.TODO()") || !strings.Contains(got, "context.Background()") {
			t.Errorf("fixed file:\n%s", got)
		}
	})

	t.Run("overlap is a conflict naming the fix taken", func(t *testing.T) {
		tf := newTestFiles(map[string]string{"p.go": planSrc})
		f1 := tf.finding("p.go", bodyA, fe{"p.go", bodyA, bodyA + 3, "log"})
		f2 := tf.finding("p.go", bodyA+1, fe{"p.go", bodyA + 2, bodyA + 5, "xx"}, fe{"p.go", bodyB, bodyB, "_ = 1\n\t"})
		tf.p.plan()
		if !f1.fixed || f2.fixed {
			t.Fatalf("fixed: %v %v, want the first only", f1.fixed, f2.fixed)
		}
		if !strings.Contains(f2.reason, f1.posn.String()) || !strings.Contains(f2.reason, "run -fix again") {
			t.Errorf("reason %q does not name %s and say to run again", f2.reason, f1.posn)
		}
		if got := tf.out("p.go"); strings.Contains(got, "_ = 1") {
			t.Errorf("part of the conflicting fix was applied:\n%s", got)
		}
	})

	t.Run("insertion inside a replaced range is a conflict", func(t *testing.T) {
		tf := newTestFiles(map[string]string{"p.go": planSrc})
		f1 := tf.finding("p.go", bodyA, fe{"p.go", bodyA, bodyA + 3, "log"})
		f2 := tf.finding("p.go", bodyA+1, fe{"p.go", bodyA + 1, bodyA + 1, "x"})
		tf.p.plan()
		if !f1.fixed || f2.fixed {
			t.Errorf("fixed: %v %v, want the first only", f1.fixed, f2.fixed)
		}
	})

	t.Run("insertions at a replaced range's ends and at one offset apply in order", func(t *testing.T) {
		tf := newTestFiles(map[string]string{"p.go": planSrc})
		f1 := tf.finding("p.go", bodyA, fe{"p.go", bodyA, bodyA + 3, "fmt"})
		f2 := tf.finding("p.go", bodyA+1, fe{"p.go", bodyA, bodyA, "_ = 1\n\t"})
		f3 := tf.finding("p.go", bodyA+2, fe{"p.go", bodyA, bodyA, "_ = 2\n\t"})
		f4 := tf.finding("p.go", bodyA+3, fe{"p.go", bodyA + 3, bodyA + 3, ""})
		tf.p.plan()
		for i, f := range []*finding{f1, f2, f3, f4} {
			if !f.fixed {
				t.Errorf("finding %d not fixed: %s", i+1, f.reason)
			}
		}
		if got := tf.out("p.go"); !strings.Contains(got, "_ = 1\n\t_ = 2\n\tfmt.Println(\"a\")") {
			t.Errorf("insertions not in fix order before the replacement:\n%s", got)
		}
	})

	t.Run("generated, blocked and unknown files take no edit", func(t *testing.T) {
		tf := newTestFiles(map[string]string{"p.go": planSrc, "gen.go": planSrc, "bad.go": planSrc, "cgo.go": planSrc})
		tf.p.generated["/t/gen.go"] = true
		tf.p.blocked["/t/bad.go"] = "package p did not load"
		delete(tf.p.editable, "/t/cgo.go")
		g := tf.finding("p.go", bodyA, fe{"p.go", bodyA, bodyA, "_ = 1\n\t"}, fe{"gen.go", bodyA, bodyA, "_ = 1\n\t"})
		b := tf.finding("bad.go", bodyA, fe{"bad.go", bodyA, bodyA, "_ = 1\n\t"})
		c := tf.finding("cgo.go", bodyA, fe{"cgo.go", bodyA, bodyA, "_ = 1\n\t"})
		n := tf.finding("p.go", bodyB)
		tf.p.plan()
		for _, c := range []struct {
			f    *finding
			want string
		}{{g, "gen.go is a generated file"}, {b, "package p did not load"}, {c, "not a Go source file"}, {n, "no fix is offered"}} {
			if c.f.fixed || !strings.Contains(c.f.reason, c.want) {
				t.Errorf("%s: fixed %v, reason %q, want not fixed: %q", c.f.diag.Message, c.f.fixed, c.f.reason, c.want)
			}
		}
		for _, name := range []string{"p.go", "gen.go", "bad.go", "cgo.go"} {
			if tf.out(name) != planSrc {
				t.Errorf("%s changed", name)
			}
		}
	})

	t.Run("a fixed file that does not parse is not written and its fixes withdrawn everywhere", func(t *testing.T) {
		tf := newTestFiles(map[string]string{"p.go": planSrc, "q.go": planSrc})
		f := tf.finding("p.go", bodyA, fe{"p.go", bodyA, bodyA, "_ = 1\n\t"}, fe{"q.go", bodyA, bodyA, "}}}"})
		ok := tf.finding("p.go", bodyB, fe{"p.go", bodyB, bodyB, "_ = 2\n\t"})
		tf.p.plan()
		if f.fixed || !strings.Contains(f.reason, "q.go") || !ok.fixed {
			t.Fatalf("fixed %v (%q) and %v, want the fix spanning q.go withdrawn and the other applied", f.fixed, f.reason, ok.fixed)
		}
		if got := tf.out("p.go"); strings.Contains(got, "_ = 1") || !strings.Contains(got, "_ = 2") {
			t.Errorf("p.go:\n%s", got)
		}
	})
}

// TestPlanConflictsMatchPairwise checks the indexed conflict test
// against the definition, edit against edit, on random fixes: a fix is
// taken when none of its edits overlaps (shares a byte with, or is an
// insertion strictly inside) an edit taken before that is not identical.
func TestPlanConflictsMatchPairwise(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	src := strings.Repeat("x", 200)
	for round := range 300 {
		tf := newTestFiles(map[string]string{"a.go": src, "b.go": src})
		var fixes [][]fe
		for range 1 + rng.IntN(30) {
			var edits []fe
			file := []string{"a.go", "b.go"}[rng.IntN(2)]
			pos := 0
			for range 1 + rng.IntN(3) {
				start := pos + rng.IntN(40)
				end := start + rng.IntN(4) // often an insertion
				if end > len(src) {
					break
				}
				edits = append(edits, fe{file, start, end, []string{"", "a", "b"}[rng.IntN(3)]})
				pos = end + 1 // a fix's own edits do not overlap
				if rng.IntN(3) == 0 {
					file = []string{"a.go", "b.go"}[rng.IntN(2)]
					pos = 0
				}
			}
			if len(edits) == 0 {
				continue
			}
			fixes = append(fixes, edits)
			tf.finding(edits[0].file, edits[0].start, edits...)
		}
		// A fix's edits to one file must not overlap: drop those that do.
		var keep []*finding
		var keepFixes [][]fe
		for i, f := range tf.p.findings {
			if !selfOverlap(fixes[i]) {
				keep = append(keep, f)
				keepFixes = append(keepFixes, fixes[i])
			}
		}
		tf.p.findings = keep
		tf.p.choose(tf.p.candidates())

		var taken []fe
		for i, f := range keep {
			ok := true
			for _, e := range keepFixes[i] {
				for _, t := range taken {
					if t.file == e.file && t != e && e.start < t.end && t.start < e.end {
						ok = false
					}
				}
			}
			if ok {
				taken = append(taken, keepFixes[i]...)
			}
			if f.fixed != ok {
				t.Fatalf("round %d, fix %d %v: planner took it %v, pairwise %v (taken before: %v)", round, i, keepFixes[i], f.fixed, ok, taken)
			}
		}
	}
}

func selfOverlap(edits []fe) bool {
	for i, a := range edits {
		for _, b := range edits[i+1:] {
			if a.file == b.file && (a.start < b.end && b.start < a.end || a.start == b.start) {
				return true
			}
		}
	}
	return false
}

// TestLineDiffMinimal checks that the diff is a shortest edit script:
// its deletions and insertions number len(a)+len(b)-2·LCS(a, b), with
// the LCS from the textbook dynamic programme, and applying it to a
// gives b. Inputs are random files of few distinct lines (so lines
// repeat, as "}" and "return err" do) and random edits of them, with
// the edits' regions and without.
func TestLineDiffMinimal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	alphabet := []string{"}\n", "return err\n", "\n", "x := 1\n", "if err != nil {\n", "g.Go(func() error {\n"}
	for round := range 500 {
		var a []string
		for range rng.IntN(40) {
			a = append(a, alphabet[rng.IntN(len(alphabet))])
		}
		// b: a with random insertions, deletions and replacements.
		var b []string
		for i := 0; i <= len(a); i++ {
			switch rng.IntN(6) {
			case 0:
				b = append(b, alphabet[rng.IntN(len(alphabet))])
			case 1:
				if i < len(a) {
					i++ // delete a[i]
				}
			}
			if i < len(a) {
				b = append(b, a[i])
			}
		}
		for _, regions := range [][]region{nil, {{0, len(a), 0, len(b)}}} {
			ops := lineDiff(a, b, regions)
			var gotA, gotB []string
			changes := 0
			for _, o := range ops {
				if o.kind != '+' {
					gotA = append(gotA, o.line)
				}
				if o.kind != '-' {
					gotB = append(gotB, o.line)
				}
				if o.kind != ' ' {
					changes++
				}
			}
			if !slices.Equal(gotA, a) || !slices.Equal(gotB, b) {
				t.Fatalf("round %d: the script does not turn a into b\na=%q\nb=%q\nops=%v", round, a, b, ops)
			}
			if want := len(a) + len(b) - 2*lcs(a, b); changes != want {
				t.Fatalf("round %d: %d lines changed, the shortest script changes %d\na=%q\nb=%q", round, changes, want, a, b)
			}
		}
	}
}

func lcs(a, b []string) int {
	dp := make([][]int, len(a)+1)
	for i := range dp {
		dp[i] = make([]int, len(b)+1)
	}
	for i := len(a) - 1; i >= 0; i-- {
		for j := len(b) - 1; j >= 0; j-- {
			if a[i] == b[j] {
				dp[i][j] = dp[i+1][j+1] + 1
			} else {
				dp[i][j] = max(dp[i+1][j], dp[i][j+1])
			}
		}
	}
	return dp[0][0]
}

// TestUnifiedFormat checks the hunk headers and context against a fixed
// example in diff -u's format.
func TestUnifiedFormat(t *testing.T) {
	a := splitLines("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n")
	b := splitLines("1\n2\n3\nnew\n4\n5\n6\n7\n8\n9\n10\n11\n12\n14\n15\n")
	got := unified("p.go", lineDiff(a, b, nil))
	want := `--- p.go
+++ p.go
@@ -1,6 +1,7 @@
 1
 2
 3
+new
 4
 5
 6
@@ -10,6 +11,5 @@
 10
 11
 12
-13
 14
 15
`
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
