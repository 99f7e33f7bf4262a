package analyzer

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// edits renders the fix of r as text edits: the import, the derived
// pair, the group's context, and the wiring, each from the plan.
func (c *checker) edits(r *remedy) []analysis.TextEdit {
	p := r.fix
	if r.site != nil {
		return []analysis.TextEdit{p.closeAtSite(r)}
	}
	var out []analysis.TextEdit
	if p.importCtx {
		out = append(out, p.addImport(contextPath))
	}
	if w := p.wrap; w != nil {
		out = append(out,
			p.insertBefore(w.at, fmt.Sprintf("%s, %s := %s.WithCancel(%s)", w.ctx, w.cancel, p.ctxPkg, w.ctxText), "defer "+w.cancel+"()"),
			replace(w.ctxArg, w.ctx))
		if w.reparent != nil {
			out = append(out, replace(w.reparent, w.ctx))
		}
	}
	if gc := p.gctx; gc.rename != nil {
		out = append(out, replace(gc.rename, gc.name))
	} else if gc.create.Valid() {
		out = append(out, replace(gc.create.Node(), gc.text))
	}
	if p.swap != nil {
		out = append(out, replace(p.swap, p.gctx.name))
		if r.closer != "" {
			out = append(out, p.insertAfter(p.after, r.closeEach(p.ctxPkg, p.gctx.name)))
		}
		return out
	}
	wiring := r.wiring(names{ctxPkg: p.ctxPkg, cancel: p.cancel, gctx: p.gctx.name})
	if p.before.Valid() {
		// After the pair, which the edit above inserts at the same point.
		return append(out, p.insertBefore(p.before, wiring))
	}
	return append(out, p.insertAfter(p.after, wiring))
}

// closeAtSite adds the close to the func that already cancels the stream
// once the group's context is done.
func (p *fixPlan) closeAtSite(r *remedy) analysis.TextEdit {
	site, closing := r.site, r.closeCall()
	if site.arg != nil {
		return replace(site.arg, fmt.Sprintf("func() { %s(); %s }", types.ExprString(site.arg), closing))
	}
	body := site.lit.Body
	if p.tok.Line(body.Lbrace) == p.tok.Line(body.Rbrace) {
		return insertion(site.stmt.Node().End(), "; "+closing)
	}
	return p.insertAfter(site.stmt, closing)
}

// insertAfter inserts a statement on a line of its own after stmt, after
// any comment that ends stmt's line.
func (p *fixPlan) insertAfter(stmt inspector.Cursor, text string) analysis.TextEdit {
	line := p.tok.Line(stmt.Node().End())
	return insertion(p.lineEnd(line), "\n"+p.indent(stmt.Node().Pos())+text)
}

// insertBefore inserts statements on lines of their own before stmt,
// above the comments that lead up to it, so that those comments stay
// with the statement they describe.
func (p *fixPlan) insertBefore(stmt inspector.Cursor, lines ...string) analysis.TextEdit {
	start := stmt.Node().Pos()
	line := p.tok.Line(start)
	before, _ := slices.BinarySearchFunc(p.file.Comments, start, func(cg *ast.CommentGroup, pos token.Pos) int {
		return cmp.Compare(cg.Pos(), pos)
	})
	for i := before - 1; i >= 0; i-- {
		cg := p.file.Comments[i]
		if p.tok.Line(cg.End()) != line-1 || p.tok.Position(cg.Pos()).Column != p.tok.Position(start).Column {
			break
		}
		line = p.tok.Line(cg.Pos())
	}
	indent := p.indent(start)
	var b strings.Builder
	for _, l := range lines {
		b.WriteString(indent + l + "\n")
	}
	return insertion(p.tok.LineStart(line), b.String())
}

// addImport returns the edit that adds an import of path (a standard
// library package) where gofmt keeps it: sorted into the first import
// block's standard library group, else as a declaration of its own.
func (p *fixPlan) addImport(path string) analysis.TextEdit {
	quoted := fmt.Sprintf("%q", path)
	var first *ast.GenDecl
	for _, d := range p.file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			first = gd
			break
		}
	}
	if first == nil {
		return insertion(p.file.Name.End(), "\n\nimport "+quoted)
	}
	if !first.Lparen.IsValid() {
		return insertion(first.Pos(), "import "+quoted+"\n")
	}
	var lastStd *ast.ImportSpec
	for _, s := range first.Specs {
		spec := s.(*ast.ImportSpec)
		path2 := strings.Trim(spec.Path.Value, "`\"")
		if !isStdPath(path2) {
			if lastStd != nil {
				break
			}
			return insertion(spec.Pos(), quoted+"\n\n\t") // no standard library group yet: start one on top
		}
		if path2 > path {
			return insertion(spec.Pos(), quoted+"\n\t")
		}
		lastStd = spec
	}
	if lastStd != nil {
		return insertion(lastStd.End(), "\n\t"+quoted)
	}
	return insertion(first.Lparen+1, "\n\t"+quoted)
}

func isStdPath(p string) bool {
	first, _, _ := strings.Cut(p, "/")
	return !strings.Contains(first, ".")
}

// lineEnd returns the position of the newline that ends line.
func (p *fixPlan) lineEnd(line int) token.Pos {
	if line < p.tok.LineCount() {
		return p.tok.LineStart(line+1) - 1
	}
	return token.Pos(p.tok.Base() + p.tok.Size())
}

// indent returns the indentation of the line holding pos (gofmt indents
// with tabs, one per level).
func (p *fixPlan) indent(pos token.Pos) string {
	return strings.Repeat("\t", max(p.tok.Position(pos).Column, 1)-1)
}

func insertion(pos token.Pos, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: pos, End: pos, NewText: []byte(text)}
}

func replace(n ast.Node, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: n.Pos(), End: n.End(), NewText: []byte(text)}
}
