#!/usr/bin/env bash
# Issue 14: the ledger's compound actions where review is required (schema
# 0032).  project pay, project accept, aid pay, dividend post and dividend
# pay make drafts that carry what the action records; nothing changes until
# another login reviews and the draft is posted; then the books, the fund
# and project totals, the aid records and the dividends are exactly those of
# the same actions run directly in a village without review.  The preparer
# cannot review; a rejected or deleted draft leaves nothing of the action;
# the database still refuses overspending, a dividend paid twice, and an
# action posted by a login that may not take it.
source "$(dirname "$0")/lib.sh"
fresh_db actionreview

C=360925
T1=360925100   # review required
T2=360925101   # no review: the direct path, to compare with
V=360925100201
W=360925101201
A=ar_zhang     # bookkeeper of both townships: prepares and posts
B=ar_li        # reviewer
K=ar_wang      # cashier
cj org add --level county --code $C --name 靖安县 >/dev/null
cj org add --level township --code $T1 --name 双溪镇 --parent $C >/dev/null
cj org add --level township --code $T2 --name 仁首镇 --parent $C >/dev/null
cj org add --level village --code $V --name 周口村 --parent $T1 --start 2025-01 >/dev/null
cj org add --level village --code $W --name 东山村 --parent $T2 --start 2025-01 >/dev/null
login_add $A 张会计 bookkeeper $C
login_add $B 李主管 reviewer $C
login_add $K 王出纳 cashier $C
alice() { as_login $A "$@"; }
bob() { as_login $B "$@"; }
url() { "$CUNJI_BIN" --db "$DB" db url --user "$1"; }
as_refused() { # as_refused LOGIN STATE SQL
	checks=$((checks + 1))
	if PGPASSWORD=$(pw "$1") psql -X -q -At -v VERBOSITY=verbose "$(url "$1")" \
		-c "SET search_path = cunji" -c "$3" >/dev/null 2>"$err" || ! grep -q "^ERROR:  $2:" "$err"; then
		echo "FAIL: $1 not refused with SQLSTATE $2: $3"; sed 's/^/  err: /' "$err" | head -5
		failures=$((failures + 1))
	fi
}
vid() { sql "SELECT id FROM org WHERE code = '$1'"; }
VV=$(vid $V)
WV=$(vid $W)
draft_of() { grep -oE '草稿[0-9]+' "$out" | head -1 | tr -d '草稿'; }
batch_of() { grep -oE 'batch [0-9]+' "$out" | head -1 | cut -d' ' -f2; }
# what an action leaves in village $1, in words that do not name ids
state() {
	sql "SELECT concat_ws(' | ',
	  (SELECT string_agg(f.code || '=' || t.received_fen || '/' || t.spent_fen, ',' ORDER BY f.code)
	     FROM fund_total t JOIN fund f ON f.village_id = t.village_id AND f.id = t.fund_id WHERE t.village_id = $1),
	  (SELECT string_agg(p.code || '=' || t.budget_fen || '/' || t.spent_fen || '/' || p.status || '/'
	                     || coalesce(p.asset_kind, '') || '/' || coalesce(p.asset_value_fen, 0), ',' ORDER BY p.code)
	     FROM project_total t JOIN project p ON p.village_id = t.village_id AND p.id = t.project_id WHERE t.village_id = $1),
	  (SELECT 'pay:' || coalesce(string_agg(tranche || payee, ',' ORDER BY tranche), '') FROM project_payment WHERE village_id = $1),
	  (SELECT 'aid:' || coalesce(string_agg(household_code || amount_fen, ',' ORDER BY household_code, amount_fen), '') FROM aid_payment WHERE village_id = $1),
	  (SELECT 'plan:' || coalesce(string_agg(year || '/' || households_fen || '/' || reserve_fen, ','), '') FROM dividend_plan WHERE village_id = $1),
	  (SELECT 'lines:' || coalesce(string_agg(household_code || amount_fen || (paid_voucher_id IS NOT NULL), ',' ORDER BY household_code), '') FROM dividend_line WHERE village_id = $1),
	  (SELECT 'tb:' || string_agg(account_code || '=' || d || '/' || c, ',' ORDER BY account_code)
	     FROM (SELECT account_code, sum(debit_fen) d, sum(credit_fen) c FROM voucher_line WHERE village_id = $1 GROUP BY 1) x))"
}

# ---- the same two villages, set up directly (no review yet)
cj fund allocate --county $C --doc 文1 --doc-date 2025-03-01 --code XJ --name 衔接 \
	--kind 衔接推进乡村振兴补助资金 --source 中央 --amount 400000 --to $V=200000 --to $W=200000 >/dev/null
