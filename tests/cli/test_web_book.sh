#!/usr/bin/env bash
# cunji serve's bookkeeper pages of issue 18 (web_book_check.py drives them over
# HTTP): voucher entry by account code or name with suggestions, fund, project
# and counterparty, each refusal beside its field; the voucher printed as PDF;
# the statements and the four in one file as XLSX and PDF; month close with its
# confirmation and the database's refusal; import by upload, checked before
# anything is posted.  Every form refuses a POST without its CSRF token, and
# every page hides what row-level security hides (another township's village).
# WEB_SHOTS=DIR also writes screenshots of the pages with headless chromium.
source "$(dirname "$0")/lib.sh"
fresh_db webbook

V1=360925100201
V2=360925101201
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level township --code 360925101 --name 宝峰镇 --parent 360925 >/dev/null
cj org add --level village --code $V1 --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj org add --level village --code $V2 --name 马尾山村 --parent 360925101 --start 2025-01 >/dev/null
cj account add --village $V1 --code 102001 --name 农商行 >/dev/null
cj account add --village $V2 --code 102001 --name 农商行 >/dev/null
cj fund add --village $V1 --code XJ --name 衔接资金 --kind 衔接推进乡村振兴补助资金 --source 中央 \
	--amount 100000 >/dev/null
cj project add --village $V1 --code P1 --name 通组道路 --category 基础设施 --budget XJ=50000 >/dev/null
login_add wb_bk1 张会计 bookkeeper 360925100
login_add wb_bk2 李会计 bookkeeper 360925101
login_add wb_rev1 赵主管 reviewer 360925100
echo "$(pw wb_admin)" | cj user add --login wb_admin --name 钱管理 --role admin --password-stdin >/dev/null
expect 0 -- as_login wb_bk1 post --village $V1 --date 2025-01-01 --summary 期初余额 --opening \
	--debit 101=1,000.00 --debit 102001=50,000.00 --credit 311=51,000.00
expect 0 -- as_login wb_bk2 post --village $V2 --date 2025-01-03 --summary 马尾山收款 \
	--debit 101=70.00 --credit 501=70.00

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
if ! $PY "$(dirname "$0")/web_book_check.py" "${url%/}" $V1 $V2 "$(dirname "$0")/../fixtures/import"; then
	failures=$((failures + 1))
fi
check_eq "what the web posted is in the books: entry, import (2 vouchers), by their logins" \
	"$(sql "SELECT count(*) || ' ' || string_agg(DISTINCT prepared_by, ',') FROM voucher v
	        JOIN org o ON o.id = v.village_id WHERE o.code = '$V1' AND v.kind = 'normal'")" \
	"4 wb_bk1"
check_eq "the fund, project and counterparty typed on the form are on the line" \
	"$(sql "SELECT count(*) FROM voucher_line l JOIN fund f ON f.village_id = l.village_id
	        AND f.id = l.fund_id JOIN project p ON p.village_id = l.village_id
	        AND p.id = l.project_id WHERE f.code = 'XJ' AND p.code = 'P1'
	        AND l.counterparty = '县交通公司'")" 1
check_eq "January of V1 closed by the reviewer, V2 untouched" \
	"$(sql "SELECT string_agg(o.code || ' ' || to_char(p.period, 'YYYY-MM'), ',') FROM period_state p
	        JOIN org o ON o.id = p.village_id WHERE p.closed")" "$V1 2025-01"
check_eq "the reopening is recorded with its reason, by the reviewer" \
	"$(sql "SELECT string_agg(action || ' ' || reason || ' ' || by_user, ',' ORDER BY e.id)
	        FROM period_event e JOIN org o ON o.id = e.village_id WHERE o.code = '$V1'")" \
	"close  wb_rev1,reopen 补记一张凭证 wb_rev1,close  wb_rev1"
check_eq "the uploads imported: V2's household, its bank voucher, V1's fund" \
	"$(sql "SELECT (SELECT count(*) FROM household h JOIN org o ON o.id = h.village_id
	                WHERE o.code = '$V2') || ' ' ||
	               (SELECT count(*) FROM voucher v JOIN org o ON o.id = v.village_id
	                WHERE o.code = '$V2' AND v.summary = '收到张三承包费') || ' ' ||
	               (SELECT count(*) FROM fund f JOIN org o ON o.id = f.village_id
	                WHERE o.code = '$V1' AND f.code = 'XJ2025-01')")" "1 1 1"
# the kept pages' stamp (schema 0035) covers only what the caller may see, and moves with a posting
stamp_as() { PGPASSWORD=$(pw "$1") psql -X -q -At "host=$CUNJI_HOME/pg user=$1 dbname=$DB" \
	-c "SELECT cunji.village_stamp('$2')"; }
check_eq "another township's bookkeeper gets the stamp of nothing for V1" \
	"$(stamp_as wb_bk2 $V1)" "$(stamp_as wb_bk2 999999999999)"
before=$(stamp_as wb_bk1 $V1)
check_eq "V1's own bookkeeper gets a stamp of its data" \
	"$([ "$before" != "$(stamp_as wb_bk2 $V1)" ] && echo differs)" differs
expect 0 -- as_login wb_bk1 post --village $V1 --date 2025-04-02 --summary 盖章后 \
	--debit 101=1.00 --credit 501=1.00
check_eq "a posting changes V1's stamp" "$([ "$before" != "$(stamp_as wb_bk1 $V1)" ] && echo changed)" \
	changed
check_eq "the stamp is not a function anyone may call (public reader)" \
	"$(sql "SELECT has_function_privilege('cunji_public', 'cunji.village_stamp(text)', 'EXECUTE')")" f
kill -TERM $server
wait $server
check_eq "serve exits 0 on SIGTERM" "$?" 0
check_eq "and leaves no uploaded file behind" \
	"$(ls -d "${TMPDIR:-/tmp}"/cunji-web-?????? 2>/dev/null | while read -r d; do
		[ -O "$d" ] && [ -n "$(ls -A "$d" 2>/dev/null)" ] && echo "$d"; done | wc -l)" 0
finish
