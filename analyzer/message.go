package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// report emits the diagnostic for the first blocking use u of a stream in
// a task of g (SPEC section 3): the message and the fix both come from
// one remedy.
func (c *checker) report(u *use, g *group, reach reach) {
	r := c.remedyFor(u, g, reach)
	d := analysis.Diagnostic{
		Pos:      u.site.Pos(),
		End:      u.site.End(),
		Category: r.kind(),
		Message:  r.message(),
		URL:      kindURL(r.kind()),
	}
	if s := u.stream; s.def != nil {
		d.Related = append(d.Related, analysis.RelatedInformation{
			Pos: s.def.stmt.Node().Pos(), End: s.def.stmt.Node().End(),
			Message: fmt.Sprintf("%s opened here", s.name),
		})
	}
	d.Related = append(d.Related, groupCreated(g))
	if r.fix != nil {
		d.SuggestedFixes = []analysis.SuggestedFix{{Message: FixMessage, TextEdits: c.edits(r)}}
	}
	c.pass.Report(d)
}

func groupCreated(g *group) analysis.RelatedInformation {
	return analysis.RelatedInformation{
		Pos: g.def.stmt.Node().Pos(), End: g.def.stmt.Node().End(),
		Message: fmt.Sprintf("group %s created here", g.name()),
	}
}

// reportServer emits the diagnostic for a handler stream received in a
// task of g (SPEC section 7). There is no automatic fix: the handler must
// be restructured.
func (c *checker) reportServer(u *use, g *group) {
	c.pass.Report(analysis.Diagnostic{
		Pos:      u.site.Pos(),
		End:      u.site.End(),
		Category: kindHandlerReceive,
		Message: fmt.Sprintf("%s.%s%s in an errgroup task blocks until the client sends or hangs up, while the handler waits in %s.Wait(); "+
			"receive outside the group (a goroutine feeding a channel that tasks select on with %s.Done()) and return from the handler, which ends the stream",
			u.streamName(), u.method, viaHelper(u), g.name(), groupCtxOrPlaceholder(g)),
		URL:     kindURL(kindHandlerReceive),
		Related: []analysis.RelatedInformation{groupCreated(g)},
	})
}

// message is the one-line diagnostic: the stream, the blocking method,
// both contexts, and what to do (SPEC section 3).
func (r *remedy) message() string {
	u, g := r.use, r.group
	var b strings.Builder
	fmt.Fprintf(&b, "%s.%s can block forever in an errgroup task%s: ", u.streamName(), u.method, viaHelper(u))
	switch r.shape {
	case noGroupContext:
		fmt.Fprintf(&b, "group %s has no context and the stream's context is not visible here; create %s with errgroup.WithContext and make the stream's opener cancel it when %s is done",
			g.name(), g.name(), r.gctx)
	case closeStream:
		fmt.Fprintf(&b, "the stream's context is not visible here and is not cancelled when %s is; close the stream with %s",
			g.ctxName(), r.wiringWords())
	case openerMustAct:
		fmt.Fprintf(&b, "the stream's context is not visible here and is not cancelled when %s is; the stream's opener must cancel it when %s is done",
			g.ctxName(), r.gctx)
	case addClose:
		fmt.Fprintf(&b, "on a connect-go bidi stream, cancelling %s does not free a pending %s once the server has answered; ", r.ctxWords("its context"), u.method)
		switch site := r.site; {
		case site != nil && site.arg != nil:
			fmt.Fprintf(&b, "also close the stream when %s is done: context.AfterFunc(%s, func() { %s(); %s })",
				r.gctx, types.ExprString(site.call.Args[0]), types.ExprString(site.arg), r.closeCall())
		case site != nil:
			fmt.Fprintf(&b, "also close the stream after %s in the func that runs when %s is done: %s",
				types.ExprString(site.stmt.Node().(*ast.ExprStmt).X), r.gctx, r.closeCall())
		default:
			fmt.Fprintf(&b, "also close the stream when %s is done: %s", r.gctx, r.wiringWords())
		}
	case wireCancel:
		r.notCancelled(&b, "")
		if r.derive {
			fmt.Fprintf(&b, "derive %s with context.WithCancel and ", r.ctxWords("the stream's context"))
		}
		if r.closer != "" {
			fmt.Fprintf(&b, "cancel it and close the stream with %s", r.wiringWords())
		} else {
			fmt.Fprintf(&b, "cancel it with %s", r.wiringWords())
		}
	case openUnderGroup:
		if r.closer != "" && r.fix != nil {
			r.notCancelled(&b, "it is opened once per loop iteration, so open it under the group's context: ")
			fmt.Fprintf(&b, "pass %s in place of %s, and close it when %s is done: %s", r.gctx, types.ExprString(r.swap), r.gctx, r.closeEach("context", r.gctx))
			break
		}
		if r.closer != "" {
			r.notCancelled(&b, "")
			fmt.Fprintf(&b, "it is opened once per loop iteration and a connect-go bidi stream must also be closed, which per iteration would pile up registrations: open it under %s and close it from a context.AfterFunc whose stop func each iteration calls", r.gctx)
			break
		}
		r.notCancelled(&b, "it is opened once per loop iteration, so open it under the group's context: ")
		swapped := r.ctx
		if r.swap != nil {
			swapped = types.ExprString(r.swap)
			if !g.zero() && r.swap.Pos() < g.def.stmt.Node().End() {
				b.WriteString("create the group before the stream and ") // no fix: the group comes after
			}
		}
		fmt.Fprintf(&b, "pass %s in place of %s", r.gctx, swapped)
	}
	return b.String()
}

