package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// leftovers lists the temporary files the writer may have left in dir.
func leftovers(t *testing.T, dir string) []string {
	t.Helper()
	var found []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".bidictxlint-") {
			found = append(found, p)
		}
		return nil
	})
	return found
}

// TestWriterPrepare checks each way one file's replacement can fail:
// the file is left as it was and no temporary file stays behind; and
// that a replaced file keeps its mode, and a symbolic link its target.
func TestWriterPrepare(t *testing.T) {
	old, data := []byte("package p\n"), []byte("package p\n\nvar x = 1\n")
	setup := func(t *testing.T) (string, string) {
		dir := t.TempDir()
		name := filepath.Join(dir, "p.go")
		if err := os.WriteFile(name, old, 0o640); err != nil {
			t.Fatal(err)
		}
		return dir, name
	}
	unchanged := func(t *testing.T, dir, name string) {
		t.Helper()
		if b, err := os.ReadFile(name); err != nil || !bytes.Equal(b, old) {
			t.Errorf("%s: %q, %v; want it unchanged", name, b, err)
		}
		if l := leftovers(t, dir); len(l) > 0 {
			t.Errorf("temporary files left: %v", l)
		}
	}

	t.Run("write fails part-way", func(t *testing.T) {
		dir, name := setup(t)
		w := newWriter()
		w.write = func(f *os.File, b []byte) (int, error) {
			n, _ := f.Write(b[:len(b)/2])
			return n, syscall.ENOSPC
		}
		if _, err := w.prepare(name, old, data); !errors.Is(err, syscall.ENOSPC) {
			t.Errorf("prepare: %v, want ENOSPC", err)
		}
		unchanged(t, dir, name)
	})
	t.Run("rename fails", func(t *testing.T) {
		dir, name := setup(t)
		w := newWriter()
		w.rename = func(string, string) error { return syscall.EPERM }
		pd, err := w.prepare(name, old, data)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.commit(pd); !errors.Is(err, syscall.EPERM) {
			t.Errorf("commit: %v, want EPERM", err)
		}
		unchanged(t, dir, name)
	})
	t.Run("changed since read", func(t *testing.T) {
		dir, name := setup(t)
		if _, err := newWriter().prepare(name, []byte("package q\n"), data); err == nil || !strings.Contains(err.Error(), "changed since it was read") {
			t.Errorf("prepare: %v, want it to refuse a file that changed", err)
		}
		unchanged(t, dir, name)
	})
	t.Run("hard link", func(t *testing.T) {
		dir, name := setup(t)
		if err := os.Link(name, filepath.Join(dir, "other")); err != nil {
			t.Fatal(err)
		}
		if _, err := newWriter().prepare(name, old, data); err == nil || !strings.Contains(err.Error(), "hard links") {
			t.Errorf("prepare: %v, want it to refuse a file with two links", err)
		}
		unchanged(t, dir, name)
	})
	t.Run("mode and symbolic link kept", func(t *testing.T) {
		dir, name := setup(t)
		if err := os.Chmod(name, 0o640|fs.ModeSetgid); err != nil {
			t.Fatal(err)
		}
		link := filepath.Join(dir, "link.go")
		if err := os.Symlink("p.go", link); err != nil {
			t.Fatal(err)
		}
		w := newWriter()
		pd, err := w.prepare(link, old, data)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.commit(pd); err != nil {
			t.Fatal(err)
		}
		if b, _ := os.ReadFile(name); !bytes.Equal(b, data) {
			t.Errorf("target: %q, want the new content", b)
		}
		if info, err := os.Lstat(link); err != nil || info.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("the link was replaced by a file: %v %v", info.Mode(), err)
		}
		if info, _ := os.Stat(name); info.Mode() != 0o640|fs.ModeSetgid {
			t.Errorf("mode %v, want %v", info.Mode(), 0o640|fs.ModeSetgid)
		}
		if l := leftovers(t, dir); len(l) > 0 {
			t.Errorf("temporary files left: %v", l)
		}
	})
}

