// Package e2e proves at run time, against real connect-go v1, connect-go
// v2 and grpc-go servers on 127.0.0.1, what bidictxlint is about:
//
//   - the library facts it relies on (docs/bug.md, the facts table): for
//     every library, stream kind, peer state, action and transport,
//     whether a pending Receive, a Send blocked by flow control, a
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
//     (clean_test.go).
//
// It is a module of its own so that the RPC libraries stay out of the
// main module. Run it with `go test -race ./...` in this directory.
package e2e
