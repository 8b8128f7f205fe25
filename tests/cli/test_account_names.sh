#!/usr/bin/env bash
# Accounts typed by name as well as code (issue 17): --debit 管理费用=120,
# 银行存款-农商行, in post, ledger and import bank; a name that more than one
# account has is refused with the candidates listed.
source "$(dirname "$0")/lib.sh"
fresh_db accountnames
T=$(mktemp -d)
trap 'rm -rf "$T" "$out" "$err"' EXIT
V=360925100201
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code $V --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj account add --village $V --code 102001 --name 农商行 >/dev/null
cj account add --village $V --code 201001 --name 农商行 >/dev/null

expect 0 --out "posted" -- cj post --village $V --date 2025-03-05 --summary 收款 \
	--debit 银行存款-农商行=1000 --credit 经营收入=1000
expect 0 --out "posted" -- cj post --village $V --date 2025-03-06 --summary 付办公费 \
	--debit 管理费用=120 --credit 银行存款/农商行=120
check_eq "the lines' accounts" \
	"$(sql "SELECT string_agg(account_code || ':' || (debit_fen - credit_fen), ',' ORDER BY voucher_id, line_no) FROM voucher_line")" \
	"102001:100000,501:-100000,513:12000,102001:-12000"
expect 1 --err "'农商行' names 2 accounts: 102001 银行存款/农商行, 201001 短期借款/农商行" -- \
	cj post --village $V --date 2025-03-07 --summary 付 --debit 管理费用=1 --credit 农商行=1
expect 1 --err "no account of this village is named '办公费'" -- \
	cj post --village $V --date 2025-03-07 --summary 付 --debit 办公费=1 --credit 库存现金=1
check_eq "nothing posted by the refusals" "$(sql "SELECT count(*) FROM voucher")" 2
expect 0 --out "付办公费" -- cj ledger --village $V --account 银行存款-农商行 --year 2025
printf '交易日期,摘要,对方户名,收入金额,支出金额,余额\n2025-03-10,承包费,张三,5,,885\n' >"$T/bank.csv"
printf 'if 承包费\n  account 501\n' >"$T/rules.txt"
expect 0 --out "would post 1 voucher" -- cj import bank --village $V --account 银行存款-农商行 \
	--rules "$T/rules.txt" --file "$T/bank.csv" --dry-run
expect 1 --err "'农商行' names 2 accounts" -- cj import bank --village $V --account 农商行 \
	--rules "$T/rules.txt" --file "$T/bank.csv" --dry-run
finish
