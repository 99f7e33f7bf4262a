package main

// A line diff for -fix -diff. x/tools' checker computes its diff on
// bytes and widens the changes to whole lines, so an unchanged line next
// to a change is often printed as removed and added again; and its
// Myers diff over the whole file costs O(N·D), which grows with the
// square of the number of fixes in one file. This one is Myers' diff on
// lines (the shortest edit script: no unchanged line is printed as
// removed and added) run between anchors: lines that occur exactly once
// in each version, kept in order (the longest increasing run of them,
// as patience diff does). The fixes change a few lines at a time, so
// the anchors cut the file into small gaps and the cost grows with the
// size of the file and of the changes, not their product. Inside every
// gap the script is minimal; anchoring a unique line that is the same
// on both sides never makes a script longer in code that fixes only
// insert or replace lines around it.

import (
	"fmt"
	"slices"
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

// lineDiff returns an edit script from a to b.
func lineDiff(a, b []string) []op {
	var ops []op
	// Common prefix and suffix.
	p := 0
	for p < len(a) && p < len(b) && a[p] == b[p] {
		p++
	}
	s := 0
	for s < len(a)-p && s < len(b)-p && a[len(a)-1-s] == b[len(b)-1-s] {
		s++
	}
	for _, l := range a[:p] {
		ops = append(ops, op{' ', l})
	}
	ops = anchored(ops, a[p:len(a)-s], b[p:len(b)-s])
	for _, l := range a[len(a)-s:] {
		ops = append(ops, op{' ', l})
	}
	return ops
}

// anchored appends the script from a to b, split at unique common lines.
func anchored(ops []op, a, b []string) []op {
	type count struct{ a, b, ai, bi int }
	counts := make(map[string]*count)
	for i, l := range a {
		c := counts[l]
		if c == nil {
			c = new(count)
			counts[l] = c
		}
		c.a++
		c.ai = i
	}
	for i, l := range b {
		if c := counts[l]; c != nil {
			c.b++
			c.bi = i
		}
	}
	// Pairs of unique lines in a's order, then the longest run
	// increasing in b.
	var pairs [][2]int
	for i, l := range a {
		if c := counts[l]; c.a == 1 && c.b == 1 {
			pairs = append(pairs, [2]int{i, c.bi})
		}
	}
	anchors := increasing(pairs)
	ai, bi := 0, 0
	for _, an := range anchors {
		ops = myers(ops, a[ai:an[0]], b[bi:an[1]])
		ops = append(ops, op{' ', a[an[0]]})
		ai, bi = an[0]+1, an[1]+1
	}
	return myers(ops, a[ai:], b[bi:])
}

// increasing returns the longest subsequence of pairs (sorted by their
// first element) whose second elements increase, in O(n log n).
func increasing(pairs [][2]int) [][2]int {
	var tails []int // tails[k]: index of the smallest tail of a run of length k+1
	prev := make([]int, len(pairs))
	for i, p := range pairs {
		k, _ := slices.BinarySearchFunc(tails, p[1], func(t, v int) int { return pairs[t][1] - v })
		if k > 0 {
			prev[i] = tails[k-1]
		} else {
			prev[i] = -1
		}
		if k == len(tails) {
			tails = append(tails, i)
		} else {
			tails[k] = i
		}
	}
	out := make([][2]int, len(tails))
	for k, i := len(tails)-1, -1; k >= 0; k-- {
		if k == len(tails)-1 {
			i = tails[k]
		}
		out[k] = pairs[i]
		i = prev[i]
	}
	return out
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
