// Connect-go bidi streams: cancelling the stream's context frees a pending
// Receive only until the server has answered; after that only closing the
// stream does (docs/bug.md). Every shape that only cancels is reported,
// and the fix adds the close.
package fixbidi

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"example.com/real/gen/chatgrpc"
	"example.com/real/gen/chatv2"

	"golang.org/x/sync/errgroup"
)

type Msg struct{}

// afterFuncCancel: the usual remedy, the cancel func handed to
// context.AfterFunc; the fix makes that func close the stream too.
func afterFuncCancel(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	stream := c.CallBidiStream(rpcCtx)
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, rpcCancel)
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `stream\.Receive can block forever in an errgroup task: on a connect-go bidi stream, cancelling rpcCtx does not free a pending Receive once the server has answered; also close the stream when gctx is done: context\.AfterFunc\(gctx, func\(\) \{ rpcCancel\(\); _ = stream\.CloseResponse\(\) \}\)`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// afterFuncLiteral: the article's remedy, a literal that cancels; the fix
// adds the close after the cancel.
func afterFuncLiteral(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	stream := c.CallBidiStream(rpcCtx)
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, func() { rpcCancel() })
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `on a connect-go bidi stream, cancelling rpcCtx does not free a pending Receive once the server has answered; also close the stream after rpcCancel\(\) in the func that runs when gctx is done: _ = stream\.CloseResponse\(\)`
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}

// watcher: a goroutine that cancels once the group's context is done; the
// fix closes the stream there too.
func watcher(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	go func() {
		<-gctx.Done()
		cancel()
	}()
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `also close the stream after cancel\(\) in the func that runs when gctx is done: _ = stream\.CloseResponse\(\)`
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}

// groupContext: the shape usually called correct, the stream opened with
// the group's context; the fix closes it when that context is done.
func groupContext(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, ctx := errgroup.WithContext(ctx)
	stream := c.CallBidiStream(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `stream\.Receive can block forever in an errgroup task: on a connect-go bidi stream, cancelling ctx does not free a pending Receive once the server has answered; also close the stream when ctx is done: context\.AfterFunc\(ctx, func\(\) \{ _ = stream\.CloseResponse\(\) \}\)`
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}

// groupContextV2: the same with connect-go v2, whose close is Close.
func groupContextV2(ctx context.Context, client *chatv2.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(gctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `cancelling gctx does not free a pending Receive once the server has answered; also close the stream when gctx is done: context\.AfterFunc\(gctx, func\(\) \{ _ = stream\.Close\(\) \}\)`
	g.Go(func() error { return stream.Send(nil) })
	return g.Wait()
}

// singleTask: one task, and the group's parent is the stream's context:
// a cancelled parent cancels the stream but does not free it.
func singleTask(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, cancel)
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `also close the stream when gctx is done: context\.AfterFunc\(gctx, func\(\) \{ cancel\(\); _ = stream\.CloseResponse\(\) \}\)`
	return g.Wait()
}

// closeOnlyV2: closing a v2 bidi stream without cancelling it frees
// nothing while the server has not answered; the fix cancels it too.
func closeOnlyV2(ctx context.Context, client *chatv2.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, func() { _ = stream.Close() })
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `the stream's context ctx is not cancelled when gctx is; derive rpcCtx, rpcCancel := context\.WithCancel\(ctx\) with defer rpcCancel\(\), open the stream on rpcCtx, create group g on rpcCtx too and cancel it and close the stream with context\.AfterFunc\(gctx, func\(\) \{ rpcCancel\(\); _ = stream\.Close\(\) \}\)`
	g.Go(func() error { return stream.Send(nil) })
	return g.Wait()
}

// cancelAndClose: the cure; nothing to report.
func cancelAndClose(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	stream := c.CallBidiStream(rpcCtx)
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, func() { rpcCancel(); _ = stream.CloseResponse() })
	g.Go(func() error { _, err := stream.Receive(); return err })
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}

// groupContextClosed: opened under the group and closed when it is done;
// nothing to report.
func groupContextClosed(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	stream := c.CallBidiStream(gctx)
	context.AfterFunc(gctx, func() { _ = stream.CloseResponse() })
	g.Go(func() error { _, err := stream.Receive(); return err })
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}

// serverStream: a connect-go server stream's request is closed when the
// call returns, so the group's context frees it; nothing to report.
func serverStream(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := c.CallServerStream(gctx, connect.NewRequest(&Msg{}))
	if err != nil {
		return err
	}
	g.Go(func() error {
		for stream.Receive() {
		}
		return stream.Err()
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// grpcGroupContext: grpc-go's own transport frees a pending Recv when the
// group's context is cancelled; nothing to report.
func grpcGroupContext(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(gctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
