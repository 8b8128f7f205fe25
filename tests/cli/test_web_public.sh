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
plog=$(mktemp) llog=$(mktemp) qdir=$(mktemp -d)
start_server "$plog" --public
public=$server_pid public_url=$url
start_server "$llog"
logins=$server_pid login_url=$url
trap 'kill $public $logins 2>/dev/null; wait 2>/dev/null; rm -rf "$plog" "$llog" "$out" "$err" "$qdir"' EXIT
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

# ---- the QR code's URL (cunji setting check-url, docs/web.md): with the county's check
# page address set to this server, a sheet published then carries <address>/check?a=ANCHOR
expect 0 --out "open ${public_url%/}/check" -- cj setting check-url --county 360925 "${public_url%/}"
expect 0 -- as_login pub_bk1 publish --village $V1 --period 2025Q1 --date 2025-04-25
qsheet=$(sql "SELECT max(id) FROM publication")
curl -s -o "$qdir/sheet.pdf" "${public_url}file?id=$qsheet&format=pdf"
pdftoppm -png -r 300 -f 1 -l 1 "$qdir/sheet.pdf" "$qdir/page" &&
	qr=$(zbarimg -q --raw -Sdisable -Sqrcode.enable "$qdir"/page-*1.png 2>/dev/null)
checks=$((checks + 1))
case "$qr" in "${public_url%/}/check?a=cunji-anchor-v1+village=$V1+seq="*) ;;
*) echo "FAIL: the published sheet's QR code is not the check page's URL: '$qr'"; failures=$((failures + 1)) ;; esac
curl -s "$qr" >"$qdir/intact.html"
check_eq "the QR code's URL opens the check page of that sheet: 相符" \
	"$(grep -c '✔ 相符' "$qdir/intact.html") $(grep -q '核验：周口村 2025年第一季度' "$qdir/intact.html" && echo named)" \
	"1 named"
# tampered as the superuser, triggers off: an amount changed and its voucher's content hash
# made again, so the vouchers are no longer those the sheet was made from
vid=$(sql "SELECT id FROM voucher WHERE summary = '收到土地租金'")
vhash=$(sql "SELECT content_hash FROM voucher WHERE id = $vid")
sql "SET session_replication_role = replica;
     UPDATE voucher_line SET debit_fen = debit_fen + 100 WHERE voucher_id = $vid AND debit_fen > 0;
     UPDATE voucher_line SET credit_fen = credit_fen + 100 WHERE voucher_id = $vid AND credit_fen > 0;
     UPDATE voucher SET content_hash = encode(sha256('forged'::bytea), 'hex') WHERE id = $vid" >/dev/null
curl -s "$qr" >"$qdir/forged.html"
check_eq "the same URL after an amount was changed: 不符, the vouchers are not those" \
	"$(grep -c '✘ 不符：账簿中的凭证已不是制表时的凭证' "$qdir/forged.html") $(grep -c '相符' "$qdir/forged.html")" "1 0"
# put back: the page says 相符 again; then the village's chain rewritten at the sheet's link
sql "SET session_replication_role = replica;
     UPDATE voucher_line SET debit_fen = debit_fen - 100 WHERE voucher_id = $vid AND debit_fen > 0;
     UPDATE voucher_line SET credit_fen = credit_fen - 100 WHERE voucher_id = $vid AND credit_fen > 0;
     UPDATE voucher SET content_hash = '$vhash' WHERE id = $vid" >/dev/null
check_eq "put back: 相符 again" "$(curl -s "$qr" | grep -c '✔ 相符')" 1
sql "SET session_replication_role = replica;
     UPDATE chain_link l SET hash = repeat('0', 64) FROM publication p
      WHERE p.id = $qsheet AND l.village_id = p.village_id AND l.seq = p.anchor_seq" >/dev/null
curl -s "$qr" >"$qdir/rewritten.html"
check_eq "the same URL after the chain was rewritten: 不符, the history was rewritten" \
	"$(grep -c '✘ 不符：本村账簿的历史记录在公开后被改写' "$qdir/rewritten.html") $(grep -c '相符' "$qdir/rewritten.html")" "1 0"

kill -TERM $public $logins
wait $public
check_eq "the public server exits 0 on SIGTERM" "$?" 0
wait $logins
finish
