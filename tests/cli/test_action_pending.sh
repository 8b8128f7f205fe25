#!/usr/bin/env bash
# Drafts made by ledger actions (schema 0032) under review: what `voucher
# show` and `voucher list` say of the action a draft will record (text, CSV,
# JSON), and the order of a project's payments and its acceptance (0039): no
# acceptance drafted or posted while payment drafts of the project await
# posting, no payment drafted while its acceptance awaits posting, and an
# acceptance whose figures the books no longer match is refused at posting.
# Each refusal through the CLI and through psql as the bookkeeper's login.
source "$(dirname "$0")/lib.sh"
fresh_db actionpending

C=360925
T=360925100
V=360925100201
A=ap_zhang     # bookkeeper: prepares and posts
B=ap_li        # reviewer
cj org add --level county --code $C --name 靖安县 >/dev/null
cj org add --level township --code $T --name 双溪镇 --parent $C >/dev/null
cj org add --level village --code $V --name 周口村 --parent $T --start 2025-01 >/dev/null
login_add $A 张会计 bookkeeper $C
login_add $B 李主管 reviewer $C
alice() { as_login $A "$@"; }
bob() { as_login $B "$@"; }
url() { "$CUNJI_BIN" --db "$DB" db url --user "$1"; }
psql_as() { PGPASSWORD=$(pw "$1") psql -X -q -At -v VERBOSITY=verbose -v ON_ERROR_STOP=1 "$(url "$1")" \
	-c "SET search_path = cunji" -c "$2"; }
as_refused() { # as_refused LOGIN STATE TEXT SQL
	checks=$((checks + 1))
	if psql_as "$1" "$4" >/dev/null 2>"$err" || ! grep -q "^ERROR:  $2:" "$err" || ! grep -qF -- "$3" "$err"; then
		echo "FAIL: $1 not refused with SQLSTATE $2 ($3): $4"; sed 's/^/  err: /' "$err" | head -5
		failures=$((failures + 1))
	fi
}
VV=$(sql "SELECT id FROM org WHERE code = '$V'")
draft_of() { grep -oE '草稿[0-9]+' "$out" | head -1 | tr -d '草稿'; }
batch_of() { grep -oE 'batch [0-9]+' "$out" | head -1 | cut -d' ' -f2; }
project_state() {
	sql "SELECT p.status || '/' || coalesce(p.asset_value_fen, 0) || '/' ||
	        (SELECT count(*) FROM project_payment x WHERE x.village_id = p.village_id AND x.project_id = p.id) || '/' ||
	        (SELECT count(*) FROM voucher v WHERE v.village_id = p.village_id)
	       FROM project p WHERE p.village_id = $VV AND p.code = '$1'"
}

cj fund allocate --county $C --doc 文1 --doc-date 2025-03-01 --code XJ --name 衔接 \
	--kind 衔接推进乡村振兴补助资金 --source 中央 --amount 400000 --to $V=400000 >/dev/null
cj aid rule --county $C --per-person 3000 --per-household 5000 --times 2 >/dev/null
cj account add --village $V --code 102001 --name 农商行 >/dev/null
cj post --village $V --date 2025-01-01 --summary 期初余额 --opening --debit 102001=50000 --credit 311=50000 >/dev/null
cj post --village $V --date 2025-03-10 --summary 收到衔接资金 --fund XJ --debit 102001=400000 --credit 241=400000 >/dev/null
cj fund add --village $V --code FX --name 防返贫基金 --kind 防返贫基金 --source 县 --amount 100000 >/dev/null
cj post --village $V --date 2025-02-01 --summary 县拨防返贫基金 --fund FX --debit 102001=100000 --credit 241=100000 >/dev/null
for p in P1 P2; do
	cj project add --village $V --code $p --name 通组道路$p --category 基础设施 --budget XJ=150000 >/dev/null
	cj project start --village $V --code $p --date 2025-04-01 >/dev/null
