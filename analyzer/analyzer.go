package analyzer

import (
	_ "embed"
	"flag"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/passes/inspect"
)

// Name is the analyzer's name, also the golangci-lint plugin's name and
// the word that //nolint comments use.
const Name = "bidictxlint"

// URL is the page that explains the bug.
const URL = "https://github.com/bidictxlint/bidictxlint/blob/main/docs/bug.md#the-bug"

// ProofURL is the section with the runtime proof that cancelling does not
// free a connect-go bidi stream once the server has answered: each
// diagnostic links its kind's section of docs/checks.md (kinds.go), which
// links this proof.
const ProofURL = "https://github.com/bidictxlint/bidictxlint/blob/main/docs/bug.md#proof"

// doc is the analyzer's documentation: the "# Analyzer bidictxlint"
// section of the package comment in doc.go, as x/tools' passes keep it.
//
//go:embed doc.go
var docSource string

var doc = extractDoc(docSource, Name)

// extractDoc returns the section of the package comment in src headed
// "# Analyzer name", with the "name: " that starts its first line
// removed, so that its first line is the analyzer's one-line summary.
func extractDoc(src, name string) string {
	var lines []string
	in := false
	for line := range strings.Lines(src) {
		text, ok := strings.CutPrefix(strings.TrimRight(line, "\n"), "//")
		if !ok {
			break // the end of the package comment
		}
		text = strings.TrimPrefix(text, " ")
		if strings.HasPrefix(text, "# ") {
			if in {
				break
			}
			in = text == "# Analyzer "+name
			continue
		}
		if in {
			lines = append(lines, text)
		}
	}
	out := strings.TrimSpace(strings.Join(lines, "\n"))
	if rest, ok := strings.CutPrefix(out, name+": "); ok {
		return rest
	}
	panic("doc.go has no section \"# Analyzer " + name + "\" starting with \"" + name + ": \"")
}

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
