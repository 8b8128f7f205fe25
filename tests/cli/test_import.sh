#!/usr/bin/env bash
# cunji import vouchers / opening / members: encodings, quoting and amounts
# as bookkeepers write them; every problem of a file reported with its row
# and column and then nothing posted; a file imported twice posts once; a
# voucher already posted is skipped, a changed one refused; two imports of
# one file at once post it once; a killed import leaves the books as they
# were.  Fixtures are in tests/fixtures/import.
source "$(dirname "$0")/lib.sh"
fresh_db importtest
F="$CUNJI_SRC/tests/fixtures/import"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$out" "$err"' EXIT

vouchers() { sql "SELECT count(*) FROM voucher"; }
logged() { sql "SELECT count(*) FROM import_log"; }

cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
for v in 360925100301 360925100302 360925100303 360925100304 360925100305 360925100306; do
	cj org add --level village --code $v --name 村$v --parent 360925100 --start 2025-01 >/dev/null
	cj account add --village $v --code 102001 --name 农商行 >/dev/null
done
cj fund allocate --county 360925 --doc 文1 --doc-date 2025-01-20 --code XJ --name 衔接 \
	--kind 衔接推进乡村振兴补助资金 --source 中央 --amount 300000 --to 360925100301=300000 >/dev/null

# ---- usage
expect 0 --out "借方金额(万元)" -- cj import vouchers --help
expect 2 --err "which file" -- cj import vouchers
expect 2 --err "unexpected argument" -- cj import vouchers a.csv b.csv
expect 1 --err "No such file" -- cj import vouchers "$tmp/missing.csv"

# ---- a good file, then the same file again
expect 0 --out "vouchers.csv (UTF-8): would post 4 vouchers, 8 lines, in 2 villages" -- \
	cj import vouchers "$F/vouchers.csv" --dry-run
check_eq "a dry run writes nothing" "$(vouchers)/$(logged)" "0/0"
expect 0 --out "posted 4 vouchers, 8 lines, in 2 villages; debits = credits = 113,100.50" -- \
	cj import vouchers "$F/vouchers.csv"
check_eq "numbers by village and month" \
	"$(sql "SELECT string_agg(o.code || ':' || to_char(v.period, 'YYYY-MM') || '-' || v.number || ':' || v.external_id, ' ' ORDER BY o.code, v.number) FROM voucher v JOIN org o ON o.id = v.village_id")" \
	"360925100301:2025-02-1:2025-02/1 360925100301:2025-02-2:2025-02/2 360925100301:2025-02-3:2025-02/3 360925100302:2025-02-1:2025-02/1"
check_eq "counterparty, line summary and fund on the lines" \
	"$(sql "SELECT string_agg(coalesce(l.counterparty, '-') || '/' || l.summary || '/' || coalesce(f.code, '-'), ' ' ORDER BY l.voucher_id, l.line_no) FROM voucher_line l LEFT JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id WHERE l.village_id = (SELECT id FROM org WHERE code = '360925100301')")" \
	"-/收到承包费/- 张三/收到承包费/- -/付电费, 二月/- -/付电费, 二月/- -/收到衔接资金/XJ 县财政局/收到衔接资金/XJ"
check_eq "the fund received it" "$(sql "SELECT received_fen FROM fund_total")" 10000000
expect 0 --out "this file was imported before" -- cj import vouchers "$F/vouchers.csv"
check_eq "imported once" "$(vouchers)/$(logged)" "4/1"
expect 0 -- cj check

# ---- GBK with CRLF, full-width digits, 2025/3/4 dates
expect 0 --out "vouchers_gbk.csv (GB18030): posted 2 vouchers" -- cj import vouchers "$F/vouchers_gbk.csv"
# (the villages may go in over two connections: their ids are in no set order)
check_eq "GBK text arrives as UTF-8" "$(sql "SELECT summary FROM voucher v JOIN org o ON o.id = v.village_id WHERE o.code = '360925100301' AND v.period = '2025-03-01'")" "购买办公用品"
check_eq "full-width 500" "$(sql "SELECT sum(debit_fen) FROM voucher_line l JOIN org o ON o.id = l.village_id WHERE o.code = '360925100302' AND l.period = '2025-03-01'")" 50000

