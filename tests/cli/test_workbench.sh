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
trc() { cj fund trace --county 360925 --doc "$1" --format csv --encoding utf-8; }
trace=$(trc '靖财农[2025]12号')
check_eq "trace: 下达 with date and 文号" "$(echo "$trace" | csvcol village what date summary allocated_yuan | head -1)" \
	"360925100101 村101 下达 2025-03-01 靖财农〔2025〕12号 100000.00"
check_eq "trace: each payment with its tranche and payee" \
	"$(echo "$trace" | csvcol what project payee spent_yuan | grep '^支付')" \
"支付（预付） P1 村组道路 靖安县路通建设工程有限公司 30000.00
支付（进度款） P1 村组道路 靖安县路通建设工程有限公司 50000.00"
check_eq "trace: the 验收 and the asset" "$(echo "$trace" | csvcol what date summary | grep '^验收')" \
	"验收 2025-07-01 验收合格，形成公益性资产 80,000.00 元（科目 151）"
check_eq "trace: 〔〕 [] () and full-width forms are one document" \
	"$(for d in '靖财农〔2025〕12号' '靖财农(2025)12号' '靖财农（２０２５）１２号' '靖财农 [2025] 12号'; do trc "$d" | tail -1; done | sort -u | wc -l)" 1
expect 1 --err "has no allocation with document" -- cj fund trace --county 360925 --doc '靖财农〔2025〕13号'

# ---- the evidence pack of a finding: PDF and XLSX
OUTDIR=${WORKBENCH_OUT:-$(mktemp -d)}
KEY=$(cj audit scan --village 360925100102 --year 2025 --rules R27 --format csv --encoding utf-8 | csvcol key | head -1)
check_eq "the planted split payment is a finding" "${KEY:0:4}" "R27:"
expect 0 --out "证据.pdf" -- cj audit evidence --village 360925100102 --finding "$KEY" --out "$OUTDIR/证据.pdf"
pdf=$(pdftotext -layout "$OUTDIR/证据.pdf" - | tr -s ' ')
for want in 预警线索证据材料 "$KEY" 赵某工程队 "10,200.00" "审批限额 10,000.00 元" 生成时间 记账凭证 \
	2025-08-1 2025-08-2 2025-08-3 链证明 本村链头 凭证、合计、编号、结账记录与哈希链均完整一致; do
	check_eq "evidence PDF shows $want" "$(echo "$pdf" | grep -c -F -- "$want" | sed 's/^[1-9][0-9]*$/yes/')" yes
done
check_eq "evidence PDF: who prepared and posted each voucher" "$(echo "$pdf" | grep -c "制单")" 3
sheets=$($PY -c 'import openpyxl,sys; wb=openpyxl.load_workbook(sys.argv[1]); print(" ".join(wb.sheetnames))' "$OUTDIR/证据.xlsx")
check_eq "evidence XLSX: the finding, thresholds, 3 vouchers and the chain" "$(echo "$sheets" | wc -w)" 9
expect 0 --out "线索" -- echo "$sheets"
check_eq "the chain proof names each voucher's link" \
	"$($PY -c 'import openpyxl,sys
wb=openpyxl.load_workbook(sys.argv[1]); ws=wb[wb.sheetnames[-1]]
print(sum(1 for r in ws.iter_rows(values_only=True) for c in r if isinstance(c,str) and c.startswith("2025-08-")))' "$OUTDIR/证据.xlsx")" 3
# by vouchers: the fund around them
expect 0 -- cj audit evidence --village 360925100101 --voucher 2025-04-1 --out "$OUTDIR/凭证证据.xlsx"
expect 0 --out "收支明细" -- $PY -c 'import openpyxl,sys; print(openpyxl.load_workbook(sys.argv[1]).sheetnames)' "$OUTDIR/凭证证据.xlsx"
# an idle fund's pack carries the fund's receipts and payments
expect 0 -- cj audit evidence --village 360925200201 --finding R21:XJ --out "$OUTDIR/闲置.pdf"
expect 0 --out "专项资金收支明细" -- pdftotext -layout "$OUTDIR/闲置.pdf" -
expect 1 --err "has no finding R27:nothing" -- cj audit evidence --village 360925100102 --finding R27:nothing --out "$OUTDIR/x.pdf"
expect 1 --err "2025-04-99" -- cj audit evidence --village 360925100101 --voucher 2025-04-99 --out "$OUTDIR/x.pdf"
expect 2 --err "give --finding or --voucher" -- cj audit evidence --village 360925100101 --out "$OUTDIR/x.pdf"
check_eq "a refused pack leaves no file" "$(ls "$OUTDIR" | grep -c '^x\.')" 0

