package bidictxlint_test

import (
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/bidictxlint/bidictxlint/analyzer"
	"github.com/bidictxlint/bidictxlint/internal/markdown"
)

// The tests in this file keep the documentation honest: every link
// resolves, every diagnostic URL names a heading that exists, and the
// snippets other tests run are where the pages show them.

// repoURL is the repository's address; links to it are checked against
// the checkout, as relative links are.
const repoURL = "https://github.com/bidictxlint/bidictxlint"

// pages are the Markdown pages whose links are checked.
func pages(t *testing.T) []string {
	t.Helper()
	docs, err := filepath.Glob("docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) == 0 {
		t.Fatal("no docs/*.md")
	}
	return append([]string{"README.md", "CHANGELOG.md", "bench/README.md"}, docs...)
}

// pendingPages are pages that other branches of this round add. A link
// to one is accepted while it does not exist; once it does, remove it
// here, so that its anchors are checked.
var pendingPages = map[string]bool{}

// parsed caches the parsed pages by slash path.
type parsed map[string]*markdown.Page

func (ps parsed) get(t *testing.T, file string) *markdown.Page {
	t.Helper()
	if p, ok := ps[file]; ok {
		return p
	}
	data, err := os.ReadFile(filepath.FromSlash(file))
	if err != nil {
		t.Fatal(err)
	}
	p, err := markdown.Parse(string(data))
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	ps[file] = p
	return p
}

// resolve checks that target, a file in the checkout (slash path from
// the repository's root, "" for none) with an optional anchor, exists.
// It returns what is wrong, or "".
func (ps parsed) resolve(t *testing.T, target, anchor string) string {
	t.Helper()
	if target == "" || target == "." {
		target = "."
	}
	if strings.HasPrefix(target, "../") || path.IsAbs(target) {
		return "points outside the repository"
	}
	info, err := os.Stat(filepath.FromSlash(target))
	if err != nil {
		if pendingPages[target] {
			return ""
		}
		return "no such file or directory"
	}
	if anchor == "" {
		return ""
	}
	if info.IsDir() {
		target = path.Join(target, "README.md")
	}
	if !strings.HasSuffix(target, ".md") {
		return "an anchor in a file that is not Markdown"
	}
	if !ps.get(t, target).Anchors[anchor] {
		return "no heading with the anchor #" + anchor + " in " + target
	}
	return ""
}

// local maps a link to this repository on GitHub to the file and anchor
// in the checkout it names. ok is false for other addresses.
func local(t *testing.T, raw string) (file, anchor string, ok bool) {
	t.Helper()
	if raw != repoURL && !strings.HasPrefix(raw, repoURL+"/") && !strings.HasPrefix(raw, repoURL+"#") {
		return "", "", false
	}
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatalf("%s: %v", raw, err)
	}
	rest := strings.TrimPrefix(strings.TrimPrefix(u.Path, "/bidictxlint/bidictxlint"), "/")
	switch {
	case rest == "":
		file = "README.md"
	case strings.HasPrefix(rest, "blob/main/"), strings.HasPrefix(rest, "tree/main/"):
		file = rest[len("blob/main/"):]
	case rest == "commits/main":
		file = "."
	default:
		t.Fatalf("%s: not a link to the main branch's files", raw)
	}
	return file, u.Fragment, true
}

// TestDocLinks checks every link of the README, the changelog and
// docs/: a relative link or a link to this repository names a file or
// directory of the checkout, and its #anchor a heading of that page.
func TestDocLinks(t *testing.T) {
	ps := parsed{}
	for _, page := range pages(t) {
		for _, l := range ps.get(t, page).Links {
			var file, anchor string
			switch {
			case strings.HasPrefix(l.Target, "#"):
				file, anchor = page, l.Target[1:]
			case strings.Contains(l.Target, "://") || strings.HasPrefix(l.Target, "mailto:"):
				var ok bool
				if file, anchor, ok = local(t, l.Target); !ok {
					continue // another site: not checked here
				}
			default:
				target, frag, _ := strings.Cut(l.Target, "#")
				file, anchor = path.Join(path.Dir(page), target), frag
			}
			if pendingPages[page] {
				continue
			}
			if msg := ps.resolve(t, file, anchor); msg != "" {
				t.Errorf("%s:%d: link %s: %s", page, l.Line, l.Target, msg)
			}
		}
	}
	for p := range pendingPages {
		if _, err := os.Stat(p); err == nil {
			t.Errorf("%s exists now: remove it from pendingPages, so that links into it are checked", p)
		}
	}
}

