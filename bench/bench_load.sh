#!/bin/bash
# bench_load.sh - loading a county from scratch, beside ledger-cli's bal of the same journal
#
# usage: bench/bench_load.sh [--build DIR] [--villages N] [--vouchers N] [--rounds N]
#                            [--keep DIR] [--per-command]
#
# Each round, on a new database of an embedded cluster of its own (in DIR/home,
# started before the clock; a temporary DIR unless --keep names one):
#   cunji   the organisations (a county, 11 townships, N villages) by one
#           `org add --file`, six sub-accounts per village by one `account add
#           --file` (with --per-command: one process per organisation and per
#           account, 12 + 7N commands); one `import vouchers` of the county's
#           year (N x M three-line vouchers, CSV); the county's trial balance
#           (`tb --county`);
#   ledger  `ledger -f JOURNAL bal` of the same books, the journal written by
#           `cunji export journal` per village and concatenated (once, before
#           the first round; not timed).
# Who goes first alternates.  It prints each round's times and the median of
# the ratios cunji / ledger; and, on a database of their own, the time of one
# `org add` and of one `account add` process (ten of each, timed together).
# The database's schema (`init`) is made before the clock starts: ledger
# needs none.  Prints figures; asserts nothing (docs/performance.md).
set -euo pipefail

build=build villages=75 vouchers=3000 rounds=3 keep= per_command=
while [ $# -gt 0 ]; do
	case "$1" in
	--per-command) per_command=1; shift; continue ;;
	--build) build=$2 ;;
	--villages) villages=$2 ;;
	--vouchers) vouchers=$2 ;;
	--rounds) rounds=$2 ;;
	--keep) keep=$2 ;;
	*)
		echo "usage: bench_load.sh [--build DIR] [--villages N] [--vouchers N] [--rounds N]" \
			"[--keep DIR] [--per-command]" >&2
		exit 2
		;;
	esac
	shift 2
done
cunji=$(cd "$build" && pwd)/cunji
command -v ledger >/dev/null || {
	echo "bench_load: ledger (ledger-cli) is not installed" >&2
	exit 1
}
dir=${keep:-$(mktemp -d /tmp/cunji-bench-load.XXXXXX)}
mkdir -p "$dir/home"
chmod 755 "$dir" "$dir/home" # as root, the server runs as postgres
export CUNJI_HOME=$dir/home
trap '"$cunji" db stop >/dev/null 2>&1 || true; [ -n "$keep" ] || rm -rf "$dir"' EXIT

now() { date +%s.%N; }
since() { echo "$(now) - $1" | bc -l; }

# Village i (0-based) of township i % 11, as bench_import numbers them.
village() { printf '3609251%02d%03d' $((${1} % 11)) $((201 + ${1} / 11)); }

# The county's year: per village, in date order, a receipt into the bank, a
# payment from it (a third of that receipt, so it never runs dry) and cash
# received, by turns; one voucher per 凭证号 and village.
awk -v villages="$villages" -v per="$vouchers" 'BEGIN {
	print "村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额"
	srand(42)
	for (v = 0; v < villages; v++) {
		code = sprintf("3609251%02d%03d", v % 11, 201 + int(v / 11))
		for (k = 0; k < per; k++) {
			m = 1 + int(k * 12 / per)
			date = sprintf("2025-%02d-%02d", m, 1 + k % 28)
			if (k % 3 != 1) {
				x = 100 + int(rand() * 500000); y = 100 + int(rand() * 300000)
			}
			n = k + 1
			if (k % 3 == 0) {
				printf "%s,%s,%d,收到承包费,102001,%.2f,\n", code, date, n, (x + y) / 100
				printf "%s,%s,%d,,501001,,%.2f\n", code, date, n, x / 100
				printf "%s,%s,%d,,501002,,%.2f\n", code, date, n, y / 100
			} else if (k % 3 == 1) {
				a = int(x / 3); b = int(y / 3)
				printf "%s,%s,%d,付办公水电费,513002,%.2f,\n", code, date, n, a / 100
				printf "%s,%s,%d,,513003,%.2f,\n", code, date, n, b / 100
				printf "%s,%s,%d,,102001,,%.2f\n", code, date, n, (a + b) / 100
			} else {
				printf "%s,%s,%d,收到租金,101,%.2f,\n", code, date, n, x / 100
				printf "%s,%s,%d,,102002,%.2f,\n", code, date, n, y / 100
				printf "%s,%s,%d,,504,,%.2f\n", code, date, n, (x + y) / 100
			}
		}
	}
}' >"$dir/year.csv"

# The organisations and their sub-accounts, as files and as commands.
{
	echo level,code,name,parent,books_from
	echo county,360925,靖安县,,
	for t in $(seq 0 10); do printf 'township,3609251%02d,第%d镇,360925,\n' "$t" "$t"; done
	for i in $(seq 0 $((villages - 1))); do
		printf 'village,%s,第%d村,3609251%02d,2025-01\n' "$(village "$i")" "$i" $((i % 11))
	done
} >"$dir/orgs.csv"
accounts="102001 农商行 102002 信用社 501001 发包收入 501002 租赁收入 513002 办公费 513003 水电费"
{
	echo village,code,name
	for i in $(seq 0 $((villages - 1))); do
		printf "$(village "$i"),%s,%s\n" $accounts
	done
} >"$dir/accounts.csv"

