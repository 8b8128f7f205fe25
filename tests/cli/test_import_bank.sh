#!/usr/bin/env bash
# import bank and import funds end to end: GBK CSV and XLSX statements through
# the rules, unmatched rows listed and nothing posted, a broken running balance
# named, a receipt already posted by hand caught, re-imports that post nothing,
# dry runs; an allocation notice with every bad row listed, then imported once.
source "$(dirname "$0")/lib.sh"
fresh_db importbank
E="$CUNJI_SRC/importers/examples"
T=$(mktemp -d)
trap 'rm -rf "$T" "$out" "$err"' EXIT

# to_xlsx CSV XLSX: the same table as a workbook, numbers as numbers and
# dates as dates (so the reader's date serials are exercised)
to_xlsx() {
	"$PY" - "$1" "$2" <<'PYEOF'
import csv, datetime, re, sys
import openpyxl
wb = openpyxl.Workbook()
ws = wb.active
with open(sys.argv[1], encoding="utf-8") as f:
    for r, row in enumerate(csv.reader(f), start=1):
        for c, v in enumerate(row, start=1):
            if re.fullmatch(r"\d{4}-\d\d-\d\d", v):
                ws.cell(r, c, datetime.date(*map(int, v.split("-")))).number_format = "yyyy-mm-dd"
            elif re.fullmatch(r"-?[\d,]+(\.\d+)?", v) and len(v) < 15:
                ws.cell(r, c, float(v.replace(",", "")) if "." in v else int(v.replace(",", "")))
            elif v:
                ws.cell(r, c, v)
wb.save(sys.argv[2])
PYEOF
}

lines_102001() { sql "SELECT count(*) FROM voucher_line WHERE account_code = '102001'"; }
balance_102001() { sql "SELECT coalesce(sum(debit_fen - credit_fen), 0) FROM voucher_line WHERE account_code = '102001'"; }

cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code 360925100201 --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj org add --level village --code 360925100202 --name 东岭村 --parent 360925100 --start 2025-01 >/dev/null
cj org add --level county --code 360926 --name 邻县 >/dev/null
cj account add --village 360925100201 --code 102001 --name 农商行 >/dev/null
cj post --village 360925100201 --date 2025-01-01 --summary 期初余额 --opening \
	--debit 102001=50000 --credit 311=50000 >/dev/null
cj project add --village 360925100201 --code P1 --name 通组道路 --category 基础设施 --budget 村=20000 >/dev/null
cj project add --village 360925100201 --code P2 --name 村部装修 --category 楼堂馆所 --budget 村=20000 >/dev/null
cj project start --village 360925100201 --code P1 --date 2025-03-01 >/dev/null

# ======================================================================
# import funds

# ---- every bad row listed, with row and column; nothing written
cat >"$T/bad_funds.csv" <<'EOF'
文号,日期,资金类型,来源级次,县代码,村代码,资金代码,金额,用途,项目
靖财农〔2025〕12号,2025-03-01,衔接推进乡村振兴补助资金,中央,360925,360925100201,XJ2025-01,"500,000.00",通组道路硬化,P1
靖财农〔2025〕12号,2025-03-32,衔接推进乡村振兴补助资金,中央,360925,360925100202,XJ2025-01,300000,产业,
靖财农〔2025〕12号,2025-03-01,衔接推进乡村振兴补助资金,国家,360925,360925100299,XJ2025-02,12.345,产业,
靖财农〔2025〕13号,2025-03-01,扶贫资金,中央,360925,360925100201,XJ 2025,100,产业,
靖财农〔2025〕14号,2025-03-01,衔接推进乡村振兴补助资金,中央,360926,360925100201,XJ2025-01,100,产业,
靖财农〔2025〕15号,2025-03-01,衔接推进乡村振兴补助资金,中央,360925,360925100201,XJ2025-05,100,村部,P2
靖财农〔2025〕15号,2025-03-01,衔接推进乡村振兴补助资金,中央,360925,360925100201,XJ2025-06,100,村部,P9
,2025-03-01,衔接推进乡村振兴补助资金,中央,360925,360925100201,XJ2025-07,,村部,
EOF
expect 1 --err "13 problems; nothing was imported" -- cj import funds --file "$T/bad_funds.csv"
for needle in \
	"row 3, column 日期: '2025-03-32' is not a date" \
	"row 3, column 日期: '2025-03-32' differs from row 2 ('2025-03-01'), of the same allocation" \
	"row 4, column 来源级次: '国家' is not a source level" \
	"row 4, column 村代码: '360925100299' is not a village in the books" \
	"row 4, column 金额: '12.345' is not an amount" \
	"row 5, column 资金类型: '扶贫资金' is not a fund kind" \
	"row 5, column 资金代码: 'XJ 2025' is not a fund code" \
	"row 6, column 村代码: '360925100201' is in county 360925, not 360926" \
	"row 7, column 项目: 'P2' is a 楼堂馆所 project, which a 衔接推进乡村振兴补助资金 fund may not pay for" \
	"row 8, column 项目: 'P9' is not a project of village 360925100201" \
	"row 9, column 文号: is empty" \
	"row 9, column 金额: is empty"; do
	checks=$((checks + 1))
	grep -qF -- "$needle" "$err" || { echo "FAIL: funds errors lack: $needle"; sed 's/^/  err: /' "$err"; failures=$((failures + 1)); }
