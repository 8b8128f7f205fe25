#!/usr/bin/env bash
# The demo on a small county: it builds, closes the year and balances.
source "$(dirname "$0")/lib.sh"
files=$(mktemp -d)
sheets=$(mktemp -d)
trap 'rm -rf "$files" "$sheets" "$out" "$err"' EXIT
# the demo replaces only a database it made itself: real books survive it
DB=demo_real
fresh_db demo_real
expect 0 -- cj org add --level county --code 110101 --name 真实县
expect 1 --err "database demo_real exists and was not made by cunji" -- \
	env CUNJI_DB=demo_real "$CUNJI_BIN" demo --villages 1 --vouchers 3 --files "$files" --disclosure "$sheets"
expect 1 --err "database demo_real exists and was not made by cunji" -- \
	"$CUNJI_BIN" --db demo_real demo --villages 1 --vouchers 3 --files "$files" --disclosure "$sheets"
check_eq "the real books after the refused demos" "$(sql "SELECT string_agg(name, ',') FROM org")" 真实县
expect 1 --err "database cunji exists and was not made by cunji" -- "$CUNJI_BIN" --db cunji demo --villages 1
DB=cunji_demo
expect 0 --out "试算平衡" -- "$CUNJI_BIN" demo --villages 12 --vouchers 60 --files "$files" --disclosure "$sheets" \
	--anchors "$sheets/anchors-360925.txt"
check_eq "the demo ends by verifying the county against the anchor file it exported" \
	"$(grep -c "^audit verify --county 360925 --anchors $sheets/anchors-360925.txt: 12 villages, .* 12 anchored heads: intact" "$out")" 1
check_eq "the anchor file: signed, one line per village" \
	"$(grep -c '^village 360925' "$sheets/anchors-360925.txt")/$(grep -c '^signature [0-9a-f]\{128\}$' "$sheets/anchors-360925.txt")" "12/1"
check_eq "the demo prints the county dashboard's summary" \
	"$(grep -c '^in all: 12 villages, [0-9]* red, [0-9]* yellow, [0-9]* green lights' "$out")" 1
check_eq "the demo ends with audit scan's summary" "$(grep -c 'audit scan of the year (6 anomalies planted' "$out")" 1
# the disclosure tree: per period, 12 villages + 11 townships + the county, XLSX and PDF each
check_eq "disclosure files for 2025Q4 and 2025" \
	"$(find "$sheets" -name '*2025Q4.xlsx' | wc -l)/$(find "$sheets" -name '*2025Q4.pdf' | wc -l)/$(find "$sheets" -name '*2025.xlsx' | wc -l)" \
	"24/24/24"
expect 0 -- "$CUNJI_BIN" --db cunji_demo disclose --verify "$(find "$sheets" -name '360925100200-*2025.pdf')"
# every sheet as its reader sees it: the hotline on every page, no number split across
# lines, signatures with their table, the font subset, percentages as numbers, images
checks=$((checks + 1))
$PY "$CUNJI_SRC/tests/cli/check_sheets.py" "$sheets" 12317 || failures=$((failures + 1))
check_eq "one CSV per township (some GBK) and the opening balances" \
	"$(ls "$files" | wc -l)/$(ls "$files" | grep -c GBK)" "12/4"
check_eq "the GBK files are not UTF-8" \
	"$(for f in "$files"/*GBK*; do iconv -f UTF-8 -t UTF-8 "$f" >/dev/null 2>&1 && echo utf8; done | wc -l)" 0
check_eq "every imported voucher is in the books" \
	"$(sql "SELECT count(*) FROM voucher WHERE external_id ~ '^2025-[0-9]{2}/' OR external_id LIKE 'opening@%'")" \
	"$((12 * 61))"
