// Suppression directives: //bidictxlint:ignore and golangci-lint's
// //nolint, where each may stand and what each covers. A silenced finding
// has no want comment; a directive that silences nothing, or cannot be
// read, is reported where it stands.
package suppress

import (
	"context"
	"errors"

	"connectrpc.com/connect"
	"golang.org/x/sync/errgroup"
	"google.golang.org/grpc"
)

type Msg struct{}

type ChatClient interface {
	Chat(ctx context.Context) (grpc.BidiStreamingClient[Msg, Msg], error)
}

// endOfLine: the directive at the end of the reported line silences it.
func endOfLine(ctx context.Context, client ChatClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) //bidictxlint:ignore uncancelled-stream the server ends every stream within a second
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// wrongKind: a directive for another kind silences nothing, and says so.
func wrongKind(ctx context.Context, client ChatClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) //bidictxlint:ignore bidi-needs-close reviewed // want `stream\.Recv can block forever` `^//bidictxlint:ignore bidi-needs-close silences no bidi-needs-close finding on the lines it covers; remove it$`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// lineAbove: on a line of its own, the directive covers the statement
// below it.
func lineAbove(ctx context.Context, client ChatClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error {
		for {
			//bidictxlint:ignore uncancelled-stream reviewed: the server closes idle streams
			_, err := stream.Recv()
			if err != nil {
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// aboveStatement: above a statement that spans lines, the directive
// covers all of it.
func aboveStatement(ctx context.Context, client ChatClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	// The receive loop.
	//bidictxlint:ignore uncancelled-stream reviewed: the server closes idle streams
	g.Go(func() error {
		for {
			if _, err := stream.Recv(); err != nil {
				return err
			}
		}
	})
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// notBelow: a blank line between the directive and the statement ends
// what it covers.
func notBelow(ctx context.Context, client ChatClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	//bidictxlint:ignore uncancelled-stream reviewed // want `silences no uncancelled-stream finding`

	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// previousLine: at the end of the line above, the directive covers only
// its own line, even where a node of the next line (Recv) starts in its
// column.
func previousLine(ctx context.Context, client ChatClient) error {
	stream, _ := client.Chat(ctx)        // want +2 `stream\.Recv can block forever`
	g, gctx := errgroup.WithContext(ctx) //bidictxlint:ignore uncancelled-stream reviewed // want `silences no uncancelled-stream finding`
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// nolintBelow: golangci-lint extends a //nolint at the end of a line to
// a node that starts in its column on the next line; so does the
// analyzer, unlike a //bidictxlint:ignore there (previousLine).
func nolintBelow(ctx context.Context, client ChatClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx) //nolint:bidictxlint // reviewed
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// inDoc: in a function's doc comment, the directive covers the function.
// Both streams are silenced: up is opened before ctx became the group's
// context, down with a context the group does not cancel.
//
//bidictxlint:ignore uncancelled-stream,reassigned-context both servers end their streams
func inDoc(ctx context.Context, client ChatClient) error {
	up, _ := client.Chat(ctx)
	down, _ := client.Chat(context.Background())
	g, ctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := up.Recv(); return err })
	g.Go(func() error { _, err := down.Recv(); return err })
	g.Go(func() error { <-ctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// partlyUsed: an ID of the list that silences nothing is reported; the
// others keep working.
//
//bidictxlint:ignore uncancelled-stream,bidi-needs-close,handler-receive reviewed // want `^//bidictxlint:ignore uncancelled-stream,bidi-needs-close,handler-receive silences no bidi-needs-close or handler-receive finding on the lines it covers; remove bidi-needs-close and handler-receive from it$`
func partlyUsed(ctx context.Context, client ChatClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

//bidictxlint:ignore bidi-needs-close // the server answers only once the request side is closed
func bidiNotClosed(ctx context.Context, c *connect.Client[Msg, Msg]) error {
	g, gctx := errgroup.WithContext(ctx)
	stream := c.CallBidiStream(gctx)
	g.Go(func() error { _, err := stream.Receive(); return err })
	g.Go(func() error { return stream.Send(&Msg{}) })
	return g.Wait()
}

// outsideFunc: a directive in a function covers nothing in the next one.
func outsideFunc(ctx context.Context, client ChatClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err }) // want `stream\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
	//bidictxlint:ignore uncancelled-stream too far down // want `silences no uncancelled-stream finding`
}

// Directives that cannot be read are reported and silence nothing.
func unreadable(ctx context.Context, client ChatClient) error {
	s1, _ := client.Chat(ctx)
	s2, _ := client.Chat(ctx)
	s3, _ := client.Chat(ctx)
	s4, _ := client.Chat(ctx)
	s5, _ := client.Chat(ctx)
	s6, _ := client.Chat(ctx)
	s7, _ := client.Chat(ctx)
	s8, _ := client.Chat(ctx)
	s9, _ := client.Chat(ctx)
	s10, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	// want +1 `s\d+\.Recv can block forever` `^//bidictxlint:ignore uncancelled-stream gives no reason; say after the IDs why the finding is safe to leave$`
	g.Go(func() error { _, err := s1.Recv(); return err }) //bidictxlint:ignore uncancelled-stream
	// want +1 `s\d+\.Recv can block forever` `gives no reason`
	g.Go(func() error { _, err := s2.Recv(); return err }) //bidictxlint:ignore uncancelled-stream //
	// want +1 `s\d+\.Recv can block forever` `^//bidictxlint:ignore names no kind of finding; write the IDs it silences and the reason: //bidictxlint:ignore uncancelled-stream reason$`
	g.Go(func() error { _, err := s3.Recv(); return err })  //bidictxlint:ignore
	g.Go(func() error { _, err := s4.Recv(); return err })  //bidictxlint:ignore // reviewed // want `s\d+\.Recv can block forever` `names no kind of finding`
	g.Go(func() error { _, err := s5.Recv(); return err })  //bidictxlint:ignoreuncancelled-stream reviewed // want `s\d+\.Recv can block forever` `^//bidictxlint:ignoreuncancelled-stream is not a directive`
	g.Go(func() error { _, err := s6.Recv(); return err })  //bidictxlint:ignore uncancelled-streams typo // want `s\d+\.Recv can block forever` `^//bidictxlint:ignore uncancelled-streams names uncancelled-streams, which is not a kind of finding; use uncancelled-stream, reassigned-context, bidi-needs-close, handler-receive, wait-hang, goroutine-leak or close-only-cancels$`
	g.Go(func() error { _, err := s7.Recv(); return err })  //bidictxlint:ignore unused-directive reviewed // want `s\d+\.Recv can block forever` `names unused-directive, which is not a kind of finding`
	g.Go(func() error { _, err := s8.Recv(); return err })  //bidictxlint:ignore uncancelled-stream, reassigned-context reviewed // want `s\d+\.Recv can block forever` `^//bidictxlint:ignore uncancelled-stream, has an empty ID; separate the IDs with commas alone, no spaces$`
	g.Go(func() error { _, err := s9.Recv(); return err })  //bidictxlint:disable uncancelled-stream reviewed // want `s\d+\.Recv can block forever` `^//bidictxlint:disable is not a directive; write //bidictxlint:ignore followed by the IDs of the findings it silences and the reason$`
	g.Go(func() error { _, err := s10.Recv(); return err }) // bidictxlint:ignore uncancelled-stream with a space it is prose // want `s\d+\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// nolint: golangci-lint's directive, read as golangci-lint reads it.
func nolint(ctx context.Context, client ChatClient) error {
	s1, _ := client.Chat(ctx)
	s2, _ := client.Chat(ctx)
	s3, _ := client.Chat(ctx)
	s4, _ := client.Chat(ctx)
	s5, _ := client.Chat(ctx)
	s6, _ := client.Chat(ctx)
	s7, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := s1.Recv(); return err })          //nolint:bidictxlint // reviewed
	g.Go(func() error { _, err := s2.Recv(); return err })          //nolint:errcheck,bidictxlint // reviewed
	g.Go(func() error { _, err := s3.Recv(); return err })          //nolint // every linter
	g.Go(func() error { _, err := s4.Recv(); return err })          //nolint:all
	g.Go(func() error { _, err := s5.Recv(); return err })          // nolint:bidictxlint
	g.Go(func() error { _, err := s6.Recv(); return err })          //nolint:errcheck // want `s\d+\.Recv can block forever`
	g.Go(func() error { _, err := s7.Recv(); return err })          //nolint:bidictxlint reviewed // want `s\d+\.Recv can block forever`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") }) //nolint:bidictxlint // want `^//nolint:bidictxlint silences no bidictxlint finding on the lines it covers; remove it$`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") }) //nolint:errcheck,bidictxlint // want `^//nolint:errcheck,bidictxlint silences no bidictxlint finding on the lines it covers; remove bidictxlint from it$`
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") }) //nolint:all
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") }) //nolint
	return g.Wait()
}

// nolintAboveFunc: //nolint above a function covers it, as in golangci-lint.
//
//nolint:bidictxlint // reviewed
func nolintAboveFunc(ctx context.Context, client ChatClient) error {
	stream, _ := client.Chat(ctx)
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

// clean: directives in code without findings are stale.
func clean(ctx context.Context, client ChatClient) error {
	g, gctx := errgroup.WithContext(ctx)
	stream, _ := client.Chat(gctx) //bidictxlint:ignore uncancelled-stream fixed since // want `^//bidictxlint:ignore uncancelled-stream silences no uncancelled-stream finding on the lines it covers; remove it$`
	g.Go(func() error { _, err := stream.Recv(); return err })
	g.Go(func() error { <-gctx.Done(); return errors.New("fail") })
	return g.Wait()
}

/* //bidictxlint:ignore uncancelled-stream a block comment is not a directive */