done
# row order: the error of row 3 comes before those of row 4
check_eq "errors in row order" "$(grep -o 'row [0-9]*' "$err" | head -1)" "row 3"
check_eq "a bad notice writes nothing" "$(sql 'SELECT count(*) FROM fund_allocation') $(sql 'SELECT count(*) FROM fund')" "0 0"

# ---- the good notice: dry run, import, re-import
expect 0 --out "would add 2 funds in 1 allocation (1 new), 800,000.00 in all; 1 project budget" -- \
	cj import funds --file "$E/funds.csv" --dry-run
check_eq "a dry run writes nothing" "$(sql 'SELECT count(*) FROM fund')" 0
expect 0 --out "added 2 funds in 1 allocation (1 new), 800,000.00 in all; 1 project budget" -- \
	cj import funds --file "$E/funds.csv"
check_eq "allocation" "$(sql "SELECT doc_no || ' ' || name || ' ' || total_fen FROM fund_allocation")" \
	"靖财农〔2025〕12号 衔接推进乡村振兴补助资金 80000000"
check_eq "funds per village" \
	"$(sql "SELECT string_agg(o.code || ':' || f.code || ':' || f.granted_fen || ':' || f.name, ' ' ORDER BY o.code) FROM fund f JOIN org o ON o.id = f.village_id")" \
	"360925100201:XJ2025-01:50000000:通组道路硬化 360925100202:XJ2025-01:30000000:特色种植产业"
check_eq "the fund is in P1's budget" \
	"$(sql "SELECT b.source || ':' || b.amount_fen FROM project_budget b JOIN project p ON p.id = b.project_id WHERE p.code = 'P1' AND b.fund_id IS NOT NULL")" \
	"XJ2025-01:50000000"
expect 0 --out "nothing new; the 2 funds of the file are already in the books" -- cj import funds --file "$E/funds.csv"
check_eq "re-import adds nothing" "$(sql 'SELECT count(*) FROM fund_allocation') $(sql 'SELECT count(*) FROM fund') $(sql 'SELECT count(*) FROM project_budget')" "1 2 3"
# the same notice with a different amount for a village is refused
sed 's/"300,000.00"/"310,000.00"/' "$E/funds.csv" >"$T/changed_funds.csv"
expect 1 --err "row 2, column 文号: '靖财农〔2025〕12号' is already in the books for county 360925" -- \
	cj import funds --file "$T/changed_funds.csv"
# an XLSX notice with GBK-free Chinese text, 万元 amounts
cat >"$T/funds2.csv" <<'EOF'
文号,日期,资金类型,来源级次,县代码,村代码,资金代码,金额(万元),资金名称
靖财农〔2025〕20号,2025-04-01,一事一议资金,县,360925,360925100201,YSYY2025,1.5,一事一议奖补
靖财农〔2025〕20号,2025-04-01,一事一议资金,县,360925,360925100202,YSYY2025,2.25,一事一议奖补
EOF
to_xlsx "$T/funds2.csv" "$T/funds2.xlsx"
expect 0 --out "funds2.xlsx (XLSX): added 2 funds in 1 allocation (1 new), 37,500.00 in all" -- \
	cj import funds --file "$T/funds2.xlsx"
