package fix

import (
	"fmt"
	"go/types"
)

// Names are the names a fix's code is written with: the file's name for
// package context (and errgroup), the derived context and its cancel
// func, and the group's context.
type Names struct {
	CtxPkg, Errgroup string
	Ctx, Cancel      string // rpcCtx, rpcCancel, or the code's own cancel func
	GroupCtx         string
}

// Default names: what a fix would introduce when nothing is taken.
const (
	DefaultCtx      = "rpcCtx"
	DefaultCancel   = "rpcCancel"
	DefaultGroupCtx = "gctx"
)

// DefaultNames returns the names the code of s is written with when no
// plan chose free ones: the code's own names where it has them.
func (s *Spec) DefaultNames() Names {
	n := Names{CtxPkg: "context", Errgroup: "errgroup", Ctx: DefaultCtx, Cancel: DefaultCancel, GroupCtx: DefaultGroupCtx}
	if s.Cancel != nil {
		n.Cancel = s.Cancel.Obj.Name()
	}
	if s.Group.Ctx != nil {
		n.GroupCtx = s.Group.Ctx.Name()
	}
	return n
}

// Derives reports whether the fix derives rpcCtx, rpcCancel.
func (s *Spec) Derives() bool {
	return (s.Remedy == WireCancel || s.Remedy == DeferClose) && s.Cancel == nil
}

// Code is the text of the statements a fix writes. The message quotes it
// and the edits insert it, both from one value.
type Code struct {
	// Pair and Defer derive the stream's context: `rpcCtx, rpcCancel :=
	// context.WithCancel(ctx)` and `defer rpcCancel()`; "" otherwise.
	Pair, Defer string
	// Create replaces a zero-value group: `g, gctx :=
	// errgroup.WithContext(rpcCtx)`; "" otherwise.
	Create string
	// NameGroupCtx is the name given to a discarded group context; ""
	// otherwise.
	NameGroupCtx string
	// Wiring is the statement that runs the cancel and the close once the
	// group's context is done. For CloseAtSite, the context.AfterFunc call
	// as the fix leaves it, or "" when the close joins a statement.
	Wiring string
	// SiteFunc is the func that replaces the cancel func given to
	// context.AfterFunc (CloseAtSite); "" otherwise.
	SiteFunc string
	// Close is the call that closes the stream, or "".
	Close string
	// Swap is what replaces the context expression (OpenUnderGroup).
	Swap string
	// Reparent is the derived context that also becomes the group's
	// parent, when the group shared the stream's context; "" otherwise.
	Reparent string
}

// Code renders s with the names n. ctxText is the context the pair
// derives from, and createParent the parent of a created group.
func (s *Spec) code(n Names, createParent string) Code {
	var c Code
	if s.Closer != "" && s.Stream.Name != "" {
		c.Close = fmt.Sprintf("_ = %s.%s()", s.Stream.Name, s.Closer)
	}
	if s.Derives() {
		c.Pair = fmt.Sprintf("%s, %s := %s.WithCancel(%s)", n.Ctx, n.Cancel, n.CtxPkg, types.ExprString(s.Stream.CtxArg))
		c.Defer = "defer " + n.Cancel + "()"
		if s.Group.SharesStreamCtx && !s.Group.Zero {
			c.Reparent = n.Ctx
		}
	}
	if s.Group.Zero && s.needsGroupCtx() {
		c.Create = fmt.Sprintf("%s, %s := %s.WithContext(%s)", s.Group.Name, n.GroupCtx, n.Errgroup, createParent)
	} else if s.Group.Ctx == nil && s.needsGroupCtx() {
		c.NameGroupCtx = n.GroupCtx
	}
	switch s.Remedy {
	case WireCancel:
		calls := n.Cancel + "()"
		if s.Cancel != nil && s.Cancel.Cause {
			calls = fmt.Sprintf("%s(%s.Cause(%s))", n.Cancel, n.CtxPkg, n.GroupCtx)
		}
		if c.Close != "" {
			calls += "; " + c.Close
		}
		fn := "func() { " + calls + " }"
		if calls == n.Cancel+"()" {
			fn = n.Cancel
		}
		c.Wiring = s.wiring(n, calls, fn)
	case CloseStream, CloseAfterOpen:
		c.Wiring = s.wiring(n, c.Close, "func() { "+c.Close+" }")
	case CloseAtSite:
		if s.Site.Arg != nil {
			c.SiteFunc = fmt.Sprintf("func() { %s(); %s }", types.ExprString(s.Site.Arg), c.Close)
			c.Wiring = fmt.Sprintf("%s(%s, %s)", types.ExprString(s.Site.Call.Fun), types.ExprString(s.Site.Call.Args[0]), c.SiteFunc)
		}
	case DeferClose:
		c.Wiring = fmt.Sprintf("defer func() { %s(); %s }()", n.Cancel, c.Close)
	case CloseAfterCancel:
		c.Wiring = c.Close
	case OpenUnderGroup:
		c.Swap = n.GroupCtx
		if c.Close != "" {
			c.Wiring = fmt.Sprintf("%s.AfterFunc(%s, func() { %s })", n.CtxPkg, n.GroupCtx, c.Close)
		}
	}
	return c
}

// wiring is context.AfterFunc(gctx, fn), or before Go 1.21 a goroutine
// that waits on the group's context and then makes the calls.
func (s *Spec) wiring(n Names, calls, fn string) string {
	if s.Watcher {
		return fmt.Sprintf("go func() { <-%s.Done(); %s }()", n.GroupCtx, calls)
	}
	return fmt.Sprintf("%s.AfterFunc(%s, %s)", n.CtxPkg, n.GroupCtx, fn)
}

// needsGroupCtx reports whether the fix's code names the group's context.
func (s *Spec) needsGroupCtx() bool {
	return s.Remedy != CloseAtSite && s.Remedy != DeferClose && s.Remedy != CloseAfterCancel
}

// Code returns the code of s written with its default names, for a
// message whose fix could not be planned.
func (s *Spec) Code() Code {
	n := s.DefaultNames()
	parent := ""
	if s.Stream.CtxArg != nil {
		parent = types.ExprString(s.Stream.CtxArg)
	}
	if s.Derives() {
		parent = n.Ctx
	}
	return s.code(n, parent)
}
