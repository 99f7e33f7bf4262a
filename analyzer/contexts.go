package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ast/edge"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// A ctxNode is one context value: what a context expression evaluates to
// at a given position. Nodes form a forest by derivation (`parent`), so
// that "derives from the group context" and "is an ancestor reached by
// cancelable steps only" are walks up the tree.
type ctxNode struct {
	parent *ctxNode     // the context it was derived from, or nil for a root
	step   deriveStep   // how it was derived from parent
	cancel types.Object // the cancel func returned with it, if any
	cause  bool         // cancel is a CancelCauseFunc
	assign *assign      // the assignment that made it, if it is a variable's

	background bool // context.Background() or context.TODO(): never cancelled

	// alts are the values a variable can hold at a use reached by
	// several assignments (sctx := ctx; if t > 0 { sctx, cancel = ... }),
	// for a join node; every one of them counts
	// (docs/rules.md#the-streams-context).
	alts []*ctxNode
}

// A deriveStep is how a context was derived from its parent.
type deriveStep uint8

const (
	stepNone     deriveStep = iota // a root: parameter, Background, opaque call, join
	stepCancel                     // WithCancel, WithTimeout, WithDeadline and their Cause forms
	stepValue                      // WithValue: keeps the parent's cancellation
	stepGroup                      // errgroup.WithContext: the group's context
	stepNoCancel                   // WithoutCancel: cuts cancellation
	stepAlias                      // plain copy: ctx2 := ctx
)

// propagates reports whether cancelling the parent cancels the child.
func (s deriveStep) propagates() bool { return s != stepNone && s != stepNoCancel }

// ctxKey identifies one context value: the value an assignment assigns, a
// variable on entry (a parameter or a package variable), or an
// expression evaluated once.
type ctxKey struct {
	assign *assign
	obj    types.Object
	expr   ast.Expr
}

// ctxAt returns the context value of e evaluated at pos.
func (c *checker) ctxAt(e ast.Expr, pos token.Pos) *ctxNode {
	e = ast.Unparen(e)
	switch x := e.(type) {
	case *ast.Ident:
		obj := c.info.ObjectOf(x)
		if obj == nil {
			return c.opaqueCtx(e)
		}
		assigns, entry := c.reachingValues(obj, pos)
		switch {
		case len(assigns) == 1 && !entry:
			return c.ctxOfAssign(assigns[0])
		case len(assigns) > 0:
			return c.node(ctxKey{expr: x}, func() *ctxNode {
				n := &ctxNode{}
				for _, d := range assigns {
					n.alts = append(n.alts, c.ctxOfAssign(d))
				}
				if entry {
					n.alts = append(n.alts, c.entryCtx(obj))
				}
				return n
			})
		}
		if b, ok := c.bound.lookup(obj); ok {
			// A parameter of a followed function: the caller's value.
			outer := c.bound
			c.bound = b.fr
			defer func() { c.bound = outer }()
			return c.ctxAt(b.expr, b.expr.Pos())
		}
		return c.entryCtx(obj)
	case *ast.SelectorExpr:
		if sel := c.info.Selections[x]; sel != nil && sel.Kind() == types.FieldVal {
			if v := c.fieldValue(x.X, sel.Obj(), c.bound, pos); v != nil {
				// t.sctx: the context the caller stored in t.
				outer := c.bound
				c.bound = v.fr
				defer func() { c.bound = outer }()
				return c.ctxAt(v.expr, v.expr.Pos())
			}
			return c.node(ctxKey{obj: sel.Obj()}, func() *ctxNode { return &ctxNode{} })
		}
	case *ast.CallExpr:
		return c.node(ctxKey{expr: x}, func() *ctxNode { return c.derived(x, 0, nil) })
	}
	return c.opaqueCtx(e)
}

// entryCtx is the value a variable has on entry to the function: a
// parameter's, or a package variable's that no assignment reaches.
func (c *checker) entryCtx(obj types.Object) *ctxNode {
	return c.node(ctxKey{obj: obj}, func() *ctxNode { return &ctxNode{} })
}

func (c *checker) opaqueCtx(e ast.Expr) *ctxNode {
	return c.node(ctxKey{expr: e}, func() *ctxNode { return &ctxNode{} })
}

// node returns the one node for k, making it with mk the first time, so
// that the same value is the same node wherever it is reached from. While
// mk runs, k reads as nil: a cycle (x = f(x) in a loop, or an ill-typed
// initialisation cycle) ends there.
func (c *checker) node(k ctxKey, mk func() *ctxNode) *ctxNode {
	if n, ok := c.ctxs[k]; ok {
		return n
	}
	c.ctxs[k] = nil
	n := mk()
	c.ctxs[k] = n
	return n
}