expect 0 --out "(12 个村汇总" -- "$CUNJI_BIN" --db cunji_demo tb --county 360925 --year 2025
# the anomalies the demo plants, found by audit scan with their village and amount
planted=$("$CUNJI_BIN" --db cunji_demo audit scan --county 360925 --year 2025 --rules R09,R11,R19,R27 \
	--format csv --encoding utf-8 | $PY -c 'import csv,sys
print(" ".join(sorted("%s:%s:%s" % (r["village"][6:], r["rule"], r["amount_yuan"])
                      for r in csv.DictReader(sys.stdin) if r["severity"] == "红")))')
check_eq "the planted anomalies (villages 2 and 3)" \
	"$(echo "$planted" | tr ' ' '\n' | grep -E '^10[23]200:' | tr '\n' ' ')" "102200:R27:29700.00 103200:R19:5000.00 "
# every planted anomaly, by village and rule, and only a handful of findings in
# all: the demo's till is kept under its limit, its cash deposited
all=$("$CUNJI_BIN" --db cunji_demo audit scan --county 360925 --year 2025 --format csv --encoding utf-8 |
	$PY -c 'import csv,sys
print(" ".join(sorted("%s:%s" % (r["village"][6:], r["rule"]) for r in csv.DictReader(sys.stdin))))')
echo "the demo's findings: $all"
for f in 102200:R27 103200:R19 104200:R10 105200:R09 105200:R11 106200:R13 107200:R08 107200:R11; do
	check_eq "planted $f found" "$(echo "$all" | tr ' ' '\n' | grep -m1 -c "^$f$")" 1
done
check_eq "a handful of findings (no R08 in the unplanted villages)" \
	"$(echo "$all" | tr ' ' '\n' | grep R08 | tr '\n' ' ')" "107200:R08 "
checks=$((checks + 1))
[ "$(echo "$all" | wc -w)" -le 20 ] || { echo "FAIL: more than 20 findings: $all"; failures=$((failures + 1)); }
expect 0 --out "ok:" -- "$CUNJI_BIN" --db cunji_demo check
# one login of each kind, printed with its password, and working as printed
check_eq "the demo's logins" "$(sql "SELECT string_agg(kind, ' ' ORDER BY kind) FROM app_login WHERE login LIKE 'demo\\_%'")" \
	"admin board bookkeeper cashier inspector reviewer"
expect 0 --out "(1 个村汇总" -- env PGPASSWORD=demo-board "$CUNJI_BIN" --db cunji_demo --user demo_board \
	tb --county 360925 --year 2025
expect 0 --out "(12 个村汇总" -- env PGPASSWORD=demo-inspector "$CUNJI_BIN" --db cunji_demo --user demo_inspector \
	tb --county 360925 --year 2025
expect 1 --err "login demo_inspector may not do this" -- env PGPASSWORD=demo-inspector "$CUNJI_BIN" --db cunji_demo \
	--user demo_inspector period reopen --village 360925100200 --period 2025-12 --reason 试
check_eq "villages" "$(sql "SELECT count(*) FROM org WHERE level = 'village'")" 12
check_eq "years closed" "$(sql "SELECT count(*) FROM fiscal_year WHERE year = 2025")" 12
check_eq "P&L left after close" "$(sql "SELECT count(*) FROM (SELECT 1 FROM account_period_total t JOIN account a ON a.village_id = t.village_id AND a.code = t.account_code WHERE a.category IN ('income','expense') GROUP BY t.village_id, t.account_code HAVING sum(debit_fen - credit_fen) <> 0) s")" 0
# funds, projects, aid, members and distribution (demo_funds.c)
check_eq "衔接 funds in every third village" "$(sql "SELECT count(*) FROM fund WHERE code = 'XJ2025-01'")" 4
check_eq "anti-risk funds of 100,000 yuan in four townships" \
	"$(sql "SELECT count(*) || '/' || min(granted_fen) FROM fund WHERE code = 'FX2025'")" "5/10000000"
check_eq "projects: one still being built, three accepted with an asset (villages 0, 3, 9)" \
	"$(sql "SELECT string_agg(status || ':' || (asset_kind IS NOT NULL), ',' ORDER BY village_id) FROM project")" \
	"accepted:true,accepted:true,started:false,accepted:true"
check_eq "every fund spent within what it received" \
	"$(sql "SELECT count(*) FROM fund f JOIN fund_total t ON (t.village_id, t.fund_id) = (f.village_id, f.id) WHERE t.spent_fen > t.received_fen")" 0
check_eq "aid paid, within 3,000 yuan a person" \
	"$(sql "SELECT count(*) > 0 AND bool_and(amount_fen <= persons * 300000) FROM aid_payment")" t
check_eq "households registered with valid IDs" \
	"$(sql "SELECT count(*) > 0 AND bool_and(id_number_valid(head_id_number)) FROM household")" t
check_eq "every distribution: households sum exactly to their pool, all paid" \
	"$(sql "SELECT count(*) FROM dividend_plan p WHERE p.households_fen <> (SELECT sum(amount_fen) FROM dividend_line l WHERE (l.village_id, l.year) = (p.village_id, p.year) AND l.paid_voucher_id IS NOT NULL)")" 0
check_eq "some villages distributed" "$(sql "SELECT count(*) > 0 FROM dividend_plan")" t
# the sheets show a red reversal for what it is, and project money paid to its contractor
check_eq "a payment voided in every fourth village" "$(sql "SELECT count(*) FROM voucher WHERE kind = 'reversal'")" 3
pdftotext -layout "$(find "$sheets" -name '360925100200-*2025Q4.pdf')" - 2>/dev/null | tr -d ' \n' >"$out"
for want in 冲销2025年11月记字第 已冲销，见凭证 货币资金支付明细 靖安县路通建设工程有限公司 在建工程 内部往来明细; do
	checks=$((checks + 1))
	grep -qF -- "$want" "$out" || { echo "FAIL: the demo's 2025Q4 sheet of 360925100200 lacks '$want'"; failures=$((failures + 1)); }
done
# a second run starts again from scratch
expect 0 --out "试算平衡" -- "$CUNJI_BIN" demo --villages 3 --vouchers 10 --files "$files" --disclosure "$sheets"
check_eq "villages after rerun" "$(sql "SELECT count(*) FROM org WHERE level = 'village'")" 3
finish
