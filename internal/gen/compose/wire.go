package compose

import (
	"slices"
	"strings"
)

// wiringInTask reports whether the path's code goes into the blocked
// task: its context is the task's, or it closes a stream opened there.
func (e *emitter) wiringInTask() bool {
	d := e.d
	if d[DDerive] == deriveTask {
		return true
	}
	return e.stream.isNil && e.closes() && registered(d[DPath])
}

// wiringPerStream reports whether the path's code goes where each of
// several streams is opened or ranged over: it closes each.
func (e *emitter) wiringPerStream() bool {
	d := e.d
	return (d[DOpen] == openLoopTasks || d[DOpen] == openAppend) && e.closes() && registered(d[DPath])
}

// registered reports whether the path is code registered on the group's
// context (rather than a task of its own).
func registered(p int) bool {
	switch p {
	case pathAfterFunc, pathCloseOnly, pathWatcher, pathMethod, pathCloseSend:
		return true
	}
	return false
}

func (e *emitter) closes() bool {
	return e.d[DClose] == 1 || e.d[DPath] == pathCloseOnly || e.d[DPath] == pathCloseSend
}

// wire writes the registered path (AfterFunc, watcher, stopper) into w.
// In a task, te renders the function's names and x is the stream (""
// when not open yet); afterOpen says that the opening call came before.
func (e *emitter) wire(w *writer, te *taskEnv, afterOpen bool) {
	d := e.d
	if !registered(d[DPath]) {
		return
	}
	ref := e.use
	if te != nil {
		ref = te.ref
	}
	gctx := ref(e.gctxName)
	var k string
	if needsCancel(d[DPath]) {
		if d[DDerive] == deriveTask {
			k = "cancel" // the task's own
		} else {
			k = ref(e.cancel)
		}
	}
	var x string
	if e.closes() {
		x = e.streamIn(te)
	}
	fact := pathFact{when: whenGroupDone, afterOpen: afterOpen}
	if k != "" {
		fact.cancels = e.cancelVal
	}
	fact.closes = e.d[DClose] == 1 || d[DPath] == pathCloseOnly
	if d[DPath] == pathCloseSend {
		fact.closes = false
	}
	e.m.paths = append(e.m.paths, fact)

	var calls []string
	if k != "" {
		calls = append(calls, e.cancelCall(k, gctx))
	}
	switch {
	case d[DPath] == pathCloseSend:
		calls = append(calls, "_ = "+x+"."+e.closeSendMethod()+"()")
	case e.closes():
		calls = append(calls, "_ = "+x+"."+e.closeMethod()+"()")
	}
	switch d[DPath] {
	case pathAfterFunc, pathCloseOnly, pathCloseSend:
		if len(calls) == 1 && k != "" && d[DStep] != stepWithCancelCause {
			w.p("context.AfterFunc(%s, %s)", gctx, k)
		} else {
			w.p("context.AfterFunc(%s, func() {\n%s\n})", gctx, strings.Join(calls, "\n"))
		}
	case pathWatcher:
		w.p("go func() {\n<-%s.Done()\n%s\n}()", gctx, strings.Join(calls, "\n"))
	case pathMethod:
		name := e.name("stopper")
		if !slices.Contains(e.names, name) {
			fields := "cancel " + e.cancelType()
			stop := "x." + e.cancelCall("cancel", "")
			if e.closes() {
				fields += "\ns " + e.streamType()
				stop += "\n_ = x.s." + e.closeMethod() + "()"
			}
			e.decl(name, "// %s ends the RPC.\ntype %s struct {\n%s\n}\n\n// Stop cancels the RPC.\nfunc (x *%s) Stop() {\n%s\n}\n", name, name, fields, name, stop)
		}
		init := "cancel: " + k
		if e.closes() {
			init += ", s: " + x
		}
		w.p("stop := &%s{%s}", name, init)
		w.p("context.AfterFunc(%s, stop.Stop)", gctx)
	}
}

// streamIn is the stream as the code at hand reaches it: in the task
// (te != nil) the task's own s when it opened it, else through te.
func (e *emitter) streamIn(te *taskEnv) string {
	s := e.stream
	if s.isNil || s.recv {
		return "s"
	}
	if te == nil {
		return s.text(e.use(s.v))
	}
	return s.text(te.ref(s.v))
}
