#!/usr/bin/env bash
# A file's drafts in bulk (schema 0031), trying to break the rules on the
# set-based path, through the tool and by hand in psql as the logins:
# the preparer never reviews its own batch; an unreviewed batch never posts;
# the bulk switch (cunji.draft_bulk) set by hand does not let anything
# through; a batch into a closed month is refused and nothing changes;
# numbers stay gapless per village and month after drafts are deleted; and
# audit verify accounts for every bulk-written draft row (and sees one
# changed behind the trail's back, or its record forged).
source "$(dirname "$0")/lib.sh"
fresh_db draftbatch
tmp=$(mktemp -d)
trap 'rm -rf "$tmp" "$out" "$err"' EXIT

C=360925
T=360925100
V=360925100201
W=360925100202
A=db_zhang   # bookkeeper: prepares and posts
B=db_li      # reviewer
cj org add --level county --code $C --name 靖安县 >/dev/null
cj org add --level township --code $T --name 双溪镇 --parent $C >/dev/null
cj org add --level village --code $V --name 周口村 --parent $T --start 2025-01 >/dev/null
cj org add --level village --code $W --name 东山村 --parent $T --start 2025-01 >/dev/null
login_add $A 张会计 bookkeeper $T
login_add $B 李主管 reviewer $T
alice() { as_login $A "$@"; }
bob() { as_login $B "$@"; }
url() { "$CUNJI_BIN" --db "$DB" db url --user "$1"; }
as_refused() { # as_refused LOGIN SQLSTATE SQL
	checks=$((checks + 1))
	if PGPASSWORD=$(pw "$1") psql -X -q -At -v VERBOSITY=verbose -v ON_ERROR_STOP=1 "$(url "$1")" \
		-c "SET search_path = cunji" -c "$3" >/dev/null 2>"$err" || ! grep -q "^ERROR:  $2:" "$err"; then
		echo "FAIL: $1 not refused with SQLSTATE $2: $3"; sed 's/^/  err: /' "$err" | head -5
		failures=$((failures + 1))
	fi
}
state() { sql "SELECT string_agg(state || ':' || n, ' ' ORDER BY state) FROM (SELECT state, count(*) n FROM draft_voucher WHERE batch_id = $1 GROUP BY 1) s"; }
books() { sql "SELECT (SELECT count(*) FROM voucher) || '/' || (SELECT coalesce(sum(last_number), 0) FROM voucher_counter) || '/' || (SELECT coalesce(sum(debit_fen), 0) FROM account_period_total)"; }

expect 0 --out "记字第1号" -- alice post --village $V --date 2025-02-01 --summary 期初收款 --debit 101=10 --credit 501=10
cj setting review --county $C on >/dev/null

{
	echo "村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额"
	for i in 1 2 3 4; do
		echo "$V,2025-02-1$i,$i,收到承包费$i,101,10$i,"
		echo "$V,2025-02-1$i,$i,收到承包费$i,501,,10$i"
	done
	echo "$W,2025-02-20,1,收到租金,101,30,"
	echo "$W,2025-02-20,1,收到租金,501,,30"
} >"$tmp/feb.csv"
expect 0 --out "saved as drafts 5 vouchers" -- alice import vouchers "$tmp/feb.csv"
BATCH=$(sql "SELECT batch_id FROM import_log WHERE file_name LIKE '%feb.csv'")
check_eq "one batch of drafts, its preparer the login" \
	"$(sql "SELECT count(*) || ' ' || min(prepared_by) || ' ' || max(prepared_by) FROM draft_voucher WHERE batch_id = $BATCH")" "5 $A $A"
BEFORE=$(books)

# ---- the preparer never reviews its own batch, through the tool or by hand
expect 1 --err "cannot also review it" -- alice voucher review --batch "$BATCH"
as_refused $A CJ050 "SELECT review_draft_batch($BATCH)"
check_eq "none reviewed" "$(state "$BATCH")" "draft:5"

