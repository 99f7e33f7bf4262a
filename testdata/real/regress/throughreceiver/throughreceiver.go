// A stream or a context that reaches the task through its receiver or a
// task constructor's parameter, set in the function that creates the
// group, is followed there: each of these has a cancellation path and is
// not reported (they were, with advice such as "the stream's opener must
// cancel it" for a stream opened under the group's context). Each
// function has its own types, so that each shape is checked alone.
package throughreceiver

import (
	"context"
	"errors"

	"example.com/real/gen/chatgrpc"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
)

type chatStream = grpc.BidiStreamingClient[chatgrpc.Msg, chatgrpc.Msg]

type session struct{ stream chatStream }

type reader struct{ sess *session }

func (r *reader) run() error {
	_, err := r.sess.stream.Recv()
	return err
}

// streamInReceiver: opened under the group, held in a struct the task's
// receiver points to.
func streamInReceiver(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(gctx)
	if err != nil {
		return err
	}
	r := &reader{sess: &session{stream: stream}}
	g.Go(r.run)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

type groupDialer struct {
	ctx    context.Context
	client chatgrpc.ChatClient
}

func (d *groupDialer) run() error {
	stream, err := d.client.Chat(d.ctx)
	if err != nil {
		return err
	}
	_, err = stream.Recv()
	return err
}

// contextInReceiver: the task opens the stream with the group's context,
// held in its receiver.
func contextInReceiver(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	d := &groupDialer{ctx: gctx, client: client}
	g.Go(d.run)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

type wiredDialer struct {
	ctx    context.Context
	client chatgrpc.ChatClient
}

func (d *wiredDialer) run() error {
	stream, err := d.client.Chat(d.ctx)
	if err != nil {
		return err
	}
	_, err = stream.Recv()
	return err
}

// cancelWiredContextInReceiver: the task opens the stream with a context
// whose cancel func the group's context reaches through AfterFunc.
func cancelWiredContextInReceiver(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	context.AfterFunc(gctx, cancel)
	d := &wiredDialer{ctx: sctx, client: client}
	g.Go(d.run)
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

type parentDialer struct {
	ctx    context.Context
	client chatgrpc.ChatClient
}

func (d *parentDialer) run() error {
	stream, err := d.client.Chat(d.ctx)
	if err != nil {
		return err
	}
	_, err = stream.Recv()
	return err
}

// singleTaskContextInReceiver: one task, and the group's parent is the
// stream's context: a cancelled parent frees the stream too.
func singleTaskContextInReceiver(ctx context.Context, client chatgrpc.ChatClient) error {
	g, _ := errgroup.WithContext(ctx)
	d := &parentDialer{ctx: ctx, client: client}
	g.Go(d.run)
	return g.Wait()
}

func recvTask(ctx context.Context, client chatgrpc.ChatClient) func() error {
	return func() error {
		sctx, cancel := context.WithCancel(ctx)
		defer cancel()
		stream, err := client.Chat(sctx)
		if err != nil {
			return err
		}
		_, err = stream.Recv()
		return err
	}
}

// contextThroughConstructor: the task constructor gets the group's
// context and derives the stream's from it.
func contextThroughConstructor(ctx context.Context, client chatgrpc.ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(recvTask(gctx, client))
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}
