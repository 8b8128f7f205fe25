#!/usr/bin/env bash
# End-to-end: the cunji binary as a bookkeeper and a script use it.
source "$(dirname "$0")/lib.sh"
fresh_db clitest

# --- usage and help -----------------------------------------------------------
expect 0 --out "commands:" -- "$CUNJI_BIN" help
expect 0 --out "--debit ACCT=AMOUNT" -- "$CUNJI_BIN" post --help
expect 0 --out "org add" -- "$CUNJI_BIN" org --help
expect 2 --err "no command 'bogus'" -- "$CUNJI_BIN" bogus
expect 2 --err "needs a subcommand" -- "$CUNJI_BIN" org
expect 2 --err "unknown option --bogus" -- cj post --bogus
expect 2 --err "--village is required" -- cj account list
expect 0 --out "cunji " -- "$CUNJI_BIN" --version

# --- organisations and accounts -----------------------------------------------
expect 0 --out "added county 360925 靖安县" -- cj org add --level county --code 360925 --name 靖安县
expect 0 -- cj org add --level township --code 360925100 --name 双溪镇 --parent 360925
expect 0 --out "books from 2025-01" -- cj org add --level village --code 360925100201 --name 周口村 --parent 360925100 --start 2025-01
expect 0 -- cj org add --level village --code 360925100202 --name 马尾山村 --parent 360925100 --start 2025-01
expect 1 --err "is a county; a village belongs to a township" -- cj org add --level village --code 360925100299 --name 错村 --parent 360925
expect 1 --err "already exists" -- cj org add --level county --code 360925 --name 重复
expect 0 --out "马尾山村" -- cj org list
expect 0 --out '"name": "周口村"' -- cj org list --format json
V=360925100201
expect 0 --out "added account 102001 农商行 under 102" -- cj account add --village $V --code 102001 --name 农商行
expect 0 -- cj account add --village $V --code 113001 --name 张三户
expect 1 --err "account 1021 must extend its parent 102 by 2 or 3 digits" -- cj account add --village $V --code 1021 --name 太短
expect 0 --out "所得税费用" -- cj account list --village $V
check_eq "first-level accounts" "$(cj account list --village $V --format csv | awk -F, '$3 == 1' | wc -l)" 42

# --- posting ------------------------------------------------------------------
expect 0 --out "2025-01-1 posted" -- cj post --village $V --date 2025-01-01 --summary 期初余额 --opening \
	--debit 101=1,000.00 --debit 102001=50000 --credit 311=51000
expect 0 --out "2025-03-1 posted: 记字第1号" -- cj post --village $V --date 2025-03-05 --summary 收到承包费 \
	--debit 102001=1200.00 --credit 501=1200.00
expect 0 --out "2025-03-2 posted" -- cj post --village $V --date 2025-03-06 --summary 收回欠款 \
	--debit '101=500;张三户' --credit '113001=500;张三户;收回借款'
expect 1 --err "do not equal" -- cj post --village $V --date 2025-03-07 --summary 不平 --debit 101=10 --credit 501=9
expect 1 --err "has sub-accounts" -- cj post --village $V --date 2025-03-07 --summary 上级 --debit 102=10 --credit 501=10
expect 1 --err "does not exist" -- cj post --village $V --date 2025-03-07 --summary 无科目 --debit 109=10 --credit 501=10
expect 2 --err "not an amount" -- cj post --village $V --date 2025-03-07 --summary x --debit 101=1.234 --credit 501=1.23
expect 2 --err "must be positive" -- cj post --village $V --date 2025-03-07 --summary x --debit 101=-5 --credit 501=-5
expect 2 --err "not a date" -- cj post --village $V --date 2025-02-30 --summary x --debit 101=5 --credit 501=5
expect 1 --err "before the books" -- cj post --village $V --date 2024-12-31 --summary x --debit 101=5 --credit 501=5
# external ids: a safe retry, and a conflict
expect 0 --out "2025-03-3 posted" -- cj post --village $V --date 2025-03-08 --summary 光伏收益 --id BANK-0001 --debit 102001=800 --credit 501=800
expect 0 --out "already posted" -- cj post --village $V --date 2025-03-08 --summary 光伏收益 --id BANK-0001 --debit 102001=800 --credit 501=800
expect 1 --err "different content" -- cj post --village $V --date 2025-03-08 --summary 光伏收益 --id BANK-0001 --debit 102001=801 --credit 501=801
check_eq "vouchers after retries" "$(sql 'SELECT count(*) FROM voucher')" 4