done
sql "INSERT INTO household (village_id, code, head_name, head_id_number, bank_account) VALUES
     ($VV, 'H01', '张建国', '11010519491231002X', '6221 0001');
     INSERT INTO household_member (village_id, household_code, seq, name, id_number, relation) VALUES
     ($VV, 'H01', 1, '张建国', '11010519491231002X', '户主'), ($VV, 'H01', 2, '王芳', '110105195203040025', '配偶');
     INSERT INTO share_holding (village_id, household_code, share_type, shares, effective_from) VALUES
     ($VV, 'H01', '人口股', 2, '2025-01-01')" >/dev/null
cj post --village $V --date 2025-10-01 --summary 发包收入 --debit 102001=3000 --credit 501=3000 >/dev/null
expect 0 -- cj setting review --township $T on

# ---- voucher show / list: the action a draft will record
expect 0 --out "review required" -- alice project pay --village $V --project P1 --tranche 预付 --payee 路桥公司 \
	--amount 50000 --date 2025-04-02 --fund XJ
PAY=$(draft_of)
expect 0 -- alice voucher show --village $V --draft $PAY
check_eq "show: the pending payment, its project, tranche and payee" \
	"$(grep -c "待执行动作（记账后执行）：项目付款 P1 通组道路P1 预付 收款人 路桥公司" "$out")" 1
expect 0 -- alice voucher list --village $V --state draft
check_eq "list (text): the draft's row names its pending action" \
	"$(grep "草稿$PAY" "$out" | grep -c "项目付款 P1 预付")" 1
expect 0 -- alice voucher list --village $V --format csv
check_eq "list (csv): the column pending_action" "$(head -1 "$out" | tr -d '\r' | awk -F, '{print $NF}')" pending_action
check_eq "list (csv): the draft's action, the posted vouchers' none" \
	"$(tail -n +2 "$out" | tr -d '\r' | awk -F, '{print $NF}' | sort | uniq -c | awk '{print $1 ":" $2 $3 $4}' | tr '\n' ' ')" \
	"4: 1:项目付款P1预付 "
expect 0 -- alice voucher list --village $V --format json
check_eq "list (json): pending_action" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); rows=[r for t in d["tables"] for r in t["rows"]]; print(sorted({r.get("pending_action") for r in rows}))' "$out")" \
	"['', '项目付款 P1 预付']"
expect 0 -- alice voucher show --village $V --draft $PAY --format json
check_eq "show (json): the action among the header's lines" \
	"$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print([s for s in d["subtitles"] if "待执行动作" in s])' "$out")" \
	"['待执行动作（记账后执行）：项目付款 P1 通组道路P1 预付 收款人 路桥公司']"

expect 0 --out "review required" -- alice aid pay --village $V --fund FX --household H01 --persons 2 --amount 4000 \
	--date 2025-05-01 --reason 因病 --applicant 村委会 --township-review 镇审核同意 --county-record 县备案
AID=$(draft_of)
expect 0 -- bob voucher reject --village $V --draft $AID --reason 材料不全
expect 0 -- bob voucher show --village $V --draft $AID
check_eq "show: a rejected aid draft's action, with the household and amount" \
	"$(grep -c "待执行动作（草稿已退回，记账后才执行）：防返贫救助 户 H01 张建国 2人 4,000.00 元，发放日期 2025-05-01，事由 因病" "$out")" 1
expect 0 -- alice voucher delete --village $V --draft $AID

# ---- the order of payments and acceptance
before=$(project_state P1)
expect 1 --err "project P1 has payment drafts awaiting posting: $PAY (awaiting review);" -- \
	alice project accept --village $V --code P1 --date 2025-09-01 --asset-kind 公益性
LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN PGPASSWORD=$(pw $A) "$CUNJI_BIN" --db "$DB" --user $A project accept \
	--village $V --code P1 --date 2025-09-01 --asset-kind 公益性 >"$out" 2>"$err"
