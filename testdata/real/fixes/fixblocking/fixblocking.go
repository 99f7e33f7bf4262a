// Wire before a blocking open (docs/fixes.md): connect-go v1
// CallServerStream, and every call that returns a server stream, waits
// for the response headers before it returns. When tasks already run, the
// cancel is wired before that call, on the cancel func of the context the
// call gets, so that a failing task frees the open too.
package fixblocking

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"example.com/real/gen/chatv1"

	"golang.org/x/sync/errgroup"
)

type Msg struct{}

// groupFirst: a task runs while CallServerStream waits; the pair goes
// before the group, which shares the stream's context, and the wiring
// right after the group, before the open.
func groupFirst(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	stream, err := c.CallServerStream(ctx, connect.NewRequest(&Msg{}))
	if err != nil {
		return err
	}
	g.Go(func() error {
		for stream.Receive() { // want `stream\.Receive can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; derive rpcCtx, rpcCancel := context\.WithCancel\(ctx\) with defer rpcCancel\(\), open the stream on rpcCtx, create group g on rpcCtx too and cancel it with context\.AfterFunc\(gctx, rpcCancel\)`
		}
		return stream.Err()
	})
	return g.Wait()
}

// otherContext: the stream's context is not the group's parent; the pair
// and the wiring go before the open.
func otherContext(ctx, detached context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	stream, err := c.CallServerStream(detached, connect.NewRequest(&Msg{}))
	if err != nil {
		return err
	}
	g.Go(func() error {
		for stream.Receive() { // want `the stream's context detached is not cancelled when gctx is; derive rpcCtx, rpcCancel := context\.WithCancel\(detached\) with defer rpcCancel\(\), open the stream on rpcCtx and cancel it with context\.AfterFunc\(gctx, rpcCancel\)`
		}
		return stream.Err()
	})
	return g.Wait()
}

// cancelInScope: the stream's context has a cancel func; the wiring goes
// right after it, before the open.
func cancelInScope(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := watch(sctx, c)
	if err != nil {
		return err
	}
	g.Go(func() error {
		for stream.Receive() { // want `the stream's context sctx is not cancelled when gctx is; cancel it with context\.AfterFunc\(gctx, cancel\)`
		}
		return stream.Err()
	})
	return g.Wait()
}

// inTask: the task that opens the stream blocks in the open itself; the
// wiring goes before it, in the task.
func inTask(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		stream, err := watch(ctx, c)
		if err != nil {
			return err
		}
		for stream.Receive() { // want `the stream's context ctx is not cancelled when gctx is; it is opened in the task, so open it under the group's context: pass gctx in place of ctx`
		}
		return stream.Err()
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// generated: a generated server-streaming method blocks the same way;
// the derived pair comes after the group, so the wiring joins it, before
// the call.
func generated(ctx context.Context, client chatv1.ChatServiceClient) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	// Watch waits for the response headers.
	stream, err := client.Watch(context.WithoutCancel(ctx), connect.NewRequest(&chatv1.Msg{}))
	if err != nil {
		return err
	}
	g.Go(func() error {
		for stream.Receive() { // want `the stream's context, context\.WithoutCancel\(ctx\), is not cancelled when gctx is; derive rpcCtx, rpcCancel := context\.WithCancel\(context\.WithoutCancel\(ctx\)\) with defer rpcCancel\(\), open the stream on rpcCtx and cancel it with context\.AfterFunc\(gctx, rpcCancel\)`
		}
		return stream.Err()
	})
	return g.Wait()
}

// watch opens a server stream as generated code does: the call waits for
// the response headers.
func watch(ctx context.Context, c *connect.Client[Msg, Msg]) (*connect.ServerStreamForClient[Msg], error) {
	return c.CallServerStream(ctx, connect.NewRequest(&Msg{}))
}

// groupFirstFixed: the clean twin of groupFirst, as the fix leaves it.
func groupFirstFixed(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	rpcCtx, rpcCancel := context.WithCancel(ctx)
	defer rpcCancel()
	g, gctx := errgroup.WithContext(rpcCtx)
	context.AfterFunc(gctx, rpcCancel)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	stream, err := c.CallServerStream(rpcCtx, connect.NewRequest(&Msg{}))
	if err != nil {
		return err
	}
	g.Go(func() error {
		for stream.Receive() {
		}
		return stream.Err()
	})
	return g.Wait()
}

// inTaskUnderGroup: the clean twin of inTask, opened under the group.
func inTaskUnderGroup(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		stream, err := watch(gctx, c)
		if err != nil {
			return err
		}
		for stream.Receive() {
		}
		return stream.Err()
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
