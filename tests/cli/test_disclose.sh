#!/usr/bin/env bash
# The three-level disclosure (三级公开): a small county built through the CLI
# (two townships, three villages; income and spending, a red reversal, a
# county allocation paying two projects, an anti-risk fund with aid, a
# member register and a declared distribution), then
#   * every sheet rendered as text and compared with the golden files;
#   * the XLSX files read back (openpyxl): every total is the sum of its
#     rows, every village's figures on the township sheet equal its own
#     sheet, every township's on the county sheet equal the township's
#     total, and the figures equal the ledger (SQL);
#   * the PDF text (pdftotext) holds the labels, the totals and the 大写;
#   * no resident ID number appears unmasked anywhere;
#   * --verify passes on fresh files and, after a voucher is posted into
#     the period, fails naming it (and passes for a voucher after it).
# CUNJI_UPDATE_GOLDEN=1 rewrites the golden files.
source "$(dirname "$0")/lib.sh"
fresh_db disclosetest
golden=${CUNJI_SRC:?}/tests/golden/disclose
tmp=$(mktemp -d)
# CUNJI_KEEP=1 keeps the files for a look
trap '[ -n "${CUNJI_KEEP:-}" ] && echo "files kept in $tmp" || rm -rf "$tmp"; rm -f "$out" "$err"' EXIT

C=360925 T1=360925100 T2=360925101 V1=360925100201 V2=360925100202 V3=360925101201
cj org add --level county --code $C --name 靖安县 >/dev/null
cj org add --level township --code $T1 --name 双溪镇 --parent $C >/dev/null
cj org add --level township --code $T2 --name 宝峰镇 --parent $C >/dev/null
cj org add --level village --code $V1 --name 周口村 --parent $T1 --start 2025-01 >/dev/null
cj org add --level village --code $V2 --name 石下村 --parent $T1 --start 2025-01 >/dev/null
cj org add --level village --code $V3 --name 毛竹山村 --parent $T2 --start 2025-01 >/dev/null
for v in $V1 $V2 $V3; do cj account add --village $v --code 102001 --name 农商行 >/dev/null; done
cj account add --village $V1 --code 113001 --name 张建国户 >/dev/null
post() { cj post "$@" >/dev/null || echo "FAIL: post $*"; }

# ---- 周口村: opening balances, income and spending over the year
post --village $V1 --date 2025-01-01 --summary 期初余额 --opening --debit 101=1,000.00 \
	--debit 102001=200,000.00 --debit 113001=5,000.00 --credit 311=206,000.00
post --village $V1 --date 2025-08-10 --summary 收到土地承包费 --debit 102001=30,000.00 \
	--credit '501=30,000.00;靖安县宏达竹业有限公司'
post --village $V1 --date 2025-10-08 --summary 收到厂房租赁费 --debit 102001=12,000.00 \
	--credit '501=12,000.00;靖安县宏达竹业有限公司'
post --village $V1 --date 2025-10-20 --summary 支付办公费 --debit '513=860.50;靖安县文具商店' \
	--credit 102001=860.50
post --village $V1 --date 2025-11-05 --summary 收到村级组织运转经费补助 --debit 102001=20,000.00 \
	--credit '503=20,000.00;靖安县财政局'
post --village $V1 --date 2025-11-18 --summary 支付路灯电费 --debit 514=1,234.56 \
	--credit '102001=1,234.56;国网靖安供电分公司'
post --village $V1 --date 2025-12-02 --summary 银行存款利息 --debit 102001=45.67 --credit 504=45.67
# an ID number typed into a counterparty must come out masked
post --village $V1 --date 2025-12-10 --summary 村干部误工补贴 --debit '513=600.00;李长根 110105195001010012' \
	--credit 101=600.00
post --village $V1 --date 2025-12-12 --summary 收回农户欠款 --debit 101=2,000.00 --credit '113001=2,000.00;张建国户'
post --village $V1 --date 2025-12-15 --summary 误记招待费 --id wrong-1 --debit 513=300.00 --credit 101=300.00
cj void --village $V1 --id wrong-1 >/dev/null

# ---- the county's 衔接 allocation: 周口村 and 毛竹山村, each with a project
cj fund allocate --county $C --doc 靖财农指〔2025〕12号 --doc-date 2025-03-01 --code XJ2025 \
	--name 2025年中央财政衔接推进乡村振兴补助资金 --kind 衔接推进乡村振兴补助资金 --source 中央 \
	--amount 500000 --to $V1=300000 --to $V3=150000 >/dev/null
post --village $V1 --date 2025-04-10 --summary 收到衔接资金 --fund XJ2025 --debit 102001=300,000.00 --credit 241=300,000.00
cj project add --village $V1 --code P1 --name 通组道路硬化工程 --category 基础设施 --budget XJ2025=280000 \
	--budget 村=20000 --content '硬化道路2.1公里，宽4.5米' --unit 周口村股份经济合作社 --responsible 张志明 \
	--start 2025-05-01 --end 2025-12-31 --households 120 --poverty 10 --monitored 2 \
	--goals 解决120户出行难 --mechanism '优先聘用脱贫户务工' >/dev/null