// copyReal copies the real-module catalogue (connect-go v1 and v2,
// grpc-go, x/sync) into a temporary directory.
func copyReal(t *testing.T) string {
	t.Helper()
	src, err := filepath.Abs("../../testdata/real")
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("go", "-C", src, "mod", "download").CombinedOutput(); err != nil {
		t.Fatalf("go mod download: %v\n%s", err, out)
	}
	dir := filepath.Join(t.TempDir(), "real")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// readTree returns the Go files under dir, relative path to content.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := make(map[string]string)
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".go") {
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			rel, _ := filepath.Rel(dir, p)
			files[rel] = string(b)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

// realFixPatterns are the packages of the catalogue whose fixes the
// in-process tests apply: every fix shape, on the real libraries.
var realFixPatterns = []string{"./fixes/..."}

// TestFixFailingWriterRealModules applies the fixes of the real-module
// catalogue in process, with a writer that fails part-way (half the
// bytes, then "no space left on device") on every third file. Each file
// must then be either untouched or exactly as a run that could write
// leaves it, the summary must name exactly the files written and the
// files not written, each finding in a file not written must be printed
// as not fixed, and the exit status must be 1.
func TestFixFailingWriterRealModules(t *testing.T) {
	ref := copyReal(t)
	orig := readTree(t, ref)
	var stdout, stderr bytes.Buffer
	if code := standaloneIn(ref, newWriter(), append([]string{"-fix"}, realFixPatterns...), &stdout, &stderr); code != exitOK && code != exitFindings {
		t.Fatalf("-fix with a working writer: exit status %d\n%s", code, stderr.String())
	}
	fixed := readTree(t, ref)
	var changed []string
	for name := range fixed {
		if fixed[name] != orig[name] {
			changed = append(changed, name)
		}
	}
	slices.Sort(changed)
	if len(changed) < 3 {
		t.Fatalf("-fix changed %d files, want at least 3 for this test: %v", len(changed), changed)
	}

	dir := copyReal(t)
	w := newWriter()
	n := 0
	w.write = func(f *os.File, b []byte) (int, error) {
		n++
		if n%3 == 0 {
			m, _ := f.Write(b[:len(b)/2])
			return m, syscall.ENOSPC
		}
		return f.Write(b)
	}
	stdout.Reset()
	stderr.Reset()
	code := standaloneIn(dir, w, append([]string{"-fix"}, realFixPatterns...), &stdout, &stderr)
	out := stderr.String()
	t.Logf("%s", out)
	if code != exitFailed {
		t.Errorf("exit status %d, want %d (files not written)", code, exitFailed)
	}
	got := readTree(t, dir)
	var written, notWritten []string
	for _, name := range changed {
		switch got[name] {
		case fixed[name]:
			written = append(written, filepath.Join(dir, name))
		case orig[name]:
			notWritten = append(notWritten, filepath.Join(dir, name))
		default:
			t.Errorf("%s is neither untouched nor fully fixed:\n%s", name, got[name])
		}
	}
	for name := range got {
		if !slices.Contains(changed, name) && got[name] != orig[name] {
			t.Errorf("%s changed, though -fix does not change it when it can write", name)
		}
	}
	if len(notWritten) == 0 || len(written) == 0 {
		t.Fatalf("written %v, not written %v: want some of each", written, notWritten)
	}
	if l := leftovers(t, dir); len(l) > 0 {
		t.Errorf("temporary files left: %v", l)
	}
	summary := lastLine(out)
	want := fmt.Sprintf("in %d files (%s); %d files not written (%s)", len(written), strings.Join(written, ", "), len(notWritten), strings.Join(notWritten, ", "))
	if len(notWritten) == 1 {
		want = strings.Replace(want, "1 files not", "1 file not", 1)
	}
	if !strings.Contains(summary, want) {
		t.Errorf("summary %q\nwant it to contain %q", summary, want)
	}
	for _, name := range notWritten {
		if !strings.Contains(out, "bidictxlint: "+name+": not written, left as it was: writing the new content beside it: no space left on device") {
			t.Errorf("no line says %s was not written for lack of space", name)
		}
		if !strings.Contains(out, "\tnot fixed: "+name+" was not written: writing the new content beside it: no space left on device") {
			t.Errorf("no finding in %s is printed as not fixed", name)
		}
	}
}

func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// jsonFixable returns the number of findings in the packages, and how
// many have a fix, from the command's -json output (in process).
func jsonFixable(t *testing.T, dir string, patterns ...string) (all, fixable int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := standaloneIn(dir, newWriter(), append([]string{"-json"}, patterns...), &stdout, &stderr); code != exitOK {
		t.Fatalf("-json: exit status %d\n%s", code, stderr.String())
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal(stdout.Bytes(), &tree); err != nil {
		t.Fatal(err)
	}
	seen := make(map[string]bool)
	for _, byAnalyzer := range tree {
		var ds []struct {
			Posn, Message  string
			SuggestedFixes []json.RawMessage `json:"suggested_fixes"`
		}
		json.Unmarshal(byAnalyzer["bidictxlint"], &ds)
		for _, d := range ds {
			if !seen[d.Posn+d.Message] {
				seen[d.Posn+d.Message] = true
				all++
				if len(d.SuggestedFixes) > 0 {
					fixable++
				}
			}
		}
	}
	return all, fixable
}