// ctxOfAssign returns the context value assigned by d.
func (c *checker) ctxOfAssign(d *assign) *ctxNode {
	n := c.node(ctxKey{assign: d}, func() *ctxNode {
		if d.rhs == nil || d.elem {
			return &ctxNode{assign: d}
		}
		switch rhs := ast.Unparen(d.rhs).(type) {
		case *ast.CallExpr:
			n := c.derived(rhs, d.index, d)
			n.assign = d
			return n
		case *ast.Ident, *ast.SelectorExpr:
			if d.index == 0 {
				return &ctxNode{assign: d, parent: c.ctxAt(rhs, d.stmt.Node().Pos()), step: stepAlias}
			}
		}
		return &ctxNode{assign: d}
	})
	if n == nil { // a cycle
		return &ctxNode{assign: d}
	}
	return n
}

// derived returns the node for result index of call: a context derived
// by the context package or by errgroup.WithContext, or a root.
func (c *checker) derived(call *ast.CallExpr, index int, d *assign) *ctxNode {
	n := &ctxNode{}
	if parent := c.groupParentArg(call); parent != nil {
		if index == 1 {
			n.parent, n.step = c.ctxAt(parent, call.Pos()), stepGroup
		}
		return n
	}
	if index != 0 {
		return n
	}
	fn := code.FuncIn(c.info, call, contextPath)
	if fn == nil {
		// Any other function that takes a context and returns one derives
		// its result from it, as Go convention has it
		// (docs/rules.md#the-streams-context):
		// metadata.AppendToOutgoingContext, trace.ContextWithSpan,
		// same-package helpers.
		if arg := c.firstContextArg(call); arg != nil && c.returnsContext(call) {
			n.parent, n.step = c.ctxAt(arg, call.Pos()), stepValue
		}
		return n
	}
	if name := fn.Name(); name == "Background" || name == "TODO" {
		n.background = true
		return n
	}
	if len(call.Args) == 0 {
		return n
	}
	switch fn.Name() {
	case "WithCancel", "WithTimeout", "WithDeadline":
		n.step = stepCancel
	case "WithCancelCause", "WithTimeoutCause", "WithDeadlineCause":
		n.step, n.cause = stepCancel, fn.Name() == "WithCancelCause"
	case "WithValue":
		n.step = stepValue
	case "WithoutCancel":
		n.step = stepNoCancel
	default:
		return n
	}
	n.parent = c.ctxAt(call.Args[0], call.Pos())
	if n.step == stepCancel && d != nil {
		n.cancel = c.cancelFuncOf(d)
	}
	return n
}

// returnsContext reports whether call's first result is a context.Context.
func (c *checker) returnsContext(call *ast.CallExpr) bool {
	t := c.info.TypeOf(call)
	if tuple, ok := t.(*types.Tuple); ok && tuple.Len() > 0 {
		t = tuple.At(0).Type()
	}
	return t != nil && isContext(t)
}

// cancelFuncOf returns the cancel func variable assigned beside the
// context of d (`ctx, cancel := context.WithCancel(parent)`).
func (c *checker) cancelFuncOf(d *assign) types.Object {
	lhs := code.Assigned(d.stmt)
	if len(lhs) != 2 {
		return nil
	}
	id, ok := ast.Unparen(lhs[1]).(*ast.Ident)
	if !ok || id.Name == "_" {
		return nil
	}
	return c.info.ObjectOf(id)
}

// derivesFrom reports whether n is anc or derives from it through steps
// that propagate cancellation.
func derivesFrom(n, anc *ctxNode) bool {
	return reachesUp(n, func(m *ctxNode) bool { return m == anc })
}

// underGroup reports whether n is g's context or derives from it through
// steps that propagate cancellation (docs/rules.md#cancellation-paths).
func underGroup(n *ctxNode, g *group) bool {
	return g.ctxValue != nil && reachesUp(n, func(m *ctxNode) bool { return m == g.ctxValue })
}

// reachesUp reports whether is holds for n or an ancestor that n derives
// from through steps that propagate cancellation; for a join, along every
// value it joins.
func reachesUp(n *ctxNode, is func(*ctxNode) bool) bool {
	for ; n != nil; n = n.parent {
		if is(n) {
			return true
		}
		if n.alts != nil {
			return allAlts(n, func(a *ctxNode) bool { return reachesUp(a, is) })
		}
		if !n.step.propagates() {
			return false
		}
	}
	return false
}

// allAlts reports whether f holds for every value a join node n can be.
func allAlts(n *ctxNode, f func(*ctxNode) bool) bool {
	for _, a := range n.alts {
		if a == nil || !f(a) {
			return false
		}
	}
	return true
}

