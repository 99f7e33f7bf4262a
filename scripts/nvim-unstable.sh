#!/usr/bin/env bash
# Puts Debian unstable's Neovim (0.12 when written) into bin/, for the
# editor tests of the Neovim 0.11 configuration: no Debian release ships
# Neovim 0.11 or later (Debian 12 has 0.7.2, Debian 13 0.10.4).
#
# Usage: scripts/nvim-unstable.sh [output]   (default: bin/nvim-unstable)
#
# It asks apt, with a configuration of its own (nothing of the system's
# apt state changes, nothing is installed), for the neovim package of
# Debian unstable and every package it depends on, unpacks them into
# output.d/, and writes output, a script that runs that Neovim with the
# unpacked C library and its loader (unstable's Neovim needs a newer C
# library than the system's). Does nothing when output exists; delete it
# to fetch again.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$repo/bin/nvim-unstable}
case $out in /*) ;; *) out=$PWD/$out ;; esac
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ -x "$out" ] && "$out" --headless -u NONE -c 'qa!' >/dev/null 2>&1; then
	echo "nvim-unstable: $out is there (delete it to fetch again)"
	exit 0
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/debs"
echo "deb $mirror sid main" >"$work/sources.list"
apt=(
	-o "Dir::Etc::SourceList=$work/sources.list"
	-o Dir::Etc::SourceParts=/dev/null
	-o "Dir::State::Lists=$work/lists"
	-o "Dir::Cache=$work/cache"
	-o "Dir::Etc::Preferences=/dev/null"
	-o Dir::Etc::PreferencesParts=/dev/null
	-o APT::Sandbox::User=root
)
apt-get "${apt[@]}" -qq update
pkgs=$(apt-cache "${apt[@]}" depends --recurse --no-recommends --no-suggests \
	--no-conflicts --no-breaks --no-replaces --no-enhances neovim | grep -v '^[[:space:]<]' | sort -u)
(cd "$work/debs" && apt-get "${apt[@]}" -qq download $pkgs)

root=$out.d
rm -rf "$root"
mkdir -p "$root"
for deb in "$work"/debs/*.deb; do
	dpkg-deb -x "$deb" "$root"
done
loader=$(find "$root" -name 'ld-linux-x86-64.so.2' -path '*lib64*' | head -1)
[ -n "$loader" ] || loader=$(find "$root" -name 'ld-linux-*.so.*' | head -1)
if [ -z "$loader" ]; then
	echo "nvim-unstable: no dynamic loader in unstable's libc6" >&2
	exit 1
fi
libs=$(find "$root" -name 'libc.so.6' -printf '%h\n' | head -1)
mkdir -p "$(dirname "$out")"
cat >"$out" <<SH
#!/bin/sh
# Debian unstable's Neovim, unpacked by scripts/nvim-unstable.sh.
VIMRUNTIME=$root/usr/share/nvim/runtime
export VIMRUNTIME
exec $loader --library-path $libs $root/usr/bin/nvim "\$@"
SH
chmod +x "$out"
"$out" --version | sed -n 1p