# ---- BOM, tabs, English headers in another order, a quoted summary
expect 0 --out "vouchers_bom.tsv (UTF-8 with BOM): posted 1 voucher" -- cj import vouchers "$F/vouchers_bom.tsv"
check_eq "the quoted summary" "$(sql "SELECT summary = '修水管(村委会)' FROM voucher WHERE period = '2025-04-01'")" t
check_eq "１２３．４５" "$(sql "SELECT debit_fen FROM voucher_line WHERE period = '2025-04-01' AND line_no = 1")" 12345

# ---- 万元 columns, exact to the fen
expect 0 --out "debits = credits = 12,346.67" -- cj import vouchers "$F/vouchers_wan.csv"
check_eq "1.234567 万元 and 0.0001 万元 in fen" \
	"$(sql "SELECT string_agg(debit_fen::text, ',' ORDER BY voucher_id) FROM voucher_line WHERE period = '2025-05-01' AND debit_fen > 0")" \
	"1234567,100"

# ---- bad rows in the middle of a good file: all reported, nothing posted
before=$(vouchers)
expect 1 --err "vouchers_bad.csv: 10 problems; nothing was imported" -- cj import vouchers "$F/vouchers_bad.csv"
for e in \
	"vouchers_bad.csv: row 4, column 借方金额: '12,34.5' is not an amount" \
	"vouchers_bad.csv: row 6, column 日期: '2025-06-31' is not a date" \
	"vouchers_bad.csv: row 8: 凭证号 4 of village 360925100301 (rows 8, 9): unbalanced: debits 10.00, credits 9.99 (difference 0.01)" \
	"vouchers_bad.csv: row 10, column 村代码: '360925100309': no village has this code (also on row 11)" \
	"vouchers_bad.csv: row 12, column 科目代码: account 5139 does not exist in village 360925100302" \
	"vouchers_bad.csv: row 13, column 科目代码: account 102 银行存款 has sub-accounts; post to one of them" \
	"vouchers_bad.csv: row 14, column 资金: fund 'NOFUND' does not exist in village 360925100302" \
	"vouchers_bad.csv: row 14, column 项目: project 'NOPROJ' does not exist in village 360925100302" \
	"vouchers_bad.csv: row 16, column 借方金额: '(10.00)' is negative" \
	"vouchers_bad.csv: row 18, column 借方金额: both 借方金额 and 贷方金额 hold an amount"; do
	checks=$((checks + 1))
	grep -qF -- "$e" "$err" || { echo "FAIL: stderr lacks: $e"; sed 's/^/  err: /' "$err"; failures=$((failures + 1)); }
done
check_eq "the problems come in row order" "$(grep -o 'csv: row [0-9]*' "$err" | cut -d' ' -f3 | tr '\n' ' ')" "4 6 8 10 12 13 14 14 16 18 "
check_eq "nothing of a bad file is posted" "$(vouchers)/$(logged)" "$before/4"

# ---- a closed month
cj period close --village 360925100302 --period 2025-01 >/dev/null
expect 1 --err "row 2: 凭证号 1 of village 360925100302: period 2025-01 of village 360925100302 is closed" -- \
	cj import vouchers "$F/vouchers_closed.csv"

# ---- part of a file already posted; a posted voucher changed
expect 0 --out "1 voucher already posted (same external id and content) was skipped" -- \
	cj import vouchers "$F/vouchers_partial.csv"
check_eq "only the new voucher" "$(sql "SELECT count(*) FROM voucher_line WHERE counterparty = '王五'")/$(sql "SELECT count(*) FROM voucher_line WHERE counterparty = '李四'")" "1/1"
expect 1 --err "external id 2025-02/1 was already posted as voucher 2025-02-1 with different content" -- \
	cj import vouchers "$F/vouchers_changed.csv"

