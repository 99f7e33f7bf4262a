package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// report emits the diagnostic for the first blocking use u of a stream in
// a task of g.
func (c *checker) report(u *use, g *group) {
	d := analysis.Diagnostic{
		Pos:     u.site.Pos(),
		End:     u.site.End(),
		Message: c.message(u, g),
		URL:     URL,
	}
	if s := u.stream; s.def != nil {
		d.Related = append(d.Related, analysis.RelatedInformation{
			Pos: s.def.stmt.Node().Pos(), End: s.def.stmt.Node().End(),
			Message: fmt.Sprintf("%s opened here", s.name),
		})
	}
	d.Related = append(d.Related, analysis.RelatedInformation{
		Pos: g.def.stmt.Node().Pos(), End: g.def.stmt.Node().End(),
		Message: fmt.Sprintf("group %s created here", g.name()),
	})
	if fix := c.fix(u, g); fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{*fix}
	}
	c.pass.Report(d)
}

// reportServer emits the diagnostic for a handler stream received in a
// task of g (SPEC section 7). There is no automatic fix: the handler must
// be restructured.
func (c *checker) reportServer(u *use, g *group) {
	via := ""
	if u.via != "" {
		via = " (in " + u.via + ")"
	}
	c.pass.Report(analysis.Diagnostic{
		Pos: u.site.Pos(),
		End: u.site.End(),
		Message: fmt.Sprintf("%s.%s%s in an errgroup task blocks until the client sends or hangs up, while the handler waits in %s.Wait(); "+
			"receive outside the group (a goroutine feeding a channel that tasks select on with %s.Done()) and return from the handler, which ends the stream",
			u.streamName(), u.method, via, g.name(), orGctx(g.ctxName(), g.gctx != nil)),
		URL: URL,
		Related: []analysis.RelatedInformation{{
			Pos: g.def.stmt.Node().Pos(), End: g.def.stmt.Node().End(),
			Message: fmt.Sprintf("group %s created here", g.name()),
		}},
	})
}

// message is the one-line diagnostic: the stream, the blocking method,
// both contexts, and what to do (SPEC section 3).
func (c *checker) message(u *use, g *group) string {
	s := u.stream
	var b strings.Builder
	fmt.Fprintf(&b, "%s.%s can block forever in an errgroup task", u.streamName(), u.method)
	if u.via != "" {
		fmt.Fprintf(&b, " (in %s)", u.via)
	}
	b.WriteString(": ")
	gctx, named := g.ctxName(), g.gctx != nil
	// wire says how to run f when the group's context is done.
	old := c.beforeAfterFunc(g.def.stmt.Node().Pos())
	wire := func(f string) string {
		if old { // Go before 1.21 has no context.AfterFunc
			return fmt.Sprintf("a goroutine that waits on %s.Done() and calls %s", orGctx(gctx, named), f)
		}
		return fmt.Sprintf("context.AfterFunc(%s, %s)", orGctx(gctx, named), f)
	}
	ctx := c.text(s.ctxArg)
	switch {
	case g.zero() && s.visible():
		fmt.Fprintf(&b, "group %s has no context to cancel the stream's context %s; create %s with errgroup.WithContext and cancel %s with %s",
			g.name(), ctx, g.name(), ctx, wire(c.cancelName(s)))
	case g.zero():
		fmt.Fprintf(&b, "group %s has no context and the stream's context is not visible here; create %s with errgroup.WithContext and make the stream's opener cancel it when gctx is done",
			g.name(), g.name())
	case !s.visible() && s.kind.lib == connectV2:
		fmt.Fprintf(&b, "the stream's context is not visible here and is not cancelled when %s is; close the stream with %s",
			gctx, wire(fmt.Sprintf("func() { _ = %s.Close() }", s.name)))
	case !s.visible():
		fmt.Fprintf(&b, "the stream's context is not visible here and is not cancelled when %s is; the stream's opener must cancel it when %s is done",
			gctx, orGctx(gctx, named))
	default:
		if ctx == gctx {
			fmt.Fprintf(&b, "the stream was opened with %s before %s became the group's context, so it is not cancelled with it; ", ctx, gctx)
		} else {
			fmt.Fprintf(&b, "the stream's context %s is not cancelled when %s is; ", ctx, gctx)
		}
		if !named {
			b.WriteString("name the group's context and ")
		}
		if len(cancelFuncs(s.ctx)) == 0 {
			fmt.Fprintf(&b, "derive %s with context.WithCancel and ", ctx)
		}
		cancel := c.cancelName(s)
		if closer := c.responseCloser(s); closer != "" {
			fmt.Fprintf(&b, "cancel it and close the stream with %s", wire(fmt.Sprintf("func() { %s(); _ = %s.%s() }", cancel, s.name, closer)))
		} else {
			fmt.Fprintf(&b, "cancel it with %s", wire(cancel))
		}
	}
	return b.String()
}

// cancelName is the name of the cancel func to use in the remedy: the
// nearest one in scope, else "cancel".
func (c *checker) cancelName(s *streamRef) string {
	if s.visible() {
		if cs := cancelFuncs(s.ctx); len(cs) > 0 {
			return cs[0].cancel.Name()
		}
	}
	return "cancel"
}

func orGctx(name string, named bool) string {
	if named {
		return name
	}
	return "gctx"
}

// text prints a short expression as written.
func (c *checker) text(e ast.Expr) string {
	if e == nil {
		return ""
	}
	return types.ExprString(e)
}
