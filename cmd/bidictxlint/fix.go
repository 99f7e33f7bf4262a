package main

// Planning -fix: which findings' fixes are applied, and each file's
// fixed content, before anything is written.
//
// The rules are x/tools' checker's (driverutil.ApplyFixes), made exact
// and fast:
//   - each finding's first suggested fix is applied whole or not at all;
//   - fixes are taken in order of their findings' positions, and a fix
//     with an edit that overlaps an edit already taken is skipped (the
//     rest still apply; the finding is printed as not fixed, naming the
//     fix it conflicts with, and a second run can apply it);
//   - an edit identical to one already taken is the same edit (two fixes
//     that add the same import), and insertions at one offset go in the
//     order of their fixes;
//   - no edit goes to a generated file, to a file of a package that did
//     not load without errors, or to a file that is not a Go source file
//     of the packages (cgo output in the build cache);
//   - each fixed file is gofmt'd; a fixed file that does not parse is not
//     written, and its fixes count as not applied.
//
// Two edits overlap when they share a byte, or one is an insertion
// strictly inside the other's range: a.start < b.end && b.start < a.end.
// x/tools merges some such pairs by splitting them (an insertion inside
// a replaced range lands in the middle of the replacement); here they
// are a conflict.
//
// Cost: x/tools merges every fix into the file's accumulated edits, so
// n fixes to one file cost O(n²). Here the overlap test is a prefix
// maximum over the file's candidate edits sorted by start (a Fenwick
// tree), O(log n) a fix edit, and each file is rendered once.

import (
	"bytes"
	"cmp"
	"fmt"
	"go/ast"
	"go/format"
	"go/token"
	"slices"
	"sort"

	"golang.org/x/tools/go/analysis"
)

// A finding is one diagnostic, reported once (a package and its test
// variant report the same one).
type finding struct {
	fset *token.FileSet
	diag analysis.Diagnostic
	posn token.Position
	pkg  string // ID of the package whose analysis reported it

	// Set by planning.
	fixed  bool   // its fix is applied (or, with -diff, in the diff)
	reason string // why it was not fixed
}

// An edit is a text edit in one file: bytes [start, end) replaced by text.
type edit struct {
	start, end int
	text       string
}

// A fileState is a file that fixes edit.
type fileState struct {
	name string
	src  []byte // the content analysed

	cands []candEdit // every candidate edit to the file, by start
	tree  []maxEnd   // Fenwick tree of the taken edits' ends over cands
	taken map[edit]*takenEdit

	out    []byte   // the fixed, formatted content
	spans  [][4]int // each edit's offsets in src and out, when out is not reformatted
	err    error    // why the file is not written
	failed bool
}

type candEdit struct {
	edit
	f *finding
}

type maxEnd struct {
	end int
	f   *finding // the finding whose fix took the edit
}

type takenEdit struct {
	edit
	seq    int        // order taken, for insertions at one offset
	owners []*finding // fixes that made this edit
}

// A planner decides which fixes apply. Its inputs are the findings and
// what the loaded packages say about files.
type planner struct {
	findings []*finding
	files    map[string]*fileState
	byFix    map[*finding][]fileEdit // the edits of each finding's fix

	// sources maps each file analysed to its content; generated and
	// blocked say which files take no edit and why.
	sources   map[string][]byte
	generated map[string]bool
	blocked   map[string]string // file -> reason
	editable  map[string]bool   // the Go source files of the packages
	seq       int
}

type fileEdit struct {
	file string
	edit
}

// plan decides, for each finding, whether its fix is applied, and
// computes the content of every file that changes.
func (p *planner) plan() {
	p.choose(p.candidates())
	for _, fs := range p.files {
		p.render(fs)
	}
	p.settle()
}

