#!/bin/bash
# bench_books.sh - the printed books of a township (cunji book ... --township)
#
# usage: CUNJI_HOME=/tmp/cjbench bench/bench_books.sh [--build DIR] [--villages N]
#                                [--vouchers N]
#
# Builds its own database (cunji_bench_books) of one township of N villages,
# each with N vouchers a year of cash (receipts of rent, payments of office
# and travel costs on two 管理费用 sub-accounts), posted through `cunji post
# --file`; then writes each book of the township as PDF and XLSX and prints,
# per file, the wall time, the client's user+sys CPU and peak RSS
# (/usr/bin/time), its size and pages, and the load average (CPU time is
# the figure to compare when the machine is busy).  Asserts nothing.
set -euo pipefail
: "${CUNJI_HOME:?set CUNJI_HOME to a cluster for the benchmark, e.g. /tmp/cjbench}"

build=build villages=3 vouchers=3000
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2 ;;
	--villages) villages=$2 ;;
	--vouchers) vouchers=$2 ;;
	*) echo "usage: bench_books.sh [--build DIR] [--villages N] [--vouchers N]" >&2; exit 2 ;;
	esac
	shift 2
done
db=cunji_bench_books
cj() { "$build/cunji" --db "$db" "$@"; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
psql -X -q "host=$CUNJI_HOME/pg user=postgres dbname=postgres" \
	-c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
for i in $(seq 1 "$villages"); do
	v=$(printf '360925100%03d' "$i")
	cj org add --level village --code "$v" --name "村$i" --parent 360925100 --start 2025-01 >/dev/null
	for a in 513001=办公费 513002=差旅费 501001=承包收入; do
		cj account add --village "$v" --code "${a%%=*}" --name "${a#*=}" >/dev/null
	done
done
/usr/bin/python3 - "$villages" "$vouchers" >"$work/vouchers.csv" <<'PY'
import random, sys
villages, vouchers = int(sys.argv[1]), int(sys.argv[2])
random.seed(1)
print("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额")
for i in range(1, villages + 1):
    code = "360925100%03d" % i
    per = vouchers // 12
    for m in range(1, 13):
        for k in range(per):
            day, no = 1 + k * 28 // per, "%d-%d" % (m, k)
            if k % 2 == 0:
                fen = random.randint(10000, 9999999)
                print(f"{code},2025-{m:02d}-{day:02d},R{no},收到租金,101,{fen // 100}.{fen % 100:02d},")
                print(f"{code},2025-{m:02d}-{day:02d},R{no},收到租金,501001,,{fen // 100}.{fen % 100:02d}")
            else:
                fen = random.randint(1000, 99999)
                acc = random.choice(["513001", "513002"])
                print(f"{code},2025-{m:02d}-{day:02d},P{no},报销费用,{acc},{fen // 100}.{fen % 100:02d},")
                print(f"{code},2025-{m:02d}-{day:02d},P{no},报销费用,101,,{fen // 100}.{fen % 100:02d}")
PY
cj post --file "$work/vouchers.csv" >/dev/null
echo "township of $villages villages x $vouchers vouchers (cash) a year; load: $(cut -d' ' -f1-3 /proc/loadavg)"
for kind in general cash detail columnar; do
	for ext in pdf xlsx; do
		f=$work/$kind.$ext
		/usr/bin/time -f "%e %U %S %M" -o "$work/time" \
			"$build/cunji" --db "$db" book "$kind" --township 360925100 --year 2025 --out "$f"
		read -r wall user sys rss <"$work/time"
		pages=$([ "$ext" = pdf ] && pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}' || echo -)
		printf '%-9s %-4s %6.2f s wall  %5.2f s cpu  %6d KB rss  %8d bytes  %s pages\n' \
			"$kind" "$ext" "$wall" "$(echo "$user + $sys" | bc)" "$rss" "$(stat -c %s "$f")" "$pages"
	done
done
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
