package compose

import "strings"

// A Verdict is what the facts say about a generated function.
type Verdict int

const (
	// Unknown: the facts do not settle it, or the project's rules allow
	// either answer (a stream read from a channel, whose context the
	// analyzer cannot see).
	Unknown Verdict = iota
	// Bug: a task can stay blocked on the stream after the group's work
	// has ended; the analyzer must report it.
	Bug
	// Clean: nothing blocks a task that the group cannot free; the
	// analyzer must not report it.
	Clean
)

func (v Verdict) String() string {
	return [...]string{"unknown", "bug", "clean"}[v]
}

// A ctxVal is a context value the generated code creates, with how it
// was derived. The model tracks values, not variable names: ctx names
// the group's context after `g, ctx := errgroup.WithContext(ctx)`.
type ctxVal struct {
	name   string // for the oracle's explanation
	parent *ctxVal
	step   int // stepRoot, stepGroup, stepCancel, stepValue, stepCut
	// for roots: whether its owner can cancel it (the caller's context
	// can be; context.Background() cannot)
	cancellable bool
}

const (
	stepRoot = iota
	stepGroup
	stepCancel
	stepValue
	stepCut
)

func derived(name string, parent *ctxVal, step int) *ctxVal {
	return &ctxVal{name: name, parent: parent, step: step}
}

// under reports whether cancelling anc cancels v: v is anc or derives
// from it by steps that pass cancellation on (not WithoutCancel).
func under(v, anc *ctxVal) bool {
	for ; v != nil; v = v.parent {
		if v == anc {
			return true
		}
		if v.step == stepCut {
			return false
		}
	}
	return false
}

// canBeCancelled reports whether something can cancel v.
func canBeCancelled(v *ctxVal) bool {
	for ; v != nil; v = v.parent {
		switch v.step {
		case stepGroup, stepCancel:
			return true
		case stepCut:
			return false
		case stepRoot:
			return v.cancellable
		}
	}
	return false
}

// A pathFact is code that may free the stream: what it cancels, whether
// it closes the stream, and when it runs.
type pathFact struct {
	cancels *ctxVal // nil: cancels nothing
	closes  bool    // cancel-and-close's close (CloseResponse v1, Close v2)
	when    int
	// registered inside the task after the opening call: it cannot free
	// a wait in that call
	afterOpen bool
}

const (
	// runs once the group's context is done (AfterFunc, a watcher)
	whenGroupDone = iota
	// runs when another task returns, on every path of it
	whenOtherTask
	// runs only when another task succeeds
	whenOtherTaskSuccess
	// runs when the blocked task itself returns
	whenBlockedTaskReturns
	// runs when the function returns, after Wait
	whenFuncReturns
)

// model is what the generator knows about a function while it writes
// it; verdict applies the facts to it.
type model struct {
	lib, kind, method int
	streamCtx         *ctxVal
	gctx              *ctxVal // the group's context; nil for a zero group
	zero              bool
	tasks             int  // Go call sites
	taskInLoop        bool // a Go call site in a loop
	blockInTask       bool // the blocking call runs in a task, not in a goroutine it starts
	openInTask        bool
	// a sync.WaitGroup task assigns its own stream: whether another task
	// that returns strands it is not settled by the facts, and the
	// analyzer leaves such a stream to its task
	// (docs/rules.md#groups-without-a-context)
	ownStream bool
	paths     []pathFact
	// the stream reaches the task through a channel, map or slice: its
	// context is not visible to an analysis of the function
	invisible string
}

// facts under which the verdict is computed; where the measured facts
// do not settle a question, the verdict is computed both ways and is
// Unknown when the answers differ.
type facts struct {
	// connect-go v2's Close alone frees a pending Receive (measured: only
	// once the response headers have arrived)
	v2CloseFrees bool
	// the opening call of a stream other than a connect-go server stream
	// can block (not measured)
	openBlocks bool
	// a cancel frees a connect-go client stream's Send (measured: not once
	// the server has flushed its headers early)
	cancelFreesClientSend bool
}

// verdict applies the facts (the e2e facts table) to the model.
func (m *model) verdict() (Verdict, string) {
	var got []Verdict
	var why string
	for _, f := range []facts{{false, false, false}, {true, false, false}, {false, true, false}, {false, false, true}, {true, true, true}} {
		v, w := m.verdictUnder(f)
		if len(got) == 0 {
			why = w
		}
		got = append(got, v)
	}
	for _, v := range got[1:] {
		if v != got[0] {
			return Unknown, "the measured facts do not settle it: " + why
		}
	}
	if got[0] == Clean && m.invisible != "" {
		return Unknown, "clean, but the stream reaches the task through " + m.invisible + ", where its context is not visible: " + why
	}
	return got[0], why
}

func (m *model) verdictUnder(f facts) (Verdict, string) {
	if !m.blockInTask {
		return Clean, "the blocking call runs in a goroutine the task starts, not in the task"
	}
	connect := m.lib != libGRPC
	bidi := connect && m.kind == kindBidi
	several := m.tasks >= 2 || m.taskInLoop
	if m.ownStream && several {
		return Unknown, "a WaitGroup task's own stream, while another task returns"
	}

	free := func(cancelled, closed bool) bool {
		switch {
		case bidi:
			return (cancelled && closed) || (closed && m.lib == libV2 && f.v2CloseFrees)
		case connect && m.kind == kindClient && m.method == methodSend:
			return cancelled && f.cancelFreesClientSend
		default:
			return cancelled || (closed && m.lib == libV2 && f.v2CloseFrees)
		}
	}

	// Something other than the blocked task can end the group's work:
	// another task, or a cancelled parent that does not free the stream.
	switch {
	case several:
	case m.zero:
		return Clean, "one task and a zero group: only the blocked task can end the work"
	case !canBeCancelled(m.gctx.parent):
		return Clean, "one task and a group parent nothing cancels"
	case under(m.streamCtx, m.gctx.parent) && free(true, false):
		return Clean, "one task whose group parent is the stream's context or an ancestor: a cancelled parent frees the stream"
	}

	freedBy := func(afterOpenToo bool) (cancelled, closed bool, how []string) {
		if m.gctx != nil && under(m.streamCtx, m.gctx) {
			cancelled = true
			how = append(how, "opened under the group")
		}
		for _, p := range m.paths {
			if p.when != whenGroupDone && p.when != whenOtherTask {
				continue
			}
			if p.afterOpen && !afterOpenToo {
				continue
			}
			if p.cancels != nil && under(m.streamCtx, p.cancels) {
				cancelled = true
				how = append(how, "a path cancels it")
			}
			if p.closes {
				closed = true
				how = append(how, "a path closes it")
			}
		}
		return
	}
	// The opening call in the task, before the paths registered after it.
	if m.openInTask && (connect && m.kind == kindServer || f.openBlocks) {
		c, cl, _ := freedBy(false)
		if !free(c, cl) {
			return Bug, "the opening call in the task blocks before the path is wired"
		}
	}
	c, cl, how := freedBy(true)
	if free(c, cl) {
		return Clean, "freed: " + strings.Join(how, ", ")
	}
	switch {
	case bidi && c && !cl:
		return Bug, "a connect-go bidi stream is cancelled but never closed"
	case bidi && cl:
		return Bug, "a connect-go bidi stream is closed but not cancelled"
	}
	return Bug, "nothing cancels the stream's context when the group's work ends"
}
