#!/usr/bin/env bash
# bench/run.sh: speed and memory of bidictxlint against its targets.
#
#   bench/run.sh [all|cmd|analysis|micro|fix]  (default: all)
#
#   cmd       wall time and peak RSS of the built command over ./... (tests
#             included) of google.golang.org/grpc v1.85.0, connectrpc.com/connect
#             v1.21.1 and a generated package of BENCH_SYNTH functions, against a
#             baseline command (same driver, an analyzer that only requires
#             inspect): median of BENCH_RUNS runs (default 9) after a warm-up.
#             Targets (on the two real modules; the generated package is a
#             stress case printed as "info"): wall <= 1.03x, RSS <= 1.05x.
#   analysis  time spent in the analyzer's own actions (sequential checker, as
#             with -debug=tp) against lostcancel on the same packages.
#             Target: bidictxlint <= 0.25x lostcancel (real modules).
#   micro     BenchmarkAnalyzer (analyzer/bench_test.go) at N = 1000..8000
#             generated functions, each iteration on the next of several
#             type-checked copies (8000 functions in all) after evicting the
#             CPU caches, as a driver meets packages: never warm from the
#             previous iteration. Median time
#             and memory ratio per doubling of N over BENCH_MICRO_COUNT runs,
#             and the time ratio per doubling fitted over all samples.
#             Target <= 2.2x (time: the fit; memory: each doubling). Printed beside it for reference: the same on
#             one copy repeated (BenchmarkAnalyzerRepeat) and lostcancel's
#             ratio on the same copies (BenchmarkLostcancel).
#   fix       BenchmarkApplyFixes and BenchmarkFixDiff (cmd/bidictxlint): -fix
#             and -fix -diff on one file with N = 1000..8000 fixable findings,
#             the analysis done before the timer. Median time and memory ratio
#             per doubling, and the time ratio fitted over all samples.
#             Target <= 2.2x. Not part of "all".
#
# Environment: BENCH_RUNS (9), BENCH_SYNTH (4000), BENCH_MICRO_COUNT (5),
# BENCH_KEEP=1 keeps the work directory. Needs the Go module proxy (or a warm module cache) for the
# two real modules and their dependencies. Runs one job at a time, with
# go build -p 1, so that it can share a machine.
set -euo pipefail

