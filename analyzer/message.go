package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/ast/inspector"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/fix"
)

// message renders the one-line diagnostic of f: the stream, the blocking
// method, the contexts, and what to do, quoting the code the fix writes
// (code, rendered from the plan when there is one) so that the words and
// the edits are the same text (docs/rules.md#when-it-reports).
func (f *finding) message(code fix.Code, names fix.Names) string {
	u, g := f.use, f.group
	switch f.remedy {
	case leakOnReturn:
		steps := []string{}
		if code.Pair != "" {
			steps = append(steps, fmt.Sprintf("derive %s with %s", code.Pair, code.Defer), "open the stream on "+names.Ctx)
		}
		steps = append(steps, "close the stream on return, cancelling first: "+code.Wiring)
		return fmt.Sprintf("%s.%s in this goroutine outlives %s: on a connect-go bidi stream whose server has answered, cancelling %s frees no pending %s; %s",
			u.streamName(), u.method, funcName(f.fn), f.ctxWords("its context"), u.method, inSequence(steps))
	case handlerChannel:
		return fmt.Sprintf("%s.%s%s in a goroutine blocks until the client sends or hangs up, while the handler waits for the goroutine's result after it has failed; "+
			"return from the handler when it fails, before waiting for the goroutine: returning ends the stream, and with it the receive",
			u.streamName(), u.method, viaHelper(u))
	case leakPerAttempt:
		return fmt.Sprintf("%s.%s in this goroutine outlives the attempt that opened it in %s: on a connect-go bidi stream whose server has answered, cancelling %s frees no pending %s; cancel and then close each attempt's stream before the next (%s.%s()) and when %s returns",
			u.streamName(), u.method, funcName(f.fn), f.ctxWords("its context"), u.method, u.stream.name, f.closer, funcName(f.fn))
	case leakNeverCancelled:
		return fmt.Sprintf("%s.%s in this goroutine outlives %s: nothing cancels the stream's context%s, so the goroutine waits until the server ends the stream; open it with a context that %s cancels when it returns",
			u.streamName(), u.method, funcName(f.fn), f.ctxApposition(), funcName(f.fn))
	case closeOnlyCancels:
		return fmt.Sprintf("%s cancels but does not close %s: on a connect-go bidi stream whose server has answered, cancelling frees no pending Receive; close it after the cancel: %s",
			methodName(f.method), f.stream, code.Wiring)
	}
	if f.kind == kindHandlerReceive && !g.errgroupLike() {
		return fmt.Sprintf("%s.%s%s %s blocks until the client sends or hangs up, while the handler waits in %s.Wait() after it has failed; "+
			"return from the handler when it fails, before waiting for the goroutine: returning ends the stream, and with it the receive",
			u.streamName(), u.method, viaHelper(u), g.kind.where(), g.name())
	}
	if f.kind == kindHandlerReceive {
		return fmt.Sprintf("%s.%s%s in an errgroup task blocks until the client sends or hangs up, while the handler waits in %s.Wait(); "+
			"receive outside the group (a goroutine feeding a channel that tasks select on with %s.Done()) and return from the handler, which ends the stream",
			u.streamName(), u.method, viaHelper(u), g.name(), groupCtxOrDefault(g))
	}
	var b strings.Builder
	if f.lateForOpen {
		// The opening is the call that blocks first.
		fmt.Fprintf(&b, "%s can block forever %s: ", types.ExprString(u.stream.open.Fun), g.kind.where())
	} else {
		fmt.Fprintf(&b, "%s.%s can block forever %s%s: ", u.streamName(), u.method, g.kind.where(), viaHelper(u))
	}
	gctx := names.GroupCtx
	wait := g.name() + ".Wait()"
	switch f.remedy {
	case stopAndCancel:
		what := "the stream"
		if f.ctx != "" {
			what = "the stream's context" + f.ctxApposition()
		}
		if f.stops {
			fmt.Fprintf(&b, "the function stops the goroutines before %s, but nothing there cancels %s", wait, what)
		} else {
			fmt.Fprintf(&b, "when another goroutine returns, nothing cancels %s, so %s waits until the server ends the stream", what, wait)
		}
		if f.ctx == "" {
			fmt.Fprintf(&b, "; the stream's opener must cancel its context when the goroutines should stop, before %s", wait)
		} else {
			fmt.Fprintf(&b, "; cancel %s when the goroutines should stop, before %s", f.ctxWords("it"), wait)
		}
		if f.closer != "" {
			fmt.Fprintf(&b, ", and close the stream there with its %s, since on a connect-go bidi stream a cancel does not free a pending %s once the server has answered", f.closer, u.method)
		}
	case cancelOnError:
		fmt.Fprintf(&b, "pool %s does not cancel its context when a task fails; create it with WithCancelOnError() so that it does", g.name())
		if s := u.stream; s.bidi {
			fmt.Fprintf(&b, ", and close the stream when the context is done with its %s, since on a connect-go bidi stream a cancel does not free a pending %s once the server has answered", closer(s.kind), u.method)
		}
	case noGroupContext:
		fmt.Fprintf(&b, "group %s has no context and the stream's context is not visible here; create %s with errgroup.WithContext and make the stream's opener cancel it when %s is done",
			g.name(), g.name(), gctx)
	case closeNotVisible:
		fmt.Fprintf(&b, "the stream's context is not visible here and is not cancelled when %s is; ", g.ctxName())
		b.WriteString(inSequence(append(f.nameSteps(code), "close the stream with "+code.Wiring)))
	case openerMustAct:
		fmt.Fprintf(&b, "the stream's context is not visible here and is not cancelled when %s is; the stream's opener must cancel it when %s is done",
			g.ctxName(), gctx)
	case addClose:
		fmt.Fprintf(&b, "on a connect-go bidi stream, cancelling %s does not free a pending %s once the server has answered; ", f.ctxWords("its context"), u.method)
		steps := append(f.nameSteps(code), f.createSteps(code)...)
		switch site := f.spec.Site; {
		case code.Close == "":
			steps = append(steps, fmt.Sprintf("also close it when %s is done: assign the stream to a variable and call its %s from a context.AfterFunc on %s", gctx, f.closer, gctx))
		case site != nil && site.Arg != nil:
			steps = append(steps, fmt.Sprintf("also close the stream when %s is done: %s", gctx, code.Wiring))
		case site != nil:
			steps = append(steps, fmt.Sprintf("also close the stream after %s in the func that runs when %s is done: %s",
				types.ExprString(site.Stmt.Node().(*ast.ExprStmt).X), gctx, code.Close))
		default:
			steps = append(steps, fmt.Sprintf("also close the stream when %s is done: %s", gctx, code.Wiring))
		}
		b.WriteString(inSequence(steps))
	case wireCancel:
		f.notCancelled(&b, "")
		steps := f.nameSteps(code)
		if code.Pair != "" {
			steps = append(steps, fmt.Sprintf("derive %s with %s", code.Pair, code.Defer), "open the stream on "+names.Ctx)
			if code.Reparent != "" {
				steps = append(steps, fmt.Sprintf("create group %s on %s too", g.name(), code.Reparent))
			}
		}
		steps = append(steps, f.createSteps(code)...)
		switch {
		case f.closer != "" && code.Close == "":
			steps = append(steps, fmt.Sprintf("assign the stream to a variable, then cancel it and call its %s once %s is done", f.closer, gctx))
		case f.closer != "":
			steps = append(steps, "cancel it and close the stream with "+code.Wiring)
		case f.lateForOpen:
			steps = append(steps, "cancel it before the opening with "+code.Wiring)
		default:
			steps = append(steps, "cancel it with "+code.Wiring)
		}
		b.WriteString(inSequence(steps))
	case openUnderGroup:
		why := "it is opened once per loop iteration, so open it under the group's context: "
		if f.inTask {
			why = "it is opened in the task, so open it under the group's context: "
		}
		f.notCancelled(&b, why)
		steps := append(f.nameSteps(code), f.createSteps(code)...)
		if f.groupAfterSwap() {
			steps = append(steps, "create the group before the stream") // no fix: the group comes after
		}
		steps = append(steps, fmt.Sprintf("pass %s in place of %s", gctx, types.ExprString(f.spec.Swap)))
		b.WriteString(inSequence(steps))
		if code.Wiring != "" {
			fmt.Fprintf(&b, ", and close it when %s is done: %s", gctx, code.Wiring)
		}
	case poolContext:
		f.notCancelled(&b, "")
		fmt.Fprintf(&b, "pool %s gives its context only to its tasks: open the stream in a task, on the task's context", g.name())
		if f.closer != "" {
			fmt.Fprintf(&b, ", and close it with its %s when that context is done, since on a connect-go bidi stream a cancel does not free a pending %s once the server has answered", f.closer, u.method)
		}
	case reopenedInLoop:
		f.notCancelled(&b, "")
		fmt.Fprintf(&b, "it is opened once per loop iteration and a connect-go bidi stream must also be closed, which per iteration would pile up registrations: open it under %s and close it from a context.AfterFunc whose stop func each iteration calls", gctx)
	}
	return b.String()
}

