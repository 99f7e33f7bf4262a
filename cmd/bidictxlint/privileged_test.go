package main_test

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// The tests in this file make writes fail for real: a small tmpfs that
// fills up, and a file made immutable with chattr +i. They need root
// (CAP_SYS_ADMIN and CAP_LINUX_IMMUTABLE) and run when
// BIDICTXLINT_PRIVILEGED=1, which .ci/run sets; with the switch on, a
// missing privilege fails them.

func privileged(t *testing.T) {
	t.Helper()
	if os.Getenv("BIDICTXLINT_PRIVILEGED") != "1" {
		t.Skip("set BIDICTXLINT_PRIVILEGED=1 (as root) to fill a small tmpfs and chattr +i a file under -fix")
	}
}

// realFixed returns the Go files of a copy of the real catalogue before
// and after -fix ./fixes/... with nothing in the way, and the files that
// -fix changes.
func realFixed(t *testing.T) (orig, fixed map[string]string, changed []string) {
	t.Helper()
	ref := copyRealModule(t)
	orig = goTree(t, ref)
	lintIn(t, ref, "-fix", "./fixes/...")
	fixed = goTree(t, ref)
	for name := range fixed {
		if fixed[name] != orig[name] {
			changed = append(changed, name)
		}
	}
	slices.Sort(changed)
	if len(changed) < 3 {
		t.Fatalf("-fix changes %d files, want at least 3", len(changed))
	}
	return orig, fixed, changed
}

func goTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	files := make(map[string]string)
	for _, f := range goFiles(t, dir) {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil {
			t.Fatal(err)
		}
		files[f] = string(b)
	}
	return files
}

// checkOutcome checks that each file is untouched or fully fixed, that
// the summary names exactly the files written and not written, that the
// exit status is 1, and that no temporary file is left. It returns the
// files not written.
func checkOutcome(t *testing.T, dir string, r result, orig, fixed map[string]string, changed []string, why string) []string {
	t.Helper()
	got := goTree(t, dir)
	var written, notWritten []string
	for _, name := range changed {
		switch got[name] {
		case fixed[name]:
			written = append(written, filepath.Join(dir, name))
		case orig[name]:
			notWritten = append(notWritten, filepath.Join(dir, name))
		default:
			t.Errorf("%s is neither untouched nor fully fixed (%d bytes)", name, len(got[name]))
		}
	}
	for name := range got {
		if !slices.Contains(changed, name) && got[name] != orig[name] {
			t.Errorf("%s changed", name)
		}
	}
	if r.code != 1 {
		t.Errorf("exit status %d, want 1", r.code)
	}
	if len(notWritten) == 0 {
		t.Fatalf("every file was written: the test did not make a write fail")
	}
	wantNot := plural(len(notWritten), "file") + " not written (" + strings.Join(notWritten, ", ") + ")"
	wantW := " in " + plural(len(written), "file") + " (" + strings.Join(written, ", ")
	if len(written) == 0 {
		wantW = " in 0 files (none"
	}
	if s := lastLine(r.stderr); !strings.Contains(s, wantW) || !strings.Contains(s, wantNot) {
		t.Errorf("summary %q\nwant %q and %q", s, wantW, wantNot)
	}
	for _, name := range notWritten {
		if !strings.Contains(r.stderr, "bidictxlint: "+name+": not written, left as it was: "+why) {
			t.Errorf("no line says %s was not written: %s", name, why)
		}
	}
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err == nil && strings.Contains(d.Name(), ".bidictxlint-") {
			t.Errorf("temporary file left: %s", p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return notWritten
}

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// TestFixFullFilesystem copies the real catalogue into a small tmpfs
// and fills it so that the fixed files do not all fit: -fix must leave
// each file untouched or fully fixed and say exactly which were written.
func TestFixFullFilesystem(t *testing.T) {
	privileged(t)
	orig, fixed, changed := realFixed(t)
	mnt := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", mnt).CombinedOutput(); err != nil {
		t.Fatalf("mount -t tmpfs (needs root): %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("umount", mnt).Run() })
	src, _ := filepath.Abs("../../testdata/real")
	dir := filepath.Join(mnt, "real")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	// Leave room for the smallest fixed file but not for all of them.
	sizes := 0
	smallest := 1 << 30
	for _, name := range changed {
		sizes += len(fixed[name])
		smallest = min(smallest, len(fixed[name]))
	}
	var st syscall.Statfs_t
	if err := syscall.Statfs(mnt, &st); err != nil {
		t.Fatal(err)
	}
	free := int(st.Bavail) * int(st.Bsize)
	room := smallest + 8192 // a page or two of slack for tmpfs's accounting
	if room >= sizes {
		t.Fatalf("the fixed files (%d bytes) would all fit in %d", sizes, room)
	}
	if err := os.WriteFile(filepath.Join(mnt, "filler"), make([]byte, free-room), 0o644); err != nil {
		t.Fatal(err)
	}
	r := lintIn(t, dir, "-fix", "./fixes/...")
	notWritten := checkOutcome(t, dir, r, orig, fixed, changed, "writing the new content beside it: no space left on device")
	t.Logf("%d of %d files not written", len(notWritten), len(changed))
}

// TestFixImmutableFile makes one fixable file of the real catalogue
// immutable (chattr +i): -fix leaves it, fixes the others, and says so.
func TestFixImmutableFile(t *testing.T) {
	privileged(t)
	orig, fixed, changed := realFixed(t)
	dir := copyRealModule(t)
	name := filepath.Join(dir, changed[0])
	if out, err := exec.Command("chattr", "+i", name).CombinedOutput(); err != nil {
		t.Fatalf("chattr +i (needs root and a file system that supports it): %v\n%s", err, out)
	}
	t.Cleanup(func() { exec.Command("chattr", "-i", name).Run() })
	r := lintIn(t, dir, "-fix", "./fixes/...")
	notWritten := checkOutcome(t, dir, r, orig, fixed, changed, "open "+name+": operation not permitted")
	if !slices.Equal(notWritten, []string{name}) {
		t.Errorf("not written: %v, want only the immutable file %s", notWritten, name)
	}
}
