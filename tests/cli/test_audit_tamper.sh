#!/usr/bin/env bash
# The tamper suite (issue 15): as the superuser, with the triggers off
# (session_replication_role = replica) or by DDL, each way of rewriting the
# books after the fact; `cunji audit verify` must exit 1 and name it, and
# untouched books verify clean.  Each case works on its own copy of one small
# demo county (CREATE DATABASE ... TEMPLATE).
source "$(dirname "$0")/lib.sh"
files=$(mktemp -d)
sheets=$(mktemp -d)
trap 'rm -rf "$files" "$sheets" "$out" "$err"' EXIT

TPL=audit_tpl
DB=$TPL
fresh_db $TPL 2>/dev/null
expect 0 -- "$CUNJI_BIN" --db $TPL demo --villages 2 --vouchers 24 --quiet --files "$files" \
	--disclosure "$sheets"
V=360925100200
VID=$(sql "SELECT id FROM org WHERE code = '$V'")
INCOME=$(sql "SELECT min(code) FROM account WHERE village_id = $VID AND code LIKE '501%' AND is_leaf")
# a month of the next year closed, reopened (recorded, with a reason) and closed again
expect 0 -- cj post --village $V --date 2026-01-05 --summary 收到承包费 --debit 101=100 --credit $INCOME=100
expect 0 -- cj period close --village $V --period 2026-01
expect 0 -- cj period reopen --village $V --period 2026-01 --reason 补记一笔
expect 0 -- cj post --village $V --date 2026-01-20 --summary 补记 --debit 101=5 --credit $INCOME=5
expect 0 -- cj period close --village $V --period 2026-01
expect 0 --err "intact" -- cj audit verify
# the chains recomputed by a second program, the recipe of docs/audit.md
checks=$((checks + 1))
$PY "$CUNJI_SRC/tests/cli/check_chain.py" "host=$CUNJI_HOME/pg user=postgres dbname=$TPL" >"$out" ||
	{ echo "FAIL: check_chain.py"; head "$out"; failures=$((failures + 1)); }
check_eq "chains recomputed by check_chain.py" "$(grep -c recomputed "$out")" "$(sql "SELECT count(*) FROM chain_head")"
expect 0 --err "1 village" -- cj audit verify --village $V
expect 0 --err "1 village" -- cj audit verify --township 360925100
expect 0 --err "2 villages" -- cj audit verify --county 360925
expect 0 --out "period_event" -- cj audit log --village $V --table period_event
expect 0 --out "补记一笔" -- cj audit log --village $V --table period_event --period 2020..2040

psql_super() { psql -X -q -At "host=$CUNJI_HOME/pg user=postgres dbname=$DB" -v ON_ERROR_STOP=1 \
	-c "SET search_path = cunji" "$@"; }

# tamper NAME WANT SQL: on a fresh copy of the books, run SQL as the superuser
# with the triggers off, then audit verify must exit 1 and print WANT.
n=0
tamper() {
	local name=$1 want=$2 q=$3
	n=$((n + 1))
	DB=audit_t$n
	psql -X -q "host=$CUNJI_HOME/pg user=postgres dbname=postgres" \
		-c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB TEMPLATE $TPL" \
		>/dev/null 2>&1
	if ! psql_super -c "SET session_replication_role = replica" -c "$q" >/dev/null 2>"$err"; then
		checks=$((checks + 1)); failures=$((failures + 1))
		echo "FAIL: $name: the tampering itself failed"; sed 's/^/  err: /' "$err" | head -5
		return
	fi
	expect 1 --out "$want" -- cj audit verify
	grep -q . "$out" || echo "  ($name)"
	# what a Chinese reader is told: a whole sentence, no English word in it
	if [ -n "${4:-}" ]; then
		expect 1 --out "$4" -- env LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN "$CUNJI_BIN" --db "$DB" audit verify
	fi
	psql -X -q "host=$CUNJI_HOME/pg user=postgres dbname=postgres" -c "DROP DATABASE $DB WITH (FORCE)" >/dev/null
}

