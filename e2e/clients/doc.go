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
// subpackage is the same client fixed by hand as the tool fixes it.
//
// The shapes, by directory name:
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
//	             its own, cancelled by context.AfterFunc(gctx, ...) (the
//	             fix adds the close to that func)
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
// Beyond errgroup (scenario/joins.go; bidictxlint reports these as it
// does the errgroup clients): clients whose receive loop another join waits for, all on a bidi
// stream against a peer that has answered. Each decides to stop (a cancel
// before its wait, or a task that returns its error) with nothing that
// frees a connect-go Receive, so its wait hangs (scenario.Joins); the
// grpc-go twins are correct as written (scenario.JoinsClean), but for
// ctxpool, which hangs on every library:
//
//	wggo         sync.WaitGroup wg.Go receive task; cancel, then wg.Wait
//	             (the fix closes the stream on that path)
//	wgadd        wg.Add and go func() { defer wg.Done() ... }(); deferred
//	             wg.Wait after a deferred cancel (the fix registers the
//	             close with context.AfterFunc on the cancelled context)
//	concwg       conc.WaitGroup (v2: WaitAndRecover); cancel, then wait
//	concpool     conc pool.New().WithMaxGoroutines(2); the sending task
//	             cancels on failure
//	errpool      conc ErrorPool (WithErrors, WithFirstError); likewise
//	ctxpool      conc ContextPool without WithCancelOnError: the receiving
//	             task opens the stream with the pool's context, and nothing
//	             cancels it when the other task fails (the fix adds
//	             WithCancelOnError, and on connect-go the close)
//	ctxpoolcancel  the same with WithCancelOnError: an errgroup under
//	             another name (the fix closes the stream once the pool's
//	             context is done)
//
// And clients whose receiving goroutine outlives Run, which returns at
// once (scenario.Leaks), the grpc-go twins correct as written
// (scenario.LeaksClean):
//
//	pump         a goroutine pumps Receive into a channel; Run returns on
//	             an error or its context with only a deferred cancel (the
//	             fix defers cancel-then-close right after the opening)
//	redial       the same, dialling again whenever the feed goes quiet:
//	             one goroutine and one held stream more per attempt (the
//	             fix gives each attempt a context of its own and cancels
//	             and closes the attempt's stream before the next)
//	session      a Session type over the stream whose Close only cancels
//	             (the fix adds the close to Close, after the cancel)
//	background   grpc-go only: pump with the stream opened on
//	             context.Background(), which nothing cancels (the fix
//	             gives the stream a context Run cancels on return)
//
// Every fix cancels before it closes: a close alone waits for the
// response headers, so a deferred close that runs before a deferred
// cancel hangs Run's return while the server has not answered
// (TestDeferredCloseFirst).
//
// The directories are self-contained so that a tool can be run on them and
// they can be copied.
package clients
