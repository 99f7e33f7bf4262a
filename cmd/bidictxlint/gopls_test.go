package main_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bidictxlint/bidictxlint/analyzer"
	"github.com/bidictxlint/bidictxlint/internal/markdown"
)

// The tests in this file run bidictxlint inside gopls, built with it by
// scripts/build-gopls.sh (minutes when cold, skipped when
// bin/gopls-bidictxlint is up to date), and inside real editors attached
// to that gopls. Each compares what gopls or the editor shows and does
// with what the standalone command reports and fixes, computed in the
// same test on the same files.

// goplsEnabled skips the test unless BIDICTXLINT_GOPLS=1.
func goplsEnabled(t *testing.T) {
	t.Helper()
	if os.Getenv("BIDICTXLINT_GOPLS") != "1" {
		t.Skip("set BIDICTXLINT_GOPLS=1 to build gopls with bidictxlint (scripts/build-gopls.sh) and run it, and editors attached to it, on the example module")
	}
}

// buildGopls runs scripts/build-gopls.sh once for all tests.
var buildGopls = sync.OnceValues(func() (string, error) {
	root, err := filepath.Abs("../..")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(root, "bin", "gopls-bidictxlint")
	out, err := exec.Command("bash", filepath.Join(root, "scripts", "build-gopls.sh"), bin).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("scripts/build-gopls.sh: %v\n%s", err, out)
	}
	return bin, nil
})

// newGopls returns the path of gopls built with bidictxlint.
func newGopls(t *testing.T) string {
	t.Helper()
	goplsEnabled(t)
	bin, err := buildGopls()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

// A span is a diagnostic's or a related location's range and message, as
// `gopls check` prints it: "file:line:col-endcol: message", with the end
// line when it differs, and "- message" for a related location. file is
// relative to the module.
type span struct {
	file                       string
	line, col, endLine, endCol int
	message                    string
}

// String formats s as gopls's span printer does (internal/cmd/span.go).
func (s span) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s:%d", s.file, s.line)
	printCol := s.col > 1 || s.endCol > 1
	if printCol {
		fmt.Fprintf(&b, ":%d", s.col)
	}
	if s.endLine != s.line || s.endCol != s.col {
		b.WriteString("-")
		if s.endLine > s.line {
			fmt.Fprintf(&b, "%d", s.endLine)
			if printCol {
				b.WriteString(":")
			}
		}
		if printCol {
			fmt.Fprintf(&b, "%d", s.endCol)
		}
	}
	return b.String() + ": " + s.message
}

// A standaloneDiag is one diagnostic of the command's -json output.
type standaloneDiag struct {
	Category, Posn, End, Message string
	Related                      []struct{ Posn, End, Message string }
}

// standalone runs the command with -json and extra args on ./... in dir
// and returns its bidictxlint diagnostics in file and position order,
// each with its related locations, without the duplicates of test
// variants of a package.
func standalone(t *testing.T, dir string, args ...string) []standaloneDiag {
	t.Helper()
	out := run(t, dir, buildCommand(t), []int{0, 3}, append(append([]string{"-json"}, args...), "./...")...)
	diags := uniqueDiagnostics(jsonDiagnostics[standaloneDiag](t, out), func(d standaloneDiag) string { return d.Posn + d.Message })
	slices.SortFunc(diags, func(a, b standaloneDiag) int {
		pa, pb := parsePosn(t, dir, a.Posn), parsePosn(t, dir, b.Posn)
		if c := strings.Compare(pa.file, pb.file); c != 0 {
			return c
		}
		if pa.line != pb.line {
			return pa.line - pb.line
		}
		return pa.col - pb.col
	})
	return diags
}

// spans turns a diagnostic into the lines `gopls check` would print for
// it: the diagnostic, then its related locations.
func (d standaloneDiag) spans(t *testing.T, dir string) []string {
	t.Helper()
	lines := []string{toSpan(t, dir, d.Posn, d.End, d.Message).String()}
	for _, r := range d.Related {
		lines = append(lines, toSpan(t, dir, r.Posn, r.End, "- "+r.Message).String())
	}
	return lines
}

