#!/usr/bin/env bash
# The public server (cunji serve --public) and the board's and inspector's
# pages over HTTP (web_public_check.py): only what was published is
# reachable, as a reader that may read no table; the check page; a board
# sees its own village only; the inspector's drill-down to the voucher a
# finding names; path traversal and odd requests refused.
source "$(dirname "$0")/lib.sh"
fresh_db webpublic
source "$(dirname "$0")/web_setup.sh"
# a large payment in cash: audit scan's R11 (yellow)
expect 0 -- as_login pub_bk1 post --village $V1 --date 2025-04-10 --summary 现金支付修路款 \
	--debit 513=3,000.00 --credit 101=3,000.00
sheet=$(sql "SELECT max(id) FROM publication")
anchor=$(sql "SELECT anchor FROM publication WHERE id = $sheet")
check_eq "publish keeps the sheet's stamp" \
	"$(sql "SELECT period || ' ' || posted_on || ' ' || vouchers || ' ' || published_by FROM publication")" \
	"2025Q1 2025-04-15 4 pub_bk1"

# the public reader reads no table, and what the functions give only
for t in voucher voucher_line org app_login publication household chain_link; do
	db_refused 42501 "SET ROLE cunji_public; SELECT 1 FROM $t LIMIT 1" "permission denied"
done
check_eq "the public reader lists the published sheets" \
	"$(sql "SET ROLE cunji_public; SELECT village_code || ' ' || period FROM public_sheets()")" \
	"$V1 2025Q1"
db_refused 42501 "SET ROLE cunji_public; SELECT public_reader_password('SCRAM-SHA-256\$x')" "permission denied"
db_refused 42501 "UPDATE publication SET vouchers = 9" "never changed"
db_refused 42501 "DELETE FROM publication" "never changed"
expect 1 --err "permission denied" -- as_login pub_board1 publish --village $V1 --period 2025Q1
expect 1 -- as_login pub_bk2 publish --village $V1 --period 2025Q1

start_server() { # start_server LOG ARGS...: the address it prints, in $url
	local log=$1
	shift
	"$CUNJI_BIN" --db "$DB" serve --listen 127.0.0.1:0 "$@" >"$log" 2>&1 &
	server_pid=$!
	url=""
	for _ in $(seq 100); do
		url=$(sed -n 's/^cunji serve: open //p' "$log")
		[ -n "$url" ] && break
		kill -0 $server_pid 2>/dev/null || break
		sleep 0.1
	done
}
plog=$(mktemp) llog=$(mktemp)
start_server "$plog" --public
public=$server_pid public_url=$url
start_server "$llog"
logins=$server_pid login_url=$url
trap 'kill $public $logins 2>/dev/null; wait 2>/dev/null; rm -f "$plog" "$llog" "$out" "$err"' EXIT
check_eq "the public server starts" "${public_url:+yes}" yes
check_eq "it says it shows only the published sheets" \
	"$(grep -c 'only the published sheets' "$plog")" 1
check_eq "the server of logins starts" "${login_url:+yes}" yes
[ -n "$public_url" ] && [ -n "$login_url" ] || { cat "$plog" "$llog"; finish; exit 1; }
# besides the command's own connection (the admin's, never used by a page)
check_eq "the public server's pages connect as the public reader" \
	"$(sql "SELECT string_agg(DISTINCT usename, ',') FROM pg_stat_activity
	        WHERE datname = current_database() AND usename NOT IN (current_user, '$(id -un)')")" \
	cunji_public
checks=$((checks + 1))
if ! $PY "$(dirname "$0")/web_public_check.py" "${public_url%/}" "${login_url%/}" $V1 $V2 \
	"$sheet" "$anchor"; then
	failures=$((failures + 1))
fi

# a voucher dated in the quarter, posted after publishing: the check says so
expect 0 -- as_login pub_bk1 post --village $V1 --date 2025-03-31 --summary 补记季末利息 \
	--debit 102=12.34 --credit 501=12.34
check_eq "posted since: the public check page says the sheet is stale" \
	"$(curl -s "${public_url}check?id=$sheet" | grep -c '已有变动：公开后又补记了本期凭证 1 张')" 1
# a period published again: the newer one is in force, the older marked
expect 0 -- as_login pub_bk1 publish --village $V1 --period 2025Q1 --date 2025-04-20
check_eq "published again: the older one marked as superseded" \
	"$(curl -s "${public_url}" | grep -c '已被更新')" 1

kill -TERM $public $logins
wait $public
check_eq "the public server exits 0 on SIGTERM" "$?" 0
wait $logins
finish
