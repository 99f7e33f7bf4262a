// Never cancel a stream that other tasks still use (docs/fixes.md): a
// stream opened in one task and used by another gets its cancel func in
// the group's function, never in the opening task, whose return would
// cancel it under the other task.
package fixshared

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"example.com/real/gen/chatgrpc"

	"golang.org/x/sync/errgroup"
)

type Msg struct{}

// handOff: one task opens the stream, sends, closes its request side and
// hands the stream to a reader task through a shared variable. The pair
// goes before the group; the close is wired where the stream is named.
func handOff(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	var stream *connect.BidiStreamForClient[Msg, Msg]
	ready := make(chan struct{})
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		stream = c.CallBidiStream(ctx)
		if err := stream.Send(&Msg{}); err != nil { // want `stream\.Send can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; derive rpcCtx, rpcCancel := context\.WithCancel\(ctx\) with defer rpcCancel\(\), open the stream on rpcCtx, create group g on rpcCtx too and cancel it and close the stream with context\.AfterFunc\(gctx, func\(\) \{ rpcCancel\(\); _ = stream\.CloseResponse\(\) \}\)`
			return err
		}
		close(ready)
		return stream.CloseRequest()
	})
	g.Go(func() error {
		<-ready
		for {
			if _, err := stream.Receive(); err != nil {
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// overChannel: the grpc-go form, the stream handed to the reader over a
// channel after CloseSend. The reader's stream is not visible; the
// opener's diagnostic carries the fix, with the pair and the wiring in
// the group's function.
func overChannel(ctx context.Context, client chatgrpc.ChatClient) error {
	streams := make(chan chatgrpc.Chat_LegacyClient, 1)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		// Open the stream and say hello.
		stream, err := client.Legacy(ctx)
		if err != nil {
			return err
		}
		if err := stream.Send(&chatgrpc.Msg{}); err != nil { // want `stream\.Send can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; derive rpcCtx, rpcCancel := context\.WithCancel\(ctx\) with defer rpcCancel\(\), open the stream on rpcCtx, create group g on rpcCtx too and cancel it with context\.AfterFunc\(gctx, rpcCancel\)`
			return err
		}
		if err := stream.CloseSend(); err != nil {
			return err
		}
		streams <- stream
		return nil
	})
	g.Go(func() error {
		stream := <-streams
		for {
			if _, err := stream.Recv(); err != nil {
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// ownTask: the stream stays in the task that opens it, so the pair and
// its defer stay there too.
func ownTask(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		stream, err := client.Legacy(ctx)
		if err != nil {
			return err
		}
		_, err = stream.Recv() // want `stream\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; it is opened in the task, so open it under the group's context: pass gctx in place of ctx`
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// twoHandOffs: two streams opened in tasks and read by others; both
// pairs go before the group, and the two fixes apply together.
func twoHandOffs(ctx context.Context, client chatgrpc.ChatClient, c *connect.Client[Msg, Msg]) error {
	var up chatgrpc.Chat_LegacyClient
	var bidi *connect.BidiStreamForClient[Msg, Msg]
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		var err error
		up, err = client.Legacy(ctx)
		if err != nil {
			return err
		}
		return up.Send(&chatgrpc.Msg{}) // want `up\.Send can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; derive rpcCtx, rpcCancel := context\.WithCancel\(ctx\) with defer rpcCancel\(\), open the stream on rpcCtx, create group g on rpcCtx too and cancel it with context\.AfterFunc\(gctx, rpcCancel\)`
	})
	g.Go(func() error {
		bidi = c.CallBidiStream(ctx)
		return bidi.Send(&Msg{}) // want `bidi\.Send can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; derive rpcCtx2, rpcCancel2 := context\.WithCancel\(ctx\) with defer rpcCancel2\(\), open the stream on rpcCtx2 and cancel it and close the stream with context\.AfterFunc\(gctx, func\(\) \{ rpcCancel2\(\); _ = bidi\.CloseResponse\(\) \}\)`
	})
	g.Go(func() error { <-gctx.Done(); _, err := up.Recv(); return err })
	g.Go(func() error { _, err := bidi.Receive(); return err })
	return g.Wait()
}

// handOffFixed: the clean twin of handOff, as the fix leaves it.
func handOffFixed(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	var stream *connect.BidiStreamForClient[Msg, Msg]
	ready := make(chan struct{})
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	g, gctx := errgroup.WithContext(rpcCtx)
	g.Go(func() error {
		stream = c.CallBidiStream(rpcCtx)
		context.AfterFunc(gctx, func() { rpcCancel(); _ = stream.CloseResponse() })
		if err := stream.Send(&Msg{}); err != nil {
			return err
		}
		close(ready)
		return stream.CloseRequest()
	})
	g.Go(func() error {
		<-ready
		for {
			if _, err := stream.Receive(); err != nil {
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// overChannelUnderGroup: the clean twin of overChannel opened under the
// group's context: the reader's stream is not visible, but the opener's
// is, and it is cancelled when the group's context is.
func overChannelUnderGroup(ctx context.Context, client chatgrpc.ChatClient) error {
	streams := make(chan chatgrpc.Chat_LegacyClient, 1)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		stream, err := client.Legacy(gctx)
		if err != nil {
			return err
		}
		if err := stream.Send(&chatgrpc.Msg{}); err != nil {
			return err
		}
		streams <- stream
		return nil
	})
	return g.Wait()
}
