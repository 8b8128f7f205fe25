#!/usr/bin/env bash
# Member households and shares (成员与股权): households added through the CLI,
# the register listed with masked IDs and exact share totals, imports from
# UTF-8 (with a BOM) and GBK files, a bad file reported row by row with
# nothing written, and the database refusing hand edits through psql.
source "$(dirname "$0")/lib.sh"
fresh_db memberstest

# raw SQL on the same database, the way a user would reach it
raw() { psql -X -q -At "$(cj db url)" -c "SET search_path = cunji" -c "$1"; }
stdout_has() { # after expect: the same command's stdout holds TEXT
	checks=$((checks + 1))
	if ! grep -qF -- "$1" "$out"; then
		echo "FAIL: stdout lacks '$1'"; sed 's/^/  out: /' "$out" | head -20
		failures=$((failures + 1))
	fi
}
stderr_has() { # after expect: the same command's stderr holds TEXT
	checks=$((checks + 1))
	if ! grep -qF -- "$1" "$err"; then
		echo "FAIL: stderr lacks '$1'"; sed 's/^/  err: /' "$err" | head -20
		failures=$((failures + 1))
	fi
}
vid() { raw "SELECT id FROM org WHERE code = '$1'"; }
count() { raw "SELECT count(*) FROM $1 WHERE village_id = $(vid "$2")"; }
shares_sum() { raw "SELECT coalesce(sum(shares), 0) FROM share_holding WHERE village_id = $(vid "$1")"; }
total_on() { cj member list --village "$1" --on "$2" --format csv | awk -F, '$1 == "合计" {print $NF}'; }

cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code 360925100301 --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj org add --level village --code 360925100302 --name 马尾山村 --parent 360925100 --start 2025-01 >/dev/null
cj org add --level village --code 360925100303 --name 璪都村 --parent 360925100 --start 2025-03 >/dev/null

# --- usage ------------------------------------------------------------------------
expect 0 --out "member import" -- "$CUNJI_BIN" member --help
expect 0 --out "--person NAME:ID:REL" -- "$CUNJI_BIN" member add --help
expect 2 --err "--household, --head and --id are required" -- cj member add --village 360925100301 --household H01
expect 2 --err "expected NAME:IDNUMBER:RELATION" -- cj member add --village 360925100301 --household H01 \
	--head 张建国 --id 11010519491231002X --person 王芳
expect 2 --err "expected TYPE=N" -- cj member add --village 360925100301 --household H01 --head 张建国 \
	--id 11010519491231002X --share 人口股
expect 2 --err "not a date" -- cj member add --village 360925100301 --household H01 --head 张建国 \
	--id 11010519491231002X --share 人口股=1 --from 2025-02-30
expect 2 --err "give either --household CODE or --collective" -- cj member share --village 360925100301 \
	--type 人口股 --shares 1 --from 2025-01-01
expect 2 --err "--file FILE is required" -- cj member import --village 360925100301
expect 1 --err "not a village" -- cj member list --village 360925100

# --- households through the CLI -----------------------------------------------------
expect 0 --out "added household H01 张建国 110105********002X to 360925100301 周口村: 3 people; shares from 2025-01-01: 人口股 3.00, 劳龄股 1.50" -- \
	cj member add --village 360925100301 --household H01 --head 张建国 --id 11010519491231002X \
	--phone 13800000001 --bank 靖安县农村商业银行 --account 6228480032110011234 \
	--person 王芳:110105195203040025:配偶 --person 张伟：110105197805060014：子 \
	--share 人口股=3 --share 劳龄股=1.5 --from 2025-01-01
check_eq "people of H01 (the head first, as 户主)" \
	"$(raw "SELECT string_agg(seq || name || relation, ' ' ORDER BY seq) FROM household_member WHERE household_code = 'H01'")" \
	"1张建国户主 2王芳配偶 3张伟子"
check_eq "H01's shares" "$(shares_sum 360925100301)" "4.50"

# refused in C, with the reason, and nothing of the household written
expect 1 --err "ID number '110105196001010034' has a wrong check digit" -- cj member add --village 360925100301 \
	--household H02 --head 刘秀英 --id 110105196001010034 --share 人口股=1