# ---- opening balances
expect 0 --out "opening.csv (UTF-8): posted 1 voucher, 3 lines, in 1 village; debits = credits = 51,000.00" -- \
	cj import opening "$F/opening.csv"
check_eq "an opening voucher dated the books' first day" \
	"$(sql "SELECT kind || ' ' || voucher_date || ' ' || summary FROM voucher v JOIN org o ON o.id = v.village_id WHERE o.code = '360925100303'")" \
	"opening 2025-01-01 期初余额"
expect 0 --out "102001        农商行" -- cj tb --village 360925100303 --year 2025
check_eq "trial balance opening column" "$(cj tb --village 360925100303 --year 2025 --format csv | grep '^311,' | cut -d, -f4)" "51000.00"
expect 0 --out "imported before" -- cj import opening "$F/opening.csv"
cp "$F/opening.csv" "$tmp/opening2.csv"; echo "360925100303,101,库存现金,1," >> "$tmp/opening2.csv"; echo "360925100303,311,公积公益金,,1" >> "$tmp/opening2.csv"
expect 1 --err "village 360925100303 (rows 2, 3, 5, 6, 7): the village already has opening balances (voucher 2025-01-1)" -- \
	cj import opening "$tmp/opening2.csv"
expect 0 --out "opening_side.csv (UTF-8): posted 1 voucher, 4 lines" -- cj import opening "$F/opening_side.csv"
check_eq "normal side, 方向, and a negative balance on the other side" \
	"$(sql "SELECT string_agg(account_code || ':' || debit_fen || ':' || credit_fen, ' ' ORDER BY line_no) FROM voucher_line l JOIN org o ON o.id = l.village_id WHERE o.code = '360925100304'")" \
	"101:80000:0 113:0:20000 211:0:30000 311:0:30000"
expect 1 -- cj import opening "$F/opening_bad.csv"
for e in "row 3, column 科目代码: account 102 银行存款 has sub-accounts; give the balances of its sub-accounts only" \
	"row 6: village 360925100306 (rows 6, 7): unbalanced: debits 100.00, credits 99.00"; do
	checks=$((checks + 1))
	grep -qF -- "$e" "$err" || { echo "FAIL: stderr lacks: $e"; sed 's/^/  err: /' "$err"; failures=$((failures + 1)); }
done

# ---- members, through the member import
expect 0 --out "imported 4 households" -- \
	cj import members "$CUNJI_SRC/importers/examples/members.csv" --village 360925100301
expect 2 --err "--village is required" -- cj import members "$CUNJI_SRC/importers/examples/members.csv"

# ---- hostile files: a clear error, never a crash
head -c 200000 /dev/urandom > "$tmp/junk.csv"
expect 1 --err "junk.csv" -- cj import vouchers "$tmp/junk.csv"
: > "$tmp/empty.csv"
expect 1 --err "the file is empty" -- cj import vouchers "$tmp/empty.csv"
printf '村代码,日期\n360925100301,2025-01-01\n' > "$tmp/short.csv"
expect 1 --err "the header lacks the columns 凭证号 (voucher), 摘要 (summary), 科目代码 (account), 借方金额 (debit), 贷方金额 (credit)" -- \
	cj import vouchers "$tmp/short.csv"
{ printf '村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n360925100301,2025-07-01,1,"'; head -c 3000000 /dev/zero | tr '\0' 'x'; } > "$tmp/endless.csv"
expect 1 --err "longer than" -- cj import vouchers "$tmp/endless.csv"

# ---- a bigger file: two imports at once post it once; a killed import posts nothing
awk 'BEGIN { print "村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额";
	for (i = 1; i <= 20000; i++) {
		m = 7 + int((i - 1) / 10000); d = 1 + i % 28;
		printf "360925100305,2025-%02d-%02d,%d,批量,101,%d.%02d,\n", m, d, i, i, i % 100;
		printf "360925100305,2025-%02d-%02d,%d,批量,501,,%d.%02d\n", m, d, i, i, i % 100 } }' > "$tmp/big.csv"
