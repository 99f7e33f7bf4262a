package main_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"

	"github.com/bidictxlint/bidictxlint/internal/gen"
)

// Bad input to the built command: each case must fail with a clear
// message on standard error and a non-zero exit status, and never print
// a Go stack trace.

// fixableSrc has one finding with a suggested fix (docs/fixes.md,
// "Cancel func in scope": the stream's context has a cancel func in scope).
const fixableSrc = `package %s

import (
	"context"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type Msg struct{}

func chat(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err })
	g.Go(func() error { <-gctx.Done(); return nil })
	return g.Wait()
}
`

// badModule writes a module with stub libraries (no network) and files.
func badModule(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "mod")
	if err := gen.WriteModule(dir, "example.com/bad", files); err != nil {
		t.Fatal(err)
	}
	return dir
}

// result is one run of the command.
type result struct {
	code           int
	stdout, stderr string
}

func (r result) String() string {
	return "exit status " + strconv.Itoa(r.code) + "\nstdout:\n" + r.stdout + "\nstderr:\n" + r.stderr
}

// lintCmd runs cmd (already configured) and returns its result.
func lintCmd(t *testing.T, cmd *exec.Cmd) result {
	t.Helper()
	var stdout, stderr strings.Builder
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	r := result{stdout: stdout.String(), stderr: stderr.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		r.code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if crashTrace.MatchString(r.stdout + r.stderr) {
		t.Fatalf("%v: output has a Go stack trace\n%v", cmd.Args, r)
	}
	t.Logf("%v\n%v", cmd.Args[1:], r)
	return r
}

func lintIn(t *testing.T, dir string, args ...string) result {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Dir = dir
	return lintCmd(t, cmd)
}

// wantFailure checks a non-zero exit other than 3 (3 means findings)
// and a message on standard error containing each of msgs.
func wantFailure(t *testing.T, r result, msgs ...string) {
	t.Helper()
	if r.code == 0 || r.code == 3 {
		t.Errorf("exit status %d, want a failure (not 0, not 3: findings)", r.code)
	}
	for _, m := range msgs {
		if !strings.Contains(r.stderr, m) {
			t.Errorf("standard error lacks %q:\n%s", m, r.stderr)
		}
	}
}

func TestBadInputNoPackages(t *testing.T) {
	dir := badModule(t, map[string]string{"p/p.go": "package p\n", "empty/README": "no Go files\n"})
	r := lintIn(t, dir, "./nonexistent/...")
	wantFailure(t, r, "./nonexistent/", "no such file or directory")
	r = lintIn(t, dir, "./empty/...")
	wantFailure(t, r, "matched no packages")
}

func TestBadInputNotAModule(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "p.go"), []byte("package p\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := lintIn(t, dir, "./...")
	wantFailure(t, r, "does not contain main module")
}

func TestBadInputSyntaxError(t *testing.T) {
	dir := badModule(t, map[string]string{"p/p.go": "package p\n\nfunc f( {\n"})
	r := lintIn(t, dir, "./...")
	wantFailure(t, r, "p.go:3:")
	if n := strings.Count(r.stderr, "\n"); n != 1 {
		t.Errorf("%d lines on standard error, want one: the first syntax error", n)
	}
}

func TestBadInputUnknownFlag(t *testing.T) {
	dir := badModule(t, map[string]string{"p/p.go": "package p\n"})
	r := lintIn(t, dir, "-nosuchflag", "./...")
	wantFailure(t, r, "flag provided but not defined: -nosuchflag")
}

// TestBadInputFixReadOnly applies -fix to a module with two fixable
// files, one of them read-only. The command must fail with a clear
// message, and each file must be either unchanged or fully fixed (as
// -fix leaves it when it can write). Root ignores file modes, so as root
// the command runs as user nobody.
func TestBadInputFixReadOnly(t *testing.T) {
	files := map[string]string{
		"p/ro.go": strings.Replace(fixableSrc, "%s", "p", 1),
		"q/rw.go": strings.Replace(fixableSrc, "%s", "q", 1),
	}

	// The fully fixed content, from a writable copy.
	ref := badModule(t, files)
	if r := lintIn(t, ref, "-fix", "./..."); r.code != 0 && r.code != 3 {
		t.Fatalf("-fix on a writable module: %v", r)
	}
	fixed := make(map[string]string)
	for name, src := range files {
		b, err := os.ReadFile(filepath.Join(ref, name))
		if err != nil {
			t.Fatal(err)
		}
		if string(b) == src {
			t.Fatalf("-fix did not change %s: the case needs a fixable finding", name)
		}
		fixed[name] = string(b)
	}

	dir := badModule(t, files)
	ro := filepath.Join(dir, "p", "ro.go")
	if err := os.Chmod(ro, 0o444); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binPath, "-fix", "./...")
	cmd.Dir = dir
	if os.Geteuid() == 0 {
		cmd = asNobody(t, dir, "-fix", "./...")
	}
	r := lintCmd(t, cmd)
	wantFailure(t, r, "ro.go", "permission denied")
	// The summary names the file written and the file not written.
	rw := filepath.Join(dir, "q", "rw.go")
	if want := "bidictxlint: fixed 1 of 2 findings in 1 file (" + rw + "); 1 file not written (" + ro + "); 1 not fixed, printed above"; lastLine(r.stderr) != want {
		t.Errorf("summary %q\nwant %q", lastLine(r.stderr), want)
	}

	for name, src := range files {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		switch string(b) {
		case src:
			t.Logf("%s: unchanged", name)
		case fixed[name]:
			t.Logf("%s: fully fixed", name)
		default:
			t.Errorf("%s is half-written after -fix:\n%s", name, b)
		}
	}
	if b, _ := os.ReadFile(ro); string(b) != files["p/ro.go"] {
		t.Errorf("the read-only file changed")
	}
}