cj aid rule --county $C --per-person 3000 --per-household 5000 --times 2 >/dev/null
for v in $V $W; do
	id=$(vid $v)
	cj account add --village $v --code 102001 --name 农商行 >/dev/null
	cj post --village $v --date 2025-01-01 --summary 期初余额 --opening --debit 102001=50000 --credit 311=50000 >/dev/null
	cj post --village $v --date 2025-03-10 --summary 收到衔接资金 --fund XJ --debit 102001=200000 --credit 241=200000 >/dev/null
	cj fund add --village $v --code FX --name 防返贫基金 --kind 防返贫基金 --source 县 --amount 100000 >/dev/null
	cj post --village $v --date 2025-02-01 --summary 县拨防返贫基金 --fund FX --debit 102001=100000 --credit 241=100000 >/dev/null
	cj project add --village $v --code P1 --name 通组道路 --category 基础设施 --budget XJ=250000 >/dev/null
	cj project start --village $v --code P1 --date 2025-04-01 >/dev/null
	sql "INSERT INTO household (village_id, code, head_name, head_id_number, bank_account) VALUES
	     ($id, 'H01', '张建国', '11010519491231002X', '6221 0001'), ($id, 'H02', '刘秀英', '110105196001010033', '6221 0002');
	     INSERT INTO household_member (village_id, household_code, seq, name, id_number, relation) VALUES
	     ($id, 'H01', 1, '张建国', '11010519491231002X', '户主'), ($id, 'H01', 2, '王芳', '110105195203040025', '配偶'),
	     ($id, 'H02', 1, '刘秀英', '110105196001010033', '户主');
	     INSERT INTO share_holding (village_id, household_code, share_type, shares, effective_from) VALUES
	     ($id, 'H01', '人口股', 2, '2025-01-01'), ($id, 'H02', '人口股', 1, '2025-01-01')" >/dev/null
	cj post --village $v --date 2025-10-01 --summary 发包收入 --debit 102001=3000 --credit 501=3000 >/dev/null
done
check_eq "the two villages start alike" "$(state $VV)" "$(state $WV)"
expect 0 --out "review is on for township $T1" -- cj setting review --township $T1 on

# ---- project pay: a draft; nothing changes until it is posted
before=$(state $VV)
expect 0 --out "review required" -- alice project pay --village $V --project P1 --tranche 预付 --payee 路桥公司 \
	--amount 75000 --date 2025-04-02 --fund XJ
D=$(draft_of)
LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN PGPASSWORD=$(pw $A) "$CUNJI_BIN" --db "$DB" --user $A project pay \
	--village $V --project P1 --tranche 进度款 --payee 路桥公司 --amount 1 --date 2025-04-03 --fund XJ >"$out"
Z=$(draft_of)
check_eq "CLI says in Chinese that a draft awaiting review was made, with its number" \
	"$(grep -c "待审核的草稿$Z" "$out")" 1
expect 0 -- alice voucher delete --village $V --draft $Z
check_eq "the draft carries the tranche" \
	"$(sql "SELECT action || ' ' || (detail->>'tranche') || ' ' || (detail->>'payee') FROM draft_action WHERE draft_id = $D")" \
	"project pay 预付 路桥公司"
check_eq "nothing changed before posting" "$(state $VV)" "$before"
expect 1 --err "cannot also review it" -- alice voucher review --village $V --draft $D
as_refused $A CJ050 "UPDATE draft_voucher SET state = 'reviewed' WHERE id = $D"
as_refused $A CJ051 "UPDATE draft_voucher SET summary = '改' WHERE id = $D"
as_refused $A CJ051 "UPDATE draft_line SET debit_fen = debit_fen WHERE draft_id = $D"
expect 0 --out "1 draft(s) of $V 周口村 reviewed" -- bob voucher review --village $V --draft $D
check_eq "nothing changed after review" "$(state $VV)" "$before"
expect 0 --out "记字第" -- alice voucher post --village $V --draft $D
expect 0 --out "记字第" -- alice project pay --village $W --project P1 --tranche 预付 --payee 路桥公司 \
	--amount 75000 --date 2025-04-02 --fund XJ
check_eq "project pay: posted under review = direct" "$(state $VV)" "$(state $WV)"
check_eq "the tranche names the posted voucher" \
	"$(sql "SELECT count(*) FROM project_payment p JOIN voucher v ON v.village_id = p.village_id AND v.id = p.voucher_id WHERE v.draft_id = $D")" 1

