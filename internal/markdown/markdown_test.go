package markdown

import (
	"maps"
	"slices"
	"testing"
)

// The anchors GitHub renders for these headings (read off github.com
// pages with the same headings).
func TestAnchor(t *testing.T) {
	for h, want := range map[string]string{
		"The bug":                        "the-bug",
		"The stream's context":           "the-streams-context",
		"Bazel (nogo)":                   "bazel-nogo",
		"Before Go 1.21":                 "before-go-121",
		"go vet and go fix":              "go-vet-and-go-fix",
		"The x/tools requirement":        "the-xtools-requirement",
		"`uncancelled-stream`":           "uncancelled-stream",
		"What is reported":               "what-is-reported",
		"Names, imports and comments":    "names-imports-and-comments",
		"A [link](x.md) in a heading":    "a-link-in-a-heading",
		"snake_case stays":               "snake_case-stays",
		"Connect-go bidi streams: close": "connect-go-bidi-streams-close",
	} {
		if got := Anchor(h); got != want {
			t.Errorf("Anchor(%q) = %q, want %q", h, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	p, err := Parse("# Title\n\nSee [a](a.md#x) and `[not](code.md)`.\n\n" +
		"## Title\n\n```go\n// [not](in-code.md)\n# not a heading\n```\n\n" +
		"<!-- snippet: one -->\n```lua\nx = 1\n```\n\n[ref]: https://example.com/\n<a id=\"explicit\"></a>\n")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := slices.Sorted(maps.Keys(p.Anchors)), []string{"explicit", "title", "title-1"}; !slices.Equal(got, want) {
		t.Errorf("anchors %q, want %q", got, want)
	}
	var links []string
	for _, l := range p.Links {
		links = append(links, l.Target)
	}
	if want := []string{"a.md#x", "https://example.com/"}; !slices.Equal(links, want) {
		t.Errorf("links %q, want %q", links, want)
	}
	if got := p.Snippets["one"]; got != "x = 1\n" {
		t.Errorf("snippet one = %q", got)
	}
	for _, bad := range []string{
		"```go\nx\n",                  // not closed
		"<!-- snippet: a -->\ntext\n", // not before a block
		"<!-- snippet: a -->\n```\n```\n<!-- snippet: a -->\n```\n```\n", // twice
	} {
		if _, err := Parse(bad); err == nil {
			t.Errorf("Parse(%q) succeeded, want an error", bad)
		}
	}
}
