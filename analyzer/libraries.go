package analyzer

import (
	"go/ast"
	"go/types"

	"github.com/bidictxlint/bidictxlint/analyzer/internal/code"
)

// Import paths of the libraries the analyzer knows.
const (
	errgroupPath  = "golang.org/x/sync/errgroup"
	contextPath   = "context"
	connectV1Path = "connectrpc.com/connect"
	connectV2Path = "connectrpc.com/connect/v2"
	grpcPath      = "google.golang.org/grpc"
	syncPath      = "sync"
	concPath      = "github.com/sourcegraph/conc"
	concPoolPath  = "github.com/sourcegraph/conc/pool"
)

// A groupKind is which library's group runs the tasks
// (docs/rules.md#groups).
type groupKind uint8

const (
	notGroup        groupKind = iota
	errGroup                  // golang.org/x/sync/errgroup.Group
	waitGroup                 // sync.WaitGroup
	concWaitGroup             // conc.WaitGroup
	concPool                  // pool.Pool and pool.ErrorPool
	concContextPool           // pool.ContextPool
)

// groupKindOf returns the kind of group t is (after aliases and one
// pointer), or notGroup.
func groupKindOf(t types.Type) groupKind {
	switch n := code.NamedOf(t); {
	case n == nil || n.Obj().Pkg() == nil:
	case code.IsNamed(t, errgroupPath, "Group"):
		return errGroup
	case code.IsNamed(t, syncPath, "WaitGroup"):
		return waitGroup
	case code.IsNamed(t, concPath, "WaitGroup"):
		return concWaitGroup
	case code.IsNamed(t, concPoolPath, "Pool"), code.IsNamed(t, concPoolPath, "ErrorPool"):
		return concPool
	case code.IsNamed(t, concPoolPath, "ContextPool"):
		return concContextPool
	}
	return notGroup
}

// where says, for a message, where a group runs its tasks.
func (k groupKind) where() string {
	switch k {
	case waitGroup:
		return "in a sync.WaitGroup goroutine"
	case concWaitGroup:
		return "in a conc.WaitGroup goroutine"
	case concPool, concContextPool:
		return "in a conc pool task"
	}
	return "in an errgroup task"
}

// groupPath returns the import path of the package that defines the
// methods of groups of kind k.
func (k groupKind) path() string {
	switch k {
	case errGroup:
		return errgroupPath
	case waitGroup:
		return syncPath
	case concWaitGroup:
		return concPath
	}
	return concPoolPath
}

// startsTask reports whether method of a group of kind k starts a task
// given as its only argument.
func (k groupKind) startsTask(method string) bool {
	return method == "Go" || k == errGroup && method == "TryGo"
}

// waitsFor reports whether method of a group of kind k waits for its
// tasks: the join.
func (k groupKind) waitsFor(method string) bool {
	return method == "Wait" || k == concWaitGroup && method == "WaitAndRecover"
}

// A library is one of the RPC libraries whose streams are recognised.
type library uint8

const (
	noLibrary library = iota
	connectV1
	connectV2
	grpcGo
)

// A streamKind says which library a stream type belongs to and whether
// it is the client or the handler (server) side of the RPC.
type streamKind struct {
	lib    library
	server bool
}

func (k streamKind) ok() bool { return k.lib != noLibrary }

// Client-side stream types of connect-go v1 (docs/rules.md#streams).
var connectV1ClientTypes = map[string]bool{
	"BidiStreamForClient":         true,
	"BidiStreamForClientSimple":   true,
	"ServerStreamForClient":       true,
	"ClientStreamForClient":       true,
	"ClientStreamForClientSimple": true,
	"StreamingClientConn":         true,
}

// Handler-side stream types of connect-go v1 that can receive
// (docs/rules.md#server-side).
var connectV1ServerTypes = map[string]bool{
	"BidiStream":           true,
	"ClientStream":         true,
	"StreamingHandlerConn": true,
}

// blockingMethods lists, per library, the client stream methods that
// wait on the peer: the table of docs/rules.md#streams.
var blockingMethods = [...]map[string]bool{
	connectV1: {"Send": true, "Receive": true, "CloseAndReceive": true, "ResponseHeader": true, "ResponseTrailer": true},
	connectV2: {"Send": true, "Receive": true, "CloseAndReceive": true, "SendHeaders": true},
	grpcGo:    {"Send": true, "SendMsg": true, "Recv": true, "RecvMsg": true, "CloseAndRecv": true, "Header": true},
}

// receiveMethods lists, per library, the handler stream methods that
// wait for the client's next message (docs/rules.md#server-side).
var receiveMethods = [...]map[string]bool{
	connectV1: {"Receive": true},
	connectV2: {"Receive": true},
	grpcGo:    {"Recv": true, "RecvMsg": true},
}

// blockingName holds every method name of blockingMethods and
// receiveMethods, and blockingFirst their first bytes, for the fast exit
// (selections), which asks about every method selected in the package.
var blockingName, blockingFirst = func() (map[string]bool, [256]bool) {
	names := make(map[string]bool)
	var first [256]bool
	for _, ms := range append(blockingMethods[:], receiveMethods[:]...) {
		for m := range ms {
			names[m] = true
			first[m[0]] = true
		}
	}
	return names, first
}()

// isBlocking reports whether calling method on a stream of kind k can
// wait for the peer.
func isBlocking(k streamKind, method string) bool {
	if !k.ok() {
		return false
	}
	if k.server {
		return receiveMethods[k.lib][method]
	}
	return blockingMethods[k.lib][method]
}