# the database still refuses overspending at posting: two drafts that each fit, not both
expect 0 --out "review required" -- alice project pay --village $V --project P1 --tranche 进度款 --payee 路桥公司 \
	--amount 100000 --date 2025-06-02 --fund XJ
D1=$(draft_of)
expect 0 --out "review required" -- alice project pay --village $V --project P1 --tranche 尾款 --payee 路桥公司 \
	--amount 100000 --date 2025-06-03 --fund XJ
D2=$(draft_of)
expect 0 -- bob voucher review --village $V --draft $D1 --draft $D2
expect 0 -- alice voucher post --village $V --draft $D1
before=$(state $VV)
expect 1 --err "would be overspent" -- alice voucher post --village $V --draft $D2
check_eq "the refused posting left nothing" "$(state $VV)/$(sql "SELECT state FROM draft_voucher WHERE id = $D2")" "$before/reviewed"
expect 0 -- alice project pay --village $W --project P1 --tranche 进度款 --payee 路桥公司 --amount 100000 --date 2025-06-02 --fund XJ
check_eq "project pay (twice): posted under review = direct" "$(state $VV)" "$(state $WV)"
expect 0 -- bob voucher reject --village $V --draft $D2 --reason 超支
expect 0 -- alice voucher delete --village $V --draft $D2
check_eq "a deleted draft takes its action with it" "$(sql "SELECT count(*) FROM draft_action WHERE draft_id = $D2")" 0

# ---- aid pay: the record (and its caps) only when posted
before=$(state $VV)
expect 0 --out "review required" -- alice aid pay --village $V --fund FX --household H01 --persons 2 --amount 4000 \
	--date 2025-05-01 --reason 因病 --applicant 村委会 --township-review 镇审核同意 --county-record 县备案
D=$(draft_of)
check_eq "no aid record before posting" "$(state $VV)" "$before"
# a rejected aid draft leaves nothing of the aid: the household's cap is still free
expect 0 --out "review required" -- alice aid pay --village $V --fund FX --household H02 --persons 1 --amount 3000 \
	--date 2025-05-02 --reason 因灾 --applicant 村委会 --township-review 镇审核同意 --county-record 县备案
R=$(draft_of)
expect 0 --out "rejected" -- bob voucher reject --village $V --draft $R --reason 材料不全
check_eq "a rejected draft leaves nothing of the action" "$(state $VV)" "$before"
as_refused $A CJ051 "UPDATE draft_voucher SET summary = '改', state = 'draft' WHERE id = $R"
expect 0 -- alice voucher delete --village $V --draft $R
expect 0 -- bob voucher review --village $V --draft $D
expect 0 --out "记字第" -- alice voucher post --village $V --draft $D
expect 0 -- alice aid pay --village $W --fund FX --household H01 --persons 2 --amount 4000 \
	--date 2025-05-01 --reason 因病 --applicant 村委会 --township-review 镇审核同意 --county-record 县备案
check_eq "aid pay: posted under review = direct" "$(state $VV)" "$(state $WV)"
# the caps are the database's at posting: a second aid over the household's cap is refused then
expect 0 --out "review required" -- alice aid pay --village $V --fund FX --household H01 --persons 1 --amount 1000.01 \
	--date 2025-05-03 --reason 因病 --applicant 村委会 --township-review 镇审核同意 --county-record 县备案
D=$(draft_of)
expect 0 -- bob voucher review --village $V --draft $D
expect 1 --err "over the cap of 500000 fen per household" -- alice voucher post --village $V --draft $D
check_eq "the refused aid left nothing" "$(state $VV)" "$(state $WV)"

# ---- project accept: two drafts (the asset, the earmarked money into 311), posted together
expect 0 --out "2 drafts saved as batch" -- alice project accept --village $V --code P1 --date 2025-09-01 --asset-kind 公益性
AB=$(batch_of)
read -r A1 A2 <<<"$(sql "SELECT string_agg(id::text, ' ' ORDER BY id) FROM draft_voucher WHERE batch_id = $AB")"
check_eq "the project is not accepted before posting" "$(sql "SELECT status FROM project WHERE village_id = $VV")" started
expect 0 -- bob voucher review --batch $AB
expect 1 --err "they are posted together" -- alice voucher post --village $V --draft $A1
check_eq "still not accepted" "$(sql "SELECT status FROM project WHERE village_id = $VV")" started
expect 0 --out "2 voucher(s) posted" -- alice voucher post --batch $AB
expect 0 --out "project P1 accepted" -- alice project accept --village $W --code P1 --date 2025-09-01 --asset-kind 公益性
check_eq "project accept: posted under review = direct" "$(state $VV)" "$(state $WV)"

