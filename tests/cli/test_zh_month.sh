#!/usr/bin/env bash
# A bookkeeper's month of a township, in Chinese (issue 17, "Done when"):
# under LC_ALL=zh_CN.UTF-8, three villages of 双溪镇 each import their bank
# statement (XLSX as banks and Excel write them: a title block above the
# header, amounts stored as binary doubles such as 856216.5600000001) with
# one rules file, close the month for the township, and print the
# township's statements (with the 乡镇汇总, checked against the villages')
# and 明细账.  One village is planted to fail at each step (an unbalanced
# statement, an earlier month open, an account it lacks): the others are
# done, it is untouched, and the summary says so.  Nothing on the screen is
# English.
source "$(dirname "$0")/lib.sh"
if ! locale -a 2>/dev/null | grep -qix 'zh_CN.utf8'; then
	echo "FAIL: the zh_CN.UTF-8 locale is missing (locale-gen zh_CN.UTF-8; .ci/do makes it)"
	exit 1
fi
fresh_db test_zh_month
T=$(mktemp -d)
trap 'rm -rf "$T" "$out" "$err"' EXIT
A=360925100201 B=360925100202 C=360925100203 TOWN=360925100

# the command words stay ASCII in any language (as test_zh)
words=$(LC_ALL=C.UTF-8 "$CUNJI_BIN" help | awk '/^  [a-z]/ {print $1; print $2; print $3}' |
	grep -E "^[a-z-]+$" | tr "-" "\n" | sort -u | tr '\n' '|')
# ... and so do the rules file's keywords, the files' names and what the user typed (acount)
allowed="${words}cunji|csv|json|text|xlsx|pdf|utf|gbk|bom|txt|if|and|account|fund|project|summary|direction|acount"
screen=0
zh() { # zh STATUS [--out TEXT] [--err TEXT] -- cunji args: run in Chinese, keep the screen
	local opts=()
	while [ "$1" != "--" ]; do
		opts+=("$1")
		shift
	done
	shift
	pushd "$T" >/dev/null || exit 1
	expect "${opts[@]}" -- env LC_ALL=zh_CN.UTF-8 LANGUAGE= "$CUNJI_BIN" --db "$DB" "$@"
	popd >/dev/null || exit 1
	screen=$((screen + 1))
	cp "$out" "$T/out.$screen"
	{ echo "\$ cunji $*"; cat "$out" "$err"; } >"$T/screen.$screen"
}

zh 0 -- org add --level county --code 360925 --name 靖安县
zh 0 -- org add --level township --code $TOWN --name 双溪镇 --parent 360925
zh 0 -- org add --level village --code $A --name 周口村 --parent $TOWN --start 2025-03
zh 0 -- org add --level village --code $B --name 马尾山村 --parent $TOWN --start 2025-03
# 西村's books start in February, which is never closed
zh 0 -- org add --level village --code $C --name 西村 --parent $TOWN --start 2025-02

# ---- the bank statements: XLSX with a title block and Excel's doubles ----
cat >"$T/规则.txt" <<'EOF'
# 双溪镇各村共用的银行对账规则
if 承包费
direction in
  account 501
  summary 收到{counterparty}承包费
if 电费
direction out
  account 513
  summary 支付电费
EOF
$PY - "$T" <<'EOF'
import datetime, sys, openpyxl
def statement(name, unit, rows):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "对账单"
    ws.append(["单位名称：" + unit])
    ws.append(["期间：2025年3月1日至2025年3月31日"])
    ws.append([])
    ws.append(["交易日期", "摘要", "对方户名", "收入金额", "支出金额", "余额", "用途"])
    for r in rows:
        ws.append(r)
    wb.save(f"{sys.argv[1]}/{name}")
d = lambda day: datetime.datetime(2025, 3, day)
# the doubles Excel stores for 856,216.56, 390,424.69 and 465,791.87
statement("周口村-2025年3月.xlsx", "周口村股份经济合作社",
          [[d(5), "转账", "张三", 856216.5600000001, None, 856216.5600000001, "承包费"],
           [d(20), "转账", "县供电公司", None, 390424.6899999999, 465791.8700000001, "电费"]])