# ---- the bulk switch set by hand lets nothing through
as_refused $A 42501 "BEGIN; SET LOCAL cunji.draft_bulk = on; UPDATE draft_voucher SET state = 'reviewed', reviewed_by = '$B', reviewed_at = now() WHERE batch_id = $BATCH; COMMIT"
as_refused $B 42501 "BEGIN; SET LOCAL cunji.draft_bulk = on; UPDATE draft_voucher SET state = 'rejected', reject_reason = '借方写错' WHERE batch_id = $BATCH; COMMIT"
as_refused $B 42501 "BEGIN; SET LOCAL cunji.draft_bulk = on; DELETE FROM draft_line WHERE draft_id IN (SELECT id FROM draft_voucher WHERE batch_id = $BATCH); COMMIT"
# with the file's own proof (draft_bulk_begin) only inserts pass, and a reviewer gets none
as_refused $A 42501 "BEGIN; SELECT draft_bulk_begin(); SET LOCAL cunji.draft_bulk = on; UPDATE draft_voucher SET summary = '改' WHERE batch_id = $BATCH; COMMIT"
as_refused $A 42501 "BEGIN; SELECT draft_bulk_begin(); SET LOCAL cunji.draft_bulk = on; DELETE FROM draft_voucher WHERE batch_id = $BATCH; COMMIT"
as_refused $B 42501 "SELECT draft_bulk_begin()"
# a draft's action is recorded only by post_drafts() (0050), never on its own
as_refused $A 42501 "SELECT draft_actions_posted('{1}', '{1}', '{1}')"
check_eq "the batch as it was" "$(state "$BATCH")/$(sql "SELECT count(*) FROM draft_line l JOIN draft_voucher d ON d.village_id = l.village_id AND d.id = l.draft_id WHERE d.batch_id = $BATCH")/$(sql "SELECT count(*) FROM draft_voucher WHERE summary = '改'")" "draft:5/10/0"

# ---- an unreviewed batch never posts
expect 1 --err "not reviewed" -- alice voucher post --batch "$BATCH"
as_refused $A CJ055 "SELECT post_draft_batch($BATCH)"
check_eq "nothing posted" "$(books)" "$BEFORE"

# ---- numbers gapless after drafts deleted: two of the batch go before review
D2=$(sql "SELECT id FROM draft_voucher WHERE batch_id = $BATCH AND summary = '收到承包费2'")
D4=$(sql "SELECT id FROM draft_voucher WHERE batch_id = $BATCH AND summary = '收到承包费4'")
expect 0 --out "deleted" -- alice voucher delete --village $V --draft "$D2"
expect 0 --out "deleted" -- alice voucher delete --village $V --draft "$D4"
expect 0 --out "3 draft(s) reviewed" -- bob voucher review --batch "$BATCH"
# ---- a reviewed draft of the batch is never edited, by its preparer either
D1=$(sql "SELECT min(id) FROM draft_voucher WHERE batch_id = $BATCH")
as_refused $A CJ051 "UPDATE draft_voucher SET summary = '改' WHERE id = $D1"
as_refused $A CJ051 "UPDATE draft_line SET summary = '改' WHERE draft_id = $D1"
as_refused $A CJ051 "DELETE FROM draft_voucher WHERE id = $D1"
check_eq "reviewed by the session's login, the step recorded once per village of the batch" \
	"$(sql "SELECT DISTINCT reviewed_by || ' ' || (reviewed_at IS NOT NULL) FROM draft_voucher WHERE batch_id = $BATCH")/$(sql "SELECT count(*) || ' ' || count(DISTINCT village_id) || ' ' || count(draft_id) FROM draft_event WHERE batch_id = $BATCH AND action = 'review' AND by_user = '$B'")" "$B true/2 2 0"

# ---- a batch into a closed month: refused, nothing changes.  A month with
# drafts cannot be closed (CJ054); one closed behind the rules' back, as
# the superuser with the triggers off, still refuses the posting.
expect 0 --out "closed" -- cj period close --village $W --period 2025-01
expect 1 --err "not yet posted" -- cj period close --village $W --period 2025-02
psql -X -q "host=$CUNJI_HOME/pg user=postgres dbname=$DB" -c "SET session_replication_role = replica" \
	-c "INSERT INTO cunji.period_state (village_id, period, closed) SELECT id, '2025-02-01', true FROM cunji.org WHERE code = '$W'" >/dev/null
