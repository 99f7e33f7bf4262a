package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"strings"
	"unicode"

	"golang.org/x/tools/go/analysis"
)

// Suppression directives (docs/checks.md#silencing-a-finding). The
// analyzer's own is
//
//	//bidictxlint:ignore ID[,ID...] reason
//
// which silences the findings of the kinds it names; the reason is
// required. With Settings.Nolint it also honours golangci-lint's
// //nolint, read as golangci-lint reads it: //nolint:bidictxlint (in a
// list or not), //nolint:all and a //nolint that names no linter silence
// every finding.
//
// A directive covers the lines of the comment block it is in and the
// whole syntax node that starts on the next line in the block's column:
// the statement below it, the function whose doc comment holds it, the
// file below a package doc comment. That is golangci-lint's rule for
// //nolint, so a //nolint silences here what it silences there; a
// //bidictxlint:ignore at the end of a line of code covers that line
// alone. A finding is covered when the line it is reported on is.
//
// A directive that silenced nothing is reported (unused-directive), as is
// one that cannot be read (bad-directive), which silences nothing. A
// //nolint is reported unused only when it names bidictxlint: the others
// are for other linters as well. Unused directives are not reported in a
// package with type errors, where findings may be missing.

// ignorePrefix starts every directive of the analyzer's own.
const ignorePrefix = "//" + Name + ":"

// A directive is one suppression comment.
type directive struct {
	pos, end token.Pos // the comment
	written  string    // the directive as written, without its reason
	nolint   bool      // golangci-lint's //nolint
	all      bool      // a //nolint for every linter: never reported unused
	only     bool      // a //nolint that names bidictxlint alone
	ids      []string  // the kinds a //bidictxlint:ignore silences
	used     []bool    // per ID; a //nolint's in used[0]

	// The lines covered, in file.
	file     *token.File
	from, to int
}

// suppressor filters a pass's diagnostics through the directives of its
// files.
type suppressor struct {
	fset   *token.FileSet
	byFile map[*token.File][]*directive
	all    []*directive // in file and position order
}

// withDirectives runs run on a copy of pass whose Report drops the
// diagnostics that a directive silences, then reports the directives
// that cannot be read and, unless the package has type errors, those
// that silenced nothing. A package's directives are looked for even when
// run finds nothing to check there: a stale one is reported all the same.
func withDirectives(pass *analysis.Pass, s Settings, run func(*analysis.Pass, Settings) (any, error)) (any, error) {
	sup, bad := newSuppressor(pass, s.Nolint)
	for _, d := range bad {
		pass.Report(d)
	}
	if len(sup.all) == 0 {
		return run(pass, s)
	}
	p := *pass
	p.Report = func(d analysis.Diagnostic) {
		if !sup.silences(d) {
			pass.Report(d)
		}
	}
	res, err := run(&p, s)
	if err == nil && len(pass.TypeErrors) == 0 {
		for _, d := range sup.unused() {
			pass.Report(d)
		}
	}
	return res, err
}

// newSuppressor reads the directives of the pass's files (//nolint too
// when nolint is set) and returns them with a diagnostic for each one
// that cannot be read.
func newSuppressor(pass *analysis.Pass, nolint bool) (*suppressor, []analysis.Diagnostic) {
	sup := &suppressor{fset: pass.Fset, byFile: make(map[*token.File][]*directive)}
	ds := &directiveScan{nolint: nolint}
	// Every comment of the package is read, so the texts of a file's
	// comments are copied a chunk at a time to arrays on the stack before
	// their first bytes are read: the loads of many comments then overlap,
	// which they do not while one comment's text is tested before the
	// next comment is found (docs/performance.md#the-fast-exit).
	var texts [commentChunk]string
	var comments [commentChunk]*ast.Comment
	var groups [commentChunk]*ast.CommentGroup
	for _, f := range pass.Files {
		ds.found, ds.groups = nil, nil
		n := 0
		for _, cg := range f.Comments {
			for _, c := range cg.List {
				texts[n], comments[n], groups[n] = c.Text, c, cg
				if n++; n == commentChunk {
					ds.scan(texts[:], comments[:], groups[:])
					n = 0
				}
			}
		}
		ds.scan(texts[:n], comments[:n], groups[:n])
		if len(ds.found) == 0 {
			continue
		}
		file := pass.Fset.File(f.FileStart)
		if file == nil {
			file = pass.Fset.File(f.Pos())
		}
		if file == nil {
			continue
		}
		cover(file, f, ds.found, ds.groups)
		sup.byFile[file] = ds.found
		sup.all = append(sup.all, ds.found...)
	}
	return sup, ds.bad
}

