#!/usr/bin/env bash
# The books a bookkeeper prints (cunji book general|cash|bank|detail|columnar)
# of two villages built through the CLI, figures computed by hand: the text of
# each book against its golden file (tests/golden/books; UPDATE_GOLDEN=1
# rewrites them after an intended change), a draft that never shows, the
# cash book's PDF over two pages (过次页 at the foot of page 1 equal to 承前页 at
# the head of page 2, both the sums of page 1's lines), a township's books in
# one PDF and one workbook (a worksheet per village and account, formulas
# re-evaluated by check_xlsx.py), and usage errors.
source "$(dirname "$0")/lib.sh"
: "${CUNJI_SRC:?}"
fresh_db booktest
golden=$CUNJI_SRC/tests/golden/books
work=$(mktemp -d)
trap 'rm -rf "$work" "$out" "$err"' EXIT
V1=360925100301
V2=360925100302
T=360925100

cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code $T --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code $V1 --name 周口村 --parent $T --start 2025-01 >/dev/null
cj org add --level village --code $V2 --name 石门村 --parent $T --start 2025-01 >/dev/null
for a in 102001=农商行 102002=信用社 513001=办公费 513002=差旅费 501001=承包收入 501002=租赁收入; do
	cj account add --village $V1 --code "${a%%=*}" --name "${a#*=}" >/dev/null
done
post() { expect 0 -- cj post "$@"; }
post --village $V1 --date 2025-01-01 --summary 期初余额 --opening \
	--debit 101=1,000.00 --debit 102001=50,000.00 --credit 301=51,000.00
# january VILLAGE LAST_DAY INCOME EXPENSE: from the 2nd to LAST_DAY of January each day a
# rent of 10.00 received in cash and 3.00 of office supplies paid from it (+7.00 a day)
january() {
	{
		echo "村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额"
		for d in $(seq 2 "$2"); do
			day=$(printf '2025-01-%02d' "$d")
			echo "$1,$day,R$d,收到门面租金,101,10.00,"
			echo "$1,$day,R$d,收到门面租金,$3,,10.00"
			echo "$1,$day,P$d,购买办公用品,$4,3.00,"
			echo "$1,$day,P$d,购买办公用品,101,,3.00"
		done
	} >"$work/january-$1.csv"
	expect 0 -- cj post --file "$work/january-$1.csv"
}
# twenty days: the cash book runs over a page
january $V1 21 501002 513001
post --village $V1 --date 2025-02-03 --summary 收到承包费 --debit 102001=12,000.00 --credit '501001=12,000.00;张三户'
post --village $V1 --date 2025-02-10 --summary 转存信用社 --debit 102002=5,000.00 --credit 102001=5,000.00
post --village $V1 --date 2025-02-15 --summary 报销差旅费 --debit 513002=800.00 --credit 102002=800.00
post --village $V1 --date 2025-02-15 --summary 提取备用金 --debit 101=2,000.00 --credit 102001=2,000.00
post --village $V2 --date 2025-01-01 --summary 期初余额 --opening --debit 101=500.00 --credit 301=500.00
post --village $V2 --date 2025-01-05 --summary 收到捐款 --debit 101=100.00 --credit 504=100.00
# with review on, a voucher is a draft until reviewed and posted: never in the books
expect 0 -- cj setting review --township $T on
expect 0 -- cj post --village $V1 --date 2025-02-20 --summary 草稿不入账 --debit 101=999.99 --credit 504=999.99
expect 0 --out "999.99" -- cj voucher list --village $V1 --period 2025-02
expect 0 -- cj setting review --township $T off