expect 1 --err "lowercase x" -- cj member add --village 360925100301 --household H02 --head 刘秀英 --id 11010519491231002x
# a right check digit on a date that does not exist: C refuses what the CHECK would let by
expect 1 --err "real date of birth" -- cj member add --village 360925100301 --household H02 --head 刘秀英 --id 110105194913310021
expect 1 --err "is already registered, in household H01" -- cj member add --village 360925100301 --household H02 \
	--head 刘秀英 --id 110105196001010033 --person 王芳:110105195203040025:母 --share 人口股=2
expect 1 --err "has the same ID number as" -- cj member add --village 360925100301 --household H02 --head 刘秀英 \
	--id 110105196001010033 --person 刘强:110105196001010033:子
expect 1 --err "household H01 is already in the register" -- cj member add --village 360925100301 --household H01 \
	--head 刘秀英 --id 110105196001010033
expect 1 --err "集体股" -- cj member add --village 360925100301 --household H02 --head 刘秀英 --id 110105196001010033 --share 集体股=1
expect 1 --err "'1.234' is not a number of shares" -- cj member add --village 360925100301 --household H02 --head 刘秀英 \
	--id 110105196001010033 --share 人口股=1.234
expect 1 --err "'福利股' is not a share type" -- cj member add --village 360925100301 --household H02 --head 刘秀英 \
	--id 110105196001010033 --share 福利股=1
expect 1 --err "is not 脱贫户 or 监测户" -- cj member add --village 360925100301 --household H02 --head 刘秀英 \
	--id 110105196001010033 --poverty 贫困户
check_eq "refused households leave nothing" \
	"$(count household 360925100301)/$(count household_member 360925100301)/$(count share_holding 360925100301)" "1/3/2"

expect 0 --out "added household H02 刘秀英 110105********0033 to 360925100301 周口村: 1 person" -- \
	cj member add --village 360925100301 --household H02 --head 刘秀英 --id 110105196001010033 --poverty 脱贫户

# shares: the collective's, and a later household holding
expect 0 --out "added 0.50 集体股 held by the collective of 360925100301 周口村 from 2025-01-01" -- \
	cj member share --village 360925100301 --collective --type 集体股 --shares 0.5 --from 2025-01-01
expect 0 --out "added 1.00 人口股 to household H02 from 2025-07-01" -- \
	cj member share --village 360925100301 --household H02 --type 人口股 --shares 1 --from 2025-07-01
expect 1 --err "集体股 is held by the collective" -- cj member share --village 360925100301 --household H02 \
	--type 集体股 --shares 1 --from 2025-07-01
expect 1 --err "the collective holds only 集体股" -- cj member share --village 360925100301 --collective \
	--type 人口股 --shares 1 --from 2025-07-01
expect 1 --err "household H09 is not in the register" -- cj member share --village 360925100301 --household H09 \
	--type 人口股 --shares 1 --from 2025-07-01
expect 1 --err "at most two decimals" -- cj member share --village 360925100301 --household H02 --type 人口股 \
	--shares 0.125 --from 2025-07-01
check_eq "share holdings after refusals" "$(count share_holding 360925100301)" 4

# --- the register --------------------------------------------------------------------
expect 0 --out "110105********002X" -- cj member list --village 360925100301 --on 2025-06-30
checks=$((checks + 1))
if grep -qE '11010519491231002X|110105196001010033|6228480032110011234' "$out"; then
	echo "FAIL: member list shows an ID or account unmasked"; failures=$((failures + 1))
fi
check_eq "text: H01 row (people, phone, shares, total)" \
	"$(awk '$1 == "H01" {print $4, $5, $(NF - 2), $(NF - 1), $NF}' "$out")" "3 13800000001 3.00 1.50 4.50"
# 户, people, then 人口股 劳龄股 扶贫股 募集股 土地股 集体股 and the total
check_eq "text: totals row" "$(awk '$1 == "合计" {$1 = ""; print substr($0, 2)}' "$out")" \
	"2 户 4 3.00 1.50 0.00 0.00 0.00 0.50 5.00"
check_eq "total shares in force on 2025-06-30" "$(total_on 360925100301 2025-06-30)" "5.00"
check_eq "total shares in force on 2025-07-01" "$(total_on 360925100301 2025-07-01)" "6.00"
check_eq "nothing in force before the first holding" "$(total_on 360925100301 2024-12-31)" "0.00"
check_eq "csv: H02 on 2025-07-01" \
	"$(cj member list --village 360925100301 --on 2025-07-01 --format csv | awk -F, '$1 == "H02" {print $3, $6, $9, $NF}')" \
	"110105********0033 脱贫户 1.00 1.00"