cj project start --village $V1 --code P1 --date 2025-05-01 >/dev/null
cj project pay --village $V1 --project P1 --tranche 预付 --payee 靖安县路通建设工程有限公司 --amount 84000 --date 2025-05-10 --fund XJ2025 >/dev/null
cj project pay --village $V1 --project P1 --tranche 进度款 --payee 靖安县路通建设工程有限公司 --amount 140000 --date 2025-10-15 --fund XJ2025 >/dev/null
cj project pay --village $V1 --project P1 --tranche 尾款 --payee 靖安县路通建设工程有限公司 --amount 56000 --date 2025-12-05 --fund XJ2025 >/dev/null
cj project accept --village $V1 --code P1 --date 2025-12-20 --asset-kind 公益性 >/dev/null

post --village $V3 --date 2025-01-01 --summary 期初余额 --opening --debit 102001=80,000.00 --credit 311=80,000.00
post --village $V3 --date 2025-04-12 --summary 收到衔接资金 --fund XJ2025 --debit 102001=150,000.00 --credit 241=150,000.00
post --village $V3 --date 2025-11-02 --summary 收到茶叶销售收入 --debit 102001=8,800.00 --credit '501=8,800.00;靖安县白茶产业发展有限公司'
post --village $V3 --date 2025-12-20 --summary 支付村干部报酬 --debit 513=3,600.00 --credit 102001=3,600.00
cj project add --village $V3 --code P1 --name 高标准茶园建设项目 --category 产业发展 --budget XJ2025=150000 \
	--content 新建茶园200亩 --unit 毛竹山村股份经济合作社 --responsible 胡国华 --start 2025-09-01 \
	--end 2026-06-30 --households 60 --poverty 8 --goals 茶园200亩 --mechanism 入股分红 >/dev/null
cj project start --village $V3 --code P1 --date 2025-09-01 >/dev/null
cj project pay --village $V3 --project P1 --tranche 进度款 --payee 靖安县白茶产业发展有限公司 --amount 60000 --date 2025-11-10 --fund XJ2025 >/dev/null
# earmarked money paid out charged straight to 专项应付款, the payee on the 241 line only
post --village $V3 --date 2025-12-18 --summary 支付茶苗款 --fund XJ2025 --debit '241=46,880.00;靖安县茶苗繁育场' \
	--credit 102001=46,880.00
# 内部往来 on 113 itself, by counterparty: one household owes the collective, it owes another
post --village $V3 --date 2025-11-15 --summary 农户借支化肥款 --debit '113=800.00;胡细毛' --credit 102001=800.00
post --village $V3 --date 2025-11-16 --summary 代收农户医保费 --debit 102001=500.00 --credit '113=500.00;胡国华'

# ---- 石下村: an anti-risk fund and aid to registered households
post --village $V2 --date 2025-01-01 --summary 期初余额 --opening --debit 102001=50,000.00 --credit 311=50,000.00
post --village $V2 --date 2025-10-09 --summary 收到山林承包费 --debit 102001=6,000.00 --credit '501=6,000.00;靖安县林场'
cj fund allocate --county $C --doc 靖乡振发〔2025〕5号 --doc-date 2025-01-20 --code FX2025 --name 防返贫致贫风险防控基金 \
	--kind 防返贫基金 --source 县 --amount 100000 --to $V2=100000 >/dev/null
# one bank payment to two suppliers: the payment list names both
post --village $V2 --date 2025-12-05 --summary 支付办公费及电费 --debit '513=300.00;靖安县文具商店' \
	--debit '514=200.00;国网靖安供电分公司' --credit 102001=500.00
post --village $V2 --date 2025-02-01 --summary 县拨防返贫基金 --fund FX2025 --debit 102001=100,000.00 --credit 241=100,000.00
cj aid rule --county $C --per-person 3000 --per-household 20000 --times 2 --min-endowment 100000 >/dev/null
cj member add --village $V2 --household 01 --head 熊金凤 --id 360925196503150023 --poverty 监测户 \
	--person '罗水生:360925197011200033:配偶' --share 人口股=2 >/dev/null
cj member add --village $V2 --household 02 --head 涂细妹 --id 360925198812030040 --share 人口股=1 >/dev/null
aid() { cj aid pay --village $V2 --fund FX2025 --applicant 村委会 --township-review 镇审核同意 --county-record 县乡村振兴局备案 "$@" >/dev/null || echo "FAIL: aid $*"; }
aid --household 01 --persons 1 --amount 1000 --date 2025-08-01 --reason 因病住院
aid --household 01 --persons 2 --amount 5000 --date 2025-10-12 --reason 因灾房屋受损
aid --household 02 --persons 1 --amount 2000 --date 2025-11-20 --reason 意外伤害

# ---- 周口村: members, shares and the year's distribution, partly paid
cj member add --village $V1 --household H01 --head 张建国 --id 11010519491231002X \
	--person '王芳:110105195203040025:配偶' --share 人口股=2 --share 劳龄股=1.5 \
	--bank 靖安农商银行 --account '6217 0001' >/dev/null
cj member add --village $V1 --household H02 --head 刘秀英 --id 110105196001010033 --share 人口股=1 \
	--bank 靖安农商银行 --account '6217 0002' >/dev/null
cj member add --village $V1 --household H03 --head 李长根 --id 110105195001010012 --share 人口股=1 --share 土地股=0.5 >/dev/null
cj member share --village $V1 --collective --type 集体股 --shares 0.5 --from 2025-01-01 >/dev/null
cj dividend post --village $V1 --year 2025 --date 2025-12-28 --reserve 10 --pool 10000 >/dev/null ||
	echo "FAIL: dividend post"
