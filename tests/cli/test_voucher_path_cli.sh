#!/usr/bin/env bash
# The voucher's path through the tool, as logins of 0015 (a bookkeeper who
# prepares and posts, a reviewer, another bookkeeper) and by hand in psql
# as each: where review is not required,
# cunji post posts at once and records its preparer; where it is, cunji post
# saves a draft that counts nowhere, the preparer cannot review it, a
# reviewer rejects it with a reason or reviews it, voucher post gives the
# next number whatever drafts were deleted, voucher show names who did each
# step; a month with drafts is not closed; voucher list filters and renders
# as text, CSV and JSON.
source "$(dirname "$0")/lib.sh"
fresh_db vpathtest

V=360925100201
A=vpc_zhang
B=vpc_li
C=vpc_wang
cj org add --level county --code 360925 --name 靖安县 >/dev/null
cj org add --level township --code 360925100 --name 双溪镇 --parent 360925 >/dev/null
cj org add --level village --code $V --name 周口村 --parent 360925100 --start 2025-01 >/dev/null
cj account add --village $V --code 102001 --name 农商行 >/dev/null

login_add $A 张会计 bookkeeper 360925100
login_add $B 李主管 reviewer 360925100
login_add $C 王会计 bookkeeper 360925100
alice() { as_login $A "$@"; }
bob() { as_login $B "$@"; }
carol() { as_login $C "$@"; }
url() { "$CUNJI_BIN" --db "$DB" db url --user "$1"; }
# as_refused LOGIN STATE SQL: psql as LOGIN, refused with SQLSTATE STATE
as_refused() {
	checks=$((checks + 1))
	if PGPASSWORD=$(pw "$1") psql -X -q -At -v VERBOSITY=verbose "$(url "$1")" \
		-c "SET search_path = cunji" \
		-c "$3" >/dev/null 2>"$err" || ! grep -q "^ERROR:  $2:" "$err"; then
		echo "FAIL: $1 not refused with SQLSTATE $2: $3"; sed 's/^/  err: /' "$err" | head -5
		failures=$((failures + 1))
	fi
}
# A voucher typed by hand in January with its number from the counter, and
# extra columns (", col" and ", value")
raw_voucher() {
	echo "WITH c AS (INSERT INTO voucher_counter AS c (village_id, period, last_number)
	  SELECT id, '2025-01-01', 1 FROM org WHERE code = '$V'
	  ON CONFLICT (village_id, period) DO UPDATE SET last_number = c.last_number + 1
	  RETURNING village_id, last_number)
	INSERT INTO voucher (village_id, id, period, number, voucher_date, summary, content_hash${1:-})
	SELECT village_id, nextval('voucher_id_seq'), '2025-01-01', last_number, '2025-01-07',
	       '手工', 'x'${2:-} FROM c"
}
review_required() {
	sql "INSERT INTO setting (org_id, key, value) SELECT id, 'review_required', '$1'
	     FROM org WHERE code = '360925'
	     ON CONFLICT (org_id, key) DO UPDATE SET value = EXCLUDED.value" >/dev/null
}

# ---- no review required: posted at once, the preparer recorded by the database
expect 0 --out "2025-01-1 posted: 记字第1号" -- alice post --village $V --date 2025-01-01 \
	--summary 期初余额 --opening --debit 101=1,000.00 --debit 102001=50,000.00 --credit 311=51,000.00
check_eq "prepared and posted by the session's login" \
	"$(sql "SELECT prepared_by || ' ' || posted_by FROM voucher WHERE number = 1")" "$A $A"

# ---- review required: cunji post saves a draft, which counts nowhere
review_required true
expect 0 --out "草稿" -- alice post --village $V --date 2025-01-05 --summary 收到承包费 \
	--debit 102001=1,200.00 --credit 501=1,200.00
D1=$(sql "SELECT max(id) FROM draft_voucher")
expect 0 --out "草稿" -- alice post --village $V --date 2025-01-06 --summary 收到租金 \
	--debit 102001=800.00 --credit 501=800.00
