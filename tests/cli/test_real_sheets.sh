#!/usr/bin/env bash
# Spreadsheets as bookkeepers really get them (issue 17): amounts Excel kept
# as binary doubles read as the amount the cell shows, dates as serials in
# General cells, title rows (单位名称, 期间) above the header, a worksheet
# picked with --sheet (and named when the header is not found), 1200元 and
# ¥1,200.00 as amounts, standard input ('-') for every importer, members
# from XLSX.  The workbooks are made here with openpyxl.
source "$(dirname "$0")/lib.sh"
fresh_db realsheets
E="$CUNJI_SRC/importers/examples"
T=$(mktemp -d)
trap 'rm -rf "$T" "$out" "$err"' EXIT

"$PY" - "$T" <<'PYEOF'
import datetime, sys
import openpyxl
t = sys.argv[1]

def book(path, sheets):
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    wb.save(path)

title = [["单位名称：周口村股份经济合作社"], ["期间：2025年3月"], []]
head = ["村代码", "日期", "凭证号", "摘要", "科目代码", "借方金额", "贷方金额", "制单人"]
# the doubles Excel writes for 856216.56 and 390424.69 (a sum of cells),
# dates as serials in General cells (45721 is 2025-03-05)
march = title + [head,
    ["360925100201", 45721, "3", "收到土地补偿款", "102001", 856216.5600000001, None, "李会计"],
    ["360925100201", 45721, "3", "收到土地补偿款", "501", None, 856216.5600000001],
    ["360925100201", 45722, "4", "收到租金", "102001", 390424.6899999999, None],
    ["360925100201", 45722, "4", "收到租金", "501", None, "390424.69元"],
    ["360925100201", 45723, "记-5", "收取承包费", "101", "¥1,200.00", None],
    ["360925100201", 45723, "记-5", "收取承包费", "501", None, "1200元", "王出纳"]]
book(f"{t}/march.xlsx", [("说明", [["本表为三月凭证"]]), ("三月", march)])
book(f"{t}/nohead.xlsx", [("Sheet1", [["合计", 1]]), ("第二页", march)])
# a bank statement with title rows and a double in its running balance
book(f"{t}/bank.xlsx", [("对账单", [
    ["账号", "6228480012345678901"], ["户名", "周口村股份经济合作社"],
    ["交易日期", "摘要", "对方户名", "收入金额", "支出金额", "余额"],
    [45731, "承包费", "张三", 0.1 + 0.2, None, 1246641.5500000002]])])
# members with a title row, a serial date
book(f"{t}/members.xlsx", [("花名册", [["周口村成员名册"],
    ["户编号", "姓名", "身份证号", "与户主关系", "人口股", "股权生效日期"],
    ["0101", "周德明", "360925195803121318", "户主", 4, 45658],
    ["0101", "刘桂英", "360925196008051423", "配偶", None, None]])])
# sub-accounts with a title row
book(f"{t}/accounts.xlsx", [("科目", [["周口村明细科目"],
    ["村代码", "科目代码", "科目名称"], ["360925100201", "102002", "邮储银行"]])])
PYEOF

cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
# organisations from standard input
printf '级别,代码,名称,上级代码,建账月份\n村,360925100201,周口村,360925100,2025-01\n' >"$T/orgs.csv"
expect 0 --out "from stdin" -- sh -c "\"$CUNJI_BIN\" --db $DB org add --file - <\"$T/orgs.csv\""
printf 'village,code,name\n360925100201,102001,农商行\n' >"$T/acc.csv"
expect 0 --out "added 1 accounts from stdin" -- sh -c "\"$CUNJI_BIN\" --db $DB account add --file - <\"$T/acc.csv\""
expect 0 --out "added 1 accounts from $T/accounts.xlsx" -- cj account add --file "$T/accounts.xlsx"

# the voucher workbook: the first sheet is a note, so it is named when read
expect 1 --err "the header lacks the columns" -- cj import vouchers "$T/march.xlsx" --dry-run
expect 1 --err "worksheet '说明' was read" -- cj import vouchers "$T/march.xlsx" --dry-run
expect 1 --err "no worksheet '四月' (its sheets: 说明, 三月)" -- cj import vouchers "$T/march.xlsx" --sheet 四月
expect 1 --err "a CSV file has no worksheet" -- cj import vouchers "$E/vouchers.csv" --sheet 1
expect 0 --out "posted 3 vouchers" -- cj import vouchers "$T/march.xlsx" --sheet 三月
check_eq "the doubles as the amounts the cells show" \
	"$(sql "SELECT string_agg(debit_fen::text, ',' ORDER BY voucher_id, line_no) FROM voucher_line WHERE debit_fen > 0")" \
	"85621656,39042469,120000"
