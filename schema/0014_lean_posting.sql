-- 0014_lean_posting.sql - a posting pays for its own work; yearly totals kept
--
-- The same rules, SQLSTATEs and messages as before (docs/schema.md), with
-- less work on the way of a voucher:
--   * a backend's first posting compiled every trigger function on the way
--     (PL/pgSQL compiles a whole function body at its first call, error
--     branches included) and planned each statement at its first run: about
--     five times the work of the next posting.  The refusals' messages are
--     built by functions of their own (voucher_refuse, voucher_line_refuse),
--     which only a refusal compiles; the fund and project rules are called by
--     the line trigger only for lines with a fund or project (no trigger of
--     their own); a reversal's mirror is checked by a statement that only a
--     reversal runs;
--   * guards that let the ledger's own triggers write (pg_trigger_depth) ask
--     in the trigger's WHEN clause, so the allowed write calls no function;
--     the counter's guard likewise only runs for an UPDATE that moves a row
--     or takes a number back;
--   * the counter rule (at COMMIT a changed counter equals its month's
--     highest number) is a deferred constraint trigger per changed counter row
--     instead of statement triggers filling commit_check;
--   * cash and bank: the line trigger looks at the month-end balances of the
--     accounts a statement takes money out of right after it, and hands them
--     to the commit-time check (commit_check) only when one is in credit;
--     the statement triggers on account_period_total go;
--   * account_year_total keeps each village's account totals per year, beside
--     the monthly ones, so that a trial balance takes its opening from the
--     years before and the months of its own year, not from every month since
--     the books began;
--   * the village advisory lock has a name, village_lock_key().
SET search_path = cunji, pg_catalog;

-- ---------------------------------------------------------------------------
-- The advisory lock per village: every statement posting into a village holds
-- it shared, a month's close or reopen exclusively, so that a close waits for
-- the postings in flight.  pg_advisory_xact_lock(village_lock_key(), village).
-- SQL and IMMUTABLE, so that the planner folds it into its constant.
CREATE FUNCTION village_lock_key() RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT 4242 $$;

-- ---------------------------------------------------------------------------
-- Guards in WHEN clauses.  A statement typed by hand runs at trigger depth 0;
-- the ledger's triggers write at depth 1 and more (the functions themselves
-- test depth < 2, being one level deeper when called).
DROP TRIGGER totals_guard ON account_period_total;
CREATE TRIGGER totals_guard BEFORE INSERT OR UPDATE OR DELETE ON account_period_total
	FOR EACH ROW WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION totals_guard();
DROP TRIGGER fund_total_guard ON fund_total;
CREATE TRIGGER fund_total_guard BEFORE INSERT OR UPDATE OR DELETE ON fund_total
	FOR EACH ROW WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION fund_totals_guard();
DROP TRIGGER project_total_guard ON project_total;
CREATE TRIGGER project_total_guard BEFORE INSERT OR UPDATE OR DELETE ON project_total
	FOR EACH ROW WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION fund_totals_guard();
DROP TRIGGER voucher_pending_guard ON voucher_pending;
CREATE TRIGGER voucher_pending_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON voucher_pending FOR EACH STATEMENT WHEN (pg_trigger_depth() < 1)
	EXECUTE FUNCTION voucher_pending_guard();
DROP TRIGGER commit_check_guard ON commit_check;
CREATE TRIGGER commit_check_guard BEFORE UPDATE OR DELETE OR TRUNCATE ON commit_check
	FOR EACH STATEMENT WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION commit_check_guard();
DROP TRIGGER commit_check_item_guard ON commit_check_item;
CREATE TRIGGER commit_check_item_guard BEFORE UPDATE OR DELETE OR TRUNCATE ON commit_check_item
	FOR EACH STATEMENT WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION commit_check_guard();

-- The counter only goes up and keeps its rows (0010): the reservation's
-- UPDATE, which raises it, no longer calls the guard.
DROP TRIGGER voucher_counter_guard ON voucher_counter;
CREATE TRIGGER voucher_counter_guard BEFORE UPDATE ON voucher_counter
	FOR EACH ROW WHEN (NEW.village_id <> OLD.village_id OR NEW.period <> OLD.period
	                   OR NEW.last_number < OLD.last_number)
	EXECUTE FUNCTION voucher_counter_guard();
CREATE TRIGGER voucher_counter_no_delete BEFORE DELETE ON voucher_counter
	FOR EACH ROW EXECUTE FUNCTION voucher_counter_guard();

-- ---------------------------------------------------------------------------
-- At COMMIT each counter the transaction changed equals its month's highest
-- voucher number (0010 checked it in commit_check_run): nothing reserved and
-- left unused.  One queued event per changed row, nothing run before COMMIT.
DROP TRIGGER voucher_counter_inserted ON voucher_counter;
DROP TRIGGER voucher_counter_updated ON voucher_counter;
DROP FUNCTION voucher_counter_changed();

CREATE FUNCTION voucher_counter_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	r record;
BEGIN
	SELECT c.last_number, coalesce(n.number, 0) AS number INTO r
	  FROM voucher_counter c
	  LEFT JOIN LATERAL (SELECT v.number FROM voucher v WHERE v.village_id = c.village_id
	                        AND v.period = c.period ORDER BY v.number DESC LIMIT 1) n ON true
	 WHERE c.village_id = NEW.village_id AND c.period = NEW.period;
	IF r.last_number <> r.number THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ008',
			MESSAGE = format('village %s: voucher_counter for %s is at %s but the last voucher is number %s; numbers are reserved only for the vouchers posted with them',
			                 village_code(NEW.village_id), to_char(NEW.period, 'YYYY-MM'),
			                 r.last_number, r.number);
	END IF;
	RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER voucher_counter_used AFTER INSERT OR UPDATE ON voucher_counter
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION voucher_counter_check();

