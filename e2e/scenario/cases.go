// Package scenario runs the client packages of e2e/clients against a real
// slow peer and measures what happens once one of their errgroup tasks
// fails: does g.Wait (and so Run) return, how fast, with which error, and
// is anything left blocked in a Receive/Recv or held open at the server.
//
// It is shared by the e2e tests, which run the original clients in
// process, and by cmd/prove, which the tests build from a fixed copy of
// this module to run the fixed clients.
package scenario

import (
	"context"
	"path"
	"slices"
	"strings"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"

	v1afterfunccancel "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/afterfunccancel"
	v1afterfunccancelfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/afterfunccancel/fixed"
	"github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/cancelfunc"
	cancelfuncfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/cancelfunc/fixed"
	v1ctor "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/ctor"
	v1ctorfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/ctor/fixed"
	v1deferintask "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/deferintask"
	v1deferintaskfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/deferintask/fixed"
	"github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/discarded"
	discardedfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/discarded/fixed"
	v1goroutineintask "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/goroutineintask"
	v1groupctx "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/groupctx"
	v1groupctxfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/groupctx/fixed"
	v1handoff "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/handoff"
	v1handofffixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/handoff/fixed"
	"github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/nocancel"
	nocancelfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/nocancel/fixed"
	"github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/reassigned"
	reassignedfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/reassigned/fixed"
	v1reconnect "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/reconnect"
	v1reconnectfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/reconnect/fixed"
	v1serveropen "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/serveropen"
	v1serveropenfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/serveropen/fixed"
	v1shards "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/shards"
	v1shardsfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/shards/fixed"
	"github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/zerogroup"
	zerogroupfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/zerogroup/fixed"
	v2afterfunccancel "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/afterfunccancel"
	v2afterfunccancelfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/afterfunccancel/fixed"
	v2cancelfunc "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/cancelfunc"
	v2cancelfuncfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/cancelfunc/fixed"
	v2deferintask "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/deferintask"
	v2deferintaskfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/deferintask/fixed"
	v2discarded "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/discarded"
	v2discardedfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/discarded/fixed"
	v2goroutineintask "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/goroutineintask"
	v2groupctx "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/groupctx"
	v2groupctxfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/groupctx/fixed"
	v2handoff "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/handoff"
	v2handofffixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/handoff/fixed"
	v2nocancel "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/nocancel"
	v2nocancelfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/nocancel/fixed"
	v2reassigned "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/reassigned"
	v2reassignedfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/reassigned/fixed"
	v2serveropen "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/serveropen"
	v2serveropenfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/serveropen/fixed"
	v2streamparam "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/streamparam"
	v2streamparamfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/streamparam/fixed"
	v2zerogroup "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/zerogroup"
	v2zerogroupfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/zerogroup/fixed"
	grpccancelfunc "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/cancelfunc"
	grpccancelfuncfixed "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/cancelfunc/fixed"
	grpcctor "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/ctor"
	grpcctorfixed "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/ctor/fixed"
	grpcdeferintask "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/deferintask"
	grpcdeferintaskfixed "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/deferintask/fixed"
	grpcdiscarded "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/discarded"
	grpcdiscardedfixed "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/discarded/fixed"
	grpcgoroutineintask "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/goroutineintask"
	grpcgroupctx "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/groupctx"
	grpchandoff "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/handoff"
	grpchandofffixed "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/handoff/fixed"
	grpcnocancel "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/nocancel"
	grpcnocancelfixed "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/nocancel/fixed"
	grpcreassigned "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/reassigned"
	grpcreassignedfixed "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/reassigned/fixed"
	grpcreconnect "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/reconnect"
	grpcreconnectfixed "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/reconnect/fixed"
	grpcshards "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/shards"
	grpcshardsfixed "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/shards/fixed"
	grpczerogroup "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/zerogroup"
	grpczerogroupfixed "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/zerogroup/fixed"
	"github.com/bidictxlint/bidictxlint/e2e/gen/chatgrpc"
	"github.com/bidictxlint/bidictxlint/e2e/gen/chatv2"
	"github.com/bidictxlint/bidictxlint/e2e/peer"
)

// ClientsPath is the import path of the directory holding the clients.
const ClientsPath = "github.com/bidictxlint/bidictxlint/e2e/clients"

