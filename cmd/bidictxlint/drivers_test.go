package main_test

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// exampleDir is the bundled example module, which has the bug in four
// packages (connect-go v1, v1 written the way usually called correct, v2,
// grpc-go) and the fixed clients.
func exampleDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs("../../example")
	if err != nil {
		t.Fatal(err)
	}
	downloadModules(t, dir)
	return dir
}

// wantExample is what the command must report on the example module:
// file, line and the start of the message.
var wantExample = []string{
	"chat/connectv1/chat.go:22: stream.Receive can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is",
	"chat/connectv1correct/chat.go:26: stream.Receive can block forever in an errgroup task: on a connect-go bidi stream, cancelling ctx does not free a pending Receive once the server has answered",
	"chat/connectv2/chat.go:24: stream.Receive can block forever in an errgroup task: the stream was opened with ctx before ctx became the group's context",
	"chat/grpcgo/chat.go:21: stream.Recv can block forever in an errgroup task (in printReplies): the stream's context ctx is not cancelled when the group's context is",
	"chat/pump/chat.go:30: stream.Receive in this goroutine outlives Chat: on a connect-go bidi stream whose server has answered, cancelling ctx frees no pending Receive",
	"chat/waitgroup/chat.go:29: stream.Receive can block forever in a sync.WaitGroup goroutine: on a connect-go bidi stream, cancelling ctx does not free a pending Receive once the server has answered",
}

// diagLine matches "path:line:col: message" as the checker and go vet
// print them.
var diagLine = regexp.MustCompile(`^(.+\.go):(\d+):(\d+): (.*)$`)

// findings turns text output into sorted "rel/path.go:line:col: message"
// entries, relative to dir, dropping the indented related-location lines.
func findings(t *testing.T, dir, out string) []string {
	t.Helper()
	var fs []string
	for line := range strings.Lines(out) {
		m := diagLine.FindStringSubmatch(strings.TrimRight(line, "\n"))
		if m == nil || strings.HasPrefix(m[4], "\t") {
			continue
		}
		path := m[1]
		if filepath.IsAbs(path) {
			if rel, err := filepath.Rel(dir, path); err == nil {
				path = rel
			}
		}
		fs = append(fs, filepath.ToSlash(strings.TrimPrefix(path, "./"))+":"+m[2]+":"+m[3]+": "+m[4])
	}
	slices.Sort(fs)
	return fs
}

// TestPlainOutput runs the command on the example module: exit status 3
// and one line per bug, naming the stream, the method and the contexts.
func TestPlainOutput(t *testing.T) {
	bin := buildCommand(t)
	dir := exampleDir(t)
	cmd := exec.Command(bin, "./...")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Fatalf("exit: %v, want status 3\n%s", err, out)
	}
	got := findings(t, dir, string(out))
	if len(got) != len(wantExample) {
		t.Fatalf("got %d diagnostics, want %d:\n%s", len(got), len(wantExample), strings.Join(got, "\n"))
	}
	for i, want := range wantExample {
		file, msg, _ := strings.Cut(want, ": ")
		if !strings.HasPrefix(got[i], file+":") || !strings.Contains(got[i], msg) {
			t.Errorf("diagnostic %d = %q\nwant %q", i, got[i], want)
		}
	}
	// The report ends with the page of each kind it printed, once.
	for _, kind := range []string{"uncancelled-stream", "bidi-needs-close", "reassigned-context", "goroutine-leak"} {
		line := "bidictxlint: " + kind + ": https://github.com/bidictxlint/bidictxlint/blob/main/docs/checks.md#" + kind + "\n"
		if strings.Count(string(out), line) != 1 {
			t.Errorf("output does not end with one line %q:\n%s", line, out)
		}
	}
	for _, rel := range []string{"opened here", "created here"} {
		if !strings.Contains(string(out), rel) {
			t.Errorf("output lacks the related location %q:\n%s", rel, out)
		}
	}
}

// TestJSONOutput checks -json: valid JSON, the same findings, each with
// one suggested fix titled as docs/fixes.md says, and exit status 0.
func TestJSONOutput(t *testing.T) {
	bin := buildCommand(t)
	dir := exampleDir(t)
	diags := lintJSON(t, bin, dir)
	if len(diags) != len(wantExample) {
		t.Fatalf("got %d diagnostics in -json, want %d: %+v", len(diags), len(wantExample), diags)
	}
	for _, d := range diags {
		if len(d.SuggestedFixes) != 1 {
			t.Errorf("%s: %d suggested fixes, want 1", d.Posn, len(d.SuggestedFixes))
			continue
		}
		if !strings.Contains(string(d.SuggestedFixes[0]), `"Cancel the RPC when the errgroup's context is done"`) {
			t.Errorf("%s: fix %s lacks the expected message", d.Posn, d.SuggestedFixes[0])
		}
	}
}

// TestVetTool runs go vet -vettool with the built command and checks that
// it reports exactly what the standalone command reports.
func TestVetTool(t *testing.T) {
	bin := buildCommand(t)
	dir := exampleDir(t)

	standalone := exec.Command(bin, "./...")
	standalone.Dir = dir
	sOut, _ := standalone.CombinedOutput()

	vet := exec.Command("go", "vet", "-vettool="+bin, "./...")
	vet.Dir = dir
	vOut, err := vet.CombinedOutput()
	if err == nil {
		t.Fatalf("go vet -vettool succeeded on code with the bug:\n%s", vOut)
	}
	want, got := findings(t, dir, string(sOut)), findings(t, dir, string(vOut))
	if len(want) == 0 {
		t.Fatalf("standalone command found nothing:\n%s", sOut)
	}
	if !slices.Equal(got, want) {
		t.Errorf("go vet -vettool findings differ from the standalone command's\nvet:\n%s\nstandalone:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
