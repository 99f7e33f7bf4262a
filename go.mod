module github.com/bidictxlint/bidictxlint

go 1.26.0

require (
	github.com/golangci/plugin-module-register v0.1.2
	golang.org/x/mod v0.33.0
	golang.org/x/tools v0.42.0
)

require golang.org/x/sync v0.19.0 // indirect
