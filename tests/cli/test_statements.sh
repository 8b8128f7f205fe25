#!/usr/bin/env bash
# Statements of a small fixed village (周口村) built through the CLI: the text
# of each statement against its golden file (tests/golden/statements; rerun
# with UPDATE_GOLDEN=1 to rewrite them after an intended change), the XLSX read
# back with openpyxl (every formula re-evaluated, totals against `cunji tb`),
# the PDF with pdftotext and pdffonts, a layout that leaves an account out
# (refused loudly, statement still written), a broken layout, the built-in
# copy of the layouts, and usage errors.
source "$(dirname "$0")/lib.sh"
: "${CUNJI_SRC:?}"
fresh_db stmttest
golden=$CUNJI_SRC/tests/golden/statements
work=$(mktemp -d)
trap 'rm -rf "$work" "$out" "$err"' EXIT

# ---- the data set: opening balances, a year of vouchers, a void, a distribution
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code 360925100301 --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
for a in 102001=农商行 113001=张三户 113002=李四户 501001=承包收入 501002=租赁收入 \
	513001=办公费 513002=折旧费 211090=应付成员分红; do
	cj account add --village 360925100301 --code "${a%%=*}" --name "${a#*=}" >/dev/null
done
post() { expect 0 -- cj post --village 360925100301 "$@"; }
post --date 2025-01-01 --summary 期初余额 --opening \
	--debit 101=1,000.00 --debit 102001=50,000.00 --debit 151=300,000.00 --debit 113001=2,000.00 \
	--credit 152=20,000.00 --credit 113002=500.00 --credit 201=30,000.00 --credit 301=200,000.00 \
	--credit 311=100,000.00 --credit 322001=2,500.00
post --date 2025-03-05 --summary 收到承包费 --debit 102001=12,000.00 --credit '501001=12,000.00;张三户'
post --date 2025-04-10 --summary 收到厂房租金 --debit 101=3600 --credit 501002=3600
post --date 2025-05-20 --summary 收到村级组织运转经费 --debit 102001=50000 --credit 503=50000
post --date 2025-06-15 --summary 购买办公用品 --debit 513001=1850.50 --credit 101=1850.50
post --date 2025-07-01 --summary 计提固定资产折旧 --debit 513002=5000 --credit 152=5000
post --date 2025-08-08 --summary 张三户借款 --debit '113001=1000;张三户' --credit 101=1000
post --date 2025-09-30 --summary 修缮村道路灯 --debit 514=8000 --credit 102001=8000
post --date 2025-10-12 --summary 收到合作社分红 --debit 102001=1500 --credit 502=1500
post --date 2025-11-05 --summary 慰问困难户 --debit 515=300 --credit 101=300
post --date 2025-11-20 --summary 错付劳务费 --debit 511=999 --credit 102001=999 --id WRONG1
expect 0 -- cj void --village 360925100301 --id WRONG1 --date 2025-11-21
post --date 2025-12-10 --summary 李四户预交承包费 --debit 102001=200 --credit '113002=200;李四户'
post --date 2025-12-20 --summary 缴纳印花税 --debit 512=120 --credit 102001=120
post --date 2025-12-28 --summary 提取公积公益金及成员分红 --debit 322002=10000 --credit 311=3000 \
	--credit 211090=7000

# ---- text against the golden files
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
same_as_golden balance_sheet_2025-12 cj statement balance-sheet --village 360925100301 --period 2025-12
same_as_golden income_2025Q4 cj statement income --village 360925100301 --period 2025Q4
# a quarter's 本期数 begins in October: the undistributed income then is 期初, not 年初
expect 0 --out "加：期初未分配收益" -- cj statement income --village 360925100301 --period 2025Q4
expect 0 --out "六、期末未分配收益" -- cj statement income --village 360925100301 --period 2025Q4
same_as_golden balances_2025-12 cj statement balances --village 360925100301 --period 2025-12
same_as_golden detail_2025Q4 cj statement detail --village 360925100301 --period 2025Q4
same_as_golden ledger_102_2025Q4 cj statement ledger --village 360925100301 --period 2025Q4 --account 102
same_as_golden ledger_113001_2025 cj statement ledger --village 360925100301 --period 2025 --account 113001