// asNobody returns a command that runs a copy of the built command as
// user nobody in dir, with a Go build cache of its own, no network.
func asNobody(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	const nobody = 65534
	base := t.TempDir()
	home := filepath.Join(base, "home")
	bin := filepath.Join(base, "bidictxlint")
	b, err := os.ReadFile(binPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(bin, b, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(home, 0o777); err != nil {
		t.Fatal(err)
	}
	// nobody must reach the module (t.TempDir makes 0700 directories)
	// and write the module's writable file and its own home.
	for _, d := range []string{filepath.Dir(filepath.Dir(dir)), filepath.Dir(dir), filepath.Dir(base), base} {
		os.Chmod(d, 0o755)
	}
	os.Chmod(home, 0o777)
	filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil {
			// The module is nobody's, as a user's checkout is the user's.
			os.Lchown(p, nobody, nobody)
			if d.IsDir() {
				os.Chmod(p, 0o777)
			} else if info, _ := d.Info(); info != nil && info.Mode().Perm() != 0o444 {
				os.Chmod(p, 0o666)
			}
		}
		return nil
	})
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"HOME="+home,
		"GOCACHE="+filepath.Join(home, "cache"),
		"GOPATH="+filepath.Join(home, "gopath"),
		"GOMODCACHE="+filepath.Join(home, "gopath", "pkg", "mod"),
		"GOPROXY=off",
		"GOTOOLCHAIN=local",
		"GOFLAGS=-mod=mod",
	)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	return cmd
}

// TestBadInputPartialLoad lints a module where one package does not
// type-check, one imports it (so it is typed only in part) and one loads
// fine, each with a finding: the exit status must be 1 (packages failed
// to load), not 3, each load error must be printed once, and the
// findings in the typed spots must still be printed.
func TestBadInputPartialLoad(t *testing.T) {
	broken := "package broken\n\nfunc F() int { return undefinedName }\n\nfunc G() string { return 1 }\n"
	// user imports broken and uses it, and has a finding of its own in a
	// function whose types are complete.
	user := strings.Replace(fixableSrc, "%s", "user", 1)
	user = strings.Replace(user, "\t\"golang.org/x/sync/errgroup\"\n", "\t\"golang.org/x/sync/errgroup\"\n\n\t\"example.com/bad/broken\"\n", 1)
	user += "\nvar _ = broken.F()\n"
	dir := badModule(t, map[string]string{
		"broken/broken.go":      broken,
		"broken/broken_test.go": "package broken\n\nimport \"testing\"\n\nfunc TestF(t *testing.T) { _ = F() }\n",
		"user/user.go":          user,
		"good/good.go":          strings.Replace(fixableSrc, "%s", "good", 1),
	})
	loadErrs := []string{"broken.go:3:", "broken.go:5:"}
	findings := []string{filepath.Join("user", "user.go") + ":19:", filepath.Join("good", "good.go") + ":17:"}
	for _, args := range [][]string{{"./..."}, {"-test=false", "./..."}, {"./good", "./broken", "./user"}} {
		r := lintIn(t, dir, args...)
		if r.code != 1 {
			t.Errorf("%v: exit status %d, want 1 (some packages failed to load)", args, r.code)
		}
		for _, e := range loadErrs {
			if n := strings.Count(r.stderr, e); n != 1 {
				t.Errorf("%v: load error %q printed %d times, want once:\n%s", args, e, n, r.stderr)
			}
		}
		for _, f := range findings {
			if !strings.Contains(r.stderr, f) {
				t.Errorf("%v: finding at %q not printed:\n%s", args, f, r.stderr)
			}
		}
	}
}
