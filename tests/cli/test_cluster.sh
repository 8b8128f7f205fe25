#!/usr/bin/env bash
# The embedded cluster, in homes of this test's own: one connection per
# command; the first command after a kill -9 of every server process recovers;
# as root, a home or data directory another user could change is refused and no
# log is written through a symlink.
source "$(dirname "$0")/lib.sh"
base=$(mktemp -d /tmp/cunji-cluster-XXXXXX)
chmod 755 "$base" # the server's user (postgres, as root) must reach the homes
cleanup() {
	for pidfile in $(find "$base" -name postmaster.pid); do
		pid=$(head -1 "$pidfile")
		kill -INT "$pid" 2>/dev/null
		for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	done
	rm -rf "$base" "$out" "$err"
}
trap cleanup EXIT
home() { CUNJI_HOME=$base/$1 "$CUNJI_BIN" "${@:2}"; }

# --- one connection, two statements -------------------------------------------
h=$base/count
expect 0 --out "added county" -- home count org add --level county --code 360925 --name 靖安县
psql -X -q "host=$h/pg user=postgres dbname=postgres" -c "ALTER SYSTEM SET log_connections = on" \
	-c "ALTER SYSTEM SET log_statement = 'all'" -c "SELECT pg_reload_conf()" >/dev/null
sleep 0.5
from=$(($(wc -l <"$h/log/server.log") + 1))
expect 0 --out "靖安县" -- home count org list
log=$(tail -n +"$from" "$h/log/server.log")
check_eq "connections of 'org list'" "$(grep -c 'connection received' <<<"$log")" 1
check_eq "statements of 'org list' (the schema check and the list)" \
	"$(grep -cE 'LOG:  (statement|execute)' <<<"$log")" 2
check_eq "DDL or locks on a current schema" "$(grep -ciE 'CREATE|advisory' <<<"$log")" 0
# PL/pgSQL is loaded by the server once, not by each backend's first trigger
check_eq "shared_preload_libraries of a new cluster" \
	"$(psql -X -q -At "host=$h/pg user=postgres dbname=postgres" -c "SHOW shared_preload_libraries")" \
	plpgsql

# --- kill -9 of every server process: the next command recovers ---------------
pid=$(head -1 "$h/pg/postmaster.pid")
kill -9 "$pid" $(pgrep -P "$pid")
for _ in $(seq 50); do [ "$(ps -o stat= -p "$pid" | cut -c1)" = "" ] || [ "$(ps -o stat= -p "$pid" | cut -c1)" = Z ] && break; sleep 0.1; done
expect 0 --out "靖安县" -- home count org list
check_eq "a new server runs" "$(head -1 "$h/pg/postmaster.pid")" "$(pgrep -f -o "postgres -D $h/pg")"

# --- a cluster of an older cunji: trust for everyone, no admin login -----------
# The first command rewrites pg_hba.conf and pg_ident.conf (no trust line),
# reloads, and gives the cluster's owner its admin login (docs/roles.md).
h=$base/count
me=$(id -un)
su_sql() { psql -X -q -At "host=$h/pg user=postgres dbname=$1" -c "$2"; }
su_sql postgres "COPY (SELECT 'local all all trust') TO '$h/pg/pg_hba.conf'" >/dev/null
su_sql postgres "SELECT pg_reload_conf()" >/dev/null
su_sql cunji "DELETE FROM cunji.app_login WHERE login = '$me'; SET ROLE cunji_owner;
	REVOKE CONNECT ON DATABASE cunji FROM \"$me\""
su_sql postgres "DROP ROLE \"$me\""
check_eq "the old cluster trusts" "$(grep -c trust "$h/pg/pg_hba.conf")" 1
expect 0 --out "靖安县" -- home count org list
check_eq "no trust line after the upgrade" "$(grep -c trust "$h/pg/pg_hba.conf")" 0
check_eq "the owner by peer, others by password" "$(grep -v '^#' "$h/pg/pg_hba.conf" | awk 'NF {print $3, $4}' | tr '\n' ';')" \
	"postgres peer;\"$me\" peer;all scram-sha-256;"
check_eq "its admin login is back" "$(su_sql cunji "SELECT kind FROM cunji.app_login WHERE login = '$me'")" admin
checks=$((checks + 1))
if PGPASSWORD=x psql -X -At "host=$h/pg user=cunji_board dbname=cunji" -c "SELECT 1" >/dev/null 2>"$err" ||
	! grep -q 'password authentication failed' "$err"; then
	echo "FAIL: a role without a password got in after the upgrade"; failures=$((failures + 1))
fi
expect 0 --out "schema version" -- home count init

# --- as root: nothing another user could change --------------------------------
if [ "$(id -u)" -ne 0 ]; then
	echo "SKIP: the checks of homes and logs against other users need root (the CI runs as root)"
	finish
	exit
fi
# a data directory that is a symlink to somewhere else
mkdir -m 755 "$base/link"
mkdir -m 700 "$base/elsewhere"
chown postgres:postgres "$base/elsewhere"
ln -s "$base/elsewhere" "$base/link/pg"
expect 1 --err "is a symbolic link" -- home link org list
check_eq "nothing written through the symlinked data directory" "$(ls -A "$base/elsewhere")" ""

# a home other users can write, or that root does not own, or under such a directory
mkdir -m 777 "$base/open"
chmod 777 "$base/open"
expect 1 --err "can be written by other users" -- home open org list
check_eq "no cluster in the open home" "$(ls -A "$base/open")" ""
mkdir -m 755 "$base/theirs"
chown nobody "$base/theirs"
expect 1 --err "not to you" -- home theirs org list
check_eq "no cluster in the home of another user" "$(ls -A "$base/theirs")" ""
mkdir -m 777 "$base/shared"
chmod 777 "$base/shared"
mkdir -m 755 "$base/shared/home"
expect 1 --err "can be changed by another user" -- home shared/home org list
check_eq "no cluster under a directory others can write" "$(ls -A "$base/shared/home")" ""

# the server's user plants symlinks where root used to write its logs
victim=$base/victim
echo secret >"$victim"
chmod 600 "$victim"
mkdir -m 755 "$base/logs" "$base/logs/log"
chown postgres:postgres "$base/logs/log"
for f in initdb.log pg_ctl.log; do ln -s "$victim" "$base/logs/log/$f"; done
expect 1 --err "not a symlink" -- home logs org list
check_eq "the symlinks' target is untouched" "$(cat "$victim")" secret
check_eq "root left no file of its own in the server's directories" \
	"$(find "$base/count/log" "$base/count/pg" -user root | wc -l)" 0
finish