expect 0 --out "nothing new" -- cj import funds --file "$T/funds2.xlsx"

# ======================================================================
# import bank

ib() { cj import bank --village 360925100201 --account 102001 --rules "$E/bank_rules.txt" "$@"; }

# ---- dry run of the example: every voucher shown, nothing posted
expect 0 --out "would post 6 vouchers (0 already imported)" -- ib --file "$E/bank_statement.csv" --dry-run
cp "$out" "$T/dry_run.txt"
check_eq "the dry run shows every row with the account its rule names" \
	"$(grep -oE '^ *[0-9]+  2025-[0-9]{2}-[0-9]{2} .* [0-9]{3,6}  ' "$T/dry_run.txt" | awk '{print $1 ":" $NF}' | tr '\n' ' ')" \
	"5:501 6:241 7:501 8:153 9:504 10:513 "
check_eq "a dry run posts nothing" "$(lines_102001)" 1

# ---- the statement as GBK CSV
iconv -f UTF-8 -t GBK "$E/bank_statement.csv" >"$T/march_gbk.csv"
expect 0 --out "march_gbk.csv (GB18030): posted 6 vouchers (2025-03-1 ... 2025-03-6), 0 already imported; in 302,052.50, out 75,010.00; 102001 农商行 ends at 277,042.50 as the statement does" -- \
	ib --file "$T/march_gbk.csv"
check_eq "the ledger ends where the statement does" "$(balance_102001)" 27704250
check_eq "fund XJ2025-01 received 300,000.00 and spent 75,000.00" \
	"$(sql "SELECT received_fen || '/' || spent_fen FROM fund_total t JOIN fund f ON f.id = t.fund_id AND f.village_id = t.village_id JOIN org o ON o.id = f.village_id WHERE f.code = 'XJ2025-01' AND o.code = '360925100201'")" \
	"30000000/7500000"
check_eq "rules: accounts, counterparty, summary" \
	"$(sql "SELECT l.account_code || ':' || coalesce(l.counterparty, '-') || ':' || v.summary FROM voucher v JOIN voucher_line l ON l.village_id = v.village_id AND l.voucher_id = v.id WHERE l.account_code <> '102001' AND v.voucher_date = '2025-03-05'")" \
	"501:张三:收到张三承包费"

# ---- re-import: the same file, and the same statement as XLSX, post nothing
expect 0 --out "nothing new: the 6 rows of the statement are already posted" -- ib --file "$T/march_gbk.csv"
to_xlsx "$E/bank_statement.csv" "$T/march.xlsx"
expect 0 --out "march.xlsx (XLSX): nothing new: the 6 rows of the statement are already posted" -- ib --file "$T/march.xlsx"
# rules changed since (another summary): rows already posted stay as they are
sed 's/收到{counterparty}承包费/{counterparty}交来承包费/' "$E/bank_rules.txt" >"$T/rules2.txt"
expect 0 --out "nothing new" -- \
	cj import bank --village 360925100201 --account 102001 --rules "$T/rules2.txt" --file "$T/march_gbk.csv"
check_eq "re-imports post nothing" "$(lines_102001)" 7

# ---- April as XLSX, newest first as some banks export it
cat >"$T/april.csv" <<'EOF'
交易日期,对方户名,摘要,贷方发生额,借方发生额,余额
2025-04-20,王五,承包费,600.00,,"277,842.50"
2025-04-02,,手续费,,200.00,"277,242.50"
2025-04-01,赵六,承包费,400.00,,"277,442.50"
EOF
to_xlsx "$T/april.csv" "$T/april.xlsx"
expect 0 --out "april.xlsx (XLSX): posted 3 vouchers" -- ib --file "$T/april.xlsx"
check_eq "April's balance" "$(balance_102001)" 27784250

# ---- rows that no rule matches: all listed, nothing posted
cat >"$T/may_unmatched.csv" <<'EOF'
交易日期,对方户名,摘要,收入金额,支出金额,余额
2025-05-06,王五,承包费,100.00,,"277,942.50"
2025-05-07,某超市,购物,,50.00,"277,892.50"
2025-05-08,张三,退款,20.00,,"277,912.50"
EOF
expect 1 --err "2 problems; nothing was imported" -- ib --file "$T/may_unmatched.csv"
for needle in "row 3: no rule matches: 支出 50.00, 对方户名 '某超市', 摘要 '购物'" \
	"row 4: no rule matches: 收入 20.00, 对方户名 '张三', 摘要 '退款'" \
	"2 rows that no rule of"; do
	checks=$((checks + 1))
	grep -qF -- "$needle" "$err" || { echo "FAIL: unmatched rows lack: $needle"; sed 's/^/  err: /' "$err"; failures=$((failures + 1)); }