# ---- the county dashboard
expect 0 --out "双溪镇" -- cj audit dashboard --county 360925 --year 2025 --out "$OUTDIR/看板.xlsx"
expect 0 --out "in all: 4 villages" -- cj audit dashboard --county 360925 --year 2025 --out "$OUTDIR/看板.pdf"
dash() { $PY -c 'import openpyxl,sys
ws=openpyxl.load_workbook(sys.argv[1])["各村预警"]
for r in ws.iter_rows(values_only=True):
    if r[0] and (str(r[1]).startswith("3609") or r[0] in ("小计","合计")): print(" ".join("" if c is None else str(c) for c in r))' "$OUTDIR/看板.xlsx"; }
d=$(dash)
check_eq "dashboard: 102 red for its split payment" "$(echo "$d" | grep ' 360925100102 ' | awk '{print $8, $NF}')" "1 红灯"
check_eq "dashboard: 202 is clean" "$(echo "$d" | grep ' 360925200202 ' | awk '{print $(NF-1), $NF}')" "是 绿灯"
check_eq "dashboard: 101's cash share (800 of its payments)" \
	"$(echo "$d" | grep ' 360925100101 ' | awk '{print $(NF-2)}')" \
	"$($PY -c 'print(round(800/(800+30000+50000+4000+6000), 3))')"
check_eq "dashboard: a subtotal per township and a total" "$(echo "$d" | grep -c -E '^(小计|合计)')" 3
check_eq "dashboard: the chart" "$($PY -c 'import openpyxl,sys
wb=openpyxl.load_workbook(sys.argv[1]); print(len(wb.chartsheets) + sum(len(ws._charts) for ws in wb.worksheets))' "$OUTDIR/看板.xlsx")" 1
# the traffic light is a coloured cell as well as its word, in XLSX (the fill openpyxl reads) ...
check_eq "dashboard: each light's fill in the XLSX" "$($PY -c 'import openpyxl,sys
ws=openpyxl.load_workbook(sys.argv[1])["各村预警"]
fills={"红灯":"F08080","黄灯":"FFE066","绿灯":"8FD19E"}
bad=[c.coordinate for r in ws.iter_rows() for c in r if c.value in fills and
     (c.fill.fill_type != "solid" or not str(c.fill.fgColor.rgb).endswith(fills[c.value]))]
lights=sorted({c.value for r in ws.iter_rows() for c in r if c.value in fills})
print(len(bad), " ".join(lights))' "$OUTDIR/看板.xlsx")" "0 红灯 绿灯"
# ... and in the PDF (its pixels: pdftoppm's PPM read without any imaging library)
pdftoppm -r 40 "$OUTDIR/看板.pdf" "$OUTDIR/看板" 2>/dev/null
check_eq "dashboard: red and green cells in the PDF (no village is yellow)" "$($PY -c 'import sys, glob
want={"red":(240,128,128),"yellow":(255,224,102),"green":(143,209,158)}
seen={k:0 for k in want}
for f in glob.glob(sys.argv[1] + "-*.ppm"):
    d=open(f,"rb").read(); parts=d.split(b"\n",3); px=parts[3]
    for i in range(0, len(px) - 2, 3):
        for k, c in want.items():
            if abs(px[i]-c[0]) < 4 and abs(px[i+1]-c[1]) < 4 and abs(px[i+2]-c[2]) < 4: seen[k]+=1
print(" ".join(k for k in want if seen[k] > 20))' "$OUTDIR/看板")" "red green"
expect 0 --out "红灯" -- cj audit dashboard --township 360925100 --year 2025
expect 2 --err "county or a township" -- cj audit dashboard --village 360925100101 --year 2025

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
