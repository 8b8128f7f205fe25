#!/usr/bin/env bash
# Logins x actions (docs/roles.md): every cell through the CLI as that login
# and through raw psql as that login (the URL of 'cunji db url --user'), a
# refusal matched on its SQLSTATE.  The database is the enforcer: what psql
# may not do, no client may.
source "$(dirname "$0")/lib.sh"
fresh_db rolestest

C=360925 T=360925100 A=360925100201 B=360925100202 T2=360925101 D=360925101201
# the logins (roles are the server's: names of this test's own)
ADM=$(id -un)
BK=tr_bk_a      # bookkeeper of village A
BKT=tr_bk_t     # bookkeeper of township T (A and B, and villages added later)
REV=tr_rev      # reviewer of township T
CASH=tr_cash    # cashier of village A
INSP=tr_insp    # inspector of the county
BOARD=tr_board  # board of village A
GONE=tr_gone    # a bookkeeper disabled later
pw() { echo "pw-$1"; }

as() { # as LOGIN cunji-args...: the CLI as that login, its password from PGPASSWORD
	local l=$1
	shift
	PGPASSWORD=$(pw "$l") "$CUNJI_BIN" --db "$DB" --user "$l" "$@"
}
declare -A urls # the URL 'cunji db url --user' prints, asked once per login (below)
url() { echo "${urls[$1]:-$("$CUNJI_BIN" --db "$DB" db url --user "$1")}"; }
psql_as() { # psql_as LOGIN SQL: rows, one per line
	PGPASSWORD=$(pw "$1") psql -X -q -At -v ON_ERROR_STOP=1 "$(url "$1")" -c "$2"
}
ok_as() { # ok_as LOGIN SQL: psql as LOGIN must accept SQL
	checks=$((checks + 1))
	if ! PGPASSWORD=$(pw "$1") psql -X -q -At -v ON_ERROR_STOP=1 "$(url "$1")" -c "$2" \
		>/dev/null 2>"$err"; then
		echo "FAIL: $1 was refused: $2"; sed 's/^/  err: /' "$err" | head -3
		failures=$((failures + 1))
	fi
}
refused_as() { # refused_as LOGIN STATE SQL [NEEDLE]: psql as LOGIN refused with SQLSTATE
	checks=$((checks + 1))
	if PGPASSWORD=$(pw "$1") psql -X -q -At -v VERBOSITY=verbose -v ON_ERROR_STOP=1 "$(url "$1")" \
		-c "BEGIN" -c "$3" -c "COMMIT" >/dev/null 2>"$err" ||
		! grep -q "^ERROR:  $2:" "$err" || ! grep -qF -- "${4:-}" "$err"; then
		echo "FAIL: $1: not refused with SQLSTATE $2${4:+ ($4)}: $3"; sed 's/^/  err: /' "$err" | head -4
		failures=$((failures + 1))
	fi
}

# ---- the office: an admin (you), the organisations, the logins ------------------------
expect 0 -- cj org add --level county --code $C --name 靖安县
expect 0 -- cj org add --level township --code $T --name 双溪镇 --parent $C
expect 0 -- cj org add --level township --code $T2 --name 宝峰镇 --parent $C
expect 0 -- cj org add --level village --code $A --name 周口村 --parent $T --start 2025-01
expect 0 -- cj org add --level village --code $B --name 马尾山村 --parent $T --start 2025-01
expect 0 -- cj org add --level village --code $D --name 毛竹山村 --parent $T2 --start 2025-01
VA=$(sql "SELECT id FROM org WHERE code = '$A'") VB=$(sql "SELECT id FROM org WHERE code = '$B'")
useradd() { # useradd LOGIN NAME ROLE SCOPE...
	local l=$1 n=$2 r=$3
	shift 3
	local scopes=()
	for s in "$@"; do scopes+=(--scope "$s"); done
	expect 0 --out "added login $l" -- bash -c 'echo "$0" | "$CUNJI_BIN" --db "$DB" user add \
		--login "$1" --name "$2" --role "$3" --password-stdin "${@:4}"' "$(pw "$l")" "$l" "$n" "$r" "${scopes[@]}"
}
export DB CUNJI_BIN
useradd $BK 张会计 bookkeeper $A
useradd $BKT 李会计 bookkeeper $T
useradd $REV 王主管 reviewer $T
useradd $CASH 赵出纳 cashier $A
useradd $INSP 纪检组 inspector $C
useradd $BOARD 周口村监委会 board $A
useradd $GONE 临时 bookkeeper $A
for l in $ADM $BK $BKT $REV $CASH $INSP $BOARD $GONE; do urls[$l]=$(url $l); done
expect 0 --out "$BK" -- cj user list
expect 1 --err "exists already" -- sh -c "echo x | \"$CUNJI_BIN\" --db $DB user add --login $BK --name 又 \
	--role bookkeeper --scope $A --password-stdin"
