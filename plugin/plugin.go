// Package plugin registers bidictxlint as a golangci-lint v2 module
// plugin. Import it from a custom golangci-lint build (see
// .custom-gcl.yml and scripts/build-golangci-lint.sh); importing the
// analyzer package alone has no such side effect.
//
// Settings, under linters.settings.custom.bidictxlint.settings:
//
//	grpc:    true   # report grpc-go streams
//	server:  true   # report handler-side receives in errgroup tasks
//	related: false  # also report "stream opened here", "group created here"
//
// golangci-lint turns each related location of a diagnostic into an issue
// of its own, on its own line, which a //nolint:bidictxlint on the
// reported line does not silence; so the plugin leaves them out unless
// related is true. The message names the stream and the group anyway.
//
// golangci-lint drops a diagnostic's category, so the plugin starts each
// issue's text with it ("uncancelled-stream: stream.Recv can block ..."),
// as golangci-lint shows staticcheck's check IDs: exclusion rules can
// select a kind by text. It also leaves //nolint to golangci-lint
// (analyzer.Settings.Nolint off): golangci-lint applies it, and its
// nolintlint must see the findings a //nolint silences, or it would call
// the directive unused. //bidictxlint:ignore works as in every driver.
//
// Unknown keys are an error, so that a typo does not silently turn a
// check off.
package plugin

import (
	"fmt"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

func init() { register.Plugin(analyzer.Name, New) }

// settings are the plugin's keys; a missing key keeps the default.
type settings struct {
	GRPC    *bool `json:"grpc"`
	Server  *bool `json:"server"`
	Related bool  `json:"related"`
}

// New decodes the settings golangci-lint passes and returns the plugin.
func New(raw any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[settings](raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (known settings: grpc, server, related)", analyzer.Name, err)
	}
	cfg := analyzer.DefaultSettings()
	cfg.Nolint = false // golangci-lint's own
	if s.GRPC != nil {
		cfg.GRPC = *s.GRPC
	}
	if s.Server != nil {
		cfg.Server = *s.Server
	}
	return &plugin{settings: cfg, related: s.Related}, nil
}

type plugin struct {
	settings analyzer.Settings
	related  bool
}

// BuildAnalyzers returns the analyzer configured by the settings.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return []*analysis.Analyzer{forGolangci(analyzer.New(p.settings), p.related)}, nil
}

// forGolangci returns a copy of a whose diagnostics start with their
// category and, unless related, carry no related locations.
func forGolangci(a *analysis.Analyzer, related bool) *analysis.Analyzer {
	b := *a
	run := a.Run
	b.Run = func(pass *analysis.Pass) (any, error) {
		p := *pass
		p.Report = func(d analysis.Diagnostic) {
			if !related {
				d.Related = nil
			}
			if d.Category != "" {
				d.Message = d.Category + ": " + d.Message
			}
			pass.Report(d)
		}
		return run(&p)
	}
	return &b
}

// GetLoadMode asks for type information, which the analyzer needs.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
