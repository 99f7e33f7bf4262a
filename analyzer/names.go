package analyzer

import (
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"
)

// scopeAt returns the innermost scope at pos, looked up from the scope of
// the function the fix is in.
func (p *fixPlan) scopeAt(pos token.Pos) *types.Scope {
	if s := p.scope.Innermost(pos); s != nil {
		return s
	}
	return p.scope
}

// fresh returns a name based on base that neither collides with nor
// shadows anything visible at pos, nor anything declared later in the
// scopes below, nor a name another fix of this package chose in the same
// function: base, base2, base3, ... (SPEC section 5).
func (p *fixPlan) fresh(c *checker, base string, pos token.Pos) string {
	scope := p.scopeAt(pos)
	taken := c.fixes.claimed[p.scope]
	for i := 1; ; i++ {
		name := base
		if i > 1 {
			name = fmt.Sprintf("%s%d", base, i)
		}
		if taken[name] || p.claims[name] || !free(scope, name, pos) {
			continue
		}
		p.claims[name] = true
		return name
	}
}

// free reports whether name is unused at pos in scope and below it.
func free(scope *types.Scope, name string, pos token.Pos) bool {
	if _, obj := scope.LookupParent(name, pos); obj != nil {
		return false
	}
	return !declaredBelow(scope, name)
}

func declaredBelow(s *types.Scope, name string) bool {
	if s.Lookup(name) != nil {
		return true
	}
	for child := range s.Children() {
		if declaredBelow(child, name) {
			return true
		}
	}
	return false
}

// visibleAt reports whether obj is what its name denotes at pos.
func (p *fixPlan) visibleAt(obj types.Object, pos token.Pos) bool {
	_, found := p.scopeAt(pos).LookupParent(obj.Name(), pos)
	return found == obj
}

// scopeReaches reports whether what is declared by the statement at from
// is in scope at the end of the statement at to.
func (p *fixPlan) scopeReaches(from, to inspector.Cursor) bool {
	return p.scopeReachesPos(from, to.Node().End())
}

// scopeReachesPos is scopeReaches for a position: whether what the
// statement at from declares is in scope at pos.
func (p *fixPlan) scopeReachesPos(from inspector.Cursor, pos token.Pos) bool {
	a := p.scopeAt(from.Node().Pos())
	for s := p.scopeAt(pos); s != nil; s = s.Parent() {
		if s == a {
			return true
		}
	}
	return false
}

// useContextPkg finds the file's name for package context, or plans its
// import. It reports false when a local "context" would hide the import.
func (p *fixPlan) useContextPkg(c *checker, pos token.Pos) bool {
	if p.ctxPkg = p.importName(c, contextPath, pos); p.ctxPkg != "" {
		return true
	}
	if _, obj := p.scopeAt(pos).LookupParent("context", pos); obj != nil {
		return false
	}
	p.ctxPkg, p.importCtx = "context", true
	return true
}

// importName returns the name under which the file imports path, if it
// does and that name denotes the package at pos; "" otherwise.
func (p *fixPlan) importName(c *checker, path string, pos token.Pos) string {
	for _, spec := range p.file.Imports {
		if strings.Trim(spec.Path.Value, "`\"") != path {
			continue
		}
		pn := c.info.PkgNameOf(spec)
		if pn == nil || pn.Name() == "_" || pn.Name() == "." {
			continue
		}
		if _, obj := p.scopeAt(pos).LookupParent(pn.Name(), pos); obj == pn {
			return pn.Name()
		}
	}
	return ""
}
