#!/usr/bin/env bash
# Builds golangci-lint v2.15.0 with the bidictxlint module plugin compiled
# in, from the Go module proxy alone: the binary `golangci-lint custom`
# builds from .custom-gcl.yml, for machines that cannot reach GitHub
# (`golangci-lint custom` clones the golangci-lint repository).
#
# Usage: scripts/build-golangci-lint.sh [output]   (default: bin/custom-gcl)
#
# The build is skipped when the output is newer than every input: the
# Go files of this module's packages that the plugin compiles in, go.mod,
# go.sum and this script. A machine that keeps its files (a developer's,
# a CI runner with a cache) builds once; a cold build takes minutes.
set -euo pipefail

version=v2.15.0
module=github.com/bidictxlint/bidictxlint
repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/bin/custom-gcl}
case $out in /*) ;; *) out=$PWD/$out ;; esac

# stale prints the first input newer than the output, if any.
stale() {
	local f dirs
	for f in "$repo/go.mod" "$repo/go.sum" "$repo/scripts/build-golangci-lint.sh"; do
		if [ "$f" -nt "$out" ]; then
			echo "$f"
			return
		fi
	done
	dirs=$(go -C "$repo" list -deps -f "{{if .Module}}{{if eq .Module.Path \"$module\"}}{{.Dir}}{{end}}{{end}}" ./plugin) || true
	if [ -z "$dirs" ]; then
		echo "(go list failed)"
		return
	fi
	# shellcheck disable=SC2086 # one directory a line, no spaces in them
	find $dirs -maxdepth 1 -name '*.go' ! -name '*_test.go' -newer "$out" | head -1
}

if [ -x "$out" ] && [ -z "$(stale)" ]; then
	echo "build-golangci-lint: $out is up to date (delete it to force a rebuild)"
	exit 0
fi

start=$(date +%s)
echo "build-golangci-lint: building golangci-lint $version with bidictxlint into $out"
src=$(go mod download -json "github.com/golangci/golangci-lint/v2@$version" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ ! -d "$src" ]; then
	echo "build-golangci-lint: could not download golangci-lint $version from the module proxy" >&2
	exit 1
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -R "$src/." "$work/"
chmod -R u+w "$work"

# What `golangci-lint custom` writes: a blank import that registers the
# plugin, and a replace directive to this checkout.
cat >"$work/cmd/golangci-lint/plugins.go" <<'GO'
package main

import _ "github.com/bidictxlint/bidictxlint/plugin"
GO

cd "$work"
go mod edit -require="$module@v0.0.0" -replace="$module=$repo"
go mod tidy
mkdir -p "$(dirname "$out")"
go build -trimpath \
	-ldflags "-s -w -X 'main.version=${version#v}-custom-gcl-bidictxlint' -X 'main.date=$(date -u +%Y-%m-%dT%H:%M:%SZ)'" \
	-o "$out" ./cmd/golangci-lint
echo "build-golangci-lint: built $out in $(($(date +%s) - start))s"