BEFORE=$(books)
expect 1 --err "closed" -- alice voucher post --batch "$BATCH"
check_eq "nothing posted, the batch still reviewed" "$(books)/$(state "$BATCH")" "$BEFORE/reviewed:3"
psql -X -q "host=$CUNJI_HOME/pg user=postgres dbname=$DB" -c "SET session_replication_role = replica" \
	-c "DELETE FROM cunji.period_state WHERE period = '2025-02-01'" >/dev/null

expect 0 --out "3 voucher(s) posted" -- alice voucher post --batch "$BATCH"
check_eq "gapless, after the one posted at once, in date order" \
	"$(sql "SELECT string_agg(o.code || ':' || v.number || ':' || v.summary, ' ' ORDER BY o.code, v.number) FROM voucher v JOIN org o ON o.id = v.village_id")" \
	"$V:1:期初收款 $V:2:收到承包费1 $V:3:收到承包费3 $W:1:收到租金"
check_eq "who prepared, reviewed and posted them" \
	"$(sql "SELECT DISTINCT prepared_by || ' ' || reviewed_by || ' ' || posted_by FROM voucher WHERE draft_id IS NOT NULL")" "$A $B $A"
check_eq "every draft of the batch posted" "$(state "$BATCH")" "posted:3"
check_eq "the posting recorded once per village of the batch" \
	"$(sql "SELECT count(*) || ' ' || count(draft_id) || ' ' || min(by_user) FROM draft_event WHERE batch_id = $BATCH AND action = 'post'")" "2 0 $A"
check_eq "the kept totals agree" "$(sql "SELECT count(*) FROM totals_mismatches()")" 0

# ---- a batch the checks deferred to COMMIT refuse (cash below zero) is not
# reported posted, and nothing of it stays
{
	echo "村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额"
	echo "$W,2025-03-02,1,付电费,513,500,"
	echo "$W,2025-03-02,1,付电费,101,,500"
} >"$tmp/mar.csv"
expect 0 --out "saved as drafts 1 voucher" -- alice import vouchers "$tmp/mar.csv"
B2=$(sql "SELECT batch_id FROM import_log WHERE file_name LIKE '%mar.csv'")
expect 0 --out "1 draft(s) reviewed" -- bob voucher review --batch "$B2"
BEFORE=$(books)
expect 1 --err "in credit" -- alice voucher post --batch "$B2"
check_eq "refused at COMMIT: nothing posted" "$(books)/$(state "$B2")" "$BEFORE/reviewed:1"

# ---- the batch steps run without JIT compilation (0048): a later CREATE OR
# REPLACE of one of them that forgot the setting would lose it
check_eq "the batch steps say jit = off" \
	"$(sql "SELECT string_agg(p.proname, ' ' ORDER BY p.proname) FROM pg_proc p WHERE p.pronamespace = 'cunji'::regnamespace AND p.proname IN ('post_drafts', 'post_draft_batch', 'review_draft_batch', 'draft_bulk_step') AND 'jit=off' = ANY (p.proconfig)")" \
	"draft_bulk_step post_draft_batch post_drafts review_draft_batch"

# ---- the audit trail holds every bulk-written row, as its key and digest
# (0038): verify finds nothing; it names a draft line and a draft changed
# with the triggers off, and a record rewritten to hide the change
check_eq "bulk records hold keys and SHA-256 digests, not row images" \
	"$(sql "SELECT count(*) > 0 AND bool_and(e ~ '^[0-9]+(\\.[0-9]+)?:[0-9a-f]{64}$') FROM audit_log a, jsonb_array_elements_text(a.new -> 'rows') e WHERE a.tbl IN ('draft_voucher', 'draft_line', 'draft_event') AND a.row_key IS NULL")" t
check_eq "the review's record: who, the state change, which rows (old and new digests)" \
	"$(sql "SELECT login || ' ' || (new -> 'set' ->> 'state') || ' ' || (new -> 'set' ->> 'reviewed_by') || ' ' || jsonb_array_length(old -> 'rows') || ' ' || jsonb_array_length(new -> 'rows') FROM audit_log WHERE tbl = 'draft_voucher' AND op = 'UPDATE' AND row_key IS NULL ORDER BY id LIMIT 1")" \
	"$B reviewed $B 2 2"
