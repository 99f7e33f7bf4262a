package analyzer

// Which assignments reach a position: the index's answers to "what does
// this variable hold here". Contexts are tracked by the assignment that
// reaches the opening call, never by the variable alone
// (docs/rules.md#the-streams-context); under a condition, every value that
// can reach it counts.

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// reaching returns the assignment whose value obj holds at pos, or nil. Within
// one top-level declaration, textual order stands in for control flow:
// the last assignment that ends before pos (good enough for the straight-line
// code that opens a stream and starts a group). Defs in other functions
// are unordered with respect to pos; of them, only a package-level
// declaration reaches it.
func (x *index) reaching(obj types.Object, pos token.Pos) *assign {
	v, ok := obj.(*types.Var)
	if !ok {
		return nil
	}
	var last *assign
	for _, d := range x.assignsIn(v, x.topAt(pos)) {
		if d.end <= pos {
			last = d
		}
	}
	if last != nil {
		return last
	}
	return x.declOfVar(v)
}

// reachingValues returns the assignments of obj whose values can reach pos:
// the last one in a block that encloses pos (it is always run before pos,
// textually), then those after it in blocks that do not (run on some
// paths only: `if t > 0 { sctx, cancel = ... }`). Two such assigns in the
// two branches of one if statement together stand for the dominating
// one. entry is true when no assignment dominates, so the value the variable
// had before them (on entry) can reach pos too. Outside the function,
// only reaching's answer counts.
func (x *index) reachingValues(obj types.Object, pos token.Pos) (assigns []*assign, entry bool) {
	v, ok := obj.(*types.Var)
	if !ok {
		return nil, false
	}
	entry = true
	for _, d := range x.assignsIn(v, x.topAt(pos)) {
		if d.end > pos {
			continue
		}
		if block := blockOf(d.stmt); !block.Valid() || code.Within(block.Node(), pos) {
			assigns, entry = []*assign{d}, false
			continue
		}
		if n := len(assigns); n > 0 && inBothBranches(assigns[n-1], d) {
			assigns, entry = []*assign{assigns[n-1], d}, false
			continue
		}
		assigns = append(assigns, d)
	}
	if len(assigns) == 0 {
		if d := x.reaching(obj, pos); d != nil {
			return []*assign{d}, false
		}
		return nil, true
	}
	return assigns, entry
}

// blockOf returns the block or case clause whose list holds the
// statement of the assignment at stmt.
func blockOf(stmt inspector.Cursor) inspector.Cursor {
	for p := range stmt.Enclosing((*ast.BlockStmt)(nil), (*ast.CaseClause)(nil), (*ast.CommClause)(nil)) {
		return p
	}
	return inspector.Cursor{}
}

// inBothBranches reports whether a and b stand directly in the then and
// else blocks of one if statement.
func inBothBranches(a, b *assign) bool {
	ba, bb := blockOf(a.stmt), blockOf(b.stmt)
	if !ba.Valid() || !bb.Valid() {
		return false
	}
	ifs, ok := ba.Parent().Node().(*ast.IfStmt)
	return ok && ifs.Body == ba.Node() && ifs.Else == bb.Node()
}

// assignsBefore returns the assignments of obj that end before pos in the top-level
// declaration that holds pos, in source order.
func (x *index) assignsBefore(obj types.Object, pos token.Pos) []*assign {
	v, _ := obj.(*types.Var)
	var out []*assign
	for _, d := range x.assignsIn(v, x.topAt(pos)) {
		if d.end <= pos {
			out = append(out, d)
		}
	}
	return out
}
