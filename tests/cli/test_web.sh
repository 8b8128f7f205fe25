#!/usr/bin/env bash
# cunji serve over HTTP (web_check.py drives it): headers, cookies, CSRF,
# logins checked by PostgreSQL (a wrong password, an unknown login and the
# peer-authenticated admin refused), two bookkeepers of different townships
# each seeing only their villages (row-level security, by list and by URL), a
# hostile summary escaped, the trial balance and its download, voucher entry
# with the database's refusal, oversized and odd requests, logout, and the
# limits on failed logins per login and per address.
source "$(dirname "$0")/lib.sh"
fresh_db webtest

V1=360925100201
V2=360925101201
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level township --code 360925101 --name 宝峰镇 --parent 360925 >/dev/null
cj org add --level village --code $V1 --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj org add --level village --code $V2 --name 马尾山村 --parent 360925101 --start 2025-01 >/dev/null
login_add web_bk1 张会计 bookkeeper 360925100
login_add web_bk2 李会计 bookkeeper 360925101
login_add web_rl 王会计 bookkeeper 360925100
login_add web_rev 赵主管 reviewer 360925101
# V2's township requires review: its vouchers are drafts first
sql "INSERT INTO setting (org_id, key, value) SELECT id, 'review_required', 'true'
     FROM org WHERE code = '360925101'" >/dev/null
expect 0 -- as_login web_bk1 post --village $V1 --date 2025-01-01 --summary 期初余额 --opening \
	--debit 101=1,000.00 --debit 102=50,000.00 --credit 311=51,000.00
# a summary meant to run script in whoever opens the list
expect 0 -- as_login web_bk1 post --village $V1 --date 2025-01-05 \
	--summary '<script>alert("x")</script> & <b>粗</b>' --debit 102=120.00 --credit 501=120.00

log=$(mktemp)
"$CUNJI_BIN" --db "$DB" serve --listen 127.0.0.1:0 >"$log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -f "$log" "$out" "$err"' EXIT
url=""
for _ in $(seq 100); do
	url=$(sed -n 's/^cunji serve: open //p' "$log")
	[ -n "$url" ] && break
	kill -0 $server 2>/dev/null || break
	sleep 0.1
done
check_eq "serve prints the address to open" "${url:+yes}" yes
[ -n "$url" ] || { cat "$log"; finish; exit 1; }
checks=$((checks + 1))
if ! $PY "$(dirname "$0")/web_check.py" "${url%/}" $V1 $V2 周口村 马尾山村 "$(id -un)"; then
	failures=$((failures + 1))
fi

# the server stops cleanly on SIGTERM
kill -TERM $server
wait $server
check_eq "serve exits 0 on SIGTERM" "$?" 0
check_eq "the draft entered on the web, reviewed and posted, with who did each step" \
	"$(sql "SELECT state || ' ' || prepared_by || ' ' || reviewed_by FROM draft_voucher")" \
	"posted web_bk2 web_rev"
check_eq "and says so" "$(tail -1 "$log")" "cunji serve: stopped"
# with --tls-cert and --tls-key it speaks HTTPS: cookies Secure, HSTS
openssl req -x509 -newkey rsa:2048 -nodes -keyout "$log.key" -out "$log.crt" -days 1 \
	-subj /CN=127.0.0.1 2>/dev/null
"$CUNJI_BIN" --db "$DB" serve --listen 127.0.0.1:0 --tls-cert "$log.crt" --tls-key "$log.key" \
	>"$log" 2>&1 &
server=$!
url=""
for _ in $(seq 100); do
	url=$(sed -n 's/^cunji serve: open //p' "$log")
	[ -n "$url" ] && break
	sleep 0.1
done
check_eq "an https address" "${url%%:*}" https
check_eq "HTTPS: HSTS and a Secure cookie" "$($PY - "$url" <<'PY'
import http.client, ssl, sys, urllib.parse
u = urllib.parse.urlparse(sys.argv[1])
c = http.client.HTTPSConnection(u.hostname, u.port, context=ssl._create_unverified_context())
c.request("GET", "/login")
r = c.getresponse()
print(r.status, r.getheader("Strict-Transport-Security"), "Secure" in r.getheader("Set-Cookie", ""))
PY
)" "200 max-age=31536000 True"
kill -TERM $server
wait $server
rm -f "$log.key" "$log.crt"
check_eq "a certificate without its key refused" \
	"$("$CUNJI_BIN" --db "$DB" serve --tls-cert /dev/null 2>&1 >/dev/null)" \
	"cunji: give both --tls-cert and --tls-key, or neither"
check_eq "a bad listen address refused" \
	"$("$CUNJI_BIN" --db "$DB" serve --listen 127.0.0.1:99999 2>&1 >/dev/null |
		grep -c "^cunji: --listen '127.0.0.1:99999': give host:port")" 1
finish
