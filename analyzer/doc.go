// Package analyzer defines bidictxlint, an analysis that reports RPC
// streams driven from errgroup tasks that the group cannot cancel.
//
// # Analyzer bidictxlint
//
// bidictxlint: report RPC streams in errgroup tasks that the group cannot cancel
//
// A client RPC stream of connect-go (v1 or v2) or grpc-go is bound to the
// context it was opened with: its Send and Receive take no context, and
// only cancelling that context interrupts a blocked Receive. When such a
// stream is used from the tasks of an errgroup created with
// errgroup.WithContext, a failing task cancels the group's context, not
// the stream's; the task blocked in Receive keeps waiting and g.Wait()
// never returns:
//
//	stream, err := client.Chat(ctx)
//	g, ctx := errgroup.WithContext(ctx) // ctx is the group's context from here on
//	g.Go(func() error { return recvLoop(stream) }) // blocks in Receive forever
//	g.Go(func() error { return errors.New("fail") })
//	return g.Wait()
//
// The analysis reports the first blocking call on such a stream in a task
// of the group, when no cancellation path leads from the group's context
// to the stream's, and something other than that task can end the
// group's work (another task, or a parent context that the stream does
// not share). Cancellation paths are: opening the stream with the group's
// context or one derived from it; context.AfterFunc(gctx, cancel) with a
// cancel func of the stream's context or of a cancelable ancestor; a
// task, goroutine or callback that calls such a cancel func, or a
// connect-go v2 Close of the stream.
//
// A connect-go bidi stream needs more: once the server has answered and
// while the request side is open, cancelling its context frees neither a
// pending Receive nor a blocked Send (Go's HTTP/2 client watches the
// context only after the request body is written). For those streams a
// path must both cancel the stream's context and close the stream
// (CloseResponse in v1, Close in v2), so the usual remedy,
// context.AfterFunc(gctx, cancel), and a stream opened with the group's
// context are reported too.
//
// The suggested fix wires the RPC's cancellation to the group:
//
//	rpcCtx, rpcCancel := context.WithCancel(ctx)
//	defer rpcCancel()
//	stream, err := client.Chat(rpcCtx)
//	...
//	g, ctx := errgroup.WithContext(rpcCtx)
//	context.AfterFunc(ctx, rpcCancel)
//
// It reuses a cancel func already in scope, closes connect-go streams as
// well (adding the close to an existing context.AfterFunc func or watcher
// rather than registering a second one), names a discarded group
// context, turns a zero-value group into errgroup.WithContext when that is
// safe, starts a watcher goroutine in files before Go 1.21, and closes a
// connect-go v2 stream whose context is not visible. It never cancels a
// stream that other tasks still use: for a stream opened in one task and
// used beyond it, the pair goes in the function that calls Wait. It
// wires before a connect-go v1 server-stream open, which waits for the
// response headers. A stream opened once per loop iteration is opened
// under the group's context instead of getting a defer and a
// registration per iteration; a connect-go bidi stream in a loop gets no
// fix.
//
// On the server side, a handler whose errgroup task receives from the
// handler's stream while the handler waits in g.Wait() is reported too:
// a handler cannot cancel its own request context, so the receive stays
// blocked until the client sends or hangs up.
//
// The analysis looks at one package at a time, without facts or SSA, and
// returns at once for packages that do not import errgroup.
//
// Each diagnostic has a kind, its Category, documented in docs/checks.md
// (Kinds lists them): uncancelled-stream, reassigned-context,
// bidi-needs-close, handler-receive, and unused-directive and
// bad-directive for the directives that silence findings:
//
//	//bidictxlint:ignore uncancelled-stream the server ends every stream within a minute
//
// at the end of the reported line, above its statement, or in the doc
// comment of its function. golangci-lint's //nolint:bidictxlint is
// honoured too. A directive that silences nothing is reported.
//
// Flags:
//
//	-grpc=false    ignore grpc-go streams
//	-server=false  do not report handler-side receives
//	-nolint=false  leave //nolint comments to golangci-lint
package analyzer
