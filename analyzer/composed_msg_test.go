package analyzer_test

import (
	"cmp"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"go/types"
	"os"
	"regexp"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/packages"
)

// This file holds the message checks of TestComposed and TestRegressions.

type msgProblem struct{ kind, detail string }

// checkMessage checks the code a message shows: no method call on a call
// (`_ = c.Chat(ctx).CloseResponse()` would open a second stream), only
// identifiers that exist in the function that creates the group (or that
// the fix introduces), and, when there is a fix, code the fix writes.
func checkMessage(p *packages.Package, ix *declIndex, d analysis.Diagnostic) []msgProblem {
	var probs []msgProblem
	frags := codeFragments(d.Message)
	if len(frags) == 0 {
		return nil
	}
	visible := visibleNames(p, ix, d)
	// Names the fix introduces: defined with := or given to a blank.
	introduced := make(map[string]bool)
	var after string // the file with this diagnostic's fix applied
	if len(d.SuggestedFixes) > 0 {
		var edits []fileEdit
		var src []byte
		for _, e := range d.SuggestedFixes[0].TextEdits {
			for _, m := range definedNames.FindAllStringSubmatch(string(e.NewText), -1) {
				for _, n := range strings.Split(m[1], ",") {
					introduced[strings.TrimSpace(n)] = true
				}
			}
			if token.IsIdentifier(string(e.NewText)) {
				introduced[string(e.NewText)] = true
			}
			tf := p.Fset.File(e.Pos)
			if tf == nil || tf != p.Fset.File(d.Pos) {
				continue // an edit in another file (imports)
			}
			if src == nil {
				src, _ = readGenFile(p, tf.Name())
			}
			edits = append(edits, fileEdit{tf.Offset(e.Pos), tf.Offset(cmp.Or(e.End, e.Pos)), string(e.NewText), nil})
		}
		fixed, _ := mergeEdits(src, edits)
		after = squash(string(fixed))
	}
	// Names the message asks to create.
	asked := make(map[string]bool)
	if strings.Contains(d.Message, "errgroup.WithContext") || strings.Contains(d.Message, "name the group's context") {
		asked["gctx"] = true
	}
	if strings.Contains(d.Message, "with context.WithCancel") {
		asked["cancel"] = true
	}
	for _, frag := range frags {
		x, err := parser.ParseExpr(frag)
		if err != nil {
			continue
		}
		ast.Inspect(x, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if call, ok := ast.Unparen(sel.X).(*ast.CallExpr); ok {
				probs = append(probs, msgProblem{"writes a method call on a call, which evaluates the call again (a second stream)",
					fmt.Sprintf("%s in %s", types.ExprString(call), frag)})
			}
			return true
		})
		for _, id := range freeIdents(x) {
			switch {
			case visible[id] || asked[id]:
			case introduced[id]:
				probs = append(probs, msgProblem{"names an identifier that only its fix creates, without saying to create it",
					fmt.Sprintf("%s in %s", id, frag)})
			default:
				probs = append(probs, msgProblem{"names an identifier that does not exist where it says to write it",
					fmt.Sprintf("%s in %s", id, frag)})
			}
		}
		if after != "" && isStatementFragment(frag) && !strings.Contains(after, squash(frag)) {
			probs = append(probs, msgProblem{"shows code the fix does not write", frag})
		}
	}
	return probs
}

// readGenFile reads a file of p: from disk, or for a package checked in
// memory, from the files it was checked from.
func readGenFile(p *packages.Package, name string) ([]byte, error) {
	if b, ok := memFiles[name]; ok {
		return b, nil
	}
	return os.ReadFile(name)
}

// memFiles are the files of the package memCheck checks, by name.
var memFiles = map[string][]byte{}

var definedNames = regexp.MustCompile(`(?m)(\b[A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*:=`)

// isStatementFragment reports whether frag is code to write as it is (a
// registration), rather than a value it names.
func isStatementFragment(frag string) bool {
	return strings.HasPrefix(frag, "context.AfterFunc(") || strings.HasPrefix(frag, "go func()")
}

func squash(s string) string {
	return strings.Map(func(r rune) rune {
		if r == ' ' || r == '\t' || r == '\n' || r == ';' {
			return -1
		}
		return r
	}, s)
}