what=${1:-all}
RUNS=${BENCH_RUNS:-9}
SYNTH=${BENCH_SYNTH:-4000}
MICRO_COUNT=${BENCH_MICRO_COUNT:-5}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export GOFLAGS="${GOFLAGS:-$(go env GOFLAGS)} -p=1"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/bidictxlint-bench.XXXXXX")
cleanup() {
	if [ "${BENCH_KEEP:-}" = 1 ]; then
		echo "work directory kept: $WORK"
	else
		chmod -R u+w "$WORK" 2>/dev/null || true
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT
BIN=$WORK/bin
mkdir -p "$BIN" "$WORK/mods"

say() { printf '\n== %s\n' "$*"; }

build() {
	say "building (go build -p 1)"
	(cd "$ROOT" &&
		go build -o "$BIN/bidictxlint" ./cmd/bidictxlint &&
		go build -o "$BIN/baseline" ./bench/baseline &&
		go build -o "$BIN/cmp" ./bench/cmp &&
		go build -o "$BIN/anatime" ./bench/anatime &&
		go build -o "$BIN/gen" ./bench/gen)
}

# modules: copies of the real modules (from the module cache), with their
# own dependencies downloaded, and the generated module.
MODS=()
modules() {
	say "preparing modules in $WORK/mods"
	local m dir name
	for m in google.golang.org/grpc@v1.85.0 connectrpc.com/connect@v1.21.1; do
		dir=$(cd "$WORK" && go mod download -json "$m" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
		if [ -z "$dir" ] || [ ! -d "$dir" ]; then
			echo "go mod download $m: no directory" >&2
			exit 1
		fi
		name=${m%@*}
		name=${name##*/}
		cp -r "$dir" "$WORK/mods/$name"
		chmod -R u+w "$WORK/mods/$name"
		(cd "$WORK/mods/$name" && go mod download)
		MODS+=("$name")
		echo "$m -> mods/$name"
	done
	"$BIN/gen" -n "$SYNTH" -o "$WORK/mods/synth$SYNTH" >/dev/null
	MODS+=("synth$SYNTH")
	echo "generated package of $SYNTH functions -> mods/synth$SYNTH"
}

need_time() {
	if ! command -v /usr/bin/time >/dev/null; then
		echo "installing GNU time"
		if [ "$(id -u)" = 0 ]; then
			apt-get update -qq && apt-get install -y -qq time >/dev/null
		else
			sudo apt-get update -qq && sudo apt-get install -y -qq time >/dev/null
		fi
	fi
}

# once BIN DIR: one run of BIN ./... in DIR; prints "wall_seconds rss_kb".
# Exit status 3 means diagnostics were found: not a failure.
# once BIN DIR: one run of BIN ./... in DIR; prints "seconds peak-RSS-KB".
# The wall time comes from the shell's nanosecond clock (time(1)'s %e has
# a 10 ms resolution, 3% of the connect module's run), the RSS from time.
once() {
	local bin=$1 dir=$2 rc=0 t0 t1
	t0=$(date +%s%N)
	(cd "$dir" && /usr/bin/time -f '%M' -o "$WORK/time.out" "$bin" ./... >"$WORK/run.out" 2>&1) || rc=$?
	t1=$(date +%s%N)
	if [ "$rc" != 0 ] && [ "$rc" != 3 ]; then
		echo "$(basename "$bin") ./... in $dir: exit status $rc" >&2
		tail -20 "$WORK/run.out" >&2
		exit 1
	fi
	echo "$(awk -v d=$((t1 - t0)) 'BEGIN {printf "%.3f", d/1e9}') $(tail -1 "$WORK/time.out")"
}

median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

# verdict VALUE TARGET: PASS when VALUE <= TARGET.
verdict() { awk -v v="$1" -v t="$2" 'BEGIN {print (v <= t) ? "PASS" : "FAIL"}'; }

# The generated package is a stress case: every one of its functions is
# stream and errgroup code that the analyzer must examine, so it costs
# more than lostcancel's scan there by design. The targets are set on the
# real modules; its rows print "info" for watching trends.
stress() { case $1 in synth*) return 0 ;; *) return 1 ;; esac; }

# target T: the target column, "<=T" or "-".
target() { if [ "$1" = - ]; then echo -; else echo "<=$1"; fi; }

cmd_bench() {
	say "command: median of $RUNS runs over ./... (tests included), after a warm-up"
	printf '%-10s %10s %10s %7s %7s %5s   %12s %12s %7s %7s %5s\n' \
		module "wall(s)" "base(s)" ratio target "" "RSS(MB)" "base(MB)" ratio target ""
	local name dir i w r out
	for name in "${MODS[@]}"; do
		dir=$WORK/mods/$name
		once "$BIN/baseline" "$dir" >/dev/null # warm-up: go list, export data
		once "$BIN/bidictxlint" "$dir" >/dev/null
		: >"$WORK/lint.t"
		: >"$WORK/base.t"
		for i in $(seq "$RUNS"); do # interleaved, so that drift hits both
			once "$BIN/baseline" "$dir" >>"$WORK/base.t"
			once "$BIN/bidictxlint" "$dir" >>"$WORK/lint.t"
		done
		local lw bw lr br wr rr
		lw=$(cut -d' ' -f1 "$WORK/lint.t" | median)
		bw=$(cut -d' ' -f1 "$WORK/base.t" | median)
		lr=$(cut -d' ' -f2 "$WORK/lint.t" | median)
		br=$(cut -d' ' -f2 "$WORK/base.t" | median)
		wr=$(awk -v a="$lw" -v b="$bw" 'BEGIN {printf "%.3f", a/b}')
		rr=$(awk -v a="$lr" -v b="$br" 'BEGIN {printf "%.3f", a/b}')
		local wt=1.03 rt=1.05 wv rv
		wv=$(verdict "$wr" $wt)
		rv=$(verdict "$rr" $rt)
		if stress "$name"; then wt=- rt=- wv=info rv=info; fi
		printf '%-10s %10.3f %10.3f %7s %7s %5s   %12.1f %12.1f %7s %7s %5s\n' \
			"$name" "$lw" "$bw" "$wr" "$(target "$wt")" "$wv" \
			"$(awk -v k="$lr" 'BEGIN {print k/1024}')" "$(awk -v k="$br" 'BEGIN {print k/1024}')" \
			"$rr" "$(target "$rt")" "$rv"
		echo "  raw bidictxlint (s KB): $(tr '\n' ';' <"$WORK/lint.t")"
		echo "  raw baseline    (s KB): $(tr '\n' ';' <"$WORK/base.t")"
	done
}

# godur: Go duration strings (as -debug=t prints them) to milliseconds.
godur='function ms(d,  n, u, t) {
	t = 0
	while (match(d, /^[0-9.]+(ns|us|µs|ms|s|m|h)/)) {
		n = substr(d, 1, RLENGTH); d = substr(d, RLENGTH + 1)
		u = n; sub(/^[0-9.]+/, "", u); sub(/[a-zµ]+$/, "", n)
		if (u == "ns") t += n / 1e6; else if (u == "us" || u == "µs") t += n / 1e3
		else if (u == "ms") t += n; else if (u == "s") t += n * 1e3
		else if (u == "m") t += n * 6e4; else if (u == "h") t += n * 3.6e6
	}
	return t
}'

