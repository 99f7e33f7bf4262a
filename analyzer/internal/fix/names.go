package fix

import (
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// fresh returns a name based on base that neither collides with nor
// shadows anything visible at pos, nor anything declared later in the
// scopes below, nor a name another plan of the package chose in the same
// function: base, base2, base3, ... (docs/fixes.md#names-imports-and-comments).
func (pl *Planner) fresh(p *Plan, base string, pos token.Pos) string {
	scope := code.ScopeAt(p.scope, pos)
	taken := pl.claimed[p.scope]
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

// denotes reports whether obj is what its name denotes at pos.
func (p *Plan) denotes(obj types.Object, pos token.Pos) bool {
	return code.Denotes(p.scope, obj, pos)
}

// scopeReaches reports whether what the statement at from declares is in
// scope at the end of the statement at to.
func (p *Plan) scopeReaches(from, to inspector.Cursor) bool {
	return p.scopeReachesPos(from, to.Node().End())
}

// scopeReachesPos is scopeReaches for a position.
func (p *Plan) scopeReachesPos(from inspector.Cursor, pos token.Pos) bool {
	a := code.ScopeAt(p.scope, from.Node().Pos())
	for s := code.ScopeAt(p.scope, pos); s != nil; s = s.Parent() {
		if s == a {
			return true
		}
	}
	return false
}

// useContextPkg finds the file's name for package context, or plans its
// import (docs/fixes.md#names-imports-and-comments). A local "context" that would hide the
// import means no fix.
func (pl *Planner) useContextPkg(p *Plan, pos token.Pos) error {
	if p.names.CtxPkg = p.importName(pl, "context", pos); p.names.CtxPkg != "" {
		return nil
	}
	if _, obj := code.ScopeAt(p.scope, pos).LookupParent("context", pos); obj != nil {
		return errors.New(`a local name "context" hides the context package`)
	}
	p.names.CtxPkg, p.importCtx = "context", true
	return nil
}

// importName returns the name under which the file imports path, if it
// does and that name denotes the package at pos; "" otherwise.
func (p *Plan) importName(pl *Planner, path string, pos token.Pos) string {
	for _, spec := range p.spec.File.Imports {
		if strings.Trim(spec.Path.Value, "`\"") != path {
			continue
		}
		pn := pl.info.PkgNameOf(spec)
		if pn == nil || pn.Name() == "_" || pn.Name() == "." {
			continue
		}
		if _, obj := code.ScopeAt(p.scope, pos).LookupParent(pn.Name(), pos); obj == pn {
			return pn.Name()
		}
	}
	return ""
}
