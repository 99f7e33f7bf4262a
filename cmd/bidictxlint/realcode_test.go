package main_test

import (
	"bufio"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The real-code corpus (issues 14, 23 and 24): public modules whose code
// drives grpc-go or connect-go streams from errgroup tasks, WaitGroup
// tasks, plain goroutines or types that hold a stream, the stream
// packages of each listed in testdata/realcode/modules.txt. Every
// finding the command reports there must have a row in
// testdata/realcode/findings.tsv with a verdict (true: the code can hang
// as the finding says; false: it cannot) and a reason, and every
// row must still occur, so that a new false report cannot slip in and the
// table stays honest. testdata/realcode/sites.md lists every
// join-and-stream site of the corpus with a judgement, found or not, for
// recall; testdata/realcode/joins.md says what each site of the
// WaitGroup, goroutine and wrapper joins should give.

const realcodeDir = "testdata/realcode"

// A realModule is one line of modules.txt.
type realModule struct {
	path, version string
	patterns      []string
	// dropReplace lists the modules whose go.mod replacement by a local
	// directory must be dropped: a nested module is never in its
	// parent's zip, so the version the module requires is used instead.
	dropReplace []string
	// partial records that some of the packages' imports do not load
	// (a dependency the module proxy does not serve): the command must
	// then exit with status 1 and still report on what is typed.
	partial bool
}

func (m realModule) String() string { return m.path + "@" + m.version }

// A findingRow is one line of findings.tsv.
type findingRow struct {
	module, version, pos, message, verdict, reason string
	line                                           int
}

// key is what a row and a finding are matched on: module, version,
// file:line relative to the module root, and the message up to its
// first colon.
func (r findingRow) key() string {
	return r.module + "@" + r.version + " " + r.pos + " " + r.message
}

func readRealModules(t *testing.T) []realModule {
	t.Helper()
	var mods []realModule
	lines := readLines(t, filepath.Join(realcodeDir, "modules.txt"))
	for _, n := range slices.Sorted(maps.Keys(lines)) {
		line := lines[n]
		fields := strings.Fields(line)
		mv := strings.Split(fields[0], "@")
		if len(mv) != 2 || len(fields) < 2 {
			t.Fatalf("modules.txt:%d: want module@version and package patterns: %q", n, line)
		}
		m := realModule{path: mv[0], version: mv[1]}
		for _, f := range fields[1:] {
			if r, ok := strings.CutPrefix(f, "-dropreplace="); ok {
				m.dropReplace = append(m.dropReplace, r)
			} else if f == "-partial" {
				m.partial = true
			} else {
				m.patterns = append(m.patterns, f)
			}
		}
		if len(m.patterns) == 0 {
			t.Fatalf("modules.txt:%d: no package patterns: %q", n, line)
		}
		mods = append(mods, m)
	}
	return mods
}

func readFindingRows(t *testing.T) []findingRow {
	t.Helper()
	var rows []findingRow
	lines := readLines(t, filepath.Join(realcodeDir, "findings.tsv"))
	for _, n := range slices.Sorted(maps.Keys(lines)) {
		line := lines[n]
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			t.Fatalf("findings.tsv:%d: want 6 tab-separated columns (module, version, position, message, verdict, reason), got %d: %q", n, len(f), line)
		}
		r := findingRow{module: f[0], version: f[1], pos: f[2], message: f[3], verdict: f[4], reason: strings.TrimSpace(f[5]), line: n}
		if r.verdict != "true" && r.verdict != "false" {
			t.Errorf("findings.tsv:%d: verdict %q, want true or false", n, r.verdict)
		}
		if r.reason == "" {
			t.Errorf("findings.tsv:%d: no reason", n)
		}
		rows = append(rows, r)
	}
	return rows
}