// cancelFuncs returns the cancel funcs that cancel n: its own and those
// of the ancestors it derives from by cancelable steps only. For a value
// joined from several assignments, those that cancel every one of them
// (statusCtx, cancel := context.WithCancelCause(...); if ... { statusCtx
// = trace.ContextWithSpan(statusCtx, span) }).
func cancelFuncs(n *ctxNode) []*ctxNode {
	var out []*ctxNode
	for ; n != nil; n = n.parent {
		if n.cancel != nil {
			out = append(out, n)
		}
		if n.alts != nil {
			return append(out, commonCancelFuncs(n.alts)...)
		}
		if !n.step.propagates() {
			break
		}
	}
	return out
}

// commonCancelFuncs returns the cancel funcs that cancel every one of
// alts, in the order of the first.
func commonCancelFuncs(alts []*ctxNode) []*ctxNode {
	if len(alts) == 0 || alts[0] == nil {
		return nil
	}
	var out []*ctxNode
	for _, n := range cancelFuncs(alts[0]) {
		if allAlts(&ctxNode{alts: alts[1:]}, func(a *ctxNode) bool { return slices.Contains(cancelFuncs(a), n) }) {
			out = append(out, n)
		}
	}
	return out
}

// callbackContext returns, when v is the context parameter of a func
// literal passed to a call that also passes a context
// (tracing.DoInSpan(ctx, name, func(ctx context.Context) { ... })), the
// context that call passes: a function that takes a context and a
// callback gives the callback a context derived from it, as Go
// convention has it (docs/rules.md#the-streams-context). nil otherwise.
func (c *checker) callbackContext(v types.Object) ast.Expr {
	if v == nil || !isContext(v.Type()) || !declaredInFunc(v) {
		return nil
	}
	top := c.topCursorAt(v.Pos())
	if !top.Valid() {
		return nil
	}
	cur, ok := top.FindByPos(v.Pos(), v.Pos())
	if !ok {
		return nil
	}
	for lit := range cur.Enclosing((*ast.FuncLit)(nil)) {
		if lit.ParentEdgeKind() != edge.CallExpr_Args {
			return nil
		}
		if !code.Within(lit.Node().(*ast.FuncLit).Type, v.Pos()) {
			return nil // declared in the body, not a parameter
		}
		return c.firstContextArg(lit.Parent().Node().(*ast.CallExpr))
	}
	return nil
}

// declaredInFunc reports whether v is declared in a function nested in
// another (a func literal's parameter, say), not a top-level function's
// parameter or a package variable: only those can be a callback's.
func declaredInFunc(v types.Object) bool {
	s := v.Parent()
	return s != nil && s.Parent() != nil && s.Parent().Parent() != nil && s.Parent().Parent() != v.Pkg().Scope() && s.Parent() != v.Pkg().Scope()
}

// firstContextArg returns the first argument of call whose type is
// context.Context.
func (c *checker) firstContextArg(call *ast.CallExpr) ast.Expr {
	for _, a := range call.Args {
		if t := c.info.TypeOf(a); t != nil && isContext(t) {
			return a
		}
	}
	return nil
}

// groupParentArg returns the parent context argument of a call that
// creates a group and its context: errgroup.WithContext(parent), or a
// same-package constructor that returns errgroup.WithContext of one of
// its parameters (`g, gctx := newGroup(ctx, 4)`, docs/rules.md#groups). nil
// for any other call.
func (c *checker) groupParentArg(call *ast.CallExpr) ast.Expr {
	if fn := code.FuncIn(c.info, call, errgroupPath); fn != nil {
		if fn.Name() == "WithContext" && len(call.Args) == 1 {
			return call.Args[0]
		}
		return nil
	}
	fn := code.StaticFunc(c.info, call)
	decl := c.funcDecl(fn)
	if !decl.Valid() || fn.Signature().Recv() != nil || !returnsGroupAndContext(fn.Signature()) {
		return nil
	}
	params := fn.Signature().Params()
	for cur := range decl.Preorder((*ast.CallExpr)(nil)) {
		inner := cur.Node().(*ast.CallExpr)
		if f := code.FuncIn(c.info, inner, errgroupPath); f == nil || f.Name() != "WithContext" || len(inner.Args) != 1 {
			continue
		}
		id, ok := ast.Unparen(inner.Args[0]).(*ast.Ident)
		if !ok {
			continue
		}
		for i := range params.Len() {
			if params.At(i) == c.info.Uses[id] && i < len(call.Args) && !fn.Signature().Variadic() {
				return call.Args[i]
			}
		}
	}
	return nil
}

// returnsGroupAndContext reports whether sig returns (*errgroup.Group,
// context.Context), as errgroup.WithContext does.
func returnsGroupAndContext(sig *types.Signature) bool {
	res := sig.Results()
	return res.Len() == 2 && code.IsPointer(res.At(0).Type()) && isGroupType(res.At(0).Type()) && isContext(res.At(1).Type())
}