check_eq "the refusal in Chinese names the pending draft" \
	"$(grep -c "项目 P1 还有待记账的付款草稿：$PAY（待审核）；" "$err")" 1
check_eq "the refusal in Chinese has no English word (0045)" \
	"$(sed -E 's/cunji( [a-z]+)*//g' "$err" | grep -E '[A-Za-z]{2,}' | tee /dev/stderr | wc -l)" 0
check_eq "nothing of the acceptance was written" \
	"$(project_state P1)/$(sql "SELECT count(*) FROM draft_action WHERE action = 'project accept'")" "$before/0"
# through psql as the bookkeeper: an acceptance draft typed by hand
as_refused $A CJ021 "payment drafts awaiting posting" "BEGIN;
  INSERT INTO draft_voucher (village_id, voucher_date, summary) VALUES ($VV, '2025-09-01', '验收');
  INSERT INTO draft_line (village_id, draft_id, line_no, account_code, debit_fen, credit_fen, project_id)
  SELECT $VV, currval('draft_id_seq'), 1, '151', 100, 0, id FROM project WHERE village_id = $VV AND code = 'P1'
  UNION ALL SELECT $VV, currval('draft_id_seq'), 2, '153', 0, 100, id FROM project WHERE village_id = $VV AND code = 'P1';
  INSERT INTO draft_action (village_id, draft_id, action, project_id, detail)
  SELECT $VV, currval('draft_id_seq'), 'project accept', id, '{}' FROM project WHERE village_id = $VV AND code = 'P1';
  COMMIT"
# nor accepted directly while a payment draft waits (the project's status, by psql)
as_refused $A CJ021 "payment drafts awaiting posting" \
	"UPDATE project SET status = 'accepted', asset_kind = '公益性', asset_value_fen = 0, accepted_on = '2025-09-01'
	  WHERE village_id = $VV AND code = 'P1'"
# a rejected payment draft still waits: its preparer deletes it or it is posted
expect 0 -- bob voucher reject --village $V --draft $PAY --reason 金额待核
expect 1 --err "$PAY (rejected);" -- alice project accept --village $V --code P1 --date 2025-09-01 --asset-kind 公益性
expect 0 -- alice voucher delete --village $V --draft $PAY
expect 0 --out "review required" -- alice project pay --village $V --project P1 --tranche 预付 --payee 路桥公司 \
	--amount 50000 --date 2025-04-02 --fund XJ
PAY=$(draft_of)
expect 0 -- bob voucher review --village $V --draft $PAY
expect 1 --err "$PAY (reviewed);" -- alice project accept --village $V --code P1 --date 2025-09-01 --asset-kind 公益性
expect 0 --out "记字第" -- alice voucher post --village $V --draft $PAY
# all payments posted: the acceptance is drafted
expect 0 --out "2 drafts saved as batch" -- alice project accept --village $V --code P1 --date 2025-09-01 --asset-kind 公益性
AB=$(batch_of)
read -r A1 A2 <<<"$(sql "SELECT string_agg(id::text, ' ' ORDER BY id) FROM draft_voucher WHERE batch_id = $AB")"
expect 0 -- alice voucher show --village $V --draft $A1
check_eq "show: the pending acceptance, its asset and value, and the draft posted with it" \
	"$(grep "待执行动作" "$out" | sed 's/^ *//')" \
	"待执行动作（记账后执行）：项目验收 P1 通组道路P1，形成公益性资产（151） 价值 50,000.00 元，验收日期 2025-09-01；与草稿${A2}一并记账"
expect 0 -- alice voucher list --village $V --state draft
check_eq "list: both acceptance drafts marked" "$(grep -c "项目验收 P1" "$out")" 2
# no payment drafted while the acceptance waits
expect 1 --err "project P1 awaits its acceptance in draft $A1 (awaiting review), $A2 (awaiting review);" -- \
	alice project pay --village $V --project P1 --tranche 尾款 --payee 路桥公司 --amount 100 --date 2025-08-02 --fund XJ
LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN PGPASSWORD=$(pw $A) "$CUNJI_BIN" --db "$DB" --user $A project pay --village $V \
	--project P1 --tranche 尾款 --payee 路桥公司 --amount 100 --date 2025-08-02 --fund XJ >"$out" 2>"$err"
check_eq "the list of pending drafts in Chinese, item by item" \
	"$(grep -c "项目 P1 的验收草稿 $A1（待审核）、$A2（待审核） 尚未记账" "$err")" 1
check_eq "the refused payment left no draft" \
	"$(sql "SELECT count(*) FROM draft_voucher WHERE village_id = $VV AND state <> 'posted' AND batch_id <> $AB")" 0
as_refused $A CJ021 "awaits its acceptance" "BEGIN;
  INSERT INTO draft_voucher (village_id, voucher_date, summary) VALUES ($VV, '2025-08-02', '尾款');
  INSERT INTO draft_line (village_id, draft_id, line_no, account_code, debit_fen, credit_fen, project_id)
  SELECT $VV, currval('draft_id_seq'), 1, '153', 100, 0, id FROM project WHERE village_id = $VV AND code = 'P1'
  UNION ALL SELECT $VV, currval('draft_id_seq'), 2, '102001', 0, 100, NULL::bigint;
  INSERT INTO draft_action (village_id, draft_id, action, project_id, detail)
  SELECT $VV, currval('draft_id_seq'), 'project pay', id, '{\"tranche\": \"尾款\", \"payee\": \"路桥公司\"}'
    FROM project WHERE village_id = $VV AND code = 'P1';
  COMMIT"
# another project is not held up
expect 0 --out "review required" -- alice project pay --village $V --project P2 --tranche 预付 --payee 水利队 \
	--amount 20000 --date 2025-04-05 --fund XJ
P2PAY=$(draft_of)

# the books changed after the acceptance was drafted (a voucher of the project posted
# directly, review switched off for it): the acceptance's figures are stale, refused at posting
expect 0 -- cj setting review --township $T off
expect 0 -- alice post --village $V --date 2025-08-20 --summary 补付材料款 --project P1 --fund XJ --debit 153=100 --credit 102001=100
expect 0 -- cj setting review --township $T on
expect 0 -- bob voucher review --batch $AB
before=$(project_state P1)
expect 1 --err "its books changed after the acceptance was drafted (draft $A1)" -- alice voucher post --batch $AB
check_eq "the stale acceptance left nothing" "$(project_state P1)" "$before"
expect 0 -- bob voucher reject --village $V --draft $A1 --reason 数据已变
expect 0 -- bob voucher reject --village $V --draft $A2 --reason 数据已变
expect 0 -- alice voucher delete --village $V --draft $A1
expect 0 -- alice voucher delete --village $V --draft $A2
expect 0 --out "2 drafts saved as batch" -- alice project accept --village $V --code P1 --date 2025-09-01 --asset-kind 公益性
AB=$(batch_of)
expect 0 -- bob voucher review --batch $AB
expect 0 --out "2 voucher(s) posted" -- alice voucher post --batch $AB
check_eq "accepted, with the cost the books hold" "$(project_state P1 | cut -d/ -f1,2)" "accepted/5010000"
check_eq "153 of P1 is empty after the acceptance" \
	"$(sql "SELECT coalesce(sum(debit_fen - credit_fen), 0) FROM voucher_line WHERE village_id = $VV AND account_code LIKE '153%'
	        AND project_id = (SELECT id FROM project WHERE village_id = $VV AND code = 'P1')")" 0
expect 0 -- alice voucher show --village $V --draft $(sql "SELECT min(id) FROM draft_voucher WHERE batch_id = $AB")
check_eq "show: a posted voucher says the action it recorded" "$(grep -c "已执行动作（随本凭证记账）：项目验收 P1" "$out")" 1

