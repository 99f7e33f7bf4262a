package analyzer

import (
	"flag"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
)

// Name is the analyzer's name, also the golangci-lint plugin's name and
// the word that //nolint comments use.
const Name = "bidictxlint"

// URL is the README section that explains the bug.
const URL = "https://github.com/bidictxlint/bidictxlint#the-bug"

// ProofURL is the README section with the runtime proof that cancelling
// does not free a connect-go bidi stream once the server has answered.
// Diagnostics link their kind's section of docs/checks.md instead
// (kinds.go).
const ProofURL = "https://github.com/bidictxlint/bidictxlint#proof"

const doc = `report RPC streams in errgroup tasks that the group cannot cancel

A client RPC stream (connect-go, grpc-go) is bound to the context it was
opened with: its Send and Receive take no context. When a stream is
driven from errgroup tasks and the stream's context is not cancelled when
the group's context is, a failing task leaves another task blocked in
Receive and g.Wait() never returns. bidictxlint reports the first
blocking call on such a stream and suggests cancelling the RPC's context
with context.AfterFunc(gctx, cancel).`

// Settings configure an analyzer built by New. The zero value turns every
// optional check off; DefaultSettings returns what the command uses.
type Settings struct {
	// GRPC includes grpc-go client streams (default true).
	GRPC bool `json:"grpc"`
	// Server reports handler-side streams received inside errgroup
	// tasks (default true).
	Server bool `json:"server"`
	// Nolint honours golangci-lint's //nolint comments (default true).
	// The golangci-lint plugin turns it off: golangci-lint applies them
	// itself, and its nolintlint must see the findings they silence.
	Nolint bool `json:"nolint"`
}

// DefaultSettings returns the settings of the exported Analyzer.
func DefaultSettings() Settings {
	return Settings{GRPC: true, Server: true, Nolint: true}
}

// Analyzer reports client RPC streams driven from errgroup tasks that
// have no cancellation path from the group's context. It has no global
// state: its flags write to settings owned by this value alone.
var Analyzer = New(DefaultSettings())

// New returns an analyzer configured by s. Each call returns an
// independent analyzer, with its own flags bound to its own copy of s.
func New(s Settings) *analysis.Analyzer {
	cfg := new(Settings)
	*cfg = s
	a := &analysis.Analyzer{
		Name:     Name,
		Doc:      doc,
		URL:      URL,
		Requires: []*analysis.Analyzer{inspect.Analyzer},
		// Editors and golangci-lint analyse packages with type errors;
		// spots without type information are skipped.
		RunDespiteErrors: true,
		Run:              func(pass *analysis.Pass) (any, error) { return withDirectives(pass, *cfg, run) },
	}
	a.Flags.Init(Name, flag.ExitOnError)
	a.Flags.BoolVar(&cfg.GRPC, "grpc", cfg.GRPC, "report grpc-go client streams")
	a.Flags.BoolVar(&cfg.Server, "server", cfg.Server, "report handler-side streams received in errgroup tasks")
	a.Flags.BoolVar(&cfg.Nolint, "nolint", cfg.Nolint, "honour //nolint comments as golangci-lint does")
	return a
}