# ---- dividend post: the plan declared only when posted
expect 0 --out "review required" -- alice dividend post --village $V --year 2025 --date 2025-12-20 --pool 1000.01
D=$(draft_of)
expect 1 --err "no dividend plan was declared for 2025" -- alice dividend show --village $V --year 2025
expect 1 --err "already awaits review" -- alice dividend post --village $V --year 2025 --date 2025-12-21 --pool 1
check_eq "one pending plan per year" "$(sql "SELECT count(*) FROM draft_action WHERE action = 'dividend post'")" 1
expect 0 -- bob voucher review --village $V --draft $D
# a cashier posts payments, not a declaration (the direct path's privilege, 42501)
expect 1 --err "may not do" -- as_login $K voucher post --village $V --draft $D
expect 0 --out "记字第" -- alice voucher post --village $V --draft $D
expect 0 --out "记字第" -- alice dividend post --village $W --year 2025 --date 2025-12-20 --pool 1000.01
check_eq "dividend post: posted under review = direct" "$(state $VV)" "$(state $WV)"

# ---- dividend pay: one draft per household, each paid when posted
expect 0 --out "2 draft(s) saved as batch" -- alice dividend pay --village $V --year 2025 --date 2025-12-22
PB=$(batch_of)
check_eq "nobody paid before posting" "$(sql "SELECT count(*) FROM dividend_line WHERE village_id = $VV AND paid_voucher_id IS NOT NULL")" 0
expect 1 --err "already awaits review" -- alice dividend pay --village $V --year 2025 --date 2025-12-23 --household H01
check_eq "a household's payment is drafted once" "$(sql "SELECT count(*) FROM draft_action WHERE action = 'dividend pay'")" 2
expect 1 --err "cannot also review it" -- alice voucher review --batch $PB
expect 0 -- bob voucher review --batch $PB
expect 0 --out "2 voucher(s) posted" -- as_login $K voucher post --batch $PB
expect 0 --out "paid 2 household" -- alice dividend pay --village $W --year 2025 --date 2025-12-22
check_eq "dividend pay: posted under review = direct" "$(state $VV)" "$(state $WV)"
# paid twice: the database refuses a second payment at posting (a draft typed by hand,
# past the pending-payment index, dropped for the test)
sql "DROP INDEX draft_action_dividend_pay" >/dev/null
psql_as() { PGPASSWORD=$(pw "$1") psql -X -q -At "$(url "$1")" -c "SET search_path = cunji" -c "$2"; }
psql_as $A "BEGIN; INSERT INTO draft_voucher (village_id, voucher_date, summary) VALUES ($VV, '2025-12-23', '再付');
  INSERT INTO draft_line (village_id, draft_id, line_no, account_code, debit_fen, credit_fen, counterparty)
  VALUES ($VV, currval('draft_id_seq'), 1, '211090', 100, 0, 'H01'), ($VV, currval('draft_id_seq'), 2, '102001', 0, 100, 'H01');
  INSERT INTO draft_action (village_id, draft_id, action, household_code, year)
  VALUES ($VV, currval('draft_id_seq'), 'dividend pay', 'H01', 2025); COMMIT" >/dev/null
H1=$(sql "SELECT max(id) FROM draft_voucher WHERE village_id = $VV")
expect 0 -- bob voucher review --village $V --draft $H1
before=$(state $VV)
expect 1 --err "only its payment is recorded, once" -- alice voucher post --village $V --draft $H1
check_eq "the second payment left nothing" "$(state $VV)" "$before"
expect 0 -- bob voucher reject --village $V --draft $H1 --reason 重复支付
expect 0 -- alice voucher delete --village $V --draft $H1
sql "CREATE UNIQUE INDEX draft_action_dividend_pay ON draft_action (village_id, year, household_code) WHERE action = 'dividend pay'" >/dev/null

# ---- by hand: an action on another's draft, or an old one, is refused; so is an action
# the login may not take
as_refused $K 42501 "BEGIN; INSERT INTO draft_voucher (village_id, voucher_date, summary) VALUES ($VV, '2025-12-24', '手工');
  INSERT INTO draft_action (village_id, draft_id, action, year, detail) VALUES ($VV, currval('draft_id_seq'), 'dividend post', 2026, '{}'); COMMIT"
as_refused $A CJ051 "INSERT INTO draft_action (village_id, draft_id, action, project_id, detail)
  SELECT $VV, $A1, 'project pay', id, '{}' FROM project WHERE village_id = $VV"
expect 0 -- cj check

finish