setup() {
	local db=$1 t0 line
	t0=$(now)
	if [ -z "$per_command" ]; then
		"$cunji" --db "$db" org add --file "$dir/orgs.csv" >/dev/null
		org_s=$(since "$t0")
		t0=$(now)
		"$cunji" --db "$db" account add --file "$dir/accounts.csv" >/dev/null
		account_s=$(since "$t0")
		return
	fi
	tail -n +2 "$dir/orgs.csv" | while IFS=, read -r level code name parent start; do
		"$cunji" --db "$db" org add --level "$level" --code "$code" --name "$name" \
			${parent:+--parent "$parent"} ${start:+--start "$start"} >/dev/null
	done
	org_s=$(since "$t0")
	t0=$(now)
	tail -n +2 "$dir/accounts.csv" | while IFS=, read -r v code name; do
		"$cunji" --db "$db" account add --village "$v" --code "$code" --name "$name" >/dev/null
	done
	account_s=$(since "$t0")
}

# Ten org add and ten account add processes, on a database of their own.
one_command() {
	local db=cunji_load_commands_$$ t0
	"$cunji" --db "$db" init >/dev/null
	"$cunji" --db "$db" org add --level county --code 360925 --name 靖安县 >/dev/null
	"$cunji" --db "$db" org add --level township --code 360925100 --name 第0镇 --parent 360925 >/dev/null
	t0=$(now)
	for i in $(seq 0 9); do
		"$cunji" --db "$db" org add --level village --code "3609251002$((10 + i))" --name "第${i}村" \
			--parent 360925100 --start 2025-01 >/dev/null
	done
	org_ms=$(echo "$(since "$t0") * 100" | bc -l)
	t0=$(now)
	for i in $(seq 0 9); do
		"$cunji" --db "$db" account add --village 360925100210 --code "1020$((10 + i))" \
			--name "银行$i" >/dev/null
	done
	account_ms=$(echo "$(since "$t0") * 100" | bc -l)
}

# CPU seconds: of this shell's children so far (the cunji and ledger
# processes, once they have ended), and of the embedded server (the
# postmaster with the backends it has reaped, and the processes it runs).
child_cpu() { # into $cpu: times in this shell, not a subshell, which has no children of its own
	times >"$dir/times"
	cpu=$(awk 'NR == 2 {gsub(/s/, ""); split($1, u, "m"); split($2, k, "m")
		print u[1] * 60 + u[2] + k[1] * 60 + k[2]}' "$dir/times")
}
server_cpu() {
	local pm ticks=0 p
	pm=$(head -1 "$CUNJI_HOME/pg/postmaster.pid")
	for p in "$pm" $(ps -o pid= --ppid "$pm"); do
		ticks=$((ticks + $(awk '{print $14 + $15 + $16 + $17}' "/proc/$p/stat" 2>/dev/null || echo 0)))
	done
	echo "$ticks / $(getconf CLK_TCK)" | bc -l
}

load() {
	local db=$1 t0 c0 s0
	"$cunji" --db "$db" init >/dev/null
	child_cpu
	c0=$cpu s0=$(server_cpu) t0=$(now)
	setup "$db"
	t1=$(now)
	"$cunji" --db "$db" import vouchers "$dir/year.csv" >/dev/null
	import_s=$(since "$t1")
	t1=$(now)
	"$cunji" --db "$db" tb --county 360925 --from 2025-01 --to 2025-12 >"$dir/tb.txt"
	tb_s=$(since "$t1")
	cunji_s=$(since "$t0")
	child_cpu
	cunji_client=$(echo "$cpu - $c0" | bc -l)
	cunji_server=$(echo "$(server_cpu) - $s0" | bc -l)
}

bal() {
	local t0 c0
	child_cpu
	c0=$cpu t0=$(now)
	ledger -f "$dir/county.journal" bal >"$dir/bal.txt"
	ledger_s=$(since "$t0")
	child_cpu
	ledger_cpu=$(echo "$cpu - $c0" | bc -l)
}

echo "bench_load: $villages villages x $vouchers three-line vouchers, $((villages * vouchers * 3)) lines" \
	"($(du -h "$dir/year.csv" | cut -f1) of CSV); load average $(cut -d' ' -f1-3 /proc/loadavg)"
ratios=() cpu_ratios=()
for r in $(seq 1 "$rounds"); do
	db=cunji_load_${r}_$$
	if [ $((r % 2)) -eq 1 ]; then
		load "$db"
		[ -f "$dir/county.journal" ] || for i in $(seq 0 $((villages - 1))); do
			"$cunji" --db "$db" export journal --village "$(village "$i")"
		done >"$dir/county.journal"
		bal
	else
		bal
		load "$db"
	fi
	ratio=$(echo "$cunji_s / $ledger_s" | bc -l)
	cpu_ratio=$(echo "($cunji_client + $cunji_server) / $ledger_cpu" | bc -l)
	ratios+=("$ratio") cpu_ratios+=("$cpu_ratio")
	printf 'round %d: cunji %.2f s (orgs %.2f, accounts %.2f, import %.2f, tb %.2f), ledger bal %.2f s, ratio %.2f x\n' \
		"$r" "$cunji_s" "$org_s" "$account_s" "$import_s" "$tb_s" "$ledger_s" "$ratio"
	printf '  CPU: cunji %.2f s (processes %.2f, server %.2f), ledger %.2f s, ratio %.2f x\n' \
		"$(echo "$cunji_client + $cunji_server" | bc -l)" "$cunji_client" "$cunji_server" \
		"$ledger_cpu" "$cpu_ratio"
done
one_command
printf 'one org add process %.1f ms, one account add process %.1f ms (ten of each)\n' \
	"$org_ms" "$account_ms"
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
printf 'median ratio cunji / ledger: %.2f x wall, %.2f x CPU (%d rounds); load average %s\n' \
	"$(median "${ratios[@]}")" "$(median "${cpu_ratios[@]}")" "$rounds" \
	"$(cut -d' ' -f1-3 /proc/loadavg)"
