package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
)

// TestFixDiffRealModules prints the fixes of the real-module catalogue
// as a diff: the exit status is 1 (as go fix -diff), no file changes,
// `patch -p0` applied to another copy leaves exactly what -fix writes,
// and each file's diff is a shortest edit script (its changed lines
// number len(old)+len(new)-2·LCS). After -fix, the diff is empty.
func TestFixDiffRealModules(t *testing.T) {
	dir := copyReal(t)
	orig := readTree(t, dir)
	var stdout, stderr bytes.Buffer
	code := standaloneIn(dir, newWriter(), append([]string{"-fix", "-diff"}, realFixPatterns...), &stdout, &stderr)
	if code != exitFailed {
		t.Errorf("-fix -diff: exit status %d, want 1 (a diff was printed)\n%s", code, stderr.String())
	}
	if !strings.Contains(lastLine(stderr.String()), "bidictxlint: the diff fixes ") {
		t.Errorf("-fix -diff summary: %q", lastLine(stderr.String()))
	}
	diff := stdout.String()
	for name, src := range readTree(t, dir) {
		if src != orig[name] {
			t.Errorf("-fix -diff changed %s", name)
		}
	}

	// The reference: -fix itself.
	fixedDir := copyReal(t)
	if code := standaloneIn(fixedDir, newWriter(), append([]string{"-fix"}, realFixPatterns...), &stdout, &stderr); code != exitFindings {
		t.Fatalf("-fix: exit status %d, want 3 (the catalogue has findings without a fix)", code)
	}
	fixed := readTree(t, fixedDir)

	patch, err := exec.LookPath("patch")
	if err != nil {
		t.Fatalf("patch is needed to check the diff (apt-get install patch): %v", err)
	}
	patched := copyReal(t)
	cmd := exec.Command(patch, "-p0", "--batch", "--forward")
	cmd.Dir = patched
	cmd.Stdin = strings.NewReader(diff)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("patch -p0: %v\n%s\ndiff:\n%s", err, out, diff)
	}
	nfiles := 0
	for name, want := range fixed {
		got := readTree(t, patched)[name]
		if got != want {
			t.Errorf("%s after patch differs from -fix:\n%s\nwant\n%s", name, got, want)
		}
		if want == orig[name] {
			continue
		}
		nfiles++
		// This file's part of the diff: its changed lines.
		part := fileDiff(diff, name)
		changes := 0
		for l := range strings.Lines(part) {
			if (l[0] == '-' || l[0] == '+') && !strings.HasPrefix(l, "--- ") && !strings.HasPrefix(l, "+++ ") {
				changes++
			}
		}
		a, b := splitLines(orig[name]), splitLines(want)
		if min := len(a) + len(b) - 2*lcs(a, b); changes != min {
			t.Errorf("%s: the diff changes %d lines, the shortest script %d:\n%s", name, changes, min, part)
		}
	}
	if nfiles < 3 {
		t.Errorf("only %d files fixed; the test needs several", nfiles)
	}

	// Nothing left to fix: an empty diff, and the status says findings
	// without a fix remain.
	stdout.Reset()
	stderr.Reset()
	code = standaloneIn(fixedDir, newWriter(), append([]string{"-fix", "-diff"}, realFixPatterns...), &stdout, &stderr)
	if stdout.Len() != 0 || code != exitFindings {
		t.Errorf("-fix -diff after -fix: exit status %d, want 3, and diff:\n%s", code, stdout.String())
	}
}

// fileDiff returns the part of a multi-file diff for file name.
func fileDiff(diff, name string) string {
	i := strings.Index(diff, "--- "+name+"\n")
	if i < 0 {
		return ""
	}
	rest := diff[i+1:]
	if j := strings.Index(rest, "\n--- "); j >= 0 {
		rest = rest[:j+1]
	}
	return diff[i:i+1] + rest
}

