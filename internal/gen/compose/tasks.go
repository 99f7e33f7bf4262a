package compose

import (
	"fmt"
	"slices"
	"strings"
)

// The tasks.

// taskEnv renders a task's body: references to the function's variables
// go through ref, which records them as the task's free variables.
type taskEnv struct {
	e      *emitter
	method bool
	free   []string
}

func (te *taskEnv) ref(name string) string {
	if name == "" {
		return ""
	}
	if !slices.Contains(te.free, name) {
		te.free = append(te.free, name)
	}
	if te.method {
		return "t." + name
	}
	return name
}

func (e *emitter) tasks() {
	d := e.d
	// Wiring in the function: paths that need only the function's names.
	if !e.wiringInTask() && !e.wiringPerStream() {
		e.wire(e.w, nil, false)
	}
	switch {
	case d[DOpen] == openLoopTasks:
		e.w.p("for range 2 {")
		call, one := e.openCall(e.use("client"), e.ctx.text(e.use(e.ctx.v)), false)
		e.m.streamCtx = e.ctx.val()
		if one {
			e.w.p("s := %s", call)
		} else {
			e.w.p("s, err := %s", call)
			e.w.p("if err != nil {\nreturn err\n}")
		}
		e.locals["s"] = &local{typ: e.streamType()}
		e.stream = streamAccess{v: "s", text: func(ref string) string { return ref }}
		if e.wiringPerStream() {
			e.wire(e.w, nil, false)
		}
		e.goTask()
		e.w.p("}")
		e.m.taskInLoop = true
	case d[DOpen] == openAppend:
		e.w.p("for _, st := range streams {")
		e.use("streams")
		e.locals["st"] = &local{typ: e.streamType()}
		if e.wiringPerStream() {
			e.wire(e.w, nil, false)
		}
		e.goTask()
		e.w.p("}")
		e.m.taskInLoop = true
	case d[DCount] == countPerIteration:
		e.w.p("for range 2 {")
		e.goTask()
		e.w.p("}")
		e.m.taskInLoop = true
	default:
		e.goTask()
	}
	if d[DCount] == countTwo {
		e.m.tasks++
		switch d[DOther] {
		case otherFail:
			e.w.p("%s", e.start("func() error {\nreturn errFail\n}"))
		case otherWork:
			e.w.p("%s", e.start("func() error {\nreturn work()\n}"))
		case otherSender:
			e.w.p("%s", e.start(fmt.Sprintf("func() error {\nreturn %s.Send(&Msg{})\n}", e.stream.text(e.use(e.stream.v)))))
			e.m.blockInTask = true // Send waits for the peer too
			if d[DLib] != libGRPC && d[DKind] == kindClient {
				e.m.method = methodSend // also a Send on a connect-go client stream
			}
		}
	}
	e.pathTask()
}

// pathTask writes the path that is a task of its own.
func (e *emitter) pathTask() {
	d := e.d
	switch d[DPath] {
	case pathWatcherTask:
		e.m.tasks++
		calls := []string{e.cancelCall(e.use(e.cancel), e.gctxName)}
		if d[DClose] == 1 {
			calls = append(calls, "_ = "+e.streamIn(nil)+"."+e.closeMethod()+"()")
		}
		e.w.p("%s", e.start(fmt.Sprintf("func() error {\n<-%s.Done()\n%s\nreturn nil\n}", e.use(e.gctxName), strings.Join(calls, "\n"))))
		e.m.paths = append(e.m.paths, pathFact{cancels: e.cancelVal, closes: d[DClose] == 1, when: whenGroupDone})
	case pathSiblingAll:
		e.m.tasks++
		call := e.cancelCall(e.use(e.cancel), "")
		if d[DClose] == 1 {
			e.w.p("%s", e.start(fmt.Sprintf("func() error {\ndefer func() {\n%s\n_ = %s.%s()\n}()\nreturn work()\n}", call, e.streamIn(nil), e.closeMethod())))
		} else {
			e.w.p("%s", e.start(fmt.Sprintf("func() error {\ndefer %s\nreturn work()\n}", call)))
		}
		e.m.paths = append(e.m.paths, pathFact{cancels: e.cancelVal, closes: d[DClose] == 1, when: whenOtherTask})
	case pathSiblingSuccess:
		e.m.tasks++
		e.w.p("%s", e.start(fmt.Sprintf("func() error {\nif err := work(); err != nil {\nreturn err\n}\n%s\nreturn nil\n}", e.cancelCall(e.use(e.cancel), ""))))
		e.m.paths = append(e.m.paths, pathFact{cancels: e.cancelVal, when: whenOtherTaskSuccess})
	}
}

