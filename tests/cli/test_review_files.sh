#!/usr/bin/env bash
# Issue 14's rest, through the tool and by hand in psql as logins of 0015:
# where review is required, a file (import vouchers, over one connection or
# several, and post --file) becomes one batch of drafts, listed, reviewed
# and posted as a whole with gapless numbers; the ledger actions that record
# their voucher elsewhere make drafts too (test_action_review.sh has them
# whole); cunji setting review turns review on and off (admins only); cunji
# user password (a login its own, an admin another's); who prepared a
# voucher comes from the session and a forged preparer does not stick.
source "$(dirname "$0")/lib.sh"
fresh_db reviewfiles
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$out" "$err"' EXIT

C=360925
T=360925100
V=360925100201
W=360925100202
A=rf_zhang   # bookkeeper: prepares and posts
B=rf_li      # reviewer
K=rf_wang    # another bookkeeper
cj org add --level county --code $C --name 靖安县 >/dev/null
cj org add --level township --code $T --name 双溪镇 --parent $C >/dev/null
cj org add --level village --code $V --name 周口村 --parent $T --start 2025-01 >/dev/null
cj org add --level village --code $W --name 东山村 --parent $T --start 2025-01 >/dev/null
cj account add --village $V --code 102001 --name 农商行 >/dev/null
cj account add --village $W --code 102001 --name 农商行 >/dev/null
login_add $A 张会计 bookkeeper $T
login_add $B 李主管 reviewer $T
login_add $K 王会计 bookkeeper $T
alice() { as_login $A "$@"; }
bob() { as_login $B "$@"; }
url() { "$CUNJI_BIN" --db "$DB" db url --user "$1"; }
# psql_as LOGIN SQL; as_refused LOGIN STATE SQL: refused with SQLSTATE STATE
psql_as() { PGPASSWORD=$(pw "$1") psql -X -q -At "$(url "$1")" -c "SET search_path = cunji" -c "$2"; }
as_refused() {
	checks=$((checks + 1))
	if PGPASSWORD=$(pw "$1") psql -X -q -At -v VERBOSITY=verbose "$(url "$1")" \
		-c "SET search_path = cunji" -c "$3" >/dev/null 2>"$err" || ! grep -q "^ERROR:  $2:" "$err"; then
		echo "FAIL: $1 not refused with SQLSTATE $2: $3"; sed 's/^/  err: /' "$err" | head -5
		failures=$((failures + 1))
	fi
}
vouchers() { sql "SELECT count(*) FROM voucher"; }
drafts() { sql "SELECT count(*) FROM draft_voucher"; }

# ---- who prepared a voucher posted at once: the session's login, whatever the client says
expect 0 --out "记字第1号" -- alice post --village $V --date 2025-02-01 --summary 收到租金 \
	--debit 101=100 --credit 501=100 --preparer 冒名
check_eq "the preparer is the login" \
	"$(sql "SELECT preparer || ' ' || prepared_by FROM voucher WHERE summary = '收到租金'")" "$A $A"
raw_voucher() { # a voucher typed by hand, extra columns ", col" and values ", value"
	echo "WITH c AS (INSERT INTO voucher_counter AS c (village_id, period, last_number)
	  SELECT id, '2025-02-01', 1 FROM org WHERE code = '$V'
	  ON CONFLICT (village_id, period) DO UPDATE SET last_number = c.last_number + 1
	  RETURNING village_id, last_number)
	INSERT INTO voucher (village_id, id, period, number, voucher_date, summary, content_hash${1:-})
	SELECT village_id, nextval('voucher_id_seq'), '2025-02-01', last_number, '2025-02-07',
	       '手工', 'x'${2:-} FROM c"
}
for col in preparer prepared_by reviewed_by; do
	as_refused $A 42501 "BEGIN; $(raw_voucher ", $col" ", '$B'"); COMMIT"
done
as_refused $A 42501 "BEGIN; $(raw_voucher ", draft_id" ", 1"); COMMIT"
as_refused $A 42501 "INSERT INTO draft_voucher (village_id, voucher_date, summary, prepared_by)
	SELECT id, '2025-02-02', '伪造', '$B' FROM org WHERE code = '$V'"
check_eq "nothing forged stuck" "$(sql "SELECT count(*) FROM voucher WHERE preparer <> '$A' OR prepared_by <> '$A'")/$(drafts)" "0/0"