expect 1 --err "its scope is a village, and $T is a township" -- \
	sh -c "echo x | \"$CUNJI_BIN\" --db $DB user add --login tr_board2 --name 村委 --role board --scope $T --password-stdin"
expect 1 --err "takes no scope" -- \
	sh -c "echo x | \"$CUNJI_BIN\" --db $DB user add --login tr_adm2 --name 管 --role admin --scope $A --password-stdin"
expect 2 --err "a bookkeeper needs --scope" -- cj user add --login tr_x --name x --role bookkeeper
expect 2 --err "--role 'boss': one of admin" -- cj user add --login tr_x --name x --role boss --scope $A
expect 1 --err "no organisation 999999" -- cj user scope add --login $BK --scope 999999
check_eq "a refused add left no role behind" "$(sql "SELECT count(*) FROM pg_roles WHERE rolname = 'tr_board2'")" 0
expect 0 -- cj account add --village $A --code 102001 --name 农商行
expect 0 -- cj post --village $A --date 2025-01-01 --summary 期初余额 --opening \
	--debit 101=1000 --debit 102001=50000 --credit 311=51000
expect 0 -- cj post --village $B --date 2025-01-01 --summary 期初余额 --opening --debit 101=800 --credit 311=800

# ---- posting and reading by scope -------------------------------------------------------
expect 0 --out "posted: 记字第1号 $A" -- as $BK post --village $A --date 2025-03-05 --summary 收到承包费 \
	--debit 102001=1200 --credit 501=1200
expect 1 --err "no organisation has code $B (that login $BK may see)" -- as $BK post --village $B \
	--date 2025-03-05 --summary 别村 --debit 101=1 --credit 501=1
expect 1 --err "no organisation has code $B" -- as $BK tb --village $B --year 2025
expect 0 --out "试算平衡" -- as $BK tb --village $A --year 2025
check_eq "$BK reads only A's vouchers (psql)" "$(psql_as $BK "SELECT count(*), min(village_id) FROM cunji.voucher")" "2|$VA"
check_eq "$BK sees A's county and township, not B" \
	"$(psql_as $BK "SELECT string_agg(code, ' ' ORDER BY code) FROM cunji.org")" "$C $T $A"
check_eq "my_villages() of $BK" "$(psql_as $BK "SELECT cunji.my_villages()")" "{$VA}"
check_eq "who posted: the session's login" "$(sql "SELECT posted_by FROM voucher WHERE summary = '收到承包费'")" "$BK"
# a voucher by hand in psql: in scope accepted, out of scope refused by the policy
hand() { # hand VILLAGE_ID SUMMARY [KIND]: one voucher of two lines, its number from the counter
	cat <<SQL
SET search_path = cunji;
WITH c AS (INSERT INTO voucher_counter AS c (village_id, period, last_number) VALUES ($1, '2025-04-01', 1)
           ON CONFLICT (village_id, period) DO UPDATE SET last_number = c.last_number + 1 RETURNING last_number)
INSERT INTO voucher (village_id, id, period, number, voucher_date, kind, summary, content_hash)
SELECT $1, nextval('voucher_id_seq'), '2025-04-01', last_number, '2025-04-02', '${3:-normal}', '$2', 'hand' FROM c;
INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code, debit_fen, credit_fen)
SELECT $1, currval('voucher_id_seq'), l, '2025-04-01', CASE l WHEN 1 THEN '101' ELSE '501' END,
       CASE l WHEN 1 THEN 500 ELSE 0 END, CASE l WHEN 2 THEN 500 ELSE 0 END FROM generate_series(1, 2) l
SQL
}
ok_as $BK "$(hand $VA 手工记账)"
# the import's role (COPY, not bound by the policies) does not widen the scope
refused_as $BK 42501 "SET ROLE cunji_import; INSERT INTO cunji.voucher (village_id, id, period, number,
	voucher_date, summary, content_hash) VALUES ($VB, 999999, '2025-04-01', 1, '2025-04-02', '导入角色', 'x')" \
	"login $BK may not post in village $B: it is not in its scope"
