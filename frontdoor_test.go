package bidictxlint_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/mod/module"
	modzip "golang.org/x/mod/zip"
)

// The tests in this file follow the README as a newcomer would, on a
// module of their own that the test writes: install from this checkout
// and get a report, pin the checkout as a tool of that module, and run
// the CI step on a pinned version. The commands are the README's
// snippets, read from it, with its placeholders replaced.

const modulePath = "github.com/bidictxlint/bidictxlint"

// userGoMod is the newcomer's module: a connect-go v1 client, at the
// versions the example module uses, whose go.sum the test copies.
const userGoMod = `module example.com/chat

go 1.26.0

require (
	connectrpc.com/connect v1.21.1
	golang.org/x/sync v0.24.0
	google.golang.org/protobuf v1.36.12
)
`

// userChat has the bug: when the send task fails, Receive keeps waiting.
const userChat = `package chat

import (
	"context"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

type Msg = wrapperspb.StringValue

func Chat(ctx context.Context, client *connect.Client[Msg, Msg], lines <-chan string) error {
	stream := client.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			if _, err := stream.Receive(); err != nil {
				return err
			}
		}
	})
	g.Go(func() error {
		for {
			select {
			case <-gctx.Done():
				return gctx.Err()
			case line := <-lines:
				if err := stream.Send(wrapperspb.String(line)); err != nil {
					return err
				}
			}
		}
	})
	return g.Wait()
}
`

// finding is how the report on userChat starts.
const finding = "chat/chat.go:18:17: stream.Receive can block forever in an errgroup task"

// writeUserModule writes the newcomer's module and returns its directory.
func writeUserModule(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "chat")
	sum, err := os.ReadFile("example/go.sum")
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"go.mod": userGoMod, "go.sum": string(sum), "chat/chat.go": userChat} {
		file := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// readmeSnippet returns a snippet of the README.
func readmeSnippet(t *testing.T, name string) string {
	t.Helper()
	s, ok := (parsed{}).get(t, "README.md").Snippets[name]
	if !ok {
		t.Fatalf("README.md has no snippet %q", name)
	}
	return s
}

// env returns the environment with vars, "KEY=value", set: os/exec
// uses the last value of a key.
func env(vars ...string) []string {
	return append(os.Environ(), vars...)
}

// shell runs script with bash -e in dir and returns its combined output
// and exit status.
func shell(t *testing.T, dir, script string, environ []string) (string, int) {
	t.Helper()
	cmd := exec.Command("bash", "-e", "-c", script)
	cmd.Dir = dir
	cmd.Env = environ
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit):
		return string(out), exit.ExitCode()
	}
	t.Fatalf("bash: %v\n%s", err, out)
	return "", 0
}

// wantRun checks a run's exit status and that its output has want.
func wantRun(t *testing.T, what, out string, code, wantCode int, want string) {
	t.Helper()
	if code != wantCode || !strings.Contains(out, want) {
		t.Fatalf("%s: exit status %d, want %d with %q in the output:\n%s", what, code, wantCode, want, out)
	}
}

// fixAndRecheck applies the fixes with the installed command, then checks
// that the module builds and that check, the README's step, passes.
func fixAndRecheck(t *testing.T, dir, bin string, environ []string, check func() (string, int)) {
	t.Helper()
	before, err := os.ReadFile(filepath.Join(dir, "chat", "chat.go"))
	if err != nil {
		t.Fatal(err)
	}
	if out, code := shell(t, dir, bin+" -fix ./...", environ); code != 0 && code != 3 {
		t.Fatalf("bidictxlint -fix ./...: exit status %d\n%s", code, out)
	}
	after, err := os.ReadFile(filepath.Join(dir, "chat", "chat.go"))
	if err != nil {
		t.Fatal(err)
	}
	if want := "_ = stream.CloseResponse()"; string(after) == string(before) || !strings.Contains(string(after), want) {
		t.Fatalf("bidictxlint -fix ./... did not add %s:\n%s", want, after)
	}
	if out, code := shell(t, dir, "go build ./...", environ); code != 0 {
		t.Fatalf("go build after -fix: exit status %d\n%s", code, out)
	}
	out, code := check()
	wantRun(t, "the same step after -fix", out, code, 0, "")
}

// TestFrontDoorCheckout installs the command from the checkout as the
// README says (the clone is this checkout: its git clone and cd lines
// are not run) and runs it on the newcomer's module: it reports the bug
// with exit status 3, and nothing once the fix is applied.
func TestFrontDoorCheckout(t *testing.T) {
	var install []string
	for line := range strings.Lines(readmeSnippet(t, "install-checkout")) {
		if strings.HasPrefix(line, "git clone ") || strings.HasPrefix(line, "cd ") {
			continue
		}
		install = append(install, line)
	}
	if len(install) == 0 {
		t.Fatal("the README's install-checkout snippet installs nothing")
	}
	gobin := t.TempDir()
	environ := env("GOBIN=" + gobin)
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	if out, code := shell(t, root, strings.Join(install, ""), environ); code != 0 {
		t.Fatalf("%s: exit status %d\n%s", strings.Join(install, ""), code, out)
	}
	bin := filepath.Join(gobin, "bidictxlint")
	dir := writeUserModule(t)
	check := func() (string, int) { return shell(t, dir, bin+" ./...", environ) }
	out, code := check()
	wantRun(t, "bidictxlint ./...", out, code, 3, finding)
	fixAndRecheck(t, dir, bin, environ, check)
}