// The join: how a task is started and waited for. An errgroup, a conc
// ErrorPool and a sync.WaitGroup (made in createGroup) start the same
// way; a WaitGroup's tasks lose their results afterwards (noErrorTasks).

// start starts the task fn (a func() error expression); the blocked
// task uses TryGo when the dimension says so.
func (e *emitter) start(fn string) string {
	return e.gname + ".Go(" + fn + ")"
}

// startAround is start for the blocked task, split around a function
// literal written in between.
func (e *emitter) startAround() (string, string) {
	name := "Go"
	if e.d[DTask] == taskTryGo {
		name = "TryGo"
	}
	return e.gname + "." + name + "(", ")"
}

// wait is the statement that waits for the tasks and returns.
func (e *emitter) wait() string {
	if e.d[DJoin] == joinWaitGroup {
		return e.gname + ".Wait()\nreturn nil"
	}
	return "return " + e.gname + ".Wait()"
}

// goTask writes the blocked task and the Go (or TryGo) call that starts
// it.
func (e *emitter) goTask() {
	d := e.d
	e.m.tasks++
	te := &taskEnv{e: e, method: d[DTask] == taskMethodValue}
	body := e.taskBody(te)
	for _, v := range te.free {
		e.use(v)
	}
	switch d[DTask] {
	case taskLiteral, taskTryGo:
		open, close := e.startAround()
		e.w.p("%sfunc() error {", open)
		e.w.add(body)
		e.w.p("}%s", close)
	case taskFuncValue:
		e.w.p("run := func() error {")
		e.w.add(body)
		e.w.p("}")
		e.w.p("%s", e.start("run"))
	case taskMethodValue:
		name := e.name("task")
		if !slices.Contains(e.names, name) {
			var fields []string
			for _, v := range te.free {
				fields = append(fields, v+" "+e.locals[v].typ)
			}
			e.decl(name, "// %s is the task that receives.\ntype %s struct {\n%s\n}\n\nfunc (t *%s) run() error {\n%s}\n", name, name, strings.Join(fields, "\n"), name, body.String())
		}
		var inits []string
		for _, v := range te.free {
			inits = append(inits, v+": "+v)
		}
		e.w.p("t := &%s{%s}", name, strings.Join(inits, ", "))
		e.w.p("%s", e.start("t.run"))
	case taskCtor:
		name := e.name("recvTask")
		if !slices.Contains(e.names, name) {
			var params []string
			for _, v := range te.free {
				params = append(params, v+" "+e.locals[v].typ)
			}
			e.decl(name, "// %s returns the task that receives.\nfunc %s(%s) func() error {\nreturn func() error {\n%s}\n}\n", name, name, strings.Join(params, ", "), body.String())
		}
		e.w.p("%s", e.start(fmt.Sprintf("%s(%s)", name, strings.Join(te.free, ", "))))
	}
}

// taskBody writes the blocked task's body.
func (e *emitter) taskBody(te *taskEnv) *writer {
	d := e.d
	w := new(writer)
	if d[DDerive] == deriveTask {
		e.derive(w, e.ctx, te.ref)
		if d[DWire] == wireBeforeOpen {
			e.wire(w, te, false)
		}
	}
	if d[DPath] == pathDeferTask {
		w.p("defer %s", e.cancelCall(te.ref(e.cancel), ""))
		// It runs when this task returns: never while it blocks, but at
		// once when its blocking call is in a goroutine, while another
		// task (a sender) may wait on the stream.
		when := whenBlockedTaskReturns
		if d[DBlock] == blockGoroutine {
			when = whenOtherTask
		}
		e.m.paths = append(e.m.paths, pathFact{cancels: e.cancelVal, when: when})
	}
	if d[DBlock] == blockGoroutine {
		inner := new(writer)
		e.core(inner, te, false)
		w.p("go func() {")
		w.add(inner)
		w.p("}()")
		w.p("return nil")
		return w
	}
	e.m.blockInTask = true
	e.core(w, te, true)
	w.p("return nil")
	return w
}

