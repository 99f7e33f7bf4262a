// Package e2e proves at run time, against real connect-go v1, connect-go
// v2 and grpc-go servers on 127.0.0.1, what bidictxlint is about:
//
//   - the library facts it relies on (SPEC sections 2 and 8): which call
//     frees a Receive/Recv that is waiting for a silent peer
//     (facts_test.go);
//   - that every client in e2e/clients, the bug in one shape on one
//     library, hangs in g.Wait once one of its errgroup tasks fails
//     (hang_test.go);
//   - that the same clients, fixed, return the task's error at once and
//     leave nothing blocked (fixed_test.go), whether fixed by
//     `bidictxlint -fix` (the default) or by hand (their fixed
//     subpackages): set BIDICTXLINT_E2E_FIX=hand for the latter;
//   - that bidictxlint reports every original client and none of the
//     fixed ones (analyzer_test.go);
//   - where the fix falls short: a connect-go bidi stream whose peer has
//     already answered is not freed by cancelling its context
//     (gap_test.go).
//
// It is a module of its own so that the RPC libraries stay out of the
// main module. Run it with `go test -race ./...` in this directory.
package e2e
