#!/usr/bin/env bash
# How a command connects: no DDL outside init, so a role that may only read can
# read; PGOPTIONS or a database setting cannot switch the ledger's triggers off;
# a server named with --db is migrated by init only.
source "$(dirname "$0")/lib.sh"
fresh_db test_connect
V=360925100201
ro_role=test_connect_ro
admin() { psql -X -q -At "host=$CUNJI_HOME/pg user=postgres dbname=postgres" -c "$1"; }
trap 'admin "DROP DATABASE IF EXISTS test_connect_url WITH (FORCE)" >/dev/null 2>&1
      admin "DROP DATABASE IF EXISTS test_connect_race WITH (FORCE)" >/dev/null 2>&1; rm -f "$out" "$err"' EXIT

expect 0 -- cj org add --level county --code 360925 --name 靖安县
expect 0 -- cj org add --level township --code 360925100 --name 双溪镇 --parent 360925
expect 0 -- cj org add --level village --code $V --name 周口村 --parent 360925100 --start 2025-01
expect 0 -- cj post --village $V --date 2025-02-03 --summary 收到承包费 --debit 101=300 --credit 501=300

# --- a login that may only read runs the reports (connecting creates nothing) ---
expect 0 -- sh -c "echo ro-secret | \"$CUNJI_BIN\" --db $DB user add --login $ro_role --name 只读 \
	--role inspector --scope 360925 --password-stdin"
ro="host=$CUNJI_HOME/pg user=$ro_role dbname=$DB"
export PGPASSWORD=ro-secret
expect 0 --out "周口村" -- "$CUNJI_BIN" --db "$ro" org list
expect 0 --out "300.00" -- "$CUNJI_BIN" --db "$ro" tb --village $V --year 2025
expect 0 --out "收到承包费" -- "$CUNJI_BIN" --db "$ro" ledger --village $V --account 101 --year 2025
expect 1 --err "permission denied" -- "$CUNJI_BIN" --db "$ro" post --village $V --date 2025-02-04 \
	--summary 只读 --debit 101=1 --credit 501=1
unset PGPASSWORD
check_eq "the read-only login made no schema" \
	"$(sql "SELECT count(*) FROM pg_namespace WHERE nspowner = '$ro_role'::regrole")" 0
# without its password, and with no terminal to ask on, it is refused plainly
expect 1 --err "login $ro_role needs its password" -- "$CUNJI_BIN" --db "$DB" --user $ro_role org list

# --- PGOPTIONS cannot switch the triggers off ---------------------------------
# session_replication_role=replica skips every ordinary trigger for a superuser:
# the voucher would be written without its checks and without its kept totals.
replica='-c session_replication_role=replica'
expect 0 --out "posted" -- env PGOPTIONS="$replica" "$CUNJI_BIN" --db "$DB" post --village $V \
	--date 2025-03-05 --summary 收到租金 --debit 101=1200 --credit 501=1200
expect 0 --out "ok:" -- cj check
check_eq "the line trigger kept the month's total" \
	"$(sql "SELECT debit_fen FROM account_period_total WHERE village_id = (SELECT id FROM org WHERE code = '$V') AND account_code = '101' AND period = '2025-03-01'")" \
	120000
expect 0 -- cj period close --village $V --period 2025-01
expect 1 --err "period 2025-01 of village $V is closed" -- env PGOPTIONS="$replica" "$CUNJI_BIN" --db "$DB" post --village $V \
	--date 2025-01-10 --summary 结账后 --debit 101=5 --credit 501=5
check_eq "nothing posted into the closed month" "$(sql "SELECT count(*) FROM voucher WHERE period = '2025-01-01'")" 0
# the same setting made by ALTER DATABASE cannot be overridden for a non-superuser: refused
sql "ALTER DATABASE $DB SET session_replication_role = replica"
expect 1 --err "session_replication_role is 'replica'" -- cj post --village $V --date 2025-03-06 \
	--summary 复制角色 --debit 101=7 --credit 501=7
expect 1 --err "session_replication_role" -- cj org list
sql "ALTER DATABASE $DB RESET session_replication_role"
check_eq "nothing posted while triggers would not run" "$(sql "SELECT count(*) FROM voucher")" 2

# --- another server (--db URL): its schema is applied by init, only -----------
admin "DROP DATABASE IF EXISTS test_connect_url WITH (FORCE)" >/dev/null
admin "CREATE DATABASE test_connect_url"
url="host=$CUNJI_HOME/pg user=postgres dbname=test_connect_url"
expect 1 --err "run 'cunji --db URL init'" -- "$CUNJI_BIN" --db "$url" org list
check_eq "a refused command created nothing" \
	"$(psql -X -At "$url" -c "SELECT count(*) FROM pg_namespace WHERE nspname = 'cunji'")" 0
expect 0 --out "applied" -- "$CUNJI_BIN" --db "$url" init
expect 0 --out "no organisations yet" -- "$CUNJI_BIN" --db "$url" org list
expect 0 --out "schema version" -- "$CUNJI_BIN" --db "$url" init
if grep -q "applied" "$out"; then
	echo "FAIL: init on a current schema applied migrations again"; failures=$((failures + 1))
fi
# --- four commands started together on a database that does not exist yet -----
admin "DROP DATABASE IF EXISTS test_connect_race WITH (FORCE)" >/dev/null
pids=()
for i in 1 2 3 4; do
	"$CUNJI_BIN" --db test_connect_race org list >"$out.race$i" 2>&1 &
	pids+=($!)
done
for i in 1 2 3 4; do
	wait "${pids[$((i - 1))]}"
	rc=$?
	check_eq "command $i of four started together ($(head -c 200 "$out.race$i"))" $rc 0
	rm -f "$out.race$i"
done
check_eq "every migration applied" \
	"$(psql -X -At "host=$CUNJI_HOME/pg user=postgres dbname=test_connect_race" \
		-c "SELECT count(*) FROM cunji.schema_migrations")" "$(ls "$CUNJI_SRC"/schema/[0-9][0-9][0-9][0-9]_*.sql | wc -l)"
finish