// notCancelled says that the stream's context is not cancelled with the
// group's, then why.
func (f *finding) notCancelled(b *strings.Builder, why string) {
	g := f.group
	switch {
	case g.zero():
		fmt.Fprintf(b, "group %s has no context to cancel the stream's context%s; %s", g.name(), f.ctxApposition(), why)
	case f.lateForOpen:
		fmt.Fprintf(b, "it waits for the server's answer, and %s is cancelled when %s is only after it returns; %s", f.ctxWords("its context"), g.ctxName(), why)
	case f.reassigned:
		fmt.Fprintf(b, "the stream was opened with %s before %s became the group's context, so it is not cancelled with it; %s", f.ctx, f.ctx, why)
	default:
		fmt.Fprintf(b, "the stream's context%s is not cancelled when %s is; %s", f.ctxApposition(), g.ctxName(), why)
	}
}

// nameSteps asks for a discarded group context to be named, as the fix
// does.
func (f *finding) nameSteps(code fix.Code) []string {
	if code.NameGroupCtx != "" {
		return []string{"name the group's context " + code.NameGroupCtx}
	}
	return nil
}

// createSteps asks for a zero-value group to be created with a context,
// as the fix does.
func (f *finding) createSteps(code fix.Code) []string {
	switch {
	case code.Create != "":
		return []string{"create the group with " + code.Create}
	case f.group.zero() && (f.spec == nil || f.spec.Group.Zero):
		return []string{fmt.Sprintf("create %s with errgroup.WithContext", f.group.name())}
	}
	return nil
}