# the direct path too: P2 is not accepted while its payment draft waits
expect 0 -- cj setting review --township $T off
before=$(project_state P2)
expect 1 --err "project P2 has payment drafts awaiting posting: $P2PAY (awaiting review);" -- \
	alice project accept --village $V --code P2 --date 2025-09-02 --asset-kind 公益性
check_eq "the refused direct acceptance left nothing" "$(project_state P2)" "$before"
expect 0 -- alice voucher delete --village $V --draft $P2PAY
expect 0 --out "project P2 accepted" -- alice project accept --village $V --code P2 --date 2025-09-02 --asset-kind 公益性

# ---- under review, a project with nothing to book (no voucher to draft) is accepted by a
# reviewer or an admin, whose doing it is the review; not by a bookkeeper alone (0045)
expect 0 -- cj setting review --township $T on
for p in P3 P4; do
	cj project add --village $V --code $p --name 村史馆$p --category 基础设施 --budget XJ=1000 >/dev/null
	cj project start --village $V --code $p --date 2025-04-01 >/dev/null
done
before=$(project_state P3)
expect 1 --err "a project with nothing to book is accepted by a reviewer or an admin" -- \
	alice project accept --village $V --code P3 --date 2025-09-03 --asset-kind 公益性
LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN PGPASSWORD=$(pw $A) "$CUNJI_BIN" --db "$DB" --user $A project accept \
	--village $V --code P3 --date 2025-09-03 --asset-kind 公益性 >"$out" 2>"$err"
check_eq "the refusal in Chinese says who may accept" \
	"$(grep -c "无需记账的项目验收须由审核人或管理员以其登录名执行 cunji project accept；登录名 $A 既不是审核人也不是管理员" "$err")" 1
as_refused $A 42501 "login $A is neither" \
	"UPDATE project SET status = 'accepted', asset_kind = '公益性', asset_value_fen = 0, accepted_on = '2025-09-03'
	  WHERE village_id = $VV AND code = 'P3'"
check_eq "the bookkeeper's refused acceptances left nothing" "$(project_state P3)" "$before"
# the reviewer's column grant is for that acceptance only
as_refused $B 42501 "a reviewer, only accepts a project with nothing to book" \
	"UPDATE project SET accepted_on = '2025-09-03' WHERE village_id = $VV AND code = 'P3'"
# a project with something to book is accepted through its drafts, even by a reviewer
expect 0 --out "review required" -- alice project pay --village $V --project P4 --tranche 预付 --payee 施工队 \
	--amount 500 --date 2025-05-02 --fund XJ
PAY4=$(draft_of)
expect 0 -- bob voucher review --village $V --draft $PAY4
expect 0 -- alice voucher post --village $V --draft $PAY4
as_refused $B CJ021 "has costs or earmarked payments to book at its acceptance" \
	"UPDATE project SET status = 'accepted', asset_kind = '公益性', asset_value_fen = 0, accepted_on = '2025-09-03'
	  WHERE village_id = $VV AND code = 'P4'"
expect 0 --out "2 drafts saved as batch" -- alice project accept --village $V --code P4 --date 2025-09-03 --asset-kind 公益性
# the reviewer accepts P3: that is its review
expect 0 --out "project P3 accepted" -- bob project accept --village $V --code P3 --date 2025-09-03 --asset-kind 公益性
check_eq "P3 accepted by the reviewer, nothing booked" "$(project_state P3 | cut -d/ -f1-3)" "accepted/0/0"
# where review is not required, the bookkeeper accepts it at once, as before
expect 0 -- cj setting review --township $T off
cj project add --village $V --code P5 --name 村史馆P5 --category 基础设施 --budget XJ=1000 >/dev/null
cj project start --village $V --code P5 --date 2025-04-01 >/dev/null
expect 0 --out "project P5 accepted" -- alice project accept --village $V --code P5 --date 2025-09-03 --asset-kind 公益性
expect 0 -- cj check

finish