func toSpan(t *testing.T, dir, posn, end, message string) span {
	t.Helper()
	s, e := parsePosn(t, dir, posn), parsePosn(t, dir, end)
	if e.file != s.file {
		t.Fatalf("range %s-%s ends in another file", posn, end)
	}
	return span{file: s.file, line: s.line, col: s.col, endLine: e.line, endCol: e.col, message: message}
}

// parsePosn parses "file:line:col" into a span of no length, with file
// relative to dir.
func parsePosn(t *testing.T, dir, posn string) span {
	t.Helper()
	rest, col, ok1 := cutLast(posn)
	file, line, ok2 := cutLast(rest)
	if !ok1 || !ok2 {
		t.Fatalf("position %q is not file:line:col", posn)
	}
	rel, err := filepath.Rel(dir, file)
	if err != nil {
		t.Fatal(err)
	}
	return span{file: filepath.ToSlash(rel), line: line, col: col, endLine: line, endCol: col}
}

// cutLast splits "s:n" into s and the number n.
func cutLast(s string) (string, int, bool) {
	i := strings.LastIndex(s, ":")
	if i < 0 {
		return s, 0, false
	}
	n, err := strconv.Atoi(s[i+1:])
	return s[:i], n, err == nil
}

// goplsCheck runs `gopls check` on files (relative to dir) with extra
// environment variables and returns its output lines with dir stripped
// from the file names.
func goplsCheck(t *testing.T, gopls, dir string, files []string, env ...string) []string {
	t.Helper()
	cmd := exec.Command(gopls, append([]string{"check"}, files...)...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("gopls check: %v\n%s", err, stderr.String())
	}
	var lines []string
	for line := range strings.Lines(string(out)) {
		line = strings.TrimSuffix(line, "\n")
		lines = append(lines, filepath.ToSlash(strings.TrimPrefix(line, dir+string(filepath.Separator))))
	}
	return lines
}

// checkBlocks groups `gopls check` lines into one block a diagnostic,
// the diagnostic followed by its related locations, and sorts the blocks.
func checkBlocks(lines []string) []string {
	var blocks []string
	for _, l := range lines {
		_, msg, _ := strings.Cut(l, ": ")
		if strings.HasPrefix(msg, "- ") && len(blocks) > 0 {
			blocks[len(blocks)-1] += "\n" + l
		} else {
			blocks = append(blocks, l)
		}
	}
	slices.Sort(blocks)
	return blocks
}

