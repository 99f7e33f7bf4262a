package analyzer

import (
	"fmt"
	"go/ast"

	"golang.org/x/tools/go/analysis"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/fix"
)

// FixMessage is the title of the one suggested fix of every diagnostic.
const FixMessage = "Cancel the RPC when the errgroup's context is done"

// render assembles the diagnostic of f: its message and its edits, both
// from the plan p (nil when there is no fix), its related locations, its
// category and the URL of its documentation.
func render(f *finding, p *fix.Plan) analysis.Diagnostic {
	var code fix.Code
	var names fix.Names
	switch {
	case p != nil:
		code, names = p.Code(), p.Names()
	case f.spec != nil:
		code, names = f.spec.Code(), f.spec.DefaultNames()
	case f.group != nil:
		names = fix.Names{GroupCtx: groupCtxOrDefault(f.group)}
	}
	u, g := f.use, f.group
	var at ast.Node = u.site
	if f.lateForOpen {
		at = u.stream.open // the opening blocks first
	}
	d := analysis.Diagnostic{
		Pos:      at.Pos(),
		End:      at.End(),
		Category: f.kind,
		Message:  f.message(code, names),
		URL:      kindURL(f.kind),
	}
	if f.kind != kindHandlerReceive && f.kind != kindCloseOnlyCancels {
		switch s := u.stream; {
		case s.assign != nil:
			d.Related = append(d.Related, related(s.assign.stmt.Node(), fmt.Sprintf("%s opened here", s.name)))
		case s.open != nil:
			d.Related = append(d.Related, related(s.open, "stream opened here"))
		}
	}
	switch {
	case g != nil:
		d.Related = append(d.Related, related(g.assign.stmt.Node(), fmt.Sprintf("group %s created here", g.name())))
	case f.ret != nil:
		d.Related = append(d.Related, related(f.ret, fmt.Sprintf("%s returns here with the stream open", funcName(f.fn))))
	}
	if p != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{{Message: FixMessage, TextEdits: p.Edits()}}
	}
	return d
}

func related(n ast.Node, message string) analysis.RelatedInformation {
	return analysis.RelatedInformation{Pos: n.Pos(), End: n.End(), Message: message}
}
