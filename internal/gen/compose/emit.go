package compose

import (
	"fmt"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
)

// A Unit is one generated function with the helpers and types it uses,
// all named with the unit's number so that units share a package.
type Unit struct {
	Seed int64
	ID   int
	Dims Dims
	// Func is the name of the function that creates the group.
	Func string
	// Names are the top-level names the unit declares (a method under
	// its receiver's type name).
	Names []string
	// Src is the unit's declarations (not yet gofmt-formatted).
	Src string
	// Imports are the import specs the declarations use, such as
	// `"context"` or `connectv2 "connectrpc.com/connect/v2"`.
	Imports []string
	// Verdict is what the facts say; Why says which fact decides.
	Verdict Verdict
	Why     string
}

// New returns unit id of seed: the same pair always gives the same unit,
// whatever other units are generated.
func New(seed int64, id int) Unit {
	r := rand.New(rand.NewPCG(uint64(seed), uint64(id)))
	return FromDims(seed, id, random(r))
}

// FromDims writes the unit with the given (normalised) dimension values.
func FromDims(seed int64, id int, d Dims) Unit {
	e := newEmitter(d, id)
	e.function()
	v, why := e.m.verdict()
	src := strings.Join(append(e.decls, e.fn.String()), "\n")
	if d[DJoin] == joinWaitGroup {
		var err error
		if src, err = noErrorTasks(src, e.gname); err != nil {
			panic("compose: a WaitGroup unit does not parse: " + err.Error()) // a generator bug
		}
	}
	var imports []string
	for _, imp := range allImports {
		if regexp.MustCompile(`(^|[^\w.])` + importName(imp) + `\.`).MatchString(src) {
			imports = append(imports, imp)
		}
	}
	return Unit{
		Seed: seed, ID: id, Dims: d,
		Func:    e.fname,
		Names:   e.names,
		Src:     src,
		Imports: imports,
		Verdict: v, Why: why,
	}
}

// Import specs.
const (
	impContext  = `"context"`
	impTime     = `"time"`
	impConnect  = `"connectrpc.com/connect"`
	impConnect2 = `connectv2 "connectrpc.com/connect/v2"`
	impGRPC     = `"google.golang.org/grpc"`
	impMetadata = `"google.golang.org/grpc/metadata"`
	impErrgroup = `"golang.org/x/sync/errgroup"`
	impPool     = `"github.com/sourcegraph/conc/pool"`
	impSync     = `"sync"`
	impChatGRPC = `"example.com/real/gen/chatgrpc"`
	impChatV2   = `"example.com/real/gen/chatv2"`
)

var allImports = []string{impContext, impTime, impConnect, impConnect2, impGRPC, impMetadata, impErrgroup, impPool, impSync, impChatGRPC, impChatV2}

// importName is the name an import spec binds.
func importName(spec string) string {
	if name, _, ok := strings.Cut(spec, " "); ok {
		return name
	}
	path := strings.Trim(spec, `"`)
	return path[strings.LastIndex(path, "/")+1:]
}

// A writer collects lines, some decided only when the unit is complete
// (a `_ = x` for a variable nothing used).
type writer struct{ lines []func() string }

func (w *writer) p(format string, args ...any) {
	s := fmt.Sprintf(format, args...)
	w.lines = append(w.lines, func() string { return s })
}

func (w *writer) guard(l *local, name string) {
	w.lines = append(w.lines, func() string {
		if l.used {
			return ""
		}
		return "_ = " + name
	})
}

func (w *writer) add(o *writer) { w.lines = append(w.lines, o.lines...) }

func (w *writer) String() string {
	var b strings.Builder
	for _, l := range w.lines {
		if s := l(); s != "" {
			b.WriteString(s)
			b.WriteByte('\n')
		}
	}
	return b.String()
}

type local struct {
	typ  string
	used bool
}

type emitter struct {
	d       Dims
	sfx     string
	fname   string
	decls   []string
	names   []string
	fn      *writer // the function
	w       *writer // where the function's statements go now
	closers []string
	locals  map[string]*local
	vars    map[string]*ctxVal // context variables, by the value they hold now
	m       model

	gname, gctxName string // the group and its context ("" when none)
	cancel          string // the stream context's cancel func ("" when none)
	cancelVal       *ctxVal
	ctx             ctxExpr // the context the opening call gets
	stream          streamAccess
	derived         bool // the derivation is written
}