// commentChunk is how many comments newSuppressor reads at a time.
const commentChunk = 128

// A directiveScan is the state of newSuppressor: the directives of the
// file being read and the comment block of each, and the diagnostics of
// the directives that cannot be read, in all files.
type directiveScan struct {
	nolint bool
	found  []*directive
	groups []*ast.CommentGroup
	bad    []analysis.Diagnostic
}

// scan reads the comments cs, whose texts are texts and whose blocks are
// cgs.
func (ds *directiveScan) scan(texts []string, cs []*ast.Comment, cgs []*ast.CommentGroup) {
	for i, text := range texts {
		var d *directive
		var msg string
		switch directiveLike(text, ds.nolint) {
		case 'b':
			d, msg = parseIgnore(text)
		case 'n':
			d = parseNolint(text)
		default:
			continue
		}
		c := cs[i]
		if msg != "" {
			ds.bad = append(ds.bad, analysis.Diagnostic{
				Pos: c.Pos(), End: c.End(),
				Category: kindBadDirective, URL: kindURL(kindBadDirective),
				Message: msg,
			})
		}
		if d != nil {
			d.pos, d.end = c.Pos(), c.End()
			ds.found = append(ds.found, d)
			ds.groups = append(ds.groups, cgs[i])
		}
	}
}

// cover sets the lines each directive of ds covers: those of its comment
// block (groups[i] for ds[i]) and, extending them, those of every node of
// f that starts on the line after the block, in the block's column.
// golangci-lint extends a //nolint so even after code; a
// //bidictxlint:ignore at the end of a line of code covers that line
// alone.
func cover(file *token.File, f *ast.File, ds []*directive, groups []*ast.CommentGroup) {
	type start struct{ line, col int }
	below := make(map[start][]int) // the directives a node starting there extends
	onLine := make(map[int][]int)  // the directives whose block starts on a line
	afterCode := make([]bool, len(ds))
	extended := make([]int, len(ds))
	for i, d := range ds {
		p := file.Position(groups[i].Pos())
		d.file, d.from, d.to = file, p.Line, file.Line(groups[i].End())
		k := start{d.to + 1, p.Column}
		below[k] = append(below[k], i)
		onLine[d.from] = append(onLine[d.from], i)
	}
	inFile := func(p token.Pos) bool {
		return p.IsValid() && file.Base() <= int(p) && int(p) <= file.Base()+file.Size()
	}
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil || !inFile(n.Pos()) || !inFile(n.End()) {
			return n != nil
		}
		end := file.Line(n.End())
		switch n.(type) {
		case *ast.Comment, *ast.CommentGroup:
		default:
			for _, i := range onLine[end] {
				if n.End() <= groups[i].Pos() {
					afterCode[i] = true
				}
			}
		}
		p := file.Position(n.Pos())
		for _, i := range below[start{p.Line, p.Column}] {
			extended[i] = max(extended[i], end)
		}
		return true
	})
	for i, d := range ds {
		if d.nolint || !afterCode[i] {
			d.to = max(d.to, extended[i])
		}
	}
}

// silences reports whether a directive silences d, and marks those that
// do as used. Diagnostics about directives are never silenced.
func (s *suppressor) silences(d analysis.Diagnostic) bool {
	if k, ok := kindOf(d.Category); ok && k.Directive {
		return false
	}
	file := s.fset.File(d.Pos)
	if file == nil {
		return false
	}
	line := file.Line(d.Pos)
	silenced := false
	for _, dir := range s.byFile[file] {
		if line < dir.from || line > dir.to {
			continue
		}
		if dir.nolint {
			dir.used[0] = true
			silenced = true
			continue
		}
		for i, id := range dir.ids {
			if id == d.Category {
				dir.used[i] = true
				silenced = true
			}
		}
	}
	return silenced
}

// unused returns a diagnostic for each directive, or the IDs of one,
// that silenced nothing.
func (s *suppressor) unused() []analysis.Diagnostic {
	var diags []analysis.Diagnostic
	for _, d := range s.all {
		var msg string
		switch {
		case d.nolint && !d.all && !d.used[0]:
			what := "it"
			if !d.only {
				what = Name + " from it"
			}
			msg = fmt.Sprintf("%s silences no %s finding on the lines it covers; remove %s", d.written, Name, what)
		case !d.nolint:
			var ids []string
			for i, id := range d.ids {
				if !d.used[i] {
					ids = append(ids, id)
				}
			}
			if len(ids) == 0 {
				continue
			}
			what := "it"
			if len(ids) < len(d.ids) {
				what = strings.Join(ids, " and ") + " from it"
			}
			msg = fmt.Sprintf("%s silences no %s finding on the lines it covers; remove %s", d.written, strings.Join(ids, " or "), what)
		default:
			continue
		}
		diags = append(diags, analysis.Diagnostic{
			Pos: d.pos, End: d.end,
			Category: kindUnusedDirective, URL: kindURL(kindUnusedDirective),
			Message: msg,
		})
	}
	return diags
}