// Next is what a client's failing task calls for its next piece of work.
type Next = func(context.Context) (string, error)

// A Runner runs one client's Run against p.
type Runner func(ctx context.Context, p *peer.Peer, next Next) error

// A Case is one client package: a library and a shape.
type Case struct {
	// Name is the client's directory under clients/, e.g.
	// "connectv1/reassigned".
	Name string
	Lib  peer.Lib
	// Peer says how the server's handlers behave.
	Peer peer.Options
	// Original runs the package as it stands in its directory: with the bug
	// in this module, fixed in a copy the tool has fixed.
	Original Runner
	// HandFixed runs its fixed subpackage.
	HandFixed Runner
}

// NoToolFix lists the cases that bidictxlint reports without a suggested
// fix, with the reason (docs/fixes.md, Reported without a fix).
// Their hand-fixed twins show the cure; the tool must leave them as they
// are.
var NoToolFix = map[string]string{
	"connectv1/reconnect": "a connect-go bidi stream opened once per iteration of a loop in a task: closing each one from the group's context would register once per iteration",
	"connectv1/ctxpool":   "a ContextPool without WithCancelOnError: when to cancel is the application's decision",
	"connectv2/ctxpool":   "a ContextPool without WithCancelOnError: when to cancel is the application's decision",
	"grpcgo/ctxpool":      "a ContextPool without WithCancelOnError: when to cancel is the application's decision",
	"connectv1/redial":    "a stream opened once per attempt of a loop: a deferred close per attempt would pile up",
	"connectv2/redial":    "a stream opened once per attempt of a loop: a deferred close per attempt would pile up",
	"grpcgo/background":   "nothing in the function can cancel the stream's context: its opener must choose one",
}

// NoFix says why the tool offers no fix for c, or "".
func (c Case) NoFix() string { return NoToolFix[c.Name] }

// Variant selects which of a case's runners to run.
type Variant string

// The variants of a case.
const (
	Original  Variant = "original"
	HandFixed Variant = "handfixed"
)

// Package is the import path of the package v runs.
func (c Case) Package(v Variant) string {
	if v == HandFixed {
		return path.Join(ClientsPath, c.Name, "fixed")
	}
	return path.Join(ClientsPath, c.Name)
}

func (c Case) runner(v Variant) Runner {
	if v == HandFixed {
		return c.HandFixed
	}
	return c.Original
}

// Peer behaviours of the cases.
var (
	// silent is a peer that sends nothing (but a watch's snapshot).
	silent = peer.Options{}
	// greeting is a peer that sends one message first. The streamparam fix
	// needs it: connect-go v2's Close, like v1's CloseResponse, waits for
	// the response headers and frees nothing before they arrive (see
	// TestFacts).
	greeting = peer.Options{SendFirst: true}
	// echo is a peer that sends back every message it receives: the
	// client's first exchange completes, so the response headers are in
	// when its task fails.
	echo = peer.Options{Echo: true}
	// silentWatch is a peer whose server streams send nothing either:
	// connect-go's call that opens one then waits for the response headers.
	silentWatch = peer.Options{SilentWatch: true}
)

// Cases lists every client package. Each library uses every stream kind:
// nocancel a server stream, discarded a client stream, the others a bidi
// stream.
// Cases lists the errgroup clients and the clients of the other joins
// (scenario/joins.go), all of which hang in Wait.
var Cases = slices.Concat(errgroupCases, Joins)