// A ctxExpr is the context argument of the opening call: a variable (or
// none) and the text around it.
type ctxExpr struct {
	v    string
	text func(ref string) string
	val  func() *ctxVal
}

// streamAccess says how a task reaches the stream opened in the
// function: through variable v with text around it, or by receiving
// from the channel v.
type streamAccess struct {
	v     string
	text  func(ref string) string
	isNil bool // opened in the task
	recv  bool // v is a channel the task receives the stream from
}

func newEmitter(d Dims, id int) *emitter {
	e := &emitter{
		d:      d,
		sfx:    fmt.Sprint(id),
		fn:     new(writer),
		locals: make(map[string]*local),
		vars:   make(map[string]*ctxVal),
	}
	e.w = e.fn
	e.m.lib, e.m.kind, e.m.method = d[DLib], d[DKind], d[DMethod]
	return e
}

func (e *emitter) name(base string) string { return base + e.sfx }

func (e *emitter) decl(name, format string, args ...any) {
	e.names = append(e.names, name)
	e.decls = append(e.decls, fmt.Sprintf(format, args...))
}

// declare records a local variable and makes sure it is used.
func (e *emitter) declare(name, typ string) {
	l := &local{typ: typ}
	e.locals[name] = l
	e.w.guard(l, name)
}

func (e *emitter) use(name string) string {
	if l := e.locals[name]; l != nil {
		l.used = true
	}
	return name
}

// Types and calls of the libraries.

func (e *emitter) clientType() string {
	d := e.d
	switch d[DLib] {
	case libV1:
		if d[DAPI] == apiRaw {
			return "*connect.Client[Msg, Msg]"
		}
		return "V1Client"
	case libV2:
		if d[DAPI] == apiRaw {
			return "*connectv2.Client"
		}
		return "*chatv2.ChatClient"
	}
	return "chatgrpc.ChatClient"
}

func (e *emitter) streamType() string {
	d := e.d
	switch d[DLib] {
	case libV1:
		return [...]string{"*connect.BidiStreamForClient[Msg, Msg]", "*connect.ServerStreamForClient[Msg]", "*connect.ClientStreamForClient[Msg, Msg]"}[d[DKind]]
	case libV2:
		if d[DAPI] == apiRaw {
			return "connectv2.ClientStream"
		}
		return [...]string{"chatv2.ChatServiceChatClientStream", "chatv2.ChatServiceWatchClientStream", "chatv2.ChatServiceUploadClientStream"}[d[DKind]]
	}
	if d[DAPI] == apiLegacy {
		return "chatgrpc.Chat_LegacyClient"
	}
	return [...]string{"grpc.BidiStreamingClient[Msg, Msg]", "grpc.ServerStreamingClient[Msg]", "grpc.ClientStreamingClient[Msg, Msg]"}[d[DKind]]
}

// libOpen is the library's own opening call on client with context c,
// and whether it has a single result.
func (e *emitter) libOpen(client, c string) (string, bool) {
	d := e.d
	switch d[DLib] {
	case libV1:
		if d[DAPI] == apiRaw {
			return [...]string{client + ".CallBidiStream(" + c + ")", client + ".CallServerStream(" + c + ", connect.NewRequest(&Msg{}))", client + ".CallClientStream(" + c + ")"}[d[DKind]], d[DKind] != kindServer
		}
		return [...]string{client + ".Chat(" + c + ")", client + ".Watch(" + c + ", connect.NewRequest(&Msg{}))", client + ".Upload(" + c + ")"}[d[DKind]], d[DKind] != kindServer
	case libV2:
		if d[DAPI] == apiRaw {
			return [...]string{client + ".CallClientStream(" + c + ", v2Spec)", client + ".CallServerStream(" + c + ", v2Spec, &Msg{})", ""}[d[DKind]], false
		}
		return [...]string{client + ".Chat(" + c + ")", client + ".Watch(" + c + ", &Msg{})", client + ".Upload(" + c + ")"}[d[DKind]], false
	}
	if d[DAPI] == apiLegacy {
		return client + ".Legacy(" + c + ")", false
	}
	return [...]string{client + ".Chat(" + c + ")", client + ".Watch(" + c + ", &Msg{})", client + ".Upload(" + c + ")"}[d[DKind]], false
}