// candidates returns the findings with a fix whose edits all go to files
// that may be edited, in order, and indexes their edits by file.
func (p *planner) candidates() []*finding {
	p.files = make(map[string]*fileState)
	p.byFix = make(map[*finding][]fileEdit)

	var cands []*finding
	for _, f := range p.findings {
		f.fixed, f.reason = false, ""
		if len(f.diag.SuggestedFixes) == 0 {
			f.reason = "no fix is offered for this case; change the code as the message says"
			continue
		}
		edits, reason := p.edits(f)
		if reason != "" {
			f.reason = reason
			continue
		}
		p.byFix[f] = edits
		cands = append(cands, f)
		for _, e := range edits {
			fs := p.file(e.file)
			fs.cands = append(fs.cands, candEdit{e.edit, f})
		}
	}
	for _, fs := range p.files {
		slices.SortFunc(fs.cands, func(a, b candEdit) int { return cmp.Compare(a.start, b.start) })
		fs.tree = make([]maxEnd, len(fs.cands)+1)
		fs.taken = make(map[edit]*takenEdit)
	}

	return cands
}

// choose takes the candidates' fixes in order, each unless it conflicts
// with one taken before.
func (p *planner) choose(cands []*finding) {
	for _, f := range cands {
		if other := p.conflict(f); other != nil {
			f.reason = fmt.Sprintf("its fix overlaps the fix of the finding at %s; run -fix again to apply it", other.posn)
			continue
		}
		p.take(f)
		f.fixed = true
	}
}

// edits converts a finding's first fix to file edits, or says why it
// cannot be applied.
func (p *planner) edits(f *finding) ([]fileEdit, string) {
	var out []fileEdit
	for _, te := range f.diag.SuggestedFixes[0].TextEdits {
		tf := f.fset.File(te.Pos)
		if tf == nil {
			return nil, "its fix has an edit outside the files analysed"
		}
		name := tf.Name()
		switch {
		case p.generated[name]:
			return nil, fmt.Sprintf("%s is a generated file (its generator, not the file, should change)", name)
		case p.blocked[name] != "":
			return nil, p.blocked[name]
		case !p.editable[name]:
			return nil, fmt.Sprintf("%s is not a Go source file of the package", name)
		}
		src, ok := p.sources[name]
		if !ok || len(src) != tf.Size() {
			return nil, fmt.Sprintf("%s changed while it was read", name)
		}
		end := te.End
		if !end.IsValid() {
			end = te.Pos
		}
		out = append(out, fileEdit{name, edit{tf.Offset(te.Pos), tf.Offset(end), string(te.NewText)}})
	}
	return out, ""
}

func (p *planner) file(name string) *fileState {
	fs := p.files[name]
	if fs == nil {
		fs = &fileState{name: name, src: p.sources[name]}
		p.files[name] = fs
	}
	return fs
}

// conflict returns the finding whose taken edit overlaps an edit of f's
// fix, or nil.
func (p *planner) conflict(f *finding) *finding {
	for _, e := range p.byFix[f] {
		fs := p.files[e.file]
		if fs.taken[e.edit] != nil {
			continue // the same edit
		}
		// Taken edits that start before e ends: does one end after e
		// starts?
		n := sort.Search(len(fs.cands), func(i int) bool { return fs.cands[i].start >= e.end })
		if m := fs.prefixMax(n); m.f != nil && m.end > e.start {
			return m.f
		}
	}
	return nil
}

// take records f's edits as taken.
func (p *planner) take(f *finding) {
	for _, e := range p.byFix[f] {
		fs := p.files[e.file]
		if t := fs.taken[e.edit]; t != nil {
			t.owners = append(t.owners, f)
			continue
		}
		p.seq++
		fs.taken[e.edit] = &takenEdit{edit: e.edit, seq: p.seq, owners: []*finding{f}}
		// The candidate's index: the first with this start and finding.
		i := sort.Search(len(fs.cands), func(i int) bool { return fs.cands[i].start >= e.start })
		for ; i < len(fs.cands); i++ {
			if c := fs.cands[i]; c.f == f && c.edit == e.edit {
				break
			}
		}
		fs.update(i, maxEnd{e.end, f})
	}
}

