package compose

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// A Dim is one dimension along which a generated function varies.
type Dim int

// The dimensions, in the order Dims prints them.
const (
	DLib       Dim = iota // the RPC library
	DKind                 // the stream kind
	DAPI                  // how the library is called
	DMethod               // the blocking method in the task
	DOpen                 // where the stream is opened
	DHelper               // whether the opening call goes through a same-package helper
	DBase                 // the context the stream's context starts from
	DStep                 // a derivation with a cancel func, or WithoutCancel
	DWrap                 // a context wrapper that keeps cancellation
	DWrapOuter            // whether the wrapper goes around the derived context
	DInline               // whether the wrapped context is written inline in the opening call
	DDerive               // where the derivation is: in the function or in the task
	DOrder                // group or stream first
	DGroup                // the group's declaration
	DParent               // the group's parent context
	DLimit                // SetLimit
	DTask                 // how the blocking task is passed to Go
	DCount                // how many tasks
	DOther                // what the other task does
	DBlock                // where the blocking call is
	DPath                 // the cancellation path
	DClose                // whether the path also closes the stream
	DWire                 // in a task: wire the path before or after the opening call
	DJoin                 // how the tasks are joined
	numDims
)

var dimNames = [numDims]string{
	"lib", "kind", "api", "method", "open", "helper", "base", "step", "wrap", "wrapOuter",
	"inline", "derive", "order", "group", "parent", "limit", "task", "count", "other",
	"block", "path", "close", "wire", "join",
}

// Values of each dimension; the index is the value stored in Dims.
var dimValues = [numDims][]string{
	DLib:       {"connect-v1", "connect-v2", "grpc-go"},
	DKind:      {"bidi", "server", "client"},
	DAPI:       {"raw", "generated", "legacy"},
	DMethod:    {"receive", "send", "closeAndReceive"},
	DOpen:      {"define", "var", "assign", "ifInit", "switchInit", "ctor", "exprMethod", "exprArg", "composite", "append", "map", "chan", "inTask", "loopTasks", "reconnect"},
	DHelper:    {"no", "yes"},
	DBase:      {"caller", "group", "background"},
	DStep:      {"none", "WithCancel", "WithTimeout", "WithCancelCause", "WithoutCancel"},
	DWrap:      {"none", "metadata", "helper", "WithValue"},
	DWrapOuter: {"no", "yes"},
	DInline:    {"no", "yes"},
	DDerive:    {"function", "task"},
	DOrder:     {"groupFirst", "streamFirst"},
	DGroup:     {"define", "varDecl", "varBlock", "reassigned", "discard", "ctor", "zeroVar", "zeroNew", "zeroLit", "zeroValue", "pkgVar"},
	DParent:    {"caller", "streamCtx", "background"},
	DLimit:     {"no", "yes"},
	DTask:      {"literal", "funcValue", "methodValue", "taskCtor", "tryGo"},
	DCount:     {"one", "two", "perIteration"},
	DOther:     {"fail", "work", "sender"},
	DBlock:     {"body", "helper", "helper2", "nested", "goroutine"},
	DPath:      {"none", "deferTask", "afterFunc", "closeOnly", "watcher", "watcherTask", "method", "closeSend", "siblingAll", "siblingSuccess"},
	DClose:     {"no", "yes"},
	DWire:      {"beforeOpen", "afterOpen"},
	DJoin:      {"errgroup", "errorPool", "waitGroup"},
}

// Values of the dimensions, named for the generator's code.
const (
	libV1 = iota
	libV2
	libGRPC
)

const (
	kindBidi = iota
	kindServer
	kindClient
)

const (
	apiRaw = iota
	apiGenerated
	apiLegacy
)

const (
	methodReceive = iota
	methodSend
	methodCloseAndReceive
)

const (
	openDefine = iota
	openVar
	openAssign
	openIfInit
	openSwitchInit
	openCtor
	openExprMethod
	openExprArg
	openComposite
	openAppend
	openMap
	openChan
	openInTask
	openLoopTasks
	openReconnect
)

const (
	baseCaller = iota
	baseGroup
	baseBackground
)

const (
	stepNone = iota
	stepWithCancel
	stepWithTimeout
	stepWithCancelCause
	stepWithoutCancel
)