D2=$(sql "SELECT max(id) FROM draft_voucher")
check_eq "drafts are not in the books" "$(sql "SELECT count(*) FROM voucher")" 1
check_eq "nor in the kept totals" \
	"$(sql "SELECT coalesce(sum(credit_fen), 0) FROM account_period_total WHERE account_code = '501'")" 0
expect 0 --out "待审核" -- bob voucher list --village $V --state draft
expect 0 --out "收到承包费" -- bob voucher show --village $V --draft "$D1"

# ---- the preparer cannot review, through the tool or by hand
expect 1 --err "cannot also review it" -- alice voucher review --village $V --draft "$D1"
as_refused $A CJ050 "UPDATE draft_voucher SET state = 'reviewed' WHERE id = $D1"
# nor another bookkeeper: reviewing is a reviewer's
expect 1 --err "may not review or reject drafts" -- carol voucher review --village $V --draft "$D1"
as_refused $C 42501 "UPDATE draft_voucher SET state = 'reviewed' WHERE id = $D1"
# nobody but the preparer edits or deletes (a reviewer may not even try: 42501)
expect 1 --err "only its preparer may delete it" -- carol voucher delete --village $V --draft "$D1"
as_refused $C CJ051 "UPDATE draft_voucher SET summary = '改' WHERE id = $D1"
as_refused $B 42501 "UPDATE draft_voucher SET summary = '改' WHERE id = $D1"
# ... and nobody writes a voucher past its review
as_refused $A CJ053 "$(raw_voucher)"

# ---- 标错: the reason kept, back to the preparer
expect 2 --err "--reason is required" -- bob voucher reject --village $V --draft "$D1"
expect 0 --out "rejected" -- bob voucher reject --village $V --draft "$D1" --reason 缺少合同
expect 0 --out "缺少合同" -- alice voucher show --village $V --draft "$D1"
expect 0 --out "已退回" -- alice voucher list --village $V --preparer $A --state rejected
expect 1 --err "rejected" -- bob voucher review --village $V --draft "$D1"
# the preparer deletes it and posts it again properly
expect 0 --out "deleted" -- alice voucher delete --village $V --draft "$D1"
expect 0 --out "草稿" -- alice post --village $V --date 2025-01-05 --summary 收到承包费（附合同） \
	--debit 102001=1,200.00 --credit 501=1,200.00 --attachments 2
D3=$(sql "SELECT max(id) FROM draft_voucher")

# ---- review, then post: numbers given at posting, no gap for the deleted draft
expect 1 --err "not reviewed" -- alice voucher post --village $V --draft "$D2"
expect 0 --out "2 draft(s)" -- bob voucher review --village $V --draft "$D2" --draft "$D3"
as_refused $A CJ051 "UPDATE draft_voucher SET summary = '审核后改' WHERE id = $D2"
# 记账 is the bookkeeper's (or a cashier's, an admin's), not the reviewer's
expect 1 --err "permission denied" -- bob voucher post --village $V --draft "$D3" --draft "$D2"
expect 0 --out "记字第2号" -- alice voucher post --village $V --draft "$D3" --draft "$D2"
check_eq "numbers 1, 2, 3 in January" \
	"$(sql "SELECT string_agg(number::text, ',' ORDER BY number) FROM voucher")" "1,2,3"
check_eq "in date order" "$(sql "SELECT summary FROM voucher WHERE number = 2")" "收到承包费（附合同）"
expect 0 --out "记字第2号" -- cj voucher show --village $V --number 2025-01-2
for who in "制单" "张会计" "审核" "李主管" "记账" "附单据2张" "银行存款" "农商行" "1,200.00"; do
	expect 0 --out "$who" -- cj voucher show --village $V --number 2025-01-2
done
check_eq "who, from the database" \
	"$(sql "SELECT prepared_by || ' ' || reviewed_by || ' ' || posted_by FROM voucher WHERE number = 2")" \
	"$A $B $A"