analysis_bench() {
	say "analysis time per analyzer (sequential checker, median of $RUNS runs, all packages)"
	printf '%-10s %14s %14s %8s %8s %5s   %18s %8s\n' module "bidictxlint(ms)" "lostcancel(ms)" ratio target "" "+ctrlflow(roots)" ratio
	local name dir b l c r r2
	for name in "${MODS[@]}"; do
		dir=$WORK/mods/$name
		(cd "$dir" && "$BIN/anatime" -reps "$RUNS" ./... >"$WORK/ana.out" 2>"$WORK/ana.err") || {
			echo "anatime in $dir failed:" >&2
			tail -20 "$WORK/ana.err" >&2
			exit 1
		}
		b=$(awk '$1=="bidictxlint" {print $2/1e6}' "$WORK/ana.out")
		l=$(awk '$1=="lostcancel" {print $2/1e6}' "$WORK/ana.out")
		c=$(awk '$1=="ctrlflow(roots)" {print $2/1e6}' "$WORK/ana.out")
		r=$(awk -v a="$b" -v b="$l" 'BEGIN {printf "%.3f", (b > 0) ? a/b : 999}')
		r2=$(awk -v a="$b" -v b="$l" -v c="$c" 'BEGIN {printf "%.3f", (b+c > 0) ? a/(b+c) : 999}')
		local at=0.25 av
		av=$(verdict "$r" $at)
		if stress "$name"; then at=- av=info; fi
		printf '%-10s %14.1f %14.1f %8s %8s %5s   %18.1f %8s\n' "$name" "$b" "$l" "$r" "$(target "$at")" "$av" "$(awk -v a="$l" -v c="$c" 'BEGIN {print a+c}')" "$r2"
		echo "  ($(head -1 "$WORK/ana.err"))"

		# The same from the driver itself: -debug=tp prints the actions
		# that make up 90% of the total time, longest first; the rest is
		# "all others", so these sums are lower bounds.
		(cd "$dir" && "$BIN/cmp" -debug=tp ./... >/dev/null 2>"$WORK/tp.out") || true
		awk "$godur"'
			$2 ~ /^bidictxlint@/ {b += ms($1); nb++}
			$2 ~ /^lostcancel@/  {l += ms($1); nl++}
			$2 == "all" && $3 == "others" {o = ms($1)}
			END {printf "  -debug=tp (listed actions only): bidictxlint %.1f ms in %d actions, lostcancel %.1f ms in %d actions, all others %.1f ms\n", b, nb, l, nl, o}
		' "$WORK/tp.out"
	done
}