refused_as $BK 42501 "SET ROLE cunji_import; SELECT count(*) FROM cunji.voucher" "permission denied for table voucher"
check_eq "the hand voucher is in, by $BK" "$(sql "SELECT posted_by FROM voucher WHERE summary = '手工记账'")" "$BK"
refused_as $BK 42501 "$(hand $VB 别村手工)" 'row-level security policy for table "voucher_counter"'
refused_as $BK 42501 "INSERT INTO cunji.voucher_line (village_id, voucher_id, line_no, period, account_code, debit_fen)
	VALUES ($VB, 1, 9, '2025-01-01', '101', 1)" 'new row violates row-level security policy for table "voucher_line"'
# the township bookkeeper: A, B, and a village added later
expect 0 --out "posted" -- as $BKT post --village $B --date 2025-03-06 --summary 乡镇记账 --debit 101=10 --credit 501=10
expect 0 -- cj org add --level village --code 360925100203 --name 新村 --parent $T --start 2025-01
expect 0 --out "posted" -- as $BKT post --village 360925100203 --date 2025-03-06 --summary 新村记账 \
	--debit 101=10 --credit 501=10 --allow-negative-cash --reason 新村开账
expect 1 --err "no organisation has code $D" -- as $BKT tb --village $D --year 2025
# the cashier: receipts and payments in A; no opening voucher, no close
expect 0 --out "posted" -- as $CASH post --village $A --date 2025-03-07 --summary 付办公费 --debit 513=50 --credit 101=50
expect 1 --err "login $CASH (cashier) may not post a voucher of kind opening" -- as $CASH post --village $A \
	--date 2025-01-01 --summary 期初 --opening --debit 101=1 --credit 311=1
refused_as $CASH 42501 "$(hand $VA 出纳期初 opening)" "login $CASH (cashier) may not post a voucher of kind opening"
expect 1 --err "permission denied for table period_state" -- as $CASH period close --village $A --period 2025-01
expect 1 --err "permission denied" -- as $CASH account add --village $A --code 102002 --name 信用社

# ---- what each kind may not do ------------------------------------------------------------
# closing a month: reviewers and admins only
expect 1 --err "login $BK may not do this: permission denied for table period_state" -- \
	as $BK period close --village $A --period 2025-01
# PostgreSQL's own refusal, told a Chinese reader in Chinese
LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN expect 1 --err "登录名 $BK 无权这样做：没有表 period_state 的权限" -- \
	as $BK period close --village $A --period 2025-01
refused_as $BK 42501 "INSERT INTO cunji.period_state (village_id, period, closed) VALUES ($VA, '2025-01-01', true)" \
	"permission denied for table period_state"
expect 0 --out "closed" -- as $REV period close --village $A --period 2025-01
check_eq "who closed it" "$(sql "SELECT by_user FROM period_event WHERE village_id = $VA")" "$REV"
expect 1 --err "no organisation has code $D" -- as $REV period close --village $D --period 2025-01
refused_as $REV 42501 "INSERT INTO cunji.period_state (village_id, period, closed)
	VALUES ($(sql "SELECT id FROM org WHERE code = '$D'"), '2025-01-01', true)" 'new row violates row-level security policy for table "period_state"'
# a reviewer posts no ordinary voucher, by the CLI or by hand
expect 1 --err "login $REV (reviewer) may not post a voucher of kind normal" -- as $REV post --village $A \
	--date 2025-03-08 --summary 审核记账 --debit 101=1 --credit 501=1
refused_as $REV 42501 "$(hand $VA 审核手工)" "login $REV (reviewer) may not post a voucher of kind normal"
# organisations and logins: admins only
expect 1 --err "permission denied for table org" -- as $BK org add --level village --code 360925100209 \
	--name 私村 --parent $T --start 2025-01
refused_as $BK 42501 "INSERT INTO cunji.org (level, code, name, parent_id) VALUES ('county', '360926', '邻县', NULL)" \
	"permission denied for table org"
expect 1 --err "permission denied for function login_add" -- \
	sh -c "echo x | PGPASSWORD=$(pw $BK) \"$CUNJI_BIN\" --db $DB --user $BK user add --login tr_x --name x --role admin --password-stdin"