done
check_eq "unmatched rows post nothing" "$(balance_102001)" 27784250

# ---- a broken running balance: the first row where it breaks is named
cat >"$T/may_broken.csv" <<'EOF'
交易日期,对方户名,摘要,收入金额,支出金额,余额
2025-05-06,王五,承包费,100.00,,"277,942.50"
2025-05-07,李四,承包费,200.00,,"278,152.50"
2025-05-08,张三,承包费,300.00,,"278,452.50"
EOF
expect 1 --err "row 3, column 余额: '278,152.50' breaks the running balance: the row above ends at 277,942.50, and +200.00 makes 278,142.50" -- \
	ib --file "$T/may_broken.csv"
check_eq "one error only: the first break" "$(grep -c 'balance' "$err")" 1
# the statement does not start where the ledger is
cat >"$T/may_gap.csv" <<'EOF'
交易日期,对方户名,摘要,收入金额,支出金额,余额
2025-05-06,王五,承包费,100.00,,"278,942.50"
EOF
expect 1 --err "row 2, column 余额: '278,942.50' does not follow from the ledger: 102001 holds 277,842.50 before 2025-05-06" -- \
	ib --file "$T/may_gap.csv"

# ---- a receipt already posted by hand is caught, not posted twice
cj post --village 360925100201 --date 2025-05-06 --summary 收到王五承包费 --debit 102001=100 --credit 501=100 >/dev/null
cat >"$T/may.csv" <<'EOF'
交易日期,对方户名,摘要,收入金额,支出金额,余额
2025-05-06,王五,承包费,100.00,,"277,942.50"
EOF
expect 1 --err "the ledger has postings to 102001 from 2025-05-06 to 2025-05-06 that are not from this statement" -- \
	ib --file "$T/may.csv"

# ---- a voucher being posted while the statement is imported: the import
# waits for it and then sees it, instead of checking the balance without it
# and posting a statement the ledger no longer agrees with
vid=$(sql "SELECT id FROM org WHERE code = '360925100201'")
cat >"$T/june.csv" <<'EOF'
交易日期,对方户名,摘要,收入金额,支出金额,余额
2025-06-03,王五,承包费,50.00,,"277,992.50"
EOF
psql -X -q -At "host=$CUNJI_HOME/pg user=postgres dbname=$DB" >"$T/hand.out" 2>&1 <<SQL &
SET search_path = cunji;
BEGIN;
WITH n AS (INSERT INTO voucher_counter AS c VALUES ($vid, '2025-06-01', 1)
           ON CONFLICT (village_id, period) DO UPDATE SET last_number = c.last_number + 1
           RETURNING last_number)
INSERT INTO voucher (village_id, id, period, number, voucher_date, summary, content_hash)
SELECT $vid, nextval('voucher_id_seq'), '2025-06-01', last_number, '2025-06-02', '手工存入', 'by hand' FROM n;
INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code, debit_fen, credit_fen)
VALUES ($vid, currval('voucher_id_seq'), 1, '2025-06-01', '102001', 1000, 0),
       ($vid, currval('voucher_id_seq'), 2, '2025-06-01', '501', 0, 1000);
SELECT pg_sleep(1);
COMMIT;
SQL
hand=$!
for _ in $(seq 200); do # until that posting holds its share of the village's lock
	[ "$(sql "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 4242
	            AND objid = $vid AND granted
	            AND database = (SELECT oid FROM pg_database WHERE datname = current_database())")" = 1 ] && break
	sleep 0.05
done
expect 1 --err "row 2, column 余额: '277,992.50' does not follow from the ledger: 102001 holds 277,952.50 before 2025-06-03" -- \
	ib --file "$T/june.csv"
wait $hand
check_eq "the posting made meanwhile is in, the statement is not" "$(balance_102001)/$(cat "$T/hand.out")" 27795250/

