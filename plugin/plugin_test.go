package plugin

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

// flags returns the values of the analyzer's -grpc and -server flags,
// which are bound to the settings it was built with.
func flags(t *testing.T, raw any) (grpc, server string) {
	t.Helper()
	p, err := New(raw)
	if err != nil {
		t.Fatalf("New(%v): %v", raw, err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil || len(as) != 1 {
		t.Fatalf("BuildAnalyzers: %v, %d analyzers", err, len(as))
	}
	return as[0].Flags.Lookup("grpc").Value.String(), as[0].Flags.Lookup("server").Value.String()
}

func TestDefaults(t *testing.T) {
	for _, raw := range []any{nil, map[string]any{}} {
		if g, s := flags(t, raw); g != "true" || s != "true" {
			t.Errorf("settings %v: grpc=%s server=%s, want true, true", raw, g, s)
		}
	}
}

func TestEachKey(t *testing.T) {
	if g, s := flags(t, map[string]any{"grpc": false}); g != "false" || s != "true" {
		t.Errorf("grpc: false gives grpc=%s server=%s", g, s)
	}
	if g, s := flags(t, map[string]any{"server": false}); g != "true" || s != "false" {
		t.Errorf("server: false gives grpc=%s server=%s", g, s)
	}
}

func TestUnknownKey(t *testing.T) {
	_, err := New(map[string]any{"grcp": false})
	if err == nil {
		t.Fatal("a misspelt key was accepted")
	}
	for _, want := range []string{"bidictxlint", `"grcp"`, "known settings: grpc, server, related"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not mention %s", err, want)
		}
	}
}

func TestRegistration(t *testing.T) {
	newPlugin, err := register.GetPlugin("bidictxlint")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(nil)
	if err != nil {
		t.Fatal(err)
	}
	as, _ := p.BuildAnalyzers()
	if as[0].Name != analyzer.Name {
		t.Errorf("analyzer name %q, want the plugin's name bidictxlint", as[0].Name)
	}
	if p.GetLoadMode() != register.LoadModeTypesInfo {
		t.Errorf("load mode %q, want %q", p.GetLoadMode(), register.LoadModeTypesInfo)
	}
}

// buildOne returns the analyzer the plugin builds from raw settings.
func buildOne(t *testing.T, raw any) *analysis.Analyzer {
	t.Helper()
	p, err := New(raw)
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil || len(as) != 1 {
		t.Fatalf("BuildAnalyzers: %v, %d analyzers", err, len(as))
	}
	return as[0]
}

// TestLeavesNolintToGolangci runs the plugin's analyzer on the case
// written for Settings.Nolint off: //nolint silences nothing and is
// never reported unused, //bidictxlint:ignore works. Every issue's text
// starts with its kind, and no related location is left.
func TestLeavesNolintToGolangci(t *testing.T) {
	a := buildOne(t, nil)
	if v := a.Flags.Lookup("nolint").Value.String(); v != "false" {
		t.Errorf("the plugin's analyzer has -nolint=%s, want false", v)
	}
	dir, err := filepath.Abs("../testdata")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range analysistest.Run(t, dir, a, "nolintoff") {
		for _, d := range r.Diagnostics {
			n++
			if d.Category == "" || !strings.HasPrefix(d.Message, d.Category+": ") {
				t.Errorf("%q does not start with its category %q", d.Message, d.Category)
			}
			if len(d.Related) != 0 {
				t.Errorf("%q has related locations", d.Message)
			}
		}
	}
	if n == 0 {
		t.Fatal("no diagnostics: the test checks nothing")
	}
	withRelated := buildOne(t, map[string]any{"related": true})
	for _, r := range analysistest.Run(t, dir, withRelated, "nolintoff") {
		for _, d := range r.Diagnostics {
			if d.Category != "unused-directive" && len(d.Related) == 0 {
				t.Errorf("with related: true, %q has no related locations", d.Message)
			}
		}
	}
}