// TestGoplsCheck runs `gopls check` on every Go file of the example
// module: it prints every diagnostic of the standalone command, at the
// same range, with the same message and the same related locations, and
// nothing else.
func TestGoplsCheck(t *testing.T) {
	gopls := newGopls(t)
	src := exampleDir(t)
	files := goFiles(t, src)

	check := func(t *testing.T, flags string) {
		var want []string
		for _, d := range standalone(t, src, strings.Fields(flags)...) {
			want = append(want, strings.Join(d.spans(t, src), "\n"))
		}
		slices.Sort(want)
		if len(want) == 0 {
			t.Fatalf("the standalone command with flags %q finds nothing in the example module", flags)
		}
		got := checkBlocks(goplsCheck(t, gopls, src, files, "BIDICTXLINT_FLAGS="+flags))
		if !slices.Equal(got, want) {
			t.Errorf("gopls check differs from bidictxlint -json %s\ngopls check:\n%s\n\nstandalone:\n%s",
				flags, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
	t.Run("default", func(t *testing.T) { check(t, "") })

	// BIDICTXLINT_FLAGS reaches the analyzer's flags inside gopls. The
	// example has a grpc-go client, so -grpc=false changes the findings.
	t.Run("BIDICTXLINT_FLAGS", func(t *testing.T) {
		key := func(d standaloneDiag) string { return d.Posn + ": " + d.Message }
		all, some := standalone(t, src), standalone(t, src, "-grpc=false")
		if slices.Equal(toStrings(all, key), toStrings(some, key)) {
			t.Fatal("-grpc=false changes nothing in the example module: this test would prove nothing")
		}
		check(t, "-grpc=false -server=true")
	})

	// A typo stops gopls, with the error, instead of checking with the
	// defaults.
	t.Run("bad BIDICTXLINT_FLAGS", func(t *testing.T) {
		cmd := exec.Command(gopls, "check", files[0])
		cmd.Dir = src
		cmd.Env = append(os.Environ(), "BIDICTXLINT_FLAGS=-grcp=false")
		out, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(out), "BIDICTXLINT_FLAGS") || !strings.Contains(string(out), "-grcp") {
			t.Errorf("gopls check with BIDICTXLINT_FLAGS=-grcp=false: %v, want an error naming the variable and the flag\n%s", err, out)
		}
	})
}

// fixOneByOne fixes the diagnostics of the standalone command in a copy
// of the example module one at a time, as an editor user would: it
// calls apply with the first diagnostic (and its file's path, relative
// to the copy) and checks that the file changed, until the command
// reports nothing. Then the copy must build and match a copy fixed by
// bidictxlint -fix.
func fixOneByOne(t *testing.T, apply func(t *testing.T, dir, file string, d standaloneDiag)) {
	t.Helper()
	src := exampleDir(t)
	want := copyExample(t, src)
	run(t, want, buildCommand(t), []int{0, 3}, "-fix", "./...")

	dir := copyExample(t, src)
	initial := standalone(t, dir)
	if len(initial) == 0 {
		t.Fatal("the standalone command finds nothing in the example module")
	}
	for i := 0; ; i++ {
		diags := standalone(t, dir)
		if len(diags) == 0 {
			break
		}
		if i == len(initial) {
			t.Fatalf("after %d quick fixes, %d diagnostics are left, the first: %s", i, len(diags), diags[0].Message)
		}
		d := diags[0]
		file := parsePosn(t, dir, d.Posn).file
		before, err := os.ReadFile(filepath.Join(dir, file))
		if err != nil {
			t.Fatal(err)
		}
		apply(t, dir, file, d)
		after, _ := os.ReadFile(filepath.Join(dir, file))
		if string(after) == string(before) {
			t.Fatalf("the quick fix for %s: %s left the file unchanged", d.Posn, d.Message)
		}
	}
	run(t, dir, "go", []int{0}, "build", "./...")
	for _, f := range goFiles(t, want) {
		w, _ := os.ReadFile(filepath.Join(want, f))
		got, _ := os.ReadFile(filepath.Join(dir, f))
		if string(got) != string(w) {
			t.Errorf("%s after the quick fixes:\n%s\nafter bidictxlint -fix:\n%s", f, got, w)
		}
	}
}

// TestGoplsQuickFix applies, for each diagnostic, the quick fix that
// `gopls codeaction -kind=quickfix -exec` finds at its position: the
// files end up as bidictxlint -fix leaves them.
func TestGoplsQuickFix(t *testing.T) {
	gopls := newGopls(t)
	title := "^" + regexp.QuoteMeta(analyzer.FixMessage) + "$"
	fixOneByOne(t, func(t *testing.T, dir, file string, d standaloneDiag) {
		p := parsePosn(t, dir, d.Posn)
		run(t, dir, gopls, []int{0}, "codeaction", "-kind=quickfix", "-title="+title, "-exec", "-write",
			fmt.Sprintf("%s:%d:%d", file, p.line, p.col))
	})
}

// An editorResult is what an editor script reports, as JSON.
type editorResult struct {
	Error       string
	Diagnostics []struct {
		Source, Message            string
		Code, Href                 string // the LSP code and codeDescription.href
		Line, Col, EndLine, EndCol int    // 0-based, as in LSP
	}
	Titles  []string // the code actions offered at the diagnostic
	Applied string   // the title of the one applied
}

// runEditor runs an editor script with the environment that tells it
// what to open, and returns its report.
func runEditor(t *testing.T, name string, args []string, env ...string) editorResult {
	t.Helper()
	result := filepath.Join(t.TempDir(), "result.json")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Env = append(os.Environ(), append(env, "RESULT="+result, "FIX_TITLE="+analyzer.FixMessage)...)
	out, err := cmd.CombinedOutput()
	data, rerr := os.ReadFile(result)
	if rerr != nil {
		t.Fatalf("%s wrote no result (%v): %v\n%s", name, rerr, err, out)
	}
	var r editorResult
	if err := json.Unmarshal(data, &r); err != nil {
		t.Fatalf("%s result: %v\n%s", name, err, data)
	}
	if r.Error != "" {
		t.Fatalf("%s: %s\nreported: %s\noutput:\n%s", name, r.Error, data, out)
	}
	return r
}

// editorQuickFix opens file in an editor attached to gopls, checks that
// the editor shows d, with source bidictxlint, at d's range, with d's
// kind as its code and the kind's section as the code's link, and that
// the quick fix it applied is bidictxlint's.
func editorQuickFix(t *testing.T, editor func(t *testing.T, env ...string) editorResult, gopls, dir, file string, d standaloneDiag) {
	t.Helper()
	r := editor(t, "GOPLS="+gopls, "ROOT="+dir, "FILE="+filepath.Join(dir, file), "MODE=fix")
	want := toSpan(t, dir, d.Posn, d.End, d.Message)
	href := kindURL(t, d.Category)
	var shown []string
	found := false
	for _, g := range r.Diagnostics {
		s := span{file: file, line: g.Line + 1, col: g.Col + 1, endLine: g.EndLine + 1, endCol: g.EndCol + 1, message: g.Message}
		shown = append(shown, fmt.Sprintf("%s(%s) %s: %s", g.Source, g.Code, g.Href, s))
		if g.Source == analyzer.Name && s == want && g.Code == d.Category && g.Href == href {
			found = true
		}
	}
	if !found {
		t.Errorf("the editor shows\n%s\nwant %s(%s) %s: %s", strings.Join(shown, "\n"), analyzer.Name, d.Category, href, want)
	}
	if r.Applied != analyzer.FixMessage {
		t.Errorf("the editor applied %q, want %q (offered: %q)", r.Applied, analyzer.FixMessage, r.Titles)
	}
}

// lookEditor finds an editor's binary; with BIDICTXLINT_GOPLS=1 a missing
// editor fails the test (.ci/run installs them).
func lookEditor(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		t.Fatalf("%s is not installed (apt-get install -y %s): %v", name, pkg, err)
	}
	return path
}

// editorAnalysesSetting checks that gopls's setting "analyses":
// {"bidictxlint": false}, sent by the editor, turns the check off: on a
// file with a bidictxlint finding and a self-assignment, the editor shows
// both by default and only the self-assignment (reported by the vet check
// "assign", which runs in the same pass) with the setting.
func editorAnalysesSetting(t *testing.T, editor func(t *testing.T, env ...string) editorResult, gopls string) {
	t.Helper()
	dir := copyExample(t, exampleDir(t))
	diags := standalone(t, dir)
	if len(diags) == 0 {
		t.Fatal("the standalone command finds nothing in the example module")
	}
	file := filepath.Join(dir, parsePosn(t, dir, diags[0].Posn).file)
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	_, err = f.WriteString("\nfunc _() {\n\tvar x int\n\tx = x\n}\n")
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		t.Fatal(err)
	}
	sources := func(r editorResult) []string {
		var s []string
		for _, d := range r.Diagnostics {
			s = append(s, d.Source)
		}
		slices.Sort(s)
		return slices.Compact(s)
	}
	env := []string{"GOPLS=" + gopls, "ROOT=" + dir, "FILE=" + file, "MODE=show"}
	on := sources(editor(t, env...))
	off := sources(editor(t, append(env, "ANALYSES_OFF=1")...))
	if !slices.Contains(on, "assign") || !slices.Contains(on, analyzer.Name) {
		t.Errorf("by default the editor shows diagnostics from %q, want assign and %s", on, analyzer.Name)
	}
	if !slices.Contains(off, "assign") || slices.Contains(off, analyzer.Name) {
		t.Errorf(`with "analyses": {"bidictxlint": false} the editor shows diagnostics from %q, want assign and not %s`, off, analyzer.Name)
	}
}