const (
	wrapNone = iota
	wrapMetadata
	wrapHelper
	wrapWithValue
)

const (
	deriveFunction = iota
	deriveTask
)

const (
	orderGroupFirst = iota
	orderStreamFirst
)

const (
	groupDefine = iota
	groupVarDecl
	groupVarBlock
	groupReassigned
	groupDiscard
	groupCtor
	groupZeroVar
	groupZeroNew
	groupZeroLit
	groupZeroValue
	groupPkgVar
)

const (
	parentCaller = iota
	parentStreamCtx
	parentBackground
)

const (
	taskLiteral = iota
	taskFuncValue
	taskMethodValue
	taskCtor
	taskTryGo
)

const (
	countOne = iota
	countTwo
	countPerIteration
)

const (
	otherFail = iota
	otherWork
	otherSender
)

const (
	blockBody = iota
	blockHelper
	blockHelper2
	blockNested
	blockGoroutine
)

const (
	pathNone = iota
	pathDeferTask
	pathAfterFunc
	pathCloseOnly
	pathWatcher
	pathWatcherTask
	pathMethod
	pathCloseSend
	pathSiblingAll
	pathSiblingSuccess
)

const (
	wireBeforeOpen = iota
	wireAfterOpen
)

const (
	joinErrgroup = iota
	// joinErrorPool: conc's pool.New().WithErrors(), an ErrorPool: tasks
	// that return errors, no context, like a zero-value errgroup.
	joinErrorPool
	// joinWaitGroup: a sync.WaitGroup with wg.Go: tasks that return
	// nothing (see noErrorTasks), no context, no limit.
	joinWaitGroup
)

// Dims holds one value per dimension, as an index into its values.
type Dims [numDims]int

// String prints the values as "name=value" pairs, in dimension order,
// leaving out those that do not apply to the function (see Applies).
func (d Dims) String() string {
	var parts []string
	for x := range numDims {
		if d.Applies(Dim(x)) {
			parts = append(parts, dimNames[x]+"="+dimValues[x][d[x]])
		}
	}
	return strings.Join(parts, " ")
}

// Value returns the name of d's value of x.
func (d Dims) Value(x Dim) string { return dimValues[x][d[x]] }

// Name returns the dimension's name.
func (x Dim) Name() string { return dimNames[x] }

// Values returns the names of the dimension's values.
func (x Dim) Values() []string { return dimValues[x] }

// NumDims is the number of dimensions.
const NumDims = int(numDims)

// Applies reports whether the value of x shapes the generated code (after
// normalisation): a wrapper's position means nothing without a wrapper.
func (d Dims) Applies(x Dim) bool {
	switch x {
	case DWrapOuter:
		return d[DWrap] != wrapNone && d[DStep] != stepNone && !(d[DDerive] == deriveTask && d.Applies(DDerive))
	case DInline:
		return d[DWrap] != wrapNone
	case DDerive:
		return d[DStep] != stepNone && inTaskOpen(d[DOpen])
	case DParent:
		return !zeroGroup(d[DGroup])
	case DLimit:
		return d[DGroup] != groupCtor && d[DJoin] != joinWaitGroup
	case DOther:
		return d[DCount] == countTwo
	case DClose:
		return d[DPath] != pathNone && d[DPath] != pathCloseOnly && d[DPath] != pathCloseSend
	case DWire:
		return d[DDerive] == deriveTask && d.Applies(DDerive) && d[DPath] != pathNone
	}
	return true
}

// random picks every dimension independently, then normalises.
func random(r *rand.Rand) Dims {
	var d Dims
	for x := range numDims {
		d[x] = r.IntN(len(dimValues[x]))
	}
	d.normalise()
	return d
}

func zeroGroup(g int) bool {
	return g == groupZeroVar || g == groupZeroNew || g == groupZeroLit || g == groupZeroValue || g == groupPkgVar
}

// inTaskOpen reports whether the stream is opened inside the task.
func inTaskOpen(o int) bool {
	return o == openInTask || o == openReconnect || o == openExprMethod || o == openExprArg
}

// exprOpen reports whether the opening call is part of a larger
// expression and so must have a single result.
func exprOpen(o int) bool {
	switch o {
	case openExprMethod, openExprArg, openComposite, openAppend, openMap, openChan:
		return true
	}
	return false
}