# ---- text against the golden files (figures checked by hand, see below)
same_as_golden() { # same_as_golden NAME command...: stdout of the command equals golden/NAME.txt
	local name=$1
	shift
	checks=$((checks + 1))
	if ! "$@" >"$work/$name.txt" 2>"$err"; then
		echo "FAIL: '$*' exited $?"; sed 's/^/  err: /' "$err" | head -5
		failures=$((failures + 1)); return
	fi
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		cp "$work/$name.txt" "$golden/$name.txt"
	elif ! diff -u "$golden/$name.txt" "$work/$name.txt"; then
		echo "FAIL: $name differs from $golden/$name.txt (UPDATE_GOLDEN=1 to accept)"
		failures=$((failures + 1))
	fi
}
same_as_golden general_101_2025 cj book general --village $V1 --year 2025 --account 101
same_as_golden bank_2025-02 cj book bank --village $V1 --period 2025-02
same_as_golden columnar_513_2025 cj book columnar --village $V1 --year 2025 --account 513
same_as_golden detail_2025-02 cj book detail --village $V1 --period 2025-02
same_as_golden general_township_2025-01 cj book general --township $T --period 2025-01

# by hand: cash 1,000.00 + 20 x (10.00 - 3.00) = 1,140.00 at the end of January, then
# 2,000.00 drawn from the bank: 3,140.00; the year 2,200.00 in and 60.00 out
row_of() { grep -E "^ *$1 " "$work/$2.txt" | tr -s ' ' | sed 's/^ //'; }
check_eq "总账 101 January" "$(row_of 2025-01-31 general_101_2025)" "2025-01-31 本月合计 200.00 60.00 借 1,140.00"
check_eq "总账 101 本年累计 in February" "$(row_of 本年累计 general_101_2025 | tail -1)" "本年累计 2,200.00 60.00 借 3,140.00"
# the bank: 50,000.00 + 12,000.00 - 2,000.00 - 800.00 = 59,200.00 (the transfer inside 102 both ways)
check_eq "102 本月合计" "$(row_of 本月合计 bank_2025-02 | head -1)" "本月合计 17,000.00 7,800.00 借 59,200.00"
check_eq "102001 本月合计" "$(row_of 本月合计 bank_2025-02 | sed -n 2p)" "本月合计 12,000.00 7,000.00 借 55,000.00"
check_eq "102002 本月合计" "$(row_of 本月合计 bank_2025-02 | sed -n 3p)" "本月合计 5,000.00 800.00 借 4,200.00"
check_eq "102 本日合计 of the 15th" "$(row_of 本日合计 bank_2025-02 | sed -n 3p)" "本日合计 0.00 2,800.00 借 59,200.00"
check_eq "102 对方科目 of a transfer" "$(grep -c '转存信用社 *银行存款' "$work/bank_2025-02.txt")" 4
# 管理费用: 20 x 3.00 of 办公费 in January, 800.00 of 差旅费 in February
check_eq "多栏账 513 本年累计" "$(row_of 本年累计 columnar_513_2025 | tail -1)" "本年累计 860.00 0.00 借 860.00 60.00 800.00"
# the draft of 999.99 is in no book
expect 1 --err "" -- grep -rq "999.99" "$work"
# a township: both villages, each account on its own pages
check_eq "township 总账 accounts" "$(grep -c '^ *科目：' "$work/general_township_2025-01.txt")" 8
expect 0 --out "编制单位：石门村" -- cat "$work/general_township_2025-01.txt"

