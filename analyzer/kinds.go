package analyzer

import "slices"

// The kinds of finding. Each ID is the Category of its diagnostics (which
// editors show as bidictxlint(ID)), the anchor of its section in
// docs/checks.md, and what a //bidictxlint:ignore directive names.
const (
	kindUncancelledStream = "uncancelled-stream"
	kindReassignedContext = "reassigned-context"
	kindBidiNeedsClose    = "bidi-needs-close"
	kindHandlerReceive    = "handler-receive"
	kindWaitHang          = "wait-hang"
	kindGoroutineLeak     = "goroutine-leak"
	kindCloseOnlyCancels  = "close-only-cancels"
	kindUnusedDirective   = "unused-directive"
	kindBadDirective      = "bad-directive"
)

// ChecksURL is the page with one section per kind of finding; a kind's
// URL is this page with the kind's ID as anchor.
const ChecksURL = "https://github.com/bidictxlint/bidictxlint/blob/main/docs/checks.md"

// A Kind is a kind of finding, documented as data: the table below is
// what docs/checks.md must say (analyzer/kinds_test.go holds one against
// the other).
type Kind struct {
	// ID is the diagnostics' Category and the section's heading.
	ID string
	// Title is the section's first line, in bold.
	Title string
	// Since is the first version that reports the kind.
	Since string
	// Fix reports whether some findings of the kind carry a suggested
	// fix; the others are described in docs/fixes.md.
	Fix bool
	// Directive marks the kinds about a suppression directive rather
	// than the code: a directive cannot silence them.
	Directive bool
}

// URL is the address of the kind's section in docs/checks.md.
func (k Kind) URL() string { return kindURL(k.ID) }

func kindURL(id string) string { return ChecksURL + "#" + id }

var kinds = []Kind{
	{
		ID:    kindUncancelledStream,
		Title: "Stream in an errgroup task that the group cannot cancel",
		Since: "v0.1.0",
		Fix:   true,
	},
	{
		ID:    kindReassignedContext,
		Title: "Stream opened with a context whose name later became the group's",
		Since: "v0.1.0",
		Fix:   true,
	},
	{
		ID:    kindBidiNeedsClose,
		Title: "connect-go bidi stream cancelled with the group but not closed",
		Since: "v0.1.0",
		Fix:   true,
	},
	{
		ID:    kindHandlerReceive,
		Title: "Handler stream received in a task the handler waits for",
		Since: "v0.1.0",
	},
	{
		ID:    kindWaitHang,
		Title: "Stream in a sync.WaitGroup goroutine or conc task that nothing frees when the function stops",
		Since: "v0.1.0",
	},
	{
		ID:    kindGoroutineLeak,
		Title: "Goroutine blocked on a stream that its function returns without freeing",
		Since: "v0.1.0",
		Fix:   true,
	},
	{
		ID:    kindCloseOnlyCancels,
		Title: "Closing method of a stream wrapper that cancels but does not close",
		Since: "v0.1.0",
		Fix:   true,
	},
	{
		ID:        kindUnusedDirective,
		Title:     "Suppression directive that silences nothing",
		Since:     "v0.1.0",
		Directive: true,
	},
	{
		ID:        kindBadDirective,
		Title:     "Suppression directive that cannot be read",
		Since:     "v0.1.0",
		Directive: true,
	},
}

// Kinds returns the kinds of finding, in the order of docs/checks.md.
func Kinds() []Kind { return slices.Clone(kinds) }

// kindOf returns the kind with the given ID.
func kindOf(id string) (Kind, bool) {
	i := slices.IndexFunc(kinds, func(k Kind) bool { return k.ID == id })
	if i < 0 {
		return Kind{}, false
	}
	return kinds[i], true
}