cj dividend pay --village $V1 --year 2025 --date 2025-12-30 --household H01 --household H02 >/dev/null
cj disclose hotline --code $C --phone 0795-4662345 >/dev/null || echo "FAIL: hotline"
for m in 01 02 03 04 05 06 07 08 09 10 11; do
	cj period close --village $V2 --period 2025-$m >/dev/null || echo "FAIL: close 2025-$m"
done
expect 0 -- cj check

# ---- usage
expect 2 --err "--level" -- cj disclose --code $C --period 2025Q4 --out "$tmp/x"
expect 2 --err "--period" -- cj disclose --level county --code $C --period 2025Q5 --out "$tmp/x"
expect 2 --err "--out" -- cj disclose --level county --code $C --period 2025Q4
expect 1 --err "is a county, not a village" -- cj disclose --level village --code $C --period 2025Q4 --out "$tmp/x"
expect 1 --err "no organisation" -- cj disclose hotline --code 999 --phone 1
# a period that has not begun is refused, naming it; an open one is made, with a warning
expect 1 --err "period 2099Q1 (2099年第一季度) has not begun: it starts on 2099-01-01" -- \
	cj disclose --level county --code $C --period 2099Q1 --out "$tmp/x"
expect 1 --err "disclosure sheets are made for a month, a quarter or a year, not for 2025-10..2025-11" -- \
	cj disclose --level county --code $C --period 2025-10..2025-11 --out "$tmp/x"
expect 2 --err "--period '2025Q5': there is no quarter 5" -- \
	cj disclose --level county --code $C --period 2025Q5 --out "$tmp/x"
check_eq "nothing written for a future period" "$(find "$tmp/x" -type f 2>/dev/null | wc -l)" 0
expect 0 --err "warning: 2025Q4 is not closed in the books of 3 village(s) (the first: 360925100201 周口村, open from 2025-10)" -- \
	cj disclose --level county --code $C --period 2025Q4 --all --format text
expect 0 --out "【未结账】本期有3个村的账簿尚未结账" -- cj disclose --level county --code $C --period 2025Q4 --format text
expect 0 --out "【未结账】2025年10月至12月尚未结账" -- cj disclose --level village --code $V1 --period 2025Q4 --format text
expect 0 --err "not closed in the books of 1 village(s)" -- cj disclose --level village --code $V2 --period 2025Q4 --format text
checks=$((checks + 1))
if cj disclose --level village --code $V2 --period 2025-11 --format text 2>"$err" | grep -q 未结账 || grep -q warning "$err"; then
	echo "FAIL: a closed month's sheet says 未结账"; failures=$((failures + 1))
fi

# ---- golden text: every sheet of the county for the quarter, a village for the year and a month
golden_check() { # golden_check NAME disclose-args...
	local name=$1
	shift
	checks=$((checks + 1))
	if ! cj disclose "$@" --format text >"$tmp/$name.txt" 2>"$err"; then
		echo "FAIL: disclose $* failed"; sed 's/^/  err: /' "$err" | head; failures=$((failures + 1)); return
	fi
	# the chain head covers the audit records' times: not the same on two runs
	sed -i -E -e 's/链头 #[0-9]+ [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}/链头 #N xxxx xxxx xxxx xxxx/' \
		-e 's/[0-9]+个村链头摘要 [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4} [0-9a-f]{4}/N个村链头摘要 xxxx xxxx xxxx xxxx/' "$tmp/$name.txt"
	if [ -n "${CUNJI_UPDATE_GOLDEN:-}" ]; then
		mkdir -p "$golden"; cp "$tmp/$name.txt" "$golden/$name.txt"
	elif ! diff -u "$golden/$name.txt" "$tmp/$name.txt" >"$tmp/diff"; then
		echo "FAIL: $name differs from tests/golden/disclose/$name.txt:"; head -40 "$tmp/diff"
		failures=$((failures + 1))
	fi
}
golden_check county-2025Q4 --level county --code $C --period 2025Q4 --all
golden_check village-$V1-2025 --level village --code $V1 --period 2025
golden_check village-$V2-2025-11 --level village --code $V2 --period 2025-11
golden_check township-$T1-2025 --level township --code $T1 --period 2025
check_eq "2025年第4季度 and 2025年第四季度 are 2025Q4" \
	"$(for p in 2025年第4季度 2025年第四季度; do cj disclose --level village --code $V1 --period $p --format text 2>/dev/null | md5sum; done | uniq)" \
	"$(cj disclose --level village --code $V1 --period 2025Q4 --format text 2>/dev/null | md5sum)"

# ---- the file tree
expect 0 --out "3 village, 2 township and 1 county sheet(s), 12 file(s)" -- \
	cj disclose --level county --code $C --period 2025Q4 --all --out "$tmp/q4" --jobs 2