// directiveLike says, from the first bytes of a comment, what it may
// be: 'b' for one that starts with //bidictxlint:, 'n' for one that may
// be a //nolint (when nolint is set), 0 for the rest, which is nearly
// every comment. Every comment of the package is asked, the ones of a
// package left at the fast exit too, so this reads as few bytes as it
// can.
func directiveLike(text string, nolint bool) byte {
	if len(text) < len("//nolint") || text[1] != '/' {
		return 0 // too short, or a /* comment */
	}
	if text[2] == Name[0] {
		if strings.HasPrefix(text, ignorePrefix) {
			return 'b'
		}
		return 0
	}
	if !nolint {
		return 0
	}
	i := 2 // parseNolint skips the slashes and spaces before "nolint"
	for i < len(text) && (text[i] == '/' || text[i] == ' ') {
		i++
	}
	if strings.HasPrefix(text[i:], "nolint") {
		return 'n'
	}
	return 0
}

// parseIgnore reads a comment that starts with //bidictxlint:. It
// returns the directive, or why it cannot be read.
func parseIgnore(text string) (*directive, string) {
	rest := strings.TrimPrefix(text, ignorePrefix)
	verb, args := rest, ""
	if i := strings.IndexFunc(rest, unicode.IsSpace); i >= 0 {
		verb, args = rest[:i], rest[i:]
	}
	if verb != "ignore" {
		return nil, fmt.Sprintf("%s%s is not a directive; write %signore followed by the IDs of the findings it silences and the reason", ignorePrefix, verb, ignorePrefix)
	}
	fields := strings.Fields(args)
	if len(fields) == 0 || strings.HasPrefix(fields[0], "//") {
		return nil, fmt.Sprintf("%signore names no kind of finding; write the IDs it silences and the reason: %signore %s reason", ignorePrefix, ignorePrefix, kindUncancelledStream)
	}
	written := ignorePrefix + "ignore " + fields[0]
	ids := strings.Split(fields[0], ",")
	for _, id := range ids {
		if id == "" {
			return nil, fmt.Sprintf("%s has an empty ID; separate the IDs with commas alone, no spaces", written)
		}
		if k, ok := kindOf(id); !ok || k.Directive {
			return nil, fmt.Sprintf("%s names %s, which is not a kind of finding; use %s", written, id, findingIDs())
		}
	}
	// The reason may follow a "//", as after a //nolint.
	if reason := strings.TrimPrefix(strings.Join(fields[1:], " "), "//"); strings.TrimSpace(reason) == "" {
		return nil, fmt.Sprintf("%s gives no reason; say after the IDs why the finding is safe to leave", written)
	}
	return &directive{written: written, ids: ids, used: make([]bool, len(ids))}, ""
}

// parseNolint reads a //nolint comment as golangci-lint's nolint filter
// does (pkg/result/processors/nolint_filter.go), and returns the
// directive if it applies to bidictxlint, else nil.
func parseNolint(text string) *directive {
	i := 0
	for i < len(text) && (text[i] == '/' || text[i] == ' ') {
		i++
	}
	t := text[i:] // strings.TrimLeft(text, "/ "), without a cutset per comment
	rest, ok := strings.CutPrefix(t, "nolint")
	if !ok || rest != "" && rest[0] != ' ' && rest[0] != ':' {
		return nil
	}
	t, _, _ = strings.Cut(t, "//")
	d := &directive{nolint: true, used: make([]bool, 1), written: "//" + strings.TrimSpace(t)}
	if strings.HasPrefix(t, "nolint:all") || !strings.HasPrefix(t, "nolint:") {
		d.all = true
		return d
	}
	named := false
	items := strings.Split(strings.TrimPrefix(t, "nolint:"), ",")
	for _, item := range items {
		switch strings.ToLower(strings.TrimSpace(item)) {
		case "all":
			d.all = true
			return d
		case Name:
			named = true
		}
	}
	if !named {
		return nil
	}
	d.only = len(items) == 1
	return d
}

// findingIDs lists the IDs a //bidictxlint:ignore can name.
func findingIDs() string {
	var ids []string
	for _, k := range kinds {
		if !k.Directive {
			ids = append(ids, k.ID)
		}
	}
	return strings.Join(ids[:len(ids)-1], ", ") + " or " + ids[len(ids)-1]
}