# ---- the review setting: admins only, listed
expect 0 --out "no county or township sets review" -- cj setting list
expect 1 --err "permission denied for table setting" -- alice setting review --county $C on
as_refused $A 42501 "INSERT INTO setting SELECT id, 'review_required', 'true' FROM org WHERE code = '$C'"
expect 2 --err "say on or off" -- cj setting review --county $C yes
expect 2 --err "give --county CODE or --township CODE" -- cj setting review on
expect 1 --err "no organisation has code 999" -- cj setting review --county 999 on
expect 1 --err "for a county or a township" -- cj setting review --township $V on
expect 0 --out "review is on for county $C" -- cj setting review --county $C on
expect 0 --out "review on" -- bob setting list
expect 0 --out "草稿" -- alice post --village $V --date 2025-02-02 --summary 零星收入 --debit 101=1 --credit 501=1
check_eq "a draft" "$(vouchers)/$(drafts)" "1/1"
expect 0 --out "review is off for township $T" -- cj setting review --township $T off
expect 0 --out "记字第2号" -- alice post --village $V --date 2025-02-03 --summary 零星收入二 --debit 101=1 --credit 501=1
expect 0 --out "review is on for township $T" -- cj setting review --township $T on
expect 0 --out "$T" -- cj setting list
# in Chinese, whole sentences: no on/off or county/township pieced into them
zh_cj() { env -u LC_ALL -u LANGUAGE LANG=zh_CN.UTF-8 "$CUNJI_BIN" --db "$DB" "$@" >"$out" 2>"$err"; }
zh_cj setting review --township $T on
check_eq "setting review in Chinese" "$(cat "$out")" "乡镇 $T 已开启审核：凭证先保存为草稿，由另一个登录名审核后再记账"
zh_cj setting list
check_eq "setting list in Chinese: the level and the setting in words" \
	"$(grep -c "^$C *县 .*审核：开\$" "$out")/$(grep -c "^$T *乡镇 .*审核：开\$" "$out")/$(grep -cE '[A-Za-z]{2,}' "$out")" 1/1/0

# ---- a file under review: one batch of drafts, over several connections too
{
	echo "村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额"
	echo "$V,2025-02-10,1,收到承包费,102001,1200,"
	echo "$V,2025-02-10,1,收到承包费,501,,1200"
	echo "$V,2025-02-05,2,付电费,513,300.50,"
	echo "$V,2025-02-05,2,付电费,102001,,300.50"
	echo "$W,2025-03-01,1,收到租金,101,800,"
	echo "$W,2025-03-01,1,收到租金,501,,800"
} >"$tmp/feb.csv"
expect 0 --out "saved as drafts 3 vouchers, 6 lines, in 2 villages" -- alice import vouchers "$tmp/feb.csv" --jobs 2
BATCH=$(sql "SELECT batch_id FROM import_log WHERE file_name LIKE '%feb.csv'")
check_eq "the file's drafts, one batch, counted nowhere" \
	"$(vouchers)/$(sql "SELECT count(*) || ' ' || count(DISTINCT batch_id) || ' ' || min(prepared_by) FROM draft_voucher WHERE batch_id = $BATCH")" "2/3 1 $A"
check_eq "it says how to review and post them" "$(grep -c "cunji voucher review --batch $BATCH" "$out")" 1
expect 0 --out "saved as drafts of batch $BATCH" -- alice import vouchers "$tmp/feb.csv"
expect 0 --out "付电费" -- bob voucher list --batch "$BATCH"
check_eq "listed: the batch's three" "$(bob voucher list --batch "$BATCH" --format csv | grep -c 待审核)" 3
# posting before review is refused, as a whole
expect 1 --err "not reviewed" -- alice voucher post --batch "$BATCH"
# the preparer cannot review the file, through the tool or by hand: none is reviewed
expect 1 --err "cannot also review it" -- alice voucher review --batch "$BATCH"
as_refused $A CJ050 "UPDATE draft_voucher SET state = 'reviewed' WHERE batch_id = $BATCH"
check_eq "none reviewed" "$(sql "SELECT count(*) FROM draft_voucher WHERE state = 'reviewed'")" 0
# a batch with one draft of another preparer is refused as a whole by a reviewer who prepared one
expect 0 --out "3 draft(s) reviewed" -- bob voucher review --batch "$BATCH"
expect 0 --out "3 voucher(s) posted" -- alice voucher post --batch "$BATCH"
check_eq "numbers after those posted, gapless, in date order" \
	"$(sql "SELECT string_agg(o.code || ':' || to_char(v.period, 'YYYY-MM') || '-' || v.number || ':' || v.summary, ' ' ORDER BY o.code, v.period, v.number) FROM voucher v JOIN org o ON o.id = v.village_id WHERE v.draft_id IS NOT NULL")" \
	"$V:2025-02-3:付电费 $V:2025-02-4:收到承包费 $W:2025-03-1:收到租金"
