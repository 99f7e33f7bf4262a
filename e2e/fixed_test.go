package e2e

import (
	"bytes"
	"encoding/json"
	"go/format"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bidictxlint/bidictxlint/e2e/scenario"
)

// fixEnv selects how TestFixedClientsReturn fixes the clients:
//
//	BIDICTXLINT_E2E_FIX=tool  bidictxlint -fix ./clients/... on a copy of this module (default)
//	BIDICTXLINT_E2E_FIX=hand  the hand-written fixed subpackages
const fixEnv = "BIDICTXLINT_E2E_FIX"

// TestFixedClientsReturn copies this module to a temporary directory,
// fixes the clients there, builds cmd/prove from the copy and runs every
// case: once the failing task has returned, g.Wait returns its error
// within prompt, with no goroutine left in the client and no stream held
// at the server. In the run in which nothing fails, every fixed client
// delivers exactly what its original delivers (checkDelivers).
func TestFixedClientsReturn(t *testing.T) {
	dir := copyModule(t)
	variant := scenario.Original
	switch mode := os.Getenv(fixEnv); mode {
	case "", "tool":
		applyToolFix(t, dir)
	case "hand":
		variant = scenario.HandFixed
	default:
		t.Fatalf("%s=%q: want tool or hand", fixEnv, mode)
	}
	prove := filepath.Join(t.TempDir(), "prove")
	args := []string{"build", "-o", prove}
	if raceEnabled {
		args = append(args, "-race")
	}
	if _, err := goCmd(dir, append(args, "./cmd/prove")...); err != nil {
		t.Fatalf("building the fixed clients: %v", err)
	}
	for _, c := range slices.Concat(scenario.Cases, scenario.Leaks) {
		v := variant
		if c.NoFix() != "" {
			v = scenario.HandFixed // the tool left it as it is: prove the hand-written cure
		}
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			checkReturns(t, dir, prove, c.Name, "-variant", string(v))
		})
		t.Run(c.Name+"/success", func(t *testing.T) {
			t.Parallel()
			checkDelivers(t, dir, prove, c, v)
		})
	}
	if variant != scenario.Original {
		return
	}
	// The tool's fix also closes a connect-go bidi stream, which frees a
	// Receive that cancelling alone does not once the peer has answered
	// (TestFixGapOnceAnswered): run the bidi cases against such a peer.
	for _, c := range slices.Concat(scenario.Cases, scenario.Leaks) {
		if !c.Bidi() {
			continue
		}
		args := []string{"-greeting"}
		if c.NoFix() != "" {
			args = append(args, "-variant", string(scenario.HandFixed))
		}
		t.Run(c.Name+"/answered", func(t *testing.T) {
			t.Parallel()
			checkReturns(t, dir, prove, c.Name, args...)
		})
	}
}

// checkReturns runs one case with the prove binary built from the fixed
// copy in dir and checks that Wait returned the task's error promptly.
func checkReturns(t *testing.T, dir, prove, name string, flags ...string) {
	t.Helper()
	out, err := run(dir, prove, append([]string{"-case", name, "-bound", hangBound.String()}, flags...)...)
	if err != nil {
		t.Fatal(err)
	}
	var r scenario.Result
	if err := json.Unmarshal(out, &r); err != nil {
		t.Fatalf("prove output %q: %v", out, err)
	}
	checkPrompt(t, r)
}

// checkPrompt fails t unless Run returned the task's error within prompt
// of its failure and left nothing behind.
func checkPrompt(t *testing.T, r scenario.Result) {
	t.Helper()
	t.Log(r)
	switch {
	case r.Problem != "":
		t.Fatal(r.Problem)
	case !r.Returned:
		t.Fatalf("Wait did not return within %v of the task's failure: the fix does not work", hangBound)
	case r.Latency > prompt:
		t.Errorf("Wait returned %v after the task failed, want within %v", r.Latency, prompt)
	}
	checkClean(t, r)
}

// applyToolFix runs bidictxlint -fix ./clients/... in dir (the handlers
// package holds server findings that have no fix) and checks what the
// project's fix rules ask of the result: every client changed, gofmt-clean, no
// defer piling up in a loop, and a second run reports nothing. (The build
// is checked by the caller.) It logs where the tool's fix differs from the
// hand-written one.
func applyToolFix(t *testing.T, dir string) {
	tool := buildTool(t)
	before := map[string][]byte{}
	for _, c := range slices.Concat(scenario.Cases, scenario.Leaks) {
		before[c.Name] = readClient(t, dir, c.Name, "")
	}
	if out, err := run(dir, tool, "-fix", "./clients/..."); err != nil {
		t.Logf("bidictxlint -fix: %v", err) // reports findings through its exit code
	} else if len(out) > 0 {
		t.Logf("bidictxlint -fix:\n%s", out)
	}
	var fixable []string
	for _, c := range slices.Concat(scenario.Cases, scenario.Leaks) {
		after := readClient(t, dir, c.Name, "")
		if c.NoFix() != "" {
			if !bytes.Equal(after, before[c.Name]) {
				t.Errorf("%s: bidictxlint -fix changed a client it has no safe fix for (%s):\n%s", c.Name, c.NoFix(), after)
			}
			continue
		}
		fixable = append(fixable, "./clients/"+c.Name)
		if bytes.Equal(after, before[c.Name]) {
			t.Errorf("%s: bidictxlint -fix left the client unchanged", c.Name)
			continue
		}
		if formatted, err := format.Source(after); err != nil || !bytes.Equal(formatted, after) {
			t.Errorf("%s: the fixed client is not gofmt-clean (%v):\n%s", c.Name, err, after)
		}
		checkNoPileUp(t, c.Name, after)
		if hand := readClient(t, dir, c.Name, "fixed"); !bytes.Equal(body(after), body(hand)) {
			t.Logf("%s: the tool's fix differs from the hand-written one:\n%s", c.Name, after)
		}
	}
	if out, err := run(dir, tool, fixable...); err != nil || len(out) > 0 {
		t.Errorf("a second bidictxlint run after -fix reports findings (%v):\n%s", err, out)
	}
}

// readClient reads client.go of a case (or of its subpackage sub) in dir.
func readClient(t *testing.T, dir, name, sub string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(dir, "clients", filepath.FromSlash(name), sub, "client.go"))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// body is a client's source after its package clause, so that a package
// and its fixed subpackage compare equal when their code is.
func body(src []byte) []byte {
	if _, after, ok := bytes.Cut(src, []byte("\nimport")); ok {
		return after
	}
	return src
}

// copyModule copies this module, without its tests, to a temporary
// directory, pointing its replace directive at the main module.
func copyModule(t *testing.T) string {
	t.Helper()
	src, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	dst := filepath.Join(t.TempDir(), "e2e")
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			if rel != "." && strings.HasPrefix(d.Name(), ".") {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dst, rel), 0o755)
		}
		if strings.HasSuffix(path, "_test.go") {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if rel == "go.mod" {
			data = bytes.ReplaceAll(data, []byte("=> ../"), []byte("=> "+filepath.Dir(src)))
		}
		return os.WriteFile(filepath.Join(dst, rel), data, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}
