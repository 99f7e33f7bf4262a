package gen

// shapes are the functions Source cycles through, reported ones and
// clean ones mixed.
var shapes = []shape{
	{"reassigned", true, `
// reassigned$: the stream is opened with the caller's ctx, then ctx is
// reassigned to the group's context.
func reassigned$(ctx context.Context, client ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return fmt.Errorf("chat $: %w", err)
	}
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			msg, err := stream.Recv() /*WANT*/
			if err != nil {
				return err
			}
			if msg.N < 0 {
				return errFail
			}
		}
	})
	g.Go(func() error {
		for i := 0; i < 10; i++ {
			if err := stream.Send(&Msg{N: i}); err != nil {
				return err
			}
		}
		return stream.CloseSend()
	})
	_ = ctx
	return g.Wait()
}
`},
	{"groupFirst", false, `
// groupFirst$: the group comes first and the stream is opened with the
// group's context.
func groupFirst$(ctx context.Context, client ChatClient) error {
	g, ctx := errgroup.WithContext(ctx)
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { return stream.Send(&Msg{Text: "hi"}) })
	return g.Wait()
}
`},
	{"afterFunc", false, `
// afterFunc$: the remedy for a connect-go bidi stream: cancel and close.
func afterFunc$(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, func() { cancel(); _ = stream.CloseResponse() })
	g.Go(func() error {
		for {
			res, err := stream.Receive()
			if err != nil {
				return err
			}
			_ = res.Text
		}
	})
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}
`},
	{"deferOnly", true, `
// deferOnly$: defer cancel() runs after Wait, too late.
func deferOnly$(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Receive(); return err }) /*WANT*/
	g.Go(func() error { <-gctx.Done(); return nil })
	return g.Wait()
}
`},
	{"deepHelper", true, `
func level1_$(s grpc.BidiStreamingClient[Msg, Msg]) error { return level2_$(s) }
func level2_$(s grpc.BidiStreamingClient[Msg, Msg]) error { return level3_$(s) }
func level3_$(s grpc.BidiStreamingClient[Msg, Msg]) error { _, err := s.Recv(); return err }

// deepHelper$: the receive is three calls deep.
func deepHelper$(ctx context.Context, client ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return level1_$(stream) }) /*WANT*/
	g.Go(func() error { <-gctx.Done(); return errFail })
	return g.Wait()
}
`},
	{"loop", true, `
// loop$: one TryGo in a loop starts several tasks.
func loop$(ctx context.Context, client ChatClient, workers int) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.SetLimit(workers)
	for i := 0; i < workers; i++ {
		g.TryGo(func() error { _, err := stream.Recv(); return err }) /*WANT*/
	}
	return g.Wait()
}
`},
	{"single", false, `
// single$: one task, group on the stream's context.
func single$(ctx context.Context, client ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error {
		n := 0
		for {
			m, err := stream.Recv()
			if err != nil {
				return fmt.Errorf("after %d messages: %w", n, err)
			}
			n += m.N
		}
	})
	return g.Wait()
}
`},
	{"pollSelect", true, `
// pollSelect$: checking the group's context between receives does not
// interrupt a blocked one.
func pollSelect$(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	stream := c.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(context.Background())
	g.Go(func() error {
		handle := func(m *Msg) error {
			if m.N < 0 {
				return fmt.Errorf("bad message %q", m.Text)
			}
			return nil
		}
		for {
			select {
			case <-gctx.Done():
				return gctx.Err()
			default:
				m, err := stream.Receive() /*WANT*/
				if err != nil {
					return err
				}
				if err := handle(m); err != nil {
					return err
				}
			}
		}
	})
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}
`},
	{"watcher", false, `
// watcher$: a goroutine waits on the group's context and cancels.
func watcher$(ctx context.Context, client ChatClient) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	go func() {
		<-gctx.Done()
		cancel()
	}()
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}
`},
	{"outsideTasks", false, `
// outsideTasks$: the stream is only used in the waiting function.
func outsideTasks$(ctx context.Context, client ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, _ := errgroup.WithContext(ctx)
	g.Go(func() error { return nil })
	g.Go(func() error { return errFail })
	if _, err := stream.Recv(); err != nil {
		return err
	}
	return g.Wait()
}
`},
	{"zeroGroup", true, `
// zeroGroup$: a zero-value group has no context at all.
func zeroGroup$(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	stream := c.CallBidiStream(ctx)
	var g errgroup.Group
	g.Go(func() error { _, err := stream.Receive(); return err }) /*WANT*/
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}
`},
	{"v2Close", true, `
// v2Close$: closing a connect-go v2 bidi stream from AfterFunc without
// cancelling it frees nothing while the server has not answered.
func v2Close$(ctx context.Context, client V2Client) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	context.AfterFunc(gctx, func() { _ = stream.Close() })
	g.Go(func() error { var m Msg; return stream.Receive(&m) }) /*WANT*/
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}
`},
	{"handler", true, `
type Server$ struct{ n int }

// Chat: a handler receiving in one of two tasks while it waits.
func (s *Server$) Chat(stream grpc.BidiStreamingServer[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(stream.Context())
	g.Go(func() error { _, err := stream.Recv(); return err }) /*WANT*/
	g.Go(func() error { <-gctx.Done(); return stream.Send(&Msg{N: s.n}) })
	return g.Wait()
}
`},
	{"methodValue", true, `
type conn$ struct {
	stream grpc.BidiStreamingClient[Msg, Msg]
	count  int
}

func (c *conn$) recvLoop() error {
	for {
		m, err := c.stream.Recv() /*WANT*/
		if err != nil {
			return err
		}
		c.count += m.N
	}
}

// methodValue$: g.Go(c.recvLoop) with the stream in a field.
func methodValue$(ctx context.Context, client ChatClient) error {
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	c := &conn${stream: stream}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(c.recvLoop)
	g.Go(func() error { <-gctx.Done(); return errFail })
	return g.Wait()
}
`},
	{"filler", false, `
// filler$: ordinary code with no group and no stream.
func filler$(items []string) (map[string]int, error) {
	counts := make(map[string]int, len(items))
	for i, it := range items {
		key := strings.ToLower(strings.TrimSpace(it))
		if key == "" {
			return nil, fmt.Errorf("item %d: empty", i)
		}
		switch {
		case strings.HasPrefix(key, "#"):
			continue
		case len(key) > 64:
			key = key[:64]
		}
		counts[key]++
	}
	return counts, nil
}
`},
	{"fanOut", false, `
// fanOut$: the common errgroup use, with no stream.
func fanOut$(ctx context.Context, urls []string) ([]int, error) {
	g, gctx := errgroup.WithContext(ctx)
	res := make([]int, len(urls))
	for i, u := range urls {
		g.Go(func() error {
			select {
			case <-gctx.Done():
				return gctx.Err()
			case <-time.After(time.Millisecond):
			}
			res[i] = len(u)
			return nil
		})
	}
	return res, g.Wait()
}
`},
	{"timeout", true, `
// timeout$: a deadline is not a cancellation path.
func timeout$(ctx context.Context, client ChatClient) error {
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	stream, err := client.Chat(ctx)
	if err != nil {
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) /*WANT*/
	g.Go(func() error { <-gctx.Done(); return errFail })
	return g.Wait()
}
`},
	{"cancelInTask", false, `
// cancelInTask$: a task cancels the stream's context and closes the stream.
func cancelInTask$(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream := c.CallBidiStream(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		defer cancel()
		for {
			if _, err := stream.Receive(); err != nil {
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); cancel(); _ = stream.CloseResponse(); return nil })
	return g.Wait()
}
`},
}