# ---- a posting that reserved its number first, then waits for the village's
# lock the import holds: a deadlock, which PostgreSQL breaks by cancelling
# the import (the other waits 10 s before it looks); the import reads and
# checks again, and posts
cat >"$T/july.csv" <<'EOF'
交易日期,对方户名,摘要,收入金额,支出金额,余额
2025-07-03,王五,承包费,60.00,,"278,012.50"
EOF
rm -f "$T/reserved"
sed "s/VID/$vid/g; s#READY#$T/reserved#" >"$T/deadlock.sql" <<'SQL'
SET search_path = cunji;
BEGIN;
SET LOCAL deadlock_timeout = '10s';
INSERT INTO voucher_counter AS c VALUES (VID, '2025-07-01', 1)
ON CONFLICT (village_id, period) DO UPDATE SET last_number = c.last_number + 1;
\! touch READY
DO $$ BEGIN
	FOR i IN 1..1000 LOOP -- until the import holds the village's lock (20 s at most)
		-- in this database: tests beside it lock villages of the same ids in theirs
		EXIT WHEN EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND classid = 4242
		                     AND objid = VID AND mode = 'ExclusiveLock' AND granted
		                     AND database = (SELECT oid FROM pg_database
		                                      WHERE datname = current_database()));
		PERFORM pg_sleep(0.02);
	END LOOP;
END $$;
INSERT INTO voucher (village_id, id, period, number, voucher_date, summary, content_hash)
VALUES (VID, nextval('voucher_id_seq'), '2025-07-01',
        (SELECT last_number FROM voucher_counter WHERE village_id = VID AND period = '2025-07-01'),
        '2025-07-01', '手工收现金', 'by hand');
INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code, debit_fen, credit_fen)
VALUES (VID, currval('voucher_id_seq'), 1, '2025-07-01', '101', 500, 0),
       (VID, currval('voucher_id_seq'), 2, '2025-07-01', '501', 0, 500);
COMMIT;
SQL
psql -X -q -At -v ON_ERROR_STOP=1 "host=$CUNJI_HOME/pg user=postgres dbname=$DB" \
	-f "$T/deadlock.sql" >"$T/deadlock.out" 2>&1 &
hand=$!
for _ in $(seq 200); do [ -e "$T/reserved" ] && break; sleep 0.05; done
expect 0 --out "july.csv (UTF-8): posted 1 voucher" -- ib --file "$T/july.csv"
wait $hand
check_eq "the other posting went in too, after the import" \
	"$(cat "$T/deadlock.out")/$(sql "SELECT count(*) FROM voucher WHERE summary = '手工收现金'")/$(balance_102001)" \
	/1/27801250

# ---- the rules file and the options
printf 'if 承包费\n  acount 501\nif x\n  account 501\n  fund\n' >"$T/bad_rules.txt"
expect 1 --err "bad_rules.txt: line 2: unknown keyword 'acount'" -- \
	cj import bank --village 360925100201 --account 102001 --rules "$T/bad_rules.txt" --file "$T/may.csv"
expect 1 --err "line 5: 'fund' needs a value" -- \
	cj import bank --village 360925100201 --account 102001 --rules "$T/bad_rules.txt" --file "$T/may.csv"
printf 'if 承包费\n  account 599\n' >"$T/wrong_account.txt"
expect 1 --err "wrong_account.txt: line 1: account 599 is not in the chart of this village" -- \
	cj import bank --village 360925100201 --account 102001 --rules "$T/wrong_account.txt" --file "$T/april.csv"
expect 1 --err "a statement goes to a bank account" -- \
	cj import bank --village 360925100201 --account 101 --rules "$E/bank_rules.txt" --file "$T/may.csv"
expect 1 --err "has sub-accounts" -- \
	cj import bank --village 360925100201 --account 102 --rules "$E/bank_rules.txt" --file "$T/may.csv"
expect 2 --err "--file, --rules and --account are required" -- cj import bank --village 360925100201
printf 'just some text\nwithout a header\n' >"$T/junk.csv"
expect 1 --err "no header row in the first 30 rows" -- ib --file "$T/junk.csv"
printf 'PK\003\004 not really a zip' >"$T/fake.xlsx"
expect 1 --err "fake.xlsx: not a readable XLSX file" -- ib --file "$T/fake.xlsx"

finish