var errgroupCases = []Case{
	{"connectv1/cancelfunc", peer.ConnectV1, silent, v1Chat(cancelfunc.Run), v1Chat(cancelfuncfixed.Run)},
	{"connectv1/nocancel", peer.ConnectV1, silent, v1Watch(nocancel.Run), v1Watch(nocancelfixed.Run)},
	{"connectv1/reassigned", peer.ConnectV1, silent, v1Chat(reassigned.Run), v1Chat(reassignedfixed.Run)},
	{"connectv1/discarded", peer.ConnectV1, silent, v1Upload(discarded.Run), v1Upload(discardedfixed.Run)},
	{"connectv1/zerogroup", peer.ConnectV1, silent, v1Chat(zerogroup.Run), v1Chat(zerogroupfixed.Run)},

	{"connectv2/cancelfunc", peer.ConnectV2, silent, v2(v2cancelfunc.Run), v2(v2cancelfuncfixed.Run)},
	{"connectv2/nocancel", peer.ConnectV2, silent, v2(v2nocancel.Run), v2(v2nocancelfixed.Run)},
	{"connectv2/reassigned", peer.ConnectV2, silent, v2(v2reassigned.Run), v2(v2reassignedfixed.Run)},
	{"connectv2/discarded", peer.ConnectV2, silent, v2(v2discarded.Run), v2(v2discardedfixed.Run)},
	{"connectv2/zerogroup", peer.ConnectV2, silent, v2(v2zerogroup.Run), v2(v2zerogroupfixed.Run)},
	{"connectv2/streamparam", peer.ConnectV2, greeting, v2OpenedChat(v2streamparam.Run), v2OpenedChat(v2streamparamfixed.Run)},

	{"grpcgo/cancelfunc", peer.GRPC, silent, grpc(grpccancelfunc.Run), grpc(grpccancelfuncfixed.Run)},
	{"grpcgo/nocancel", peer.GRPC, silent, grpc(grpcnocancel.Run), grpc(grpcnocancelfixed.Run)},
	{"grpcgo/reassigned", peer.GRPC, silent, grpc(grpcreassigned.Run), grpc(grpcreassignedfixed.Run)},
	{"grpcgo/discarded", peer.GRPC, silent, grpc(grpcdiscarded.Run), grpc(grpcdiscardedfixed.Run)},
	{"grpcgo/zerogroup", peer.GRPC, silent, grpc(grpczerogroup.Run), grpc(grpczerogroupfixed.Run)},

	// The shapes of issue 15 (see clients/doc.go): each must also deliver,
	// fixed, what it delivers as written in a run in which nothing fails.
	{"connectv1/handoff", peer.ConnectV1, silent, v1Chat(v1handoff.Run), v1Chat(v1handofffixed.Run)},
	{"connectv1/serveropen", peer.ConnectV1, silentWatch, v1Watch(v1serveropen.Run), v1Watch(v1serveropenfixed.Run)},
	{"connectv1/reconnect", peer.ConnectV1, silent, v1Chat(v1reconnect.Run), v1Chat(v1reconnectfixed.Run)},
	{"connectv1/shards", peer.ConnectV1, silent, v1Chat(v1shards.Run), v1Chat(v1shardsfixed.Run)},
	{"connectv1/ctor", peer.ConnectV1, silent, v1Chat(v1ctor.Run), v1Chat(v1ctorfixed.Run)},
	{"connectv2/handoff", peer.ConnectV2, silent, v2(v2handoff.Run), v2(v2handofffixed.Run)},
	{"connectv2/serveropen", peer.ConnectV2, silentWatch, v2(v2serveropen.Run), v2(v2serveropenfixed.Run)},
	{"grpcgo/handoff", peer.GRPC, silent, grpc(grpchandoff.Run), grpc(grpchandofffixed.Run)},
	{"grpcgo/reconnect", peer.GRPC, silent, grpc(grpcreconnect.Run), grpc(grpcreconnectfixed.Run)},
	{"grpcgo/shards", peer.GRPC, silent, grpc(grpcshards.Run), grpc(grpcshardsfixed.Run)},
	{"grpcgo/ctor", peer.GRPC, silent, grpc(grpcctor.Run), grpc(grpcctorfixed.Run)},

	// Issue 13: on connect-go bidi streams against a peer that has
	// answered, the usual remedy (afterfunccancel) and the shape usually
	// called correct (groupctx) still hang; the fix also closes the stream.
	{"connectv1/afterfunccancel", peer.ConnectV1, echo, v1Chat(v1afterfunccancel.Run), v1Chat(v1afterfunccancelfixed.Run)},
	{"connectv1/groupctx", peer.ConnectV1, echo, v1Chat(v1groupctx.Run), v1Chat(v1groupctxfixed.Run)},
	{"connectv2/afterfunccancel", peer.ConnectV2, echo, v2(v2afterfunccancel.Run), v2(v2afterfunccancelfixed.Run)},
	{"connectv2/groupctx", peer.ConnectV2, echo, v2(v2groupctx.Run), v2(v2groupctxfixed.Run)},

	// Issue 14, shape 6: the cancel of the stream's context deferred in the
	// receive task itself runs only once that task returns, which it cannot
	// while blocked; the fix calls it once the group's context is done.
	{"connectv1/deferintask", peer.ConnectV1, silent, v1Chat(v1deferintask.Run), v1Chat(v1deferintaskfixed.Run)},
	{"connectv2/deferintask", peer.ConnectV2, silent, v2(v2deferintask.Run), v2(v2deferintaskfixed.Run)},
	{"grpcgo/deferintask", peer.GRPC, silent, grpc(grpcdeferintask.Run), grpc(grpcdeferintaskfixed.Run)},
}

