#!/usr/bin/env bash
# The inspector's reads across villages (issue 16) on workbench_county.sh:
# search by payee (as typed and normalised), ID number, bank account,
# amounts and dates; household --id by fund; fund trace's route; each seen
# only within the login's scope.
source "$(dirname "$0")/lib.sh"
fresh_db workbench
source "$(dirname "$0")/workbench_county.sh"

csvcol() { # csvcol COLUMN...: the columns of a CSV on stdin, one line per row
	$PY -c 'import csv,sys
for r in csv.DictReader(sys.stdin): print(" ".join(r[c] for c in sys.argv[1:]))' "$@"
}
srch() { cj search --format csv --encoding utf-8 "$@" | csvcol village voucher payee credit_yuan | grep -v '^合计' || true; }

# ---- search by payee: as typed, and in the normal form
check_eq "one company written three ways, in two villages" "$(srch --county 360925 --payee 'abc 商贸公司')" \
"360925100102 2025-05-1 ＡＢＣ 商贸有限公司 12000.00
360925200201 2025-06-1 abc商贸有限责任公司 3000.00"
check_eq "full-width query finds the half-width name" "$(srch --county 360925 --payee 'ＡＢＣ商贸有限责任公司' | wc -l)" 2
check_eq "a substring as typed" "$(srch --county 360925 --payee 路通建设 | cut -d' ' -f1,2 | sort -u)" \
"360925100101 2025-04-1
360925100101 2025-06-1"
check_eq "a township's scope" "$(srch --township 360925200 --payee 商贸 | cut -d' ' -f1)" 360925200201
check_eq "LIKE's own characters are plain text" "$(srch --county 360925 --payee '%' | wc -l)" 0
expect 0 --out "合计" -- cj search --county 360925 --payee 商贸
expect 0 --out "15,000.00" -- cj search --county 360925 --payee 商贸

# ---- by amount and dates
check_eq "9,000 to 10,000 yuan" "$(srch --county 360925 --min 9000 --max 10000 | cut -d' ' -f1,2,3)" \
"360925100102 2025-05-2 某建材店"
check_eq "by dates: June" "$(srch --county 360925 --payee 公司 --from 2025-06 --to 2025-06 | cut -d' ' -f1 | sort -u | tr '\n' ' ')" \
	"360925100101 360925200201 360925200202 "
check_eq "by a day" "$(srch --county 360925 --payee 公司 --from 2025-06-15 --to 2025-06-15 | wc -l)" 2

# ---- by ID number and bank account: what the household was paid, in both villages
check_eq "by ID number: the aid, the dividends declared and paid, the son's wages" \
	"$(cj search --county 360925 --id "$ID1" --format csv --encoding utf-8 | csvcol village account payee credit_yuan | grep -v ' 0.00$' | grep -v '^合计')" \
"360925100101 102001 周大（H01） 4000.00
360925100101 101 周小 800.00
360925100101 211090 周大（H01） 6000.00
360925100101 102001 周大（H01） 6000.00
360925200201 211090 周大（H07） 2000.00"
expect 0 --out '"household": "H07"' -- cj search --county 360925 --id "$ID1" --format json
check_eq "by the son's ID number: the same household" \
	"$(cj search --county 360925 --id "$ID2" --format json | grep -c '"basis": "成员身份证号"')" 1
check_eq "by bank account, spaces ignored" \
	"$(cj search --county 360925 --account 6221880011 --format csv --encoding utf-8 | csvcol village credit_yuan | grep -c '^360925100101')" 6
expect 2 --err "give --payee, --id, --account, --min or --max" -- cj search --county 360925
expect 2 --err "give one of --village, --township or --county" -- cj search --payee x
expect 1 --err "least amount is above the most" -- cj search --county 360925 --min 10 --max 5
expect 1 --err "360999" -- cj search --county 360999 --payee x