# the compiled-in copy of the layouts gives the same statements
checks=$((checks + 1))
CUNJI_LAYOUTS=builtin "$CUNJI_BIN" --db "$DB" statement balance-sheet --village 360925100301 --period 2025-12 >"$work/builtin.txt" &&
	cmp -s "$work/builtin.txt" "$work/balance_sheet_2025-12.txt" || fail_builtin=1
[ -z "${fail_builtin:-}" ] || { echo "FAIL: the built-in layouts differ from the files"; failures=$((failures + 1)); }

# ---- XLSX and PDF of all four, checked with tools we did not write
expect 0 -- cj statement all --village 360925100301 --period 2025-12 --out "$work/all.xlsx"
expect 0 -- cj statement all --village 360925100301 --period 2025-12 --format pdf --out "$work/all.pdf"
expect 0 -- cj tb --village 360925100301 --from 2025-01 --to 2025-12 --format csv
cp "$out" "$work/tb_year.csv"
expect 0 -- cj tb --village 360925100301 --from 2025-12 --to 2025-12 --format csv
cp "$out" "$work/tb_dec.csv"
checks=$((checks + 1))
$PY "$CUNJI_SRC/tests/cli/check_xlsx.py" "$work/all.xlsx" >"$out" 2>&1 || { cat "$out"; failures=$((failures + 1)); }
checks=$((checks + 1))
if ! $PY - "$work/all.xlsx" "$work/tb_year.csv" "$work/tb_dec.csv" >"$out" 2>&1 <<'PYEOF'
# The statements' figures against the trial balance that `cunji tb` prints.
import csv, sys
from decimal import Decimal
import openpyxl

wb = openpyxl.load_workbook(sys.argv[1], data_only=True)
fails = []

def rows(sheet):
    return [[c for c in r] for r in wb[sheet].iter_rows(values_only=True)]

def find(sheet, label, col=0):
    for r in rows(sheet):
        if r[col] == label:
            return r
    fails.append(f"{sheet}: no row {label}")
    return [None] * 10

def money(v):
    return Decimal(str(v or 0)).quantize(Decimal("0.01"))

def tb(path):
    out = {}
    for r in csv.DictReader(open(path, encoding="utf-8-sig")):  # CSV in a file has a BOM
        out[r["code"] or r["name"]] = r  # the 合计 row has no code
    return out

year, dec = tb(sys.argv[2]), tb(sys.argv[3])

def closing(code):  # debit positive
    r = year.get(code)
    return money(r["closing_debit_yuan"]) - money(r["closing_credit_yuan"]) if r else Decimal("0.00")

def check(what, got, want):
    if money(got) != money(want):
        fails.append(f"{what}: statement {got}, ledger {want}")

# 资产负债表 期末数 (column D) against the trial balance's closing balances
bs = "资产负债表"
check("货币资金", find(bs, "货币资金")[3], closing("101") + closing("102"))
check("固定资产原值", find(bs, "固定资产原值")[3], closing("151"))
check("减：累计折旧", find(bs, "减：累计折旧")[3], -closing("152"))
# 内部往来 two-sided: the sub-accounts' debit balances are receivables, credit ones payables
internal = [closing(c) for c in year if c.startswith("113") and len(c) > 3]
check("应收款项", find(bs, "应收款项")[3], closing("112") + sum(b for b in internal if b > 0))
check("应付款项", find(bs, "应付款项")[3], -closing("211") - sum(b for b in internal if b < 0))
assets = sum(closing(c) for c, r in year.items() if len(c) == 3 and c < "200" and c != "113")
assets += sum(b for b in internal if b > 0) + closing("401")
others = sum(-closing(c) for c, r in year.items() if len(c) == 3 and c >= "200" and c != "401")
others -= sum(b for b in internal if b < 0)
check("资产总计", find(bs, "资产总计")[3], assets)
check("负债和所有者权益总计", find(bs, "负债和所有者权益总计")[3], others)
check("资产总计 = 负债和所有者权益总计", find(bs, "资产总计")[3], find(bs, "负债和所有者权益总计")[3])
check("资产总计 年初数 = 负债和所有者权益总计", find(bs, "资产总计")[2], find(bs, "负债和所有者权益总计")[2])