micro_bench() {
	say "BenchmarkAnalyzer (analyzer's Run only, generated package of N functions, copies in turn, caches evicted), median of $MICRO_COUNT; beside it the same on one copy repeated, and go vet's lostcancel (+ctrlflow) on the same copies"
	(cd "$ROOT" && go test -p 1 -run '^$' -bench 'BenchmarkAnalyzer|BenchmarkLostcancel' -benchmem -count "$MICRO_COUNT" ./analyzer) | tee "$WORK/micro.out" | grep '^Benchmark'
	awk '
		function median(list,   a, n, i, j, t) {
			n = split(list, a, " ")
			for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
			return (n % 2) ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
		}
		# slope(b): 2^(least-squares slope of log2 ns/op against log2 N).
		function slope(b,   i, j, n, a, x, y, sx, sy, sxx, sxy, c) {
			for (i = 1; i <= k; i++) {
				n = split(t[b, order[i]], a, " ")
				for (j = 1; j <= n; j++) {
					x = log(order[i]) / log(2); y = log(a[j]) / log(2)
					sx += x; sy += y; sxx += x * x; sxy += x * y; c++
				}
			}
			if (c < 2 || c * sxx == sx * sx) return 0
			return 2 ^ ((c * sxy - sx * sy) / (c * sxx - sx * sx))
		}
		/^Benchmark(Analyzer|AnalyzerRepeat|Lostcancel)\/N=/ {
			split($1, p, "="); n = p[2]; sub(/-.*/, "", n)
			b = $1; sub(/\/.*/, "", b)
			if (!(n in seen)) { seen[n] = 1; order[++k] = n }
			t[b, n] = t[b, n] " " $3
			if (b == "BenchmarkAnalyzer") m[n] = m[n] " " $5
		}
		END {
			for (i = 1; i <= k; i++) {
				n = order[i]
				ns[i] = median(t["BenchmarkAnalyzer", n]); by[i] = median(m[n])
				rp[i] = median(t["BenchmarkAnalyzerRepeat", n]); lc[i] = median(t["BenchmarkLostcancel", n])
			}
			printf "%-16s %9s %7s %7s %5s %9s %7s %7s %5s %14s %14s\n", "N", "ms/op", "ratio", "target", "", "MB/op", "ratio", "target", "", "repeat ratio", "lostcancel"
			for (i = 1; i <= k; i++) {
				if (i == 1) {
					printf "%-16s %9.1f %7s %7s %5s %9.1f %7s %7s %5s %14s %14s\n", order[i], ns[i]/1e6, "-", "", "", by[i]/1048576, "-", "", "", "-", "-"
					continue
				}
				r = ns[i]/ns[i-1]; rb = by[i]/by[i-1]
				rr = (rp[i] && rp[i-1]) ? sprintf("%.2f (info)", rp[i]/rp[i-1]) : "?"
				l = (lc[i] && lc[i-1]) ? sprintf("%.2f", lc[i]/lc[i-1]) : "?"
				printf "%-16s %9.1f %7.2f %7s %5s %9.1f %7.2f %7s %5s %14s %14s\n", order[i-1] " -> " order[i], ns[i]/1e6, r, "", "", by[i]/1048576, rb, "<=2.2", (rb <= 2.2) ? "PASS" : "FAIL", rr, l
			}
			# The growth per doubling fitted over every sample of every size
			# (least squares on log time against log N): one step'"'"'s median
			# moves by up to 15% from run to run on a shared machine, for
			# lostcancel too, so the target is judged on the fit.
			if (k > 1) {
				fit = slope("BenchmarkAnalyzer"); lfit = slope("BenchmarkLostcancel")
				printf "%-16s %9s %7.2f %7s %5s %9s %7s %7s %5s %14s %14s\n", "fit per doubling", "", fit, "<=2.2", (fit <= 2.2) ? "PASS" : "FAIL", "", "", "", "", "", lfit ? sprintf("%.2f", lfit) : "?"
			}
			if (k > 1 && lc[1] && lc[k])
				printf "%s -> %s overall: time x%.1f (one copy repeated x%.1f, lostcancel x%.1f), memory x%.1f; linear would be x%d\n", order[1], order[k], ns[k]/ns[1], rp[k]/rp[1], lc[k]/lc[1], by[k]/by[1], order[k]/order[1]
			print "(\"repeat\" times one copy again and again: a package small enough to stay in the CPU caches between runs is timed warm, larger ones cold)"
		}' "$WORK/micro.out"
}