// TestVersionFromBuildInfo checks what -version and -V=full print for
// each kind of build.
func TestVersionFromBuildInfo(t *testing.T) {
	main := func(v string, settings ...string) *debug.BuildInfo {
		bi := &debug.BuildInfo{Main: debug.Module{Path: modulePath, Version: v}}
		for i := 0; i+1 < len(settings); i += 2 {
			bi.Settings = append(bi.Settings, debug.BuildSetting{Key: settings[i], Value: settings[i+1]})
		}
		return bi
	}
	dep := func(v string, replace *debug.Module) *debug.BuildInfo {
		return &debug.BuildInfo{
			Main:     debug.Module{Path: "example.com/app", Version: "(devel)"},
			Deps:     []*debug.Module{{Path: modulePath, Version: v, Replace: replace}},
			Settings: []debug.BuildSetting{{Key: "vcs.revision", Value: "ffffffffffffffffffff"}},
		}
	}
	for _, c := range []struct {
		name string
		bi   *debug.BuildInfo
		want string
	}{
		{"go install @v1.2.3", main("v1.2.3"), "v1.2.3"},
		{"pseudo-version from VCS (Go 1.24+)", main("v0.0.0-20260101000000-0123456789ab+dirty", "vcs.revision", "0123456789abcdef", "vcs.modified", "true"), "v0.0.0-20260101000000-0123456789ab+dirty"},
		{"VCS only, modified", main("(devel)", "vcs.revision", "0123456789abcdef0123", "vcs.modified", "true"), "devel 0123456789ab+dirty"},
		{"VCS only, clean", main("(devel)", "vcs.revision", "0123456789abcdef0123", "vcs.modified", "false"), "devel 0123456789ab"},
		{"no VCS", main("(devel)"), "devel"},
		{"a dependency at a version", dep("v1.4.0", nil), "v1.4.0"},
		{"a dependency replaced by a directory: the main module's VCS is not ours", dep("v1.4.0", &debug.Module{Path: "../bidictxlint"}), "devel"},
	} {
		if got := version(c.bi, true); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if got := version(nil, false); got != "devel" {
		t.Errorf("no build info: %q", got)
	}
}

// TestVersionFromVCS builds the command from a git clone of this
// repository with VCS stamping on: -version and -V=full name the
// commit, and "+dirty" once a file is changed.
func TestVersionFromVCS(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	git := func(dir string, args ...string) string {
		t.Helper()
		out, err := exec.Command("git", append([]string{"-C", dir}, args...)...).Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	clone := filepath.Join(t.TempDir(), "repo")
	git(root, "clone", "--quiet", "--no-hardlinks", root, clone)
	rev := git(clone, "rev-parse", "HEAD")
	build := func() (string, string) {
		t.Helper()
		bin := filepath.Join(t.TempDir(), "bidictxlint")
		cmd := exec.Command("go", "build", "-buildvcs=true", "-o", bin, "./cmd/bidictxlint")
		cmd.Dir = clone
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("go build -buildvcs=true: %v\n%s", err, out)
		}
		v, err := exec.Command(bin, "-version").Output()
		if err != nil {
			t.Fatal(err)
		}
		full, err := exec.Command(bin, "-V=full").Output()
		if err != nil {
			t.Fatal(err)
		}
		return string(v), string(full)
	}
	v, full := build()
	if !strings.Contains(v, rev[:12]) || strings.Contains(v, "dirty") || !strings.HasPrefix(full, "bidictxlint version ") || !strings.Contains(full, rev[:12]) {
		t.Errorf("built at %s: -version %q, -V=full %q; want the revision, not dirty", rev, v, full)
	}
	if err := os.WriteFile(filepath.Join(clone, "cmd", "bidictxlint", "zz_local.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	v, full = build()
	if !strings.Contains(v, rev[:12]) || !strings.Contains(v, "+dirty") || !strings.Contains(full, "+dirty") {
		t.Errorf("built with a change: -version %q, -V=full %q; want the revision and +dirty", v, full)
	}
}