// editorSnippet returns the configuration snippet name of
// docs/drivers.md, exactly as shown there but for the gopls path, which
// it must name once (unless gopls is "").
func editorSnippet(t *testing.T, name, gopls string) string {
	t.Helper()
	data, err := os.ReadFile("../../docs/drivers.md")
	if err != nil {
		t.Fatal(err)
	}
	page, err := markdown.Parse(string(data))
	if err != nil {
		t.Fatalf("docs/drivers.md: %v", err)
	}
	s, ok := page.Snippets[name]
	if !ok {
		t.Fatalf("docs/drivers.md has no snippet %q", name)
	}
	const placeholder = "/absolute/path/to/bin/gopls-bidictxlint"
	if gopls == "" {
		return s
	}
	if strings.Count(s, placeholder) != 1 {
		t.Fatalf("snippet %q names %s %d times, want once:\n%s", name, placeholder, strings.Count(s, placeholder), s)
	}
	return strings.Replace(s, placeholder, gopls, 1)
}

// envValue returns the value of key in env, "KEY=value" entries.
func envValue(env []string, key string) string {
	for _, e := range env {
		if v, ok := strings.CutPrefix(e, key+"="); ok {
			return v
		}
	}
	return ""
}

// writeInit writes an editor's init file and returns its path.
func writeInit(t *testing.T, name, text string) string {
	t.Helper()
	file := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(file, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}

// neovimVersion returns the major and minor version of a Neovim binary.
func neovimVersion(t *testing.T, nvim string) (int, int) {
	t.Helper()
	out, err := exec.Command(nvim, "--version").Output()
	if err != nil {
		t.Fatalf("%s --version: %v", nvim, err)
	}
	m := regexp.MustCompile(`^NVIM v(\d+)\.(\d+)\.`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("%s --version: %q", nvim, out)
	}
	major, _ := strconv.Atoi(string(m[1]))
	minor, _ := strconv.Atoi(string(m[2]))
	return major, minor
}

// unstableNeovim runs scripts/nvim-unstable.sh once for all tests: a
// Neovim 0.11 or later, for the 0.11 configuration.
var unstableNeovim = sync.OnceValues(func() (string, error) {
	root, err := filepath.Abs("../..")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(root, "bin", "nvim-unstable")
	out, err := exec.Command("bash", filepath.Join(root, "scripts", "nvim-unstable.sh"), bin).CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("scripts/nvim-unstable.sh: %v\n%s", err, out)
	}
	return bin, nil
})