// single reports whether the library's own opening call has one result
// (connect-go v1 bidi and client streams).
func (d *Dims) single() bool {
	return d[DLib] == libV1 && d[DKind] != kindServer
}

// normalise turns an arbitrary choice into one the generator can write as
// code that builds and vets: a value that cannot apply is replaced by the
// nearest one that can. Each rule is written so that the choices stay
// independent where the code allows it.
//
// The rules are applied until nothing changes, and the values that do not
// apply are set to the first, so that the printed dimensions (which
// leave those out) give the same function back.
func (d *Dims) normalise() {
	for range 10 {
		before := *d
		d.normaliseOnce()
		for x := range numDims {
			if !d.Applies(Dim(x)) {
				d[x] = 0
			}
		}
		if *d == before {
			return
		}
	}
	panic("compose: normalise does not settle on " + d.String())
}

func (d *Dims) normaliseOnce() {
	// The join: a conc ErrorPool or a sync.WaitGroup is made one way and
	// has no context (its group value reads zeroVar).
	if d[DJoin] != joinErrgroup {
		d[DGroup] = groupZeroVar
		if d[DTask] == taskTryGo {
			d[DTask] = taskLiteral
		}
	}

	// Library, kind, API and method.
	switch d[DLib] {
	case libV1:
		if d[DAPI] == apiLegacy {
			d[DAPI] = apiGenerated
		}
	case libV2:
		if d[DAPI] == apiLegacy {
			d[DAPI] = apiGenerated
		}
		if d[DAPI] == apiRaw && d[DKind] == kindClient {
			d[DKind] = kindBidi // a raw v2 ClientStream does not say which it is
		}
	case libGRPC:
		if d[DAPI] == apiRaw || (d[DAPI] == apiLegacy && d[DKind] != kindBidi) {
			d[DAPI] = apiGenerated
		}
	}
	switch d[DKind] {
	case kindBidi:
		if d[DMethod] == methodCloseAndReceive {
			d[DMethod] = methodReceive
		}
	case kindServer:
		d[DMethod] = methodReceive
	case kindClient:
		if d[DMethod] == methodReceive {
			d[DMethod] = methodCloseAndReceive
		}
	}

	// Where the stream is opened.
	if d[DOpen] == openCtor {
		d[DHelper] = 1
	}
	if exprOpen(d[DOpen]) && !d.single() {
		d[DHelper] = 1 // a helper turns (stream, error) into one value
	}
	if d[DOpen] == openExprArg && d[DBlock] != blockGoroutine {
		d[DBlock] = blockHelper // the argument is the helper's
	}
	if d[DOpen] == openExprMethod && (d[DBlock] == blockHelper || d[DBlock] == blockHelper2) {
		d[DBlock] = blockBody // no stream variable to pass
	}

	// The stream's context.
	zero := zeroGroup(d[DGroup])
	if zero || d[DGroup] == groupDiscard {
		if d[DBase] == baseGroup {
			d[DBase] = baseCaller
		}
	}
	if d[DWrap] == wrapNone || d[DStep] == stepNone || d[DDerive] == deriveTask {
		d[DWrapOuter] = 0
	}
	if d[DWrap] == wrapNone {
		d[DInline] = 0
	}
	if d[DStep] == stepNone || !inTaskOpen(d[DOpen]) || d[DOpen] == openExprArg || d[DOpen] == openExprMethod {
		d[DDerive] = deriveFunction
	}
	if d[DBase] == baseGroup {
		d[DOrder] = orderGroupFirst
	}
	if inTaskOpen(d[DOpen]) {
		d[DOrder] = orderGroupFirst // the stream is opened in the task, after both
	}

	// The group.
	if d[DParent] == parentStreamCtx && (d[DStep] == stepNone || d[DBase] == baseGroup || d[DDerive] == deriveTask) {
		d[DParent] = parentCaller
	}
	if zero {
		d[DParent] = 0
	}
	if d[DGroup] == groupCtor {
		d[DLimit] = 0 // the constructor sets it
	}
	if d[DTask] == taskTryGo && d[DLimit] == 0 {
		d[DLimit] = 1 // TryGo is used with a limit
	}

	// The tasks.
	if d[DOpen] == openLoopTasks || d[DOpen] == openAppend {
		d[DCount] = countPerIteration
	}
	if d[DOpen] == openLoopTasks {
		d[DOrder] = orderGroupFirst // opened where the tasks start
	}
	if d[DCount] != countTwo {
		d[DOther] = 0
	}
	if d[DOther] == otherSender && (inTaskOpen(d[DOpen]) || d[DOpen] == openChan || d[DOpen] == openLoopTasks ||
		d[DOpen] == openAppend || d[DKind] == kindServer) {
		d[DOther] = otherWork
	}

	// The cancellation path.
	noGctx := zero || d[DGroup] == groupDiscard
	switch d[DPath] {
	case pathAfterFunc, pathCloseOnly, pathWatcher, pathWatcherTask, pathMethod, pathCloseSend:
		if noGctx {
			d[DPath] = pathSiblingAll
		}
	}
	if d[DDerive] == deriveTask {
		switch d[DPath] {
		case pathNone, pathAfterFunc, pathWatcher, pathCloseOnly, pathCloseSend:
		default:
			d[DPath] = pathNone // the cancel func is the task's own
		}
	}
	connectBidi := d[DLib] != libGRPC && d[DKind] == kindBidi
	noStreamVar := d[DOpen] == openExprMethod || d[DOpen] == openExprArg || d[DOpen] == openChan
	if d[DPath] == pathCloseOnly && (!connectBidi || noStreamVar) {
		d[DPath] = pathCloseSend
	}
	if d[DPath] == pathCloseSend && ((d[DLib] != libGRPC && d[DKind] != kindBidi) || noStreamVar) {
		d[DPath] = pathAfterFunc
		if noGctx {
			d[DPath] = pathSiblingAll
		}
	}
	if needsCancel(d[DPath]) && (d[DStep] == stepNone || d[DStep] == stepWithoutCancel) {
		d[DStep] = stepWithCancel
		if d[DParent] == parentStreamCtx && d[DBase] == baseGroup {
			d[DParent] = parentCaller
		}
	}
	if d[DPath] == pathDeferTask && d[DTask] == taskTryGo {
		d[DTask] = taskLiteral
	}
	if d[DPath] == pathNone || d[DPath] == pathCloseOnly || d[DPath] == pathCloseSend || d[DPath] == pathDeferTask || d[DPath] == pathSiblingSuccess {
		d[DClose] = 0
	}
	if d[DClose] == 1 && (!connectBidi || noStreamVar ||
		((d[DPath] == pathSiblingAll || d[DPath] == pathWatcherTask) && (inTaskOpen(d[DOpen]) || d[DOpen] == openLoopTasks || d[DOpen] == openAppend))) {
		d[DClose] = 0
	}
	if d[DDerive] != deriveTask || d[DPath] == pathNone {
		d[DWire] = 0
	}
	if d[DDerive] == deriveTask && (d[DClose] == 1 || d[DPath] == pathCloseOnly || d[DPath] == pathCloseSend) {
		d[DWire] = wireAfterOpen // the close needs the stream
	}
}

