#!/usr/bin/env bash
# audit scan over a county with planted anomalies (audit_county.sh): every
# planted anomaly found with its rule, village and amount, nothing in the
# clean villages, each rule alone, thresholds per county and township, the
# rules list, and findings marked by inspectors only (the database refusing
# everyone else).
source "$(dirname "$0")/lib.sh"
fresh_db auditscan
source "$(dirname "$0")/audit_county.sh"

# village rule amount, sorted, from the CSV of a scan (extra arguments to cunji)
found() {
	cj audit scan --county 360925 --year 2025 --format csv --encoding utf-8 "$@" |
		$PY -c 'import csv,sys
rows=list(csv.DictReader(sys.stdin))
print("\n".join(sorted("%s %s %s" % (r["village"], r["rule"], r["amount_yuan"]) for r in rows)))'
}
h0() { sql "SELECT amount_fen / 100 || '.' || lpad((amount_fen % 100)::text, 2, '0') FROM dividend_line d
             JOIN org o ON o.id = d.village_id WHERE o.code = '$1' AND household_code = '$2'"; }
want=$(echo "$EXPECTED" | sed "s/^360925100108 R26 DIV/360925100108 R26 $(h0 360925100108 H01)/;
	s/^360925100108 R28 DIV/360925100108 R28 $(h0 360925100108 H01)/;
	s/^360925200201 R28 DIV/360925200201 R28 $(h0 360925200201 H01)/;
	s/^360925100108 R27 DIV2/360925100108 R27 $(h0 360925100108 H02)/;
	s/^360925200201 R27 DIV2/360925200201 R27 $(h0 360925200201 H02)/" | sort)

# ---- every planted anomaly, with its rule, village and amount; nothing else
check_eq "the county's findings" "$(found)" "$want"
for v in 360925100109 360925100110 360925200202; do
	check_eq "clean village $v has no finding" "$(found | grep -c "^$v ")" 0
done

# ---- over several connections (the villages split between them, one
# snapshot), the same findings to the byte as over one: the persons, bank
# accounts and ID numbers paid by villages of different parts included
one=$(cj audit scan --county 360925 --year 2025 --format json --jobs 1)
check_eq "one connection finds the county's findings" \
	"$(echo "$one" | grep -c '"rule": "R2[78]"')" "$(echo "$want" | grep -c ' R2[78] ')"
for j in 2 3 4; do
	check_eq "--jobs $j finds what one connection finds" \
		"$(cj audit scan --county 360925 --year 2025 --format json --jobs $j)" "$one"
done
expect 2 --err "--jobs must be between 1 and 4" -- cj audit scan --county 360925 --year 2025 --jobs 5

# ---- each rule alone finds its own anomalies
for r in R08 R09 R10 R11 R13 R19 R20 R21 R22 R23 R24 R25 R26 R27 R28 R29 R30 R31; do
	check_eq "rule $r alone" "$(found --rules "$r")" "$(echo "$want" | grep " $r " || true)"
done

# ---- the text: the sentence, the threshold, the colour
expect 0 --out "2025-05-06 库存现金余额 10,700.00 元，超过库存现金限额 5,000.00 元，违反 R08“库存现金超过限额”。" \
	-- cj audit scan --village 360925100101 --year 2025
expect 0 --out "限额 5,000.00 元" -- cj audit scan --village 360925100101 --year 2025
expect 0 --out "审批限额 10,000.00 元，7 天内 3 笔" -- cj audit scan --township 360925100 --year 2025 --rules R27
expect 0 --out "2025-08-1, 2025-08-2, 2025-08-3 赵某工程队" -- cj audit scan --village 360925100107 --year 2025
expect 0 --out '"severity": "红"' -- cj audit scan --village 360925100105 --year 2025 --format json
expect 0 --out "2025-07-01 收到现金收入 600.00 元，存入银行前库存现金降至 300.00 元，至少 300.00 元收入未存入银行即被支出（坐支）" \
	-- cj audit scan --village 360925100103 --year 2025 --rules R09
expect 0 --out "通过银行向个人 李某 支付 12,000.00 元" -- cj audit scan --village 360925100104 --year 2025 --rules R11
expect 0 --out "银行账户 6217000000000001 在本村收到分红" -- cj audit scan --county 360925 --year 2025 --rules R27
expect 0 --out "支付分红 500.00 元给 郑某，收款人不在本村成员名册中" -- cj audit scan --village 360925200201 --year 2025 --rules R28
# a threshold per county changes the new parts too: 坐支 needs no threshold, the
# payment to a person does
expect 0 -- cj audit rule set --county 360925 R11 person_limit=15000
check_eq "R11 person_limit 15,000: the 12,000 to 李某 is within" "$(found --rules R11 | grep -c 12000)" 0
expect 0 -- cj audit rule set --county 360925 R11 person_limit=10000
# a scan of one village sees nothing of another: no cross-village finding
check_eq "one village alone: no cross-village R27" \
	"$(cj audit scan --village 360925200201 --year 2025 --rules R27 --format csv --encoding utf-8 | tail -n +2 | wc -l)" 0

# ---- the rules: every one listed, those cunji cannot decide with why
expect 0 --out "R30" -- cj audit rules
check_eq "31 rules" "$(cj audit rules --format csv --encoding utf-8 | tail -n +2 | wc -l)" 31
expect 0 --out "尚无岗位与印鉴保管记录" -- cj audit rules
expect 1 --err "rule R12 is not available: 尚无岗位与印鉴保管记录" -- cj audit scan --county 360925 --year 2025 --rules R12
expect 1 --err "no rule R99" -- cj audit scan --county 360925 --year 2025 --rules R08,R99

# ---- thresholds: a county's value, a township's over it, and what changes
expect 0 -- cj audit rule set --county 360925 R08 limit=20000
check_eq "R08 at 20,000 for the county: 10,700 is within" "$(found --rules R08)" ""
expect 0 --out "20,000.00 元" -- cj audit rules --village 360925100101
expect 0 -- cj audit rule set --township 360925100 R08 limit=10000
check_eq "R08 at 10,000 for the township: found again" "$(found --rules R08)" "360925100101 R08 10700.00"
expect 0 --out "限额 10,000.00 元" -- cj audit scan --village 360925100101 --year 2025 --rules R08
check_eq "R25 at 365 days: nothing" "$(found --rules R25)" ""
expect 0 -- cj audit rule set --township 360925200 R25 days=100
check_eq "R25 at 100 days in 仁首镇: the payable of 202" "$(found --rules R25)" "360925200202 R25 3000.00"
expect 0 -- cj audit rule set --county 360925 R27 limit=30000
check_eq "R27 limit 30,000: 3 x 9,900 is no split" "$(found --rules R27 | grep -c 29700)" 0
expect 1 --err "rule R08 has no threshold days" -- cj audit rule set --county 360925 R08 days=3
expect 1 --err "R08 limit=abc: not an amount" -- cj audit rule set --county 360925 R08 limit=abc
expect 2 --err "is not KEY=VALUE" -- cj audit rule set --county 360925 R08 5000
VID=$(sql "SELECT id FROM org WHERE code = '360925100101'")
db_refused CJ080 "INSERT INTO audit_threshold (org_id, rule, key, value) VALUES ($VID, 'R08', 'limit', 1)"
db_refused 23514 "INSERT INTO audit_threshold (org_id, rule, key, value) VALUES (1, 'R08', 'limit', -1)" audit_threshold_value_check

# ---- the roster
expect 0 --out "张三" -- cj official list --county 360925
expect 1 --err "is 配偶 of whom" -- cj official add --village 360925100104 --name 李四 --post 报账员 --relation 配偶
expect 1 --err "official_id_number_check" -- cj official add --village 360925100104 --name 李四 --post 主任 --id-number 123
expect 0 -- cj official add --village 360925100104 --name 王五 --post 村委会主任 --relation 配偶 --of 张三
roster=$(mktemp --suffix=.csv)
printf '村代码,姓名,身份证号,职务,任期起,任期止,关系,亲属\n360925100109,孙七,%s,村党支部书记,2021-03-01,2026-03-01,,\n360925100109,孙小七,,村党支部书记,,,子女,孙七\n' \
	"$(idn 21)" >"$roster"
expect 0 --out "added 2 people" -- cj official import --file "$roster"
expect 0 --out "孙小七" -- cj official list --village 360925100109
expect 0 --out "360925********0" -- cj official list --village 360925100109
printf '村代码,姓名,职务\n360925100999,某,主任\n360925100109,,主任\n' >"$roster"
expect 1 --err "is not a village's code" -- cj official import --file "$roster"
check_eq "a roster file with problems adds nobody" "$(sql "SELECT count(*) FROM official")" 5
rm -f "$roster"

# ---- findings are work: inspectors mark them, nobody else
login_add jijian 纪检组 inspector 360925
login_add jijian2 仁首纪检 inspector 360925200
login_add zhang 张会计 bookkeeper 360925100
expect 0 --out "R08:2025-05" -- as_login jijian audit scan --village 360925100101 --year 2025
expect 1 --err "may not" -- as_login zhang audit mark --village 360925100101 --key R08:2025-05 \
	--state explained --note 备用金
expect 1 --err "that login jijian2 may see" -- as_login jijian2 audit mark --village 360925100101 --key R08:2025-05 \
	--state explained --note 备用金
expect 0 -- as_login jijian audit mark --village 360925100101 --key R08:2025-05 --state explained \
	--note 当日支付劳务费所提现金
expect 2 --err "--note is required" -- as_login jijian audit mark --village 360925100101 --key R08:2025-05 --state referred
expect 1 --err "give explained, follow_up or referred" -- as_login jijian audit mark --village 360925100101 \
	--key R08:2025-05 --state done --note x
expect 0 --out "已说明：当日支付劳务费所提现金" -- cj audit scan --village 360925100101 --year 2025
check_eq "--new leaves the marked finding out" \
	"$(cj audit scan --village 360925100101 --year 2025 --new --format csv --encoding utf-8 | cut -d, -f1 | tail -n +2 | tr '\n' ' ')" "R11 "
expect 0 -- as_login jijian audit mark --village 360925100101 --key R08:2025-05 --state referred --note 移交乡镇
expect 0 --out "已移交：移交乡镇" -- cj audit scan --village 360925100101 --year 2025
check_eq "both marks kept" "$(sql "SELECT count(*) FROM audit_mark")" 2

# the database says so too, for a hand-typed session of each login
url_of() { "$CUNJI_BIN" --db "$DB" db url --user "$1"; }
psql_as() { # psql_as LOGIN STATE|ok SQL: refused with SQLSTATE, or accepted
	checks=$((checks + 1))
	PGPASSWORD=$(pw "$1") psql -X -q -At -v VERBOSITY=verbose -v ON_ERROR_STOP=1 "$(url_of "$1")" \
		-c "SET search_path = cunji" -c "$3" >/dev/null 2>"$err"
	local rc=$?
	if { [ "$2" = ok ] && [ $rc -ne 0 ]; } || { [ "$2" != ok ] && ! grep -q "^ERROR:  $2:" "$err"; }; then
		echo "FAIL: $1 $2: $3"; sed 's/^/  err: /' "$err" | head -3
		failures=$((failures + 1))
	fi
}
MARK="INSERT INTO audit_mark (village_id, finding_key, state, note) VALUES ($VID, 'R11:2025-05-2', 'follow_up', '核实')"
psql_as zhang 42501 "$MARK"
psql_as jijian2 42501 "$MARK"
psql_as jijian ok "$MARK"
psql_as jijian 42501 "UPDATE audit_mark SET note = '改'"
psql_as jijian 42501 "DELETE FROM audit_mark"
psql_as jijian 42501 "INSERT INTO audit_mark (village_id, finding_key, state, note, marked_by) VALUES ($VID, 'R11:x', 'follow_up', 'x', 'zhang')"
psql_as zhang 42501 "INSERT INTO audit_threshold (org_id, rule, key, value) VALUES (1, 'R08', 'limit', 1)"
psql_as jijian2 42501 "INSERT INTO audit_threshold (org_id, rule, key, value) VALUES ((SELECT id FROM org WHERE code = '360925100'), 'R08', 'limit', 1)"
psql_as jijian2 ok "INSERT INTO audit_threshold (org_id, rule, key, value) VALUES ((SELECT id FROM org WHERE code = '360925200'), 'R08', 'limit', 1)"
psql_as zhang 42501 "INSERT INTO official (village_id, name, post) VALUES ($VID, '某', '主任')"
check_eq "the inspector's mark, by its login" "$(sql "SELECT marked_by FROM audit_mark WHERE finding_key = 'R11:2025-05-2'")" jijian

# books loaded a moment ago: the scan had them analysed first (0046), as the
# owner, for logins that may not ANALYZE; again, nothing has changed enough
check_eq "the scan analysed the fresh vouchers' lines" \
	"$(sql "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE schemaname = 'cunji' AND relname = 'voucher_line'")" t
psql_as jijian ok "SELECT books_statistics_refresh()"
check_eq "and nothing to analyse again" "$(sql "SELECT books_statistics_refresh()")" 0

# ---- R30: disclosure sheets as cunji made them.  109 makes 2025Q1 and
# 2025Q3 (Q2 and Q4 missing, due long ago); 110 makes 2025Q1 only, then a
# voucher of March is posted after it (补记账)
sheets=$(mktemp -d)
for q in 2025Q1 2025Q3; do
	expect 0 -- cj disclose --level village --code 360925100109 --period $q --out "$sheets"
done
expect 0 -- cj disclose --level village --code 360925100110 --period 2025Q1 --out "$sheets"
check_eq "three sheets recorded" "$(sql "SELECT count(*) FROM disclosure_made")" 3
check_eq "110 missed Q2 to Q4, nothing posted late yet" "$(found --rules R30 | grep -c '^360925100110 R30 $')" 3
P --village 360925100110 --date 2025-03-20 --summary 补记差旅费 --debit 513=200 --credit 101=200
check_eq "R30: 109 missed Q2 and Q4, 110 Q2 to Q4 and posted after its sheet" "$(found --rules R30)" \
	"360925100109 R30 
360925100109 R30 
360925100110 R30 
360925100110 R30 
360925100110 R30 
360925100110 R30 200.00"
expect 0 --out "2025 年第 2 季度（2025-04-01 至 2025-06-30）没有生成村务财务公开表" -- \
	cj audit scan --village 360925100109 --year 2025 --rules R30
expect 0 --out "又补记了该期间的凭证 1 张，金额 200.00 元" -- cj audit scan --village 360925100110 --year 2025 --rules R30
expect 0 -- cj audit rule set --county 360925 R30 days=400
check_eq "R30 days 400: Q4 of 2025 not due yet" "$(found --rules R30 | grep -c 360925100109)" 1
# an inspector making a sheet to look at it records nothing
expect 0 -- as_login jijian disclose --level village --code 360925100109 --period 2025Q2 --out "$sheets"
check_eq "the inspector's sheet not recorded" "$(sql "SELECT count(*) FROM disclosure_made")" 3
rm -rf "$sheets"

finish