statement("马尾山村-2025年3月.xlsx", "马尾山村股份经济合作社",
          [[d(6), "转账", "李四", 1200.0, None, 1200.0, "承包费"],
           [d(21), "转账", "县供电公司", None, 150.3, 1049.7, "电费"]])
# planted: 西村's second balance does not follow (750.00 would)
statement("西村-2025年3月.xlsx", "西村股份经济合作社",
          [[d(7), "转账", "王五", 800.0, None, 800.0, "承包费"],
           [d(22), "转账", "县供电公司", None, 100.0, 760.0, "电费"]])
EOF
vouchers() { sql "SELECT string_agg(o.code || ':' || n, ',' ORDER BY o.code) FROM (SELECT village_id, count(*) n FROM voucher GROUP BY village_id) v JOIN org o ON o.id = v.village_id"; }

# a rules file with a problem is refused once, before any village
printf 'if 承包费\n  acount 501\n' >"$T/坏规则.txt"
zh 1 --err "未知关键字" -- import bank --township $TOWN --rules 坏规则.txt --account 102 \
	周口村-2025年3月.xlsx 马尾山村-2025年3月.xlsx
check_eq "nothing imported with broken rules" "$(vouchers)" ""
zh 0 --out "2 个村已完成" -- import bank --township $TOWN --rules 规则.txt --account 102 --dry-run \
	周口村-2025年3月.xlsx 马尾山村-2025年3月.xlsx
check_eq "a dry run posts nothing" "$(vouchers)" ""
zh 1 --out "2 个村已完成，1 个被拒绝" --err "第 6 行，“余额”列" -- import bank --township $TOWN \
	--rules 规则.txt --account 102 周口村-2025年3月.xlsx 马尾山村-2025年3月.xlsx 西村-2025年3月.xlsx
grep -q "^$C .*被拒绝.*西村-2025年3月.xlsx" "$T/out.$screen" ||
	{ echo "FAIL: the summary says why $C was refused"; cat "$T/out.$screen"; failures=$((failures + 1)); }
grep -q "^$A .*已完成" "$T/out.$screen" || { echo "FAIL: $A done"; failures=$((failures + 1)); }
checks=$((checks + 2))
check_eq "A and B posted, C untouched" "$(vouchers)" "$A:2,$B:2"
check_eq "Excel's doubles read as the amounts they show" \
	"$(sql "SELECT sum(debit_fen) || '/' || sum(credit_fen) FROM voucher_line l JOIN org o ON o.id = l.village_id WHERE o.code = '$A' AND l.account_code = '102'")" \
	"85621656/39042469"
# importing again posts nothing new; the same rules by explicit VILLAGE=FILE
zh 0 --out "1 个村已完成" -- import bank --rules 规则.txt --account 102 "马尾山村=马尾山村-2025年3月.xlsx" \
	--township $TOWN
check_eq "nothing posted twice" "$(vouchers)" "$A:2,$B:2"

# ---- the month's close for the township ----
closed() { sql "SELECT coalesce(string_agg(o.code || ':' || to_char(s.period, 'YYYY-MM'), ',' ORDER BY o.code), '') FROM period_state s JOIN org o ON o.id = s.village_id WHERE s.closed"; }
zh 1 --out "2 个村已完成，1 个被拒绝，0 个未做；尚待处理： $C" -- \
	period close --township $TOWN --period 2025-03 --yes
check_eq "A and B closed, C untouched" "$(closed)" "$A:2025-03,$B:2025-03"

# ---- the township's statements: the 汇总 first, then village by village ----
zh 0 --out "资产负债表（汇总）" --err "3 个村已完成" -- statement balance-sheet --township $TOWN --period 2025-03 --summary
grep -q "编制单位：双溪镇（3 个村汇总）" "$T/out.$screen" && grep -q "已逐行核对相符" "$T/out.$screen" ||
	{ echo "FAIL: the summary's unit and its check"; head -20 "$T/out.$screen"; failures=$((failures + 1)); }
checks=$((checks + 1))
# 货币资金 at the end of March: 465,791.87 + 1,049.70 + 0.00
grep -q "货币资金 .* 466,841.57$" "$T/out.$screen" ||
	{ echo "FAIL: the township's 货币资金"; grep 货币资金 "$T/out.$screen"; failures=$((failures + 1)); }