check_eq "who" "$(sql "SELECT DISTINCT preparer || ' ' || prepared_by || ' ' || reviewed_by || ' ' || posted_by FROM voucher WHERE draft_id IS NOT NULL")" "张会计 $A $B $A"
check_eq "the books count them" \
	"$(sql "SELECT sum(credit_fen) FROM account_period_total WHERE account_code = '501'")" 210100

# ---- post --file under review: drafts too; a second file by another preparer
{
	echo "日期,凭证号,摘要,科目代码,借方金额,贷方金额"
	echo "2025-04-01,1,卖树苗,101,50,"
	echo "2025-04-01,1,卖树苗,501,,50"
} >"$tmp/apr.csv"
expect 0 --out "saved as drafts 1 voucher" -- as_login $K post --village $V --file "$tmp/apr.csv"
B2=$(sql "SELECT max(batch_id) FROM draft_voucher")
check_eq "not posted" "$(sql "SELECT count(*) FROM voucher WHERE summary = '卖树苗'")" 0
expect 0 --out "1 draft(s) reviewed" -- bob voucher review --batch "$B2"
expect 0 --out "1 voucher(s) posted" -- as_login $K voucher post --batch "$B2"
check_eq "April's first" "$(sql "SELECT number || ' ' || prepared_by || ' ' || reviewed_by FROM voucher WHERE summary = '卖树苗'")" "1 $K $B"

# ---- ledger actions that record their voucher elsewhere: a draft too, recorded when
# posted (schema 0032; test_action_review.sh)
cj fund add --village $V --code CZ --name 村级自有资金 --kind 村集体自有资金 --source 村集体 >/dev/null 2>&1
cj project add --village $V --code P1 --name 通组道路 --category 基础设施 --budget 村=5000 >/dev/null 2>&1
cj setting review --township $T off >/dev/null
cj project start --village $V --code P1 --date 2025-04-01 >/dev/null
cj setting review --township $T on >/dev/null
expect 0 --out "review required" -- alice project pay --village $V --project P1 \
	--tranche 预付 --payee 路桥公司 --amount 500 --date 2025-04-02
check_eq "nothing recorded yet" "$(sql "SELECT count(*) FROM project_payment")/$(drafts)" "0/6"
# ... and the database refuses such a voucher written by hand (CJ053)
as_refused $A CJ053 "BEGIN; $(raw_voucher); INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code, debit_fen, credit_fen) SELECT id, currval('voucher_id_seq'), n, '2025-02-01', a, d, c FROM org, (VALUES (1, '101', 10, 0), (2, '501', 0, 10)) l(n, a, d, c) WHERE code = '$V'; COMMIT"
cj setting review --township $T off >/dev/null
expect 0 --out "posted" -- alice project pay --village $V --project P1 --tranche 预付 --payee 路桥公司 \
	--amount 500 --date 2025-04-02

# ---- passwords: a login its own, an admin another's, nobody else
expect 0 --out "changed the password of login $A" -- sh -c "echo neu-$A | PGPASSWORD=$(pw $A) '$CUNJI_BIN' --db $DB --user $A user password --password-stdin"
expect 1 --err "password authentication failed" -- alice org list
expect 0 --out "$V" -- env PGPASSWORD=neu-$A "$CUNJI_BIN" --db "$DB" --user $A org list
expect 1 --err "only an admin manages logins" -- sh -c "echo x | PGPASSWORD=neu-$A '$CUNJI_BIN' --db $DB --user $A user password --login $B --password-stdin"
checks=$((checks + 1))
if PGPASSWORD=$(pw $B) psql -X -q -At -v VERBOSITY=verbose "$(url $B)" \
	-c "SELECT cunji.login_password('$K', 'SCRAM-SHA-256\$4096:x')" >/dev/null 2>"$err" || ! grep -q "42501" "$err"; then
	echo "FAIL: a reviewer set another login's password by hand"; failures=$((failures + 1))
fi
expect 0 --out "changed the password of login $A" -- sh -c "echo $(pw $A) | '$CUNJI_BIN' --db $DB user password --login $A --password-stdin"
expect 0 --out "$V" -- alice org list
expect 1 --err "no login nobody" -- sh -c "echo x | '$CUNJI_BIN' --db $DB user password --login nobody --password-stdin"
# by hand, a login sets its own through the database function (a verifier, never the password)
psql_as $B "SELECT cunji.login_password('$B', 'pw-plain')" >/dev/null 2>"$err"
check_eq "a verifier only" "$(grep -c "SCRAM-SHA-256 verifier" "$err")" 1
finish
