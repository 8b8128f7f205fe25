#!/usr/bin/env bash
# cunji db backup and restore: a small county written with pg_dump and read back
# with pg_restore into a fresh cluster, every table compared (rows and an md5
# of its ordered rows), audit verify intact; books are replaced only when told.
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
fresh=$(mktemp -d /tmp/cunji-restore.XXXXXX)
chmod 755 "$fresh" # the server's user (postgres, when root runs this) must reach it
trap 'CUNJI_HOME=$fresh "$CUNJI_BIN" db stop >/dev/null 2>&1; rm -rf "$work" "$fresh" "$out" "$err"' EXIT

# every table of the schema: name, row count, md5 of its rows in order
tables() { # tables CONNINFO
	psql -X -q -At "$1" <<'SQL'
DO $$ DECLARE t record; n bigint; h text; BEGIN
  CREATE TEMP TABLE seen (name text, n bigint, md5 text);
  FOR t IN SELECT c.oid::regclass AS r, c.relname FROM pg_class c
            WHERE c.relnamespace = 'cunji'::regnamespace AND c.relkind IN ('r', 'p') LOOP
    EXECUTE format('SELECT count(*), md5(coalesce(string_agg(x::text, E''\n'' ORDER BY x::text), '''')) FROM %s x', t.r)
      INTO n, h;
    INSERT INTO seen VALUES (t.relname, n, h);
  END LOOP; END $$;
SELECT name || ' ' || n || ' ' || md5 FROM seen ORDER BY name;
SQL
}

DB=backup_src
fresh_db backup_src
expect 0 -- "$CUNJI_BIN" --db backup_src demo --villages 3 --vouchers 20 --files "$work/files" \
	--disclosure "$work/sheets" --quiet
expect 0 --out "$work/county.backup" -- cj db backup "$work/county.backup"
check_eq "the backup is pg_dump's custom format" "$(head -c 5 "$work/county.backup")" PGDMP
check_eq "no partial file left" "$(ls "$work" | grep -c '\.part$')" 0
before=$(tables "host=$CUNJI_HOME/pg user=postgres dbname=backup_src")
check_eq "the source has the tables of the schema" "$(echo "$before" | wc -l)" \
	"$(sql "SELECT count(*) FROM pg_class WHERE relnamespace = 'cunji'::regnamespace AND relkind IN ('r', 'p')")"

# into a fresh cluster's embedded default: every table the same
expect 0 --out "7 logins" -- env CUNJI_HOME="$fresh" "$CUNJI_BIN" db restore "$work/county.backup"
# passwords are not carried: the restore names each login to give one, by the command to type
check_eq "the logins without a password, named" "$(grep -o 'cunji user password --login [a-z_0-9]*' "$out" | awk '{print $NF}' | sort | tr '\n' ' ')" \
	"$(sql "SELECT string_agg(login, ' ' ORDER BY login) || ' ' FROM app_login")"
check_eq "the restore says why" "$(grep -c 'carries the logins but not their passwords' "$out")" 1
after=$(tables "host=$fresh/pg user=postgres dbname=cunji")
checks=$((checks + 1))
if [ "$before" != "$after" ] || [ -z "$before" ]; then
	echo "FAIL: the restored tables differ:"; diff <(echo "$before") <(echo "$after") | head -20
	failures=$((failures + 1))
fi
check_eq "vouchers restored" "$(psql -X -At "host=$fresh/pg user=postgres dbname=cunji" -c 'SELECT count(*) FROM cunji.voucher')" \
	"$(sql 'SELECT count(*) FROM voucher')"
expect 0 --err "intact" -- env CUNJI_HOME="$fresh" "$CUNJI_BIN" audit verify
expect 0 --out "ok:" -- env CUNJI_HOME="$fresh" "$CUNJI_BIN" check
# the logins came back as roles of the new server, without a password until one is set
expect 0 -- env CUNJI_HOME="$fresh" bash -c "echo board-pw | '$CUNJI_BIN' user password --login demo_board --password-stdin"
expect 0 --out "(1 个村汇总" -- env CUNJI_HOME="$fresh" PGPASSWORD=board-pw "$CUNJI_BIN" --user demo_board \
	tb --county 360925 --year 2025
check_eq "a board login still sees only its village" \
	"$(PGPASSWORD=board-pw psql -X -At "host=$fresh/pg user=demo_board dbname=cunji" -c 'SELECT count(DISTINCT village_id) FROM cunji.voucher')" 1
check_eq "CONNECT only for the owner and the logins" \
	"$(psql -X -At "host=$fresh/pg user=postgres dbname=postgres" -c "SELECT has_database_privilege('public', 'cunji', 'CONNECT')")" f

# books are not replaced unless told; nothing changes when refused
expect 1 --err "holds books (15 organisations" -- env CUNJI_HOME="$fresh" "$CUNJI_BIN" db restore "$work/county.backup"
expect 2 --err "with --yes" -- env CUNJI_HOME="$fresh" "$CUNJI_BIN" db restore --force "$work/county.backup" </dev/null
printf 'not a backup\n' >"$work/junk.backup"
expect 1 --err "is not a backup made by cunji db backup" -- env CUNJI_HOME="$fresh" "$CUNJI_BIN" db restore \
	--force --yes "$work/junk.backup"
expect 1 --err "cannot read" -- env CUNJI_HOME="$fresh" "$CUNJI_BIN" db restore "$work/missing.backup"
check_eq "the refused restores left the books" "$(tables "host=$fresh/pg user=postgres dbname=cunji")" "$before"
# --force --yes replaces them (here with themselves, after a change)
psql -X -q "host=$fresh/pg user=postgres dbname=cunji" -c "SET search_path = cunji" \
	-c "UPDATE org SET name = '改过的县' WHERE level = 'county'" >/dev/null
expect 0 -- env CUNJI_HOME="$fresh" "$CUNJI_BIN" db restore --force --yes "$work/county.backup"
check_eq "replaced with --force" "$(tables "host=$fresh/pg user=postgres dbname=cunji")" "$before"
check_eq "no restore database left" \
	"$(psql -X -At "host=$fresh/pg user=postgres dbname=postgres" -c "SELECT count(*) FROM pg_database WHERE datname LIKE '%restoring'")" 0

# another server (--db URL): an existing, empty database; backup through the URL too
url="postgresql:///backup_url?host=$CUNJI_HOME/pg&user=postgres"
psql -X -q "host=$CUNJI_HOME/pg user=postgres dbname=postgres" -c "DROP DATABASE IF EXISTS backup_url WITH (FORCE)" \
	-c "CREATE DATABASE backup_url" >/dev/null
expect 0 -- "$CUNJI_BIN" --db "$url" db restore "$work/county.backup"
check_eq "restored over a URL" "$(tables "host=$CUNJI_HOME/pg user=postgres dbname=backup_url")" "$before"
expect 0 -- "$CUNJI_BIN" --db "$url" db backup "$work/again.backup"
expect 1 --err "holds books" -- "$CUNJI_BIN" --db "$url" db restore "$work/again.backup"
expect 0 -- "$CUNJI_BIN" --db "$url" db restore --force --yes "$work/again.backup"
check_eq "a backup of the restore restores the same" "$(tables "host=$CUNJI_HOME/pg user=postgres dbname=backup_url")" "$before"
expect 2 --err "which file" -- cj db backup
# a database of the embedded cluster that is not there is refused, never made empty
expect 1 --err "database backup_nosuch does not exist" -- "$CUNJI_BIN" --db backup_nosuch db backup "$work/none.backup"
check_eq "no database made" "$(psql -X -At "host=$CUNJI_HOME/pg user=postgres dbname=postgres" -c "SELECT count(*) FROM pg_database WHERE datname = 'backup_nosuch'")" 0
check_eq "no backup file" "$(ls "$work" | grep -c '^none')" 0
expect 1 --err "数据库 backup_nosuch 不存在" -- env LC_ALL=zh_CN.UTF-8 "$CUNJI_BIN" --db backup_nosuch db backup "$work/none.backup"
finish
