package compose

import (
	"bytes"
	"go/ast"
	"go/format"
	"go/parser"
	"go/token"
	"strings"

	"golang.org/x/tools/go/ast/astutil"
)

// noErrorTasks rewrites the tasks of a sync.WaitGroup unit into the
// func() that wg.Go takes. The emitter writes every task as an errgroup's
// func() error; here each function passed to group.Go (a literal, a
// local func value, a method value, a constructor's literal) loses its
// result, and its own returns their values: `return err` becomes
// `return`, and `return work()` becomes `_ = work()` then `return`.
// Literals nested in a task keep theirs.
func noErrorTasks(src, group string) (string, error) {
	const pkg = "package p\n\n"
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "u.go", pkg+src, parser.ParseComments)
	if err != nil {
		return "", err
	}
	decls := make(map[string]*ast.FuncDecl)
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok {
			decls[fd.Name.Name] = fd // a method run and a function share no name
		}
	}
	funcVals := make(map[string]*ast.FuncLit)
	ast.Inspect(f, func(n ast.Node) bool {
		if as, ok := n.(*ast.AssignStmt); ok && len(as.Lhs) == 1 && len(as.Rhs) == 1 {
			if id, ok := as.Lhs[0].(*ast.Ident); ok {
				if lit, ok := as.Rhs[0].(*ast.FuncLit); ok {
					funcVals[id.Name] = lit
				}
			}
		}
		return true
	})
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) != 1 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "Go" {
			return true
		}
		if id, ok := sel.X.(*ast.Ident); !ok || id.Name != group {
			return true
		}
		switch a := call.Args[0].(type) {
		case *ast.FuncLit:
			noResult(a.Type, a.Body)
		case *ast.Ident:
			if lit := funcVals[a.Name]; lit != nil {
				noResult(lit.Type, lit.Body)
			}
		case *ast.SelectorExpr: // t.run
			if fd := decls[a.Sel.Name]; fd != nil && fd.Recv != nil {
				noResult(fd.Type, fd.Body)
			}
		case *ast.CallExpr: // recvTask(client, sctx)
			id, ok := a.Fun.(*ast.Ident)
			if !ok {
				break
			}
			if fd := decls[id.Name]; fd != nil && fd.Type.Results != nil && len(fd.Type.Results.List) == 1 {
				if ft, ok := fd.Type.Results.List[0].Type.(*ast.FuncType); ok {
					ft.Results = nil
				}
				ast.Inspect(fd.Body, func(n ast.Node) bool {
					if ret, ok := n.(*ast.ReturnStmt); ok && len(ret.Results) == 1 {
						if lit, ok := ret.Results[0].(*ast.FuncLit); ok {
							noResult(lit.Type, lit.Body)
						}
					}
					_, lit := n.(*ast.FuncLit)
					return !lit
				})
			}
		}
		return true
	})
	var b bytes.Buffer
	if err := format.Node(&b, fset, f); err != nil {
		return "", err
	}
	return strings.TrimPrefix(b.String(), pkg), nil
}

// noResult drops the result of the function of type ft and body, and the
// values of its own returns.
func noResult(ft *ast.FuncType, body *ast.BlockStmt) {
	ft.Results = nil
	astutil.Apply(body, func(c *astutil.Cursor) bool {
		switch n := c.Node().(type) {
		case *ast.FuncLit:
			return false
		case *ast.ReturnStmt:
			if len(n.Results) == 1 {
				if _, isName := n.Results[0].(*ast.Ident); !isName {
					c.InsertBefore(&ast.AssignStmt{Lhs: []ast.Expr{ast.NewIdent("_")}, Tok: token.ASSIGN, Rhs: n.Results})
				}
				n.Results = nil
			}
		}
		return true
	}, nil)
}
