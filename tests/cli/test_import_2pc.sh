#!/usr/bin/env bash
# cunji import vouchers over several connections (two-phase commit): the file
# lands whole; an import killed with kill -9 after every connection prepared
# its transaction leaves prepared transactions, which the next command
# settles: rolled back when the import had not recorded its decision,
# committed when it had (docs/importers.md, "Over several connections").
source "$(dirname "$0")/lib.sh"
fresh_db import2pc
tmp=$(mktemp -d)
trap 'exec 3>&- 2>/dev/null; rm -rf "$tmp" "$out" "$err"' EXIT

vouchers() { sql "SELECT count(*) FROM voucher"; }
prepared() { sql "SELECT count(*) FROM pg_prepared_xacts WHERE gid LIKE 'cunji-import-%' AND database = current_database()"; }

villages="360925100401 360925100402 360925100403 360925100404"
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
for v in $villages; do
	cj org add --level village --code $v --name 村$v --parent 360925100 --start 2025-01 >/dev/null
	cj account add --village $v --code 102001 --name 农商行 >/dev/null
done

# file MONTH NAME: 50 receipts a village in MONTH, one village after another
file() {
	echo "村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额" > "$tmp/$2"
	for v in $villages; do
		for i in $(seq 1 50); do
			echo "$v,2025-$1-$(printf %02d $((1 + i % 28))),$i,收到承包费,102001,$i.00,"
			echo "$v,2025-$1-$(printf %02d $((1 + i % 28))),$i,收到承包费,501,,$i.00"
		done
	done >> "$tmp/$2"
}

# ---- over two connections, committed whole
file 01 jan.csv
expect 0 --out "posted 200 vouchers, 400 lines, in 4 villages" -- cj import vouchers --jobs 2 "$tmp/jan.csv"
check_eq "every village's numbers run 1 to 50" \
	"$(sql "SELECT string_agg(n::text, ' ') FROM (SELECT count(*) n FROM voucher GROUP BY village_id HAVING max(number) = 50 AND min(number) = 1) x")" "50 50 50 50"
check_eq "nothing left prepared, no decision kept" "$(prepared)/$(sql "SELECT count(*) FROM twophase_decision")" "0/0"
expect 0 -- cj check
expect 2 --err "--jobs must be between 1 and 16" -- cj import vouchers --jobs 0 "$tmp/jan.csv"

# kill_prepared FILE: import FILE over two connections, stopped after both
# prepared their transactions, at its decision: another session has inserted
# the same decision row and not committed yet; then kill -9, and the
# coordinator's connection goes too.  That session (fd 3) then commits the
# decision or rolls it back.
kill_prepared() {
	local before=$(vouchers)
	mkfifo "$tmp/locker"
	psql -X -q -At "host=$CUNJI_HOME/pg user=postgres dbname=$DB" < "$tmp/locker" > /dev/null 2>&1 &
	locker=$!
	exec 3> "$tmp/locker"
	echo "BEGIN; INSERT INTO cunji.twophase_decision (gid_prefix, parts)
	      VALUES ('cunji-import-$(sha256sum "$1" | cut -c1-64)', 2);" >&3
	for i in $(seq 1 200); do
		[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE state = 'idle in transaction' AND query LIKE 'BEGIN; INSERT INTO cunji.twophase_decision%'")" = 1 ] && break
		sleep 0.05
	done
	"$CUNJI_BIN" --db "$DB" import vouchers --jobs 2 "$1" > /dev/null 2>&1 &
	pk=$!
	for i in $(seq 1 300); do
		[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO twophase_decision%'")" = 1 ] && break
		sleep 0.05
	done
	check_eq "both connections prepared, the import waits to decide" "$(prepared)" 2
	kill -9 $pk
	wait $pk 2>/dev/null
	sql "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'INSERT INTO twophase_decision%' AND pid <> pg_backend_pid()" > /dev/null
	check_eq "killed: its vouchers are not seen, its transactions stay prepared" "$(vouchers)/$(prepared)" "$before/2"
}

# ---- killed before the decision: rolled back
file 02 feb.csv
kill_prepared "$tmp/feb.csv"
echo "ROLLBACK;" >&3
exec 3>&-
wait $locker
rm "$tmp/locker"
expect 0 --out "prepared transactions settled: 0 committed, 2 rolled back" -- cj db recover
check_eq "nothing of the file posted or logged, nothing prepared" \
	"$(vouchers)/$(sql "SELECT count(*) FROM import_log")/$(prepared)" "200/1/0"
expect 0 --out "posted 200 vouchers" -- cj import vouchers "$tmp/feb.csv"
expect 0 -- cj check

# ---- killed after the decision (committed by the other session, as the
# import would have): the next command, whatever it is, commits
file 03 mar.csv
kill_prepared "$tmp/mar.csv"
echo "COMMIT;" >&3
exec 3>&-
wait $locker
expect 0 --err "settled what a crashed import left: 2 prepared transactions committed, 0 rolled back" -- \
	cj org list
check_eq "the whole file posted and logged once, nothing prepared or decided" \
	"$(vouchers)/$(sql "SELECT count(*) FROM import_log WHERE file_name LIKE '%mar.csv'")/$(prepared)/$(sql "SELECT count(*) FROM twophase_decision")" \
	"600/1/0/0"
expect 0 --out "this file was imported before" -- cj import vouchers "$tmp/mar.csv"
expect 0 -- cj check
expect 0 --out "prepared transactions settled: 0 committed, 0 rolled back" -- cj db recover

finish
