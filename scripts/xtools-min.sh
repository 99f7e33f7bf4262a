#!/usr/bin/env bash
# Finds the lowest golang.org/x/tools release that this module's code
# needs: the lowest one with which the analyzer, the command and the
# plugin build and `go test ./analyzer/` passes, on a scratch copy of the
# checkout. go.mod's requirement should be that version, no higher: every
# tool that compiles the analyzer in (gopls, golangci-lint) pins its own
# x/tools, and MVS would raise theirs to our minimum.
#
# Usage: scripts/xtools-min.sh [lowest-candidate]   (default: v0.30.0)
#
# It bisects the tagged releases from the candidate up to the one go.mod
# requires (each try builds x/tools and runs the analyzer's tests: a
# minute or two), assuming that what builds and passes with one release
# does with every later one. Nothing in the checkout is changed.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
low=${1:-v0.30.0}
current=$(go -C "$repo" list -m -f '{{.Version}}' golang.org/x/tools)

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tar -C "$repo" --exclude=./.git --exclude=./bin --exclude=./bench/out -cf - . | tar -C "$work" -xf -

# The tagged releases from low to current, in order.
mapfile -t versions < <(go -C "$work" list -m -versions golang.org/x/tools | tr ' ' '\n' |
	grep -E '^v[0-9]+\.[0-9]+\.[0-9]+$' |
	awk -v low="$low" -v cur="$current" '
		function key(v,  p) { split(substr(v, 2), p, "."); return p[1] * 1e6 + p[2] * 1e3 + p[3] }
		key($0) >= key(low) && key($0) <= key(cur)')
if [ "${#versions[@]}" -eq 0 ]; then
	echo "xtools-min: no release between $low and $current" >&2
	exit 1
fi

# direct prints the current directory's direct requirements, one a line.
direct() {
	go mod edit -json | awk '/"Require"/{r=1} r&&/"Path"/{p=$2} r&&/"Version"/{v=$2} r&&/"Indirect"/{i=1}
		r&&/^[[:space:]]*}/{if(p!=""&&!i)print p" "v; p="";v="";i=0} /^[[:space:]]*\]/{r=0}' | tr -d '",'
}

# direct_except prints the checkout's direct requirements with x/tools
# at version $1.
direct_except() {
	(cd "$repo" && direct) | sed "s|^golang.org/x/tools .*|golang.org/x/tools $1|"
}

# try reports whether the code builds and the analyzer's tests pass with
# x/tools at version $1.
try() {
	local log=$work/try-$1.log
	cp "$repo/go.mod" "$repo/go.sum" "$work/"
	# go mod tidy would raise x/tools again to provide a package that the
	# tried version lacks, and go get lowers the other requirements that
	# need a newer x/tools: both make the try fail.
	if (cd "$work" && go get "golang.org/x/tools@$1" && go mod tidy &&
		[ "$(direct)" = "$(direct_except "$1")" ] &&
		go build ./analyzer/ ./cmd/... ./plugin/ && go vet ./analyzer/ &&
		go test -count=1 ./analyzer/) >"$log" 2>&1; then
		echo "xtools-min: $1 ok"
		return 0
	fi
	echo "xtools-min: $1 fails:"
	if [ "$(cd "$work" && direct)" != "$(direct_except "$1")" ]; then
		diff <(direct_except "$1") <(cd "$work" && direct) | sed -n 's/^> /	requirements became: /p'
	fi
	grep -v '^go: \(downloading\|upgraded\|downgraded\|added\|removed\|finding\|found\)' "$log" | head -5 | sed 's/^/	/'
	return 1
}

# Bisect: versions[hi] is known good (go.mod's own), versions[lo] is not
# yet known.
lo=0
hi=$((${#versions[@]} - 1))
if try "${versions[lo]}"; then
	hi=0
fi
while [ $((hi - lo)) -gt 1 ]; do
	mid=$(((lo + hi) / 2))
	if try "${versions[mid]}"; then
		hi=$mid
	else
		lo=$mid
	fi
done
echo "xtools-min: lowest golang.org/x/tools release that works: ${versions[hi]} (go.mod requires $current)"
