// Package e2e proves at run time, against real connect-go v1, connect-go
// v2 and grpc-go servers on 127.0.0.1, what bidictxlint is about:
//
//   - the library facts it relies on: for every library, stream kind,
//     peer state, action (cancel, close, close of the request side, those
//     in either order, deadline) and transport, whether a pending
//     Receive, a Send blocked by flow control, a
//     CloseAndReceive or a server stream's opening is freed
//     (facts_test.go, TestFacts);
//   - that every client in e2e/clients, the bug in one shape on one
//     library, hangs in g.Wait once one of its errgroup tasks fails
//     (hang_test.go);
//   - that the same clients, fixed, return the task's error at once and
//     leave nothing blocked (fixed_test.go), whether fixed by
//     `bidictxlint -fix` (the default) or by hand (their fixed
//     subpackages): set BIDICTXLINT_E2E_FIX=hand for the latter;
//   - that bidictxlint reports every original client and none of the
//     fixed ones (analyzer_test.go);
//   - that no fix breaks working code: against a healthy peer, with no
//     task failing, every client returns no error and the fixed one
//     (by hand or by -fix) delivers exactly what the original delivers
//     (success_test.go, and the success subtests of fixed_test.go);
//   - why the fix closes connect-go bidi streams too: once the peer has
//     answered, cancelling the context frees no pending Receive, so the
//     usual remedy (clients afterfunccancel) and the stream opened with
//     the group's context (clients groupctx) hang, while the fixed clients
//     return (gap_test.go); grpc-go's groupctx is correct as written
//     (clean_test.go);
//   - the joins beyond errgroup (scenario/joins.go, joins_test.go), which
//     bidictxlint reports as it does errgroup's (TestAnalyzerReportsClients
//     ranges over them too): clients whose receive loop a
//     sync.WaitGroup (wg.Go, wg.Add/Done), a conc.WaitGroup or a conc pool
//     (Pool, ErrorPool, ContextPool with and without WithCancelOnError)
//     waits for hang in that wait once they cancel (or a task fails) on an
//     answered connect-go bidi stream (TestJoinsHang), but not against a
//     silent peer (TestJoinsUnanswered); clients whose receiving goroutine
//     outlives the function (a pump into a channel, a redial loop, a
//     Session whose Close only cancels) leave it blocked in Receive, with
//     the stream held at the server, after Run returned (TestLeaks), one
//     per quiet attempt for the redial loop (TestRedialPilesUp); every
//     hand-fixed twin returns within 500 ms on an answered and on a silent
//     peer and leaves nothing behind (TestJoinsFixed), and delivers what
//     its original delivers (TestJoinsSuccess); the grpc-go twins are
//     correct as written (TestJoinsClean); and a deferred close that runs
//     before the cancel hangs the return while the server has not
//     answered (TestDeferredCloseFirst). goleak checks, once every peer is
//     closed, that nothing at all is left;
//   - the server side of the facts (serverfacts_test.go, TestServerFacts):
//     what frees a handler's Receive pending in a goroutine of its own,
//     per client action and transport; and handlers that wait for their
//     own receive loop, joined by a WaitGroup, a conc.WaitGroup or a
//     channel, hang until the client closes (on connect-go its cancel is
//     not enough once the handler has answered), while their restructured
//     twins return at once (handlers/joins, TestJoinHandlers).
//
// It is a module of its own so that the RPC libraries stay out of the
// main module. Run it with `go test -race ./...` in this directory.
package e2e