check_eq "file tree" "$(cd "$tmp/q4" && find . -type f | LC_ALL=C sort | tr '\n' ' ')" \
"./360925 靖安县/360925-靖安县-2025Q4.pdf ./360925 靖安县/360925-靖安县-2025Q4.xlsx \
./360925 靖安县/360925100 双溪镇/360925100-双溪镇-2025Q4.pdf ./360925 靖安县/360925100 双溪镇/360925100-双溪镇-2025Q4.xlsx \
./360925 靖安县/360925100 双溪镇/360925100201-周口村-2025Q4.pdf ./360925 靖安县/360925100 双溪镇/360925100201-周口村-2025Q4.xlsx \
./360925 靖安县/360925100 双溪镇/360925100202-石下村-2025Q4.pdf ./360925 靖安县/360925100 双溪镇/360925100202-石下村-2025Q4.xlsx \
./360925 靖安县/360925101 宝峰镇/360925101-宝峰镇-2025Q4.pdf ./360925 靖安县/360925101 宝峰镇/360925101-宝峰镇-2025Q4.xlsx \
./360925 靖安县/360925101 宝峰镇/360925101201-毛竹山村-2025Q4.pdf ./360925 靖安县/360925101 宝峰镇/360925101201-毛竹山村-2025Q4.xlsx "
# one process or two: the same figures (XLSX sheet values compared below)
expect 0 -- cj disclose --level county --code $C --period 2025Q4 --all --out "$tmp/q4j1" --jobs 1 --format xlsx
expect 0 -- cj disclose --level county --code $C --period 2025 --all --out "$tmp/y" --jobs 2

# ---- the ledger's own figures, for the read-back
ledger_json() { # per village: period income/expense, funds and aid from SQL ($1 from, $2 to)
	sql "SELECT json_object_agg(o.code, json_build_object(
	  'income', (SELECT coalesce(sum(l.credit_fen - l.debit_fen), 0) FROM voucher_line l
	             JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id
	             JOIN account a ON a.village_id = l.village_id AND a.code = l.account_code
	            WHERE l.village_id = o.id AND a.category = 'income' AND v.kind <> 'closing'
	              AND v.voucher_date BETWEEN '$1' AND '$2'),
	  'expense', (SELECT coalesce(sum(l.debit_fen - l.credit_fen), 0) FROM voucher_line l
	             JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id
	             JOIN account a ON a.village_id = l.village_id AND a.code = l.account_code
	            WHERE l.village_id = o.id AND a.category = 'expense' AND v.kind <> 'closing'
	              AND v.voucher_date BETWEEN '$1' AND '$2'),
	  'fund_left', (SELECT coalesce(sum(l.debit_fen - l.credit_fen), 0) FROM voucher_line l
	             WHERE l.village_id = o.id AND l.fund_id IS NOT NULL AND l.period <= '$2'
	               AND (l.account_code LIKE '101%' OR l.account_code LIKE '102%')),
	  'cash_end', (SELECT coalesce(sum(debit_fen - credit_fen), 0) FROM account_period_total
	             WHERE village_id = o.id AND account_code LIKE '10_%' AND period <= '$2'
	               AND left(account_code, 3) IN ('101', '102')),
	  'aid', (SELECT coalesce(sum(amount_fen), 0) FROM aid_payment
	          WHERE village_id = o.id AND paid_on BETWEEN '$1' AND '$2'),
	  'dividend', (SELECT coalesce(sum(amount_fen), 0) FROM dividend_line WHERE village_id = o.id),
	  'paid', (SELECT json_build_array(count(*), coalesce(sum(l.credit_fen), 0)) FROM voucher_line l
	             JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id
	            WHERE l.village_id = o.id AND l.credit_fen <> 0 AND v.kind <> 'opening'
	              AND left(l.account_code, 3) IN ('101', '102') AND l.period BETWEEN '$1' AND '$2'),
	  'internal', (SELECT json_build_array(coalesce(sum(b) FILTER (WHERE b > 0), 0),
	                                       coalesce(-sum(b) FILTER (WHERE b < 0), 0))
	             FROM (SELECT sum(debit_fen - credit_fen) AS b FROM voucher_line
	                    WHERE village_id = o.id AND account_code LIKE '113%' AND period <= '$2'
	                    GROUP BY account_code, CASE WHEN account_code = '113' THEN counterparty END) x),
	  'vouchers', (SELECT count(*) FROM voucher WHERE village_id = o.id AND voucher_date <= '$2')))
	  FROM org o WHERE o.level = 'village'"
}
ledger_json 2025-10-01 2025-12-31 >"$tmp/ledger-q4.json"
ledger_json 2025-01-01 2025-12-31 >"$tmp/ledger-y.json"

readback() { # readback DIR LEDGER_JSON [OTHER_DIR]: the XLSX files agree with each other and the books
	checks=$((checks + 1))
	if ! $PY - "$@" >"$tmp/readback.out" 2>&1 <<'PYEOF'; then
import glob, json, os, re, sys
import openpyxl

top, ledger = sys.argv[1], json.load(open(sys.argv[2]))
other = sys.argv[3] if len(sys.argv) > 3 else None
bad = []

def fen(v):
    return 0 if v is None else int(round(float(v) * 100))

def table(wb, name):
    """a sheet's table: its column titles (the first row with two or more cells, merged
    group titles folded into the titles under them), then its rows up to the blank line"""
    rows = [list(r) for r in wb[name].iter_rows(values_only=True)]
    i = next(k for k, r in enumerate(rows) if sum(c is not None for c in r) >= 2)
    head = rows[i]
    if rows[i + 1][0] is None and any(isinstance(c, str) for c in rows[i + 1]):
        head = [b if b is not None else a for a, b in zip(rows[i], rows[i + 1])]
        i += 1
    body = []
    for r in rows[i + 1:]:
        if all(c is None for c in r):
            break
        body.append(r)
    return head, body

def col(head, title):
    return head.index(title)

def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)