refused_as $BK 42501 "SELECT cunji.login_add('tr_x', 'x', 'admin', NULL)" "permission denied for function login_add"
refused_as $BK 42501 "CREATE ROLE tr_x LOGIN" "permission denied to create role"
refused_as $BK 42501 "GRANT cunji_admin TO $BK" "must have admin option on role"
# a login sees names and kinds, but only its own scope; never a password
check_eq "$BK sees its own scope only" "$(psql_as $BK "SELECT count(*), min(login) FROM cunji.login_scope")" "1|$BK"
check_eq "$BK in 'user list': others' scopes blank" \
	"$(as $BK user list --format csv | awk -F, '$1 == "'$BKT'" {print "[" $4 "]"}')" "[]"
refused_as $BK 42501 "SELECT rolpassword FROM pg_authid" "permission denied for table pg_authid"
# nobody edits a posted voucher: no privilege for it (a superuser meets the trigger: test_cli)
# (the admin connects by peer: its PGPASSWORD is not asked for)
for l in $ADM $BK $REV $INSP; do
	refused_as $l 42501 "UPDATE cunji.voucher SET summary = '改' WHERE village_id = $VA" "permission denied for table voucher"
	refused_as $l 42501 "DELETE FROM cunji.voucher_line WHERE village_id = $VA" "permission denied for table voucher_line"
done
# who and when come from the session: a supplied posted_by or posted_at is refused
refused_as $BK 42501 "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, summary,
	content_hash, posted_by) VALUES ($VA, nextval('cunji.voucher_id_seq'), '2025-05-01', 1, '2025-05-02', '冒名', 'x', '$REV')" \
	"permission denied for table voucher"
refused_as $BK 42501 "INSERT INTO cunji.voucher (village_id, id, period, number, voucher_date, summary,
	content_hash, posted_at) VALUES ($VA, nextval('cunji.voucher_id_seq'), '2025-05-01', 1, '2025-05-02', '倒签', 'x', '2020-01-01')" \
	"permission denied for table voucher"
check_eq "posted_at is the transaction's time" \
	"$(sql "SELECT count(*) FROM voucher WHERE summary = '手工记账' AND posted_at > now() - interval '1 hour'")" 1
# a non-owner cannot switch the rules off or change the tables
for l in $ADM $BK; do
	refused_as $l 42501 "ALTER TABLE cunji.voucher DISABLE TRIGGER ALL" "must be owner of table voucher"
	refused_as $l 42501 "SET session_replication_role = replica" "permission denied to set parameter"
	refused_as $l 42501 "ALTER TABLE cunji.voucher ADD COLUMN x int" "must be owner of table voucher"
	refused_as $l 42501 "DROP TRIGGER voucher_final ON cunji.voucher" "must be owner of relation voucher"
	refused_as $l 42501 "ALTER TABLE cunji.voucher NO FORCE ROW LEVEL SECURITY" "must be owner of table voucher"
	refused_as $l 42501 "TRUNCATE cunji.voucher_line" "permission denied for table voucher_line"
	refused_as $l 42501 "SET ROLE cunji_owner" "permission denied to set role"
	refused_as $l 42501 "CREATE TABLE cunji.x (a int)" "permission denied for schema cunji"
	refused_as $l 42501 "UPDATE cunji.account_period_total SET debit_fen = 0" "permission denied for table account_period_total"
done

# ---- the inspector: every village and report of the county, and no write at all ----------
expect 0 --out "(4 个村汇总" -- as $INSP tb --county $C --year 2025
expect 0 --out "收到承包费" -- as $INSP ledger --village $A --account 102001 --year 2025
expect 0 --out "资产负债表" -- as $INSP statement balance-sheet --village $B --period 2025-12
expect 0 --out "毛竹山村" -- as $INSP org list
expect 0 --out "ok:" -- as $INSP check
expect 0 --out "2025" -- as $INSP export journal --village $A --year 2025
check_eq "the inspector reads every village's vouchers (psql)" \
	"$(psql_as $INSP "SELECT count(*), count(DISTINCT village_id) FROM cunji.voucher")" \
	"$(sql "SELECT count(*), count(DISTINCT village_id) FROM voucher" | tr '\t' '|')"
