#!/usr/bin/env bash
# Earmarked funds, projects, anti-risk aid and dividends: every rule broken on
# purpose through the CLI and through raw SQL, and the database refusing it;
# hand-computed dividend amounts; a fund trace that reconciles with the lines.
source "$(dirname "$0")/lib.sh"
fresh_db fundstest

cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
for v in 360925100301 360925100302; do
	cj org add --level village --code $v --name 村$v --parent 360925100 --start 2025-01 >/dev/null
	cj account add --village $v --code 102001 --name 农商行 >/dev/null
done

# ---- allocation and receipts
expect 2 --err "--doc-date" -- cj fund allocate --county 360925 --doc 文1 --code XJ --name 衔接 \
	--kind 衔接推进乡村振兴补助资金 --source 中央 --amount 500000 --to 360925100301=300000
expect 1 --err "allocation 文1: parts would total 60000000 fen, more than the 50000000 fen it grants" -- cj fund allocate --county 360925 --doc 文1 --doc-date 2025-03-01 --code XJ \
	--name 衔接 --kind 衔接推进乡村振兴补助资金 --source 中央 --amount 500000 --to 360925100301=300000 --to 360925100302=300000
check_eq "nothing of a refused allocation is kept" "$(sql 'SELECT count(*) FROM fund_allocation')" 0
expect 0 -- cj fund allocate --county 360925 --doc 文1 --doc-date 2025-03-01 --code XJ --name 衔接 \
	--kind 衔接推进乡村振兴补助资金 --source 中央 --amount 500000 --to 360925100301=300000 --to 360925100302=200000
# the village's own money, brought in from its older books: dividends are paid
# from it, never from earmarked funds (0010)
expect 0 -- cj post --village 360925100301 --date 2025-01-01 --summary 期初余额 --opening \
	--debit 102001=50000 --credit 311=50000
expect 0 -- cj post --village 360925100301 --date 2025-03-10 --summary 收到衔接资金 --fund XJ --debit 102001=300000 --credit 241=300000
expect 1 --err "more than the 300,000.00 granted" -- cj post --village 360925100301 --date 2025-03-11 --summary 多收 \
	--fund XJ --debit 102001=0.01 --credit 241=0.01
expect 0 -- cj post --village 360925100302 --date 2025-03-12 --summary 收到衔接资金 --fund XJ --debit 102001=150000 --credit 241=150000

# ---- projects: not started, budget, negative list, categories
expect 0 -- cj project add --village 360925100301 --code P1 --name 通组道路 --category 基础设施 --budget XJ=250000 \
	--budget 村=30000 --households 120 --poverty 10 --monitored 2
expect 0 -- cj project add --village 360925100301 --code P2 --name 村部装修 --category 楼堂馆所 --budget 村=50000
expect 1 --err "has not started" -- cj project pay --village 360925100301 --project P1 --tranche 预付 --payee 路桥公司 \
	--amount 10000 --date 2025-04-01 --fund XJ
expect 0 -- cj project start --village 360925100301 --code P1 --date 2025-04-01
expect 0 -- cj project start --village 360925100301 --code P2 --date 2025-04-01
expect 0 -- cj project pay --village 360925100301 --project P1 --tranche 预付 --payee 路桥公司 --amount 75000 --date 2025-04-02 --fund XJ
expect 0 -- cj project pay --village 360925100301 --project P1 --tranche 进度款 --payee 路桥公司 --amount 150000 --date 2025-06-02 --fund XJ
expect 1 --err "would be overspent: spending 100,000.00 with 75,000.00 left" -- \
	cj project pay --village 360925100301 --project P1 --tranche 进度款 --payee 路桥公司 --amount 100000 --date 2025-06-03 --fund XJ
expect 1 --err "past its budget of 280,000.00; 55,000.00 left" -- \
	cj project pay --village 360925100301 --project P1 --tranche 尾款 --payee 路桥公司 --amount 60000 --date 2025-07-03
expect 0 -- cj project pay --village 360925100301 --project P1 --tranche 尾款 --payee 路桥公司 --amount 40000 --date 2025-07-03
expect 1 --err "negative list" -- cj project pay --village 360925100301 --project P2 --tranche 预付 --payee 装修队 \
	--amount 100 --date 2025-07-04 --fund XJ
expect 1 --err "may not be spent on account 513" -- cj post --village 360925100301 --date 2025-05-10 --summary 发放补贴 \
	--fund XJ --debit 513=100 --credit 102001=100
expect 1 --err "must name a project" -- cj post --village 360925100301 --date 2025-05-10 --summary 无项目 \
	--fund XJ --debit 153=100 --credit 102001=100
