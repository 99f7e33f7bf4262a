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
// catalogue that carries a fix, that the message quotes exactly the code
// the fix writes: every statement the fix inserts and every expression it
// writes in place of another appears verbatim in the message, with the
// fix's own names (rpcCancel2, gctx2, a renamed context import). A
// message that names another cancel func than the fix calls, or a fix
// that names its variables otherwise than the message, fails it.
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
			// A leak or a wrapper is about a connect-go bidi stream by
			// definition; among the others, the close-as-well findings are
			// bidi-needs-close.
			leak := d.Category == "goroutine-leak" || d.Category == "close-only-cancels"
			if closeToo := strings.Contains(d.Message, "on a connect-go bidi stream"); !leak && closeToo != (d.Category == "bidi-needs-close") {
				t.Errorf("%s: category %q for %q: the close-as-well diagnostics are bidi-needs-close, and only they", pos, d.Category, d.Message)
			}
			if err := quotesFix(d.Message, d.SuggestedFixes[0].TextEdits); err != nil {
				t.Errorf("%s: %v\nmessage: %s\nedits:%s", pos, err, d.Message, insertedText(d.SuggestedFixes[0].TextEdits))
			}
		}
	}
	if fixes < 20 {
		t.Errorf("only %d diagnostics with fixes in the catalogue; the test compares too little", fixes)
	}
}

// quotesFix reports how message fails to quote what edits write.
func quotesFix(message string, edits []analysis.TextEdit) error {
	for _, e := range edits {
		text := string(e.NewText)
		if e.Pos != e.End {
			if !regexp.MustCompile(`(^|[^\w])` + regexp.QuoteMeta(text) + `($|[^\w])`).MatchString(message) {
				return fmt.Errorf("the fix writes %q, which the message does not quote", text)
			}
			continue
		}
		for line := range strings.Lines(text) {
			stmt := strings.TrimPrefix(strings.TrimSpace(line), "; ")
			if stmt == "" || strings.HasPrefix(stmt, "import ") || strings.HasPrefix(stmt, `"`) {
				continue // the import of context, which the message need not name
			}
			if !strings.Contains(message, stmt) {
				return fmt.Errorf("the fix inserts %q, which the message does not quote", stmt)
			}
		}
	}
	return nil
}

func insertedText(edits []analysis.TextEdit) string {
	var b strings.Builder
	for _, e := range edits {
		b.WriteString("\n" + string(e.NewText))
	}
	return b.String()
}

// TestQuotesFixCanFail checks that the comparison rejects a message that
// names other code than the fix writes: another cancel func, a renamed
// derived context, a context put in place of another that the message
// does not name.
func TestQuotesFixCanFail(t *testing.T) {
	ins := func(text string) analysis.TextEdit { return analysis.TextEdit{Pos: 10, End: 10, NewText: []byte(text)} }
	rep := func(text string) analysis.TextEdit { return analysis.TextEdit{Pos: 10, End: 13, NewText: []byte(text)} }
	for _, tc := range []struct {
		message string
		edits   []analysis.TextEdit
	}{
		// The message writes cancel where the fix writes rpcCancel.
		{"x; cancel it with context.AfterFunc(gctx, cancel)", []analysis.TextEdit{ins("\n\tcontext.AfterFunc(gctx, rpcCancel)")}},
		// The fix renames rpcCancel.
		{"x; derive rpcCtx, rpcCancel := context.WithCancel(ctx) with defer rpcCancel(), open the stream on rpcCtx and cancel it with context.AfterFunc(gctx, rpcCancel)",
			[]analysis.TextEdit{ins("\trpcCtx, rpcCancel2 := context.WithCancel(ctx)\n\tdefer rpcCancel2()\n"), rep("rpcCtx"), ins("\n\tcontext.AfterFunc(gctx, rpcCancel2)")}},
		// The fix puts another context in place than the message says.
		{"x; it is opened once per loop iteration, so open it under the group's context: pass gctx in place of ctx", []analysis.TextEdit{rep("gctx2")}},
		// The fix registers a func the message does not mention.
		{"x; it is opened once per loop iteration, so open it under the group's context: pass gctx in place of ctx", []analysis.TextEdit{rep("gctx"), ins("\n\tcontext.AfterFunc(gctx, cancel)")}},
	} {
		if err := quotesFix(tc.message, tc.edits); err == nil {
			t.Errorf("quotesFix(%q, %q) = nil, want an error", tc.message, insertedText(tc.edits))
		}
	}
}