before=$(vouchers)
"$CUNJI_BIN" --db "$DB" import vouchers "$tmp/big.csv" > "$tmp/a.out" 2>&1 &
pa=$!
"$CUNJI_BIN" --db "$DB" import vouchers "$tmp/big.csv" > "$tmp/b.out" 2>&1 &
pb=$!
wait $pa; ra=$?
wait $pb; rb=$?
check_eq "both runs succeed" "$ra/$rb" "0/0"
check_eq "one posts, the other finds it imported" \
	"$(cat "$tmp/a.out" "$tmp/b.out" | grep -c 'posted 20000 vouchers')/$(cat "$tmp/a.out" "$tmp/b.out" | grep -c 'imported before')" "1/1"
check_eq "posted once" "$(vouchers)" "$((before + 20000))"

sed 's/^360925100305,/360925100306,/' "$tmp/big.csv" > "$tmp/big6.csv"
before=$(vouchers)
"$CUNJI_BIN" --db "$DB" import vouchers "$tmp/big6.csv" > /dev/null 2>&1 &
pk=$!
for i in $(seq 1 200); do
	# staging or direct: killed while rows go in
	[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY cj_import%' OR query LIKE 'COPY voucher%' OR query LIKE 'INSERT INTO voucher%'")" != 0 ] && break
	sleep 0.02
done
if kill -9 $pk 2>/dev/null; then
	wait $pk 2>/dev/null
	for i in $(seq 1 100); do  # the server notices the lost client
		[ "$(sql "SELECT count(*) FROM pg_stat_activity WHERE datname = '$DB' AND pid <> pg_backend_pid()")" = 0 ] && break
		sleep 0.1
	done
	check_eq "a killed import leaves the books as they were" \
		"$(vouchers)/$(sql "SELECT count(*) FROM import_log WHERE file_name LIKE '%big6.csv'")" "$before/0"
else
	echo "note: the import finished before it could be killed"
fi
expect 0 --out "posted 20000 vouchers" -- cj import vouchers "$tmp/big6.csv"
expect 0 -- cj check

# ---- the shipped examples
for v in 360925100201:周口村 360925100202:西村; do
	cj org add --level village --code ${v%%:*} --name ${v#*:} --parent 360925100 --start 2025-01 >/dev/null
done
cj account add --village 360925100201 --code 102001 --name 农商行 >/dev/null
cj fund allocate --county 360925 --doc 文2 --doc-date 2025-02-01 --code XJ2025 --name 衔接 \
	--kind 衔接推进乡村振兴补助资金 --source 中央 --amount 100000 --to 360925100201=100000 >/dev/null
# opening balances first: the vouchers pay out of the cash they bring
expect 0 --out "opening.csv (UTF-8): posted 2 vouchers, 5 lines, in 2 villages" -- \
	cj import opening "$CUNJI_SRC/importers/examples/opening.csv"
expect 0 --out "vouchers.csv (UTF-8): posted 4 vouchers, 8 lines, in 2 villages; debits = credits = 102,300.50" -- \
	cj import vouchers "$CUNJI_SRC/importers/examples/vouchers.csv"

# ---- XLSX, through the same interface
$PY - "$tmp/v.xlsx" <<'PYEOF'
import sys, openpyxl, datetime
wb = openpyxl.Workbook(); ws = wb.active
ws.append(["村代码", "日期", "凭证号", "摘要", "科目代码", "借方金额", "贷方金额"])
ws.append(["360925100302", datetime.date(2025, 8, 1), 1, "卖树苗", "101", 1234.5, None])
ws.append(["360925100302", datetime.date(2025, 8, 1), 1, "卖树苗", "501", None, "1,234.50"])
wb.save(sys.argv[1])
PYEOF
expect 0 --out "v.xlsx (XLSX): posted 1 voucher, 2 lines, in 1 village; debits = credits = 1,234.50" -- \
	cj import vouchers "$tmp/v.xlsx"

finish