// needsCancel reports whether path p calls the stream context's cancel
// func.
func needsCancel(p int) bool {
	switch p {
	case pathDeferTask, pathAfterFunc, pathWatcher, pathWatcherTask, pathMethod, pathSiblingAll, pathSiblingSuccess:
		return true
	}
	return false
}

// ParseDims reads the output of Dims.String back (dimensions left out
// keep their zero value) and normalises it; for reproducing a case by
// hand.
func ParseDims(s string) (Dims, error) {
	var d Dims
	for _, f := range strings.Fields(s) {
		name, val, ok := strings.Cut(f, "=")
		if !ok {
			return d, fmt.Errorf("%q is not name=value", f)
		}
		found := false
		for x := range numDims {
			if dimNames[x] != name {
				continue
			}
			for i, v := range dimValues[x] {
				if v == val {
					d[x] = i
					found = true
				}
			}
			if !found {
				return d, fmt.Errorf("dimension %s has no value %q", name, val)
			}
		}
		if !found {
			return d, fmt.Errorf("no dimension %q", name)
		}
	}
	d.normalise()
	return d, nil
}

// Normalised returns d after the rules that make every combination
// writable; for a caller that changes one value of a normalised Dims.
func (d Dims) Normalised() Dims {
	d.normalise()
	return d
}