expect 0 --out "11010519491231002X" -- cj member list --village 360925100301 --unmasked
expect 0 --out "6228480032110011234" -- cj member list --village 360925100301 --unmasked --format csv
cj member list --village 360925100301 --on 2025-07-01 --format json | $PY -c '
import json, sys
d = json.load(sys.stdin)
h = {x["household"]: x for x in d["tables"][0]["rows"]}
assert h["H01"]["id_number"] == "110105********002X", h["H01"]
assert h["H01"]["people"] == 3 and h["H01"]["bank_account"] == "****1234"
assert (h["H01"]["人口股"], h["H01"]["劳龄股"], h["H01"]["扶贫股"], h["H01"]["total_shares"]) == (3.0, 1.5, None, 4.5)
assert h["集体"]["集体股"] == 0.5 and h["集体"]["people"] is None
t = h["合计"]
assert (t["row"], t["head"], t["people"]) == ("total", "2 户", 4), t
assert (t["人口股"], t["劳龄股"], t["集体股"], t["total_shares"]) == (4.0, 1.5, 0.5, 6.0), t
' && checks=$((checks + 1)) || { echo "FAIL: member list json"; failures=$((failures + 1)); }

# --- imports -----------------------------------------------------------------------------
# the example file, saved by Excel as "CSV UTF-8": with a byte-order mark and CRLF
{ printf '\xEF\xBB\xBF'; sed 's/$/\r/' "$CUNJI_SRC/importers/examples/members.csv"; } >"$out.bom.csv"
expect 0 --out "would import 4 households, 10 people, 19.00 shares" -- cj member import --village 360925100302 --file "$out.bom.csv" --dry-run
check_eq "a dry run writes nothing" "$(count household 360925100302)" 0
expect 0 --out "(UTF-8 with BOM): imported 4 households, 10 people, 19.00 shares (人口股 10.00, 劳龄股 9.00)" -- \
	cj member import --village 360925100302 --file "$out.bom.csv"
check_eq "BOM file: households/people/shares" \
	"$(count household 360925100302)/$(count household_member 360925100302)/$(shares_sum 360925100302)" "4/10/19.00"
check_eq "BOM file: the first header is read, not hidden by the BOM" \
	"$(raw "SELECT head_name || phone || poverty_status FROM household WHERE village_id = $(vid 360925100302) AND code = '0102'")" \
	"黄国平15179512345脱贫户"
check_eq "BOM file: shares in force" "$(total_on 360925100302 2025-06-30)" "19.00"
# the same file again: every household is already there, nothing changes
expect 1 --err "row 2, column 户编号: '0101' is already in the register of this village" -- \
	cj member import --village 360925100302 --file "$out.bom.csv"
stderr_has "row 11, column 身份证号: '360925195001064227' is already registered in this village, in household 0104"
stderr_has "14 problems; nothing was imported"
check_eq "a repeated import adds nothing" "$(count household 360925100302)/$(count household_member 360925100302)" "4/10"

# GBK, as Excel saves "CSV" on a Chinese Windows; English and Chinese headers in another
# order, extra columns, no 股权生效日期 (so the first day of 360925100303's books, 2025-03-01)
cat >"$out.gbk.utf8" <<'CSV'
序号,name,household,relation,id_number,土地股,人口股,phone,开户行,bank_account,户类型,备注
1,舒春生,0103,户主,360925197211033110,1.25,2,18870598765,中国邮政储蓄银行,6217993000123456789,监测户,
2,舒明,0103,子,36092519980228333X,,,,,,,外出务工
3,吴美华,0104,户主,360925195001064227,,1,,,,一般户,
CSV
iconv -f UTF-8 -t GBK "$out.gbk.utf8" >"$out.gbk.csv"
checks=$((checks + 1))
if iconv -f UTF-8 -t UTF-8 "$out.gbk.csv" >/dev/null 2>&1; then
	echo "FAIL: the GBK test file is valid UTF-8"; failures=$((failures + 1))
fi
expect 0 --out "(GB18030): imported 2 households, 3 people, 4.25 shares (人口股 3.00, 土地股 1.25)" -- \
	cj member import --village 360925100303 --file "$out.gbk.csv"