// TestGoplsNeovim runs headless Neovim with gopls built with bidictxlint
// as its LSP server, configured by each Neovim snippet of
// docs/drivers.md as it stands there (testdata/editors/quickfix.lua
// drives it): the 0.7 one on Debian 12's Neovim 0.7, the 0.11 one, and
// the 0.7 one again, on Debian unstable's newer Neovim. For each
// diagnostic of the standalone command, Neovim opens the file, shows the
// diagnostic, applies the quick fix from textDocument/codeAction and
// writes the file. The result builds, the command reports nothing, and
// the files are what bidictxlint -fix makes. The snippet's
// bidictxlint = false turns the check off.
func TestGoplsNeovim(t *testing.T) {
	gopls := newGopls(t)
	debian := lookEditor(t, "nvim", "neovim")
	unstable, err := unstableNeovim()
	if err != nil {
		t.Fatal(err)
	}
	if major, minor := neovimVersion(t, debian); major != 0 || minor >= 11 {
		t.Logf("Debian's Neovim is %d.%d: the 0.7 snippet is not run on a Neovim before 0.11", major, minor)
	}
	if major, minor := neovimVersion(t, unstable); major == 0 && minor < 11 {
		t.Fatalf("%s is Neovim %d.%d, want 0.11 or later for the 0.11 snippet", unstable, major, minor)
	}
	script, err := filepath.Abs("testdata/editors/quickfix.lua")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ name, nvim, snippet string }{
		{"Debian's Neovim, 0.7 snippet", debian, "neovim-0.7"},
		{"unstable's Neovim, 0.11 snippet", unstable, "neovim-0.11"},
		{"unstable's Neovim, 0.7 snippet", unstable, "neovim-0.7"},
	} {
		t.Run(c.name, func(t *testing.T) {
			major, minor := neovimVersion(t, c.nvim)
			t.Logf("Neovim %d.%d with the %s snippet", major, minor, c.snippet)
			editor := func(t *testing.T, env ...string) editorResult {
				t.Helper()
				init := editorSnippet(t, c.snippet, envValue(env, "GOPLS"))
				if envValue(env, "ANALYSES_OFF") == "1" {
					const on = "bidictxlint = true"
					if strings.Count(init, on) != 1 {
						t.Fatalf("snippet %q has %q %d times, want once", c.snippet, on, strings.Count(init, on))
					}
					init = strings.Replace(init, on, "bidictxlint = false", 1)
				}
				// No user configuration, plugins or state; the cache stays,
				// since gopls keeps its own there.
				home := t.TempDir()
				env = append(env, "XDG_CONFIG_HOME="+home, "XDG_DATA_HOME="+home, "XDG_STATE_HOME="+home)
				args := []string{"--headless", "-u", writeInit(t, "init.lua", init), "-i", "NONE", "-n", "-c", "luafile " + script}
				return runEditor(t, c.nvim, args, env...)
			}
			t.Run("quickfix", func(t *testing.T) {
				fixOneByOne(t, func(t *testing.T, dir, file string, d standaloneDiag) {
					editorQuickFix(t, editor, gopls, dir, file, d)
				})
			})
			t.Run("analyses setting", func(t *testing.T) { editorAnalysesSetting(t, editor, gopls) })
		})
	}
}

