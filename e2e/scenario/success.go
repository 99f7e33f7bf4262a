package scenario

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/bidictxlint/bidictxlint/e2e/peer"
)

// The run in which nothing fails. A fix must never break working code
// (docs/fixes.md, Never touch correct code): in a run in which no task fails, the fixed client must
// deliver exactly what the original delivers. The peer answers like a
// healthy server and ends every stream on its own (peer.Options.Answer),
// and next yields Lines lines and then says there is no more input.

// Lines is how many lines next yields in the run in which nothing fails.
const Lines = 2

// Shards is how many streams the shards clients open.
const Shards = 3

// successBound is how long the run in which nothing fails may take (it
// takes well under a second; the margin is for a loaded machine).
const successBound = 10 * time.Second

// A Delivery is what a client delivered in the run in which nothing fails.
type Delivery struct {
	Case    string
	Variant Variant
	// Problem is set when the run itself could not be made (no server).
	Problem string `json:",omitempty"`
	// Returned says whether Run returned within its bound.
	Returned bool
	// Err is Run's error. Clean says whether it is nil or io.EOF: the
	// clients that pass a stream's Receive error up as is end with the
	// stream's clean end, io.EOF.
	Err   string `json:",omitempty"`
	Clean bool
	// Received is what the client received, one entry per stream it
	// opened: the stream's messages in order, joined by " | " (sorted, as
	// streams opened at once have no order).
	Received []string
	// Sent is the number of messages the peer sent, Delivered the number
	// the client received, Answered the number of streams the peer answered
	// in full.
	Sent, Delivered, Answered int64
	// Blocked and Held are as in Result, once Run has returned.
	Blocked []string `json:",omitempty"`
	Held    int64
}

func (d Delivery) String() string {
	return fmt.Sprintf("%s (%s): returned=%v, err=%q, received=%q, sent=%d, delivered=%d, answered=%d, blocked=%d, held=%d, problem=%q",
		d.Case, d.Variant, d.Returned, d.Err, d.Received, d.Sent, d.Delivered, d.Answered, len(d.Blocked), d.Held, d.Problem)
}

// Same reports how d differs from want in what the client delivered: its
// result and the messages it received ("" when they agree).
func (d Delivery) Same(want Delivery) string {
	var diffs []string
	if d.Clean != want.Clean || !d.Clean && d.Err != want.Err {
		diffs = append(diffs, fmt.Sprintf("result %q, want %q", d.Err, want.Err))
	}
	if strings.Join(d.Received, "\n") != strings.Join(want.Received, "\n") {
		diffs = append(diffs, fmt.Sprintf("received %q, want %q", d.Received, want.Received))
	}
	return strings.Join(diffs, "; ")
}

// shape is the client's directory name under its library.
func (c Case) shape() string {
	_, shape, _ := strings.Cut(c.Name, "/")
	return shape
}

// Streams is how many streams the client opens in the run in which
// nothing fails.
func (c Case) Streams() int {
	if c.shape() == "shards" {
		return Shards
	}
	return 1
}

// answerPeer is how the peer behaves in c's run in which nothing fails:
// its bidi handlers echo as many messages as the client sends on a
// stream. The chats send the Lines lines next yields; the reconnect,
// shards and goroutineintask clients send one message per stream (to
// join, name the shard or subscribe) and keep their request side open.
func (c Case) answerPeer() peer.Options {
	opts := c.Peer
	opts.Answer = Lines
	switch c.shape() {
	case "reconnect", "shards", "goroutineintask":
		opts.Answer = 1
	}
	return opts
}

// Succeed starts a healthy peer for c, runs variant v of its client with
// a next that never fails, and records what the client delivered.
func Succeed(c Case, v Variant) (d Delivery) {
	d = Delivery{Case: c.Name, Variant: v}
	p, err := peer.Start(c.Lib, c.answerPeer())
	if err != nil {
		d.Problem = err.Error()
		return d
	}
	defer func() {
		if err := p.Close(); err != nil && d.Problem == "" {
			d.Problem = err.Error()
		}
	}()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.runner(v)(ctx, p, succeedingNext(p, c.Streams())) }()
	var runErr error
	select {
	case runErr = <-done:
		d.Returned = true
	case <-time.After(successBound):
		cancel()
		select {
		case runErr = <-done:
		case <-time.After(unwindBound):
			d.Problem = "Run did not return even after its context was cancelled"
			return d
		}
	}
	if runErr != nil {
		d.Err = runErr.Error()
	}
	d.Clean = runErr == nil || errors.Is(runErr, io.EOF)
	cancel()
	d.Blocked, d.Held = settle(p, c.Package(v))
	d.Received = p.Transcripts()
	d.Sent, d.Delivered, d.Answered = p.Sent(), p.Delivered(), p.Answered()
	return d
}

// succeedingNext yields Lines lines, then io.EOF, the end of the input,
// once the conversation is over: the peer has answered every stream in
// full and the client has received everything it sent. Returning earlier
// would end the group (a task's io.EOF is an error to errgroup) while the
// streams still carry messages. If ctx ends first (another task ended the
// group), it returns ctx's error.
func succeedingNext(p *peer.Peer, streams int) Next {
	var mu sync.Mutex
	calls := 0
	return func(ctx context.Context) (string, error) {
		mu.Lock()
		calls++
		n := calls
		mu.Unlock()
		if n <= Lines {
			return fmt.Sprintf("line %d", n), nil
		}
		for p.Answered() < int64(streams) || p.Delivered() < p.Sent() {
			select {
			case <-ctx.Done():
				return "", ctx.Err()
			case <-time.After(5 * time.Millisecond):
			}
		}
		return "", io.EOF
	}
}
