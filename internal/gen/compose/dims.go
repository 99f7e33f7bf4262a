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