expect 1 --err "may not be spent on account 212" -- cj post --village 360925100301 --date 2025-05-10 --summary 奖金 \
	--fund XJ --project P1 --debit 212=100 --credit 102001=100
check_eq "refused spending left the fund as it was" \
	"$(sql "SELECT received_fen || '/' || spent_fen FROM fund_total t JOIN fund f ON f.id = t.fund_id WHERE f.code = 'XJ' AND f.village_id = (SELECT id FROM org WHERE code = '360925100301')")" \
	"30000000/22500000"

# raw SQL: the same rules hold for a hand-typed voucher
VID=$(sql "SELECT id FROM org WHERE code = '360925100301'")
F=$(sql "SELECT id FROM fund WHERE village_id = $VID AND code = 'XJ'")
P1=$(sql "SELECT id FROM project WHERE village_id = $VID AND code = 'P1'")
raw() { # raw NO DEBIT_ACCT AMOUNT FUND PROJECT: a two-line voucher by hand, its number from the counter
	echo "BEGIN; WITH n AS (INSERT INTO voucher_counter AS c VALUES ($VID, '2025-09-01', 1)
	       ON CONFLICT (village_id, period) DO UPDATE SET last_number = c.last_number + 1 RETURNING last_number)
	     INSERT INTO voucher (village_id, id, period, number, voucher_date, summary, content_hash)
	     SELECT $VID, 900000$1, '2025-09-01', last_number, '2025-09-09', 'raw', 'x' FROM n;
	     INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code, debit_fen, credit_fen, fund_id, project_id)
	     VALUES ($VID, 900000$1, 1, '2025-09-01', '$2', $3, 0, $4, $5), ($VID, 900000$1, 2, '2025-09-01', '102001', 0, $3, $4, $5); COMMIT"
}
db_refused CJ020 "$(raw 1 153 8000000 $F $P1)" "would be overspent"
db_refused CJ020 "$(raw 2 513 100 $F $P1)" "may not be spent on account 513"
db_refused CJ020 "$(raw 3 153 100 424242 $P1)" "fund id 424242 does not exist"
db_refused CJ003 "UPDATE fund_total SET spent_fen = 0" "fund_total is kept by the ledger"
db_refused CJ020 "UPDATE fund SET granted_fen = 999999999" "only its status changes, once"
db_refused CJ020 "DELETE FROM fund" "cannot be deleted; close it instead"
db_refused CJ003 "TRUNCATE fund CASCADE" "cannot be truncated"
db_refused CJ003 "DELETE FROM project_payment" "project_payment is append-only"
db_refused CJ003 "TRUNCATE project_payment" "project_payment cannot be truncated"

# closed fund: no new spending
expect 0 -- cj fund add --village 360925100302 --code JZ --name 社会捐赠 --kind 社会捐赠 --source 社会 --amount 1000
expect 0 -- cj post --village 360925100302 --date 2025-04-01 --summary 收到捐赠 --fund JZ --debit 102001=1000 --credit 311=1000
expect 0 -- cj fund close --village 360925100302 --code JZ
expect 1 --err "is closed and takes no new spending" -- cj post --village 360925100302 --date 2025-04-02 \
	--summary 支出 --fund JZ --debit 514=10 --credit 102001=10
db_refused CJ020 "UPDATE fund SET status = 'open' WHERE code = 'JZ'" "fund JZ: only its status changes, once, from open to closed or returned"

# acceptance: the asset formed and the earmarked part released to 公积公益金
expect 0 --out "accepted" -- cj project accept --village 360925100301 --code P1 --date 2025-09-01 --asset-kind 公益性
check_eq "asset recorded at cost" "$(sql "SELECT asset_kind || ' ' || asset_value_fen FROM project WHERE code = 'P1'")" "公益性 26500000"
check_eq "153 cleared into 151" \
	"$(sql "SELECT sum(debit_fen - credit_fen) FILTER (WHERE account_code LIKE '153%') || '/' || sum(debit_fen - credit_fen) FILTER (WHERE account_code LIKE '151%') FROM voucher_line WHERE village_id = $VID")" \
	"0/26500000"
check_eq "241 released to 311 for what was spent" \
	"$(sql "SELECT sum(credit_fen - debit_fen) FROM voucher_line WHERE village_id = $VID AND account_code LIKE '241%'")" "7500000"
expect 1 --err "is accepted already" -- cj project accept --village 360925100301 --code P1 --date 2025-09-02 --asset-kind 公益性
expect 0 -- cj project add --village 360925100301 --code P3 --name 路灯 --category 基础设施 --budget 村=1000
expect 1 --err "has not started" -- cj project accept --village 360925100301 --code P3 --date 2025-09-02 --asset-kind 公益性
expect 1 --err "项目 P3 尚未开工" -- env LC_ALL=zh_CN.UTF-8 LANGUAGE= "$CUNJI_BIN" --db "$DB" project accept --village 360925100301 --code P3 --date 2025-09-02 --asset-kind 公益性