def check_sums(wb, name, label_col=0):
    """every total row: each numeric column equals the sum of the data rows it closes
    (合计: all of them; 小计: those since the last 小计; 收入合计/支出合计: the 收入/支出 rows)"""
    head, body = table(wb, name)
    data, since = [], []
    for r in body:
        label = r[label_col] if isinstance(r[label_col], str) else ''
        if label in ('合计', '小计', '收入合计', '支出合计'):
            group = {'合计': data, '小计': since}.get(label) or [x for x in data if x[0] == label[:2]]
            for k, v in enumerate(r):
                if is_num(v) and head[k] != '支付进度':  # a percentage is not a sum
                    s = sum(fen(x[k]) for x in group if is_num(x[k]))
                    if s != fen(v):
                        bad.append(f'{name}: {label} of {head[k]} is {fen(v)}, its rows sum to {s}')
            since = []
        elif any(is_num(v) for v in r):
            data.append(r)
            since.append(r)
    return head, body

def total_row(body, label='合计'):
    return next(r for r in body if r[0] == label or (len(r) > 1 and r[1] == label))

villages, townships, county = {}, {}, None
for path in glob.glob(os.path.join(top, '**', '*.xlsx'), recursive=True):
    base = os.path.basename(path)
    code = base.split('-')[0]
    wb = openpyxl.load_workbook(path, data_only=True)
    if len(code) == 12:
        villages[code] = wb
    elif len(code) == 9:
        townships[code] = wb
    else:
        county = wb

# ---- each village sheet: sums, and the books
fig = {}
for code, wb in villages.items():
    for name in ('收支情况', '收入明细', '支出明细', '货币资金及债权债务', '专项资金', '防返贫救助', '项目资金公告公示'):
        check_sums(wb, name, 1 if name == '项目资金公告公示' else 0)
    h, b = table(wb, '收支情况')
    inc = fen(next(r for r in b if r[0] == '收入合计')[col(h, '本期金额')])
    exp = fen(next(r for r in b if r[0] == '支出合计')[col(h, '本期金额')])
    oper = sum(fen(r[col(h, '本期金额')]) for r in b if r[1] in ('经营收入', '投资收益'))
    h2, b2 = table(wb, '收入明细')
    if fen(total_row(b2)[col(h2, '金额')]) != inc:
        bad.append(f'{code}: 收入明细 total differs from 收支情况')
    if inc != ledger[code]['income'] or exp != ledger[code]['expense']:
        bad.append(f"{code}: income/expense {inc}/{exp}, ledger {ledger[code]['income']}/{ledger[code]['expense']}")
    h, b = table(wb, '货币资金及债权债务')
    for r in b:
        if r[0] and r[0].strip() and isinstance(r[1], (int, float)) and r[0] not in ('小计',):
            if fen(r[1]) + fen(r[2]) - fen(r[3]) != fen(r[4]):
                bad.append(f'{code}: {r[0]}: opening + increase - decrease != closing')
    labels = [r[0].strip() for r in b if r[0]]
    for want in ('应交税费', '一事一议资金', '专项应付款', '内部往来（成员欠集体）', '内部往来（集体欠成员）'):
        if want not in labels:
            bad.append(f'{code}: 货币资金及债权债务 lacks {want}')
    owed = [next((fen(r[4]) for r in b if r[0] and r[0].strip() == k), None)
            for k in ('内部往来（成员欠集体）', '内部往来（集体欠成员）')]
    if owed != ledger[code]['internal']:
        bad.append(f"{code}: 内部往来 owed to/by the collective {owed}, ledger per household {ledger[code]['internal']}")
    if '内部往来明细' not in wb.sheetnames:
        bad.append(f'{code}: no 内部往来明细')
    else:
        hi, bi = check_sums(wb, '内部往来明细')
        subs, group = [0, 0], None
        for r in bi:
            if r[0] in ('成员欠集体（列入债权）', '集体欠成员（列入债务）'):
                group = r[0].startswith('集体')
            elif r[0] == '小计':
                subs[group] = fen(r[4])
        if subs != owed:
            bad.append(f'{code}: 内部往来明细 subtotals {subs} differ from the balance rows {owed}')
    paid_out = sum(fen(r[3]) for r in b if r[0] and r[0].strip() in ('库存现金', '银行存款'))
    if '货币资金支付明细' not in wb.sheetnames:
        bad.append(f'{code}: no 货币资金支付明细')
    else:
        hp, bp = check_sums(wb, '货币资金支付明细')
        prow = [r for r in bp if isinstance(r[col(hp, '金额')], (int, float)) and r[0] != '合计']
        if [len(prow), fen(total_row(bp)[col(hp, '金额')])] != ledger[code]['paid'] or ledger[code]['paid'][1] != paid_out:
            bad.append(f"{code}: payments listed {len(prow)}, {fen(total_row(bp)[col(hp, '金额')])}; ledger {ledger[code]['paid']}, 本期减少 {paid_out}")
        for r in prow:
            use = r[col(hp, '用途（科目及项目、资金）')] or ''
            if ('在建工程' in use or '专项应付款' in use) and not r[col(hp, '收款单位（人）')]:
                bad.append(f'{code}: payment {r[1]} charged to {use} names no payee')
    # a negative amount is a red reversal, labelled with what it reverses
    for name, k in (('收入明细', '金额'), ('支出明细', '金额'), ('货币资金支付明细', '金额')):
        if name not in wb.sheetnames:
            continue
        hn, bn = table(wb, name)
        for r in bn:
            v = r[col(hn, k)]
            if is_num(v) and v < 0 and r[0] != '合计' and not re.match(r'冲销\d{4}年\d{1,2}月记字第\d+号（\d{4}-\d{2}-\d{2} ', r[2] or ''):
                bad.append(f'{code}: {name}: {v} in {r[1]} is not labelled as a reversal: {r[2]}')
    cash = sum(fen(r[4]) for r in b if r[0] and r[0].strip() in ('库存现金', '银行存款'))
    if cash != ledger[code]['cash_end']:
        bad.append(f"{code}: cash and bank {cash}, ledger {ledger[code]['cash_end']}")
    h, b = table(wb, '专项资金')
    t = total_row(b)
    f = {k: fen(t[col(h, k)]) for k in ('期初结存', '本期收到', '本期支出', '期末结存')}
    fx = [r for r in b if r[1] == '防返贫基金']
    f['fx'] = [sum(fen(r[col(h, k)]) for r in fx) for k in ('期初结存', '本期收到', '本期支出', '期末结存')]
    if f['期末结存'] != ledger[code]['fund_left']:
        bad.append(f"{code}: funds left {f['期末结存']}, ledger {ledger[code]['fund_left']}")
    h, b = table(wb, '防返贫救助')
    t = total_row(b)
    f['aid'] = fen(t[col(h, '金额')])
    f['aid_n'] = sum(1 for r in b if r[0] not in ('合计',) and isinstance(r[col(h, '金额')], (int, float)))
    if f['aid'] != ledger[code]['aid']:
        bad.append(f"{code}: aid {f['aid']}, ledger {ledger[code]['aid']}")
    h, b = table(wb, '项目资金公告公示')
    t = total_row(b)
    f['proj_n'] = sum(1 for r in b if isinstance(r[0], str) and r[0].isdigit())
    f['proj_ok'] = sum(1 for r in b if r[col(h, '项目进度')] == '已验收')
    f['proj_budget'] = fen(t[col(h, '资金规模')])
    f['proj_paid'] = fen(t[col(h, '累计支付')])
    div = [s for s in wb.sheetnames if s.endswith('收益分配')]
    if div:
        h, b = check_sums(wb, div[0])
        if fen(total_row(b)[col(h, '分红金额')]) != ledger[code]['dividend']:
            bad.append(f'{code}: dividend list total differs from the ledger')
    fig[code] = dict(income=inc, expense=exp, oper=oper, **f)
    # the footer's digest count is the ledger's voucher count
    foot = [r[0] for r in wb['收支情况'].iter_rows(values_only=True) if r[0] and str(r[0]).startswith('账簿指纹')]
    if not foot or f"记账凭证{ledger[code]['vouchers']}张" not in foot[0]:
        bad.append(f'{code}: footer digest lacks the voucher count')