fix_bench() {
	say "BenchmarkApplyFixes and BenchmarkFixDiff (cmd/bidictxlint: applying N fixes to one file, the analysis done before the timer), median of $MICRO_COUNT"
	(cd "$ROOT" && go test -p 1 -run '^$' -bench 'BenchmarkApplyFixes|BenchmarkFixDiff' -benchmem -count "$MICRO_COUNT" ./cmd/bidictxlint) | tee "$WORK/fix.out" | grep '^Benchmark'
	awk '
		function median(list,   a, n, i, j, t) {
			n = split(list, a, " ")
			for (i = 2; i <= n; i++) for (j = i; j > 1 && a[j-1] + 0 > a[j] + 0; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
			return (n % 2) ? a[(n+1)/2] : (a[n/2] + a[n/2+1]) / 2
		}
		function slope(b,   i, j, n, a, x, y, sx, sy, sxx, sxy, c) {
			for (i = 1; i <= k; i++) {
				n = split(t[b, order[i]], a, " ")
				for (j = 1; j <= n; j++) {
					x = log(order[i]) / log(2); y = log(a[j]) / log(2)
					sx += x; sy += y; sxx += x * x; sxy += x * y; c++
				}
			}
			if (c < 2 || c * sxx == sx * sx) return 0
			return 2 ^ ((c * sxy - sx * sy) / (c * sxx - sx * sx))
		}
		/^Benchmark(ApplyFixes|FixDiff)\/N=/ {
			split($1, p, "="); n = p[2]; sub(/-.*/, "", n)
			b = $1; sub(/\/.*/, "", b)
			if (!(b in bs)) { bs[b] = 1; border[++nb] = b }
			if (!(n in seen)) { seen[n] = 1; order[++k] = n }
			t[b, n] = t[b, n] " " $3
			for (f = 4; f <= NF; f++) if ($(f) == "B/op") m[b, n] = m[b, n] " " $(f-1)
		}
		END {
			for (bi = 1; bi <= nb; bi++) {
				b = border[bi]
				printf "\n%s\n%-16s %9s %7s %7s %5s %9s %7s %7s %5s\n", b, "N", "ms/op", "ratio", "target", "", "MB/op", "ratio", "target", ""
				for (i = 1; i <= k; i++) {
					ns[i] = median(t[b, order[i]]); by[i] = median(m[b, order[i]])
					if (i == 1) { printf "%-16s %9.1f %7s %7s %5s %9.1f\n", order[i], ns[i]/1e6, "-", "", "", by[i]/1048576; continue }
					r = ns[i]/ns[i-1]; rb = by[i]/by[i-1]
					printf "%-16s %9.1f %7.2f %7s %5s %9.1f %7.2f %7s %5s\n", order[i-1] " -> " order[i], ns[i]/1e6, r, "", "", by[i]/1048576, rb, "<=2.2", (rb <= 2.2) ? "PASS" : "FAIL"
				}
				fit = slope(b)
				printf "%-16s %9s %7.2f %7s %5s\n", "fit per doubling", "", fit, "<=2.2", (fit <= 2.2) ? "PASS" : "FAIL"
			}
		}' "$WORK/fix.out"
}

case $what in
all)
	need_time
	build
	modules
	cmd_bench
	analysis_bench
	micro_bench
	;;
cmd)
	need_time
	build
	modules
	cmd_bench
	;;
analysis)
	build
	modules
	analysis_bench
	;;
micro) micro_bench ;;
fix) fix_bench ;;
*)
	echo "usage: $0 [all|cmd|analysis|micro|fix]" >&2
	exit 2
	;;
esac
