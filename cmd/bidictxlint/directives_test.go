package main_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

// The tests in this file silence findings of the example module with
// directives and check that every driver (the command, go vet, gopls and,
// in golangci_test.go, golangci-lint) stays silent there and reports the
// directives that silence nothing.

// kindURL is the URL of the kind id's section.
func kindURL(t *testing.T, id string) string {
	t.Helper()
	for _, k := range analyzer.Kinds() {
		if k.ID == id {
			return k.URL()
		}
	}
	t.Errorf("%q is no kind of finding", id)
	return ""
}

// A directiveCase is a copy of the example module with directives added
// on three of its four findings, one left reported, and two stale
// directives in the fixed clients.
type directiveCase struct {
	dir string
	// reported is the finding left, as "file:line".
	reported string
	// staleIgnore and staleNolint are the lines of the
	// //bidictxlint:ignore and the //nolint:bidictxlint that silence
	// nothing.
	staleIgnore, staleNolint string
	// nolint is the line whose finding a //nolint:bidictxlint silences.
	nolint string
}

// newDirectiveCase makes the case: on the example's findings, an
// end-of-line //bidictxlint:ignore (connectv1), an end-of-line
// //nolint:bidictxlint (connectv1correct), a //bidictxlint:ignore above
// the function (connectv2); grpcgo's is left. The standalone command
// must report the example's four findings with the kinds the directives
// name, or the case proves nothing.
func newDirectiveCase(t *testing.T) directiveCase {
	t.Helper()
	src := exampleDir(t)
	byFile := map[string]standaloneDiag{}
	for _, d := range standalone(t, src) {
		byFile[parsePosn(t, src, d.Posn).file] = d
	}
	want := map[string]string{
		"chat/connectv1/chat.go":        "uncancelled-stream",
		"chat/connectv1correct/chat.go": "bidi-needs-close",
		"chat/connectv2/chat.go":        "reassigned-context",
		"chat/grpcgo/chat.go":           "uncancelled-stream",
		"chat/pump/chat.go":             "goroutine-leak",
		"chat/waitgroup/chat.go":        "bidi-needs-close",
	}
	for file, kind := range want {
		if d, ok := byFile[file]; !ok || d.Category != kind {
			t.Fatalf("the example's finding in %s is %+v, want one of kind %s", file, d, kind)
		}
	}
	if len(byFile) != len(want) {
		t.Fatalf("the example has findings in %d files, want %d", len(byFile), len(want))
	}
	line := func(file string) int { return parsePosn(t, src, byFile[file].Posn).line }

	c := directiveCase{dir: copyExample(t, src)}
	at := func(file string, n int) string { return fmt.Sprintf("%s:%d", file, n) }
	appendToLine(t, filepath.Join(c.dir, "chat/connectv1/chat.go"), line("chat/connectv1/chat.go"),
		" //bidictxlint:ignore uncancelled-stream reviewed in a test")
	appendToLine(t, filepath.Join(c.dir, "chat/connectv1correct/chat.go"), line("chat/connectv1correct/chat.go"),
		" //nolint:bidictxlint // reviewed in a test")
	c.nolint = at("chat/connectv1correct/chat.go", line("chat/connectv1correct/chat.go"))
	insertBeforeFunc(t, filepath.Join(c.dir, "chat/connectv2/chat.go"), line("chat/connectv2/chat.go"),
		"//bidictxlint:ignore reassigned-context reviewed in a test")
	c.reported = at("chat/grpcgo/chat.go", line("chat/grpcgo/chat.go"))
	appendToLine(t, filepath.Join(c.dir, "chat/pump/chat.go"), line("chat/pump/chat.go"),
		" //bidictxlint:ignore goroutine-leak reviewed in a test")
	appendToLine(t, filepath.Join(c.dir, "chat/waitgroup/chat.go"), line("chat/waitgroup/chat.go"),
		" //bidictxlint:ignore bidi-needs-close reviewed in a test")

	n := lineOf(t, filepath.Join(c.dir, "chat/fixed/chat.go"), "msg, err := stream.Receive()")
	appendToLine(t, filepath.Join(c.dir, "chat/fixed/chat.go"), n, " //bidictxlint:ignore uncancelled-stream from before the fix")
	c.staleIgnore = at("chat/fixed/chat.go", n)
	n = lineOf(t, filepath.Join(c.dir, "chat/fixed/grpcgo.go"), "printReplies(stream)")
	appendToLine(t, filepath.Join(c.dir, "chat/fixed/grpcgo.go"), n, " //nolint:bidictxlint // from before the fix")
	c.staleNolint = at("chat/fixed/grpcgo.go", n)
	return c
}

