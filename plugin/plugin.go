// Package plugin registers bidictxlint as a golangci-lint v2 module
// plugin. Import it from a custom golangci-lint build (see
// .custom-gcl.yml and scripts/build-golangci-lint.sh); importing the
// analyzer package alone has no such side effect.
//
// Settings, under linters.settings.custom.bidictxlint.settings:
//
//	grpc:   true   # report grpc-go streams
//	server: true   # report handler-side receives in errgroup tasks
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
	GRPC   *bool `json:"grpc"`
	Server *bool `json:"server"`
}

// New decodes the settings golangci-lint passes and returns the plugin.
func New(raw any) (register.LinterPlugin, error) {
	s, err := register.DecodeSettings[settings](raw)
	if err != nil {
		return nil, fmt.Errorf("%s: %w (known settings: grpc, server)", analyzer.Name, err)
	}
	cfg := analyzer.DefaultSettings()
	if s.GRPC != nil {
		cfg.GRPC = *s.GRPC
	}
	if s.Server != nil {
		cfg.Server = *s.Server
	}
	return &plugin{settings: cfg}, nil
}

type plugin struct{ settings analyzer.Settings }

// BuildAnalyzers returns the analyzer configured by the settings.
func (p *plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	return []*analysis.Analyzer{analyzer.New(p.settings)}, nil
}

// GetLoadMode asks for type information, which the analyzer needs.
func (p *plugin) GetLoadMode() string { return register.LoadModeTypesInfo }
