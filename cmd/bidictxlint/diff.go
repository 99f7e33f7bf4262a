package main

// A line diff for -fix -diff. x/tools' checker computes its diff on
// bytes and widens the changes to whole lines, so an unchanged line next
// to a change is often printed as removed and added again; and it runs
// Myers' diff over the whole file, O(N·D), which grows with the square
// of the number of fixes in one file.
//
// Here the diff is on lines and is Myers' shortest edit script, so no
// unchanged line is printed as removed and added. It is computed only
// where the fixes changed the file: each edit's lines, in the original
// and in the fixed file, are known from the edit, and the lines between
// two such regions are the same on both sides; the script is the
// shortest within each region, and the cost grows with the size of the
// file plus the square of the largest region, not of all the changes.
// When formatting changed lines no edit touched (a file that was not
// gofmt'd), the whole file is one region.

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// An op is one line of the edit script: ' ' keep, '-' delete, '+' insert.
type op struct {
	kind byte
	line string
}

// splitLines splits s into lines, each with its newline (the last one
// may have none).
func splitLines(s string) []string {
	var lines []string
	for l := range strings.Lines(s) {
		lines = append(lines, l)
	}
	return lines
}

// A region is a range of lines [a0, a1) of the old file and [b0, b1) of
// the new one that may differ; outside regions the files have the same
// lines in the same order.
type region struct{ a0, a1, b0, b1 int }

// lineIndex returns the index of the line that contains offset off, for
// a file whose lines start at starts.
func lineIndex(starts []int, off int) int {
	return sort.Search(len(starts), func(i int) bool { return starts[i] > off }) - 1
}

// lineStarts returns the offset of each line of s.
func lineStarts(s string) []int {
	starts := []int{0}
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' && i+1 < len(s) {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// editRegions returns the regions that edits (sorted, not overlapping,
// each with its offsets in old and in new) change, merged where they
// touch.
func editRegions(old, new string, spans [][4]int) []region {
	as, bs := lineStarts(old), lineStarts(new)
	var out []region
	for _, sp := range spans {
		r := region{lineIndex(as, sp[0]), lineIndex(as, sp[1]) + 1, lineIndex(bs, sp[2]), lineIndex(bs, sp[3]) + 1}
		if n := len(out); n > 0 && (r.a0 <= out[n-1].a1 || r.b0 <= out[n-1].b1) {
			out[n-1].a1 = max(out[n-1].a1, r.a1)
			out[n-1].b1 = max(out[n-1].b1, r.b1)
			continue
		}
		out = append(out, r)
	}
	return out
}

// lineDiff returns an edit script from a to b that changes only lines
// within regions (nil: the whole files).
func lineDiff(a, b []string, regions []region) []op {
	if regions == nil {
		regions = []region{{0, len(a), 0, len(b)}}
	}
	var ops []op
	ai, bi := 0, 0
	for _, r := range regions {
		r.a1, r.b1 = min(r.a1, len(a)), min(r.b1, len(b))
		if r.a0-ai != r.b0-bi || r.a0 > r.a1 || r.b0 > r.b1 {
			return lineDiff(a, b, nil) // not the regions of these files
		}
		for ; ai < r.a0; ai, bi = ai+1, bi+1 {
			if a[ai] != b[bi] {
				return lineDiff(a, b, nil)
			}
			ops = append(ops, op{' ', a[ai]})
		}
		ra, rb := a[r.a0:r.a1], b[r.b0:r.b1]
		// The common start and end of the region need no search.
		p := 0
		for p < len(ra) && p < len(rb) && ra[p] == rb[p] {
			p++
		}
		s := 0
		for s < len(ra)-p && s < len(rb)-p && ra[len(ra)-1-s] == rb[len(rb)-1-s] {
			s++
		}
		for _, l := range ra[:p] {
			ops = append(ops, op{' ', l})
		}
		ops = myers(ops, ra[p:len(ra)-s], rb[p:len(rb)-s])
		for _, l := range ra[len(ra)-s:] {
			ops = append(ops, op{' ', l})
		}
		ai, bi = r.a1, r.b1
	}
	if len(a)-ai != len(b)-bi {
		return lineDiff(a, b, nil)
	}
	for ; ai < len(a); ai, bi = ai+1, bi+1 {
		if a[ai] != b[bi] {
			return lineDiff(a, b, nil)
		}
		ops = append(ops, op{' ', a[ai]})
	}
	return ops
}

// maxD bounds the edit distance searched within one gap between
// anchors: the search keeps each round's frontier, O(D²) memory. A gap
// that needs more (a rewrite with no line left in place, which no fix
// makes) is printed as all its old lines removed and its new ones added.
const maxD = 2048

// myers appends the shortest edit script from a to b (Myers 1986, the
// greedy forward search, keeping each round's frontier to trace back).
func myers(ops []op, a, b []string) []op {
	n, m := len(a), len(b)
	whole := func() []op {
		for _, l := range a {
			ops = append(ops, op{'-', l})
		}
		for _, l := range b {
			ops = append(ops, op{'+', l})
		}
		return ops
	}
	if n == 0 || m == 0 {
		return whole()
	}
	limit := min(n+m, maxD)
	off := limit + 1
	v := make([]int32, 2*limit+3)
	// trace[d] is v before round d, for k in [-d-1, d+1], at k+d+1.
	var trace [][]int32
	d := 0
search:
	for ; ; d++ {
		if d > limit {
			return whole()
		}
		trace = append(trace, slices.Clone(v[off-d-1:off+d+2]))
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[off+k-1] < v[off+k+1] {
				x = int(v[off+k+1]) // down: an insertion
			} else {
				x = int(v[off+k-1]) + 1 // right: a deletion
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x, y = x+1, y+1
			}
			v[off+k] = int32(x)
			if x >= n && y >= m {
				break search
			}
		}
	}
	// Trace back from (n, m), collecting the script in reverse.
	var rev []op
	x, y := n, m
	for ; d > 0; d-- {
		pv := trace[d]
		at := func(k int) int { return int(pv[k+d+1]) }
		k := x - y
		pk := k - 1
		if k == -d || k != d && at(k-1) < at(k+1) {
			pk = k + 1
		}
		px := at(pk)
		py := px - pk
		for x > px && y > py {
			x, y = x-1, y-1
			rev = append(rev, op{' ', a[x]})
		}
		if pk == k+1 {
			rev = append(rev, op{'+', b[py]})
		} else {
			rev = append(rev, op{'-', a[px]})
		}
		x, y = px, py
	}
	for x > 0 && y > 0 {
		x, y = x-1, y-1
		rev = append(rev, op{' ', a[x]})
	}
	for i := len(rev) - 1; i >= 0; i-- {
		ops = append(ops, rev[i])
	}
	return ops
}

