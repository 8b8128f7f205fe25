#!/usr/bin/env bash
# Input hygiene and the CSV that people feed to other tools (issue 12):
#   * codes, dates and free text refused by the CLI with a message saying why;
#   * a CSV row with more or fewer fields than its header is refused, naming
#     the file, line and counts, on every path that reads CSV;
#   * post --file reads voucher files exactly as import vouchers does: one
#     file through each gives the same books;
#   * CSV reports: formulas neutralised, numbers kept, units in the headers,
#     a BOM for people and none for pipes, GBK on request, one table a file.
source "$(dirname "$0")/lib.sh"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$out" "$err"' EXIT

V=360925100201
books() { # a county, a township, village $V with its bank account and money in it
	cj org add --level county --code 360925 --name 靖安县 >/dev/null
	cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
	cj org add --level village --code $V --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
	cj account add --village $V --code 102001 --name 农商行 >/dev/null
	# the payments below need it: cash and bank never end a month in credit (0010)
	cj post --village $V --date 2025-01-01 --summary 期初余额 --opening --debit 102001=10,000 \
		--credit 311=10,000 >/dev/null
}
fresh_db inputtest
books

# ---- organisation codes (统计用区划代码)
expect 1 --err "'36092510020A' is not a village code: 12 digits" -- \
	cj org add --level village --code 36092510020A --name 字母村 --parent 360925100
expect 1 --err "village code 360926100202 does not start with its township's code 360925100" -- \
	cj org add --level village --code 360926100202 --name 邻县村 --parent 360925100
expect 1 --err "township code 360926101 does not start with its county's code 360925" -- \
	cj org add --level township --code 360926101 --name 邻县镇 --parent 360925
expect 1 --err "'C1' is not a county code: 6 digits" -- cj org add --level county --code C1 --name 县
check_eq "no organisation added" "$(sql 'SELECT count(*) FROM org')" 3

# ---- free text and dates
expect 1 --err "the summary (摘要) holds a line break (U+000A) after '收到'" -- \
	cj post --village $V --date 2025-03-05 --summary $'收到\n承包费' --debit 102001=1200 --credit 501=1200
expect 1 --err "the counterparty (往来单位) holds an escape code (U+001B) after '张三'" -- \
	cj post --village $V --date 2025-03-05 --summary 收到承包费 --debit 102001=1200 --credit $'501=1200;张三\e[31m'
check_eq "the escape code is not echoed" "$(grep -c $'\e' "$err")" 0
expect 1 --err "holds a tab (U+0009)" -- \
	cj post --village $V --date 2025-03-05 --summary $'收到\t承包费' --debit 102001=1200 --credit 501=1200
expect 1 --err "the date 9999-12-31 is outside the books' dates (1949-10-01 to $(($(date +%Y) + 1))-12-31)" -- \
	cj post --village $V --date 9999-12-31 --summary 收到承包费 --debit 102001=1200 --credit 501=1200
expect 1 --err "the name of 360925100202 holds a line break" -- \
	cj org add --level village --code 360925100202 --name $'马尾\n山村' --parent 360925100
expect 1 --err "cannot start in 2205-01" -- \
	cj org add --level village --code 360925100202 --name 马尾山村 --parent 360925100 --start 2205-01
expect 2 --err "--doc-date '2205-03-15' is outside the books' dates" -- \
	cj fund add --village $V --code F1 --name 专项 --kind 村集体自有 --source 村 --amount 100 --doc-date 2205-03-15
check_eq "nothing posted" "$(sql "SELECT count(*) FROM voucher WHERE kind <> 'opening'")" 0
# the importer: the same checks, every problem with its row and column
cat >"$tmp/text.csv" <<CSV
村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额
$V,2025-03-05,1,"收到
承包费",102001,10,
$V,2025-03-05,1,收到承包费,501,,10
$V,9999-12-31,2,收到承包费,102001,10,
$V,9999-12-31,2,收到承包费,501,,10
CSV
expect 1 --err "row 2, column 摘要: holds a line break (U+000A) after '收到'" -- cj import vouchers "$tmp/text.csv"
expect 1 --err "row 4, column 日期: '9999-12-31' is outside the books' dates" -- cj import vouchers "$tmp/text.csv"

# ---- every CSV reader refuses a row whose fields do not match its header
cat >"$tmp/shifted.csv" <<CSV
村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额,往来单位
$V,2025-03-05,1,收到承包费,102001,1,200.50,,
$V,2025-03-05,1,收到承包费,501,,"1,200.50",张三
CSV
msg="shifted.csv: line 2: 9 fields where the header has 8 (an amount such as 1,200.50 needs quotes"
expect 1 --err "$msg" -- cj import vouchers "$tmp/shifted.csv"
expect 1 --err "$msg" -- cj post --file "$tmp/shifted.csv"
head -2 "$CUNJI_SRC/importers/examples/members.csv" >"$tmp/members.csv"
echo '0102,王建华,360925196511201635,户主,13807951122,,,脱贫户,3,2,2025-01-01,多' >>"$tmp/members.csv"
expect 1 --err "members.csv: line 3: 12 fields where the header has 11" -- \
	cj member import --village $V --file "$tmp/members.csv"