// codeFragments finds the calls a message shows as code: the maximal
// runs `a.b(...)` with balanced parentheses, and `_ = x.M()`. The
// diagnostic's subject at the very start (`stream.Receive can block`)
// describes, it is not code to write.
func codeFragments(msg string) []string {
	var out []string
	var s scanner.Scanner
	fset := token.NewFileSet()
	file := fset.AddFile("", fset.Base(), len(msg))
	s.Init(file, []byte(msg), func(token.Position, string) {}, 0)
	type tok struct {
		pos int
		tok token.Token
		lit string
	}
	var toks []tok
	for {
		pos, t, lit := s.Scan()
		if t == token.EOF {
			break
		}
		toks = append(toks, tok{file.Offset(pos), t, lit})
	}
	for i := 0; i < len(toks); i++ {
		if toks[i].tok != token.IDENT {
			continue
		}
		// an identifier chain followed by "("
		j := i
		for j+2 < len(toks) && toks[j+1].tok == token.PERIOD && toks[j+2].tok == token.IDENT {
			j += 2
		}
		if j+1 >= len(toks) || toks[j+1].tok != token.LPAREN {
			continue
		}
		depth, k := 0, j+1
		for ; k < len(toks); k++ {
			switch toks[k].tok {
			case token.LPAREN, token.LBRACE, token.LBRACK:
				depth++
			case token.RPAREN, token.RBRACE, token.RBRACK:
				depth--
			}
			if depth == 0 {
				break
			}
		}
		if k >= len(toks) {
			continue
		}
		// a trailing .M() on the call
		for k+3 < len(toks) && toks[k+1].tok == token.PERIOD && toks[k+2].tok == token.IDENT && toks[k+3].tok == token.LPAREN {
			depth, k = 0, k+3
			for ; k < len(toks); k++ {
				switch toks[k].tok {
				case token.LPAREN:
					depth++
				case token.RPAREN:
					depth--
				}
				if depth == 0 {
					break
				}
			}
			if k >= len(toks) {
				break
			}
		}
		if k >= len(toks) {
			continue
		}
		start, end := toks[i].pos, toks[k].pos+1
		if start == 0 {
			i = k
			continue
		}
		out = append(out, msg[start:end])
		i = k
	}
	return out
}

// freeIdents returns the identifiers of x that are not selected fields
// or methods, package names, predeclared names or blank.
func freeIdents(x ast.Expr) []string {
	var out []string
	skip := make(map[*ast.Ident]bool)
	ast.Inspect(x, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.SelectorExpr:
			skip[n.Sel] = true
		case *ast.FuncType:
			return false
		case *ast.Ident:
			if !skip[n] && n.Name != "_" && types.Universe.Lookup(n.Name) == nil && !knownPackages[n.Name] && !slices.Contains(out, n.Name) {
				out = append(out, n.Name)
			}
		}
		return true
	})
	return out
}

var knownPackages = map[string]bool{"context": true, "errgroup": true, "metadata": true, "time": true, "connect": true, "connectv2": true}

// visibleNames are the names that the code a message shows can use: the
// package's, and those of the function that creates the group and of
// the function that opens the stream (a task, for a stream opened there:
// its close is registered there): parameters, receivers and the
// variables declared outside nested function literals.
func visibleNames(p *packages.Package, ix *declIndex, d analysis.Diagnostic) map[string]bool {
	names := make(map[string]bool)
	for _, n := range p.Types.Scope().Names() {
		names[n] = true
	}
	var sites []token.Pos
	for _, r := range d.Related {
		if strings.HasPrefix(r.Message, "group ") || strings.HasSuffix(r.Message, " opened here") {
			sites = append(sites, r.Pos)
		}
	}
	for _, at := range sites {
		decl, ok := ix.declAt(at).(*ast.FuncDecl)
		if !ok {
			continue
		}
		// The names defined in the functions (declaration or literals)
		// around at: a literal sees its enclosing functions' variables.
		ast.Inspect(decl, func(n ast.Node) bool {
			if lit, ok := n.(*ast.FuncLit); ok && !(lit.Pos() <= at && at < lit.End()) {
				return false
			}
			if id, ok := n.(*ast.Ident); ok && p.TypesInfo.Defs[id] != nil {
				names[id.Name] = true
			}
			return true
		})
		if decl.Recv != nil {
			for _, f := range decl.Recv.List {
				for _, n := range f.Names {
					names[n.Name] = true
				}
			}
		}
	}
	return names
}
