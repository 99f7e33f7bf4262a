package e2e

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

// toolDir holds the bidictxlint command built for the test run.
var toolDir string

func TestMain(m *testing.M) {
	flag.Parse()
	// The clients log what they receive; the tests judge by other means.
	log.SetOutput(io.Discard)
	// The tests mostly wait on a silent peer: let more of them wait at once
	// than the default GOMAXPROCS (two on a small machine).
	if !flagSet("test.parallel") {
		flag.Set("test.parallel", "16")
	}
	dir, err := os.MkdirTemp("", "bidictxlint-e2e-tool-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	toolDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

func flagSet(name string) bool {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

var (
	buildToolOnce sync.Once
	toolPath      string
	toolErr       error
)

// buildTool builds the bidictxlint command of the main module (through
// this module's replace directive) once per test run.
func buildTool(t *testing.T) string {
	t.Helper()
	buildToolOnce.Do(func() {
		toolPath = filepath.Join(toolDir, "bidictxlint")
		_, toolErr = goCmd(".", "build", "-o", toolPath, "github.com/bidictxlint/bidictxlint/cmd/bidictxlint")
	})
	if toolErr != nil {
		t.Fatalf("building bidictxlint: %v", toolErr)
	}
	return toolPath
}

// goCmd runs the go command in dir and returns its combined output.
func goCmd(dir string, args ...string) ([]byte, error) {
	return run(dir, "go", args...)
}

// run runs a command in dir, outside any go.work, and returns its
// standard output; the error includes its standard error.
func run(dir, name string, args ...string) ([]byte, error) {
	var stderr bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return out, fmt.Errorf("%s %s: %w\n%s%s", name, strings.Join(args, " "), err, out, stderr.Bytes())
	}
	return out, nil
}