# a voucher file: all or nothing, every error listed with row and column (the
# importer's reader and rules: rows with one 凭证号 in a month are one voucher)
cat >"$out.ok.csv" <<CSV
village,date,voucher,summary,account,debit,credit,counterparty,external_id
$V,2025-04-02,1,支付办公费,513,"1,200.00",,,F-1
$V,2025-04-02,1,支付办公费,102001,,"1,200.00",,F-1
$V,2025-04-03,2,"收到租金, 四月",102001,３００．００,,靖安竹业,F-2
$V,2025-04-03,2,"收到租金, 四月",501,,300,靖安竹业,F-2
CSV
cat >"$out.bad.csv" <<CSV
日期,凭证号,摘要,科目代码,借方金额,贷方金额
2025-04-05,1,好凭证,101,10,
2025-04-05,1,好凭证,501,,10
2025-04-06,2,坏凭证,101,"12,34.5",
2025-04-06,2,坏凭证,501,,12.34
2025-13-01,3,坏日期,101,1,
CSV
expect 1 --err "row 4, column 借方金额: '12,34.5' is not an amount" -- cj post --file "$out.bad.csv" --village $V
expect 1 --err "row 6, column 日期" -- cj post --file "$out.bad.csv" --village $V
check_eq "nothing posted from a bad file" "$(sql 'SELECT count(*) FROM voucher')" 4
expect 0 --out "posted 2 vouchers, 4 lines, in 1 village" -- cj post --file "$out.ok.csv"
expect 0 --out "this file was imported before" -- cj post --file "$out.ok.csv"
expect 2 --err "cunji import opening" -- cj post --file "$out.ok.csv" --opening
check_eq "full-width amount" "$(sql "SELECT debit_fen FROM voucher_line WHERE counterparty = '靖安竹业' AND debit_fen > 0")" 30000
rm -f "$out.ok.csv" "$out.bad.csv"

# --- void ------------------------------------------------------------------------
expect 0 --out "2025-03-2 voided by red reversal 2025-03-4" -- cj void --village $V --number 2025-03-2
expect 1 --err "already voided" -- cj void --village $V --number 2025-03-2
expect 1 --err "cannot be voided" -- cj void --village $V --number 2025-03-4
check_eq "red reversal amount" "$(sql "SELECT debit_fen FROM voucher_line l JOIN voucher v ON v.id = l.voucher_id WHERE v.kind = 'reversal' AND l.account_code = '101'")" -50000

# --- the database refuses hand edits ---------------------------------------------
db_refused CJ003 "UPDATE voucher_line SET debit_fen = 1 WHERE debit_fen > 0" "cannot be changed or deleted; void it with a red reversal"
db_refused CJ003 "DELETE FROM voucher" "cannot be changed or deleted; void it with a red reversal"
checks=$((checks + 1))
if psql -X -q "$(cj db url)" -c "SELECT 1" >/dev/null 2>&1; then :; else
	echo "FAIL: psql cannot open 'cunji db url'"; failures=$((failures + 1))
fi

# --- periods ---------------------------------------------------------------------
expect 1 --err "earlier month (2025-01) is open" -- cj period close --village $V --period 2025-02
expect 0 -- cj period close --village $V --period 2025-01
expect 0 -- cj period close --village $V --period 2025-02
expect 0 --out "closed" -- cj period close --village $V --period 2025-03 --reason 月结
expect 1 --err "period 2025-03 of village $V is closed" -- cj post --village $V --date 2025-03-31 --summary 晚了 --debit 101=1 --credit 501=1
expect 2 --err "--reason is required" -- cj period reopen --village $V --period 2025-03
expect 1 --err "later month (2025-03) is closed" -- cj period reopen --village $V --period 2025-02 --reason x
expect 0 --out "reopened (recorded)" -- cj period reopen --village $V --period 2025-03 --reason 补记凭证
expect 0 --out "反结账" -- cj period list --village $V
check_eq "closed months (csv)" "$(cj period list --village $V --format csv | sed -n 1,3p)" "month,state
2025-01,已结账
2025-02,已结账"
expect 0 -- cj post --village $V --date 2025-03-31 --summary 补记 --debit 513=20 --credit 101=20

