// Package clients holds, one package per (library, shape), chat clients
// written the way users write them: an errgroup.WithContext (or zero)
// group with one task looping on the stream's Receive/Recv and another
// task that fails once the stream is open. Every package exports
//
//	func Run(ctx context.Context, client <library client>, next func(context.Context) (string, error)) error
//
// where next yields the lines to send (or the work to do) and its first
// error is the task failure; Run returns g.Wait(). Each package has the bug
// bidictxlint reports, so Run hangs after the failure; its fixed
// subpackage is the same client fixed by hand as docs/fixes.md says the
// tool fixes it.
//
// The shapes (docs/fixes.md), by directory name:
//
//	cancelfunc   the stream's context has a cancel func in scope
//	nocancel     no cancel func; the group is created after the stream
//	reassigned   g, ctx := errgroup.WithContext(ctx) after opening with ctx
//	discarded    the group's context is discarded: g, _ := ...
//	zerogroup    var g errgroup.Group
//	streamparam  connect-go v2 stream received as a parameter
//	handoff      a task opens the stream, sends, closes its side and hands
//	             it over a channel to a reader task
//	serveropen   tasks started first, then a connect-go server stream
//	             opened (a call that waits for the response headers)
//	reconnect    one task opens the stream again on every attempt
//	shards       a loop opens one stream per shard and starts a task each
//	ctor         a same-package constructor opens the stream into a struct
//	afterfunccancel  connect-go bidi, the usual remedy only: a context of
//	             its own, cancelled by context.AfterFunc(gctx, ...) (docs/bug.md:
//	             not enough on connect-go; the fix adds the close to that func)
//	groupctx     connect-go bidi opened with the group's context, the
//	             shape usually called correct (the fix closes the stream
//	             once gctx is done); grpcgo/groupctx is its clean twin,
//	             with no fixed subpackage (scenario.Clean)
//	deferintask  the receive task defers the cancel of the stream's
//	             context, which runs only once that task returns (issue
//	             14, shape 6; the fix also calls it once gctx is done)
//	goroutineintask  the receive task starts a goroutine that receives
//	             and returns itself on gctx.Done(); the function defers
//	             the cancel of the stream's context (issue 14, shape 5):
//	             correct as written, no fixed subpackage (scenario.Clean)
//
// The handoff, serveropen, reconnect, shards, ctor, deferintask and
// goroutineintask clients treat io.EOF, from next or from the stream, as
// the clean end; the others pass it up as is. In the run in which nothing
// fails (scenario.Succeed), every fixed client must deliver what its
// original delivers.
//
// The directories are self-contained so that a tool can be run on them and
// they can be copied.
package clients