expect 1 --err "permission denied" -- as $INSP post --village $A --date 2025-03-09 --summary 纪检 --debit 101=1 --credit 501=1
expect 1 --err "permission denied" -- as $INSP void --village $A --number 2025-03-1
expect 1 --err "permission denied" -- as $INSP period close --village $B --period 2025-01
expect 1 --err "permission denied" -- as $INSP year close --village $B --year 2025 --yes --empty-months-ok
expect 1 --err "permission denied" -- as $INSP account add --village $A --code 102009 --name 纪检户
expect 1 --err "permission denied" -- as $INSP member add --village $A --household H9 --head 某 --id 11010519491231002X
expect 1 --err "permission denied" -- as $INSP disclose hotline --code $C --phone 12388
printf '村代码,日期,凭证号,摘要,科目代码,借方金额,贷方金额\n%s,2025-06-01,1,纪检导入,101,1,\n%s,2025-06-01,1,纪检导入,501,,1\n' $A $A >"$out.csv"
expect 1 --err "permission denied" -- as $INSP import vouchers "$out.csv"
expect 0 --out "posted 1 voucher" -- as $BK import vouchers "$out.csv"
rm -f "$out.csv"
# every table of the schema: no INSERT, UPDATE or DELETE (permission, before any rule),
# except the inspector's own work (thresholds, the officials roster, marks on findings:
# docs/audit.md, tried in test_audit_scan.sh)
for t in $(sql "SELECT relname FROM pg_class WHERE relnamespace = 'cunji'::regnamespace AND relkind = 'r'
		 AND relname NOT IN ('audit_threshold', 'official', 'audit_mark') ORDER BY 1"); do
	col=$(sql "SELECT attname FROM pg_attribute WHERE attrelid = 'cunji.$t'::regclass AND attnum > 0
		AND NOT attisdropped AND attidentity = '' ORDER BY attnum LIMIT 1")
	refused_as $INSP 42501 "INSERT INTO cunji.$t DEFAULT VALUES" "permission denied for table $t"
	refused_as $INSP 42501 "UPDATE cunji.$t SET $col = $col" "permission denied for table $t"
	refused_as $INSP 42501 "DELETE FROM cunji.$t" "permission denied for table $t"
done
# the done-when: psql "$(cunji db url --user INSPECTOR)" sees the county and cannot write
check_eq "psql by the inspector's URL sees the county" \
	"$(PGPASSWORD=$(pw $INSP) psql -X -At "$("$CUNJI_BIN" --db "$DB" db url --user $INSP)" \
		-c "SELECT count(*) FROM cunji.org WHERE level = 'village'")" 4

# ---- the board: its village, nothing else, no write -------------------------------------
expect 0 --out "试算平衡" -- as $BOARD tb --village $A --year 2025
expect 1 --err "no organisation has code $B" -- as $BOARD tb --village $B --year 2025
expect 0 --out "(1 个村汇总" -- as $BOARD tb --county $C --year 2025   # its village alone
check_eq "the board reads only A (psql)" "$(psql_as $BOARD "SELECT count(DISTINCT village_id), min(village_id) FROM cunji.voucher_line")" "1|$VA"
check_eq "the board's organisations" "$(psql_as $BOARD "SELECT string_agg(code, ' ' ORDER BY code) FROM cunji.org")" "$C $T $A"
expect 1 --err "permission denied" -- as $BOARD post --village $A --date 2025-03-09 --summary 村委 --debit 101=1 --credit 501=1
refused_as $BOARD 42501 "$(hand $VA 村委手工)" "permission denied for table voucher"
refused_as $BOARD 42501 "UPDATE cunji.org SET hotline = '1' WHERE code = '$A'" "permission denied for table org"

# ---- settings: review per county, overridden per township --------------------------------
check_eq "no setting: no review" "$(psql_as $BK "SELECT cunji.review_required($VA)")" f
ok_as $ADM "INSERT INTO cunji.setting SELECT id, 'review_required', 'true' FROM cunji.org WHERE code = '$C'"
check_eq "the county's setting" "$(psql_as $BK "SELECT cunji.review_required($VA)")" t
ok_as $ADM "INSERT INTO cunji.setting SELECT id, 'review_required', 'false' FROM cunji.org WHERE code = '$T'"
check_eq "the township overrides it" "$(psql_as $BK "SELECT cunji.review_required($VA)")" f
check_eq "another township keeps the county's" "$(sql "SELECT review_required(id) FROM org WHERE code = '$D'")" t
refused_as $ADM CJ030 "INSERT INTO cunji.setting SELECT id, 'review_required', 'true' FROM cunji.org WHERE code = '$A'" \
	"made for a county or a township"
refused_as $BK 42501 "UPDATE cunji.setting SET value = 'true'" "permission denied for table setting"

# ---- scopes change, logins are disabled ----------------------------------------------------
expect 0 --out "added $B to the scope of login $BK" -- cj user scope add --login $BK --scope $B
expect 0 --out "试算平衡" -- as $BK tb --village $B --year 2025
expect 0 --out "removed $B from the scope" -- cj user scope remove --login $BK --scope $B
expect 1 --err "no organisation has code $B" -- as $BK tb --village $B --year 2025
expect 1 --err "is not in the scope of login $BK" -- cj user scope remove --login $BK --scope $B
expect 0 --out "posted" -- as $GONE post --village $A --date 2025-03-10 --summary 临时记账 --debit 101=1 --credit 501=1
expect 0 --out "disabled login $GONE" -- cj user disable --login $GONE
expect 1 --err "permission denied for database" -- as $GONE tb --village $A --year 2025
checks=$((checks + 1))
if PGPASSWORD=$(pw $GONE) psql -X -At "$(url $GONE)" -c "SELECT 1" >/dev/null 2>"$err" ||
	! grep -q "permission denied for database" "$err"; then
	echo "FAIL: a disabled login connected with psql"; failures=$((failures + 1))
fi
check_eq "its vouchers keep its name" "$(sql "SELECT posted_by FROM voucher WHERE summary = '临时记账'")" "$GONE"
expect 0 --out "停用" -- cj user list
expect 1 --err "is disabled already" -- cj user disable --login $GONE
expect 1 --err "cannot disable itself" -- cj user disable --login $ADM
expect 1 --err "permission denied for function login_disable" -- as $BK user disable --login $BKT
# a year closed by the reviewer: its closing voucher is the reviewer's
expect 0 --out "moved to 322001" -- as $REV year close --village $A --year 2025 --yes --empty-months-ok
check_eq "the closing voucher's and the year's who" \
	"$(sql "SELECT DISTINCT v.posted_by || ' ' || f.closed_by FROM voucher v JOIN fiscal_year f USING (village_id) WHERE v.kind = 'closing' AND v.village_id = $VA")" "$REV $REV"
expect 1 --err "login $BKT may not do this" -- as $BKT year close --village $B --year 2025 --yes --empty-months-ok
# no password, no terminal: a plain refusal
expect 1 --err "login $BK needs its password" -- "$CUNJI_BIN" --db "$DB" --user $BK org list
# CUNJI_USER names the login too
expect 0 --out "试算平衡" -- env CUNJI_USER=$BOARD PGPASSWORD=$(pw $BOARD) "$CUNJI_BIN" --db "$DB" tb --village $A --year 2025
expect 1 --err "password authentication failed for user \"$BK\"" -- env PGPASSWORD=wrong "$CUNJI_BIN" --db "$DB" --user $BK org list

# ---- the schema as 0015 left it, and as every later migration must keep it ----------------
check_eq "objects of the schema not the owner's" \
	"$(sql "SELECT count(*) FROM pg_class WHERE relnamespace = 'cunji'::regnamespace AND relowner <> 'cunji_owner'::regrole")
$(sql "SELECT count(*) FROM pg_proc WHERE pronamespace = 'cunji'::regnamespace AND proowner <> 'cunji_owner'::regrole")" "0
0"
check_eq "village-keyed tables without forced row-level security and their policy" \
	"$(sql "SELECT string_agg(c.relname, ' ') FROM pg_class c
		  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'village_id' AND NOT a.attisdropped
		 WHERE c.relnamespace = 'cunji'::regnamespace AND c.relkind IN ('r', 'p')
		   AND NOT (c.relrowsecurity AND c.relforcerowsecurity
			    AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid AND p.polname = 'village_scope'))")" ""
check_eq "trigger functions that do not run as the owner with pg_temp last" \
	"$(sql "SELECT string_agg(proname, ' ') FROM pg_proc WHERE pronamespace = 'cunji'::regnamespace
		   AND prorettype = 'trigger'::regtype
		   AND NOT (prosecdef AND 'search_path=cunji, pg_catalog, pg_temp' = ANY (proconfig))")" ""
check_eq "group roles that may INSERT posted_by, posted_at or tx" \
	"$(sql "SELECT count(*) FROM information_schema.column_privileges WHERE table_schema = 'cunji'
		   AND table_name = 'voucher' AND column_name IN ('posted_by', 'posted_at', 'tx')
		   AND privilege_type = 'INSERT' AND grantee LIKE 'cunji\\_%' AND grantee <> 'cunji_owner'")" 0
check_eq "logins that are members of the owner" \
	"$(sql "SELECT count(*) FROM pg_auth_members WHERE roleid = 'cunji_owner'::regrole")" 0

finish