# ---- the cash book's PDF: page 1 ends with 过次页, page 2 begins with 承前页, the same
# figures, which are January's lines on page 1 summed (a receipt 10.00, a payment 3.00)
# two_pages PDF TITLE WHAT: a book of January's lines (receipts of 10.00, payments of 3.00
# from an opening 1,000.00) over two pages, page 1's 过次页 equal to page 2's 承前页
two_pages() {
	local pdf=$1 title=$2 what=$3 receipts payments want
	check_eq "$what pages" "$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')" 2
	pdftotext -layout -f 1 -l 1 "$pdf" "$work/p1.txt" 2>/dev/null
	pdftotext -layout -f 2 -l 2 "$pdf" "$work/p2.txt" 2>/dev/null
	receipts=$(grep -c '收到门面租金' "$work/p1.txt")
	payments=$(grep -c '购买办公用品' "$work/p1.txt")
	want=$($PY -c 'import sys; r, p = int(sys.argv[1]), int(sys.argv[2]); print(f"{r * 10:,.2f} {p * 3:,.2f} 借 {1000 + r * 10 - p * 3:,.2f}")' "$receipts" "$payments")
	check_eq "$what: 过次页 on page 1" "$(grep '过次页' "$work/p1.txt" | tr -s ' ' | sed 's/^ *过次页 //')" "$want"
	check_eq "$what: 承前页 on page 2" "$(grep '承前页' "$work/p2.txt" | tr -s ' ' | sed 's/^ *承前页 //')" "$want"
	check_eq "$what: 承前页 heads page 2" "$(grep -m1 -E '承前页|记-' "$work/p2.txt" | grep -c 承前页)" 1
	check_eq "$what: page 2 names its account" "$(grep -c "$title（续） *周口村 *科目：101 库存现金" "$work/p2.txt")" 1
	check_eq "$what: no 过次页 on the last page" "$(grep -c '过次页' "$work/p2.txt")" 0
}
expect 0 -- cj book cash --village $V1 --year 2025 --out "$work/cash.pdf"
two_pages "$work/cash.pdf" 现金日记账 "cash book"
expect 0 --out "WenQuanYi" -- pdffonts "$work/cash.pdf"

# ---- a township in one PDF and one workbook
expect 0 -- cj book detail --township $T --year 2025 --out "$work/detail.pdf"
pdftotext -layout "$work/detail.pdf" "$work/detail.txt" 2>/dev/null
expect 0 --out "编制单位：石门村" -- cat "$work/detail.txt"
expect 0 --out "编制单位：周口村" -- cat "$work/detail.txt"
expect 0 -- cj book general --township $T --year 2025 --out "$work/general.xlsx"
expect 0 --out "0 failures" -- $PY "$CUNJI_SRC/tests/cli/check_xlsx.py" "$work/general.xlsx"
check_eq "worksheets" "$($PY -c 'import openpyxl,sys; print(",".join(openpyxl.load_workbook(sys.argv[1]).sheetnames))' "$work/general.xlsx")" \
	"周口村 101 库存现金,周口村 102 银行存款,周口村 301 资本,周口村 501 经营收入,周口村 513 管理费用,石门村 101 库存现金,石门村 301 资本,石门村 504 其他收入"
# 本年累计 of February is a formula over the months' 本月合计 rows, its cached value 2,200.00
check_eq "本年累计 formula" "$($PY -c '
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1])["周口村 101 库存现金"]
print(ws["C9"].value)' "$work/general.xlsx")" "=C6+C8"
expect 0 -- cj book columnar --township $T --year 2025 --out "$work/columnar.xlsx"
expect 0 --out "0 failures" -- $PY "$CUNJI_SRC/tests/cli/check_xlsx.py" "$work/columnar.xlsx"

# ---- CSV and JSON: the same books for a spreadsheet or a program; every row says its
# village and account, amounts exact (CSV: yuan with two decimals, JSON: integer fen)
expect 0 -- cj book detail --village $V1 --period 2025-02 --format csv --out "$work/detail.csv"
check_eq "CSV into a file starts with a BOM" "$(head -c3 "$work/detail.csv" | od -An -tx1 | tr -d ' ')" efbbbf
check_eq "one header for every account" "$(grep -c 'village,village_name' "$work/detail.csv")" 1
check_eq "CSV header" "$(head -1 "$work/detail.csv" | sed 's/^\xEF\xBB\xBF//')" \
	"village,village_name,account,account_name,date,voucher,summary,debit_yuan,credit_yuan,direction,balance_yuan"
check_eq "CSV line" "$(grep 收到承包费 "$work/detail.csv" | grep ',102001,')" \
	"$V1,周口村,102001,农商行,2025-02-03,记-1,收到承包费,12000.00,,借,62000.00"