// TestFrontDoorTool pins the checkout as a tool of the newcomer's module
// with the README's commands, placeholders replaced: `go tool
// bidictxlint ./...` reports the bug with exit status 3.
func TestFrontDoorTool(t *testing.T) {
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dir := writeUserModule(t)
	script := readmeSnippet(t, "install-tool")
	for _, ph := range []string{"/path/to/your/module", "/path/to/bidictxlint"} {
		if !strings.Contains(script, ph) {
			t.Fatalf("the README's install-tool snippet has no %s:\n%s", ph, script)
		}
	}
	script = strings.NewReplacer("/path/to/your/module", dir, "/path/to/bidictxlint", root).Replace(script)
	out, code := shell(t, dir, script, os.Environ())
	wantRun(t, "the README's install-tool snippet", out, code, 3, finding)
	gomod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(gomod), "tool "+modulePath+"/cmd/bidictxlint") {
		t.Fatalf("go.mod declares no tool:\n%s", gomod)
	}
}

// TestFrontDoorCI runs the README's CI shell step on the newcomer's
// module, with this checkout served as the version the step pins from a
// module proxy in a directory (file://), and the other modules from the
// module cache's downloads, in a module cache of its own, so that the
// version served here never reaches the real one. The step installs
// that version (the binary's build info says so), fails on the bug with
// exit status 3, and passes once the fixes are applied.
func TestFrontDoorCI(t *testing.T) {
	step := readmeSnippet(t, "ci-shell")
	m := regexp.MustCompile(`go install ` + regexp.QuoteMeta(modulePath) + `/cmd/bidictxlint@(v\d+\.\d+\.\d+)\n`).FindStringSubmatch(step)
	if m == nil {
		t.Fatalf("the README's CI step installs no pinned version:\n%s", step)
	}
	version := m[1]
	cache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatal(err)
	}
	downloads := filepath.Join(strings.TrimSpace(string(cache)), "cache", "download")
	proxy := serveCheckout(t, version)
	gopath := t.TempDir()
	environ := env(
		"GOPATH="+gopath,
		"GOMODCACHE="+filepath.Join(gopath, "pkg", "mod"),
		"GOBIN=",
		"GOFLAGS=-modcacherw",
		"GOPROXY=file://"+filepath.ToSlash(proxy)+",file://"+filepath.ToSlash(downloads),
		// The checksum database is out of reach behind file:// proxies;
		// every module here comes from this checkout or from the module
		// cache, whose downloads were verified when they were made.
		"GOSUMDB=off",
		"GOTOOLCHAIN=local",
	)
	dir := writeUserModule(t)
	// What the file:// proxy of the module cache must hold: the modules
	// of the checkout and of the newcomer's module, fetched as usual.
	for _, d := range []string{".", dir} {
		if out, code := shell(t, d, "go mod download", os.Environ()); code != 0 {
			t.Fatalf("go mod download in %s: exit status %d\n%s", d, code, out)
		}
	}
	check := func() (string, int) { return shell(t, dir, step, environ) }
	out, code := check()
	wantRun(t, "the README's CI step", out, code, 3, finding)

	bin := filepath.Join(gopath, "bin", "bidictxlint")
	info, err := exec.Command("go", "version", "-m", bin).Output()
	if err != nil {
		t.Fatal(err)
	}
	if want := "\tmod\t" + modulePath + "\t" + version + "\t"; !strings.Contains(string(info), want) {
		t.Fatalf("the installed command was not built from %s %s:\n%s", modulePath, version, info)
	}
	fixAndRecheck(t, dir, bin, environ, check)
}

// serveCheckout writes a module proxy directory that serves the
// checkout's main module as version, and returns it.
func serveCheckout(t *testing.T, version string) string {
	t.Helper()
	root, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	files, err := checkoutFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	if err := modzip.Create(&z, module.Version{Path: modulePath, Version: version}, files); err != nil {
		t.Fatal(err)
	}
	if _, err := zip.NewReader(bytes.NewReader(z.Bytes()), int64(z.Len())); err != nil {
		t.Fatal(err)
	}
	gomod, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	info, err := json.Marshal(struct {
		Version string
		Time    time.Time
	}{version, time.Now().UTC().Truncate(time.Second)})
	if err != nil {
		t.Fatal(err)
	}
	proxy := t.TempDir()
	dir := filepath.Join(proxy, filepath.FromSlash(modulePath), "@v")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"list":            []byte(version + "\n"),
		version + ".info": info,
		version + ".mod":  gomod,
		version + ".zip":  z.Bytes(),
	} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return proxy
}

// checkoutFiles lists the files of the checkout that a release of the
// main module holds: not .git, not what .gitignore names (bin/, built
// binaries, benchmark output), not the nested modules.
func checkoutFiles(root string) ([]modzip.File, error) {
	var files []modzip.File
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel := filepath.ToSlash(strings.TrimPrefix(strings.TrimPrefix(p, root), string(filepath.Separator)))
		name := d.Name()
		if d.IsDir() {
			if rel == ".git" || rel == "bin" || rel == "bench/out" {
				return filepath.SkipDir
			}
			if rel != "" {
				if _, err := os.Stat(filepath.Join(p, "go.mod")); err == nil {
					return filepath.SkipDir
				}
			}
			return nil
		}
		if rel == ".git" || rel == "bidictxlint" || strings.HasSuffix(name, ".test") || strings.HasSuffix(name, ".out") {
			return nil
		}
		files = append(files, checkoutFile{path: rel, file: p})
		return nil
	})
	return files, err
}

// A checkoutFile is a file of the checkout, for modzip.Create.
type checkoutFile struct{ path, file string }

func (f checkoutFile) Path() string                 { return f.path }
func (f checkoutFile) Lstat() (fs.FileInfo, error)  { return os.Lstat(f.file) }
func (f checkoutFile) Open() (io.ReadCloser, error) { return os.Open(f.file) }
