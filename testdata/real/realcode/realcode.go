// Package realcode is the catalogue of shapes seen in code written
// independently of this catalogue (issue 14; docs/rules.md): each
// shape with its reported or clean twin.
package realcode

import (
	"context"
	"errors"
	"time"

	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc/metadata"

	"example.com/real/gen/chatgrpc"
	"example.com/real/gen/chatv2"
)

// 1. Contexts derived through ordinary functions.

// metadataAppend: the most common grpc-go idiom; the stream is opened
// under the group through metadata.AppendToOutgoingContext.
func metadataAppend(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(metadata.AppendToOutgoingContext(gctx, "k", "v"))
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// metadataNew: metadata.NewOutgoingContext(gctx, md) through a variable.
func metadataNew(ctx context.Context, client chatgrpc.ChatClient, md metadata.MD) error {
	g, gctx := errgroup.WithContext(ctx)
	mctx := metadata.NewOutgoingContext(gctx, md)
	stream, err := client.Chat(mctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

type session struct{ token string }

// withAuth is a same-package helper that takes a context and returns one.
func (s *session) withAuth(ctx context.Context) context.Context {
	return metadata.AppendToOutgoingContext(ctx, "authorization", s.token)
}

// helperUnderGroup: a same-package helper derives from the group's context.
func helperUnderGroup(ctx context.Context, s *session, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(s.withAuth(gctx))
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// helperParent: the same helper on the parent context: reported, and
// the message does not take the call for a variable.
func helperParent(ctx context.Context, s *session, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(s.withAuth(ctx))
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context, s\.withAuth\(ctx\), is not cancelled when gctx is; derive rpcCtx, rpcCancel := context\.WithCancel\(s\.withAuth\(ctx\)\) with defer rpcCancel\(\), open the stream on rpcCtx and cancel it with context\.AfterFunc\(gctx, rpcCancel\)`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// rewrap: a cancel func hidden behind a re-wrap of its context.
func rewrap(ctx context.Context, s *session, client chatgrpc.ChatClient) error {
	statusCtx, cancelStatus := context.WithCancelCause(ctx)
	defer cancelStatus(nil)
	statusCtx = s.withAuth(statusCtx)
	stream, err := client.Chat(statusCtx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, func() { cancelStatus(context.Cause(gctx)) })
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// withoutCancel: context.WithoutCancel cuts the group's cancellation.
func withoutCancel(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(context.WithoutCancel(gctx))
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// 2. Groups declared with var.

// varGroup: var g, gctx = errgroup.WithContext(ctx).
func varGroup(ctx context.Context, client chatgrpc.ChatClient) error {
	var g, gctx = errgroup.WithContext(ctx)
	stream, err := client.Chat(gctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// varBlockGroup: the same inside a var ( ... ) block.
func varBlockGroup(ctx context.Context, client chatgrpc.ChatClient) error {
	var (
		g, gctx = errgroup.WithContext(ctx)
		n       = 1
	)
	stream, err := client.Chat(gctx)
	if err != nil {
		return err
	}
	for range n {
		g.Go(func() error { _, err := stream.Recv(); return err })
	}
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// varGroupParent: a var-declared group whose stream is on the parent.
func varGroupParent(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	var g, gctx = errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// 5. Goroutines inside tasks.

// goroutineInTask: the receive runs in a goroutine the task starts; the
// task returns on the group's context, and the deferred cancel frees the
// goroutine once Wait returns.
func goroutineInTask(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		errc := make(chan error, 1)
		go func() { _, err := stream.Recv(); errc <- err }()
		select {
		case err := <-errc:
			return err
		case <-gctx.Done():
			return gctx.Err()
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// 6. A cancel deferred in the blocked task itself.

// deferInBlockedTask: the deferred cancel runs only when the receiving
// task returns, which it cannot while it is blocked.
func deferInBlockedTask(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer cancel()
		for {
			if _, err := stream.Recv(); err != nil { // want `stream\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is; cancel it with context\.AfterFunc\(gctx, cancel\)`
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// deferInFailingTask: the failing task's deferred cancel runs when it
// fails, while the receiver waits: a path.
func deferInFailingTask(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error {
		defer cancel()
		return errors.New("fail")
	})
	return g.Wait()
}

// perTaskStreams: each task opens its own stream and defers its own
// cancel, which frees nothing while that task waits.
func perTaskStreams(ctx context.Context, client chatgrpc.ChatClient, shards []string) error {
	g, gctx := errgroup.WithContext(ctx)
	for range shards {
		g.Go(func() error {
			sctx, cancel := context.WithCancel(ctx)
			defer cancel()
			stream, err := client.Chat(sctx)
			if err != nil {
				return err
			}
			_, err = stream.Recv() // want `stream\.Recv can block forever in an errgroup task: the stream's context sctx is not cancelled when gctx is`
			return err
		})
	}
	<-gctx.Done()
	return g.Wait()
}

// v2DeferClose: a connect-go v2 stream closed by a defer in its own task.
func v2DeferClose(ctx context.Context, client *chatv2.ChatClient) error {
	stream, err := client.Watch(ctx, nil)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer stream.Close()
		_, err := stream.Receive() // want `stream\.Receive can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is`
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// 10. Embedded streams.

type conn struct {
	chatv2.ChatServiceChatClientStream
	n int
}

func (c *conn) readLoop() error {
	for {
		if _, err := c.Receive(); err != nil { // want `c\.Receive can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is`
			return err
		}
		c.n++
	}
}

// embedded: a struct embeds a generated v2 stream; its method, run as a
// task, calls the promoted Receive.
func embedded(ctx context.Context, client *chatv2.ChatClient) error {
	s, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	c := &conn{ChatServiceChatClientStream: s}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(c.readLoop)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// 11. Groups through helpers and constructors.

// attachReader adds the receiving task to the caller's group.
func attachReader(g *errgroup.Group, stream chatgrpc.Chat_LegacyClient) {
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is`
}

// helperGroup: the task comes from a helper given the group.
func helperGroup(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	attachReader(g, stream)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// newGroup is a same-package constructor of a group and its context.
func newGroup(ctx context.Context, limit int) (*errgroup.Group, context.Context) {
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(limit)
	return g, gctx
}

// constructorGroup: the stream is opened with the constructed group's
// context.
func constructorGroup(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := newGroup(ctx, 4)
	stream, err := client.Chat(gctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// constructorGroupParent: the same with the stream on the parent.
func constructorGroupParent(ctx context.Context, client chatgrpc.ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := newGroup(ctx, 4)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `the stream's context ctx is not cancelled when gctx is`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// 4. Cancellation through methods and helpers.

type stoppable struct {
	cancel context.CancelFunc
	stream chatgrpc.Chat_LegacyClient
}

// Stop cancels the session's RPC.
func (s *stoppable) Stop() { s.cancel() }

// methodValue: context.AfterFunc(gctx, sess.Stop), where Stop calls the
// cancel func held in the struct.
func methodValue(ctx context.Context, client chatgrpc.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Legacy(ctx)
	if err != nil {
		return err
	}
	sess := &stoppable{cancel: cancel, stream: stream}
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, sess.Stop)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// closeOnDone registers the close of a v2 stream and the cancel of its
// context once ctx is done.
func closeOnDone(ctx context.Context, cancel context.CancelFunc, stream chatv2.ChatServiceChatClientStream) {
	context.AfterFunc(ctx, func() {
		cancel()
		_ = stream.Close()
	})
}

// helperRegisters: a same-package helper given the group's context
// registers the cancel and the close.
func helperRegisters(ctx context.Context, client *chatv2.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	closeOnDone(gctx, cancel, stream)
	g.Go(func() error { _, err := stream.Receive(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// helperOnParent: the same helper given the parent context: no path.
func helperOnParent(ctx context.Context, client *chatv2.ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	closeOnDone(ctx, cancel, stream)
	g.Go(func() error { _, err := stream.Receive(); return err }) // want `stream\.Receive can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// 7. A cancel func that cancels the wrong context.

// cancelBelow: the stream comes from a parameter; the task defers the
// cancel of a context derived here, below the stream's, which never
// reaches it.
func cancelBelow(ctx context.Context, stream chatgrpc.Chat_LegacyClient) error {
	ctx, cancel := context.WithCancel(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer cancel()
		_, err := stream.Recv() // want `stream\.Recv can block forever in an errgroup task: the stream's context is not visible here`
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// cancelParam: a cancel func received with the stream may be its
// context's: the programmer has taken charge.
func cancelParam(ctx context.Context, stream chatgrpc.Chat_LegacyClient, cancel context.CancelFunc) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); cancel(); return errors.New("fail") })
	return g.Wait()
}

// 3. Streams from same-package constructors and hand-offs.

type chat struct {
	stream chatgrpc.Chat_LegacyClient
}

// connect opens the stream for a chat.
func connect(ctx context.Context, client chatgrpc.ChatClient) (*chat, error) {
	s, err := client.Legacy(ctx)
	if err != nil {
		return nil, err
	}
	return &chat{stream: s}, nil
}

// constructorUnderGroup: the constructor opens the stream under the group.
func constructorUnderGroup(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	c, err := connect(gctx, client)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := c.stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// constructorParent: the constructor is given the parent context.
func constructorParent(ctx context.Context, client chatgrpc.ChatClient) error {
	c, err := connect(ctx, client)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := c.stream.Recv(); return err }) // want `c\.stream\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// handOff: a task opens the stream under the group and hands it to a
// reader over a channel.
func handOff(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	streams := make(chan chatgrpc.Chat_LegacyClient, 1)
	g.Go(func() error {
		stream, err := client.Legacy(gctx)
		if err != nil {
			return err
		}
		streams <- stream
		return nil
	})
	g.Go(func() error {
		s := <-streams
		_, err := s.Recv()
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// handOffParent: the same, opened with the parent context.
func handOffParent(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	streams := make(chan chatgrpc.Chat_LegacyClient, 1)
	g.Go(func() error {
		stream, err := client.Legacy(ctx)
		if err != nil {
			return err
		}
		streams <- stream
		return nil
	})
	g.Go(func() error {
		s := <-streams
		_, err := s.Recv() // want `s\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is`
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// 8. Streams collected in a loop.

// collected: streams opened with the parent context, collected in a
// slice and ranged over in tasks.
func collected(ctx context.Context, client chatgrpc.ChatClient, shards []string) error {
	var streams []chatgrpc.Chat_LegacyClient
	for range shards {
		s, err := client.Legacy(ctx)
		if err != nil {
			return err
		}
		streams = append(streams, s)
	}
	g, gctx := errgroup.WithContext(ctx)
	for _, s := range streams {
		g.Go(func() error { _, err := s.Recv(); return err }) // want `s\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is`
	}
	<-gctx.Done()
	return g.Wait()
}

// collectedUnderGroup: the same, opened with the group's context.
func collectedUnderGroup(ctx context.Context, client chatgrpc.ChatClient, shards []string) error {
	g, gctx := errgroup.WithContext(ctx)
	byShard := map[string]chatgrpc.Chat_LegacyClient{}
	for _, shard := range shards {
		s, err := client.Legacy(gctx)
		if err != nil {
			return err
		}
		byShard[shard] = s
	}
	for _, s := range byShard {
		g.Go(func() error { _, err := s.Recv(); return err })
	}
	return g.Wait()
}

// 9. Conditional reassignment.

// conditional: every value that can reach the opening counts; without a
// timeout the stream is opened with the parent context.
func conditional(ctx context.Context, client chatgrpc.ChatClient, timeout time.Duration) error {
	g, gctx := errgroup.WithContext(ctx)
	sctx := ctx
	if timeout > 0 {
		var cancel context.CancelFunc
		sctx, cancel = context.WithTimeout(gctx, timeout)
		defer cancel()
	}
	stream, err := client.Chat(sctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context sctx is not cancelled when gctx is`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// conditionalBoth: both branches open under the group.
func conditionalBoth(ctx context.Context, client chatgrpc.ChatClient, timeout time.Duration) error {
	g, gctx := errgroup.WithContext(ctx)
	sctx := ctx
	var cancel context.CancelFunc
	if timeout > 0 {
		sctx, cancel = context.WithTimeout(gctx, timeout)
	} else {
		sctx, cancel = context.WithCancel(gctx)
	}
	defer cancel()
	stream, err := client.Chat(sctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// conditionalUnderGroup: the default is the group's context too.
func conditionalUnderGroup(ctx context.Context, client chatgrpc.ChatClient, timeout time.Duration) error {
	g, gctx := errgroup.WithContext(ctx)
	sctx := gctx
	if timeout > 0 {
		var cancel context.CancelFunc
		sctx, cancel = context.WithTimeout(gctx, timeout)
		defer cancel()
	}
	stream, err := client.Chat(sctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// doInSpan runs f with a context derived from ctx, as tracing helpers do.
func doInSpan(ctx context.Context, name string, f func(context.Context)) { f(ctx) }

// callbackUnderGroup: the stream is opened with a callback's context,
// which the helper derives from the group's (Thanos' tracing.DoInSpan).
func callbackUnderGroup(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	var stream chatgrpc.Chat_LegacyClient
	var err error
	doInSpan(gctx, "open", func(ctx context.Context) { stream, err = client.Legacy(ctx) })
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// callbackParent: the same callback given the parent context.
func callbackParent(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	var stream chatgrpc.Chat_LegacyClient
	var err error
	doInSpan(ctx, "open", func(ctx context.Context) { stream, err = client.Legacy(ctx) })
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever in an errgroup task: the stream's context ctx is not cancelled when gctx is`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// conditionalRewrap: a cancel func hidden behind a re-wrap on some paths
// only (buildkit's status stream): it cancels every value the stream's
// context can be, and a watcher goroutine calls it.
func conditionalRewrap(ctx context.Context, s *session, client chatgrpc.ChatClient, traced bool) error {
	g, gctx := errgroup.WithContext(ctx)
	statusCtx, cancelStatus := context.WithCancelCause(context.Background())
	defer cancelStatus(nil)
	if traced {
		statusCtx = s.withAuth(statusCtx)
	}
	go func() {
		<-gctx.Done()
		cancelStatus(context.Cause(gctx))
	}()
	g.Go(func() error {
		stream, err := client.Chat(statusCtx)
		if err != nil {
			return err
		}
		_, err = stream.Recv()
		return err
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
