package compose

import (
	"fmt"
	"slices"
)

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
