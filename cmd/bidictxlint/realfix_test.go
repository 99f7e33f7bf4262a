package main_test

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestFixRealModules applies every suggested fix to a copy of the
// real-module catalogue (testdata/real: connect-go v1 and v2, grpc-go,
// x/sync) with the built command, then checks that the result builds,
// passes go vet, is gofmt-clean, and that a second run reports exactly
// the diagnostics that had no fix.
func TestFixRealModules(t *testing.T) {
	bin := buildCommand(t)
	src, err := filepath.Abs("../../testdata/real")
	if err != nil {
		t.Fatal(err)
	}
	downloadModules(t, src)
	dir := filepath.Join(t.TempDir(), "mod")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}

	before := lintJSON(t, bin, dir)
	var fixable, unfixable []string
	for _, d := range before {
		if len(d.SuggestedFixes) > 0 {
			fixable = append(fixable, d.key())
		} else {
			unfixable = append(unfixable, d.key())
		}
	}
	if len(fixable) == 0 {
		t.Fatal("no diagnostic in testdata/real has a suggested fix")
	}

	run(t, dir, bin, []int{0, 3}, "-fix", "./...")
	run(t, dir, "go", []int{0}, "build", "./...")
	run(t, dir, "go", []int{0}, "vet", "./...")
	if out := run(t, dir, "gofmt", []int{0}, "-l", "."); strings.TrimSpace(out) != "" {
		t.Errorf("gofmt -l after -fix lists files:\n%s", out)
	}

	var after []string
	for _, d := range lintJSON(t, bin, dir) {
		after = append(after, d.key())
	}
	unfixable = slices.DeleteFunc(unfixable, func(k string) bool { return slices.Contains(resolvedByAnotherFix, k) })
	slices.Sort(after)
	slices.Sort(unfixable)
	if !slices.Equal(after, unfixable) {
		t.Errorf("second run after -fix:\n got %d diagnostics: %q\nwant the %d without a fix: %q", len(after), after, len(unfixable), unfixable)
	}
	t.Logf("%d diagnostics fixed, %d reported without a fix", len(fixable), len(unfixable))
}

// resolvedByAnotherFix are the diagnostics without a fix of their own
// that another diagnostic's fix resolves. None today: a reader task that
// gets the stream over a channel (fixshared.go's overChannel) is traced
// to the opener's stream, so the two share one diagnostic and one fix.
var resolvedByAnotherFix []string

// A jsonDiag is one diagnostic of the -json output.
type jsonDiag struct {
	Posn           string            `json:"posn"`
	Message        string            `json:"message"`
	SuggestedFixes []json.RawMessage `json:"suggested_fixes"`
}

// key identifies a diagnostic across edits that move lines: its file and
// message.
func (d jsonDiag) key() string {
	file, _, _ := strings.Cut(d.Posn, ":")
	return filepath.Base(file) + ": " + d.Message
}

// lintJSON runs the command with -json in dir and returns the
// bidictxlint diagnostics of every package, without duplicates from
// test variants of a package.
func lintJSON(t *testing.T, bin, dir string) []jsonDiag {
	t.Helper()
	out := run(t, dir, bin, []int{0, 3}, "-json", "./...")
	return uniqueDiagnostics(jsonDiagnostics[jsonDiag](t, out), func(d jsonDiag) string { return d.Posn + d.Message })
}

// jsonDiagnostics decodes the command's -json output into each package's
// bidictxlint diagnostics. An analysis error in place of a package's
// diagnostics fails the test.
func jsonDiagnostics[T any](t *testing.T, out string) map[string][]T {
	t.Helper()
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(out), &tree); err != nil {
		t.Fatalf("-json output is not JSON: %v\n%s", err, tail(out, 20))
	}
	byPkg := make(map[string][]T)
	for id, byAnalyzer := range tree {
		raw, ok := byAnalyzer["bidictxlint"]
		if !ok {
			continue
		}
		if !strings.HasPrefix(strings.TrimSpace(string(raw)), "[") { // {"error": ...}
			t.Errorf("%s: analysis error: %s", id, raw)
			continue
		}
		var ds []T
		if err := json.Unmarshal(raw, &ds); err != nil {
			t.Fatalf("%s: %v: %s", id, err, raw)
		}
		byPkg[id] = ds
	}
	return byPkg
}

// uniqueDiagnostics returns the diagnostics of all packages, each once by
// key: a package and its test variant report the same ones.
func uniqueDiagnostics[T any](byPkg map[string][]T, key func(T) string) []T {
	seen := make(map[string]bool)
	var diags []T
	for _, ds := range byPkg {
		for _, d := range ds {
			if k := key(d); !seen[k] {
				seen[k] = true
				diags = append(diags, d)
			}
		}
	}
	return diags
}

// run runs name with args in dir, fails the test unless the exit status
// is one of codes, and returns standard output.
func run(t *testing.T, dir, name string, codes []int, args ...string) string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	if !slices.Contains(codes, code) {
		t.Fatalf("%s %v in %s: exit status %d, want one of %v\nstdout:\n%s\nstderr:\n%s", name, args, dir, code, codes, out, stderr.String())
	}
	return string(out)
}

// binPath is the command built once for all tests by TestMain.
var binPath string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "bidictxlint-test")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binPath = filepath.Join(dir, "bidictxlint")
	if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the command: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// buildCommand returns the path of the command built for the tests.
func buildCommand(t *testing.T) string {
	t.Helper()
	return binPath
}

// downloadModules makes sure the modules a test module needs are in the
// module cache (from the module proxy on a fresh machine).
func downloadModules(t *testing.T, dir string) {
	t.Helper()
	run(t, dir, "go", []int{0}, "mod", "download")
}
