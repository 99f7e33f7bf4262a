package compose

import (
	"go/parser"
	"go/token"
	"testing"
)

// TestDeterministic checks that a unit depends on its seed and number
// only, and that FromDims writes it again from its printed dimensions.
func TestDeterministic(t *testing.T) {
	for id := range 200 {
		a, b := New(7, id), New(7, id)
		if a.Src != b.Src || a.Dims != b.Dims {
			t.Fatalf("unit %d of seed 7 differs between two calls", id)
		}
		d, err := ParseDims(a.Dims.String())
		if err != nil {
			t.Fatalf("unit %d: ParseDims(%q): %v", id, a.Dims, err)
		}
		if c := FromDims(7, id, d); c.Src != a.Src {
			t.Fatalf("unit %d: written again from %q, it differs:\n%s\nwant\n%s", id, a.Dims, c.Src, a.Src)
		}
	}
}

// TestCoverage checks that every value of every dimension survives
// normalisation in some unit of six thousand, that the three verdicts
// all occur, and that every file parses.
func TestCoverage(t *testing.T) {
	var seen [numDims]map[int]bool
	for x := range seen {
		seen[x] = make(map[int]bool)
	}
	verdicts := make(map[Verdict]int)
	var units []Unit
	for id := range 6000 {
		u := New(1, id)
		units = append(units, u)
		verdicts[u.Verdict]++
		for x := range numDims {
			if u.Dims.Applies(Dim(x)) {
				seen[x][u.Dims[x]] = true
			}
		}
	}
	for x := range numDims {
		for v, name := range dimValues[x] {
			if !seen[x][v] {
				t.Errorf("dimension %s: value %s never generated", dimNames[x], name)
			}
		}
	}
	for _, v := range []Verdict{Bug, Clean, Unknown} {
		if verdicts[v] < 100 {
			t.Errorf("only %d of %d units are %v", verdicts[v], len(units), v)
		}
	}
	for lo := 0; lo < len(units); lo += 500 {
		src, err := File("p", units[lo:lo+500])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "p.go", src, 0); err != nil {
			t.Fatal(err)
		}
	}
}
