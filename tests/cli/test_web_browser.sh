#!/usr/bin/env bash
# The web pages in a real browser (web_browser.py: headless Chromium by
# WebDriver): entry with a refusal, review, posting, a board of another
# village refused, the inspector's finding, the public sheet, its check
# and its files.  Screenshots of the main pages into $CUNJI_SHOTS.
source "$(dirname "$0")/lib.sh"
fresh_db webbrowser
source "$(dirname "$0")/web_setup.sh"
# for the inspector's search and household pages: a household of V2 (its head's
# ID number), paid from the bank by name, and a company paid from the bank
HID=360925197001010113
cj member add --village $V2 --household H01 --head 刘大 --id $HID --share '人口股=1' >/dev/null
expect 0 -- as_login pub_bk2 post --village $V2 --date 2025-05-06 --summary 支付护林员工资 \
	--debit 513=1,200.00 --credit '102=1,200.00;刘大'
expect 0 -- as_login pub_bk2 post --village $V2 --date 2025-05-08 --summary 购水泥 \
	--debit 153=5,500.00 --credit '102=5,500.00;靖安县路通建设工程有限公司'
# V1's township requires review from now on: the browser's voucher is a draft first
sql "INSERT INTO setting (org_id, key, value) SELECT id, 'review_required', 'true'
     FROM org WHERE code = '360925100'" >/dev/null

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
[ -n "$public_url" ] && [ -n "$login_url" ] || { cat "$plog" "$llog"; echo "FAIL: servers"; exit 1; }
checks=$((checks + 1))
if ! $PY "$(dirname "$0")/web_browser.py" "$login_url" "$public_url" $V1 $V2 $HID \
	"${CUNJI_SHOTS:-$(pwd)/screenshots}"; then
	failures=$((failures + 1))
fi
check_eq "the browser's voucher: prepared, reviewed and posted by whom it should be" \
	"$(sql "SELECT state || ' ' || prepared_by || ' ' || reviewed_by FROM draft_voucher")" \
	"posted pub_bk1 pub_rev1"
kill -TERM $public $logins
wait
finish
