package scenario

import (
	v1concpool "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/concpool"
	v1concpoolfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/concpool/fixed"
	v1concwg "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/concwg"
	v1concwgfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/concwg/fixed"
	v1ctxpool "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/ctxpool"
	v1ctxpoolfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/ctxpool/fixed"
	v1ctxpoolcancel "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/ctxpoolcancel"
	v1ctxpoolcancelfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/ctxpoolcancel/fixed"
	v1errpool "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/errpool"
	v1errpoolfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/errpool/fixed"
	v1pump "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/pump"
	v1pumpfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/pump/fixed"
	v1redial "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/redial"
	v1redialfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/redial/fixed"
	v1session "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/session"
	v1sessionfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/session/fixed"
	v1wgadd "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/wgadd"
	v1wgaddfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/wgadd/fixed"
	v1wggo "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/wggo"
	v1wggofixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv1/wggo/fixed"
	v2concpool "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/concpool"
	v2concpoolfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/concpool/fixed"
	v2concwg "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/concwg"
	v2concwgfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/concwg/fixed"
	v2ctxpool "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/ctxpool"
	v2ctxpoolfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/ctxpool/fixed"
	v2ctxpoolcancel "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/ctxpoolcancel"
	v2ctxpoolcancelfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/ctxpoolcancel/fixed"
	v2errpool "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/errpool"
	v2errpoolfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/errpool/fixed"
	v2pump "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/pump"
	v2pumpfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/pump/fixed"
	v2redial "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/redial"
	v2redialfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/redial/fixed"
	v2session "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/session"
	v2sessionfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/session/fixed"
	v2wgadd "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/wgadd"
	v2wgaddfixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/wgadd/fixed"
	v2wggo "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/wggo"
	v2wggofixed "github.com/bidictxlint/bidictxlint/e2e/clients/connectv2/wggo/fixed"
	grpcbackground "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/background"
	grpcbackgroundfixed "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/background/fixed"
	grpcconcpool "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/concpool"
	grpcconcwg "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/concwg"
	grpcctxpool "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/ctxpool"
	grpcctxpoolfixed "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/ctxpool/fixed"
	grpcctxpoolcancel "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/ctxpoolcancel"
	grpcerrpool "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/errpool"
	grpcpump "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/pump"
	grpcredial "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/redial"
	grpcsession "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/session"
	grpcwgadd "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/wgadd"
	grpcwggo "github.com/bidictxlint/bidictxlint/e2e/clients/grpcgo/wggo"

	"github.com/bidictxlint/bidictxlint/e2e/peer"
)

// The joins beyond errgroup (clients/doc.go): Joins are part of Cases
// and JoinsClean of Clean, so the analyzer-facing tests cover them; the
// leaks return at once, so they join the tests that range over Leaks as
// well as Cases (TestAnalyzerReportsClients, TestFixedClientsReturn,
// TestHandFixedNoPileUp), and their clean twins are part of Clean.

