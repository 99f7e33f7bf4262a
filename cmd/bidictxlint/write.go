package main

// Writing fixed files so that none is ever left partly written.
//
// x/tools' checker writes a fixed file with os.WriteFile, which
// truncates the file and then writes it: a full disk or a write error
// leaves it cut short, the original gone. Here each file is written to
// a temporary file beside it, synced, given the original's mode and
// owner, and renamed over the original; the rename is atomic, so a
// reader sees the old file or the new one, never part of either. Every
// file's temporary is written before any is renamed, so a full disk
// changes no file at all unless every file fits.
//
// Checks made before replacing a file, each failing that file only:
//   - its content is still what was analysed (else it changed since it
//     was read, and the fix could undo that change);
//   - it can be opened for writing: a file the user cannot write (mode
//     0444, chattr +i) is not replaced behind its back, though the rename
//     would need only the directory's permission;
//   - it has one link: a rename would cut a hard link, leaving the other
//     name with the old content;
//   - its owner and group can be kept: a file of another user, which only
//     root could give back to that user, is not replaced.
//
// A symbolic link is followed: its target is replaced, the link stays.
//
// This is what github.com/google/renameio does (a temporary file beside
// the target, sync, rename); it is written here because it is short,
// the checks above are not renameio's, and the main module depends on
// x/tools and little else.

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// A writer replaces files. Its fields are the file system operations it
// uses, so that tests can make them fail.
type writer struct {
	// write writes data to f, as f.Write.
	write func(f *os.File, data []byte) (int, error)
	// rename replaces newpath by oldpath, as os.Rename.
	rename func(oldpath, newpath string) error
}

func newWriter() *writer {
	return &writer{
		write:  func(f *os.File, data []byte) (int, error) { return f.Write(data) },
		rename: os.Rename,
	}
}

// A pending file is written to its temporary and waits to be renamed
// over its target.
type pending struct {
	name   string // the file as named by the analysis
	target string // the file replaced (name with symbolic links followed)
	tmp    string
}

// prepare writes data to a temporary file beside the file name, after
// checking that name still has content old and may be replaced. On
// error nothing is left behind.
func (w *writer) prepare(name string, old, data []byte) (*pending, error) {
	target, err := filepath.EvalSymlinks(name)
	if err != nil {
		return nil, err
	}
	info, err := os.Stat(target)
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", target)
	}
	// Writable by this user, as the file itself says.
	f, err := os.OpenFile(target, os.O_RDWR, 0)
	if err != nil {
		return nil, err
	}
	cur, err := io.ReadAll(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	if !bytes.Equal(cur, old) {
		return nil, errors.New("it changed since it was read; run the command again")
	}
	st, _ := info.Sys().(*syscall.Stat_t)
	if st != nil && st.Nlink > 1 {
		return nil, fmt.Errorf("it has %d hard links, which replacing it would separate", st.Nlink)
	}
	if st != nil && int(st.Uid) != os.Geteuid() && os.Geteuid() != 0 {
		return nil, fmt.Errorf("it belongs to user %d, and a replacement written by user %d could not keep its owner", st.Uid, os.Geteuid())
	}

	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".bidictxlint-*")
	if err != nil {
		return nil, err
	}
	err = w.fill(tmp, data, info.Mode(), st)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(tmp.Name())
		// The temporary file's name tells the user nothing.
		if pe, ok := err.(*fs.PathError); ok && pe.Path == tmp.Name() {
			err = pe.Err
		}
		return nil, fmt.Errorf("writing the new content beside it: %w", err)
	}
	return &pending{name: name, target: target, tmp: tmp.Name()}, nil
}

// fill writes data to f, gives it the mode and owner of the original,
// and syncs it.
func (w *writer) fill(f *os.File, data []byte, mode fs.FileMode, st *syscall.Stat_t) error {
	n, err := w.write(f, data)
	if err == nil && n < len(data) {
		err = io.ErrShortWrite
	}
	if err != nil {
		return err
	}
	if err := f.Chmod(mode & (fs.ModePerm | fs.ModeSetuid | fs.ModeSetgid | fs.ModeSticky)); err != nil {
		return err
	}
	if st != nil && (int(st.Uid) != os.Geteuid() || int(st.Gid) != os.Getegid()) {
		if err := f.Chown(int(st.Uid), int(st.Gid)); err != nil {
			return fmt.Errorf("cannot keep the file's owner and group: %w", err)
		}
	}
	return f.Sync()
}

// commit renames the temporary file over its target and syncs the
// directory, so that the rename survives a crash.
func (w *writer) commit(p *pending) error {
	if err := w.rename(p.tmp, p.target); err != nil {
		os.Remove(p.tmp)
		return err
	}
	if d, err := os.Open(filepath.Dir(p.target)); err == nil {
		d.Sync() // best effort: the rename is done
		d.Close()
	}
	return nil
}

// abort removes the temporary file.
func (w *writer) abort(p *pending) { os.Remove(p.tmp) }

// writeAll replaces each changed file of the plan: every temporary file
// first, then the renames. A file whose temporary cannot be written is
// left as it was; the fixes that edit it are withdrawn from every other
// file they edit (which is then written without them), so that no fix
// is applied in part. It returns the files replaced.
func (p *planner) writeAll(w *writer) (written []*fileState) {
	prepared := make(map[*fileState]*pending)
	for {
		failed := false
		for _, fs := range p.changed() {
			if pd := prepared[fs]; pd != nil {
				continue
			}
			pd, err := w.prepare(fs.name, fs.src, fs.out)
			if err != nil {
				p.fail(fs, err)
				failed = true
				continue
			}
			prepared[fs] = pd
		}
		if !failed {
			break
		}
		// Withdraw the fixes of the failed files; files that lose fixes
		// are rendered again and their temporaries written again.
		before := make(map[*fileState]string)
		for fs := range prepared {
			before[fs] = string(fs.out)
		}
		p.settle()
		for fs, pd := range prepared {
			if fs.failed || fs.out == nil || string(fs.out) != before[fs] || bytes.Equal(fs.out, fs.src) {
				w.abort(pd)
				delete(prepared, fs)
			}
		}
	}
	for _, fs := range p.changed() {
		pd := prepared[fs]
		if err := w.commit(pd); err != nil {
			p.fail(fs, err)
			continue
		}
		written = append(written, fs)
	}
	// A rename that failed after others succeeded: its fixes are not
	// applied there; a fix that also edits a file already renamed is
	// applied in part, which the summary says.
	for _, fs := range p.files {
		if fs.failed {
			for _, t := range fs.taken {
				for _, f := range t.owners {
					if f.fixed {
						f.fixed = false
						f.reason = fmt.Sprintf("%s was not written: %v", fs.name, fs.err)
					}
				}
			}
		}
	}
	return written
}