stderr_has "ignoring columns 序号, 备注"
stdout_has "shares without 股权生效日期 take effect on 2025-03-01, the first day of the books"
check_eq "GBK file: households/people/shares" \
	"$(count household 360925100303)/$(count household_member 360925100303)/$(shares_sum 360925100303)" "2/3/4.25"
check_eq "GBK file: names arrive as UTF-8" \
	"$(raw "SELECT string_agg(name || ':' || relation, ' ' ORDER BY household_code, seq) FROM household_member WHERE village_id = $(vid 360925100303)")" \
	"舒春生:户主 舒明:子 吴美华:户主"
check_eq "GBK file: household fields" \
	"$(raw "SELECT bank_name || '/' || poverty_status FROM household WHERE village_id = $(vid 360925100303) AND code = '0103'")" \
	"中国邮政储蓄银行/监测户"
check_eq "GBK file: 一般户 means neither" \
	"$(raw "SELECT poverty_status = '' FROM household WHERE village_id = $(vid 360925100303) AND code = '0104'")" "t"
check_eq "no date in the file: the books' first day" \
	"$(raw "SELECT DISTINCT effective_from FROM share_holding WHERE village_id = $(vid 360925100303)")" "2025-03-01"

# a file with bad rows among good ones: every problem, with row and column; nothing written
cat >"$out.bad.csv" <<'CSV'
户编号,姓名,身份证号,与户主关系,人口股,劳龄股,福利股,股权生效日期
0201,赵大山,360925197001011239,户主,3,1,,2025/7/1
0201,钱小红,36092519720305224X,配偶,,,,
0202,孙立,360925199508181358,户主,1,,,
0203,李强,360925196802143114,户主,2,1.234,,
0203,李红,36092519720305224X,女,,,,
0204,周梅,360925196909194229,配偶,,,,
0205,吴刚,360925199111305333,户主,1,,,2025-07-01
CSV
expect 1 --err "$out.bad.csv: row 1, column 福利股: is not a share type" -- cj member import --village 360925100301 --file "$out.bad.csv"
stderr_has "$out.bad.csv: row 4, column 身份证号: '360925199508181358' has a wrong check digit"
stderr_has "$out.bad.csv: row 5, column 劳龄股: '1.234' is not a number of shares"
stderr_has "$out.bad.csv: row 6, column 身份证号: '36092519720305224X' is also on row 3"
stderr_has "$out.bad.csv: row 7, column 与户主关系: household 0204 has no row whose 与户主关系 is 户主"
stderr_has "$out.bad.csv: 5 problems; nothing was imported"
check_eq "errors come in row order" "$(grep -o 'row [0-9]*,' "$err" | tr -d '\n')" "row 1,row 4,row 5,row 6,row 7,"
check_eq "a bad file writes nothing" \
	"$(count household 360925100301)/$(count household_member 360925100301)/$(count share_holding 360925100301)" "2/4/4"

# the same file put right imports; spreadsheet dates (2025/7/1) are read
cat >"$out.good.csv" <<'CSV'
户编号,姓名,身份证号,与户主关系,人口股,劳龄股,股权生效日期
0201,赵大山,360925197001011239,户主,3,1,2025/7/1
0201,钱小红,36092519720305224X,配偶,,,
0202,孙立,360925199508181359,户主,1,,
0203,李强,360925196802143114,户主,2,1.5,
0203,李红,360925195505056116,女,,,
0204,周梅,360925196909194229,户主,,,
0205,吴刚,360925199111305333,户主,1,,2025-07-01
CSV
expect 0 --out "imported 5 households, 7 people, 9.50 shares (人口股 7.00, 劳龄股 2.50)" -- \
	cj member import --village 360925100301 --file "$out.good.csv"
check_eq "after the good import" "$(count household 360925100301)/$(count household_member 360925100301)" "7/11"
check_eq "dates as spreadsheets write them" \
	"$(raw "SELECT DISTINCT effective_from FROM share_holding WHERE village_id = $(vid 360925100301) AND household_code IN ('0201', '0205')")" \
	"2025-07-01"

# bytes that are neither UTF-8 nor GBK
printf '户编号,姓名,身份证号,与户主关系\n0301,\xff\xfe,11010519491231002X,户主\n' >"$out.junk.csv"
expect 1 --err "junk.csv: line 2: the bytes there are not UTF-8" -- cj member import --village 360925100301 --file "$out.junk.csv"
printf 'household,name\n0301,张三\n' >"$out.nohead.csv"
expect 1 --err "row 1: the header lacks the columns 身份证号 (id_number), 与户主关系 (relation)" -- \
	cj member import --village 360925100301 --file "$out.nohead.csv"
