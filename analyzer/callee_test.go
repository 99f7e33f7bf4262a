package analyzer

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/types/typeutil"
)

// TestCalleeFunc checks calleeFunc, which answers from Uses alone,
// against typeutil.Callee, and staticFunc against the same less method
// expressions, on every call shape that names a function: a
// package function, a local one, a generic instantiation, a method value
// (concrete, promoted, through an interface), a method expression, and
// calls that name no function (a func-valued field or variable, a
// conversion, a builtin, a literal).
func TestCalleeFunc(t *testing.T) {
	const src = `package p

import "context"

type T struct{ f func() }

func (T) M()         {}
func (*T) P(int)     {}
func G[X any](X)     {}
func H[X, Y any](X, Y) {}

type E struct{ T }

type I interface{ M() }

func use(ctx context.Context, t T, pt *T, e E, i I, v func()) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	<-ctx.Done()
	context.AfterFunc(ctx, v)
	t.M()
	pt.P(1)
	e.M()
	i.M()
	T.M(t)
	(*T).P(pt, 2)
	G[int](1)
	G(2)
	H[int, string](1, "")
	t.f()
	v()
	_ = int64(1)
	_ = len("x")
	func() {}()
	(use)(ctx, t, pt, e, i, v)
}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	info := &types.Info{
		Types:      make(map[ast.Expr]types.TypeAndValue),
		Uses:       make(map[*ast.Ident]types.Object),
		Defs:       make(map[*ast.Ident]types.Object),
		Selections: make(map[*ast.SelectorExpr]*types.Selection),
		Instances:  make(map[*ast.Ident]types.Instance),
	}
	conf := types.Config{Importer: importer.ForCompiler(fset, "source", nil)}
	if _, err := conf.Check("p", fset, []*ast.File{f}, info); err != nil {
		t.Fatal(err)
	}
	calls, funcs := 0, 0
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		calls++
		want, _ := typeutil.Callee(info, call).(*types.Func)
		got := calleeFunc(info, call.Fun)
		if got != want {
			t.Errorf("%s: calleeFunc = %v, typeutil.Callee = %v", types.ExprString(call), got, want)
		}
		if want != nil {
			funcs++
		}
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok {
			if s := info.Selections[sel]; s != nil && s.Kind() == types.MethodExpr {
				want = nil
			}
		}
		if got := staticFunc(info, call.Fun); got != want {
			t.Errorf("%s: staticFunc = %v, want %v", types.ExprString(call), got, want)
		}
		return true
	})
	if calls != 19 || funcs != 13 {
		t.Errorf("the source has %d calls, %d of them to functions, want 19 and 13: the cases did not type-check as meant", calls, funcs)
	}
}