# a voucher of the village with two lines, a debit and a credit, and its number
VOU=$(DB=$TPL sql "SELECT v.id FROM voucher v WHERE v.village_id = $VID AND v.kind = 'normal'
	AND (SELECT count(*) FROM voucher_line l WHERE l.village_id = v.village_id AND l.voucher_id = v.id) = 2
	ORDER BY v.id LIMIT 1")
LABEL=$(DB=$TPL sql "SELECT to_char(period, 'YYYY-MM') || ' #' || number || ' (id ' || id || ')'
	FROM voucher WHERE id = $VOU")
LINE="village_id = $VID AND voucher_id = $VOU"
SAME="village $V, voucher $LABEL"

# an amount in both lines and in the kept totals: balanced, totals agree, the hash does not
tamper "amount" "$SAME: its date, summary, kind or lines" "
	UPDATE voucher_line SET debit_fen = debit_fen + 100 WHERE $LINE AND debit_fen <> 0;
	UPDATE voucher_line SET credit_fen = credit_fen + 100 WHERE $LINE AND credit_fen <> 0;
	UPDATE account_period_total t SET debit_fen = t.debit_fen + 100 FROM voucher_line l
	 WHERE l.$LINE AND l.debit_fen <> 0 AND t.village_id = l.village_id
	   AND t.account_code = l.account_code AND t.period = l.period;
	UPDATE account_period_total t SET credit_fen = t.credit_fen + 100 FROM voucher_line l
	 WHERE l.$LINE AND l.credit_fen <> 0 AND t.village_id = l.village_id
	   AND t.account_code = l.account_code AND t.period = l.period;"
# an amount in one line only: also unbalanced, and the kept totals disagree
tamper "amount alone" "debits" "UPDATE voucher_line SET debit_fen = debit_fen + 1 WHERE $LINE AND debit_fen <> 0"
tamper "kept total" "kept monthly total of account" "
	UPDATE account_period_total SET debit_fen = debit_fen + 1
	 WHERE (village_id, account_code, period) = (SELECT village_id, account_code, period
	        FROM account_period_total WHERE village_id = $VID AND debit_fen > 0 LIMIT 1)"
tamper "year total" "kept yearly total of account" "
	UPDATE account_year_total SET credit_fen = credit_fen - 1
	 WHERE (village_id, account_code, year) = (SELECT village_id, account_code, year
	        FROM account_year_total WHERE village_id = $VID AND credit_fen > 0 LIMIT 1)" \
	"保存的年度合计"
tamper "date" "$SAME: its date" "
	UPDATE voucher SET voucher_date = period + (voucher_date - period + 1) % 28 WHERE id = $VOU"
tamper "account" "$SAME: its date, summary, kind or lines" "
	UPDATE voucher_line SET account_code = CASE WHEN account_code = '101' THEN '102001' ELSE '101' END
	 WHERE $LINE AND line_no = 1"
tamper "summary" "$SAME: its date, summary" "UPDATE voucher SET summary = '改过的摘要' WHERE id = $VOU"
tamper "counterparty" "$SAME: its date, summary, kind or lines" "
	UPDATE voucher_line SET counterparty = '张三' WHERE $LINE AND line_no = 2"
tamper "delete a voucher" "voucher id $VOU, which is gone (deleted)" "
	DELETE FROM voucher_line WHERE $LINE; DELETE FROM voucher WHERE id = $VOU"
tamper "insert a voucher" "is in no link of the chain" "
	UPDATE voucher_counter SET last_number = last_number + 1 WHERE village_id = $VID AND period = '2025-06-01';
	INSERT INTO voucher (village_id, id, period, number, voucher_date, summary, content_hash)
	SELECT $VID, nextval('voucher_id_seq'), '2025-06-01', last_number, '2025-06-30', '虚增', repeat('0', 64)
	  FROM voucher_counter WHERE village_id = $VID AND period = '2025-06-01';
	INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code, debit_fen, credit_fen)
	VALUES ($VID, currval('voucher_id_seq'), 1, '2025-06-01', '101', 500, 0),
	       ($VID, currval('voucher_id_seq'), 2, '2025-06-01', '501', 0, 500)"
tamper "swap numbers" "does not match: a voucher's number" "
	UPDATE voucher SET number = 99999 WHERE village_id = $VID AND period = '2025-03-01' AND number = 1;
	UPDATE voucher SET number = 1 WHERE village_id = $VID AND period = '2025-03-01' AND number = 2;
	UPDATE voucher SET number = 2 WHERE village_id = $VID AND period = '2025-03-01' AND number = 99999"
tamper "closed year" "is in no link of the chain" "
	UPDATE period_state SET closed = false WHERE village_id = $VID AND period = '2025-12-01';
	INSERT INTO voucher (village_id, id, period, number, voucher_date, summary, content_hash)
	SELECT $VID, nextval('voucher_id_seq'), '2025-12-01', last_number + 1, '2025-12-31', '补', repeat('0', 64)
	  FROM voucher_counter WHERE village_id = $VID AND period = '2025-12-01';
	UPDATE voucher_counter SET last_number = last_number + 1 WHERE village_id = $VID AND period = '2025-12-01';
	INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code, debit_fen, credit_fen)
	VALUES ($VID, currval('voucher_id_seq'), 1, '2025-12-01', '101', 500, 0),
	       ($VID, currval('voucher_id_seq'), 2, '2025-12-01', '501', 0, 500);
	UPDATE period_state SET closed = true WHERE village_id = $VID AND period = '2025-12-01'"
