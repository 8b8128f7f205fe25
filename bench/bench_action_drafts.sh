#!/bin/bash
# bench_action_drafts.sh - what the ledger actions' row trigger (schema 0032,
# voucher_draft_action: AFTER INSERT ON voucher FOR EACH ROW WHEN (NEW.draft_id
# IS NOT NULL)) costs a file's drafts when they are posted: `cunji voucher
# post --batch` of N imported two-line drafts that carry no action, with the
# trigger and (in the same database, dropped by the superuser) without it.
# A voucher posted directly (no draft) never calls it.
#
# usage: CUNJI_HOME=/tmp/cjbench bench/bench_action_drafts.sh [--build DIR] [--vouchers N]
#
# Prints the wall time of each posting and the server's CPU time for it (from
# /proc of the backend: posting is the server's work) with the load average.
# Asserts nothing (docs/performance.md).
set -euo pipefail
: "${CUNJI_HOME:?set CUNJI_HOME to a cluster for the benchmark, e.g. /tmp/cjbench}"
build=build n=10000
while [ $# -gt 0 ]; do
	case "$1" in
	--build) build=$2 ;;
	--vouchers) n=$2 ;;
	*) echo "usage: bench_action_drafts.sh [--build DIR] [--vouchers N]" >&2; exit 2 ;;
	esac
	shift 2
done
cunji=$(realpath "$build/cunji")
DB=cunji_bench_action_drafts
"$cunji" status >/dev/null 2>&1 || "$cunji" init >/dev/null
psql -X -q "host=$CUNJI_HOME/pg user=postgres dbname=postgres" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" \
	-c "DROP ROLE IF EXISTS bench_bk" -c "DROP ROLE IF EXISTS bench_rv" >/dev/null
cj() { "$cunji" --db "$DB" "$@"; }
sql() { psql -X -q -At "host=$CUNJI_HOME/pg user=postgres dbname=$DB" -c "SET search_path = cunji" -c "$1"; }
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code 360925100201 --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
for l in "bk bookkeeper" "rv reviewer"; do
	set -- $l
	echo "pw-bench_$1" | cj user add --login "bench_$1" --name "$1" --role "$2" --scope 360925 --password-stdin >/dev/null
done
as() { local l=$1; shift; PGPASSWORD=pw-$l "$cunji" --db "$DB" --user "$l" "$@"; }
cj setting review --township 360925100 on >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for run in with without; do
	python3 - "$n" "$run" >"$tmp/$run.csv" <<'PY'
import sys
n, run = int(sys.argv[1]), sys.argv[2]
print("村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额")
for i in range(n):
    d = "2025-%02d-%02d" % (1 + i % 12, 1 + i % 28)
    k = i + 1 + (n if run == "without" else 0)
    print(f"360925100201,{d},{k},收入{run}{i},101,1.{i % 100:02d},")
    print(f"360925100201,{d},{k},收入{run}{i},501,,1.{i % 100:02d}")
PY
	as bench_bk import vouchers "$tmp/$run.csv" >/dev/null
	batch=$(sql "SELECT max(batch_id) FROM draft_voucher")
	as bench_rv voucher review --batch "$batch" >/dev/null
	if [ "$run" = without ]; then sql "DROP TRIGGER voucher_draft_action ON voucher"; fi
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	t0=$(date +%s.%N)
	out=$(PGPASSWORD=pw-bench_bk /usr/bin/time -f "%U %S" "$cunji" --db "$DB" --user bench_bk voucher post --batch "$batch" 2>&1 >/dev/null)
	t1=$(date +%s.%N)
	printf '%s trigger: %d drafts posted in %.2f s wall (client cpu %s s), load %s\n' \
		"$run" "$n" "$(echo "$t1 - $t0" | bc)" "$(echo "$out" | awk '{print $1 + $2}')" "$load"
done