// diagnosticURLs are the URLs the analyzer and its diagnostics carry:
// the analyzer's own, and each kind's.
func diagnosticURLs() map[string]string {
	urls := map[string]string{
		"analyzer.URL":      analyzer.URL,
		"analyzer.ProofURL": analyzer.ProofURL,
	}
	for _, k := range analyzer.Kinds() {
		urls["kind "+k.ID] = k.URL()
	}
	return urls
}

// citation is a reference to a page of docs/ with its anchor, as code
// comments and messages write it.
var citation = regexp.MustCompile(`\bdocs/[a-z]+\.md(#[a-z0-9-]+)?`)

// TestCodeCitations checks that every docs/PAGE.md#anchor that the Go
// code of the repository cites (comments, messages, tests) names a
// heading that exists: the code cites the project's own rules, and the
// citations must not rot.
func TestCodeCitations(t *testing.T) {
	out, err := exec.Command("git", "ls-files", "*.go").Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	ps := parsed{}
	cited := 0
	for _, file := range strings.Fields(string(out)) {
		src, err := os.ReadFile(filepath.FromSlash(file))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(src), "\n") {
			for _, c := range citation.FindAllString(line, -1) {
				page, anchor, _ := strings.Cut(c, "#")
				cited++
				if msg := ps.resolve(t, page, anchor); msg != "" {
					t.Errorf("%s:%d: %s: %s", file, i+1, c, msg)
				}
			}
		}
	}
	if cited < 50 {
		t.Errorf("only %d citations of docs/ in the Go code; the test checks too little", cited)
	}
}

// TestDiagnosticURLs checks that every URL a diagnostic links to names a
// page of this repository and a heading of it that exists.
func TestDiagnosticURLs(t *testing.T) {
	ps := parsed{}
	for name, u := range diagnosticURLs() {
		file, anchor, ok := local(t, u)
		if !ok {
			t.Errorf("%s = %q is not a page of %s", name, u, repoURL)
			continue
		}
		if anchor == "" {
			t.Errorf("%s = %q names no section", name, u)
		}
		if msg := ps.resolve(t, file, anchor); msg != "" || pendingPages[file] {
			if msg == "" {
				msg = file + " does not exist yet"
			}
			t.Errorf("%s = %q: %s", name, u, msg)
		}
	}
}

// TestSnippets checks that the snippets other tests run are on the pages
// that show them: the editor configurations (run by
// cmd/bidictxlint/gopls_test.go), and the README's install and CI steps
// (run by frontdoor_test.go). The workflow's run block must be the shell
// step's commands, less the set -e that GitHub's bash -e implies.
func TestSnippets(t *testing.T) {
	ps := parsed{}
	want := map[string][]string{
		"docs/drivers.md": {"neovim-0.7", "neovim-0.11", "emacs", "emacs-analyses-off"},
		"README.md":       {"install-checkout", "install-tool", "ci-shell", "ci-workflow"},
	}
	for page, names := range want {
		for _, name := range names {
			if _, ok := ps.get(t, page).Snippets[name]; !ok {
				t.Errorf("%s has no snippet %q", page, name)
			}
		}
	}
	readme := ps.get(t, "README.md").Snippets
	shell := strings.TrimPrefix(readme["ci-shell"], "set -e\n")
	if shell == readme["ci-shell"] {
		t.Errorf("the CI shell step does not start with set -e:\n%s", readme["ci-shell"])
	}
	run, err := workflowRun(readme["ci-workflow"])
	if err != nil {
		t.Fatal(err)
	}
	if run != shell {
		t.Errorf("the workflow runs\n%s\nthe shell step\n%s", run, shell)
	}
}

// workflowRun returns the lines of the last `run: |` block of a
// workflow, unindented.
func workflowRun(yaml string) (string, error) {
	lines := strings.Split(yaml, "\n")
	i := slices.IndexFunc(lines, func(l string) bool { return strings.TrimSpace(l) == "run: |" })
	if i < 0 {
		return "", errors.New("the workflow has no `run: |` block")
	}
	var b strings.Builder
	indent := ""
	for _, l := range lines[i+1:] {
		if indent == "" {
			indent = l[:len(l)-len(strings.TrimLeft(l, " "))]
		}
		if indent == "" || !strings.HasPrefix(l, indent) {
			break
		}
		b.WriteString(strings.TrimPrefix(l, indent) + "\n")
	}
	return b.String(), nil
}