// Clean lists client packages that are correct as written, with no fixed
// subpackage: bidictxlint must report nothing on them, and Run returns the
// failing task's error at once.
// Clean lists the clean errgroup clients and the clean twins of the other
// joins and of the leaks.
var Clean = slices.Concat(errgroupClean, JoinsClean, LeaksClean)

var errgroupClean = []Case{
	// The grpc-go twin of connectv1/groupctx: grpc-go's transport frees a
	// pending Recv when the stream's context is cancelled.
	{Name: "grpcgo/groupctx", Lib: peer.GRPC, Peer: echo, Original: grpc(grpcgroupctx.Run)},
	// Issue 14, shape 5: the receive runs in a goroutine the task starts,
	// and the task returns on the group's context; the function's deferred
	// cancel frees the goroutine once Run has returned (on connect-go only
	// while the peer has not answered: TestGoroutineInTask).
	{Name: "grpcgo/goroutineintask", Lib: peer.GRPC, Peer: echo, Original: grpc(grpcgoroutineintask.Run)},
	{Name: "connectv1/goroutineintask", Lib: peer.ConnectV1, Peer: silent, Original: v1Chat(v1goroutineintask.Run)},
	{Name: "connectv2/goroutineintask", Lib: peer.ConnectV2, Peer: silent, Original: v2(v2goroutineintask.Run)},
}

// Bidi reports whether the case's stream is a bidi stream (the only kind
// whose request side stays open while the peer answers).
func (c Case) Bidi() bool {
	_, shape, _ := strings.Cut(c.Name, "/")
	return shape != "nocancel" && shape != "discarded" && shape != "serveropen"
}

// Lookup returns the case called name, in any list of cases.
func Lookup(name string) (Case, bool) {
	for _, cs := range [][]Case{Cases, Clean, Joins, JoinsClean, Leaks, LeaksClean} {
		for _, c := range cs {
			if c.Name == name {
				return c, true
			}
		}
	}
	return Case{}, false
}

type connectV1Client = *connect.Client[wrapperspb.StringValue, wrapperspb.StringValue]

type connectV1Run = func(context.Context, connectV1Client, Next) error

func v1Chat(run connectV1Run) Runner {
	return func(ctx context.Context, p *peer.Peer, next Next) error { return run(ctx, p.ConnectV1.Chat, next) }
}

func v1Watch(run connectV1Run) Runner {
	return func(ctx context.Context, p *peer.Peer, next Next) error { return run(ctx, p.ConnectV1.Watch, next) }
}

func v1Upload(run connectV1Run) Runner {
	return func(ctx context.Context, p *peer.Peer, next Next) error { return run(ctx, p.ConnectV1.Upload, next) }
}

func v2(run func(context.Context, chatv2.ChatServiceClient, Next) error) Runner {
	return func(ctx context.Context, p *peer.Peer, next Next) error { return run(ctx, p.ConnectV2, next) }
}

// v2OpenedChat opens the chat the way a careful owner of a stream does
// before handing it to a stream-taking function: with its own context, and
// closing the stream when that context ends or when done. (Cancelling
// alone does not free a Receive once the response headers have arrived;
// see TestPendingReceive.)
func v2OpenedChat(run func(context.Context, chatv2.ChatServiceChatClientStream, Next) error) Runner {
	return func(ctx context.Context, p *peer.Peer, next Next) error {
		stream, err := p.ConnectV2.Chat(ctx)
		if err != nil {
			return err
		}
		defer stream.Close()
		stop := context.AfterFunc(ctx, func() { _ = stream.Close() })
		defer stop()
		return run(ctx, stream, next)
	}
}

func grpc(run func(context.Context, chatgrpc.ChatServiceClient, Next) error) Runner {
	return func(ctx context.Context, p *peer.Peer, next Next) error { return run(ctx, p.GRPC, next) }
}
