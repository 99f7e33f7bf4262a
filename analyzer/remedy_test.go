package analyzer_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

// TestMessageNamesTheFix checks, for every diagnostic of the fix
// catalogue that carries a fix, that what the message tells the user to
// write is what the fix inserts: the same wiring statement, the same
// derived context, the same group creation. The message names the code's
// own names and says "cancel" and "gctx" for those the fix introduces, so
// the fix's fresh names (rpcCancel2, gctx2, a renamed context import) are
// mapped back before comparing.
func TestMessageNamesTheFix(t *testing.T) {
	var results []*analysistest.Result
	results = append(results, analysistest.Run(t, testdata(t), analyzer.Analyzer, fixPackages...)...)
	results = append(results, analysistest.Run(t, realModules(t), analyzer.Analyzer, "./fixes/...")...)
	results = append(results, analysistest.Run(t, testdata(t)+"/go1.20", analyzer.Analyzer, "./...")...)
	fixes := 0
	for _, res := range results {
		for _, d := range res.Diagnostics {
			if len(d.SuggestedFixes) == 0 {
				continue
			}
			fixes++
			pos := res.Pass.Fset.Position(d.Pos)
			if closeToo := strings.Contains(d.Message, "on a connect-go bidi stream"); closeToo != (d.Category == "bidi-needs-close") {
				t.Errorf("%s: category %q for %q: the close-as-well diagnostics are bidi-needs-close, and only they", pos, d.Category, d.Message)
			}
			if err := sameRemedy(d.Message, d.SuggestedFixes[0].TextEdits); err != nil {
				t.Errorf("%s: %v\nmessage: %s\nedits:%s", pos, err, d.Message, insertedText(d.SuggestedFixes[0].TextEdits))
			}
		}
	}
	if fixes < 20 {
		t.Errorf("only %d diagnostics with fixes in the catalogue; the test compares too little", fixes)
	}
}

var (
	afterFuncWords = regexp.MustCompile(`(?:with |done: )(context\.AfterFunc\(.*\))$`)
	addCloseWords  = regexp.MustCompile(`in the func that runs when \w+ is done: (.*)$`)
	watcherWords   = regexp.MustCompile(`with a goroutine that waits on (\w+)\.Done\(\) and calls (.*)$`)
	deriveWords    = regexp.MustCompile(`derive (.+?) with context\.WithCancel`)
	createWords    = regexp.MustCompile(`create (\w+) with errgroup\.WithContext`)
	swapWords      = regexp.MustCompile(`pass (\w+) in place of ([^,]+)(?:, and close it when \w+ is done: (.*))?$`)
	introduced     = regexp.MustCompile(`\b(rpcCancel\d*|gctx\d*)\b`)
	ctxImport      = regexp.MustCompile(`(\w+)\.AfterFunc\(|<-\w+\.Done\(\)`)
)

// sameRemedy compares what message says to write with what edits insert.
func sameRemedy(message string, edits []analysis.TextEdit) error {
	inserted := insertedText(edits)
	// The wiring statement, as the message writes it.
	var want string
	if m := swapWords.FindStringSubmatch(message); m != nil {
		if err := sameSwap(m[1], m[3], message, edits); err != nil {
			return err
		}
	} else if m := watcherWords.FindStringSubmatch(message); m != nil {
		body := m[2] + "()"
		if inner, ok := strings.CutPrefix(m[2], "func() { "); ok {
			body = strings.TrimSuffix(inner, " }")
		}
		want = fmt.Sprintf("go func() { <-%s.Done(); %s }()", m[1], body)
	} else if m := afterFuncWords.FindStringSubmatch(message); m != nil {
		want = m[1]
	} else if m := addCloseWords.FindStringSubmatch(message); m != nil {
		want = m[1]
	} else {
		return fmt.Errorf("the message names no wiring")
	}
	got := normalize(inserted, message)
	// A fix that completes an existing context.AfterFunc inserts only the
	// func it now runs, which the message's statement holds.
	if want != "" && !strings.Contains(got, normalize(want, message)) && !(len(edits) == 1 && strings.Contains(want, strings.TrimSpace(got))) {
		return fmt.Errorf("the fix does not insert the wiring the message names: %s", want)
	}
	if m := deriveWords.FindStringSubmatch(message); m != nil {
		if m[1] == "the stream's context" { // an expression, named in words
			m[1] = ""
		}
		if !strings.Contains(got, "context.WithCancel("+m[1]) {
			return fmt.Errorf("the message derives %s with context.WithCancel, the fix does not", m[1])
		}
	} else if strings.Contains(got, ".WithCancel(") {
		return fmt.Errorf("the fix derives a context the message does not mention")
	}
	if m := createWords.FindStringSubmatch(message); m != nil {
		if !strings.Contains(got, m[1]+", gctx := errgroup.WithContext(") {
			return fmt.Errorf("the message creates %s with errgroup.WithContext, the fix does not", m[1])
		}
	} else if strings.Contains(got, ".WithContext(") {
		return fmt.Errorf("the fix creates a group the message does not mention")
	}
	return nil
}