// notCancelled says that the stream's context is not cancelled with the
// group's, then why, and asks for the group's context to be created or
// named when the fix does that.
func (r *remedy) notCancelled(b *strings.Builder, why string) {
	g := r.group
	if g.zero() {
		fmt.Fprintf(b, "group %s has no context to cancel the stream's context%s; %screate %s with errgroup.WithContext and ", g.name(), r.ctxApposition(), why, g.name())
		return
	}
	if r.reassigned() {
		fmt.Fprintf(b, "the stream was opened with %s before %s became the group's context, so it is not cancelled with it; %s", r.ctx, r.ctx, why)
	} else {
		fmt.Fprintf(b, "the stream's context%s is not cancelled when %s is; %s", r.ctxApposition(), g.ctxName(), why)
	}
	if r.nameGctx {
		b.WriteString("name the group's context and ")
	}
}

// wiringWords says how to run the remedy's calls once the group's context
// is done.
func (r *remedy) wiringWords() string {
	n := r.wordNames()
	if r.watcher { // Go before 1.21 has no context.AfterFunc
		return fmt.Sprintf("a goroutine that waits on %s.Done() and calls %s", n.gctx, r.afterFunc(n))
	}
	return r.wiring(n)
}

func viaHelper(u *use) string {
	if u.via == "" {
		return ""
	}
	return " (in " + u.via + ")"
}

// groupCtxOrPlaceholder names the group's context, or gctx when the code
// has no name for it.
func groupCtxOrPlaceholder(g *group) string {
	if g.gctx == nil {
		return placeholderGctx
	}
	return g.gctx.obj.Name()
}

// ctxWords names the stream's context: as the code names it when that is
// a variable or field, else in words, so that the message never takes
// an expression (s.withAuth(ctx)) for a variable to derive or cancel.
func (r *remedy) ctxWords(words string) string {
	if r.ctxIsName {
		return r.ctx
	}
	return words
}

// ctxApposition follows "the stream's context" with the context as
// written: " ctx", or ", s.withAuth(ctx)," for an expression.
func (r *remedy) ctxApposition() string {
	if r.ctxIsName {
		return " " + r.ctx
	}
	return ", " + r.ctx + ","
}

// isName reports whether e reads as the name of a value: a variable, a
// field chain (ctx, s.ctx), or a call without arguments
// (context.Background()).
func isName(e ast.Expr) bool {
	switch x := ast.Unparen(e).(type) {
	case *ast.Ident:
		return true
	case *ast.SelectorExpr:
		return isName(x.X)
	case *ast.CallExpr:
		return len(x.Args) == 0 && isName(x.Fun)
	}
	return false
}
