package peer

import (
	"errors"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"connectrpc.com/connect"
	"google.golang.org/protobuf/types/known/wrapperspb"
)

// The run in which nothing fails: with Options.Answer set, every handler
// answers like a healthy server and ends its stream on its own.
//
//   - A bidi handler sends "hello" first if SendFirst, then echoes each
//     message it receives ("echo: <message>") until it has echoed Answer
//     messages or the client has closed its request side, then sends "bye"
//     and returns.
//   - A server-stream handler sends its snapshot ("hello") and "bye" and
//     returns.
//   - A client-stream handler receives until the client closes its request
//     side and answers "bye".
//
// Each handler that answered in full is counted (Answered), and so is
// every message the handlers sent (Sent); the clients' interceptors record
// what each stream received (Transcripts). A client that delivered
// everything has Delivered() == Sent().

// answers is what the handlers answered and the clients received.
type answers struct {
	answered atomic.Int64
	sent     atomic.Int64

	mu          sync.Mutex
	transcripts []*transcript
}

// A transcript is what the client received on one stream.
type transcript struct {
	mu   sync.Mutex
	msgs []string
}

func (t *transcript) add(msg any) {
	if t == nil {
		return
	}
	v := "?"
	if m, ok := msg.(*Msg); ok {
		v = m.GetValue()
	}
	t.mu.Lock()
	t.msgs = append(t.msgs, v)
	t.mu.Unlock()
}

// newTranscript starts the transcript of a stream the client opens.
func (p *Peer) newTranscript() *transcript {
	t := new(transcript)
	p.answers.mu.Lock()
	p.answers.transcripts = append(p.answers.transcripts, t)
	p.answers.mu.Unlock()
	return t
}

// Transcripts returns, for every stream the clients opened, the messages
// received on it in order, joined by " | ", sorted (streams opened
// concurrently have no order of their own).
func (p *Peer) Transcripts() []string {
	p.answers.mu.Lock()
	defer p.answers.mu.Unlock()
	out := make([]string, 0, len(p.answers.transcripts))
	for _, t := range p.answers.transcripts {
		t.mu.Lock()
		out = append(out, strings.Join(t.msgs, " | "))
		t.mu.Unlock()
	}
	slices.Sort(out)
	return out
}

// Answered is the number of streams the handlers answered in full.
func (p *Peer) Answered() int64 { return p.answers.answered.Load() }

// Sent is the number of messages (responses included) the handlers sent.
func (p *Peer) Sent() int64 { return p.answers.sent.Load() }

// say sends v on s and counts it.
func (p *Peer) say(s stream, v string) error {
	if err := s.send(wrapperspb.String(v)); err != nil {
		return err
	}
	p.answers.sent.Add(1)
	return nil
}

// answerChat is the bidi handlers' body in the run in which nothing fails.
func (p *Peer) answerChat(s stream) error {
	p.held.Add(1)
	defer p.held.Add(-1)
	if p.opts.SendFirst {
		if err := p.say(s, "hello"); err != nil {
			return err
		}
	}
	for range p.opts.Answer {
		m, err := s.recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		if err := p.say(s, "echo: "+m.GetValue()); err != nil {
			return err
		}
	}
	if err := p.say(s, "bye"); err != nil {
		return err
	}
	p.answers.answered.Add(1)
	return nil
}

// answerWatch is the server-stream handlers' body in the run in which
// nothing fails.
func (p *Peer) answerWatch(s stream) error {
	p.held.Add(1)
	defer p.held.Add(-1)
	for _, v := range []string{"hello", "bye"} {
		if err := p.say(s, v); err != nil {
			return err
		}
	}
	p.answers.answered.Add(1)
	return nil
}

// answerUpload is the client-stream handlers' body in the run in which
// nothing fails; the handler then answers "bye" (counted here).
func (p *Peer) answerUpload(s stream) error {
	p.held.Add(1)
	defer p.held.Add(-1)
	for {
		_, err := s.recv()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
	}
	p.answers.sent.Add(1)
	p.answers.answered.Add(1)
	return nil
}

// uploadReceiver adapts a connect-go v1 client-stream handler's stream to
// stream.recv.
func uploadReceiver(s *connect.ClientStream[Msg]) func() (*Msg, error) {
	return func() (*Msg, error) {
		if !s.Receive() {
			if err := s.Err(); err != nil {
				return nil, err
			}
			return nil, io.EOF
		}
		return s.Msg(), nil
	}
}