// openCall is the opening call as the function writes it, through the
// same-package helper when the dimension says so, and whether it has a
// single result. single asks for a single result.
func (e *emitter) openCall(client, c string, single bool) (string, bool) {
	if e.d[DHelper] == 0 {
		return e.libOpen(client, c)
	}
	name := e.name("open")
	if !slices.Contains(e.names, name) {
		call, one := e.libOpen("client", "ctx")
		st := e.streamType()
		switch {
		case one:
			e.decl(name, "// %s opens the stream for its caller.\nfunc %s(ctx context.Context, client %s) %s {\nreturn %s\n}\n", name, name, e.clientType(), st, call)
		case single:
			e.decl(name, "// %s opens the stream for its caller.\nfunc %s(ctx context.Context, client %s) %s {\ns, err := %s\nif err != nil {\npanic(err)\n}\nreturn s\n}\n", name, name, e.clientType(), st, call)
		default:
			e.decl(name, "// %s opens the stream for its caller.\nfunc %s(ctx context.Context, client %s) (%s, error) {\nreturn %s\n}\n", name, name, e.clientType(), st, call)
		}
	}
	_, one := e.libOpen("client", "ctx")
	return name + "(" + c + ", " + client + ")", one || single
}

// block is the blocking call on stream x as one statement; ret is the
// return statement's operand form ("" in a func with no result).
func (e *emitter) block(x string, ret bool) string {
	r := func(v string) string {
		if !ret {
			return "return"
		}
		return "return " + v
	}
	d := e.d
	switch {
	case d[DMethod] == methodSend:
		return fmt.Sprintf("if err := %s.Send(&Msg{}); err != nil {\n%s\n}", x, r("err"))
	case d[DLib] == libV1 && d[DKind] == kindServer:
		return fmt.Sprintf("if !%s.Receive() {\n%s\n}", x, r("errEnd"))
	case d[DLib] == libV2 && d[DAPI] == apiRaw:
		return fmt.Sprintf("if err := %s.Receive(new(Msg)); err != nil {\n%s\n}", x, r("err"))
	}
	m := "Receive"
	switch {
	case d[DLib] == libGRPC && d[DKind] == kindClient:
		m = "CloseAndRecv"
	case d[DLib] == libGRPC:
		m = "Recv"
	case d[DKind] == kindClient:
		m = "CloseAndReceive"
	}
	return fmt.Sprintf("if _, err := %s.%s(); err != nil {\n%s\n}", x, m, r("err"))
}

func (e *emitter) closeMethod() string {
	if e.d[DLib] == libV1 {
		return "CloseResponse"
	}
	return "Close"
}

func (e *emitter) closeSendMethod() string {
	if e.d[DLib] == libV1 {
		return "CloseRequest"
	}
	return "CloseSend"
}

func (e *emitter) cancelType() string {
	if e.d[DStep] == stepWithCancelCause {
		return "context.CancelCauseFunc"
	}
	return "context.CancelFunc"
}

// cancelCall calls the cancel func k; gctx names the group's context for
// a cause, "" where none is at hand.
func (e *emitter) cancelCall(k, gctx string) string {
	if e.d[DStep] != stepWithCancelCause {
		return k + "()"
	}
	if gctx != "" {
		return k + "(context.Cause(" + gctx + "))"
	}
	return k + "(errFail)"
}

// The function.

func (e *emitter) function() {
	d := e.d
	e.fname = "f" + e.sfx
	e.names = append(e.names, e.fname)
	e.fn.p("// %s: %s", e.fname, d.String())
	e.fn.p("func %s(ctx context.Context, client %s) error {", e.fname, e.clientType())
	e.locals["ctx"] = &local{typ: "context.Context"}
	e.locals["client"] = &local{typ: e.clientType()}
	e.vars["ctx"] = &ctxVal{name: "the caller's ctx", step: stepRoot, cancellable: true}

	deriveFirst := d[DOrder] == orderStreamFirst || d[DParent] == parentStreamCtx
	if deriveFirst {
		e.prepareCtx()
	}
	if d[DOrder] == orderGroupFirst {
		e.createGroup()
	}
	if !deriveFirst {
		e.prepareCtx()
	}
	e.openInFunction()
	if d[DOrder] == orderStreamFirst {
		e.createGroup()
	}
	e.tasks()
	e.w.p("%s", e.wait())
	for _, c := range e.closers {
		e.w.p("%s", c)
	}
	e.w.p("}")
}

