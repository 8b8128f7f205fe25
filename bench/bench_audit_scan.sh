#!/bin/bash
# bench_audit_scan.sh - audit scan of a county-year: every available rule over
# a county of N villages (300 x 3,000 three-line vouchers = 2.7 M lines a year)
#
# usage: CUNJI_HOME=/tmp/cjbench bench/bench_audit_scan.sh [--build DIR] [--villages N]
#                                [--vouchers N] [--rounds N] [--reuse]
#
# Loads the county with bench_import (database cunji_bench_import: four years
# of the same books, so the scan reads one year among four) unless --reuse,
# then runs `cunji audit scan --county 360925 --year Y --format csv` ROUNDS
# times as a process, and prints each run's wall time with the load average
# around it, the client's CPU and peak RSS (/usr/bin/time) and the findings,
# and the median.  On a shared machine the wall time is mostly waiting for a
# core: quote it with its load.  Prints
# figures; asserts nothing (docs/performance.md).
set -euo pipefail
: "${CUNJI_HOME:?set CUNJI_HOME to a cluster for the benchmark, e.g. /tmp/cjbench}"

build=build villages=300 vouchers=3000 rounds=3 reuse=
while [ $# -gt 0 ]; do
	case "$1" in
	--reuse) reuse=1; shift; continue ;;
	--build) build=$2 ;;
	--villages) villages=$2 ;;
	--vouchers) vouchers=$2 ;;
	--rounds) rounds=$2 ;;
	*)
		echo "usage: bench_audit_scan.sh [--build DIR] [--villages N] [--vouchers N]" \
			"[--rounds N] [--reuse]" >&2
		exit 2
		;;
	esac
	shift 2
done
cunji=$build/cunji
year=$(($(date +%Y) - 2)) # bench_import's first year
if [ -z "$reuse" ]; then
	echo "loading $villages villages x $vouchers vouchers a year (bench_import) ..."
	"$build/bench/bench_import" --villages "$villages" --vouchers "$vouchers" >/dev/null
fi
out=$(mktemp)
trap 'rm -f "$out"' EXIT
times=()
for r in $(seq "$rounds"); do
	load0=$(cut -d' ' -f1 /proc/loadavg)
	/usr/bin/time -f "%e %M %U %S" -o "$out.t" "$cunji" --db cunji_bench_import audit scan \
		--county 360925 --year "$year" --format csv --encoding utf-8 >"$out"
	read -r secs rss ucpu scpu <"$out.t"
	rm -f "$out.t"
	times+=("$secs")
	echo "round $r: $secs s wall (load $load0 before, $(cut -d' ' -f1 /proc/loadavg) after)," \
		"client CPU $ucpu + $scpu s, client peak RSS $((rss / 1024)) MB," \
		"$(($(wc -l <"$out") - 1)) findings"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}')
echo "audit scan, $villages villages x $vouchers vouchers ($((villages * vouchers * 3)) lines" \
	"in $year): median $median s over $rounds runs; load average $(cut -d' ' -f1-3 /proc/loadavg)"