// closer returns the method that closes a client stream of kind k and
// frees a pending receive once the response headers have arrived:
// connect-go v1's CloseResponse, v2's Close; "" for grpc-go, whose
// CloseSend frees nothing (docs/bug.md#the-facts-table; e2e/facts_test.go).
func closer(k streamKind) string {
	switch {
	case k.server:
		return ""
	case k.lib == connectV1:
		return "CloseResponse"
	case k.lib == connectV2:
		return "Close"
	}
	return ""
}

// isHalfClose reports whether a method of that name half-closes a client
// stream (connect-go v1's CloseRequest; v2's and grpc-go's CloseSend),
// after which the server ends the stream.
func isHalfClose(name string) bool {
	return name == "CloseRequest" || name == "CloseSend"
}

// connectV1BidiTypes are the connect-go v1 client stream types whose
// request side stays open while the response is read.
var connectV1BidiTypes = map[string]bool{
	"BidiStreamForClient":       true,
	"BidiStreamForClientSimple": true,
	"StreamingClientConn":       true,
}

// isConnectBidi reports whether a connect-go client stream of type t,
// opened by the call open (nil when not visible), is a bidi stream: one
// whose request side can stay open while a Receive waits. On those,
// cancelling the context frees nothing once the server has answered
// (docs/bug.md#the-facts-table; e2e/facts_test.go). A v2 stream is bidi when its type
// can both Send and Receive, and a raw connect.ClientStream unless it was
// opened by CallServerStream.
func isConnectBidi(info *types.Info, k streamKind, t types.Type, open *ast.CallExpr) bool {
	if k.server || t == nil {
		return false
	}
	switch k.lib {
	case connectV1:
		return connectV1BidiTypes[code.NamedIn(t, connectV1Path)]
	case connectV2:
		if code.IsNamed(t, connectV2Path, "ClientStream") {
			if open == nil {
				return true
			}
			fn := code.FuncIn(info, open, connectV2Path)
			return fn == nil || fn.Name() != "CallServerStream"
		}
		return code.HasMethod(t, "Send") && code.HasMethod(t, "Receive")
	}
	return false
}

// streamKindOf returns the stream kind of t, or the zero kind if t is not
// a stream type (docs/rules.md#streams). Types are matched by package path and
// name, after resolving aliases and one level of pointer; grpc-go streams
// count only when grpc is set.
func streamKindOf(t types.Type, grpc bool) streamKind {
	if t == nil {
		return streamKind{}
	}
	named := code.NamedOf(t)
	if named == nil || named.Obj().Pkg() == nil {
		return streamKind{}
	}
	name := named.Obj().Name()
	switch named.Obj().Pkg().Path() {
	case connectV1Path:
		switch {
		case connectV1ClientTypes[name]:
			return streamKind{lib: connectV1}
		case connectV1ServerTypes[name]:
			return streamKind{lib: connectV1, server: true}
		}
		return streamKind{}
	case connectV2Path:
		return streamSide(connectV2, name)
	}
	if k := connectV2Wrapper(named); k.ok() {
		return k
	}
	if grpc {
		return grpcStream(named)
	}
	return streamKind{}
}

// connectV2Wrapper recognises the named stream types that connect-go v2
// generates: structs holding a connect.ClientStream or ServerStream field.
func connectV2Wrapper(named *types.Named) streamKind {
	s, ok := named.Underlying().(*types.Struct)
	if !ok {
		return streamKind{}
	}
	for f := range s.Fields() {
		ft, ok := types.Unalias(f.Type()).(*types.Named)
		if !ok || ft.Obj().Pkg() == nil || ft.Obj().Pkg().Path() != connectV2Path {
			continue
		}
		if k := streamSide(connectV2, ft.Obj().Name()); k.ok() {
			return k
		}
	}
	return streamKind{}
}

// grpcStream recognises grpc-go streams by the origin of their RecvMsg
// method: every implementation of grpc.ClientStream that users hold
// (generic BidiStreamingClient and friends, generated Xxx_YyyClient
// interfaces, GenericClientStream) gets it from grpc.ClientStream, and
// handler streams get it from grpc.ServerStream.
func grpcStream(named *types.Named) streamKind {
	obj, _, _ := types.LookupFieldOrMethod(named, true, nil, "RecvMsg")
	fn, ok := obj.(*types.Func)
	if !ok || fn.Pkg() == nil || fn.Pkg().Path() != grpcPath {
		return streamKind{}
	}
	recv := fn.Signature().Recv()
	if recv == nil {
		return streamKind{}
	}
	rn := code.NamedOf(recv.Type())
	if rn == nil {
		return streamKind{}
	}
	return streamSide(grpcGo, rn.Obj().Name())
}

// streamSide returns the kind of lib's stream interface called name:
// ClientStream or ServerStream (connect-go v2, grpc-go).
func streamSide(lib library, name string) streamKind {
	switch name {
	case "ClientStream":
		return streamKind{lib: lib}
	case "ServerStream":
		return streamKind{lib: lib, server: true}
	}
	return streamKind{}
}

func isContext(t types.Type) bool {
	_, ptr := types.Unalias(t).(*types.Pointer)
	return !ptr && code.IsNamed(t, contextPath, "Context")
}

func isGroupType(t types.Type) bool { return groupKindOf(t) == errGroup }

// isCancelFunc reports whether t is context.CancelFunc or
// context.CancelCauseFunc.
func isCancelFunc(t types.Type) bool {
	return code.IsNamed(t, contextPath, "CancelFunc") || code.IsNamed(t, contextPath, "CancelCauseFunc")
}