# ---- township sheets: each village's row equals its own sheet
names = {}
for code, wb in villages.items():
    names[code] = wb['收支情况'].cell(1, 1).value.replace('财务公开表', '')
ints = lambda r: [int(r[0]), int(r[1]), fen(r[2]), fen(r[3])]
tfig = {}
for tcode, wb in townships.items():
    for name in ('各村收支及资金', '各村项目', '防返贫基金', '专项资金分配及使用', '项目进度'):
        check_sums(wb, name)
    h, b = table(wb, '各村收支及资金')
    hp, bp = table(wb, '各村项目')
    for code, f in fig.items():
        if not code.startswith(tcode):
            continue
        r = next((r for r in b if r[0] == names[code]), None)
        rp = next((r for r in bp if r[0] == names[code]), None)
        if r is None or rp is None:
            bad.append(f'{tcode}: no row for village {code}'); continue
        want = [f['income'], f['expense'], f['oper'], f['期初结存'], f['本期收到'], f['本期支出'],
                f['期末结存']]
        if [fen(x) for x in r[1:8]] != want:
            bad.append(f'{tcode}: village {code} row {r[1:8]} differs from its sheet {want}')
        want = [f['proj_n'], f['proj_ok'], f['proj_budget'], f['proj_paid']]
        if ints(rp[1:5]) != want:
            bad.append(f'{tcode}: village {code} projects {rp[1:5]} differ from its sheet {want}')
    hx, bx = table(wb, '防返贫基金')
    for code, f in fig.items():
        if code.startswith(tcode) and (any(f['fx']) or f['aid']):
            r = next(r for r in bx if r[0] == names[code])
            if [fen(x) for x in r[1:5]] + [int(r[5]), fen(r[6])] != f['fx'] + [f['aid_n'], f['aid']]:
                bad.append(f'{tcode}: anti-risk row of {code} differs from its sheet')
    tfig[tcode] = ([fen(x) for x in total_row(b)[1:8]], ints(total_row(bp)[1:5]),
                   [fen(x) for x in total_row(bx)[1:5]] + [int(total_row(bx)[5]), fen(total_row(bx)[6])])