check_eq "credits: 856216.56, 390424.69元, 1200元" \
	"$(sql "SELECT string_agg(credit_fen::text, ',' ORDER BY voucher_id, line_no) FROM voucher_line WHERE credit_fen > 0")" \
	"85621656,39042469,120000"
check_eq "serial dates in General cells are dates" \
	"$(sql "SELECT string_agg(voucher_date::text, ',' ORDER BY id) FROM voucher")" \
	"2025-03-05,2025-03-06,2025-03-07"
# the paper's 凭证号 and 制单人 are kept beside the books' own number (0026)
check_eq "source numbers and preparers" \
	"$(sql "SELECT string_agg(number || ':' || source_number || ':' || coalesce(source_preparer, '-'), ',' ORDER BY id) FROM voucher")" \
	"1:3:李会计,2:4:-,3:记-5:王出纳"
expect 0 --out "原凭证号：记-5" -- cj voucher show --village 360925100201 --number 2025-03-3
expect 0 --out "原制单人：王出纳" -- cj voucher show --village 360925100201 --number 2025-03-3
# the staging path keeps them too
fresh_db realsheets_staged
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code 360925100201 --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj account add --village 360925100201 --code 102001 --name 农商行 >/dev/null
expect 0 -- cj post --village 360925100201 --date 2025-03-01 --summary 先记一笔 --debit 101=1 --credit 501=1
# a voucher's rows apart in the file: the staging path merges them
printf '村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额,制单人\n360925100201,2025-03-05,A7,甲,101,5,,\n360925100201,2025-03-05,A8,乙,101,6,,赵会计\n360925100201,2025-03-05,A7,甲,501,,5,钱会计\n360925100201,2025-03-05,A8,乙,501,,6,\n' >"$T/apart.csv"
expect 0 --out "posted 2 vouchers" -- cj import vouchers "$T/apart.csv"
check_eq "source numbers and preparers, staged" \
	"$(sql "SELECT string_agg(number || ':' || coalesce(source_number, '-') || ':' || coalesce(source_preparer, '-'), ',' ORDER BY number) FROM voucher")" \
	"1:-:-,2:A7:钱会计,3:A8:赵会计"
# the database keeps them plain text, whoever writes
db_refused 23514 "INSERT INTO voucher (village_id, id, period, number, voucher_date, summary, content_hash, source_preparer)
	SELECT village_id, 999999, period, 99, voucher_date, 'x', 'x', E'李\\n会计' FROM voucher LIMIT 1" voucher_source_plain
DB=realsheets
# the same sheet by number, standard input: already imported, nothing new
expect 0 --out "imported before" -- sh -c "\"$CUNJI_BIN\" --db $DB import vouchers - --sheet 2 <\"$T/march.xlsx\""
# no row names the columns in the first sheet: named, with the sheet
expect 1 --err "row 1: the header lacks the columns" -- cj import vouchers "$T/nohead.xlsx" --dry-run

# the bank statement: title rows, 0.1 + 0.2 and a double balance
cat >"$T/rules.txt" <<'RULES'
if 承包费
  account 501
RULES
expect 0 --out "posted 1 voucher" -- cj import bank --village 360925100201 --account 102001 \
	--rules "$T/rules.txt" --file - <"$T/bank.xlsx"
check_eq "0.30000000000000004 is 0.30" \
	"$(sql "SELECT debit_fen FROM voucher_line l JOIN voucher h ON h.village_id = l.village_id AND h.id = l.voucher_id WHERE h.voucher_date = '2025-03-15' AND debit_fen > 0")" 30

# members from XLSX with a title row, and from standard input
expect 0 --out "would import 1 household, 2 people" -- cj member import --village 360925100201 --file "$T/members.xlsx" --dry-run
expect 0 --err "the header is row 2" -- cj member import --village 360925100201 --file "$T/members.xlsx" --dry-run
expect 0 --out "stdin (XLSX): imported 1 household" -- sh -c "\"$CUNJI_BIN\" --db $DB import members - --village 360925100201 <\"$T/members.xlsx\""
check_eq "the serial 45658 is the shares' date" \
	"$(sql "SELECT min(effective_from)::text FROM share_holding")" "2025-01-01"

# an allocation notice from standard input, its amount written 500000元
printf '文号,日期,资金类型,来源级次,县代码,村代码,资金代码,金额\n靖财农〔2025〕12号,2025-03-01,衔接推进乡村振兴补助资金,中央,360925,360925100201,XJ2025-01,500000元\n' >"$T/funds.csv"
expect 0 --out "stdin (UTF-8)" -- sh -c "\"$CUNJI_BIN\" --db $DB import funds --dry-run - <\"$T/funds.csv\""
expect 0 --out "500,000.00" -- sh -c "\"$CUNJI_BIN\" --db $DB import funds - <\"$T/funds.csv\""
finish
