// Package fix plans and renders bidictxlint's suggested fixes. It is the
// second and third steps of the analyzer's pipeline (decide, plan,
// render): the analysis decides what is wrong and describes what a fix
// must achieve as a Spec, in terms of syntax, names and the few facts
// only the analysis knows; a Planner turns a Spec into a Plan (where each
// line goes, which names it introduces) or says why there is no fix; and
// the Plan renders both the code that the diagnostic's message quotes and
// the text edits, from one Code value, so that the two cannot disagree.
// Nothing here reads the analysis' state or changes a Spec.
//
// The fixes and the rules every fix keeps are documented in docs/fixes.md.
package fix

import (
	"go/ast"
	"go/types"

	"golang.org/x/tools/go/ast/inspector"
)

// A Remedy is what a fix does.
type Remedy uint8

const (
	// WireCancel cancels the stream's context, and closes the stream
	// when Closer is set, once the group's context is done:
	// context.AfterFunc(gctx, cancel), deriving rpcCtx, rpcCancel first
	// when the stream's context has no cancel func (docs/fixes.md#the-fix-shapes).
	WireCancel Remedy = iota + 1
	// CloseStream closes a stream whose context is not visible once the
	// group's context is done (a connect-go v2 stream, whose Close frees
	// it; docs/fixes.md#context-not-visible).
	CloseStream
	// CloseAtSite adds the close to the func that already cancels the
	// stream once the group's context is done (docs/fixes.md#close-joins-an-existing-cancel).
	CloseAtSite
	// CloseAfterOpen closes a stream opened under the group's context
	// once that context is done, registered right after the opening
	// (docs/fixes.md#close-joins-an-existing-cancel).
	CloseAfterOpen
	// OpenUnderGroup puts the group's context in place of the context of
	// a stream opened once per loop iteration, and with Closer closes each
	// stream once the group's context is done
	// (docs/fixes.md#stream-per-loop-iteration).
	OpenUnderGroup
	// DeferClose cancels and then closes a stream the function owns on
	// every return: `defer func() { cancel(); _ = stream.CloseResponse()
	// }()` right after the opening, deriving rpcCtx, rpcCancel first when
	// the stream's context has no cancel func; the cancel comes first, as
	// a close alone waits for the response headers
	// (docs/fixes.md#close-on-return).
	DeferClose
	// CloseAfterCancel adds the close right after the cancel in the method
	// that ends a wrapper's life (docs/fixes.md#close-in-the-closing-method).
	CloseAfterCancel
)

// A Spec is what a fix must achieve. The analysis fills it in; the
// planner only reads it.
type Spec struct {
	Remedy Remedy
	File   *ast.File // the file that holds the group's creation
	Group  Group
	Stream Stream
	// Cancel is the cancel func of the stream's context that the wiring
	// calls; nil when WireCancel must derive one.
	Cancel *Cancel
	// Closer is the method that closes the stream after the cancel
	// (CloseResponse, Close), or "".
	Closer string
	// Watcher: the file's Go version has no context.AfterFunc, so the
	// wiring is a goroutine waiting on the group's context.
	Watcher bool
	// Early: the wiring must be registered before the stream is opened,
	// as soon as the group and the cancel func exist: the opening blocks,
	// the stream is opened inside the statement that uses it, or the
	// stream is opened once per loop iteration under one cancel func
	// (docs/fixes.md#wire-before-a-blocking-open).
	Early bool
	// Site is the func that cancels the stream once the group's context
	// is done (CloseAtSite), or the cancel statement of a closing method
	// (CloseAfterCancel, Site.Stmt).
	Site *Site
	// Swap is the context expression that the group's context replaces
	// (OpenUnderGroup).
	Swap ast.Expr
}

// A Group is the group whose context the fix waits on. For the remedies
// of a function without a group (DeferClose, CloseAfterCancel), only Stmt
// is set: the statement whose function the fix edits.
type Group struct {
	Key  any              // identity: what the fixes of one group share
	Stmt inspector.Cursor // its creation: an assignment or a var spec
	Name string
	Zero bool // a zero value: it has no context
	// Ctx is the variable of the group's context; nil when the creation
	// discards it (`g, _ := ...`) or the group is a zero value.
	Ctx types.Object
	// ParentArg is the parent context argument of the creation.
	ParentArg ast.Expr
	// SharesStreamCtx: the group's parent is the stream's context (or the
	// group is a zero value), so the group is created on rpcCtx too.
	SharesStreamCtx bool
	// OnlyMethodCalls: a zero value used only through method calls, which
	// can become `g, gctx := errgroup.WithContext(...)`.
	OnlyMethodCalls bool
}

// A Stream is the stream the fix frees.
type Stream struct {
	Key any // identity: what the fixes of one stream share
	// Name is how the fix writes the stream (stream, sess.stream); ""
	// when the code gives it no name (it is opened inside the expression
	// that uses it), so no fix can close it.
	Name string
	// Var is the variable Name starts with; the fix can write Name where
	// Var is in scope.
	Var types.Object
	// Open is the statement that opens the stream; zero when the opening
	// is not visible. OpenCall is the opening call, CtxArg its context
	// argument.
	Open     inspector.Cursor
	OpenCall *ast.CallExpr
	CtxArg   ast.Expr
	// CtxAtGroup: CtxArg means the stream's context at the group's
	// creation too, so that a line there can derive from it.
	CtxAtGroup bool
	// Hoist: the stream is opened in a task and used beyond it, so its
	// cancel func belongs to the function that creates the group
	// (docs/fixes.md#never-cancel-a-stream-that-other-tasks-still-use).
	Hoist bool
	// TaskPerIteration: the loop that opens the stream starts one task of
	// the group per iteration, so a close registered per iteration is one
	// per task (docs/fixes.md#no-pile-up-in-loops).
	TaskPerIteration bool
}

// A Cancel is a cancel func of the stream's context.
type Cancel struct {
	Obj   types.Object
	Def   inspector.Cursor // the assignment that defines it
	Cause bool             // a context.CancelCauseFunc
}

// A Site is the func that cancels the stream once the group's context is
// done, which the close joins.
type Site struct {
	Call *ast.CallExpr // the context.AfterFunc call
	// Arg is the cancel func passed to context.AfterFunc itself, or nil.
	Arg ast.Expr
	// Stmt is otherwise the statement that calls the cancel func in Lit,
	// the literal that runs once the group's context is done.
	Stmt inspector.Cursor
	Lit  *ast.FuncLit
}