// inSequence joins steps as "a, b and c".
func inSequence(steps []string) string {
	if len(steps) < 2 {
		return strings.Join(steps, "")
	}
	return strings.Join(steps[:len(steps)-1], ", ") + " and " + steps[len(steps)-1]
}

// funcName names the function at fn for a message.
func funcName(fn inspector.Cursor) string {
	if fd, ok := fn.Node().(*ast.FuncDecl); ok {
		return fd.Name.Name
	}
	return "the function literal"
}

// methodName names a method as (*T).M or T.M.
func methodName(fd *ast.FuncDecl) string {
	return "(" + types.ExprString(fd.Recv.List[0].Type) + ")." + fd.Name.Name
}

func viaHelper(u *use) string {
	if u.via == "" {
		return ""
	}
	return " (in " + u.via + ")"
}

// groupCtxOrDefault names the group's context, or gctx when the code has
// no name for it.
func groupCtxOrDefault(g *group) string {
	if g.ctx == nil {
		return fix.DefaultGroupCtx
	}
	return g.ctx.obj.Name()
}

// ctxWords names the stream's context: as the code names it when that is
// a variable or field, else in words, so that the message never takes
// an expression (s.withAuth(ctx)) for a variable to derive or cancel.
func (f *finding) ctxWords(words string) string {
	if f.ctxIsName {
		return f.ctx
	}
	return words
}

// ctxApposition follows "the stream's context" with the context as
// written: " ctx", or ", s.withAuth(ctx)," for an expression.
func (f *finding) ctxApposition() string {
	if f.ctxIsName {
		return " " + f.ctx
	}
	return ", " + f.ctx + ","
}