// toStrings maps f over xs.
func toStrings[T any](xs []T, f func(T) string) []string {
	var s []string
	for _, x := range xs {
		s = append(s, f(x))
	}
	return s
}

// TestGoplsEmacs is TestGoplsNeovim with Emacs in batch mode and its LSP
// client Eglot (testdata/editors/quickfix.el), configured by the Emacs
// snippet of docs/drivers.md as it stands there: Eglot starts from
// go-mode-hook, Flymake shows the diagnostics, and the quick fix is
// applied as M-x eglot-code-actions applies it. The page's form that
// turns the analyses setting off does so.
func TestGoplsEmacs(t *testing.T) {
	gopls := newGopls(t)
	emacs := lookEditor(t, "emacs", "emacs-nox elpa-eglot")
	script, err := filepath.Abs("testdata/editors/quickfix.el")
	if err != nil {
		t.Fatal(err)
	}
	editor := func(t *testing.T, env ...string) editorResult {
		t.Helper()
		init := editorSnippet(t, "emacs", envValue(env, "GOPLS"))
		if envValue(env, "ANALYSES_OFF") == "1" {
			init += "\n" + editorSnippet(t, "emacs-analyses-off", "")
		}
		return runEditor(t, emacs, []string{"--batch", "-q", "-l", writeInit(t, "init.el", init), "-l", script}, env...)
	}
	t.Run("quickfix", func(t *testing.T) {
		fixOneByOne(t, func(t *testing.T, dir, file string, d standaloneDiag) {
			editorQuickFix(t, editor, gopls, dir, file, d)
		})
	})
	t.Run("analyses setting", func(t *testing.T) { editorAnalysesSetting(t, editor, gopls) })
}