// prefixMax returns the taken edit with the greatest end among
// cands[:n].
func (fs *fileState) prefixMax(n int) maxEnd {
	var m maxEnd
	for ; n > 0; n -= n & -n {
		if t := fs.tree[n]; t.f != nil && (m.f == nil || t.end > m.end) {
			m = t
		}
	}
	return m
}

func (fs *fileState) update(i int, v maxEnd) {
	for n := i + 1; n < len(fs.tree); n += n & -n {
		if t := fs.tree[n]; t.f == nil || v.end > t.end {
			fs.tree[n] = v
		}
	}
}

// render computes the file's fixed content from its taken edits.
func (p *planner) render(fs *fileState) {
	edits := make([]*takenEdit, 0, len(fs.taken))
	for _, t := range fs.taken {
		if len(t.owners) > 0 {
			edits = append(edits, t)
		}
	}
	if len(edits) == 0 {
		fs.out = nil
		return
	}
	slices.SortFunc(edits, func(a, b *takenEdit) int {
		return cmp.Or(cmp.Compare(a.start, b.start), cmp.Compare(a.end, b.end), cmp.Compare(a.seq, b.seq))
	})
	var buf bytes.Buffer
	last := 0
	fs.spans = fs.spans[:0]
	for _, e := range edits {
		buf.Write(fs.src[last:e.start])
		at := buf.Len()
		buf.WriteString(e.text)
		fs.spans = append(fs.spans, [4]int{e.start, e.end, at, buf.Len()})
		last = e.end
	}
	buf.Write(fs.src[last:])
	out, err := format.Source(buf.Bytes())
	if err != nil {
		p.fail(fs, fmt.Errorf("the fixed file would not parse (%v); a bug in bidictxlint's fix", err))
		return
	}
	if !bytes.Equal(out, buf.Bytes()) {
		fs.spans = nil // formatting moved other lines: diff the whole file
	}
	fs.out = out
}

// diff returns the file's changes as a unified diff under name.
func (fs *fileState) diff(name string) string {
	var regions []region
	if fs.spans != nil {
		regions = editRegions(string(fs.src), string(fs.out), fs.spans)
	}
	return unified(name, lineDiff(splitLines(string(fs.src)), splitLines(string(fs.out)), regions))
}

// fail marks the file as not written, for err.
func (p *planner) fail(fs *fileState, err error) {
	fs.failed = true
	fs.err = err
	fs.out = nil
}

// settle withdraws the fixes that edit a failed file from every other
// file they edit, and renders those again, until no fix spans a failed
// file and a file written: a fix lands in all its files or in none.
func (p *planner) settle() {
	for {
		changed := false
		for _, fs := range p.files {
			if !fs.failed {
				continue
			}
			for _, t := range fs.taken {
				for _, f := range t.owners {
					if f.fixed {
						f.fixed = false
						f.reason = fmt.Sprintf("%s was not written: %v", fs.name, fs.err)
						changed = true
					}
				}
			}
		}
		if !changed {
			return
		}
		for _, fs := range p.files {
			if fs.failed {
				continue
			}
			dirty := false
			for _, t := range fs.taken {
				n := len(t.owners)
				t.owners = slices.DeleteFunc(t.owners, func(f *finding) bool { return !f.fixed })
				dirty = dirty || len(t.owners) != n
			}
			if dirty {
				p.render(fs)
			}
		}
	}
}

// changed returns the files whose content the fixes change, by name.
func (p *planner) changed() []*fileState {
	var out []*fileState
	for _, fs := range p.files {
		if !fs.failed && fs.out != nil && !bytes.Equal(fs.out, fs.src) {
			out = append(out, fs)
		}
	}
	slices.SortFunc(out, func(a, b *fileState) int { return cmp.Compare(a.name, b.name) })
	return out
}

// isGenerated reports whether a file is generated, by the Go convention
// (a "// Code generated ... DO NOT EDIT." line before the package
// clause).
func isGenerated(f *ast.File) bool { return ast.IsGenerated(f) }
