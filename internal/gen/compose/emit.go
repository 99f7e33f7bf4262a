package compose

import (
	"fmt"
	"math/rand/v2"
	"regexp"
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