sed 's/^2025-03-12,转账,李四,800.00,,/2025-03-12,转账,李四,800.00,/' \
	"$CUNJI_SRC/importers/examples/bank_statement.csv" >"$tmp/statement.csv"
expect 1 --err "statement.csv: line 7: 6 fields where the header has 7" -- \
	cj import bank --village $V --account 102001 --rules "$CUNJI_SRC/importers/examples/bank_rules.txt" \
	--file "$tmp/statement.csv"
sed '2s/"500,000.00"/500,000.00/' "$CUNJI_SRC/importers/examples/funds.csv" >"$tmp/funds.csv"
expect 1 --err "funds.csv: line 2: 11 fields where the header has 10" -- cj import funds "$tmp/funds.csv"
check_eq "nothing posted or added" "$(sql "SELECT count(*) FROM voucher WHERE kind <> 'opening'")/$(sql 'SELECT count(*) FROM household')/$(sql 'SELECT count(*) FROM fund')" 0/0/0

# ---- post --file and import vouchers: the same files, the same books.  Two
# payments with the same date and 摘要 are two vouchers (凭证号 1 and 2); 凭证号
# 1 again in May is another voucher; a voucher's rows need not be together.
cat >"$tmp/same.csv" <<CSV
村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额,往来单位
$V,2025/4/2,1,支付工程款,153,"1,000.00",,
$V,2025/4/2,2,支付工程款,153,"1,000.00",,
$V,2025/4/2,1,支付工程款,102001,,"1,000.00",路通公司
$V,2025/4/2,2,支付工程款,102001,,"1,000.00",路通公司
$V,2025-05-06,1,收到租金,102001,５００,,
$V,2025-05-06,1,收到租金,501,,500,靖安竹业
CSV
ledger_of() { # every voucher and line, as the books hold them
	sql "SELECT string_agg(format('%s-%s %s %s %s %s %s %s/%s/%s', to_char(v.period, 'YYYY-MM'), v.number,
	        v.voucher_date, v.summary, v.external_id, v.content_hash, l.line_no, l.account_code,
	        l.debit_fen - l.credit_fen, coalesce(l.counterparty, '')), ' ' ORDER BY v.period, v.number, l.line_no)
	     FROM voucher v JOIN voucher_line l ON l.village_id = v.village_id AND l.voucher_id = v.id"
}
expect 0 --out "posted 3 vouchers, 6 lines, in 1 village" -- cj post --file "$tmp/same.csv" --preparer 会计
by_post=$(ledger_of)
check_eq "two payments of one date and 摘要 are two vouchers" \
	"$(sql "SELECT count(*) FROM voucher WHERE summary = '支付工程款'")" 2
fresh_db inputtest2
books
expect 0 --out "posted 3 vouchers, 6 lines, in 1 village" -- cj import vouchers "$tmp/same.csv" --preparer 会计
check_eq "post --file and import vouchers post the same books" "$(ledger_of)" "$by_post"
# a file without 凭证号: refused by both (rows are grouped by it)
grep -v 凭证号 "$tmp/same.csv" | cut -d, -f1,2,4- >"$tmp/nonumber.csv"
sed -i '1i 村代码,日期,摘要,科目代码,借方金额,贷方金额,往来单位' "$tmp/nonumber.csv"
expect 1 --err "the header lacks the column 凭证号 (voucher)" -- cj post --file "$tmp/nonumber.csv"
expect 1 --err "the header lacks the column 凭证号 (voucher)" -- cj import vouchers "$tmp/nonumber.csv"
# --village for a file without 村代码, and standard input
cut -d, -f2- "$tmp/same.csv" | sed 's/2025-05-06/2025-08-06/; s/2025\/4\/2/2025-06-02/' >"$tmp/novillage.csv"
expect 0 --out "stdin (UTF-8): posted 3 vouchers" -- sh -c "\"$CUNJI_BIN\" --db $DB post --file - --village $V <\"$tmp/novillage.csv\""

# ---- CSV reports: text that a spreadsheet would run is neutralised, numbers stay
cj post --village $V --date 2025-07-01 --summary '=HYPERLINK("http://example.com","点击")' \
	--debit 102001=200 --credit '501=200;@SUM(1+1)' >/dev/null
cj post --village $V --date 2025-07-02 --summary '-2+3' --debit 102001=20,000 --credit '501=20,000;+张三' >/dev/null
cj void --village $V --number 2025-07-2 >/dev/null
cj ledger --village $V --account 501 --year 2025 --format csv --encoding utf-8 >"$tmp/ledger.csv"
$PY - "$tmp/ledger.csv" <<'PYEOF' >"$tmp/cells"
import csv, sys
for row in csv.reader(open(sys.argv[1], encoding="utf-8")):
    print("|".join(row))