// Joins lists the clients whose receive loop a sync.WaitGroup, a conc
// WaitGroup or a conc pool waits for: on a stream that nothing frees once
// the function has decided to stop, the wait never returns, as g.Wait
// does in Cases. The peer echoes, so that it has answered when the task
// fails: the cancel-then-Wait these clients do then frees no connect-go
// bidi Receive (on a silent peer it would).
var Joins = []Case{
	{"connectv1/wggo", peer.ConnectV1, echo, v1Chat(v1wggo.Run), v1Chat(v1wggofixed.Run)},
	{"connectv2/wggo", peer.ConnectV2, echo, v2(v2wggo.Run), v2(v2wggofixed.Run)},
	{"connectv1/wgadd", peer.ConnectV1, echo, v1Chat(v1wgadd.Run), v1Chat(v1wgaddfixed.Run)},
	{"connectv2/wgadd", peer.ConnectV2, echo, v2(v2wgadd.Run), v2(v2wgaddfixed.Run)},
	{"connectv1/concwg", peer.ConnectV1, echo, v1Chat(v1concwg.Run), v1Chat(v1concwgfixed.Run)},
	{"connectv2/concwg", peer.ConnectV2, echo, v2(v2concwg.Run), v2(v2concwgfixed.Run)},
	{"connectv1/concpool", peer.ConnectV1, echo, v1Chat(v1concpool.Run), v1Chat(v1concpoolfixed.Run)},
	{"connectv2/concpool", peer.ConnectV2, echo, v2(v2concpool.Run), v2(v2concpoolfixed.Run)},
	{"connectv1/errpool", peer.ConnectV1, echo, v1Chat(v1errpool.Run), v1Chat(v1errpoolfixed.Run)},
	{"connectv2/errpool", peer.ConnectV2, echo, v2(v2errpool.Run), v2(v2errpoolfixed.Run)},
	{"connectv1/ctxpool", peer.ConnectV1, echo, v1Chat(v1ctxpool.Run), v1Chat(v1ctxpoolfixed.Run)},
	{"connectv2/ctxpool", peer.ConnectV2, echo, v2(v2ctxpool.Run), v2(v2ctxpoolfixed.Run)},
	{"grpcgo/ctxpool", peer.GRPC, echo, grpc(grpcctxpool.Run), grpc(grpcctxpoolfixed.Run)},
	{"connectv1/ctxpoolcancel", peer.ConnectV1, echo, v1Chat(v1ctxpoolcancel.Run), v1Chat(v1ctxpoolcancelfixed.Run)},
	{"connectv2/ctxpoolcancel", peer.ConnectV2, echo, v2(v2ctxpoolcancel.Run), v2(v2ctxpoolcancelfixed.Run)},
}

// JoinsClean lists the grpc-go twins of Joins that are correct as written:
// the cancel before their wait frees the pending Recv.
var JoinsClean = []Case{
	{Name: "grpcgo/wggo", Lib: peer.GRPC, Peer: echo, Original: grpc(grpcwggo.Run)},
	{Name: "grpcgo/wgadd", Lib: peer.GRPC, Peer: echo, Original: grpc(grpcwgadd.Run)},
	{Name: "grpcgo/concwg", Lib: peer.GRPC, Peer: echo, Original: grpc(grpcconcwg.Run)},
	{Name: "grpcgo/concpool", Lib: peer.GRPC, Peer: echo, Original: grpc(grpcconcpool.Run)},
	{Name: "grpcgo/errpool", Lib: peer.GRPC, Peer: echo, Original: grpc(grpcerrpool.Run)},
	{Name: "grpcgo/ctxpoolcancel", Lib: peer.GRPC, Peer: echo, Original: grpc(grpcctxpoolcancel.Run)},
}

// Leaks lists the clients whose receiving goroutine outlives Run: Run
// returns the failure at once, but leaves the goroutine blocked in Receive
// (Recv) and the stream held at the server (Result.Blocked, Result.Held),
// until the server ends the stream.
var Leaks = []Case{
	{"connectv1/pump", peer.ConnectV1, echo, v1Chat(v1pump.Run), v1Chat(v1pumpfixed.Run)},
	{"connectv2/pump", peer.ConnectV2, echo, v2(v2pump.Run), v2(v2pumpfixed.Run)},
	{"connectv1/redial", peer.ConnectV1, greeting, v1Chat(v1redial.Run), v1Chat(v1redialfixed.Run)},
	{"connectv2/redial", peer.ConnectV2, greeting, v2(v2redial.Run), v2(v2redialfixed.Run)},
	{"connectv1/session", peer.ConnectV1, echo, v1Chat(v1session.Run), v1Chat(v1sessionfixed.Run)},
	{"connectv2/session", peer.ConnectV2, echo, v2(v2session.Run), v2(v2sessionfixed.Run)},
	{"grpcgo/background", peer.GRPC, echo, grpc(grpcbackground.Run), grpc(grpcbackgroundfixed.Run)},
}

// LeaksClean lists the grpc-go twins of Leaks that are correct as written:
// the cancel that Run's return runs frees the goroutine.
var LeaksClean = []Case{
	{Name: "grpcgo/pump", Lib: peer.GRPC, Peer: echo, Original: grpc(grpcpump.Run)},
	{Name: "grpcgo/redial", Lib: peer.GRPC, Peer: greeting, Original: grpc(grpcredial.Run)},
	{Name: "grpcgo/session", Lib: peer.GRPC, Peer: echo, Original: grpc(grpcsession.Run)},
}