tamper "posted into a closed month" "was posted while 2025-12 was closed" "
	INSERT INTO voucher (village_id, id, period, number, voucher_date, summary, content_hash)
	SELECT $VID, nextval('voucher_id_seq'), '2025-12-01', last_number + 1, '2025-12-31', '补', repeat('0', 64)
	  FROM voucher_counter WHERE village_id = $VID AND period = '2025-12-01'"
tamper "reopen record" "a row of period_event as the audit trail last recorded it is gone" "
	DELETE FROM period_event WHERE village_id = $VID AND action = 'reopen'"
tamper "close record" "month 2026-01 is closed, and no close of it is recorded" "
	DELETE FROM period_event WHERE village_id = $VID AND period = '2026-01-01'"
tamper "month state" "month 2025-11 is open, but its last record" "
	UPDATE period_state SET closed = false WHERE village_id = $VID AND period = '2025-11-01'" \
	"2025-11 月未结账，而其最后一条记录"
tamper "truncate the trail" "which is gone (deleted)" "TRUNCATE audit_log"
tamper "edit the trail" "does not match audit record" "
	UPDATE audit_log SET login = 'nobody' WHERE id = (SELECT max(id) FROM audit_log WHERE village_id = $VID)"
tamper "drop a link" "of the chain are missing (deleted)" "
	DELETE FROM chain_link WHERE village_id = $VID AND seq = 3"
tamper "a link of one's own" "not a link the ledger makes" "
	SELECT chain_append($VID, 'audit', '{}', '')"
tamper "edit an audited row" "a row of household is not as the audit trail recorded it" "
	UPDATE household SET phone = '13800000000' WHERE village_id = $VID
	 AND code = (SELECT min(code) FROM household WHERE village_id = $VID)"
# a chart row copied at the village's set-up (audited as one record per
# village and statement since 0047): renamed, or one added, with the triggers off
check_eq "the chart's set-up is one audit record" "$(DB=$TPL sql "SELECT count(*) FROM audit_log
	WHERE village_id = $VID AND tbl = 'account' AND jsonb_typeof(new) = 'array'")" 1
tamper "edit a chart row" "a row of account is not as the audit trail recorded it" "
	UPDATE account SET name = '现金二' WHERE village_id = $VID AND code = '101'"
tamper "delete a chart row" "a row of account as the audit trail last recorded it is gone" "
	DELETE FROM account WHERE village_id = $VID AND code = '101'"
