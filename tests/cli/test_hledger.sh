#!/usr/bin/env bash
# Cross-check: hledger (a tool we did not write) reads our journal export and
# must find exactly the balances of our trial balance, account by account.
source "$(dirname "$0")/lib.sh"
fresh_db hledgertest
V=360925100309
cj org add --level county --code 360925 --name 核对县 >/dev/null
cj org add --level township --code 360925100 --name 核对镇 --parent 360925 >/dev/null
cj org add --level village --code $V --name 核对村 --parent 360925100 --start 2025-01 >/dev/null
cj account add --village $V --code 102001 --name 农商行 >/dev/null
cj account add --village $V --code 113001 --name "张三户" >/dev/null
cj post --village $V --date 2025-01-01 --summary 期初余额 --opening --debit 101=1000 --debit 102001=20000.50 --credit 311=21000.50 >/dev/null
for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
	cj post --village $V --date 2025-$m-10 --summary "收到承包费;第$m月" --debit 102001=1234.56 --credit 501=1234.56 >/dev/null
	cj post --village $V --date 2025-$m-15 --summary 支付办公费 --debit 513=99.99 --debit 514=10.01 --credit 102001=110.00 >/dev/null
	cj post --village $V --date 2025-$m-20 --summary 应收承包费 --debit '113001=300;张三户' --credit 501=300 >/dev/null
done
cj void --village $V --number 2025-06-2 >/dev/null
cj year close --village $V --year 2025 --yes --empty-months-ok >/dev/null
cj post --village $V --date 2026-02-01 --summary 利息 --debit 102001=12.34 --credit 504=12.34 >/dev/null

journal=$(mktemp)
cj export journal --village $V >"$journal"
compare() { # compare LABEL TB-ARGS...: hledger balances equal our closing per leaf account
	local label=$1 end=$2
	shift 2
	local ours theirs
	ours=$(cj tb --village $V "$@" --format csv | $PY -c '
import csv, sys
rows = list(csv.DictReader(sys.stdin))
codes = [r["code"] for r in rows]
for r in rows:
    if not r["code"] or any(c != r["code"] and c.startswith(r["code"]) for c in codes):
        continue  # the 合计 row, and parents of sub-accounts
    net = float(r["closing_debit_yuan"] or 0) - float(r["closing_credit_yuan"] or 0)
    if abs(net) > 0.001: print("%s %.2f" % (r["code"], net))' | sort)
	theirs=$(hledger -f "$journal" bal --flat --no-total -e "$end" -O csv | $PY -c '
import csv, sys
r = csv.reader(sys.stdin); next(r)
for acct, amt in r:
    v = float(amt.replace("CNY", "").replace(",", "").strip())
    if abs(v) > 0.001: print("%s %.2f" % (acct.split(":")[-1].split(" ")[0], v))' | sort)
	checks=$((checks + 1))
	if [ -z "$ours" ] || [ "$ours" != "$theirs" ]; then
		echo "FAIL: $label: hledger disagrees with cunji tb"
		diff <(echo "$ours") <(echo "$theirs") | head -20
		failures=$((failures + 1))
	fi
}
compare "through 2025" 2026-01-01 --year 2025
compare "through 2026-02" 2026-03-01 --from 2026-01 --to 2026-02

# hledger and ledger-cli both accept the file (they refuse unbalanced entries)
expect 0 -- hledger -f "$journal" check
expect 0 -- ledger -f "$journal" bal
# a single year exports with its balances brought forward
cj export journal --village $V --year 2026 >"$journal"
expect 0 --out "上年结转" -- cat "$journal"
compare "year 2026 alone" 2026-03-01 --from 2026-01 --to 2026-02
# and any months (--period): the balances brought forward to their first day
cj export journal --village $V --period 2025-07..2025Q3 >"$journal"
expect 0 --out "2025-07-01 * 期初结转" -- cat "$journal"
check_eq "only the period's vouchers" "$(grep -cE '^2025-0[1-6]-[0-9]{2} \* \(' "$journal")/$(grep -cE '^2025-(0[7-9])-[0-9]{2} \* \(' "$journal")" "0/9"
compare "2025 to September, from a July journal" 2025-10-01 --period 2025-01..2025-09
rm -f "$journal"
finish