check_eq "a draft line's digest, the test vector of docs/audit.md" \
	"$(sql "SELECT draft_digest(ROW(13, 4711, 1, '101', 120000, 0, '收到承包费', NULL, NULL, NULL)::draft_line)")" \
	"4711.1:8579d489db2695534a5a451f29711c685f12b5200b150315d4fa161f2041b059"
expect 0 --err "2 villages" -- cj audit verify --county $C
su_psql() { psql -X -q "host=$CUNJI_HOME/pg user=postgres dbname=$DB" -c "SET session_replication_role = replica" -c "$1" >/dev/null; }
su_psql "UPDATE cunji.draft_line SET summary = '篡改' WHERE draft_id = $D1 AND line_no = 1"
expect 1 --out "a row of draft_line is not as the audit trail recorded it (changed with the audit trigger off): \"$D1.1:" -- cj audit verify --county $C
D3=$(sql "SELECT max(id) FROM draft_voucher WHERE batch_id = $BATCH")
su_psql "UPDATE cunji.draft_voucher SET attachments = 9 WHERE id = $D3"
expect 1 --out "a row of draft_voucher is not as the audit trail recorded it (changed with the audit trigger off): \"$D3:" -- cj audit verify --county $C
# the bulk record of the line rewritten with the edited line's digest: the
# row now matches, and the chain names the record
su_psql "UPDATE cunji.audit_log a SET new = jsonb_build_object('rows', (SELECT jsonb_agg(coalesce((SELECT cunji.draft_digest(l) FROM cunji.draft_line l WHERE l.draft_id || '.' || l.line_no = split_part(e, ':', 1)), e)) FROM jsonb_array_elements_text(a.new -> 'rows') e)) WHERE a.tbl = 'draft_line' AND a.row_key IS NULL AND EXISTS (SELECT 1 FROM jsonb_array_elements_text(a.new -> 'rows') e WHERE e LIKE '$D1.1:%')"
expect 1 --out "does not match audit record" -- cj audit verify --county $C
check_eq "the forged record hides the line's edit from the rows' check only" "$(grep -c "a row of draft_line" "$out")" 0

# (0051) a draft's village keeps books and a posted draft names its own
# voucher: checked per statement (they were foreign keys), tried as the
# superuser with the draft's row guard off
su_refused() { # su_refused SQLSTATE WORDS SQL
	checks=$((checks + 1))
	if psql -X -q -v VERBOSITY=verbose -v ON_ERROR_STOP=1 "host=$CUNJI_HOME/pg user=postgres dbname=$DB" \
		-c "$3" >/dev/null 2>"$err" || ! grep -q "^ERROR:  $1: .*$2" "$err"; then
		echo "FAIL: not refused with SQLSTATE $1 ($2): $3"; sed 's/^/  err: /' "$err" | head -5
		failures=$((failures + 1))
	fi
}
su_refused CJ010 "keeps no books" "INSERT INTO cunji.draft_voucher (village_id, voucher_date, summary) SELECT id, '2025-03-01', '无账' FROM cunji.org WHERE code = '$T'"
su_refused CJ055 "which was not posted from it" "BEGIN; ALTER TABLE cunji.draft_voucher DISABLE TRIGGER draft_guard; UPDATE cunji.draft_voucher SET voucher_id = (SELECT max(id) FROM cunji.voucher) WHERE id = (SELECT min(id) FROM cunji.draft_voucher WHERE state = 'posted'); ROLLBACK"
# (0050) the posting's actions run only inside a posting, even for the owner
su_refused 42501 "own step" "SET ROLE cunji_owner; SELECT cunji.draft_actions_posted('{1}', '{1}', '{1}')"
check_eq "the posted drafts still name their own vouchers" \
	"$(sql "SELECT count(*) FROM draft_voucher d LEFT JOIN voucher v ON v.village_id = d.village_id AND v.id = d.voucher_id WHERE d.state = 'posted' AND v.draft_id IS DISTINCT FROM d.id")" 0
finish