# ---- fund trace reconciles with the lines
trace=$(cj fund trace --county 360925 --doc 文1 --format csv)
check_eq "trace total received = cash debits tagged with the allocation's funds" \
	"$(echo "$trace" | grep '^合计' | cut -d, -f10)" \
	"$(sql "SELECT to_char(sum(l.debit_fen) / 100.0, 'FM999999990.00') FROM voucher_line l JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id WHERE f.code = 'XJ' AND l.account_code LIKE '102%'")"
check_eq "trace total spent = cash credits tagged" \
	"$(echo "$trace" | grep '^合计' | cut -d, -f11)" \
	"$(sql "SELECT to_char(sum(l.credit_fen) / 100.0, 'FM999999990.00') FROM voucher_line l JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id WHERE f.code = 'XJ' AND l.account_code LIKE '102%'")"
check_eq "trace: allocated, received, spent, left" "$(echo "$trace" | grep '^合计' | cut -d, -f9-12)" \
	"500000.00,450000.00,225000.00,225000.00"
check_eq "trace lists the payee" "$(echo "$trace" | grep -c '路桥公司')" 2
expect 0 -- cj check

# ---- members (by SQL here; the member CLI has its own tests) and anti-risk aid
sql "INSERT INTO household (village_id, code, head_name, head_id_number, bank_account) VALUES
     ($VID, 'H01', '张建国', '11010519491231002X', '6221 0001'), ($VID, 'H02', '刘秀英', '110105196001010033', '6221 0002'),
     ($VID, 'H03', '李长根', '110105195001010012', '6221 0003')" >/dev/null 2>&1
sql "INSERT INTO household_member (village_id, household_code, seq, name, id_number, relation) VALUES
     ($VID, 'H01', 1, '张建国', '11010519491231002X', '户主'), ($VID, 'H01', 2, '王芳', '110105195203040025', '配偶'),
     ($VID, 'H02', 1, '刘秀英', '110105196001010033', '户主'), ($VID, 'H03', 1, '李长根', '110105195001010012', '户主')" >/dev/null 2>&1
check_eq "households registered" "$(sql "SELECT count(*) FROM household WHERE village_id = $VID")" 3
db_refused 23514 "INSERT INTO household (village_id, code, head_name, head_id_number) VALUES ($VID, 'H09', '某', '110105194912310021')" household_head_id_number_check

expect 0 -- cj fund add --village 360925100301 --code FX --name 防返贫基金 --kind 防返贫基金 --source 县 --amount 100000
expect 0 -- cj post --village 360925100301 --date 2025-02-01 --summary 县拨防返贫基金 --fund FX --debit 102001=100000 --credit 241=100000
aid() { cj aid pay --village 360925100301 --fund FX --date 2025-05-0$1 --reason 因病 --applicant 村委会 --township-review 镇审核同意 --county-record 县备案 "${@:2}"; }
expect 1 --err "no aid caps" -- aid 1 --household H01 --persons 1 --amount 1000
expect 0 -- cj aid rule --county 360925 --per-person 3000 --per-household 5000 --times 2 --min-endowment 100000
expect 1 --err "exceeds the cap of 300000 fen per person" -- aid 1 --household H01 --persons 1 --amount 3000.01
expect 1 --err "has 2 registered people" -- aid 1 --household H01 --persons 3 --amount 100
expect 0 -- aid 1 --household H01 --persons 2 --amount 4000
expect 1 --err "over the cap of 500000 fen per household" -- aid 2 --household H01 --persons 1 --amount 1000.01
expect 0 -- aid 3 --household H01 --persons 1 --amount 1000
expect 0 -- aid 4 --household H02 --persons 1 --amount 100
expect 0 -- aid 5 --household H02 --persons 1 --amount 100
expect 1 --err "has had aid 2 time(s) this year" -- aid 6 --household H02 --persons 1 --amount 100
expect 1 --err "needs its aid record" -- cj post --village 360925100301 --date 2025-05-09 --summary 未经审核的救助 \
	--fund FX --debit '241=500;H03' --credit '102001=500;H03'
db_refused CJ022 "DELETE FROM aid_payment" "aid payments are a record: never changed or deleted"
db_refused CJ003 "TRUNCATE aid_payment" "aid_payment cannot be truncated"
check_eq "aid paid out of the anti-risk fund" \
	"$(sql "SELECT spent_fen FROM fund_total t JOIN fund f ON f.id = t.fund_id WHERE f.code = 'FX'")" 520000

