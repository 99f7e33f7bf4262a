#!/usr/bin/env bash
# Builds gopls with bidictxlint added to its analyzers, from the Go module
# proxy alone. gopls loads no third-party analyzers (golang/go#59869) but
# it is a Go module: one added file in its internal/settings package
# appends bidictxlint to AllAnalyzers, and the resulting gopls shows the
# diagnostics, and offers the fix as a quick fix, in every LSP editor.
#
# Usage: scripts/build-gopls.sh [output]   (default: bin/gopls-bidictxlint)
#
# It builds the newest gopls release the project is tested with, below;
# GOPLS_VERSION=v0.x.y builds another. To move to a newer release, change
# `version` and run the BIDICTXLINT_GOPLS tests. gopls uses x/tools
# internals, so it is built against the x/tools version its own go.mod
# pins, which the script reads from that go.mod: nothing else to change.
#
# The build is skipped when the output is newer than every input: the
# Go files of this module's packages that gopls compiles in, go.mod,
# go.sum and this script. A cold build takes minutes.
set -euo pipefail

version=${GOPLS_VERSION:-v0.24.0}
# gopls v0.24.0 requires Go 1.27: let the go command fetch the toolchain
# that gopls's go.mod asks for (the golang.org/toolchain module, from the
# module proxy) when the local one is older.
export GOTOOLCHAIN=auto
module=github.com/bidictxlint/bidictxlint
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/bin/gopls-bidictxlint}
case $out in /*) ;; *) out=$PWD/$out ;; esac

# stale prints the first input newer than the output, if any, or says
# that the output is another gopls version.
stale() {
	local f dirs
	if [ "$(cat "$out.version" 2>/dev/null)" != "$version" ]; then
		echo "(not gopls $version)"
		return
	fi
	for f in "$repo/go.mod" "$repo/go.sum" "$repo/scripts/build-gopls.sh"; do
		if [ "$f" -nt "$out" ]; then
			echo "$f"
			return
		fi
	done
	dirs=$(go -C "$repo" list -deps -f "{{if .Module}}{{if eq .Module.Path \"$module\"}}{{.Dir}}{{end}}{{end}}" ./analyzer) || true
	if [ -z "$dirs" ]; then
		echo "(go list failed)"
		return
	fi
	# shellcheck disable=SC2086 # one directory a line, no spaces in them
	find $dirs -maxdepth 1 -name '*.go' ! -name '*_test.go' -newer "$out" | head -1
}

if [ -x "$out" ] && [ -z "$(stale)" ]; then
	echo "build-gopls: $out is up to date (delete it to force a rebuild)"
	exit 0
fi

start=$(date +%s)
echo "build-gopls: building gopls $version with bidictxlint into $out"
src=$(go mod download -json "golang.org/x/tools/gopls@$version" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ ! -d "$src" ]; then
	echo "build-gopls: could not download gopls $version from the module proxy" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$src/." "$work/"
chmod -R u+w "$work"

# The one added file. BIDICTXLINT_FLAGS, read once when gopls starts,
# reaches the analyzer's own flags (-grpc, -server), which gopls's
# settings cannot; a bad value stops gopls with the error, so that a typo
# cannot silently change what is checked.
cat >"$work/internal/settings/bidictxlint.go" <<'GO'
package settings

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/bidictxlint/bidictxlint/analyzer"
)

func init() {
	a := analyzer.Analyzer
	if flags := strings.Fields(os.Getenv("BIDICTXLINT_FLAGS")); len(flags) > 0 {
		a = analyzer.New(analyzer.DefaultSettings())
		a.Flags.Init(analyzer.Name, flag.ContinueOnError)
		a.Flags.SetOutput(os.Stderr)
		err := a.Flags.Parse(flags)
		if err == nil && a.Flags.NArg() > 0 {
			err = fmt.Errorf("unexpected argument %q", a.Flags.Arg(0))
		}
		if err != nil {
			fmt.Fprintf(os.Stderr, "gopls: BIDICTXLINT_FLAGS=%q: %v\n", os.Getenv("BIDICTXLINT_FLAGS"), err)
			os.Exit(2)
		}
	}
	AllAnalyzers = append(AllAnalyzers, &Analyzer{analyzer: a})
}
GO

cd "$work"
# gopls's own x/tools pin: a newer x/tools, which MVS would pick from
# this module's requirement, breaks the internals gopls uses.
tools=$(go mod edit -json | sed -n '/"Path": "golang.org\/x\/tools"/{n;s/^[[:space:]]*"Version": "\(.*\)".*$/\1/p;}' | head -1)
if [ -z "$tools" ]; then
	echo "build-gopls: no golang.org/x/tools requirement in gopls $version's go.mod" >&2
	exit 1
fi
echo "build-gopls: golang.org/x/tools pinned to $tools, as gopls $version's go.mod requires"
go mod edit -require="$module@v0.0.0" -replace="$module=$repo" -replace="golang.org/x/tools=golang.org/x/tools@$tools"
go mod tidy
mkdir -p "$(dirname "$out")"
go build -trimpath -o "$out" .
# The binary is built from a copy, so its build info says (devel): the
# version it was built from is kept beside it.
echo "$version" >"$out.version"
echo "build-gopls: built $out in $(($(date +%s) - start))s"