# 收益及收益分配表 本年累计数 against the year's postings (the year is not closed yet); a month's
# statement says 期初 and 期末 of its columns
inc = "收益及收益分配表"
income = sum(money(r["credit_yuan"]) - money(r["debit_yuan"]) for c, r in year.items() if len(c) == 3 and c in ("501", "502", "503", "504"))
spent = sum(money(r["debit_yuan"]) - money(r["credit_yuan"]) for c, r in year.items() if len(c) == 3 and c in ("511", "512", "513", "514", "515", "521"))
check("四、净收益", find(inc, "四、净收益")[3], income - spent)
check("六、期末未分配收益 = 未分配收益 on the balance sheet", find(inc, "六、期末未分配收益")[3], find(bs, "未分配收益")[3])
u = find(inc, "五、可分配收益")[3]
dist = sum(money(find(inc, x)[3]) for x in ("减：提取公积公益金", "向成员分配", "其他"))
check("可分配收益 - 各项分配", find(inc, "六、期末未分配收益")[3], money(u) - dist)

# 科目余额表 合计 against `cunji tb` for December
total = find("科目余额表", "合计", 1)
t = dec["合计"]
for i, key in enumerate(["opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit"]):
    check("科目余额表 合计 " + key, total[2 + i], t[key + "_yuan"])
for r in rows("科目余额表")[5:]:
    if r[0] and r[0] in dec:
        for i, key in enumerate(["opening_debit", "opening_credit", "debit", "credit", "closing_debit", "closing_credit"]):
            check(f"科目余额表 {r[0]} {key}", r[2 + i], dec[r[0]][key + "_yuan"])

# 收支明细表 本年累计数
check("收入合计", find("收支明细表", "收入合计", 1)[3], income)
check("支出合计", find("收支明细表", "支出合计", 1)[3], spent)
check("收支结余", find("收支明细表", "收支结余", 1)[3], income - spent)

for f in fails:
    print("FAIL: " + f)
print(f"statements against the ledger: {len(fails)} failures")
sys.exit(1 if fails else 0)
PYEOF
then
	cat "$out"; failures=$((failures + 1))
fi
checks=$((checks + 1))
pdffonts "$work/all.pdf" 2>/dev/null | grep -E 'WenQuanYiZenHei +CID TrueType +Identity-H +yes +yes +yes' >/dev/null ||
	{ echo "FAIL: the PDF does not embed WenQuanYi Zen Hei"; failures=$((failures + 1)); }
flat=$(pdftotext -layout "$work/all.pdf" - 2>/dev/null | tr -d ' \n')
for want in 资产负债表 会农集01表 编制单位：周口村 2025年12月31日 货币资金 107,029.50 资产总计 \
	385,029.50 负债和所有者权益总计 收益及收益分配表 六、期末未分配收益 44,329.50 科目余额表 \
	农商行 432,100.00 收支明细表 收支结余 51,829.50 单位负责人： 第1页共1页; do
	checks=$((checks + 1))
	case "$flat" in *"$want"*) ;; *) echo "FAIL: the PDF lacks '$want'"; failures=$((failures + 1)) ;; esac
done
checks=$((checks + 1))
pages=$(pdfinfo "$work/all.pdf" 2>/dev/null | awk '/^Pages:/ {print $2}')
[ "$pages" -ge 4 ] || { echo "FAIL: the PDF has $pages pages, want one or more per statement"; failures=$((failures + 1)); }
expect 0 -- cj statement ledger --village 360925100301 --period 2025Q4 --account 102 --out "$work/ledger.pdf"
checks=$((checks + 1))
pdftotext "$work/ledger.pdf" - 2>/dev/null | tr -d ' \n' | grep -qF '本期合计1,700.00120.00借105,580.00' ||
	{ echo "FAIL: the ledger PDF lacks its 本期合计"; failures=$((failures + 1)); }