// sameSwap checks a fix that opens the stream under the group's context:
// one edit writes the group's context, gctx, in place of another context
// expression, and the fix registers nothing but the close the message
// names (closing), if any.
func sameSwap(gctx, closing, message string, edits []analysis.TextEdit) error {
	swapped := false
	for _, e := range edits {
		if e.End > e.Pos && normalize(string(e.NewText), message) == gctx {
			swapped = true
		}
	}
	if !swapped {
		return fmt.Errorf("the fix does not put %s in place of a context", gctx)
	}
	inserted := insertedText(edits)
	if closing != "" {
		if !strings.Contains(normalize(inserted, message), closing) {
			return fmt.Errorf("the fix does not register the close the message names: %s", closing)
		}
		inserted = strings.Replace(normalize(inserted, message), closing, "", 1)
	}
	if strings.Contains(inserted, "AfterFunc") || strings.Contains(inserted, "Done()") {
		return fmt.Errorf("the fix registers a func the message does not mention")
	}
	return nil
}

// normalize maps the names a fix introduces back to the message's
// placeholders, and the file's name for package context to "context".
func normalize(text, message string) string {
	if strings.Contains(message, "derive ") {
		text = introduced.ReplaceAllStringFunc(text, func(s string) string {
			if strings.HasPrefix(s, "rpcCancel") {
				return "cancel"
			}
			return s
		})
	}
	text = regexp.MustCompile(`\bgctx\d+\b`).ReplaceAllString(text, "gctx")
	if m := ctxImport.FindStringSubmatch(text); m != nil && m[1] != "" && m[1] != "context" {
		text = regexp.MustCompile(`\b`+m[1]+`\.`).ReplaceAllString(text, "context.")
	}
	return text
}

func insertedText(edits []analysis.TextEdit) string {
	var b strings.Builder
	for _, e := range edits {
		b.WriteString("\n" + string(e.NewText))
	}
	return b.String()
}

// TestSameRemedyCanFail checks that the comparison of a message with its
// fix rejects a fix that differs from what the message says, for each
// form of message.
func TestSameRemedyCanFail(t *testing.T) {
	ins := func(text string) analysis.TextEdit { return analysis.TextEdit{Pos: 10, End: 10, NewText: []byte(text)} }
	rep := func(text string) analysis.TextEdit { return analysis.TextEdit{Pos: 10, End: 13, NewText: []byte(text)} }
	for _, tc := range []struct {
		message string
		edits   []analysis.TextEdit
	}{
		{"x; cancel it with context.AfterFunc(gctx, cancel)", []analysis.TextEdit{ins("context.AfterFunc(gctx, stop)")}},
		{"x; derive ctx with context.WithCancel and cancel it with context.AfterFunc(gctx, cancel)", []analysis.TextEdit{ins("context.AfterFunc(gctx, rpcCancel)")}},
		{"x; it is opened once per loop iteration, so open it under the group's context: pass gctx in place of ctx", []analysis.TextEdit{rep("ctx2")}},
		{"x; it is opened once per loop iteration, so open it under the group's context: pass gctx in place of ctx", []analysis.TextEdit{rep("gctx"), ins("context.AfterFunc(gctx, cancel)")}},
		{"x; it is opened once per loop iteration, so open it under the group's context: pass gctx in place of ctx", []analysis.TextEdit{ins("gctx")}},
	} {
		if err := sameRemedy(tc.message, tc.edits); err == nil {
			t.Errorf("sameRemedy(%q, %q) = nil, want an error", tc.message, insertedText(tc.edits))
		}
	}
}