PYEOF
check_eq "a formula in a 摘要 is text" "$(grep -c "^2025-07-01,记-1,\"'=HYPERLINK(\"\"http" "$tmp/ledger.csv")" 1
check_eq "cells as a spreadsheet reads them" "$(grep '^2025-07' "$tmp/cells")" \
"2025-07-01|记-1|'=HYPERLINK(\"http://example.com\",\"点击\")（@SUM(1+1)）||200.00|贷|700.00
2025-07-02|记-2|'-2+3（+张三）||20000.00|贷|20700.00
2025-07-02|记-3|'-2+3（+张三）||-20000.00|贷|700.00"
check_eq "a negative amount stays a number" "$(grep -c ',-20000.00,' "$tmp/ledger.csv")" 1

# ---- fund and project CSV: the unit in the header; one table a file
cj fund allocate --county 360925 --doc '文1' --doc-date 2025-03-15 --code XJ --name '=衔接' \
	--kind 衔接推进乡村振兴补助资金 --source 中央 --amount 600000 --to $V=600000 >/dev/null
cj post --village $V --date 2025-04-08 --summary 收到衔接资金 --fund XJ --debit '102001=500000;@县财政局' --credit 241=500000 >/dev/null
cj project add --village $V --code XM01 --name 村组道路硬化 --category 基础设施 --budget XJ=500000 >/dev/null
check_eq "fund list header" "$(cj fund list --village $V --format csv | head -1)" \
	"village,fund,name,kind,source,doc,status,granted_yuan,received_yuan,spent_yuan,left_yuan"
check_eq "fund list row" "$(cj fund list --village $V --format csv | sed -n 2p)" \
	"$V,XJ,\"'=衔接\",衔接推进乡村振兴补助资金,中央,文1,open,600000.00,500000.00,0.00,500000.00"
check_eq "JSON keeps integer fen" "$(cj fund list --village $V --format json | grep -o '"granted_fen": [0-9]*' | head -1)" \
	'"granted_fen": 60000000'
check_eq "project list header" "$(cj project list --village $V --format csv | head -1)" \
	"project,name,category,status,unit,responsible,households,asset,budget_yuan,paid_yuan,left_yuan"
check_eq "fund trace header" "$(cj fund trace --county 360925 --doc 文1 --format csv | head -1)" \
	"township,village,what,date,voucher,summary,project,payee,allocated_yuan,received_yuan,spent_yuan,left_yuan"
check_eq "fund show: one table in CSV" "$(cj fund show --village $V --code XJ --format csv | head -2)" \
	"date,voucher,summary,project,payee,received_yuan,spent_yuan
2025-04-08,2025-04-3,收到衔接资金,,\"'@县财政局\",500000.00,0.00"
check_eq "fund show --table rules" "$(cj fund show --village $V --code XJ --format csv --table rules | wc -l)" 2
expect 0 --out "允许科目" -- cj fund show --village $V --code XJ
expect 2 --err "--table must be rules or lines" -- cj fund show --village $V --code XJ --table all

# ---- the BOM: for a file or a terminal, not for a pipe; GBK on request
cj tb --village $V --year 2025 --format csv >"$tmp/tb.csv"
check_eq "CSV to a file starts with a BOM" "$(head -c 3 "$tmp/tb.csv" | od -An -tx1 | tr -d ' ')" efbbbf
check_eq "CSV into a pipe has none" "$(cj tb --village $V --year 2025 --format csv | head -c 4)" "code"
cj tb --village $V --year 2025 --format csv --encoding utf-8 >"$tmp/plain.csv"
check_eq "--encoding utf-8: no BOM" "$(head -c 4 "$tmp/plain.csv")" "code"
check_eq "--encoding utf-8-bom into a pipe" \
	"$(cj tb --village $V --year 2025 --format csv --encoding utf-8-bom | head -c 3 | od -An -tx1 | tr -d ' ')" efbbbf
cj tb --village $V --year 2025 --format csv --encoding gbk >"$tmp/gbk.csv"
check_eq "--encoding gbk" "$(iconv -f GBK -t UTF-8 "$tmp/gbk.csv" | grep '^102001,')" \
	"$(sed 's/^\xef\xbb\xbf//' "$tmp/plain.csv" | grep '^102001,')"
check_eq "GBK bytes" "$(grep -c "$(printf '\xc5\xa9\xc9\xcc\xd0\xd0')" "$tmp/gbk.csv")" 1 # 农商行
expect 2 --err "--encoding is for --format csv" -- cj tb --village $V --year 2025 --encoding gbk
expect 2 --err "--encoding must be utf-8-bom, utf-8 or gbk" -- cj tb --village $V --year 2025 --format csv --encoding latin1
cj export journal --village $V --out "$tmp/journal" && cj export journal --village $V >"$tmp/journal2"
check_eq "the journal export stays plain" "$(head -c 1 "$tmp/journal2" | od -An -tx1 | tr -d ' ')" \
	"$(head -c 1 "$tmp/journal" | od -An -tx1 | tr -d ' ')"
check_eq "no BOM in the journal" "$(grep -c $'\xef\xbb\xbf' "$tmp/journal2")" 0

finish
