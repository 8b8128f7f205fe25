#!/usr/bin/env bash
# The web server's kept pages (web/cache.c) and their stamp (schema 0035,
# 0042): a page kept before the login's scope changed is not served after
# (web_stamp_check.py, over HTTP); the stamp changes with a setting and a
# hotline of the village's township or county.
source "$(dirname "$0")/lib.sh"
fresh_db webstamp

V1=360925100201 V3=360925100202 V2=360925101201
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level township --code 360925101 --name 宝峰镇 --parent 360925 >/dev/null
cj org add --level village --code $V1 --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj org add --level village --code $V3 --name 石门村 --parent 360925100 --start 2025-01 >/dev/null
cj org add --level village --code $V2 --name 马尾山村 --parent 360925101 --start 2025-01 >/dev/null
login_add st_bk 张会计 bookkeeper 360925100
expect 0 -- as_login st_bk post --village $V1 --date 2025-01-01 --summary 期初余额 --opening \
	--debit 101=1,000.00 --credit 311=1,000.00
expect 0 -- as_login st_bk post --village $V1 --date 2025-02-10 --summary 支付办公费 \
	--debit 513=345.60 --credit 101=345.60
expect 0 -- as_login st_bk post --village $V3 --date 2025-02-11 --summary 收到石门租金 \
	--debit 101=500.00 --credit 501=500.00

# ---- the stamp, as the database gives it: SCOPE/DATA
stamp() { sql "SELECT village_stamp('$1')"; }
s0=$(stamp $V1)
check_eq "the stamp is SCOPE/DATA" "$(echo "$s0" | grep -cE '^[-0-9.]+/[0-9a-f]{32}$')" 1
sql "INSERT INTO setting (org_id, key, value) SELECT id, 'check_url', 'https://gk.example.cn'
     FROM org WHERE code = '360925'" >/dev/null
s1=$(stamp $V1)
check_eq "a setting of the village's county changes its stamp" "$([ "$s1" != "$s0" ] && echo changed)" changed
cj disclose hotline --code 360925100 --phone 0795-4660000 >/dev/null
s2=$(stamp $V1)
check_eq "a hotline of its township changes it" "$([ "$s2" != "$s1" ] && echo changed)" changed
cj disclose hotline --code 360925101 --phone 0795-4661111 >/dev/null
check_eq "another township's hotline does not" "$(stamp $V1)" "$s2"
sql "INSERT INTO setting (org_id, key, value) SELECT id, 'review_required', 'true'
     FROM org WHERE code = '360925101'" >/dev/null
check_eq "nor another township's setting" "$(stamp $V1)" "$s2"

# ---- over HTTP: kept pages and a scope removed
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
[ -n "$url" ] || { cat "$log"; echo "FAIL: serve"; exit 1; }
checks=$((checks + 1))
if ! CUNJI_DB="$DB" $PY "$(dirname "$0")/web_stamp_check.py" "${url%/}" $V1 $V3; then
	failures=$((failures + 1))
fi
kill -TERM $server
wait $server
finish
