package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// corpusModules are real modules the command must get through: it must
// not crash, and must report only in packages that use a stream library.
var corpusModules = []string{
	"google.golang.org/grpc@v1.85.0",
	"connectrpc.com/connect@v1.21.1",
}

// streamLibs are the import paths whose users can have findings.
var streamLibs = []string{"google.golang.org/grpc", "connectrpc.com/connect"}

// crashTrace matches what a Go panic or fatal error prints.
var crashTrace = regexp.MustCompile(`(?m)(^|\s)(panic: |fatal error: |goroutine \d+ \[)|\bpanic\(|internal error: panic|runtime/debug\.Stack`)

func corpusEnabled(t *testing.T) {
	t.Helper()
	if os.Getenv("BIDICTXLINT_CORPUS") != "1" {
		t.Skip("corpus test skipped: set BIDICTXLINT_CORPUS=1 to lint std and copies of grpc-go and connect-go (slow, needs the module proxy or a warm module cache)")
	}
}

// TestCorpusStd lints the standard library (std, with tests): exit
// status 0, no crash, and nothing reported (std uses no stream library
// and no errgroup).
func TestCorpusStd(t *testing.T) {
	corpusEnabled(t)
	out, code := lintCorpus(t, t.TempDir(), "std")
	checkNoCrash(t, "std", out)
	if code != 0 {
		t.Errorf("bidictxlint std: exit status %d, want 0\n%s", code, tail(out, 40))
	}
}

// TestCorpusModules lints copies of grpc-go and connect-go (./..., with
// tests): exit status 0 or 3, no crash, and findings only in packages
// that import a stream library (directly or not) or belong to one.
func TestCorpusModules(t *testing.T) {
	corpusEnabled(t)
	for _, m := range corpusModules {
		t.Run(filepath.Base(strings.Split(m, "@")[0]), func(t *testing.T) {
			dir := copyModule(t, m)
			out, code := lintCorpus(t, dir, "./...")
			checkNoCrash(t, m, out)
			if code != 0 && code != 3 {
				t.Fatalf("bidictxlint ./... in %s: exit status %d, want 0 or 3\n%s", m, code, tail(out, 40))
			}
			users := streamUsers(t, dir)
			jsonOut := run(t, dir, binPath, []int{0, 3}, "-json", "./...")
			checkNoCrash(t, m+" -json", jsonOut)
			n := 0
			for id, ds := range jsonDiagnostics[jsonDiag](t, jsonOut) {
				pkg, _, _ := strings.Cut(id, " ")
				pkg = strings.TrimSuffix(pkg, "_test")
				if len(ds) > 0 && !users[pkg] {
					t.Errorf("%s uses no stream library but has %d findings, first: %s: %s", id, len(ds), ds[0].Posn, ds[0].Message)
				}
				n += len(ds)
			}
			t.Logf("%s: exit status %d, %d findings", m, code, n)
		})
	}
}

// lintCorpus runs the command with patterns in dir and returns its
// combined output and exit status.
func lintCorpus(t *testing.T, dir string, patterns ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(binPath, patterns...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return string(out), code
}

func checkNoCrash(t *testing.T, what, out string) {
	t.Helper()
	if crashTrace.MatchString(out) {
		t.Fatalf("%s: output has a crash trace:\n%s", what, tail(out, 60))
	}
}

// copyModule copies module m (path@version) from the module cache into a
// writable temporary directory and downloads its dependencies.
func copyModule(t *testing.T, m string) string {
	t.Helper()
	dir := copyModuleFiles(t, m)
	downloadModules(t, dir)
	return dir
}

// copyModuleFiles copies module m (path@version) from the module cache
// into a writable temporary directory; the go command fetches what the
// packages loaded there import.
func copyModuleFiles(t *testing.T, m string) string {
	t.Helper()
	dl := exec.Command("go", "mod", "download", "-json", m)
	dl.Dir = t.TempDir() // outside any module
	out, err := dl.Output()
	if err != nil {
		t.Fatalf("go mod download %s: %v\n%s", m, err, out)
	}
	var info struct{ Dir, Error string }
	if err := json.Unmarshal(out, &info); err != nil || info.Dir == "" {
		t.Fatalf("go mod download %s: %v %s\n%s", m, err, info.Error, out)
	}
	dir := filepath.Join(t.TempDir(), "mod")
	if err := os.CopyFS(dir, os.DirFS(info.Dir)); err != nil {
		t.Fatal(err)
	}
	// Files from the module cache are read-only: make the copy writable
	// so that the test's cleanup can remove it.
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil {
			mode := os.FileMode(0o644)
			if d.IsDir() {
				mode = 0o755
			}
			os.Chmod(p, mode)
		}
		return nil
	})
	return dir
}

// streamUsers returns the packages of the module in dir (with tests) that
// belong to a stream library or depend on one.
func streamUsers(t *testing.T, dir string) map[string]bool {
	t.Helper()
	out := run(t, dir, "go", []int{0}, "list", "-e", "-test", "-deps=false", "-f", `{{.ImportPath}}{{range .Deps}} {{.}}{{end}}`, "./...")
	users := make(map[string]bool)
	for line := range strings.Lines(out) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			continue
		}
		pkg, _, _ := strings.Cut(fields[0], " ")
		uses := false
		for _, f := range fields {
			for _, lib := range streamLibs {
				if f == lib || strings.HasPrefix(f, lib+"/") {
					uses = true
				}
			}
		}
		if uses {
			users[strings.TrimSuffix(pkg, "_test")] = true
		}
	}
	return users
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