# ---- the county: each township's row equals the township sheet's total
if county is not None:
    for name in ('各乡镇收支及资金', '各乡镇项目', '防返贫基金', '专项资金分配及使用'):
        check_sums(county, name)
    h, b = table(county, '各乡镇收支及资金')
    hp, bp = table(county, '各乡镇项目')
    hx, bx = table(county, '防返贫基金')
    for tcode, wb in townships.items():
        tname = wb['各村收支及资金'].cell(1, 1).value.replace('村级财务公开汇总表', '')
        r = next(r for r in b if r[0] == tname)
        rp = next(r for r in bp if r[0] == tname)
        got = ([fen(x) for x in r[2:9]], ints(rp[1:5]))
        if got != tfig[tcode][:2]:
            bad.append(f'county: township {tcode} rows {got} differ from its sheet totals {tfig[tcode][:2]}')
        rx = next((r for r in bx if r[0] == tname), None)
        if rx is not None and [fen(x) for x in rx[2:6]] + [int(rx[6]), fen(rx[7])] != tfig[tcode][2]:
            bad.append(f'county: township {tcode} anti-risk row differs from its sheet total')
    ttot = [sum(v[0][k] for v in tfig.values()) for k in range(7)]
    if [fen(x) for x in total_row(b)[2:9]] != ttot:
        bad.append(f'county total {total_row(b)[2:9]} differs from the sum of township sheets {ttot}')
    ptot = [sum(v[1][k] for v in tfig.values()) for k in range(4)]
    if ints(total_row(bp)[1:5]) != ptot:
        bad.append(f'county project total differs from the sum of township sheets {ptot}')
    # the allocation table's balance equals the funds left
    h, b = table(county, '专项资金分配及使用')
    if fen(total_row(b)[col(h, '结余')]) != sum(f['期末结存'] for f in fig.values()):
        bad.append('county: allocations balance differs from the villages funds left')

# ---- a run with another number of processes gives the same values
if other:
    for path in glob.glob(os.path.join(top, '**', '*.xlsx'), recursive=True):
        twin = os.path.join(other, os.path.relpath(path, top))
        a = openpyxl.load_workbook(path, data_only=True)
        b = openpyxl.load_workbook(twin, data_only=True)
        for s in a.sheetnames:
            if hasattr(a[s], 'iter_rows') and s in b.sheetnames and [list(r) for r in a[s].iter_rows(values_only=True)] != \
               [list(r) for r in b[s].iter_rows(values_only=True)]:
                bad.append(f'{os.path.basename(path)}: sheet {s} differs between --jobs 1 and 2')

# ---- no resident ID number anywhere, unmasked
idre = re.compile(r'(?<![0-9])[0-9]{17}[0-9Xx](?![0-9])')
# digests (64 hex digits) are taken out first: one in 700 holds a run of
# exactly 18 decimal digits, and a township stamp lists one per village
hexre = re.compile(r'[0-9A-Fa-f]{32,}')
def has_id(text):
    return idre.search(hexre.sub(' ', text))
for path in glob.glob(os.path.join(top, '**', '*.xlsx'), recursive=True):
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        for r in (ws.iter_rows(values_only=True) if hasattr(ws, 'iter_rows') else ()):
            for c in r:
                if isinstance(c, str) and has_id(c):
                    bad.append(f'{os.path.basename(path)}: unmasked ID in {ws.title}: {c}')
    props = wb.properties
    for v in (props.keywords, props.subject, props.title, props.description):
        if v and has_id(v):
            bad.append(f'{os.path.basename(path)}: unmasked ID in the properties')

for b in bad:
    print('  ' + b)
print(f'{len(villages)} villages, {len(townships)} townships, county: {county is not None}; {len(bad)} problems')
sys.exit(1 if bad else 0)
PYEOF
		echo "FAIL: XLSX read-back of $1:"; cat "$tmp/readback.out"; failures=$((failures + 1))
	fi
}
readback "$tmp/q4" "$tmp/ledger-q4.json" "$tmp/q4j1"
readback "$tmp/y" "$tmp/ledger-y.json"

# ---- PDF text: labels, totals, 大写, no ID numbers
pdf_has() { # pdf_has FILE TEXT...
	local f=$1
	shift
	pdftotext -layout "$f" "$tmp/pdf.txt" 2>/dev/null
	for t in "$@"; do
		checks=$((checks + 1))
		if ! grep -qF -- "$t" "$tmp/pdf.txt"; then
			echo "FAIL: $(basename "$f") lacks '$t'"; failures=$((failures + 1))
		fi
	done
}
d1="$tmp/q4/360925 靖安县/360925100 双溪镇"
checks=$((checks + 1))
if ! $PY - "$d1/360925100202-石下村-2025Q4.xlsx" <<'PYEOF'; then
import sys
import openpyxl
ws = openpyxl.load_workbook(sys.argv[1])['货币资金支付明细']
sys.exit(0 if any(r[3] == '靖安县文具商店、国网靖安供电分公司' for r in ws.iter_rows(values_only=True)) else 1)
PYEOF
	echo "FAIL: the bank payment to two suppliers does not name both"; failures=$((failures + 1))
fi
pdf_has "$d1/360925100201-周口村-2025Q4.pdf" 周口村财务公开表 周口村项目资金公告公示表 收入明细 支出明细 \
	货币资金及债权债务 专项资金 2025年度收益分配 12317 0795-4662345 村务监督委员会 民主理财小组 \
	32,045.67 叁万贰仟零肆拾伍元陆角柒分 110105********0012 通组道路硬化工程 账簿指纹 \
	【未结账】2025年10月至12月尚未结账 货币资金支付明细 靖安县路通建设工程有限公司 140,000.00 \
	内部往来明细 每股分红 1,538.461538 应交税费 一事一议资金 专项应付款
