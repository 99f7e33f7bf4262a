// Package analyzer defines bidictxlint, an analysis that reports RPC
// streams that a goroutine blocks on and that nothing frees when the code
// stops waiting for it.
//
// # Analyzer bidictxlint
//
// bidictxlint: report RPC streams that goroutines block on and nothing frees
//
// A client RPC stream of connect-go (v1 or v2) or grpc-go is bound to the
// context it was opened with: its Send and Receive take no context. When
// such a stream is used from the tasks of an errgroup and the group's
// failure does not reach it, the task blocked in Receive keeps waiting
// and g.Wait() never returns:
//
//	stream, err := client.Chat(ctx)
//	g, ctx := errgroup.WithContext(ctx) // ctx is the group's context from here on
//	g.Go(func() error { return recvLoop(stream) }) // blocks in Receive forever
//	g.Go(func() error { return errors.New("fail") })
//	return g.Wait()
//
// The analysis reports the first blocking call on such a stream in a task
// of the group, when no cancellation path leads from the group's context
// to the stream, and something other than that task can end the group's
// work. On grpc-go and on connect-go server and client streams, a path is
// a cancel of the stream's context: opening it under the group's context,
// context.AfterFunc(gctx, cancel), a watcher, or another task that
// cancels. On a connect-go bidi stream, once the server has answered and
// while the request side is open, cancelling frees neither a pending
// Receive nor a blocked Send, so a path must also close the stream
// (CloseResponse in v1, Close in v2): the usual remedy and a stream
// opened with the group's context are reported too.
//
// The suggested fix cancels the RPC when the group's context is done, and
// closes a connect-go stream as well:
//
//	rpcCtx, rpcCancel := context.WithCancel(ctx)
//	defer rpcCancel()
//	stream := client.Chat(rpcCtx)
//	g, ctx := errgroup.WithContext(rpcCtx)
//	context.AfterFunc(ctx, func() { rpcCancel(); _ = stream.CloseResponse() })
//
// The message of each diagnostic quotes the code its fix writes. In a
// handler, a task that receives from the handler's own stream while the
// handler waits in g.Wait() is reported too, without a fix.
//
// The same holds beyond errgroup: the goroutines of a sync.WaitGroup, a
// conc.WaitGroup or a conc pool, which cancel nothing when one of them
// returns, so the function that waits must free the stream when it stops
// (on a connect-go bidi stream, close it as well as cancel); and a plain
// goroutine blocked on a connect-go bidi stream that its function returns
// without closing, which outlives the function; and a type wrapping such
// a stream whose Close only cancels.
//
// The rules, the fixes and the runtime facts they rest on are documented
// in docs/rules.md, docs/fixes.md and docs/bug.md of the repository
// (https://github.com/bidictxlint/bidictxlint).
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
//
// # Glossary
//
// The code and its comments keep to these words.
//
//   - stream: a client (or, for the handler check, server) RPC stream of
//     connect-go or grpc-go, a value of one of the types in libraries.go.
//   - opening: the call that returns a stream (client.Chat(ctx)); the
//     stream's context is that call's context argument.
//   - blocking call (use): a stream method that waits for the peer
//     (Receive, Send, CloseAndReceive, ...), reached from a task.
//   - group: the tasks one join waits for, whose creation is visible: an
//     errgroup.Group, a sync.WaitGroup, a conc.WaitGroup or a conc pool;
//     the group's context is the second result of errgroup.WithContext,
//     or the context a conc ContextPool gives its tasks.
//   - task: a function a group runs: given to g.Go or g.TryGo, or a go
//     statement whose function calls wg.Done().
//   - join: the call that waits for the tasks, g.Wait(), wg.Wait().
//   - assignment (assign): one assignment to a variable or field; values
//     are traced by the assignment that reaches a position, never by
//     variable alone.
//   - path (cancellation path): what makes the group's failure free a
//     blocked call: a cancel of the stream's context, a close of the
//     stream, or both (paths.go).
//   - finding: the decision behind one diagnostic: what is wrong, what the
//     user must do (the remedy), and what a fix must achieve (decide.go).
//   - remedy: what the user must do, one of a fixed set (wireCancel,
//     addClose, openUnderGroup, ...).
//   - spec: a finding's fix, described for the planner in syntax and
//     names (internal/fix.Spec).
//   - plan: where each line of a fix goes and which names it introduces
//     (internal/fix.Plan); the message and the edits are rendered from it.
package analyzer
