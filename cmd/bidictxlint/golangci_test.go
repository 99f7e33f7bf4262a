package main_test

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestGolangciLint runs bidictxlint as a golangci-lint v2 module plugin,
// built by scripts/build-golangci-lint.sh (minutes when cold, skipped when
// bin/custom-gcl is up to date), with .golangci.example.yml on the example
// module: the same findings as the standalone command, //nolint works, and
// --fix applies the same fixes as bidictxlint -fix.
func TestGolangciLint(t *testing.T) {
	if os.Getenv("BIDICTXLINT_GOLANGCI") != "1" {
		t.Skip("set BIDICTXLINT_GOLANGCI=1 to build golangci-lint with the plugin (scripts/build-golangci-lint.sh) and run it on the example module")
	}
	g := newGolangci(t)
	bin := buildCommand(t)
	src := exampleDir(t)

	cmd := exec.Command(bin, "./...")
	cmd.Dir = src
	out, _ := cmd.CombinedOutput() // the diagnostics go to standard error
	standalone := findings(t, src, string(out))
	if len(standalone) == 0 {
		t.Fatal("the standalone command finds nothing in the example module")
	}

	t.Run("findings", func(t *testing.T) {
		found, related := g.run(t, src).split()
		// Each issue's text starts with its kind, the diagnostic's
		// category, which golangci-lint would drop.
		var want []string
		for _, d := range standaloneJSON(t, src) {
			p := parsePosn(t, src, d.Posn)
			want = append(want, fmt.Sprintf("%s:%d:%d: %s: %s", p.file, p.line, p.col, d.Category, d.Message))
		}
		slices.Sort(want)
		if !slices.Equal(found, want) {
			t.Errorf("golangci-lint findings differ from the standalone command's\ngolangci-lint:\n%s\nstandalone -json:\n%s",
				strings.Join(found, "\n"), strings.Join(want, "\n"))
		}
		if got := withoutKind(t, found); !slices.Equal(got, standalone) {
			t.Errorf("golangci-lint findings differ from the standalone command's text output\ngolangci-lint:\n%s\nstandalone:\n%s",
				strings.Join(got, "\n"), strings.Join(standalone, "\n"))
		}
		// golangci-lint would turn each related location into an issue of
		// its own, which //nolint on the reported line cannot silence: the
		// plugin leaves them out unless the related setting is on.
		if len(related) != 0 {
			t.Errorf("golangci-lint reports related locations as issues:\n%s", strings.Join(related, "\n"))
		}
	})

	t.Run("nolint", func(t *testing.T) {
		dir := copyExample(t, src)
		// A //nolint:bidictxlint at the end of the reported line hides the
		// finding, and nothing of it is left on other lines.
		line := parseFinding(t, standalone[0])
		appendToLine(t, filepath.Join(dir, line.file), line.line, " //nolint:bidictxlint // test")
		// Above the function, it hides the finding and its related
		// locations.
		fn := parseFinding(t, standalone[len(standalone)-1])
		if fn.file == line.file {
			t.Fatalf("want the first and last findings in different files: %q", standalone)
		}
		insertBeforeFunc(t, filepath.Join(dir, fn.file), fn.line, "//nolint:bidictxlint // test")

		got := g.run(t, dir)
		found, related := got.split()
		found = withoutKind(t, found)
		if len(related) != 0 {
			t.Errorf("related locations reported: %q", related)
		}
		want := slices.Clone(standalone[1 : len(standalone)-1])
		if !slices.Equal(found, want) {
			t.Errorf("with //nolint on %s and above the function of %s:\ngot\n%s\nwant\n%s",
				standalone[0], standalone[len(standalone)-1], strings.Join(found, "\n"), strings.Join(want, "\n"))
		}
		for _, i := range got {
			if strings.HasPrefix(i, fn.file+":") {
				t.Errorf("//nolint above the function leaves %s", i)
			}
		}
	})

	// The directives of newDirectiveCase: golangci-lint silences what
	// every driver silences, the analyzer reports the stale
	// //bidictxlint:ignore, and golangci-lint's nolintlint, enabled here,
	// reports the stale //nolint:bidictxlint and not the one in use: the
	// plugin leaves //nolint to golangci-lint, so the finding reaches
	// golangci-lint's filter, which marks the directive used.
	t.Run("directives", func(t *testing.T) {
		c := newDirectiveCase(t)
		config := withNolintlint(t, g.config)
		found := g.runWith(t, c.dir, config, "bidictxlint")
		var want []string
		for _, w := range c.want() {
			if !strings.HasPrefix(w, c.staleNolint+":") {
				want = append(want, w)
			}
		}
		var got []string
		for _, i := range found {
			file, rest, _ := strings.Cut(i, ":")
			line, rest, _ := strings.Cut(rest, ":")
			_, text, _ := strings.Cut(rest, ": ")
			got = append(got, file+":"+line+": "+text)
		}
		checkReported(t, "golangci-lint", got, want)
		unused := g.runWith(t, c.dir, config, "nolintlint")
		if len(unused) != 1 || !strings.HasPrefix(unused[0], c.staleNolint+":") || !strings.Contains(unused[0], "bidictxlint") {
			t.Errorf("nolintlint reports %q, want one issue, at %s, for bidictxlint (and none at %s, whose //nolint is used)", unused, c.staleNolint, c.nolint)
		}
	})

	// An exclusion rule selects a kind by the text's start.
	t.Run("exclusions", func(t *testing.T) {
		data, err := os.ReadFile(g.config)
		if err != nil {
			t.Fatal(err)
		}
		const settings = "  settings:\n    custom:\n"
		if !strings.Contains(string(data), settings) {
			t.Fatalf("%s has no %q", g.config, settings)
		}
		rule := "  exclusions:\n    rules:\n      - linters: [bidictxlint]\n        text: \"^uncancelled-stream:\"\n"
		config := filepath.Join(t.TempDir(), "golangci.yml")
		if err := os.WriteFile(config, []byte(strings.Replace(string(data), settings, rule+settings, 1)), 0o644); err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, d := range standaloneJSON(t, src) {
			if d.Category != "uncancelled-stream" {
				p := parsePosn(t, src, d.Posn)
				want = append(want, fmt.Sprintf("%s:%d:%d: %s: %s", p.file, p.line, p.col, d.Category, d.Message))
			}
		}
		slices.Sort(want)
		if len(want) == 0 || len(want) == len(standalone) {
			t.Fatalf("the example has %d findings, %d of them not uncancelled-stream: the rule would prove nothing", len(standalone), len(want))
		}
		if got := g.runWith(t, src, config, "bidictxlint"); !slices.Equal(got, want) {
			t.Errorf("with an exclusion rule for ^uncancelled-stream:, golangci-lint reports\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	})

	t.Run("fix", func(t *testing.T) {
		dir := copyExample(t, src)
		g.run(t, dir, "--fix")
		after, _ := g.run(t, dir).split()
		if len(after) >= len(standalone) {
			t.Errorf("after --fix, %d findings, want fewer than %d:\n%s", len(after), len(standalone), strings.Join(after, "\n"))
		}
		run(t, dir, "go", []int{0}, "build", "./...")

		// golangci-lint and the standalone command make the same edits.
		want := copyExample(t, src)
		run(t, want, bin, []int{0, 3}, "-fix", "./...")
		for _, f := range goFiles(t, want) {
			w, _ := os.ReadFile(filepath.Join(want, f))
			got, _ := os.ReadFile(filepath.Join(dir, f))
			if string(got) != string(w) {
				t.Errorf("%s after golangci-lint --fix:\n%s\nafter bidictxlint -fix:\n%s", f, got, w)
			}
		}
	})
}

// golangci is the custom golangci-lint binary and its configuration.
type golangci struct{ bin, config string }

// newGolangci builds bin/custom-gcl with the repository's script, or
// reuses it when it is newer than its inputs.
func newGolangci(t *testing.T) golangci {
	t.Helper()
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	g := golangci{
		bin:    filepath.Join(root, "bin", "custom-gcl"),
		config: filepath.Join(root, ".golangci.example.yml"),
	}
	cmd := exec.Command("bash", filepath.Join(root, "scripts", "build-golangci-lint.sh"), g.bin)
	out, err := cmd.CombinedOutput()
	t.Logf("%s", out)
	if err != nil {
		t.Fatalf("scripts/build-golangci-lint.sh: %v", err)
	}
	return g
}

// run runs golangci-lint on ./... in dir with extra args and returns its
// bidictxlint issues as sorted "file:line:col: text" entries, relative to
// dir. Issue caps are lifted, and the cache is private to the test, so
// that every issue of this build of the analyzer shows.
func (g golangci) run(t *testing.T, dir string, args ...string) issues {
	t.Helper()
	return g.runWith(t, dir, g.config, "bidictxlint", args...)
}

// runWith is run with another configuration file, returning the issues
// of another linter.
func (g golangci) runWith(t *testing.T, dir, config, linter string, args ...string) issues {
	t.Helper()
	args = append([]string{"run", "-c", config, "--path-mode=abs",
		"--output.json.path=stdout", "--output.text.path=stderr",
		"--show-stats=false", "--max-issues-per-linter=0", "--max-same-issues=0"}, args...)
	cmd := exec.Command(g.bin, append(args, "./...")...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOLANGCI_LINT_CACHE="+t.TempDir())
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if ee, ok := err.(*exec.ExitError); err != nil && (!ok || ee.ExitCode() != 1) {
		t.Fatalf("custom-gcl %s: %v\n%s", strings.Join(args, " "), err, stderr.String())
	}
	var report struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename     string
				Line, Column int
			}
		}
	}
	if err := json.Unmarshal(out, &report); err != nil {
		t.Fatalf("golangci-lint JSON output: %v\n%.2000s", err, out)
	}
	var is issues
	for _, i := range report.Issues {
		if i.FromLinter != linter {
			continue
		}
		file, err := filepath.Rel(dir, i.Pos.Filename)
		if err != nil {
			t.Fatal(err)
		}
		is = append(is, fmt.Sprintf("%s:%d:%d: %s", filepath.ToSlash(file), i.Pos.Line, i.Pos.Column, i.Text))
	}
	slices.Sort(is)
	return is
}

// withNolintlint writes a copy of the configuration file config with
// golangci-lint's nolintlint enabled too, and returns its path.
func withNolintlint(t *testing.T, config string) string {
	t.Helper()
	data, err := os.ReadFile(config)
	if err != nil {
		t.Fatal(err)
	}
	const enable = "    - bidictxlint\n"
	if !strings.Contains(string(data), enable) {
		t.Fatalf("%s does not enable bidictxlint as %q", config, enable)
	}
	path := filepath.Join(t.TempDir(), "golangci.yml")
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), enable, enable+"    - nolintlint\n", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// standaloneJSON is standalone, for TestGolangciLint, whose list of the
// command's findings is called standalone.
func standaloneJSON(t *testing.T, dir string) []standaloneDiag {
	t.Helper()
	return standalone(t, dir)
}

// withoutKind drops the kind that starts the text of each of
// golangci-lint's issues ("file:line:col: kind: message"), failing the
// test for one that has none.
func withoutKind(t *testing.T, is []string) []string {
	t.Helper()
	var out []string
	for _, i := range is {
		file, rest, _ := strings.Cut(i, ": ")
		kind, msg, ok := strings.Cut(rest, ": ")
		if !ok || kindURL(t, kind) == "" {
			t.Errorf("golangci-lint issue %q does not start with its kind", i)
		}
		out = append(out, file+": "+msg)
	}
	return out
}

// issues are golangci-lint's issues as "file:line:col: text".
type issues []string

// split separates the findings from the related locations, which
// golangci-lint reports as issues of their own.
func (is issues) split() (found, related []string) {
	for _, i := range is {
		if strings.Contains(i, "(related information)") {
			related = append(related, i)
		} else {
			found = append(found, i)
		}
	}
	return found, related
}

// copyExample copies the example module into a temporary directory,
// pointing its replace directive at this checkout.
func copyExample(t *testing.T, src string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "example")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	run(t, dir, "go", []int{0}, "mod", "edit", "-replace=github.com/bidictxlint/bidictxlint="+root)
	return dir
}

// A position is a finding's file (relative to the module) and line.
type position struct {
	file string
	line int
}

func parseFinding(t *testing.T, finding string) position {
	t.Helper()
	var p position
	file, rest, _ := strings.Cut(finding, ":")
	if _, err := fmt.Sscanf(rest, "%d:", &p.line); err != nil {
		t.Fatalf("finding %q: %v", finding, err)
	}
	p.file = file
	return p
}

// appendToLine adds text at the end of line n (1-based) of a file.
func appendToLine(t *testing.T, path string, n int, text string) {
	t.Helper()
	editLines(t, path, func(lines []string) []string {
		lines[n-1] += text
		return lines
	})
}

// insertBeforeFunc inserts a line above the function declaration that
// contains line n, below its doc comment.
func insertBeforeFunc(t *testing.T, path string, n int, text string) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	at := 0
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fset.Position(fd.Pos()).Line <= n && n <= fset.Position(fd.End()).Line {
			at = fset.Position(fd.Pos()).Line
		}
	}
	if at == 0 {
		t.Fatalf("%s:%d is in no function declaration", path, n)
	}
	editLines(t, path, func(lines []string) []string {
		return slices.Insert(lines, at-1, text)
	})
}

func editLines(t *testing.T, path string, edit func([]string) []string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := edit(strings.Split(string(data), "\n"))
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
}

// goFiles lists the Go files under dir, relative to it.
func goFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".go") {
			rel, _ := filepath.Rel(dir, path)
			files = append(files, rel)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}
