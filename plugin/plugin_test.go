package plugin

import (
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"

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
