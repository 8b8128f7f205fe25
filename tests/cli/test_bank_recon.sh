#!/usr/bin/env bash
# 银行存款余额调节表 through the tool: a statement read (newest first, with a
# title row), matched by amount and date, a pair moved by hand, the outstanding
# lines on each side, and the form for March and April whose two sides agree on
# figures computed by hand; refusals change nothing.
source "$(dirname "$0")/lib.sh"
work=$(mktemp -d)
trap 'rm -rf "$work" "$out" "$err"' EXIT
DB=bank_recon
fresh_db bank_recon
V=360925100201
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code $V --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj account add --village $V --code 102001 --name 农商行 >/dev/null
post() { expect 0 -- cj post --village $V "$@"; }
post --date 2025-03-02 --summary 收承包费 --debit 102001=5000 --credit 501=5000      # 2025-03-1
post --date 2025-03-10 --summary 付电费 --debit 513=800 --credit 102001=800         # 2025-03-2
post --date 2025-03-12 --summary 付电费 --debit 513=800 --credit 102001=800         # 2025-03-3
post --date 2025-03-28 --summary 付工资 --debit 513=1200 --credit 102001=1200       # 2025-03-4
post --date 2025-03-31 --summary 收补助 --debit 102001=3000 --credit 503=3000       # 2025-03-5
post --date 2025-03-15 --summary 记错的收款 --debit 102001=99 --credit 501=99       # 2025-03-6, voided
expect 0 -- cj void --village $V --number 2025-03-6 --date 2025-03-16
# the bank's statement: newest first, a title row above the header
cat >"$work/stmt.csv" <<'CSV'
户名：周口村股份经济合作社,,,,
交易日期,收入金额,支出金额,余额,摘要
2025-04-02,,1200.00,5185.50,代发工资
2025-04-01,3000.00,,6385.50,县财政补助
2025-03-30,,25.00,3385.50,手续费
2025-03-25,10.50,,3410.50,结息
2025-03-13,,800.00,3400.00,电费
2025-03-11,,800.00,4200.00,电费
2025-03-02,5000.00,,5000.00,承包费
CSV
expect 0 --out "7 lines of 102001 农商行" -- cj bank statement "$work/stmt.csv" --village $V --account 102001
expect 0 --out "0 new" -- cj bank statement "$work/stmt.csv" --village $V --account 银行存款-农商行
expect 2 --err "which file" -- cj bank statement --village $V --account 102001
check_eq "statement lines kept once" "$(sql "SELECT count(*) FROM bank_statement_line")" 7
# a row whose balance does not follow: refused, nothing kept
sed 's/^2025-03-25,10.50,,3410.50/2025-03-25,10.50,,3410.00/' "$work/stmt.csv" >"$work/bad.csv"
expect 1 --err "does not follow from the row before" -- cj bank statement "$work/bad.csv" --village $V --account 102001
check_eq "the bad statement kept nothing" "$(sql "SELECT count(*) FROM bank_statement_line")" 7

expect 0 --out "5 statement lines reconciled" -- cj bank match --village $V --account 102001
# the two 800.00 payments: each to the nearest date
check_eq "nearest dates paired" "$(sql "SELECT string_agg(s.line_date || '>' || v.voucher_date, ' ' ORDER BY s.line_date)
	FROM bank_reconcile r JOIN bank_statement_line s ON s.village_id = r.village_id AND s.id = r.statement_id
	JOIN voucher v ON v.village_id = r.village_id AND v.id = r.voucher_id WHERE s.out_fen = 80000")" \
	"2025-03-11>2025-03-10 2025-03-13>2025-03-12"
# by hand: swap one (the other pair is taken back), then put it right again
l11=$(sql "SELECT id FROM bank_statement_line WHERE line_date = '2025-03-11'")
expect 0 -- cj bank mark --village $V --line "$l11" --voucher 2025-03-3
check_eq "a manual pair replaces both" "$(sql "SELECT count(*) || '/' || count(*) FILTER (WHERE how = 'manual') FROM bank_reconcile")" "4/1"
expect 1 --err "has no line of account 102001 of 800.00 yuan" -- cj bank mark --village $V --line "$l11" --voucher 2025-03-1
expect 0 -- cj bank unmark --village $V --line "$l11"
expect 1 --err "is not reconciled" -- cj bank unmark --village $V --line "$l11"
expect 0 --out "2 statement lines reconciled" -- cj bank match --village $V --account 102001