// prepareCtx writes the derivation of the stream's context (unless it is
// the task's, which derives it from e.ctx) and sets e.ctx to the opening
// call's context argument.
func (e *emitter) prepareCtx() {
	d := e.d
	wrap, step := d[DWrap] != wrapNone, d[DStep] != stepNone
	c := e.baseExpr()
	if wrap && (!step || d[DWrapOuter] == 0) {
		c = e.assignWrapped(e.wrap(c))
	}
	if d[DDerive] == deriveTask {
		e.ctx = c
		return
	}
	if step {
		c = e.derive(e.w, c, e.use)
	}
	if wrap && step && d[DWrapOuter] == 1 {
		c = e.assignWrapped(e.wrap(c))
	}
	e.ctx = c
}

// assignWrapped writes `octx := <c>` unless the wrapper is written inline.
func (e *emitter) assignWrapped(c ctxExpr) ctxExpr {
	if e.d[DInline] == 1 {
		return c
	}
	e.w.p("octx := %s", c.text(e.use(c.v)))
	e.vars["octx"] = c.val()
	e.declare("octx", "context.Context")
	return varExpr(e, "octx")
}

func varExpr(e *emitter, v string) ctxExpr {
	return ctxExpr{v: v, text: func(ref string) string { return ref }, val: func() *ctxVal { return e.vars[v] }}
}

// baseExpr is the context the stream's context starts from.
func (e *emitter) baseExpr() ctxExpr {
	switch e.d[DBase] {
	case baseGroup:
		return varExpr(e, e.gctxName)
	case baseBackground:
		bg := &ctxVal{name: "context.Background()", step: stepRoot}
		return ctxExpr{text: func(string) string { return "context.Background()" }, val: func() *ctxVal { return bg }}
	}
	return varExpr(e, "ctx")
}

// wrap applies the wrapper dimension around c.
func (e *emitter) wrap(c ctxExpr) ctxExpr {
	var f func(string) string
	switch e.d[DWrap] {
	case wrapMetadata:
		f = func(s string) string { return "metadata.AppendToOutgoingContext(" + s + `, "k", "v")` }
	case wrapHelper:
		name := e.name("withTrace")
		if !slices.Contains(e.names, name) {
			e.decl(name, "// %s carries a trace ID.\nfunc %s(ctx context.Context) context.Context {\nreturn context.WithValue(ctx, ctxKey{}, \"trace\")\n}\n", name, name)
		}
		f = func(s string) string { return name + "(" + s + ")" }
	case wrapWithValue:
		f = func(s string) string { return "context.WithValue(" + s + `, ctxKey{}, "v")` }
	}
	var val *ctxVal
	return ctxExpr{
		v:    c.v,
		text: func(ref string) string { return f(c.text(ref)) },
		val: func() *ctxVal {
			if val == nil {
				val = derived("a wrapped context", c.val(), stepValue)
			}
			return val
		},
	}
}

// derive writes `sctx, cancel := context.WithXxx(<c>)` (or WithoutCancel)
// into w, ref rendering c's variable, and returns sctx.
func (e *emitter) derive(w *writer, c ctxExpr, ref func(string) string) ctxExpr {
	text := c.text(ref(c.v))
	parent := c.val()
	switch e.d[DStep] {
	case stepWithoutCancel:
		w.p("sctx := context.WithoutCancel(%s)", text)
		e.vars["sctx"] = derived("sctx", parent, stepCut)
	case stepWithCancel:
		w.p("sctx, cancel := context.WithCancel(%s)", text)
		w.p("defer cancel()")
	case stepWithTimeout:
		w.p("sctx, cancel := context.WithTimeout(%s, time.Minute)", text)
		w.p("defer cancel()")
	case stepWithCancelCause:
		w.p("sctx, cancel := context.WithCancelCause(%s)", text)
		w.p("defer cancel(nil)")
	}
	if e.d[DStep] != stepWithoutCancel {
		e.vars["sctx"] = derived("sctx", parent, stepCancel)
		e.cancel, e.cancelVal = "cancel", e.vars["sctx"]
		if w == e.w {
			e.locals["cancel"] = &local{typ: e.cancelType(), used: true}
		}
	}
	if w == e.w {
		e.declare("sctx", "context.Context")
	}
	e.derived = true
	return varExpr(e, "sctx")
}

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
