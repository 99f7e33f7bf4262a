// A package without errgroup, where nothing can be reported: its
// directives are read all the same, and every one is stale.
package suppressnogroup

import (
	"context"

	"google.golang.org/grpc"
)

type Msg struct{}

// recvAll: the group that was here is gone, the directive stayed.
func recvAll(ctx context.Context, stream grpc.BidiStreamingClient[Msg, Msg]) error {
	for {
		if _, err := stream.Recv(); err != nil { //bidictxlint:ignore uncancelled-stream the group cancels it // want `^//bidictxlint:ignore uncancelled-stream silences no uncancelled-stream finding on the lines it covers; remove it$`
			return err
		}
	}
}

//nolint:bidictxlint // want `^//nolint:bidictxlint silences no bidictxlint finding on the lines it covers; remove it$`
func send(stream grpc.BidiStreamingClient[Msg, Msg]) error {
	// want +1 `gives no reason`
	return stream.Send(&Msg{}) //bidictxlint:ignore uncancelled-stream
}

//nolint:errcheck // not bidictxlint's: never reported
func closeSend(stream grpc.BidiStreamingClient[Msg, Msg]) {
	stream.CloseSend() //nolint
}
