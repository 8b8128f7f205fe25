#!/bin/bash
# bench_audit_scan.sh - audit scan of a county-year: every available rule over
# a county of N villages (300 x 3,000 vouchers, 2.7 M lines a year)
#
# usage: CUNJI_HOME=/tmp/cjbench bench/bench_audit_scan.sh [--build DIR] [--villages N]
#                                [--vouchers N] [--rounds N] [--reuse] [--jobs N]
#
# Loads the county with bench_audit_county (database cunji_bench_audit: three
# years of a village's books as a bookkeeper keeps them, cash deposited within
# a day, and a few villages with planted anomalies) unless --reuse, then for
# each of ROUNDS rounds:
#   1. `cunji audit scan --county 360925 --year Y --format csv` as a process
#      (Y the middle year): its wall time with the load average around it,
#      the client's CPU and peak RSS (/usr/bin/time) and the findings;
#   2. the same scan through the library (bench_audit_county --scan), which
#      also reads the server backend's CPU from /proc: on a machine shared by
#      several people the wall time is mostly waiting for a core, and the
#      server's CPU is the figure that decides.
# --jobs N: the connections the scan runs over (default: the scan's own, one
# per CPU); the server CPU then counts every backend's.
# Prints figures; asserts nothing (docs/performance.md).
set -euo pipefail
: "${CUNJI_HOME:?set CUNJI_HOME to a cluster for the benchmark, e.g. /tmp/cjbench}"

build=build villages=300 vouchers=3000 rounds=3 reuse= jobs=()
while [ $# -gt 0 ]; do
	case "$1" in
	--reuse) reuse=1; shift; continue ;;
	--build) build=$2 ;;
	--villages) villages=$2 ;;
	--vouchers) vouchers=$2 ;;
	--rounds) rounds=$2 ;;
	--jobs) jobs=(--jobs "$2") ;;
	*)
		echo "usage: bench_audit_scan.sh [--build DIR] [--villages N] [--vouchers N]" \
			"[--rounds N] [--reuse] [--jobs N]" >&2
		exit 2
		;;
	esac
	shift 2
done
cunji=$build/cunji
year=$(($(date +%Y) - 1)) # the middle one of bench_audit_county's three years
if [ -z "$reuse" ]; then
	echo "loading $villages villages x $vouchers vouchers a year, three years (bench_audit_county) ..."
	"$build/bench/bench_audit_county" --load --villages "$villages" --vouchers "$vouchers"
fi
out=$(mktemp)
trap 'rm -f "$out" "$out.t"' EXIT
times=()
for r in $(seq "$rounds"); do
	load0=$(cut -d' ' -f1 /proc/loadavg)
	/usr/bin/time -f "%e %M %U %S" -o "$out.t" "$cunji" --db cunji_bench_audit audit scan \
		--county 360925 --year "$year" --format csv --encoding utf-8 "${jobs[@]}" >"$out"
	read -r secs rss ucpu scpu <"$out.t"
	times+=("$secs")
	echo "round $r: cunji audit scan: $secs s wall (load $load0 before," \
		"$(cut -d' ' -f1 /proc/loadavg) after), client CPU $ucpu + $scpu s," \
		"client peak RSS $((rss / 1024)) MB, $(($(wc -l <"$out") - 1)) findings"
	echo -n "round $r: library: "
	"$build/bench/bench_audit_county" --scan "${jobs[@]}"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
echo "audit scan, $villages villages x $vouchers vouchers in $year: median wall $median s over" \
	"$rounds runs of the process; load average $(cut -d' ' -f1-3 /proc/loadavg)"
