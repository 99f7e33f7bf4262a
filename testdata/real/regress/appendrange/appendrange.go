// Connect-go bidi streams collected with append(streams, c.Sync(ctx)) and
// ranged over, one task each. The analyzer crashed planning the fix. A
// failing task leaves the others blocked in Receive: reported. (The fix
// for streams opened in a loop is to open them under the group and close
// each; what it writes here is left to the fix.)
package appendrange

import (
	"context"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
)

type Msg struct{}

// SyncClient is what protoc-gen-connect-go (v1) writes for a bidi method.
type SyncClient interface {
	Sync(context.Context) *connect.BidiStreamForClient[Msg, Msg]
}

func appendThenRange(ctx context.Context, c SyncClient, peers int) error {
	g, _ := errgroup.WithContext(ctx)
	var streams []*connect.BidiStreamForClient[Msg, Msg]
	for range peers {
		streams = append(streams, c.Sync(ctx))
	}
	for _, st := range streams {
		g.Go(func() error {
			_, err := st.Receive() // want `st\.Receive can block forever in an errgroup task`
			return err
		})
	}
	return g.Wait()
}
