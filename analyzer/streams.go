package analyzer

import (
	"go/types"
)

// Import paths of the libraries the analyzer knows.
const (
	errgroupPath  = "golang.org/x/sync/errgroup"
	contextPath   = "context"
	connectV1Path = "connectrpc.com/connect"
	connectV2Path = "connectrpc.com/connect/v2"
	grpcPath      = "google.golang.org/grpc"
)

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

// Client-side stream types of connect-go v1 (SPEC section 2).
var connectV1ClientTypes = map[string]bool{
	"BidiStreamForClient":         true,
	"BidiStreamForClientSimple":   true,
	"ServerStreamForClient":       true,
	"ClientStreamForClient":       true,
	"ClientStreamForClientSimple": true,
	"StreamingClientConn":         true,
}

// Handler-side stream types of connect-go v1 that can receive (SPEC section 7).
var connectV1ServerTypes = map[string]bool{
	"BidiStream":           true,
	"ClientStream":         true,
	"StreamingHandlerConn": true,
}

// blockingMethods lists, per library, the client stream methods that
// wait on the peer. The table is SPEC section 2.
var blockingMethods = [...]map[string]bool{
	connectV1: {"Send": true, "Receive": true, "CloseAndReceive": true, "ResponseHeader": true, "ResponseTrailer": true},
	connectV2: {"Send": true, "Receive": true, "CloseAndReceive": true, "SendHeaders": true},
	grpcGo:    {"Send": true, "SendMsg": true, "Recv": true, "RecvMsg": true, "CloseAndRecv": true, "Header": true},
}

// receiveMethods lists, per library, the handler stream methods that
// wait for the client's next message (SPEC section 7).
var receiveMethods = [...]map[string]bool{
	connectV1: {"Receive": true},
	connectV2: {"Receive": true},
	grpcGo:    {"Recv": true, "RecvMsg": true},
}

// blockingNames is every method name in the two tables above: a call
// named otherwise cannot block on a stream, whatever its receiver, so the
// type lookup (a probe of the package's largest map) is skipped.
var blockingNames = func() map[string]bool {
	names := make(map[string]bool)
	for _, t := range append(blockingMethods[:], receiveMethods[:]...) {
		for m := range t {
			names[m] = true
		}
	}
	return names
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

// closesPendingReceive reports whether method frees a pending receive on
// a client stream of kind k: only connect-go v2's Close does.
func closesPendingReceive(k streamKind, method string) bool {
	return k.lib == connectV2 && !k.server && method == "Close"
}

// streamTypes classifies types as streams, with a cache because the same
// few types are asked about again and again.
type streamTypes struct {
	grpc  bool // recognise grpc-go streams
	cache map[types.Type]streamKind
}

func newStreamTypes(grpc bool) *streamTypes {
	return &streamTypes{grpc: grpc, cache: make(map[types.Type]streamKind)}
}

// kind returns the stream kind of t, or the zero kind if t is not a
// stream type. Types are matched by package path and name, after
// resolving aliases and one level of pointer.
func (st *streamTypes) kind(t types.Type) streamKind {
	if t == nil {
		return streamKind{}
	}
	if k, ok := st.cache[t]; ok {
		return k
	}
	k := st.classify(t)
	st.cache[t] = k
	return k
}

func (st *streamTypes) classify(t types.Type) streamKind {
	t = types.Unalias(t)
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	named, ok := t.(*types.Named)
	if !ok || named.Obj().Pkg() == nil {
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
		switch name {
		case "ClientStream":
			return streamKind{lib: connectV2}
		case "ServerStream":
			return streamKind{lib: connectV2, server: true}
		}
		return streamKind{}
	}
	if k := connectV2Wrapper(named); k.ok() {
		return k
	}
	if st.grpc {
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
		switch ft.Obj().Name() {
		case "ClientStream":
			return streamKind{lib: connectV2}
		case "ServerStream":
			return streamKind{lib: connectV2, server: true}
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
	rt := types.Unalias(recv.Type())
	if p, ok := rt.(*types.Pointer); ok {
		rt = types.Unalias(p.Elem())
	}
	rn, ok := rt.(*types.Named)
	if !ok {
		return streamKind{}
	}
	switch rn.Obj().Name() {
	case "ClientStream":
		return streamKind{lib: grpcGo}
	case "ServerStream":
		return streamKind{lib: grpcGo, server: true}
	}
	return streamKind{}
}