# ---- after the year-end close: the year's statements
expect 0 -- cj year close --village 360925100301 --year 2025 --yes --empty-months-ok
same_as_golden balance_sheet_2025 cj statement balance-sheet --village 360925100301 --period 2025
same_as_golden income_2025 cj statement income --village 360925100301 --period 2025
expect 0 --out "加：年初未分配收益" -- cj statement income --village 360925100301 --period 2025
same_as_golden balances_2025 cj statement balances --village 360925100301 --period 2025

# ---- a layout that leaves 库存现金 out: written, noted, and refused loudly
mkdir -p "$work/layouts"
cp "$CUNJI_SRC"/reports/layouts/*.layout "$work/layouts/"
sed -i 's/| 101+102$/| 102/' "$work/layouts/balance_sheet_2023.layout"
CUNJI_LAYOUTS=$work/layouts expect 1 --out "※ 核对不符" --err "资产总计应等于负债和所有者权益总计" -- \
	cj statement balance-sheet --village 360925100301 --period 2025
checks=$((checks + 1))
grep -qF "101 库存现金" "$err" || { echo "FAIL: the mismatch does not name 101 库存现金"; sed 's/^/  err: /' "$err"; failures=$((failures + 1)); }
# a broken layout names its file and line
sed -i 's/^1  | line  | 1 | D | 货币资金 | 102$/1  | line  | 1 | X | 货币资金 | 102/' "$work/layouts/balance_sheet_2023.layout"
CUNJI_LAYOUTS=$work/layouts expect 1 --err "balance_sheet_2023.layout, line 25: side 'X' must be D or C" -- \
	cj statement balance-sheet --village 360925100301 --period 2025
echo '1 | line | 0 | C | 收入 | 501+L7' >"$work/layouts/income_2023.layout.body"
printf 'title 坏\nkind income\n1 | line | 0 | C | 收入 | 501+L7\n' >"$work/layouts/income_2023.layout"
CUNJI_LAYOUTS=$work/layouts expect 1 --err "L7 is not a line above this one" -- \
	cj statement income --village 360925100301 --period 2025
printf 'title 坏\nkind income\n1 | line | 0 | C | 收入 | 999\n' >"$work/layouts/income_2023.layout"
CUNJI_LAYOUTS=$work/layouts expect 1 --err "account 999 is not in the 2023 chart" -- \
	cj statement income --village 360925100301 --period 2025

# ---- usage
expect 2 --err "--period is required" -- cj statement balance-sheet --village 360925100301
expect 2 --err "--period '2025Q5': there is no quarter 5" -- \
	cj statement income --village 360925100301 --period 2025Q5
expect 2 --err "--period '2025-12-31' is not a period; write a year (2025)" -- \
	cj statement income --village 360925100301 --period 2025-12-31
# the Chinese forms name the same months, with the one label
expect 0 --out "编制单位：周口村    2025年第四季度    单位：元" -- \
	cj statement detail --village 360925100301 --period 2025年第4季度
expect 0 --out "编制单位：周口村    2025年10月至11月    单位：元" -- \
	cj statement detail --village 360925100301 --period 2025-10..2025-11
expect 1 --err "收益及收益分配表 covers months of one year, not 2025年11月至2026年1月" -- \
	cj statement income --village 360925100301 --period 2025-11..2026-01
expect 2 --err "--format pdf needs --out FILE" -- cj statement balances --village 360925100301 --period 2025 --format pdf
expect 2 --err "--format must be text, xlsx or pdf" -- cj statement detail --village 360925100301 --period 2025 --format csv
expect 2 --err "--account is required" -- cj statement ledger --village 360925100301 --period 2025
expect 1 --err "360925100309" -- cj statement balance-sheet --village 360925100309 --period 2025
expect 1 --err "999999" -- cj statement ledger --village 360925100301 --period 2025 --account 999999
expect 0 --out "资产负债表" -- cj statement balance-sheet --help
finish
