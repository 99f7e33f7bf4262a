package fix

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/inspector"
)

// Edits renders the plan as text edits: the import, the derived pair, the
// group's context, and the wiring, each from the plan's Code.
func (p *Plan) Edits() []analysis.TextEdit {
	s, c := p.spec, p.Code()
	if s.Remedy == CloseAtSite {
		return []analysis.TextEdit{p.closeAtSite(c)}
	}
	var out []analysis.TextEdit
	if p.importCtx {
		out = append(out, p.addImport("context"))
	}
	if w := p.wrap; w != nil {
		out = append(out, p.insertBefore(w.at, c.Pair, c.Defer), replace(w.ctxArg, w.ctx))
		if w.reparent != nil {
			out = append(out, replace(w.reparent, w.ctx))
		}
	}
	if p.gctx == nil { // a fix of a function without a group
		return append(out, p.insertAfter(p.after, c.Wiring))
	}
	if gc := p.gctx; gc.rename != nil {
		out = append(out, replace(gc.rename, gc.name))
	} else if gc.create.Valid() {
		out = append(out, replace(gc.create.Node(), c.Create))
	}
	if s.Remedy == OpenUnderGroup {
		out = append(out, replace(s.Swap, c.Swap))
		if c.Wiring != "" {
			out = append(out, p.insertAfter(p.after, c.Wiring))
		}
		return out
	}
	if p.before.Valid() {
		// After the pair, which the edit above inserts at the same point.
		return append(out, p.insertBefore(p.before, c.Wiring))
	}
	return append(out, p.insertAfter(p.after, c.Wiring))
}

// closeAtSite adds the close to the func that already cancels the stream
// once the group's context is done.
func (p *Plan) closeAtSite(c Code) analysis.TextEdit {
	site := p.spec.Site
	if site.Arg != nil {
		return replace(site.Arg, c.SiteFunc)
	}
	body := site.Lit.Body
	if p.tok.Line(body.Lbrace) == p.tok.Line(body.Rbrace) {
		return insertion(site.Stmt.Node().End(), "; "+c.Close)
	}
	return p.insertAfter(site.Stmt, c.Close)
}

// insertAfter inserts a statement on a line of its own after stmt, after
// any comment that ends stmt's line.
func (p *Plan) insertAfter(stmt inspector.Cursor, text string) analysis.TextEdit {
	line := p.tok.Line(stmt.Node().End())
	return insertion(p.lineEnd(line), "\n"+p.indent(stmt.Node().Pos())+text)
}

// insertBefore inserts statements on lines of their own before stmt,
// above the comments that lead up to it, so that those comments stay
// with the statement they describe.
func (p *Plan) insertBefore(stmt inspector.Cursor, lines ...string) analysis.TextEdit {
	start := stmt.Node().Pos()
	line := p.tok.Line(start)
	comments := p.spec.File.Comments
	before, _ := slices.BinarySearchFunc(comments, start, func(cg *ast.CommentGroup, pos token.Pos) int {
		return cmp.Compare(cg.Pos(), pos)
	})
	for i := before - 1; i >= 0; i-- {
		cg := comments[i]
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
func (p *Plan) addImport(path string) analysis.TextEdit {
	file := p.spec.File
	quoted := fmt.Sprintf("%q", path)
	var first *ast.GenDecl
	for _, d := range file.Decls {
		if gd, ok := d.(*ast.GenDecl); ok && gd.Tok == token.IMPORT {
			first = gd
			break
		}
	}
	if first == nil {
		return insertion(file.Name.End(), "\n\nimport "+quoted)
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
func (p *Plan) lineEnd(line int) token.Pos {
	if line < p.tok.LineCount() {
		return p.tok.LineStart(line+1) - 1
	}
	return token.Pos(p.tok.Base() + p.tok.Size())
}

// indent returns the indentation of the line holding pos (gofmt indents
// with tabs, one per level).
func (p *Plan) indent(pos token.Pos) string {
	return strings.Repeat("\t", max(p.tok.Position(pos).Column, 1)-1)
}

func insertion(pos token.Pos, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: pos, End: pos, NewText: []byte(text)}
}

func replace(n ast.Node, text string) analysis.TextEdit {
	return analysis.TextEdit{Pos: n.Pos(), End: n.End(), NewText: []byte(text)}
}