check_eq "refused files write nothing" "$(count household 360925100301)" 7
rm -f "$out".*.csv "$out.gbk.utf8"

# --- the database refuses hand edits ---------------------------------------------------
db_refused CJ010 "DELETE FROM household" "household rows cannot be deleted; the member register keeps its history"
db_refused CJ010 "DELETE FROM household_member WHERE household_code = 'H01'" "household_member rows cannot be deleted"
db_refused CJ010 "UPDATE household SET head_id_number = '110105195001010012' WHERE code = 'H01'" "household H01: its code and the head's ID number cannot be changed"
db_refused CJ010 "UPDATE household_member SET id_number = '110105195001010012' WHERE household_code = 'H01' AND seq = 2" "household H01 member 2: the ID number cannot be changed"
db_refused CJ010 "TRUNCATE household CASCADE" "rows cannot be deleted; the member register keeps its history"
db_refused CJ010 "TRUNCATE share_holding" "share_holding rows cannot be deleted"
# a valid check character but no such day (1999-13-99, 2025-02-30)
db_refused 23514 "INSERT INTO household (village_id, code, head_name, head_id_number) VALUES ($(vid 360925100301), 'H09', '某', '110105199913990015')" "household_head_id_number_check"
db_refused 23514 "INSERT INTO household_member (village_id, household_code, seq, name, id_number) VALUES ($(vid 360925100301), 'H01', 9, '某', '110105202502300010')" "household_member_id_number_check"
db_refused 23514 "INSERT INTO household (village_id, code, head_name, head_id_number) VALUES ($(vid 360925100301), 'H09', '某', '110105194912310021')" "household_head_id_number_check"
db_refused 23514 "INSERT INTO household_member (village_id, household_code, seq, name, id_number) VALUES ($(vid 360925100301), 'H01', 9, '某', '11010519491231002x')" "household_member_id_number_check"
db_refused CJ010 "UPDATE share_holding SET shares = 100" "a share holding is never edited"
db_refused 23514 "INSERT INTO share_holding (village_id, household_code, share_type, shares, effective_from) VALUES ($(vid 360925100301), 'H01', '集体股', 1, '2025-01-01')" "share_holding_check"
check_eq "hand edits changed nothing" \
	"$(count household 360925100301)/$(count household_member 360925100301)/$(shares_sum 360925100301)/$(raw "SELECT head_id_number FROM household WHERE code = 'H01'")" \
	"7/11/15.50/11010519491231002X"
check_eq "the refused UPDATEs changed nothing" \
	"$(raw "SELECT id_number FROM household_member WHERE household_code = 'H01' AND seq = 2")/$(raw "SELECT string_agg(shares::text, ',' ORDER BY id) FROM share_holding WHERE village_id = $(vid 360925100301) AND household_code = 'H01'")" \
	"110105195203040025/3.00,1.50"


# --- what the register does allow: contact details change, a holding ends once ----------
raw "UPDATE household SET phone = '13900000000' WHERE village_id = $(vid 360925100301) AND code = 'H01'" >/dev/null
check_eq "a phone number can be updated" \
	"$(raw "SELECT phone FROM household WHERE village_id = $(vid 360925100301) AND code = 'H01'")" "13900000000"
raw "UPDATE household_member SET relation = '配偶' WHERE village_id = $(vid 360925100301) AND household_code = 'H01' AND seq = 2" >/dev/null
check_eq "a member's relation can be updated" \
	"$(raw "SELECT relation FROM household_member WHERE village_id = $(vid 360925100301) AND household_code = 'H01' AND seq = 2")" "配偶"
hid=$(raw "SELECT min(id) FROM share_holding WHERE village_id = $(vid 360925100301) AND household_code = 'H01'")
raw "UPDATE share_holding SET effective_to = '2026-01-01' WHERE village_id = $(vid 360925100301) AND id = $hid" >/dev/null
check_eq "a holding can be ended" \
	"$(raw "SELECT effective_to FROM share_holding WHERE village_id = $(vid 360925100301) AND id = $hid")" "2026-01-01"
db_refused CJ010 "UPDATE share_holding SET effective_to = '2027-01-01' WHERE village_id = $(vid 360925100301) AND id = $hid" "a share holding is never edited: end it (effective_to, once)"

finish