# March: hand-computed.  Books 5000 - 800 - 800 - 1200 + 3000 (the voided pair cancels) = 5200.00;
# the statement 3385.50; bank only +10.50 -25.00; books only +3000 (the bank has it 04-01), -1200
expect 0 --out "5,200.00" -- cj bank reconcile --village $V --account 102001 --period 2025-03
for figure in "企业银行存款日记账余额" "3,385.50" "10.50" "25.00" "3,000.00" "1,200.00" "5,185.50" "调节后余额相等"; do
	grep -qF -- "$figure" "$out" || { echo "FAIL: March lacks $figure"; failures=$((failures + 1)); }
	checks=$((checks + 1))
done
check_eq "both sides 5,185.50" "$(grep -c '调节后的存款余额.*5,185.50.*调节后的存款余额.*5,185.50' "$out")" 1
expect 0 --out "结息" -- cj bank unreconciled --village $V --account 102001 --period 2025-03
check_eq "March outstanding" "$(cj bank unreconciled --village $V --account 102001 --period 2025-03 --format csv --encoding utf-8 |
	sed 1d | cut -d, -f2,4 | grep -v '^,' | sort | tr '\n' ' ')" "2025-03-4,1200.00 2025-03-5,3000.00 对账单第4行,10.50 对账单第5行,25.00 "
# April: only the bank's own lines remain
expect 0 --out "调节后余额相等" -- cj bank reconcile --village $V --account 102001 --period 2025-04
check_eq "April outstanding" "$(cj bank unreconciled --village $V --account 102001 --period 2025-04 --format csv --encoding utf-8 | sed 1d |
	grep -c '对账单')" 2
# PDF and XLSX through the report model
expect 0 -- cj bank reconcile --village $V --account 102001 --period 2025-03 --out "$work/recon.pdf"
expect 0 -- cj bank reconcile --village $V --account 102001 --period 2025-03 --out "$work/recon.xlsx"
check_eq "the PDF says it" "$(pdftotext "$work/recon.pdf" - | grep -c '银行存款余额调节表')" 1
checks=$((checks + 1))
$PY - "$work/recon.xlsx" <<'PY' || failures=$((failures + 1))
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).worksheets[0]
cells = [c.value for row in ws.iter_rows() for c in row if c.value is not None]
assert "企业银行存款日记账余额" in cells and 5200 in cells and 3385.5 in cells, cells
formulas = [c for c in cells if isinstance(c, str) and c.startswith("=")]
assert len(formulas) == 2, formulas  # 调节后的存款余额 on each side
PY
# a line of the ledger posted later that the bank never saw: the sides still agree
post --date 2025-04-20 --summary 付材料款 --debit 513=300 --credit 102001=300
expect 0 --out "调节后余额相等" -- cj bank reconcile --village $V --account 102001 --period 2025-04
# an unbalanced form: a statement line with no ledger line and a changed balance is impossible
# by hand, so break the books' side: a posting dated before the statement's first day
post --date 2025-02-20 --summary 二月存入 --debit 102001=50 --credit 501=50
expect 1 --err "differ by 50.00" -- cj bank reconcile --village $V --account 102001 --period 2025-03 --out "$work/unbalanced.pdf"
check_eq "an unbalanced form is still written" "$(pdftotext "$work/unbalanced.pdf" - | grep -c '调节后余额不相等')" 1

# the database: another village's statement is out of a bookkeeper's reach (RLS), a pair is the same money
cj org add --level village --code 360925100202 --name 马尾村 --parent 360925100 --start 2025-01 >/dev/null
login_add bk_zk 张会计 bookkeeper $V
login_add bk_mw 李会计 bookkeeper 360925100202
expect 0 --out "结息" -- as_login bk_zk bank unreconciled --village $V --account 102001 --period 2025-03
expect 1 -- as_login bk_mw bank unreconciled --village $V --account 102001 --period 2025-03
check_eq "another village's statement lines are invisible" \
	"$(PGPASSWORD=$(pw bk_mw) psql -X -At "host=$CUNJI_HOME/pg user=bk_mw dbname=$DB" -c 'SELECT count(*) FROM cunji.bank_statement_line')" 0
db_refused CJ270 "INSERT INTO bank_reconcile (village_id, statement_id, voucher_id, line_no, how)
	SELECT s.village_id, s.id, v.id, 2, 'manual' FROM bank_statement_line s, voucher v
	 WHERE s.line_date = '2025-03-25' AND v.number = 1 AND v.period = '2025-03-01'"
db_refused CJ271 "UPDATE bank_statement_line SET in_fen = 1 WHERE line_date = '2025-03-25'"
finish