// unified formats the script as a unified diff with three lines of
// context, under the header "--- name" and "+++ name".
func unified(name string, ops []op) string {
	const context = 3
	var sb strings.Builder
	fmt.Fprintf(&sb, "--- %s\n+++ %s\n", name, name)
	// Line numbers (1-based) before each op in a and b.
	na, nb := make([]int, len(ops)+1), make([]int, len(ops)+1)
	na[0], nb[0] = 1, 1
	for i, o := range ops {
		na[i+1], nb[i+1] = na[i], nb[i]
		if o.kind != '+' {
			na[i+1]++
		}
		if o.kind != '-' {
			nb[i+1]++
		}
	}
	changed := func(i int) bool { return ops[i].kind != ' ' }
	for i := 0; i < len(ops); {
		if !changed(i) {
			i++
			continue
		}
		// A hunk: from context lines before the first change to context
		// lines after the last change that is within 2*context of the
		// next.
		start := max(0, i-context)
		end := i
		for j := i; j < len(ops); j++ {
			if changed(j) {
				end = j + 1
			} else if j-end >= 2*context {
				break
			}
		}
		end = min(len(ops), end+context)
		la, lb := 0, 0
		for _, o := range ops[start:end] {
			if o.kind != '+' {
				la++
			}
			if o.kind != '-' {
				lb++
			}
		}
		fmt.Fprintf(&sb, "@@ -%s +%s @@\n", hunkRange(na[start], la), hunkRange(nb[start], lb))
		for _, o := range ops[start:end] {
			sb.WriteByte(o.kind)
			sb.WriteString(o.line)
			if !strings.HasSuffix(o.line, "\n") {
				sb.WriteString("\n\\ No newline at end of file\n")
			}
		}
		i = end
	}
	return sb.String()
}

// hunkRange formats a hunk's range as diff -u does: "start,len", the
// start one less for an empty range, and ",len" left out when it is 1.
func hunkRange(start, n int) string {
	switch n {
	case 0:
		return fmt.Sprintf("%d,0", start-1)
	case 1:
		return fmt.Sprint(start)
	}
	return fmt.Sprintf("%d,%d", start, n)
}