// core writes the opening call when it is the task's, the wiring that
// follows it, and the blocking call; ret says whether the enclosing func
// returns an error.
func (e *emitter) core(w *writer, te *taskEnv, ret bool) {
	d := e.d
	if d[DBlock] == blockGoroutine {
		e.m.blockInTask = false
	}
	retErr := "return err"
	if !ret {
		retErr = "return"
	}
	ctxText := func() string { return e.ctx.text(te.ref(e.ctx.v)) }
	if d[DDerive] == deriveTask {
		ctxText = func() string { return "sctx" }
	}
	switch d[DOpen] {
	case openExprMethod:
		call, _ := e.openCall(te.ref("client"), ctxText(), true)
		e.m.streamCtx = e.taskCtxVal()
		w.p("%s", e.blockAt(call, ret))
		return
	case openExprArg:
		call, _ := e.openCall(te.ref("client"), ctxText(), true)
		e.m.streamCtx = e.taskCtxVal()
		helper := e.recvHelper(1)
		w.p("if err := %s(%s); err != nil {\n%s\n}", helper, call, retErr)
		return
	case openInTask, openReconnect:
		call, one := e.openCall(te.ref("client"), ctxText(), false)
		e.m.streamCtx = e.taskCtxVal()
		if d[DOpen] == openReconnect {
			w.p("for range 3 {")
		}
		if one {
			w.p("s := %s", call)
		} else {
			w.p("s, err := %s", call)
			w.p("if err != nil {\n%s\n}", retErr)
		}
		if d[DDerive] == deriveTask && d[DWire] == wireAfterOpen || d[DDerive] == deriveFunction && e.wiringInTask() {
			e.wire(w, te, true)
		}
		w.p("%s", e.blockAt("s", ret))
		if d[DOpen] == openReconnect {
			w.p("}")
		}
		return
	}
	x := ""
	if e.stream.recv {
		w.p("s := <-%s", te.ref(e.stream.v))
		x = "s"
	} else {
		x = e.stream.text(te.ref(e.stream.v))
	}
	w.p("%s", e.blockAt(x, ret))
}

// taskCtxVal is the value of the stream's context in the task.
func (e *emitter) taskCtxVal() *ctxVal {
	if e.d[DDerive] == deriveTask {
		return e.vars["sctx"]
	}
	return e.ctx.val()
}

// blockAt writes the blocking call on x where the dimension puts it: in
// the body, in a helper (one or two calls deep), or in a nested literal.
func (e *emitter) blockAt(x string, ret bool) string {
	retErr := "return err"
	if !ret {
		retErr = "return"
	}
	switch e.d[DBlock] {
	case blockHelper:
		return fmt.Sprintf("if err := %s(%s); err != nil {\n%s\n}", e.recvHelper(1), x, retErr)
	case blockHelper2:
		return fmt.Sprintf("if err := %s(%s); err != nil {\n%s\n}", e.recvHelper(2), x, retErr)
	case blockNested:
		return fmt.Sprintf("if err := func() error {\n%s\nreturn nil\n}(); err != nil {\n%s\n}", e.block(x, true), retErr)
	}
	return e.block(x, ret)
}

// recvHelper declares the same-package helper that makes the blocking
// call, depth calls deep, and returns its name.
func (e *emitter) recvHelper(depth int) string {
	name := e.name("recv")
	inner := e.name("recvOnce")
	if !slices.Contains(e.names, name) {
		st := e.streamType()
		if depth == 2 {
			e.decl(name, "// %s receives through %s.\nfunc %s(s %s) error {\nreturn %s(s)\n}\n", name, inner, name, st, inner)
			e.decl(inner, "func %s(s %s) error {\n%s\nreturn nil\n}\n", inner, st, e.block("s", true))
		} else {
			e.decl(name, "// %s waits for the peer.\nfunc %s(s %s) error {\n%s\nreturn nil\n}\n", name, name, st, e.block("s", true))
		}
	}
	return name
}