// lineOf returns the number of the first line of a file that contains s.
func lineOf(t *testing.T, path, s string) int {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(data), "\n") {
		if strings.Contains(l, s) {
			return i + 1
		}
	}
	t.Fatalf("%s has no line with %q", path, s)
	return 0
}

// want is what the command, go vet and gopls report on the case:
// "file:line: kind: start of message".
func (c directiveCase) want() []string {
	return []string{
		c.staleIgnore + ": unused-directive: //bidictxlint:ignore uncancelled-stream silences no uncancelled-stream finding on the lines it covers; remove it",
		c.staleNolint + ": unused-directive: //nolint:bidictxlint silences no bidictxlint finding on the lines it covers; remove it",
		c.reported + ": uncancelled-stream: stream.Recv can block forever in an errgroup task",
	}
}

// checkReported compares got ("file:line: kind: message") with want, by
// file, line, kind and the start of the message.
func checkReported(t *testing.T, driver string, got, want []string) {
	t.Helper()
	slices.Sort(got)
	ok := len(got) == len(want)
	for i := 0; ok && i < len(want); i++ {
		ok = strings.HasPrefix(got[i], want[i])
	}
	if !ok {
		t.Errorf("%s reports on the example with directives\n%s\nwant\n%s", driver, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestDirectivesStandalone checks the command's -json and text output on
// the case: the silenced findings are gone, the stale directives are
// reported, each diagnostic with its kind.
func TestDirectivesStandalone(t *testing.T) {
	c := newDirectiveCase(t)
	var got []string
	for _, d := range standalone(t, c.dir) {
		p := parsePosn(t, c.dir, d.Posn)
		got = append(got, fmt.Sprintf("%s:%d: %s: %s", p.file, p.line, d.Category, d.Message))
	}
	checkReported(t, "bidictxlint -json", got, c.want())

	out := textFindings(t, c.dir, buildCommand(t), "./...")
	checkReported(t, "bidictxlint", out, withoutKinds(c.want()))
}

// textFindings runs name with args in dir, which must exit with a
// status other than 0, and returns the findings it prints as
// "file:line: message".
func textFindings(t *testing.T, dir, name string, args ...string) []string {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("%s %s found nothing:\n%s", name, strings.Join(args, " "), out)
	}
	var got []string
	for _, f := range findings(t, dir, string(out)) {
		file, rest, _ := strings.Cut(f, ":")
		line, rest, _ := strings.Cut(rest, ":")
		_, msg, _ := strings.Cut(rest, ": ")
		got = append(got, file+":"+line+": "+msg)
	}
	return got
}

// withoutKinds drops the kind from "file:line: kind: message".
func withoutKinds(want []string) []string {
	var out []string
	for _, w := range want {
		parts := strings.SplitN(w, ": ", 3)
		out = append(out, parts[0]+": "+parts[2])
	}
	return out
}

// TestDirectivesVet runs go vet -vettool on the case: go vet honours
// the directives as the command does.
func TestDirectivesVet(t *testing.T) {
	c := newDirectiveCase(t)
	got := textFindings(t, c.dir, "go", "vet", "-vettool="+buildCommand(t), "./...")
	checkReported(t, "go vet -vettool", got, withoutKinds(c.want()))
}

// TestGoplsDirectives runs `gopls check` on every file of the case: it
// prints what the command reports there, related locations included,
// and that is the expected set.
func TestGoplsDirectives(t *testing.T) {
	gopls := newGopls(t)
	c := newDirectiveCase(t)
	diags := standalone(t, c.dir)
	var got, want []string
	for _, d := range diags {
		want = append(want, strings.Join(d.spans(t, c.dir), "\n"))
		p := parsePosn(t, c.dir, d.Posn)
		got = append(got, fmt.Sprintf("%s:%d: %s: %s", p.file, p.line, d.Category, d.Message))
	}
	checkReported(t, "bidictxlint -json", got, c.want())
	slices.Sort(want)
	shown := checkBlocks(goplsCheck(t, gopls, c.dir, goFiles(t, c.dir)))
	if !slices.Equal(shown, want) {
		t.Errorf("gopls check on the example with directives:\n%s\n\nwant, as bidictxlint -json:\n%s", strings.Join(shown, "\n"), strings.Join(want, "\n"))
	}
}
