// Package markdown reads what the project's tests need from its
// Markdown pages: the anchors GitHub gives their headings, their links,
// and the code blocks marked as snippets. It knows the subset of
// Markdown the pages use (ATX headings, fenced code blocks, inline and
// reference links), not all of CommonMark.
package markdown

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
)

// A Link is a link target on a page, with its 1-based line.
type Link struct {
	Line   int
	Target string
}

// A Page is a parsed Markdown page.
type Page struct {
	Anchors  map[string]bool   // heading anchors, as GitHub makes them, and explicit ids
	Links    []Link            // inline and reference link targets, outside code
	Snippets map[string]string // fenced code blocks marked <!-- snippet: NAME -->, by name
}

var (
	heading   = regexp.MustCompile(`^ {0,3}(#{1,6})[ \t]+(.*?)[ \t#]*$`)
	fence     = regexp.MustCompile("^ {0,3}(```+|~~~+)")
	marker    = regexp.MustCompile(`^<!-- snippet: ([\w.-]+) -->$`)
	reference = regexp.MustCompile(`^ {0,3}\[[^\]]+\]:[ \t]*(\S+)`)
	inline    = regexp.MustCompile(`\]\(([^)\s]+)(?:[ \t]+"[^"]*")?\)`)
	htmlID    = regexp.MustCompile(`<a (?:id|name)="([^"]+)"`)
	codeSpan  = regexp.MustCompile("`+[^`]*`+")
	linkText  = regexp.MustCompile(`\[([^\]]*)\]\([^)]*\)`)
)

// Parse parses a page. A snippet marker must stand alone on the line
// right before the opening fence of its block, and names are unique.
func Parse(text string) (*Page, error) {
	p := &Page{Anchors: map[string]bool{}, Snippets: map[string]string{}}
	seen := map[string]int{}
	lines := strings.Split(text, "\n")
	pending := "" // the snippet named by the line before
	for i := 0; i < len(lines); i++ {
		line := lines[i]
		if m := fence.FindStringSubmatch(line); m != nil {
			var body []string
			closed := false
			for i++; i < len(lines); i++ {
				if strings.HasPrefix(strings.TrimLeft(lines[i], " "), m[1]) && strings.Trim(lines[i], " "+m[1][:1]) == "" {
					closed = true
					break
				}
				body = append(body, lines[i])
			}
			if !closed {
				return nil, fmt.Errorf("line %d: code block not closed", i+1)
			}
			if pending != "" {
				if _, dup := p.Snippets[pending]; dup {
					return nil, fmt.Errorf("snippet %q marked twice", pending)
				}
				p.Snippets[pending] = strings.Join(body, "\n") + "\n"
				pending = ""
			}
			continue
		}
		if pending != "" {
			return nil, fmt.Errorf("line %d: snippet marker %q is not right before a code block", i, pending)
		}
		if m := marker.FindStringSubmatch(line); m != nil {
			pending = m[1]
			continue
		}
		for _, m := range htmlID.FindAllStringSubmatch(line, -1) {
			p.Anchors[m[1]] = true
		}
		if m := heading.FindStringSubmatch(line); m != nil {
			a := Anchor(m[2])
			if n := seen[a]; n > 0 {
				seen[a]++
				a += "-" + strconv.Itoa(n)
			} else {
				seen[a] = 1
			}
			p.Anchors[a] = true
		}
		if m := reference.FindStringSubmatch(line); m != nil {
			p.Links = append(p.Links, Link{Line: i + 1, Target: m[1]})
			continue
		}
		for _, m := range inline.FindAllStringSubmatch(codeSpan.ReplaceAllString(line, ""), -1) {
			p.Links = append(p.Links, Link{Line: i + 1, Target: m[1]})
		}
	}
	if pending != "" {
		return nil, fmt.Errorf("snippet marker %q at the end of the page", pending)
	}
	return p, nil
}

// Anchor returns the anchor GitHub gives a heading with the text h: the
// text as rendered (code spans and links reduced to their text),
// lowercased, with every character other than a letter, a digit, a
// space, a hyphen or an underscore removed, and spaces turned into
// hyphens. Parse numbers repeated anchors (-1, -2, ...).
func Anchor(h string) string {
	h = linkText.ReplaceAllString(h, "$1")
	var b strings.Builder
	for _, r := range strings.ToLower(h) {
		switch {
		case r == ' ':
			b.WriteByte('-')
		case r == '-' || r == '_' || unicode.IsLetter(r) || unicode.IsDigit(r):
			b.WriteRune(r)
		}
	}
	return b.String()
}