pdf_has "$tmp/q4/360925 靖安县/360925101 宝峰镇/360925101201-毛竹山村-2025Q4.pdf" 货币资金支付明细 \
	靖安县茶苗繁育场 46,880.00 胡细毛 胡国华 内部往来（成员欠集体） 内部往来（集体欠成员）
pdf_has "$d1/360925100202-石下村-2025Q4.pdf" 防返贫救助 熊金凤 360925********0023 7,000.00
pdf_has "$d1/360925100-双溪镇-2025Q4.pdf" 双溪镇村级财务公开汇总表 各村收支及资金 周口村 石下村
pdf_has "$tmp/q4/360925 靖安县/360925-靖安县-2025Q4.pdf" 靖安县村级财务及资金项目公开汇总表 各乡镇收支及资金 各乡镇项目 \
	双溪镇 宝峰镇 靖财农指〔2025〕12号
checks=$((checks + 1))
for f in $(find "$tmp/q4" -name '*.pdf' | tr ' ' '?'); do
	f=$(echo "$f" | tr '?' ' ')
	pdftotext "$f" - 2>/dev/null
done >"$tmp/all-pdf.txt"
# digests taken out first (see has_id above)
cat "$tmp"/*.txt "$tmp/all-pdf.txt" 2>/dev/null | sed -E 's/[0-9A-Fa-f]{32,}/ /g' >"$tmp/everything"
if grep -qE '(^|[^0-9])[0-9]{17}[0-9Xx]([^0-9]|$)' "$tmp/everything"; then
	echo "FAIL: an unmasked ID number in the output:"; grep -oE '[0-9]{17}[0-9Xx]' "$tmp/everything" | head -3
	failures=$((failures + 1))
fi

# ---- --verify: fresh files pass; a voucher posted into the period makes them stale
vx="$d1/360925100201-周口村-2025Q4.xlsx" vp="$d1/360925100201-周口村-2025Q4.pdf"
tx="$d1/360925100-双溪镇-2025Q4.xlsx" cx="$tmp/q4/360925 靖安县/360925-靖安县-2025Q4.pdf"
ox="$tmp/q4/360925 靖安县/360925101 宝峰镇/360925101201-毛竹山村-2025Q4.xlsx"
for f in "$vx" "$vp" "$tx" "$cx" "$ox"; do
	expect 0 --out "the books still match" -- cj disclose --verify "$f"
done
expect 2 --err "only the file" -- cj disclose --verify "$vx" --level village
echo 'not a sheet' >"$tmp/plain.txt"
expect 1 --err "neither an XLSX nor a PDF" -- cj disclose --verify "$tmp/plain.txt"
# a voucher after the period's end changes nothing
post --village $V1 --date 2026-01-05 --summary 收到新年承包费 --debit 102001=100.00 --credit 501=100.00
expect 0 --out "the books still match" -- cj disclose --verify "$vx"
# one dated in it does
post --village $V1 --date 2025-12-31 --summary 补记年末租金 --debit 102001=888.00 --credit 501=888.00
expect 1 --out "1 voucher(s) dated up to 2025-12-31 were posted after the sheet was made" -- cj disclose --verify "$vx"
expect 1 --out "补记年末租金" -- cj disclose --verify "$vp"
expect 1 --out "village 360925100201 周口村: 1 voucher(s)" -- cj disclose --verify "$tx"
expect 1 --out "1 of 3 villages changed" -- cj disclose --verify "$cx"
expect 0 --out "the books still match" -- cj disclose --verify "$ox"
# fresh sheets match again
expect 0 -- cj disclose --level village --code $V1 --period 2025Q4 --out "$tmp/q4b"
expect 0 --out "the books still match" -- cj disclose --verify "$tmp/q4b/360925 靖安县/360925100 双溪镇/360925100201-周口村-2025Q4.xlsx"
expect 1 --out "STALE, the books changed" -- cj disclose --verify "$vx"

# ---- --verify against other books that use the same codes: not made from these books,
# and nothing of theirs (the village's name here) shown as the sheet's
main_db=$DB
fresh_db disclosetest_other
cj org add --level county --code $C --name 靖安县 >/dev/null
cj org add --level township --code $T1 --name 双溪镇 --parent $C >/dev/null
cj org add --level village --code $V1 --name 别处村 --parent $T1 --start 2025-01 >/dev/null
for i in $(seq 1 25); do
	post --village $V1 --date 2025-03-01 --summary 别处的凭证 --debit 101=1.00 --credit 501=1.00
done
for f in "$vx" "$vp" "$tx" "$cx" "$ox"; do
	expect 1 --out "NOT FROM THESE BOOKS, the sheet was made from other books" -- cj disclose --verify "$f"
	checks=$((checks + 1))
	if grep -qE "别处村|STALE" "$out"; then
		echo "FAIL: --verify of $(basename "$f") against other books:"; sed 's/^/  out: /' "$out"
		failures=$((failures + 1))
	fi
done
expect 1 --out "village 360925100201: the first 20 vouchers dated up to 2025-12-31 in these books are not the ones the sheet was made from" -- \
	cj disclose --verify "$vx"
expect 1 --out "there is no organisation 360925101201 in these books" -- cj disclose --verify "$ox"
expect 1 --out "village 360925100202 is on the sheet but not in these books" -- cj disclose --verify "$tx"
DB=$main_db
finish