# ---- household --id: by fund, with totals
hh() { cj household --county 360925 --id "$1" --format csv --encoding utf-8 | csvcol fund what village paid_yuan unpaid_yuan; }
got=$(hh "$ID1")
check_eq "household --id: the aid under its fund" "$(echo "$got" | grep '^FX' | head -1)" \
	"FX 防返贫基金 救助：因病 360925100101 村101 4000.00 0.00"
check_eq "household --id: the dividend paid in 101" "$(echo "$got" | grep '年度分红 ' | cut -d' ' -f1-3,5)" \
	"收益分配 2025年度分红 360925100101 6000.00"
check_eq "household --id: the dividend declared in 201, not paid" "$(echo "$got" | grep '未支付' | cut -d' ' -f3,5,6)" \
	"360925200201 0.00 $(sql "SELECT to_char(amount_fen / 100.0, 'FM9999990.00') FROM dividend_line d JOIN org o ON o.id = d.village_id WHERE o.code = '360925200201' AND household_code = 'H07'")"
check_eq "household --id: the son's wages from the village's own money" "$(echo "$got" | grep '^村集体资金' | head -1 | cut -d' ' -f2,5)" \
	"付款 800.00"
check_eq "household --id: total paid" "$(echo "$got" | grep '^合计' | cut -d' ' -f3-)" \
	"2 个村 10800.00 $(echo "$got" | grep '未支付' | cut -d' ' -f6)"
check_eq "household --id: a subtotal per fund" "$(echo "$got" | grep -c ' 小计 ')" 3
expect 0 --out "成员 周小（子女）" -- cj household --county 360925 --id "$ID2"
expect 1 --err "no household under 360925 has a head or member with ID number 360925197001010999" -- \
	cj household --county 360925 --id 360925197001010999
expect 2 --err "--id is required" -- cj household --county 360925

# ---- fund trace: the route, the document matched loosely
tr() { cj fund trace --county 360925 --doc "$1" --format csv --encoding utf-8; }
trace=$(tr '靖财农[2025]12号')
check_eq "trace: 下达 with date and 文号" "$(echo "$trace" | csvcol village what date summary allocated_yuan | head -1)" \
	"360925100101 村101 下达 2025-03-01 靖财农〔2025〕12号 100000.00"
check_eq "trace: each payment with its tranche and payee" \
	"$(echo "$trace" | csvcol what project payee spent_yuan | grep '^支付')" \
"支付（预付） P1 村组道路 靖安县路通建设工程有限公司 30000.00
支付（进度款） P1 村组道路 靖安县路通建设工程有限公司 50000.00"
check_eq "trace: the 验收 and the asset" "$(echo "$trace" | csvcol what date summary | grep '^验收')" \
	"验收 2025-07-01 验收合格，形成公益性资产 80,000.00 元（科目 151）"
check_eq "trace: 〔〕 [] () and full-width forms are one document" \
	"$(for d in '靖财农〔2025〕12号' '靖财农(2025)12号' '靖财农（２０２５）１２号' '靖财农 [2025] 12号'; do tr "$d" | tail -1; done | sort -u | wc -l)" 1
expect 1 --err "has no allocation with document" -- cj fund trace --county 360925 --doc '靖财农〔2025〕13号'

# ---- scope: an inspector of one township sees only its villages; a board its own
login_add jijian2 仁首纪检 inspector 360925200
login_add cunwei 村务监督 board 360925100102
check_eq "inspector of 仁首镇: the company only in 201" \
	"$(as_login jijian2 search --county 360925 --payee 商贸 --format csv --encoding utf-8 | csvcol village | grep -v 合计)" 360925200201
check_eq "inspector of 仁首镇: 周大 only in 201" \
	"$(as_login jijian2 household --county 360925 --id "$ID1" --format csv --encoding utf-8 | csvcol village | grep -c 360925100101)" 0
check_eq "board of 102: its own village" \
	"$(as_login cunwei search --county 360925 --payee 商贸 --format csv --encoding utf-8 | csvcol village | grep -v 合计)" 360925100102
expect 1 --err "no household under 360925" -- as_login cunwei household --county 360925 --id "$ID1"

finish