checks=$((checks + 1))
zh 0 --out "3 个村已完成" -- statement all --township $TOWN --period 2025-03 --summary --out 双溪镇2025年3月.pdf
zh 0 --out "3 个村已完成" -- statement all --township $TOWN --period 2025-03 --summary --out 双溪镇2025年3月.xlsx
pdftotext -layout "$T/双溪镇2025年3月.pdf" "$T/town.txt"
for want in "资产负债表（汇总）" "收益及收益分配表（汇总）" "编制单位：周口村" "编制单位：马尾山村" "编制单位：西村" \
	"科目余额表" "收支明细表" "466,841.57"; do
	checks=$((checks + 1))
	grep -qF "$want" "$T/town.txt" || { echo "FAIL: the township's PDF lacks $want"; failures=$((failures + 1)); }
done
check_eq "the workbook: the summaries, then each village's four" "$($PY - "$T/双溪镇2025年3月.xlsx" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
print(len(wb.sheetnames), wb.sheetnames[0], wb.sheetnames[2], wb.sheetnames[-1])
EOF
)" "14 资产负债表（汇总） 周口村 资产负债表 西村 收支明细表"
checks=$((checks + 1))
$PY "$(dirname "$0")/check_xlsx.py" "$T/双溪镇2025年3月.xlsx" >"$T/xlsx.txt" 2>&1 ||
	{ echo "FAIL: the township's workbook: its formulas"; cat "$T/xlsx.txt"; failures=$((failures + 1)); }
zh 0 --out "收益及收益分配表（汇总）" -- statement income --township $TOWN --period 2025-03 --summary

# 明细账 of the bank for every village, in one file; and an account only two villages keep
zh 0 --out "3 个村已完成" -- statement ledger --township $TOWN --period 2025-03 --account 102 --out 银行存款明细账.pdf
zh 0 --out "明细账" -- statement ledger --township $TOWN --period 2025-03 --account 102
zh 0 -- account add --village $A --code 113001 --name 张三
zh 0 -- account add --village $B --code 113001 --name 李四
zh 1 --out "2 个村已完成，1 个被拒绝" -- statement ledger --township $TOWN --period 2025-03 --account 113001 \
	--out 往来明细账.pdf
pdftotext -layout "$T/往来明细账.pdf" "$T/ledger.txt"
checks=$((checks + 1))
grep -q "编制单位：周口村" "$T/ledger.txt" && grep -q "编制单位：马尾山村" "$T/ledger.txt" &&
	! grep -q "编制单位：西村" "$T/ledger.txt" ||
	{ echo "FAIL: the refused village is left out whole, the others are in"; failures=$((failures + 1)); }
# --summary wants the whole township
zh 2 --err "--summary" -- statement balance-sheet --villages $A,$B --period 2025-03 --summary
# disclosure: each village's own files
zh 0 --out "3 个村已完成" -- disclose --township $TOWN --period 2025-03 --out 公开
check_eq "six disclosure files" "$(find "$T/公开" -type f | wc -l)" 6

# ---- what the screen showed, without what may stay ASCII ----
checks=$((checks + 1))
english=$(for f in "$T"/screen.*; do
	sed 1d "$f" | sed -E 's#--[a-z][a-z0-9-]*##g; s#[^[:space:]]*[/~$][^[:space:]]*##g' |
		grep -oE '[A-Za-z][A-Za-z]+' | grep -vxE "[A-Z0-9_]+|$allowed" |
		sed "s#^#$(head -1 "$f" | cut -c1-60): #"
done | sort -u)
if [ -n "$english" ]; then
	echo "FAIL: English on the screen under zh_CN.UTF-8:"
	sed 's/^/  /' <<<"$english"
	failures=$((failures + 1))
fi
# the files for a person to look at (kept when CUNJI_KEEP names a folder)
[ -n "${CUNJI_KEEP:-}" ] && cp "$T"/*.pdf "$T"/*.xlsx "$CUNJI_KEEP"/ 2>/dev/null
finish
