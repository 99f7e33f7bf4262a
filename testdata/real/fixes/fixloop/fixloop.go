// No pile-up in loops (docs/fixes.md): a stream opened per loop
// iteration gets no defer and no registration per iteration; it is
// opened under the group's context instead, which Wait cancels when it
// returns.
package fixloop

import (
	"context"
	"errors"
	"time"

	"connectrpc.com/connect"
	"example.com/real/gen/chatgrpc"
	"example.com/real/gen/chatv2"

	"golang.org/x/sync/errgroup"
)

type Msg struct{}

// reconnect: a task reopens its stream after each break.
func reconnect(ctx context.Context, client chatgrpc.ChatClient, out chan<- *chatgrpc.Msg) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			stream, err := client.Watch(ctx, &chatgrpc.Msg{})
			if err != nil {
				return err
			}
			for {
				m, err := stream.Recv() // want `stream\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; it is opened once per loop iteration, so open it under the group's context: pass gctx in place of ctx`
				if err != nil {
					break
				}
				out <- m
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// reconnectV2: a connect-go v2 server stream, which the cancel alone
// frees (docs/bug.md, the facts table): opened under the group, with no close.
func reconnectV2(ctx context.Context, client *chatv2.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			stream, err := client.Watch(ctx, &chatv2.Msg{})
			if err != nil {
				return err
			}
			if _, err := stream.Receive(); err != nil { // want `stream\.Receive can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; it is opened once per loop iteration, so open it under the group's context: pass gctx in place of ctx`
				continue
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// perShard: the group's function opens one stream per shard.
func perShard(ctx context.Context, client chatgrpc.ChatClient, shards []*chatgrpc.Msg) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, shard := range shards {
		stream, err := client.Watch(ctx, shard)
		if err != nil {
			return err
		}
		g.Go(func() error {
			for {
				if _, err := stream.Recv(); err != nil { // want `it is opened once per loop iteration, so open it under the group's context: pass gctx in place of ctx`
					return err
				}
			}
		})
	}
	_ = gctx
	return g.Wait()
}

// unnamed: the group's context is discarded; the fix names it.
func unnamed(ctx context.Context, client chatgrpc.ChatClient, shards []*chatgrpc.Msg) error {
	g, _ := errgroup.WithContext(ctx)
	for _, shard := range shards {
		stream, err := client.Watch(ctx, shard)
		if err != nil {
			return err
		}
		g.Go(func() error { _, err := stream.Recv(); return err }) // want `name the group's context gctx and pass gctx in place of ctx`
	}
	return g.Wait()
}

// timeoutPerShard: each iteration derives a context with a cancel func;
// it is derived from the group's context instead.
func timeoutPerShard(ctx context.Context, client chatgrpc.ChatClient, shards []*chatgrpc.Msg) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, shard := range shards {
		sctx, cancel := context.WithTimeout(ctx, time.Minute)
		defer cancel()
		stream, err := client.Watch(sctx, shard)
		if err != nil {
			return err
		}
		g.Go(func() error { _, err := stream.Recv(); return err }) // want `the stream's context sctx is not cancelled when gctx is; it is opened once per loop iteration, so open it under the group's context: pass gctx in place of ctx`
	}
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// cancelOutside: one cancel func for every iteration; it is wired once,
// after the group, outside the loop.
func cancelOutside(ctx context.Context, client chatgrpc.ChatClient) error {
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			stream, err := client.Watch(sctx, &chatgrpc.Msg{})
			if err != nil {
				return err
			}
			if _, err := stream.Recv(); err != nil { // want `the stream's context sctx is not cancelled when gctx is; cancel it with context\.AfterFunc\(gctx, cancel\)`
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// groupAfterOpen: the group is made per iteration after the stream is
// opened, so the group's context does not exist at the opening: reported
// without a fix (a pair without its defer would leak on early returns).
func groupAfterOpen(ctx context.Context, client chatgrpc.ChatClient) error {
	for {
		stream, err := client.Legacy(ctx)
		if err != nil {
			return err
		}
		g, gctx := errgroup.WithContext(ctx)
		g.Go(func() error { _, err := stream.Recv(); return err }) // want `it is opened once per loop iteration, so open it under the group's context: create the group before the stream and pass gctx in place of ctx`
		g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
		if err := g.Wait(); err != nil {
			return err
		}
	}
}

// bidiInLoop: a connect-go bidi stream also needs the close, and a close
// registered per iteration would pile up: reported without a fix.
func bidiInLoop(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			stream := c.CallBidiStream(ctx)
			if _, err := stream.Receive(); err != nil { // want `it is opened once per loop iteration and a connect-go bidi stream must also be closed`
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// bidiUnderGroupInLoop: opened under the group but not closed, per
// iteration: reported without a fix, for the same reason.
func bidiUnderGroupInLoop(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			stream := c.CallBidiStream(gctx)
			if _, err := stream.Receive(); err != nil { // want `on a connect-go bidi stream, cancelling gctx does not free a pending Receive once the server has answered`
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// reconnectUnderGroup: the clean twin of reconnect.
func reconnectUnderGroup(ctx context.Context, client chatgrpc.ChatClient, out chan<- *chatgrpc.Msg) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			stream, err := client.Watch(gctx, &chatgrpc.Msg{})
			if err != nil {
				return err
			}
			for {
				m, err := stream.Recv()
				if err != nil {
					break
				}
				out <- m
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// perShardUnderGroup: the clean twin of perShard.
func perShardUnderGroup(ctx context.Context, client chatgrpc.ChatClient, shards []*chatgrpc.Msg) error {
	g, gctx := errgroup.WithContext(ctx)
	for _, shard := range shards {
		stream, err := client.Watch(gctx, shard)
		if err != nil {
			return err
		}
		g.Go(func() error { _, err := stream.Recv(); return err })
	}
	return g.Wait()
}

// bidiPerShard: one connect-go bidi stream and one task per shard; each
// is opened under the group and closed when the group's context is done,
// one registration per task.
func bidiPerShard(ctx context.Context, c *connect.Client[Msg, Msg], shards []string) error {
	g, gctx := errgroup.WithContext(ctx)
	for range shards {
		stream := c.CallBidiStream(ctx)
		g.Go(func() error { _, err := stream.Receive(); return err }) // want `it is opened once per loop iteration, so open it under the group's context: pass gctx in place of ctx, and close it when gctx is done: context\.AfterFunc\(gctx, func\(\) \{ _ = stream\.CloseResponse\(\) \}\)`
	}
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
