package analyzer

import "golang.org/x/tools/go/analysis"

func run(pass *analysis.Pass, s Settings) (any, error) { return nil, nil }