// readLines returns the lines of a table that are neither blank nor
// comments (#), keyed by line number.
func readLines(t *testing.T, name string) map[int]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	lines := make(map[int]string)
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		if line := sc.Text(); strings.TrimSpace(line) != "" && !strings.HasPrefix(line, "#") {
			lines[n] = line
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

// TestRealCodeTables checks the tables themselves (no network): every
// row names a module of the corpus, no row is listed twice, and the
// README states the precision the table gives.
func TestRealCodeTables(t *testing.T) {
	mods := readRealModules(t)
	if len(mods) < 10 {
		t.Errorf("modules.txt lists %d modules, want at least 10", len(mods))
	}
	known := make(map[string]bool)
	for _, m := range mods {
		if known[m.String()] {
			t.Errorf("modules.txt lists %s twice", m)
		}
		known[m.String()] = true
	}
	seen := make(map[string]int)
	nTrue := 0
	rows := readFindingRows(t)
	for _, r := range rows {
		if !known[r.module+"@"+r.version] {
			t.Errorf("findings.tsv:%d: %s@%s is not in modules.txt", r.line, r.module, r.version)
		}
		if prev, ok := seen[r.key()]; ok {
			t.Errorf("findings.tsv:%d: same finding as line %d", r.line, prev)
		}
		seen[r.key()] = r.line
		if r.verdict == "true" {
			nTrue++
		}
	}
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("%d of %d findings", nTrue, len(rows))
	if !strings.Contains(strings.Join(strings.Fields(string(readme)), " "), want) {
		t.Errorf("README.md does not state the corpus precision as %q (true findings of all findings in findings.tsv)", want)
	}
}

// TestRealCode runs the command with -json over the stream packages of
// each module of the corpus, in a copy of the module with its own
// go.mod, and compares the findings with findings.tsv.
func TestRealCode(t *testing.T) {
	corpusEnabled(t)
	mods := readRealModules(t)
	rows := readFindingRows(t)
	want := make(map[string]findingRow)
	for _, r := range rows {
		want[r.key()] = r
	}
	got := make(map[string]bool)
	start := time.Now()
	// Each module is built with its own go.mod: a go.work in its zip
	// names nested modules that the zip does not contain.
	t.Setenv("GOWORK", "off")
	fetchOnly := os.Getenv("BIDICTXLINT_REALCODE_FETCH") == "1"
	for _, m := range mods {
		t.Run(m.path, func(t *testing.T) {
			dir := copyModuleFiles(t, m.String())
			for _, r := range m.dropReplace {
				run(t, dir, "go", []int{0}, "mod", "edit", "-dropreplace="+r)
				run(t, dir, "go", []int{0}, "mod", "download", r) // and its go.sum lines
			}
			if fetchOnly {
				// .ci/run: fetch what the packages import, nothing more.
				run(t, dir, "go", []int{0}, append([]string{"list", "-e", "-deps", "-test"}, m.patterns...)...)
				return
			}
			began := time.Now()
			for _, k := range realFindings(t, dir, m) {
				got[k] = true
				if _, ok := want[k]; !ok {
					t.Errorf("finding not in %s/findings.tsv (add a row with a verdict and a reason): %s", realcodeDir, k)
				}
			}
			t.Logf("%s: %s", m, time.Since(began).Round(time.Millisecond))
		})
	}
	if fetchOnly {
		return
	}
	ran := make(map[string]bool)
	for _, m := range mods {
		ran[m.String()] = true
	}
	nTrue, n := 0, 0
	for _, r := range rows {
		if !ran[r.module+"@"+r.version] {
			continue
		}
		if !got[r.key()] {
			t.Errorf("findings.tsv:%d no longer occurs (remove the row, and update sites.md and the README): %s", r.line, r.key())
		}
		n++
		if r.verdict == "true" {
			nTrue++
		}
	}
	t.Logf("%d modules in %s; %d findings, %d true", len(mods), time.Since(start).Round(time.Second), n, nTrue)
}

// realFindings runs the command with -json in dir over the module's
// patterns and returns the findings' keys.
func realFindings(t *testing.T, dir string, m realModule) []string {
	t.Helper()
	cmd := exec.Command(binPath, append([]string{"-json"}, m.patterns...)...)
	cmd.Dir = dir
	var stderr strings.Builder
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	checkNoCrash(t, m.String(), string(out)+stderr.String())
	if m.partial {
		if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 1 {
			t.Errorf("%s is marked -partial in modules.txt but the command's exit status is not 1 (%v): drop the mark if it loads now", m, err)
		} else {
			t.Logf("%s loads in part, as recorded:\n%s", m, tail(stderr.String(), 5))
		}
		err = nil
	}
	if err != nil {
		t.Fatalf("bidictxlint -json %s in %s: %v (the packages must load under the module's own go.mod)\n%s", strings.Join(m.patterns, " "), m, err, tail(stderr.String(), 30))
	}
	var keys []string
	for _, ds := range jsonDiagnostics[jsonDiag](t, string(out)) {
		for _, d := range ds {
			keys = append(keys, realKey(t, dir, m, d))
		}
	}
	slices.Sort(keys)
	return slices.Compact(keys) // a package and its test variant report the same
}

// realKey is a finding's key: module@version, file:line relative to the
// module root, and the message up to its first colon.
func realKey(t *testing.T, dir string, m realModule, d jsonDiag) string {
	t.Helper()
	file, rest, _ := strings.Cut(d.Posn, ":")
	line, _, _ := strings.Cut(rest, ":")
	if rel, err := filepath.Rel(dir, file); err == nil && !strings.HasPrefix(rel, "..") {
		file = filepath.ToSlash(rel)
	} else {
		t.Errorf("finding outside the module: %s", d.Posn)
	}
	msg, _, _ := strings.Cut(d.Message, ":")
	return m.String() + " " + file + ":" + line + " " + msg
}
