package analyzer

import "golang.org/x/tools/go/analysis"

// fix returns the suggested fix for a diagnostic, or nil.
func (c *checker) fix(u *use, g *group) *analysis.SuggestedFix { return nil }