# ---- dividends: hand-computed.  Shares 1.5 / 1 / 1 and 集体股 0.5, total 4.
sql "INSERT INTO share_holding (village_id, household_code, share_type, shares, effective_from) VALUES
     ($VID, 'H01', '人口股', 1, '2025-01-01'), ($VID, 'H01', '劳龄股', 0.5, '2025-01-01'),
     ($VID, 'H02', '人口股', 1, '2025-01-01'), ($VID, 'H03', '人口股', 1, '2025-01-01'),
     ($VID, NULL, '集体股', 0.5, '2025-01-01')" >/dev/null 2>&1
cj post --village 360925100301 --date 2025-10-01 --summary 发包收入 --debit 102001=1000.01 --credit 501=1000.01 >/dev/null
# an earmarked subsidy booked as income is not distributable
cj fund add --village 360925100301 --code BZ --name 专项补助 --kind 财政专项扶贫资金 --source 省 --amount 500 >/dev/null
cj post --village 360925100301 --date 2025-10-02 --summary 专项补助收入 --fund BZ --debit 102001=500 --credit 503=500 >/dev/null
# distributable = 1000.01 (no expense; the 500 of 503 is excluded); 10% reserve = 100.00
check_eq "distributable income from the books" \
	"$(sql "SELECT income_fen || '/' || earmarked_fen || '/' || distributable_fen FROM distributable_income($VID, 2025)")" \
	"150001/50000/100001"
expect 1 --err "exceeds the 900.01 yuan" -- cj dividend plan --village 360925100301 --year 2025 --reserve 10 --pool 1000
# pool 10001 fen over shares 1.5/1/1 and 集体股 0.5 (of 4): 3750.375, 2500.25, 2500.25,
# 1250.125 fen -> floors 3750, 2500, 2500, 1250 (= 10000); the fen left goes to the
# largest remainder, H01's .375: 37.51, 25.00, 25.00 and 12.50 for the collective.
expect 0 --out "H01" -- cj dividend plan --village 360925100301 --year 2025 --pool 100.01
check_eq "H01 gets 37.51" "$(grep -E '^H01 ' "$out" | awk '{print $NF}')" "37.51"
check_eq "H02 gets 25.00" "$(grep -E '^H02 ' "$out" | awk '{print $NF}')" "25.00"
check_eq "H03 gets 25.00" "$(grep -E '^H03 ' "$out" | awk '{print $NF}')" "25.00"
check_eq "IDs masked" "$(grep -c '110105\*\*\*\*\*\*\*\*002X' "$out")" 1
# a pool of 2 fen: quotas 0.75, 0.5, 0.5, 0.25 fen -> all floors 0; the two fen go to the
# largest remainders: H01 (.75), then H02 and H03 tie at .5 and the smaller code wins
expect 0 -- cj dividend plan --village 360925100301 --year 2025 --pool 0.02
check_eq "tie goes to the smaller code" "$(grep -E '^H0[123] ' "$out" | awk '{print $1 "=" $NF}' | tr '\n' ' ')" "H01=0.01 H02=0.01 H03=0.00 "
expect 0 --out "记字第" -- cj dividend post --village 360925100301 --year 2025 --date 2025-12-20 --pool 100.01
check_eq "household amounts sum exactly to their part" \
	"$(sql "SELECT sum(amount_fen) || '/' || (SELECT households_fen FROM dividend_plan) || '/' || (SELECT collective_fen FROM dividend_plan) FROM dividend_line")" \
	"8751/8751/1250"
expect 1 --err "the distribution for 2025 was already declared" -- cj dividend post --village 360925100301 --year 2025 --date 2025-12-21 --pool 1
expect 0 --out "paid 1 household" -- cj dividend pay --village 360925100301 --year 2025 --date 2025-12-22 --household H02
expect 0 --out "未付" -- cj dividend show --village 360925100301 --year 2025
check_eq "unpaid households visible" "$(grep -c '未付' "$out")" 2
expect 0 --out "paid 2 household" -- cj dividend pay --village 360925100301 --year 2025 --date 2025-12-23
db_refused CJ023 "UPDATE dividend_line SET amount_fen = 0" "only its payment is recorded, once"
db_refused CJ003 "TRUNCATE dividend_line" "dividend_line cannot be truncated"
db_refused CJ023 "DELETE FROM dividend_plan" "a dividend plan is final once declared"

# a loss year: no dividends
cj post --village 360925100302 --date 2025-11-01 --summary 管理费用 --debit 513=100000 --credit 102001=100000 >/dev/null
expect 1 --err "shows a loss" -- cj dividend plan --village 360925100302 --year 2025
expect 0 -- cj check
finish
