// Package compose writes, from a seed, type-correct Go functions that
// drive a client RPC stream from errgroup tasks, over the real types of
// connect-go v1 and v2 and grpc-go, and says for each what the measured
// facts make of it: a bug the analyzer must report, clean code it must
// leave alone, or unknown.
//
// Where internal/gen writes a fixed list of shapes for benchmarks, compose
// chooses each of these dimensions independently (see Dims):
//
//   - lib, kind, api, method: connect-go v1 (a raw *connect.Client or a
//     generated client), v2 (raw or generated), grpc-go (generic or
//     pre-generics generated); bidi, server or client stream; the
//     blocking method in the task.
//   - open, helper: where the stream is opened: its own statement (:=,
//     var, =), an if or switch init, inside an expression (a method call
//     on the result, a call argument, a struct literal field, append, a
//     map store, a channel send), a same-package constructor (a return),
//     inside the task, in a loop (a task per iteration, a reconnect loop
//     in a task); and whether the opening call goes through a
//     same-package helper.
//   - base, step, wrap, wrapOuter, inline, derive: the stream's context:
//     the caller's, the group's or context.Background(); derived with a
//     cancel func (WithCancel, WithTimeout, WithCancelCause) or cut with
//     context.WithoutCancel; wrapped (metadata.AppendToOutgoingContext, a
//     same-package helper, WithValue) inside or outside the derivation,
//     inline or in a variable; derived in the function or in the task.
//   - order, group, parent, limit: group or stream first; the group's
//     declaration (:=, var, a var block, the reassigned
//     `g, ctx := errgroup.WithContext(ctx)`, a discarded context, a
//     constructor, the zero values var, new, &Group{}, Group{} and a package
//     variable); its parent context; SetLimit.
//   - task, count, other, block: the blocked task as a literal, a
//     function value, a method value, a helper returning a func, or
//     TryGo; one task, two, or one per iteration; what the other task
//     does; the blocking call in the task, in a helper one or two calls
//     deep, in a nested literal, or in a goroutine the task starts.
//   - path, close, wire: the cancellation path: none, defer cancel() in
//     the blocked task (a field's cancel in a method task),
//     context.AfterFunc, a close only, a watcher goroutine or task, a
//     method that cancels, CloseSend only, a sibling task that cancels on
//     every path or only on success; whether the path also closes the
//     stream; in a task, whether it is wired before or after the opening
//     call.
//   - join: how the tasks are joined: an errgroup, a conc ErrorPool
//     (pool.New().WithErrors(), with WithMaxGoroutines for the limit), or
//     a sync.WaitGroup with wg.Go, whose tasks are written as an
//     errgroup's and then lose their results (noErrorTasks); the last
//     two have no context, as a zero-value errgroup.
//
// A random choice is normalised into code that builds and vets: a value
// that cannot apply is replaced (a zero-value group has no context to
// open the stream under, so the caller's is used). While it writes the
// code, the generator tracks context values, not names (after
// `g, ctx := errgroup.WithContext(ctx)`, ctx holds the group's context),
// and what each cancellation path cancels or closes and when it runs.
// The verdict applies the facts to that model: a cancel frees grpc-go
// streams and connect-go server and client streams; a connect-go bidi
// stream needs a cancel and a close from a path that runs while the group
// works; a deferred cancel in the blocked task, CloseSend and a cancel on
// a sibling's success path only are no path; a group with a single task
// whose parent is the stream's context is not a bug, except for a
// connect-go bidi stream; a blocking call in a goroutine does not block
// its task; a connect-go server stream's opening call blocks until the
// response headers. Where a fact is not measured (whether other opening
// calls block, whether v2 Close alone frees) the verdict is computed both
// ways and is Unknown when they differ; a clean stream that reaches its
// task through a channel, map or slice is Unknown too, since the
// analyzer cannot see its context there.
//
// Units are numbered: New(seed, id) is the same unit whatever else is
// generated, and FromDims writes the unit that Dims.String printed.
// Named returns the shapes found in real code and crash reports.
package compose
