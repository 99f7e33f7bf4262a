package compose

// The group.

func (e *emitter) createGroup() {
	d := e.d
	var parent string
	var pval *ctxVal
	switch d[DParent] {
	case parentStreamCtx:
		parent, pval = e.use("sctx"), e.vars["sctx"]
	case parentBackground:
		parent, pval = "context.Background()", &ctxVal{name: "context.Background()", step: stepRoot}
	default:
		parent, pval = e.use("ctx"), e.vars["ctx"]
	}
	e.gname, e.gctxName = "g", "gctx"
	gval := derived("the group's context", pval, stepGroup)
	if d[DJoin] == joinWaitGroup {
		e.gname, e.gctxName = "wg", ""
		e.w.p("var wg sync.WaitGroup")
		e.m.zero = true
		return
	}
	if d[DJoin] == joinErrorPool {
		e.gname, e.gctxName = "p", ""
		limit := ""
		if d[DLimit] == 1 {
			limit = ".WithMaxGoroutines(8)"
		}
		e.w.p("p := pool.New()%s.WithErrors()", limit)
		e.m.zero = true
		return
	}
	switch d[DGroup] {
	case groupDefine:
		e.w.p("g, gctx := errgroup.WithContext(%s)", parent)
	case groupVarDecl:
		e.w.p("var g, gctx = errgroup.WithContext(%s)", parent)
	case groupVarBlock:
		e.w.p("var (\ng *errgroup.Group\ngctx context.Context\n)")
		e.w.p("g, gctx = errgroup.WithContext(%s)", parent)
	case groupReassigned:
		e.w.p("g, ctx := errgroup.WithContext(%s)", parent)
		e.gctxName = "ctx"
	case groupDiscard:
		e.w.p("g, _ := errgroup.WithContext(%s)", parent)
		e.gctxName = ""
	case groupCtor:
		name := e.name("newGroup")
		e.decl(name, "// %s returns a group with a limit and its context.\nfunc %s(ctx context.Context) (*errgroup.Group, context.Context) {\ng, gctx := errgroup.WithContext(ctx)\ng.SetLimit(8)\nreturn g, gctx\n}\n", name, name)
		e.w.p("g, gctx := %s(%s)", name, parent)
	case groupZeroVar:
		e.w.p("var g errgroup.Group")
	case groupZeroNew:
		e.w.p("g := new(errgroup.Group)")
	case groupZeroLit:
		e.w.p("g := &errgroup.Group{}")
	case groupZeroValue:
		e.w.p("g := errgroup.Group{}")
	case groupPkgVar:
		e.gname = e.name("pkgGroup")
		e.decl(e.gname, "var %s errgroup.Group\n", e.gname)
	}
	if zeroGroup(d[DGroup]) {
		e.gctxName = ""
		e.m.zero = true
	} else {
		e.m.gctx = gval
	}
	if e.gctxName != "" {
		e.vars[e.gctxName] = gval
		if e.gctxName != "ctx" || len(e.closers) > 0 {
			// (ctx in an if or switch is a new variable)
			e.declare(e.gctxName, "context.Context")
		}
	}
	if d[DLimit] == 1 {
		e.w.p("%s.SetLimit(8)", e.gname)
	}
}

// The stream, opened in the function.

func (e *emitter) openInFunction() {
	d := e.d
	if inTaskOpen(d[DOpen]) {
		e.stream = streamAccess{isNil: true}
		e.m.openInTask = true
		// A WaitGroup task that opens its own stream in a statement: the
		// rules leave such a stream to the task (model.ownStream).
		e.m.ownStream = d[DJoin] == joinWaitGroup && (d[DOpen] == openInTask || d[DOpen] == openReconnect)
		return
	}
	if d[DOpen] == openLoopTasks {
		return // opened where the tasks start
	}
	st := e.streamType()
	single := exprOpen(d[DOpen])
	call, one := e.openCall(e.use("client"), e.ctx.text(e.use(e.ctx.v)), single)
	e.m.streamCtx = e.ctx.val()
	s := streamAccess{v: "s", text: func(ref string) string { return ref }}
	switch d[DOpen] {
	case openDefine, openCtor:
		if one {
			e.w.p("s := %s", call)
		} else {
			e.w.p("s, err := %s", call)
			e.w.p("if err != nil {\nreturn err\n}")
		}
	case openVar:
		if one {
			e.w.p("var s = %s", call)
		} else {
			e.w.p("var s, err = %s", call)
			e.w.p("if err != nil {\nreturn err\n}")
		}
	case openAssign:
		e.w.p("var s %s", st)
		if one {
			e.w.p("s = %s", call)
		} else {
			e.w.p("var err error")
			e.w.p("s, err = %s", call)
			e.w.p("if err != nil {\nreturn err\n}")
		}
	case openIfInit:
		if one {
			e.w.p("if s := %s; s != nil {", call)
			e.closers = append(e.closers, "}", "return errFail")
		} else {
			e.w.p("if s, err := %s; err != nil {\nreturn err\n} else {", call)
			e.closers = append(e.closers, "}")
		}
	case openSwitchInit:
		if one {
			e.w.p("switch s := %s; {\ncase s == nil:\nreturn errFail\ndefault:", call)
		} else {
			e.w.p("switch s, err := %s; {\ncase err != nil:\nreturn err\ndefault:", call)
		}
		e.closers = append(e.closers, "}")
	case openComposite:
		name := e.name("session")
		e.decl(name, "// %s holds an open stream.\ntype %s struct {\nstream %s\n}\n", name, name, st)
		e.w.p("sess := &%s{stream: %s}", name, call)
		e.locals["sess"] = &local{typ: "*" + name}
		s = streamAccess{v: "sess", text: func(ref string) string { return ref + ".stream" }}
	case openAppend:
		e.w.p("var streams []%s", st)
		e.w.p("for range 2 {\nstreams = append(streams, %s)\n}", call)
		e.locals["streams"] = &local{typ: "[]" + st}
		e.m.invisible = "a slice"
		s = streamAccess{v: "st", text: func(ref string) string { return ref }}
	case openMap:
		e.w.p("streams := map[string]%s{}", st)
		e.w.p("streams[\"chat\"] = %s", call)
		e.locals["streams"] = &local{typ: "map[string]" + st}
		e.m.invisible = "a map"
		s = streamAccess{v: "streams", text: func(ref string) string { return ref + `["chat"]` }}
	case openChan:
		e.w.p("ch := make(chan %s, 1)", st)
		e.w.p("ch <- %s", call)
		e.locals["ch"] = &local{typ: "chan " + st}
		e.m.invisible = "a channel"
		s = streamAccess{v: "ch", recv: true}
	}
	if s.v == "s" {
		e.locals["s"] = &local{typ: st}
	}
	e.stream = s
}