tamper "drop a trigger" "schema: trigger voucher_line.voucher_line_final of the migrations is missing" "
	DROP TRIGGER voucher_line_final ON voucher_line"
tamper "disable a trigger" "schema: on table voucher, triggers not enabled: voucher_chain" "
	ALTER TABLE voucher DISABLE TRIGGER voucher_chain"
tamper "disable the audit trigger" "schema: table household has no enabled audit trigger" "
	ALTER TABLE household DISABLE TRIGGER zz_audit_row"
tamper "replace a function" "schema: function posted_is_final() differs" "
	CREATE OR REPLACE FUNCTION posted_is_final() RETURNS trigger LANGUAGE plpgsql AS \$\$
	BEGIN RETURN NEW; END \$\$"
tamper "add a function" "schema: function backdoor() is not of the migrations" "
	CREATE FUNCTION backdoor() RETURNS int LANGUAGE sql AS 'SELECT 1'" \
	"数据库结构：函数 backdoor() 不是迁移生成的（手工添加）"
tamper "row-level security" "schema: row-level security is not enabled and forced on table voucher" "
	ALTER TABLE voucher DISABLE ROW LEVEL SECURITY"
tamper "a privilege" "schema: table voucher_line differs from what the migrations made" "
	GRANT UPDATE ON voucher_line TO cunji_bookkeeper" \
	"数据库结构：表 voucher_line 与迁移生成的不同（行级安全、属主、权限或策略）"

# who posted a voucher, its external id: both in its link (kind vouchers2, 0040)
tamper "who posted" "does not match: a voucher's number, content hash, preparer or who reviewed or posted" "
	UPDATE voucher SET posted_by = 'someone_else' WHERE id = $VOU"
tamper "external id" "does not match: a voucher's number" "
	UPDATE voucher SET external_id = 'X-1' WHERE id = $VOU"

# Links of kind vouchers, as 0021 and 0036 wrote them before 0040, still
# verify: a voucher posted without the chain's trigger, then its link made
# the old way (voucher by voucher) by chain_append, as the superuser.
DB=audit_old
psql -X -q "host=$CUNJI_HOME/pg user=postgres dbname=postgres" \
	-c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" -c "CREATE DATABASE $DB TEMPLATE $TPL" >/dev/null 2>&1
sql "ALTER TABLE voucher DISABLE TRIGGER voucher_chain" >/dev/null
expect 0 -- cj post --village $V --date 2026-02-05 --summary 收到承包费 --debit 101=7 --credit $INCOME=7
sql "ALTER TABLE voucher ENABLE TRIGGER voucher_chain" >/dev/null
expect 1 --out "is in no link of the chain" -- cj audit verify --village $V
sql "SELECT chain_append(v.village_id, 'vouchers', ARRAY[v.id], hash_num(1) || voucher_link_part(v))
       FROM voucher v WHERE v.id = (SELECT max(id) FROM voucher WHERE village_id = $VID)" >/dev/null
check_eq "links of both kinds" "$(sql "SELECT count(DISTINCT kind) FROM chain_link WHERE village_id = $VID AND kind <> 'audit'")" 2
expect 0 --err "intact" -- cj audit verify
checks=$((checks + 1))
$PY "$CUNJI_SRC/tests/cli/check_chain.py" "host=$CUNJI_HOME/pg user=postgres dbname=$DB" >"$out" ||
	{ echo "FAIL: check_chain.py on links of both kinds"; head "$out"; failures=$((failures + 1)); }
psql -X -q "host=$CUNJI_HOME/pg user=postgres dbname=postgres" -c "DROP DATABASE $DB WITH (FORCE)" >/dev/null

# the test vectors of docs/audit.md are what check_chain.py computes
for h in $($PY "$CUNJI_SRC/tests/cli/check_chain.py" --vectors | grep -o '[0-9a-f]\{64\}'); do
	checks=$((checks + 1))
	grep -q "$h" "$CUNJI_SRC/docs/audit.md" || { echo "FAIL: test vector $h is not in docs/audit.md"; failures=$((failures + 1)); }
done

finish