check_eq "CSV 本年累计 of 101" "$(grep '^[^,]*,[^,]*,101,.*本年累计' "$work/detail.csv")" \
	"$V1,周口村,101,库存现金,,,本年累计,2200.00,60.00,借,3140.00"
# the --out file's extension picks CSV; into a pipe no BOM
expect 0 -- cj book cash --village $V1 --period 2025-02 --out "$work/cash.csv"
expect 0 --out "本月合计,,2000.00,0.00,借,3140.00" -- cat "$work/cash.csv"
check_eq "CSV into a pipe: no BOM" "$(cj book general --village $V1 --year 2025 --format csv | head -c7)" "village"
# GBK when asked
expect 0 -- cj book general --village $V1 --year 2025 --account 101 --format csv --encoding gbk --out "$work/g.csv"
check_eq "GBK" "$(iconv -f GB18030 -t UTF-8 "$work/g.csv" | grep -c '库存现金')" "$(cj book general --village $V1 --year 2025 --account 101 --format csv | grep -c '库存现金')"
# 多栏账: a column per sub-account named by its code
expect 0 --out "debit_yuan,credit_yuan,direction,balance_yuan,513001_yuan,513002_yuan" -- \
	cj book columnar --village $V1 --year 2025 --account 513 --format csv
# JSON: an array of the accounts' books, each table with its context, money in fen
cj book bank --village $V1 --period 2025-02 --format json >"$work/bank.json" 2>"$err"
check_eq "JSON" "$($PY -c '
import json, sys
books = json.load(open(sys.argv[1]))
t = books[1]["tables"][0]
rows = [r for r in t["rows"] if r["summary"] == "本月合计"]
print(len(books), books[0]["title"], t["context"]["account"], t["context"]["village_name"],
      rows[0]["debit_fen"], rows[0]["balance_fen"], type(rows[0]["debit_fen"]).__name__)' "$work/bank.json")" \
	"3 银行存款日记账 102001 周口村 1200000 5500000 int"
# a township: both villages in one CSV
expect 0 --out "360925100302,石门村,504,其他收入" -- cj book general --township $T --year 2025 --format csv
expect 2 --err "--format must be text, csv, json, xlsx or pdf" -- cj book cash --village $V1 --year 2025 --format html

# ---- the 明细账 statement prints its pages as the books do: 过次页 at the foot of page 1
# equal to 承前页 at the head of page 2, the sums of page 1's lines and the balance
# (a village of another township, with thirty days of a receipt and a payment in cash)
V3=360925200301
cj org add --level township --code 360925200 --name 雷公尖乡 --parent 360925 >/dev/null
cj org add --level village --code $V3 --name 周口村 --parent 360925200 --start 2025-01 >/dev/null
post --village $V3 --date 2025-01-01 --summary 期初余额 --opening --debit 101=1,000.00 --credit 301=1,000.00
january $V3 31 504 513
expect 0 -- cj statement ledger --village $V3 --period 2025-01 --account 101 --out "$work/ledger.pdf"
two_pages "$work/ledger.pdf" 明细账 "statement ledger"
# the text is the statement as before: no carried rows
expect 1 -- grep -q '过次页\|承前页' <(cj statement ledger --village $V3 --period 2025-01 --account 101)

# ---- refusals and usage errors
expect 2 --err "--village or --township" -- cj book general --year 2025
expect 2 --err "--village or --township" -- cj book general --village $V1 --township $T --year 2025
expect 2 --err "needs --out" -- cj book cash --village $V1 --year 2025 --format pdf
expect 1 --err "360925100399" -- cj book cash --village 360925100399 --year 2025
expect 1 --err "no account has figures for this book in 2025年度" -- cj book detail --village $V2 --year 2025 --account 102
expect 2 -- cj book general --village $V1 --period 2025-13
expect 1 --err "银行存款日记账 keeps 102 and its sub-accounts, not 101" -- cj book bank --village $V1 --year 2025 --account 101

finish