as_refused $A 42501 "UPDATE voucher SET summary = '记账后改' WHERE number = 2"
db_refused CJ003 "UPDATE voucher SET summary = '记账后改' WHERE number = 2"
as_refused $A 42501 "$(raw_voucher ", posted_by" ", '$B'")"
as_refused $A 42501 "$(raw_voucher ", prepared_by" ", '$B'")" # 0020: not a column a login names
expect 0 --out "试算平衡" -- cj tb --village $V --year 2025
check_eq "posted vouchers count" \
	"$(sql "SELECT sum(credit_fen) FROM account_period_total WHERE account_code = '501'")" 200000

# ---- a red reversal is reviewed like any voucher
expect 0 --out "is 草稿" -- alice void --village $V --number 2025-01-3
D5=$(sql "SELECT max(id) FROM draft_voucher")
check_eq "not yet voided" "$(sql "SELECT count(*) FROM voucher WHERE kind = 'reversal'")" 0
expect 0 -- bob voucher review --village $V --draft "$D5"
expect 0 --out "记字第4号" -- alice voucher post --village $V --draft "$D5"
expect 0 --out "已被 2025-01-4 红字冲销" -- cj voucher show --village $V --number 2025-01-3
expect 0 --out "红字冲销：冲销 2025-01-3" -- cj voucher show --village $V --draft "$D5"

# ---- a month with drafts is not closed
expect 0 --out "草稿" -- alice post --village $V --date 2025-01-20 --summary 一月未审 \
	--debit 101=10 --credit 501=10
expect 1 --err "not yet posted" -- cj period close --village $V --period 2025-01
D4=$(sql "SELECT max(id) FROM draft_voucher")
expect 0 -- alice voucher delete --village $V --draft "$D4"
expect 0 --out "closed" -- cj period close --village $V --period 2025-01

# ---- the list: filters and formats
expect 0 --out "收到租金" -- cj voucher list --county 360925 --period 2025-01 --account 102 --min 800 --max 800
# a red reversal matches by its size
expect 0 --out "共 3 张凭证" -- cj voucher list --village $V --state posted --preparer $A --period 2025-01 --min 800 --max 1200
expect 0 --out "共 0 张凭证" -- cj voucher list --village $V --counterparty 无此人
expect 0 --out '"state": "已记账"' -- cj voucher list --village $V --format json
expect 0 --out "state,village,number,date,summary,amount_yuan" -- cj voucher list --village $V --format csv
expect 0 --out '"login": "'$B'"' -- cj voucher show --village $V --number 2025-01-3 --format json
expect 2 --err "--state 'posed'" -- cj voucher list --state posed
expect 2 -- cj voucher show --village $V
# what is missing, said in a whole sentence in either language (not "此村没有draft 1")
expect 1 --err "this village has no draft 999999" -- cj voucher show --village $V --draft 999999
expect 1 --err "this village has no voucher 2025-01-99" -- cj voucher show --village $V --number 2025-01-99
zh_cj() { env -u LC_ALL -u LANGUAGE LANG=zh_CN.UTF-8 "$CUNJI_BIN" --db "$DB" "$@" >"$out" 2>"$err"; }
for what in "--draft 999999:此村没有草稿 999999" "--number 2025-01-99:此村没有凭证 2025-01-99"; do
	zh_cj voucher show --village $V ${what%%:*}
	check_eq "LANG=zh_CN.UTF-8 voucher show ${what%%:*}: Chinese, no English word" \
		"$(grep -c "${what#*:}" "$err")/$(sed 's/^cunji: //' "$err" | grep -cE '[A-Za-z]{2,}')" 1/0
done

# ---- where review is not required again, posting is immediate
review_required false
expect 0 --out "posted: 记字第1号" -- alice post --village $V --date 2025-02-01 --summary 二月 \
	--debit 101=10 --credit 501=10

finish