# --- reading the books -----------------------------------------------------------
expect 0 --out "试算平衡" -- cj tb --village $V --year 2025
expect 0 --out "农商行" -- cj tb --village $V --from 2025-01 --to 2025-12
expect 0 --out "code,name,opening_debit_yuan,opening_credit_yuan" -- cj tb --village $V --year 2025 --format csv
cj tb --village $V --year 2025 --format json | $PY -c 'import json,sys; d=json.load(sys.stdin); t=[r for r in d["tables"][0]["rows"] if r.get("row") == "total"][0]; assert t["closing_debit_fen"]==t["closing_credit_fen"]==5330000' \
	&& checks=$((checks + 1)) || { echo "FAIL: tb json"; failures=$((failures + 1)); }
check_eq "bank closing balance (csv)" "$(cj tb --village $V --year 2025 --format csv | awk -F, '$1 == "102001" {print $7}')" "51100.00"
expect 0 --out "(2 个村汇总" -- cj tb --township 360925100 --year 2025
expect 1 --err "is a village, not a county" -- cj tb --county $V --year 2025
# one whole sentence per pair of levels, Chinese under LANG=zh_CN.UTF-8 (no 村 pieced with "county")
env -u LC_ALL -u LANGUAGE LANG=zh_CN.UTF-8 "$CUNJI_BIN" --db "$DB" tb --county $V --year 2025 >"$out" 2>"$err"
check_eq "a village named as a county, in Chinese" \
	"$(grep -c "是村，不是县" "$err")/$(sed 's/^cunji: //' "$err" | grep -cE '[A-Za-z]{2,}')" 1/0
expect 2 --err "exactly one" -- cj tb --village $V --county 360925
expect 0 --out "期初余额" -- cj ledger --village $V --account 102001 --year 2025
check_eq "ledger closing" "$(cj ledger --village $V --account 102001 --year 2025 --format json | $PY -c 'import json,sys; print([r for r in json.load(sys.stdin)["tables"][0]["rows"] if r["summary"] == "本期合计"][0]["balance_fen"])')" 5110000
expect 0 --out "2025年第一季度" -- cj ledger --village $V --account 102001 --period 2025年第1季度
expect 0 --out "2025年2月至3月" -- cj tb --village $V --from 2025-02 --to 2025Q1
expect 2 --err "give --period, --year or --from/--to" -- cj tb --village $V --year 2025 --period 2025Q1
expect 2 --err "--period '2025-13': there is no month 13" -- cj ledger --village $V --account 101 --period 2025-13
expect 2 --err "--year '2025Q1' is a quarter; give a year" -- cj tb --village $V --year 2025Q1

# --- year-end close ----------------------------------------------------------------
expect 0 --out "net income 1,080.00 moved to 322001" -- cj year close --village $V --year 2025 --yes --empty-months-ok
expect 1 --err "is closed" -- cj post --village $V --date 2025-12-31 --summary 晚了 --debit 101=1 --credit 501=1
expect 1 --err "already closed" -- cj year close --village $V --year 2025 --yes --empty-months-ok
expect 1 --err "cannot be reopened" -- cj period reopen --village $V --period 2025-12 --reason 试试
check_eq "P&L after close" "$(cj tb --village $V --year 2025 --format csv | awk -F, '$1 ~ /^5/ && ($7 + 0 != 0 || $8 + 0 != 0)' | wc -l)" 0
check_eq "undistributed income" "$(cj tb --village $V --year 2025 --format csv | awk -F, '$1 == "322001" {print $8}')" "1080.00"
check_eq "opening of 2026 = closing of 2025" \
	"$(cj tb --village $V --year 2026 --format csv | awk -F, '$1 == "102001" {print $3}')" "51100.00"
expect 0 --out "ok:" -- cj check

# --- the embedded database ----------------------------------------------------------
expect 0 --out "running" -- "$CUNJI_BIN" db status
expect 0 --out "postgresql:///" -- "$CUNJI_BIN" db url

finish