-- Statements with parameters (a row's fields, the arrays a trigger hands on)
-- are planned once: PL/pgSQL's plan cache otherwise plans them again on each
-- call when the plan for the values at hand looks cheaper than the generic
-- one, which for unnest() of an array (estimated at ten rows) it always does.
ALTER FUNCTION voucher_pending_check() SET plan_cache_mode = force_generic_plan;

-- The commit-time checks of 0010 that remain: closing vouchers, and cash and
-- bank accounts found in credit by a statement of the transaction.
CREATE OR REPLACE FUNCTION commit_check_run() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog SET enable_seqscan = off SET jit = off
	SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	r record;
	x record;
BEGIN
	-- closing vouchers: only from the year-end close of their year
	FOR r IN SELECT DISTINCT village_id, period FROM commit_check_item
	          WHERE tx = NEW.tx AND what = 'closing' LOOP
		IF NOT EXISTS (SELECT 1 FROM fiscal_year f WHERE f.village_id = r.village_id
		                  AND f.year = extract(year FROM r.period)::integer AND f.tx = NEW.tx) THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ006',
				MESSAGE = format('village %s: closing vouchers for %s come only from the year-end close (cunji year close), which closes the year in the same transaction',
				                 village_code(r.village_id), extract(year FROM r.period));
		END IF;
		SELECT v.number, l.line_no, l.account_code INTO x
		  FROM voucher v
		  JOIN voucher_line l ON l.village_id = v.village_id AND l.voucher_id = v.id
		  JOIN account a ON a.village_id = l.village_id AND a.code = l.account_code
		 WHERE v.village_id = r.village_id AND v.period = r.period AND v.kind = 'closing'
		   AND v.tx = NEW.tx AND a.category NOT IN ('income', 'expense')
		   AND l.account_code NOT LIKE '32%'
		 LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ006',
				MESSAGE = format('village %s: closing voucher %s-%s line %s: account %s is not a profit-and-loss account, 本年收益 or 收益分配',
				                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'), x.number,
				                 x.line_no, x.account_code);
		END IF;
	END LOOP;

	-- cash and bank: no month-end in credit from the first month reduced on,
	-- unless every voucher of this transaction that takes money out of the
	-- account records why
	FOR r IN SELECT i.village_id, i.code, m.period, m.balance
	           FROM (SELECT village_id, code, min(period) AS first FROM commit_check_item
	                  WHERE tx = NEW.tx AND what = 'cash' GROUP BY 1, 2) i
	           CROSS JOIN LATERAL (
	                SELECT b.period, b.balance
	                  FROM (SELECT t.period, sum(t.debit_fen - t.credit_fen) OVER (ORDER BY t.period)
	                               AS balance
	                          FROM account_period_total t
	                         WHERE t.village_id = i.village_id AND t.account_code = i.code) b
	                 WHERE b.period >= i.first AND b.balance < 0
	                 ORDER BY b.period LIMIT 1) m LOOP
		SELECT v.period, v.number, v.voucher_date INTO x
		  FROM voucher v
		  JOIN voucher_line l ON l.village_id = v.village_id AND l.voucher_id = v.id
		 WHERE v.village_id = r.village_id AND v.tx = NEW.tx AND v.negative_cash_reason IS NULL
		   AND l.account_code = r.code AND (l.credit_fen > 0 OR l.debit_fen < 0)
		 ORDER BY v.voucher_date, v.number LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ009',
				MESSAGE = format('village %s: account %s %s would be %s yuan in credit at the end of %s (voucher %s-%s dated %s takes out more than there is); cash and bank cannot go below zero unless the voucher records why (negative_cash_reason)',
				                 village_code(r.village_id), r.code,
				                 (SELECT a.name FROM account a WHERE a.village_id = r.village_id
				                     AND a.code = r.code),
				                 fen_text(-r.balance::bigint), to_char(r.period, 'YYYY-MM'),
				                 to_char(x.period, 'YYYY-MM'), x.number, x.voucher_date);
		END IF;
	END LOOP;

	DELETE FROM commit_check_item WHERE tx = NEW.tx;
	DELETE FROM commit_check WHERE tx = NEW.tx;
	RETURN NULL;
END $$;

-- The line trigger watches cash and bank itself (below).
DROP TRIGGER totals_cash_inserted ON account_period_total;
DROP TRIGGER totals_cash_updated ON account_period_total;
DROP FUNCTION totals_cash_watch();

-- ---------------------------------------------------------------------------
-- Totals per village, account and calendar year, kept by the line trigger
-- with the monthly ones: the opening balance of a year is the sum of the
-- years before it, a handful of rows per account whatever the age of the
-- books, closed years or not.
CREATE TABLE account_year_total (
	village_id   integer NOT NULL,
	account_code text NOT NULL,
	year         integer NOT NULL,
	debit_fen    bigint NOT NULL,
	credit_fen   bigint NOT NULL,
	-- by year first: the readers ask for a village's years before one
	PRIMARY KEY (village_id, year, account_code),
	FOREIGN KEY (village_id, account_code) REFERENCES account (village_id, code)
);
INSERT INTO account_year_total (village_id, account_code, year, debit_fen, credit_fen)
SELECT village_id, account_code, extract(year FROM period)::integer,
       sum(debit_fen)::bigint, sum(credit_fen)::bigint
  FROM account_period_total GROUP BY 1, 2, 3;
CREATE TRIGGER account_year_total_guard BEFORE INSERT OR UPDATE OR DELETE ON account_year_total
	FOR EACH ROW WHEN (pg_trigger_depth() < 1) EXECUTE FUNCTION fund_totals_guard();
CREATE TRIGGER account_year_total_no_truncate BEFORE TRUNCATE ON account_year_total
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();

-- `cunji check`: the yearly totals recomputed from the lines.
CREATE FUNCTION year_totals_mismatches()
RETURNS TABLE (village_id integer, account_code text, year integer,
               kept_debit bigint, kept_credit bigint, line_debit bigint, line_credit bigint)
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	WITH l AS (
		SELECT village_id, account_code, extract(year FROM period)::integer AS year,
		       sum(debit_fen)::bigint AS d, sum(credit_fen)::bigint AS c
		  FROM voucher_line GROUP BY 1, 2, 3)
	SELECT coalesce(t.village_id, l.village_id), coalesce(t.account_code, l.account_code),
	       coalesce(t.year, l.year), t.debit_fen, t.credit_fen, l.d, l.c
	  FROM account_year_total t
	  FULL JOIN l ON l.village_id = t.village_id AND l.account_code = t.account_code
	             AND l.year = t.year
	 WHERE t.debit_fen IS DISTINCT FROM l.d OR t.credit_fen IS DISTINCT FROM l.c
$$;

-- ---------------------------------------------------------------------------
-- The fund and project rules of 0004, for the lines of a statement that carry
-- a fund or a project: called by the line trigger, which passes them.
DROP TRIGGER voucher_line_funds ON voucher_line;
DROP FUNCTION voucher_line_funds();

CREATE FUNCTION voucher_line_funds(lines voucher_line[]) RETURNS void
LANGUAGE plpgsql SET search_path = cunji, pg_catalog SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	r record;
BEGIN
	WITH l AS MATERIALIZED (
		SELECT n.*, v.kind, v.number, v.external_id,
		       f.id AS fid, f.code AS fcode, f.name AS fname, f.kind AS fkind, f.status AS fstatus,
		       f.holding_account, f.allowed_accounts, f.forbidden_accounts,
		       f.allowed_categories, f.forbidden_categories,
		       p.id AS pid, p.code AS pcode, p.name AS pname, p.category, p.status AS pstatus,
		       (n.account_code LIKE '101%' OR n.account_code LIKE '102%') AS cash,
		       (f.id IS NOT NULL AND n.debit_fen > 0
		        AND NOT (n.account_code LIKE '101%' OR n.account_code LIKE '102%')
		        AND n.account_code NOT LIKE f.holding_account || '%') AS use
		  FROM unnest(lines) n
		  LEFT JOIN LATERAL (SELECT v.kind, v.number, v.external_id FROM voucher v
		                      WHERE v.village_id = n.village_id AND v.id = n.voucher_id LIMIT 1) v ON true
		  LEFT JOIN LATERAL (SELECT f.* FROM fund f
		                      WHERE f.village_id = n.village_id AND f.id = n.fund_id LIMIT 1) f ON true
		  LEFT JOIN LATERAL (SELECT p.* FROM project p
		                      WHERE p.village_id = n.village_id AND p.id = n.project_id LIMIT 1) p ON true
		 WHERE n.fund_id IS NOT NULL OR n.project_id IS NOT NULL),
	bad AS (
		SELECT CASE
		         WHEN fund_id IS NOT NULL AND fid IS NULL THEN 'no fund'
		         WHEN project_id IS NOT NULL AND pid IS NULL THEN 'no project'
		         WHEN use AND account_code LIKE ANY (SELECT x || '%' FROM unnest(forbidden_accounts) x)
		              THEN 'account forbidden'
		         WHEN use AND allowed_accounts IS NOT NULL AND NOT account_code LIKE ANY
		              (SELECT x || '%' FROM unnest(allowed_accounts) x) THEN 'account not allowed'
		         WHEN use AND pid IS NOT NULL AND category = ANY (forbidden_categories)
		              THEN 'category forbidden'
		         WHEN use AND allowed_categories IS NOT NULL AND pid IS NULL THEN 'needs project'
		         WHEN use AND allowed_categories IS NOT NULL AND NOT category = ANY (allowed_categories)
		              THEN 'category not allowed'
		         WHEN cash AND credit_fen > 0 AND fid IS NOT NULL AND fstatus <> 'open' THEN 'fund closed'
		         WHEN cash AND credit_fen > 0 AND pid IS NOT NULL AND pstatus = 'planned'
		              THEN 'project not started'
		         ELSE 'aid record' END AS problem, l.*
		  FROM l
		 WHERE (fund_id IS NOT NULL AND fid IS NULL) OR (project_id IS NOT NULL AND pid IS NULL)
		    OR (use AND (account_code LIKE ANY (SELECT x || '%' FROM unnest(forbidden_accounts) x)
		         OR (allowed_accounts IS NOT NULL AND NOT account_code LIKE ANY
		             (SELECT x || '%' FROM unnest(allowed_accounts) x))
		         OR (pid IS NOT NULL AND category = ANY (forbidden_categories))
		         OR (allowed_categories IS NOT NULL AND (pid IS NULL OR NOT category = ANY (allowed_categories)))))
		    OR (cash AND credit_fen > 0 AND fid IS NOT NULL AND fstatus <> 'open')
		    OR (cash AND credit_fen > 0 AND pid IS NOT NULL AND pstatus = 'planned')
		    -- an anti-risk payment out of the fund must be a recorded, reviewed aid
		    OR (cash AND credit_fen > 0 AND fkind = '防返贫基金' AND NOT EXISTS (
		          SELECT 1 FROM aid_payment a
		           WHERE a.village_id = l.village_id AND 'aid-' || a.id = l.external_id
		             AND a.fund_id = l.fund_id AND a.household_code = l.counterparty
		             AND a.amount_fen = l.credit_fen))
		 ORDER BY voucher_id, line_no
		 LIMIT 1)
	SELECT * INTO r FROM bad;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ020',
			MESSAGE = format('village %s: voucher %s-%s line %s: ', village_code(r.village_id),
			                 to_char(r.period, 'YYYY-MM'), r.number, r.line_no) || CASE r.problem
			WHEN 'no fund' THEN format('fund id %s does not exist in this village', r.fund_id)
			WHEN 'no project' THEN format('project id %s does not exist in this village', r.project_id)
			WHEN 'account forbidden' THEN format('fund %s %s may not be spent on account %s (negative list: %s)',
			                                     r.fcode, r.fname, r.account_code, r.forbidden_accounts)
			WHEN 'account not allowed' THEN format('fund %s %s may not be spent on account %s (allowed: %s)',
			                                       r.fcode, r.fname, r.account_code,
			                                       coalesce(nullif(array_to_string(r.allowed_accounts, ','), ''),
			                                                'none but its own aid payments'))
			WHEN 'category forbidden' THEN format('fund %s %s may not be spent on project %s, category %s, which is on its negative list',
			                                      r.fcode, r.fname, r.pcode, r.category)
			WHEN 'needs project' THEN format('spending from fund %s %s must name a project (allowed categories: %s)',
			                                 r.fcode, r.fname, array_to_string(r.allowed_categories, ','))
			WHEN 'category not allowed' THEN format('fund %s %s may not be spent on project %s, category %s (allowed: %s)',
			                                        r.fcode, r.fname, r.pcode, r.category,
			                                        array_to_string(r.allowed_categories, ','))
			WHEN 'fund closed' THEN format('fund %s %s is %s and takes no new spending',
			                               r.fcode, r.fname, r.fstatus)
			WHEN 'project not started' THEN format('project %s %s has not started; it cannot be paid yet',
			                                       r.pcode, r.pname)
			ELSE format('payment out of anti-risk fund %s %s needs its aid record (cunji aid pay)',
			            r.fcode, r.fname) END;
	END IF;

	-- Money in and out per fund and per project; refuse what goes past a limit.
	WITH m AS (
		SELECT n.village_id, n.fund_id, n.project_id,
		       CASE WHEN n.account_code LIKE '101%' OR n.account_code LIKE '102%'
		            THEN n.debit_fen ELSE 0 END AS cash_in,
		       CASE WHEN n.account_code LIKE '101%' OR n.account_code LIKE '102%'
		            THEN n.credit_fen ELSE 0 END AS cash_out
		  FROM unnest(lines) n WHERE n.fund_id IS NOT NULL OR n.project_id IS NOT NULL),
	ft AS (
		INSERT INTO fund_total AS t (village_id, fund_id, received_fen, spent_fen)
		SELECT village_id, fund_id, sum(cash_in), sum(cash_out) FROM m
		 WHERE fund_id IS NOT NULL GROUP BY 1, 2
		ON CONFLICT (village_id, fund_id) DO UPDATE
		   SET received_fen = t.received_fen + EXCLUDED.received_fen,
		       spent_fen = t.spent_fen + EXCLUDED.spent_fen
		RETURNING t.*),
	pt AS (
		INSERT INTO project_total AS t (village_id, project_id, spent_fen)
		SELECT village_id, project_id, sum(cash_out) FROM m
		 WHERE project_id IS NOT NULL GROUP BY 1, 2
		ON CONFLICT (village_id, project_id) DO UPDATE SET spent_fen = t.spent_fen + EXCLUDED.spent_fen
		RETURNING t.*),
	d AS (
		SELECT village_id, fund_id, project_id, sum(cash_out) AS delta FROM m GROUP BY 1, 2, 3)
	SELECT * INTO r FROM (
		(SELECT 'overspent' AS problem, f.village_id, f.code, f.name, ft.received_fen AS a,
		        ft.spent_fen AS b, f.granted_fen AS c,
		        (SELECT sum(delta) FROM d WHERE d.village_id = ft.village_id AND d.fund_id = ft.fund_id)::bigint AS delta
		   FROM ft JOIN fund f ON f.village_id = ft.village_id AND f.id = ft.fund_id
		  WHERE ft.spent_fen > ft.received_fen OR ft.received_fen > f.granted_fen
		  LIMIT 1)
		UNION ALL
		(SELECT 'over budget', p.village_id, p.code, p.name, pt.budget_fen, pt.spent_fen, 0,
		        (SELECT sum(delta) FROM d WHERE d.village_id = pt.village_id AND d.project_id = pt.project_id)::bigint
		   FROM pt JOIN project p ON p.village_id = pt.village_id AND p.id = pt.project_id
		  WHERE pt.spent_fen > pt.budget_fen
		  LIMIT 1)
		LIMIT 1) x;
	IF NOT FOUND THEN
		RETURN;
	ELSIF r.problem = 'over budget' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ021',
			MESSAGE = format('village %s: project %s %s: paying %s would bring its spending to %s, past its budget of %s; %s left',
			                 village_code(r.village_id), r.code, r.name, fen_text(r.delta), fen_text(r.b),
			                 fen_text(r.a), fen_text(r.a - (r.b - r.delta)));
	ELSIF r.a > r.c THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ020',
			MESSAGE = format('village %s: fund %s %s: receipts would total %s, more than the %s granted',
			                 village_code(r.village_id), r.code, r.name, fen_text(r.a), fen_text(r.c));
	ELSE
		RAISE EXCEPTION USING ERRCODE = 'CJ020',
			MESSAGE = format('village %s: fund %s %s would be overspent: spending %s with %s left (received %s, spent %s before this)',
			                 village_code(r.village_id), r.code, r.name, fen_text(r.delta),
			                 fen_text(r.a - (r.b - r.delta)), fen_text(r.a), fen_text(r.b - r.delta));
	END IF;
END $$;

-- ---------------------------------------------------------------------------
-- The checks of each INSERT into voucher (0010), with the messages in a
-- function of their own.  voucher_refuse raises the refusal of the first
-- village and month that breaks a rule, r being the row the check found.
CREATE FUNCTION voucher_refuse(r record) RETURNS void
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF r.start_period IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('organisation id %s keeps no books', r.village_id);
	ELSIF NOT r.tx_ok THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ003',
			MESSAGE = 'voucher.tx must be the inserting transaction (leave it to its default)';
	ELSIF r.period < r.start_period THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = format('village %s: voucher dated %s is before the books start (%s)',
			                 village_code(r.village_id), r.voucher_date,
			                 to_char(r.start_period, 'YYYY-MM'));
	ELSIF r.closed THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = format('village %s: period %s is closed; voucher dated %s refused',
			                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'),
			                 r.voucher_date);
	ELSIF r.opening AND r.period <> r.start_period THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ005',
			MESSAGE = format('village %s: an opening voucher (期初余额) belongs in the books'' first month, %s, not in %s',
			                 village_code(r.village_id), to_char(r.start_period, 'YYYY-MM'),
			                 to_char(r.period, 'YYYY-MM'));
	ELSIF r.bad_closing IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ006',
			MESSAGE = format('village %s: a closing voucher dated %s; closing vouchers are dated 31 December and come only from the year-end close (cunji year close)',
			                 village_code(r.village_id), r.bad_closing);
	ELSIF r.hi > r.counter THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ008',
			MESSAGE = format('village %s: voucher number %s-%s was not reserved (voucher_counter is at %s)',
			                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'), r.hi,
			                 r.counter);
	ELSE
		RAISE EXCEPTION USING ERRCODE = 'CJ008',
			MESSAGE = format('village %s: voucher numbers of %s run on without a gap; after number %s this statement has %s vouchers numbered %s to %s',
			                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'),
			                 r.before, r.n, r.lo, r.hi);
	END IF;
END $$;

CREATE OR REPLACE FUNCTION voucher_after_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog SET enable_sort = off SET enable_seqscan = off
	SET jit = off
AS $$
DECLARE
	r record;
	cnt record;
BEGIN
	-- Shared per village, in village order: a period close waits until these
	-- postings end.  A statement of its own, so that the checks below see any
	-- close that committed before the lock was granted.  It counts the
	-- vouchers, which must all have their lines by COMMIT (voucher_pending).
	WITH k AS (
		SELECT coalesce(sum(k.n), 0) AS n, coalesce(sum(k.reversals), 0) AS reversals,
		       coalesce(sum(k.closing), 0) AS closing
		  FROM (SELECT village_id, count(*) AS n, count(reverses_id) AS reversals,
		               count(*) FILTER (WHERE kind = 'closing') AS closing
		          FROM new_rows GROUP BY village_id ORDER BY village_id) k
		 CROSS JOIN LATERAL pg_advisory_xact_lock_shared(village_lock_key(), k.village_id) l),
	p AS (
		INSERT INTO voucher_pending AS p (tx, vouchers, completed)
		SELECT txid_current(), n, 0 FROM k WHERE n > 0
		ON CONFLICT (tx) DO UPDATE SET vouchers = p.vouchers + EXCLUDED.vouchers)
	SELECT * INTO cnt FROM k;

	-- The books, month, year and numbers of each village and month.
	SELECT k.*, b.start_period, (p.closed OR f.year IS NOT NULL) AS closed,
	       coalesce(c.last_number, 0) AS counter, coalesce(x.number, 0) AS before INTO r
	  FROM (SELECT village_id, period, min(voucher_date) AS voucher_date,
	               bool_and(tx = txid_current()) AS tx_ok, count(*) AS n,
	               min(number) AS lo, max(number) AS hi,
	               bool_or(kind = 'opening') AS opening,
	               min(voucher_date) FILTER (WHERE kind = 'closing'
	                   AND (extract(month FROM voucher_date) <> 12
	                        OR extract(day FROM voucher_date) <> 31)) AS bad_closing
	          FROM new_rows GROUP BY village_id, period) k
	  LEFT JOIN LATERAL (SELECT b.village_id, b.start_period FROM village_books b
	                      WHERE b.village_id = k.village_id LIMIT 1) b ON true
	  LEFT JOIN LATERAL (SELECT p.closed FROM period_state p
	                      WHERE p.village_id = k.village_id AND p.period = k.period LIMIT 1) p ON true
	  LEFT JOIN LATERAL (SELECT f.year FROM fiscal_year f WHERE f.village_id = k.village_id
	                        AND f.year = extract(year FROM k.period)::integer LIMIT 1) f ON true
	  LEFT JOIN LATERAL (SELECT c.last_number FROM voucher_counter c
	                      WHERE c.village_id = k.village_id AND c.period = k.period LIMIT 1) c ON true
	  LEFT JOIN LATERAL (SELECT v.number FROM voucher v
	                      WHERE v.village_id = k.village_id AND v.period = k.period
	                        AND v.number < k.lo
	                      ORDER BY v.number DESC LIMIT 1) x ON true
	 WHERE b.village_id IS NULL OR NOT k.tx_ok OR k.period < b.start_period OR p.closed
	    OR f.year IS NOT NULL
	    OR (k.opening AND k.period <> b.start_period) OR k.bad_closing IS NOT NULL
	    OR k.hi > coalesce(c.last_number, 0) OR k.lo < 1 OR k.hi - k.lo + 1 <> k.n
	    OR coalesce(x.number, 0) <> k.lo - 1
	 LIMIT 1;
	IF FOUND THEN
		PERFORM voucher_refuse(r);
	END IF;

	-- A reversal voids a voucher of its village, and never a reversal or a
	-- closing voucher.
	IF cnt.reversals > 0 THEN
		SELECT n.village_id, n.reverses_id, o.kind AS orig_kind INTO r
		  FROM new_rows n
		  LEFT JOIN LATERAL (SELECT o.id, o.kind FROM voucher o
		                      WHERE o.village_id = n.village_id AND o.id >= n.reverses_id
		                      ORDER BY o.id LIMIT 1) o ON o.id = n.reverses_id
		 WHERE n.reverses_id IS NOT NULL AND (o.kind IS NULL OR o.kind IN ('reversal', 'closing'))
		 LIMIT 1;
		IF FOUND AND r.orig_kind IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ003',
				MESSAGE = format('village %s: voucher id %s, which a reversal voids, does not exist in the village',
				                 village_code(r.village_id), r.reverses_id);
		ELSIF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ003',
				MESSAGE = format('village %s: a %s voucher cannot be voided',
				                 village_code(r.village_id), r.orig_kind);
		END IF;
	END IF;

	-- Closing vouchers: the year must be closed by COMMIT (commit_check_run).
	IF cnt.closing > 0 THEN
		INSERT INTO commit_check_item (tx, what, village_id, code, period)
		SELECT DISTINCT txid_current(), 'closing', village_id, '', period
		  FROM new_rows WHERE kind = 'closing'
		ON CONFLICT DO NOTHING;
		INSERT INTO commit_check VALUES (txid_current()) ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;

-- ---------------------------------------------------------------------------
-- The lines of each INSERT statement.  The refusal of a line statement: the
-- details for the message, from the one voucher or account named (0009's
-- queries, over the statement's lines passed as an array), then the RAISE.
CREATE FUNCTION voucher_line_refuse(bad_voucher bigint[], bad_village integer, bad_account text,
                                    account_exists boolean, account_leaf boolean,
                                    bad_lines bigint[], lines voucher_line[])
RETURNS void
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	e record;
BEGIN
	IF bad_voucher IS NOT NULL THEN
		SELECT CASE WHEN x.id IS NULL OR x.tx <> txid_current() THEN 'posted'
		            WHEN k.p1 <> x.period OR k.p2 <> x.period THEN 'period'
		            ELSE 'red' END AS problem,
		       k.village_id, k.voucher_id, x.period, x.number, k.red AS line_no, ''::text AS account_code,
		       NULL::text AS name, NULL::bigint AS n, NULL::numeric AS d, NULL::numeric AS c INTO e
		  FROM (SELECT bad_voucher[1]::integer AS village_id, bad_voucher[2] AS voucher_id,
		               min(l.period) AS p1, max(l.period) AS p2,
		               min(l.line_no) FILTER (WHERE l.debit_fen < 0 OR l.credit_fen < 0) AS red
		          FROM unnest(lines) l
		         WHERE l.village_id = bad_voucher[1] AND l.voucher_id = bad_voucher[2]) k
		  LEFT JOIN LATERAL (SELECT v.id, v.tx, v.period, v.number FROM voucher v
		                      WHERE v.village_id = k.village_id AND v.id >= k.voucher_id
		                      ORDER BY v.id LIMIT 1) x ON x.id = k.voucher_id;
	ELSIF bad_village IS NOT NULL THEN
		-- the first line that uses the account
		SELECT CASE WHEN NOT account_exists THEN 'no account' WHEN NOT account_leaf THEN 'not leaf'
		            ELSE 'inactive' END AS problem,
		       bad_village AS village_id, NULL::bigint AS voucher_id, n.period, x.number,
		       n.line_no, bad_account AS account_code, y.name, NULL::bigint AS n, NULL::numeric AS d,
		       NULL::numeric AS c INTO e
		  FROM (SELECT l.voucher_id, l.line_no, l.period FROM unnest(lines) l
		         WHERE l.village_id = bad_village AND l.account_code = bad_account
		         ORDER BY l.voucher_id, l.line_no LIMIT 1) n
		  LEFT JOIN LATERAL (SELECT v.id, v.number FROM voucher v
		                      WHERE v.village_id = bad_village AND v.id >= n.voucher_id
		                      ORDER BY v.id LIMIT 1) x ON x.id = n.voucher_id
		  LEFT JOIN LATERAL (SELECT a.name FROM account a
		                      WHERE a.village_id = bad_village AND a.code = bad_account LIMIT 1) y ON true;
	ELSE
		SELECT CASE WHEN k.first <> 1 THEN 'split' WHEN k.n < 2 THEN 'few'
		            WHEN k.d <> k.c THEN 'unbalanced' ELSE 'mirror' END AS problem,
		       k.village_id, k.voucher_id, x.period, x.number, NULL::smallint AS line_no,
		       ''::text AS account_code, NULL::text AS name, k.n, k.d, k.c INTO e
		  FROM (SELECT bad_lines[1]::integer AS village_id, bad_lines[2] AS voucher_id,
		               min(l.line_no) AS first, count(*) AS n, sum(l.debit_fen) AS d,
		               sum(l.credit_fen) AS c
		          FROM unnest(lines) l
		         WHERE l.village_id = bad_lines[1] AND l.voucher_id = bad_lines[2]) k
		  LEFT JOIN LATERAL (SELECT v.id, v.period, v.number FROM voucher v
		                      WHERE v.village_id = k.village_id AND v.id >= k.voucher_id
		                      ORDER BY v.id LIMIT 1) x ON x.id = k.voucher_id;
	END IF;
	RAISE EXCEPTION USING
		ERRCODE = CASE e.problem WHEN 'posted' THEN 'CJ003' WHEN 'period' THEN 'CJ003'
		                         WHEN 'mirror' THEN 'CJ003' WHEN 'split' THEN 'CJ003'
		                         WHEN 'no account' THEN 'CJ004' WHEN 'not leaf' THEN 'CJ004'
		                         WHEN 'inactive' THEN 'CJ004' ELSE 'CJ002' END,
		MESSAGE = format('village %s: ', village_code(e.village_id)) || CASE e.problem
		WHEN 'posted' THEN format('lines cannot be added to voucher id %s: a posted voucher is never changed',
		                          e.voucher_id)
		WHEN 'period' THEN 'voucher_line.period must equal its voucher''s period'
		WHEN 'no account' THEN format('voucher %s-%s line %s: account %s does not exist',
		                              to_char(e.period, 'YYYY-MM'), e.number, e.line_no, e.account_code)
		WHEN 'not leaf' THEN format('voucher %s-%s line %s: account %s %s has sub-accounts; post to one of them',
		                            to_char(e.period, 'YYYY-MM'), e.number, e.line_no, e.account_code, e.name)
		WHEN 'inactive' THEN format('voucher %s-%s line %s: account %s %s is inactive',
		                            to_char(e.period, 'YYYY-MM'), e.number, e.line_no, e.account_code, e.name)
		WHEN 'red' THEN format('voucher %s-%s line %s: negative (red) amounts belong only on reversals',
		                       to_char(e.period, 'YYYY-MM'), e.number, e.line_no)
		WHEN 'split' THEN format('voucher %s-%s: its lines must be inserted together, with line 1',
		                         to_char(e.period, 'YYYY-MM'), e.number)
		WHEN 'few' THEN format('voucher %s-%s has %s line(s); a voucher needs at least two',
		                       to_char(e.period, 'YYYY-MM'), e.number, e.n)
		WHEN 'unbalanced' THEN format('voucher %s-%s is unbalanced: debits %s, credits %s (fen)',
		                              to_char(e.period, 'YYYY-MM'), e.number, e.d, e.c)
		ELSE format('reversal %s-%s does not mirror the voucher it voids',
		            to_char(e.period, 'YYYY-MM'), e.number) END;
END $$;

-- The rules of 0009 (see the comment there; the same query, the same order
-- of problems), and with them:
--   * the yearly totals (account_year_total) added beside the monthly ones;
--   * the vouchers always from a range scan of voucher's primary key (0009
--     probed one by one unless 32 or more had dense ids): for a voucher
--     alone the range is its id;
--   * a reversal's mirror checked by a statement of its own, run only when
--     the statement has a reversal;
--   * cash and bank: the month-end balances, from the first month this
--     statement takes money out of an account on (out_*), read right after
--     the totals; only an account in credit at some month-end is handed to
--     the commit-time check, where a later statement may have put it right
--     and the vouchers' reasons are looked at (commit_check_run);
--   * the fund and project rules (voucher_line_funds) for the lines that
--     carry a fund or a project.
CREATE OR REPLACE FUNCTION voucher_line_after_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog SET enable_sort = off SET enable_seqscan = off
	SET jit = off SET plan_cache_mode = force_generic_plan
AS $$
DECLARE
	r record;
	m record;
BEGIN
	WITH t AS MATERIALIZED (
		-- each village, account and month: the accounts to look up, the totals
		-- to add, and the statement's vouchers (their ids; line 1s, one each)
		SELECT village_id, account_code, period,
		       fen_sum(debit_fen) AS d, fen_sum(credit_fen) AS c,
		       min(voucher_id) AS lo, max(voucher_id) AS hi,
		       count(*) FILTER (WHERE line_no = 1) AS firsts,
		       bool_or(credit_fen > 0 OR debit_fen < 0) AS takes_out,
		       bool_or(fund_id IS NOT NULL OR project_id IS NOT NULL) AS funds
		  FROM new_rows GROUP BY village_id, account_code, period),
	s AS MATERIALIZED (
		-- the statement's vouchers: how many, their villages and id range
		SELECT coalesce(sum(firsts), 0)::bigint AS n, min(lo) AS lo, max(hi) AS hi,
		       array_agg(DISTINCT village_id) AS villages FROM t),
	g AS (
		-- each voucher (and month) the statement touches, from its lines alone
		SELECT village_id, voucher_id, period, min(line_no) AS first, count(*) AS n,
		       fen_sum(debit_fen) AS d, fen_sum(credit_fen) AS c,
		       min(least(debit_fen, credit_fen)) AS lo
		  FROM new_rows GROUP BY village_id, voucher_id, period),
	v AS (
		-- the vouchers from one range scan of voucher's primary key over the
		-- statement's villages and ids, hash-joined: a probe for a voucher
		-- posted alone, a scan of the ids drawn for a batch (they are dense).  A
		-- FULL join cannot be a nested loop whatever the estimates; vouchers of
		-- the range without lines here come out with a NULL voucher_id.
		SELECT g.*, x.id AS vid, x.tx, x.period AS vperiod, x.kind, x.reverses_id
		  FROM g
		  FULL JOIN (SELECT v.village_id, v.id, v.tx, v.period, v.kind, v.reverses_id
		               FROM voucher v
		              WHERE v.village_id = ANY ((SELECT villages FROM s)::integer[])
		                AND v.id BETWEEN (SELECT lo FROM s) AND (SELECT hi FROM s)
		              ORDER BY v.village_id, v.id) x
		    ON x.village_id = g.village_id AND x.id = g.voucher_id),
	c AS MATERIALIZED (
		-- one pass: opening vouchers?  reversals?  the first voucher of each
		-- class of problem
		SELECT coalesce(bool_or(kind = 'opening') FILTER (WHERE voucher_id IS NOT NULL), false)
		         AS opening,
		       min(ARRAY[village_id, voucher_id]) FILTER (WHERE voucher_id IS NOT NULL
		         AND (vid IS NULL OR tx <> txid_current() OR period <> vperiod
		              OR (lo < 0 AND kind <> 'reversal'))) AS bad_voucher,
		       min(ARRAY[village_id, voucher_id]) FILTER (WHERE voucher_id IS NOT NULL
		         AND (first <> 1 OR n < 2 OR d <> c)) AS bad_lines,
		       count(*) FILTER (WHERE voucher_id IS NOT NULL AND kind = 'reversal') AS reversals
		  FROM v),
	a AS MATERIALIZED (
		-- the first account, once per village, that does not take postings
		SELECT k.village_id, k.account_code, a.code, a.is_leaf, a.active
		  FROM (SELECT DISTINCT village_id, account_code FROM t) k
		  LEFT JOIN LATERAL (SELECT a.code, a.is_leaf, a.active FROM account a
		                      WHERE a.village_id = k.village_id AND a.code = k.account_code
		                      LIMIT 1) a ON true
		 WHERE a.code IS NULL OR NOT a.is_leaf OR NOT a.active
		 LIMIT 1),
	ok AS MATERIALIZED (
		SELECT bad_voucher IS NULL AND bad_lines IS NULL AND NOT EXISTS (SELECT 1 FROM a) AS ok,
		       opening
		  FROM c),
	totals AS (
		-- the per-period totals the trial balance reads, if all is well (the
		-- opening part below, when the statement has an opening voucher)
		INSERT INTO account_period_total AS p
		       (village_id, account_code, period, debit_fen, credit_fen,
		        opening_debit_fen, opening_credit_fen)
		SELECT village_id, account_code, period, d, c, 0, 0 FROM t
		 WHERE (SELECT ok AND NOT opening FROM ok)
		ON CONFLICT (village_id, account_code, period) DO UPDATE
		   SET debit_fen = p.debit_fen + EXCLUDED.debit_fen,
		       credit_fen = p.credit_fen + EXCLUDED.credit_fen),
	years AS (
		-- and per year
		INSERT INTO account_year_total AS y (village_id, account_code, year, debit_fen, credit_fen)
		SELECT village_id, account_code, extract(year FROM period)::integer, fen_sum(d), fen_sum(c)
		  FROM t
		 WHERE (SELECT ok FROM ok)
		 GROUP BY 1, 2, 3
		ON CONFLICT (village_id, year, account_code) DO UPDATE
		   SET debit_fen = y.debit_fen + EXCLUDED.debit_fen,
		       credit_fen = y.credit_fen + EXCLUDED.credit_fen)
	SELECT c.*, (SELECT n FROM s) AS vouchers, a.village_id AS a_village, a.account_code,
	       a.code AS acode, a.is_leaf, (SELECT bool_or(funds) FROM t) AS funds,
	       o.out_village, o.out_code, o.out_first INTO r
	  FROM c
	  LEFT JOIN a ON true
	 CROSS JOIN (SELECT array_agg(village_id) AS out_village, array_agg(account_code) AS out_code,
	                    array_agg(first) AS out_first
	               FROM (SELECT village_id, account_code, min(period) AS first FROM t
	                      WHERE takes_out AND account_code >= '101' AND account_code < '103'
	                      GROUP BY village_id, account_code) x) o;

	IF r.bad_voucher IS NOT NULL OR r.a_village IS NOT NULL OR r.bad_lines IS NOT NULL THEN
		PERFORM voucher_line_refuse(r.bad_voucher, r.a_village, r.account_code, r.acode IS NOT NULL,
		                            r.is_leaf, r.bad_lines,
		                            ARRAY(SELECT n::voucher_line FROM new_rows n));
	END IF;

	-- a reversal mirrors the voucher it voids: the same accounts and sides,
	-- the amounts negated
	IF r.reversals > 0 THEN
		SELECT x.village_id, x.voucher_id INTO m
		  FROM (SELECT DISTINCT village_id, voucher_id FROM new_rows) k
		  JOIN LATERAL (SELECT v.village_id, v.id AS voucher_id, v.reverses_id FROM voucher v
		                 WHERE v.village_id = k.village_id AND v.id >= k.voucher_id
		                 ORDER BY v.id LIMIT 1) x ON x.voucher_id = k.voucher_id AND x.reverses_id IS NOT NULL
		 WHERE EXISTS (
		        (SELECT o.account_code, -o.debit_fen, -o.credit_fen FROM voucher_line o
		          WHERE o.village_id = x.village_id AND o.voucher_id = x.reverses_id
		         EXCEPT ALL
		         SELECT l.account_code, l.debit_fen, l.credit_fen FROM voucher_line l
		          WHERE l.village_id = x.village_id AND l.voucher_id = x.voucher_id)
		        UNION ALL
		        (SELECT l.account_code, l.debit_fen, l.credit_fen FROM voucher_line l
		          WHERE l.village_id = x.village_id AND l.voucher_id = x.voucher_id
		         EXCEPT ALL
		         SELECT o.account_code, -o.debit_fen, -o.credit_fen FROM voucher_line o
		          WHERE o.village_id = x.village_id AND o.voucher_id = x.reverses_id))
		 ORDER BY x.village_id, x.voucher_id
		 LIMIT 1;
		IF FOUND THEN
			PERFORM voucher_line_refuse(NULL, NULL, NULL, NULL, NULL,
			                            ARRAY[m.village_id, m.voucher_id]::bigint[],
			                            ARRAY(SELECT n::voucher_line FROM new_rows n));
		END IF;
	END IF;

	IF r.vouchers > 0 THEN
		-- these vouchers have their lines (voucher_needs_lines)
		UPDATE voucher_pending SET completed = completed + r.vouchers WHERE tx = txid_current();
	END IF;
	IF r.opening THEN
		-- the totals with their opening part, which needs each line's voucher
		WITH o AS MATERIALIZED (
			SELECT k.village_id, k.voucher_id
			  FROM (SELECT DISTINCT village_id, voucher_id FROM new_rows) k
			  JOIN LATERAL (SELECT v.id, v.kind FROM voucher v WHERE v.village_id = k.village_id
			                   AND v.id >= k.voucher_id ORDER BY v.id LIMIT 1) v
			    ON v.id = k.voucher_id AND v.kind = 'opening')
		INSERT INTO account_period_total AS t
		       (village_id, account_code, period, debit_fen, credit_fen,
		        opening_debit_fen, opening_credit_fen)
		SELECT n.village_id, n.account_code, n.period, sum(n.debit_fen), sum(n.credit_fen),
		       coalesce(sum(n.debit_fen) FILTER (WHERE o.voucher_id IS NOT NULL), 0),
		       coalesce(sum(n.credit_fen) FILTER (WHERE o.voucher_id IS NOT NULL), 0)
		  FROM new_rows n
		  LEFT JOIN o ON o.village_id = n.village_id AND o.voucher_id = n.voucher_id
		 GROUP BY 1, 2, 3
		ON CONFLICT (village_id, account_code, period) DO UPDATE
		   SET debit_fen = t.debit_fen + EXCLUDED.debit_fen,
		       credit_fen = t.credit_fen + EXCLUDED.credit_fen,
		       opening_debit_fen = t.opening_debit_fen + EXCLUDED.opening_debit_fen,
		       opening_credit_fen = t.opening_credit_fen + EXCLUDED.opening_credit_fen;
	END IF;

	-- cash and bank the statement took money out of: any month-end in credit
	-- from then on goes to the check at COMMIT
	IF r.out_village IS NOT NULL THEN
		INSERT INTO commit_check_item (tx, what, village_id, code, period)
		SELECT txid_current(), 'cash', x.village_id, x.code, x.first
		  FROM unnest(r.out_village, r.out_code, r.out_first) AS x(village_id, code, first)
		 WHERE EXISTS (SELECT 1
		                 FROM (SELECT t.period,
		                              sum(t.debit_fen - t.credit_fen) OVER (ORDER BY t.period) AS balance
		                         FROM account_period_total t
		                        WHERE t.village_id = x.village_id AND t.account_code = x.code) b
		                WHERE b.period >= x.first AND b.balance < 0)
		ON CONFLICT DO NOTHING;
		IF FOUND THEN
			INSERT INTO commit_check VALUES (txid_current()) ON CONFLICT DO NOTHING;
		END IF;
	END IF;

	IF r.funds THEN
		PERFORM voucher_line_funds(ARRAY(SELECT n::voucher_line FROM new_rows n
		                                  WHERE n.fund_id IS NOT NULL OR n.project_id IS NOT NULL));
	END IF;
	RETURN NULL;
END $$;

-- ---------------------------------------------------------------------------
-- Months (0010), with the lock named.
CREATE OR REPLACE FUNCTION period_state_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	m text;
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = 'period_state cannot be truncated: closed months stay closed until reopened one by one';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = 'period states cannot be deleted; reopen the period instead';
	END IF;
	IF TG_OP = 'UPDATE' AND (NEW.village_id <> OLD.village_id OR NEW.period <> OLD.period) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001', MESSAGE = 'a period state cannot be moved';
	END IF;
	-- Exclusive per village: waits for postings in flight (they hold it shared).
	PERFORM pg_advisory_xact_lock(village_lock_key(), NEW.village_id);
	IF NOT NEW.closed AND EXISTS (SELECT 1 FROM fiscal_year WHERE village_id = NEW.village_id
	                              AND year = extract(year FROM NEW.period)) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = format('village %s: year %s is closed; period %s cannot be reopened',
			                 village_code(NEW.village_id), extract(year FROM NEW.period),
			                 to_char(NEW.period, 'YYYY-MM'));
	END IF;
	IF NEW.closed AND (TG_OP = 'INSERT' OR NOT OLD.closed) THEN
		SELECT to_char(g, 'YYYY-MM') INTO m
		  FROM village_books b,
		       generate_series(b.start_period, NEW.period - interval '1 month', interval '1 month') g
		 WHERE b.village_id = NEW.village_id
		   AND NOT EXISTS (SELECT 1 FROM period_state p WHERE p.village_id = NEW.village_id
		                      AND p.period = g AND p.closed)
		 ORDER BY g LIMIT 1;
		IF m IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ001',
				MESSAGE = format('village %s: period %s cannot be closed while %s is open; months close in order',
				                 village_code(NEW.village_id), to_char(NEW.period, 'YYYY-MM'), m);
		END IF;
	ELSIF NOT NEW.closed AND (TG_OP = 'INSERT' OR OLD.closed) THEN
		IF btrim(coalesce(current_setting('cunji.reason', true), '')) = '' THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ001',
				MESSAGE = format('village %s: reopening period %s needs a reason (cunji.reason), which is recorded',
				                 village_code(NEW.village_id), to_char(NEW.period, 'YYYY-MM'));
		END IF;
		SELECT to_char(max(p.period), 'YYYY-MM') INTO m FROM period_state p
		 WHERE p.village_id = NEW.village_id AND p.period > NEW.period AND p.closed;
		IF m IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ001',
				MESSAGE = format('village %s: period %s cannot be reopened while %s is closed; reopen from the latest month back',
				                 village_code(NEW.village_id), to_char(NEW.period, 'YYYY-MM'), m);
		END IF;
	END IF;
	NEW.changed_at := now();
	RETURN NEW;
END $$;
