-- 0010_guards.sql - what the database accepted that it must not
--
--   * an opening voucher (期初余额) only in the books' first month, a closing
--     voucher (结转) only from the year-end close: dated 31 December, on
--     profit-and-loss and 本年收益/收益分配 accounts only, with the year
--     recorded as closed (fiscal_year) in the same transaction, which in
--     turn needs every profit-and-loss balance of the year at zero;
--   * a line carries at most 10^13 fen (千亿元, docs/money.md);
--   * voucher numbers run 1, 2, 3 ... per village and month without a gap,
--     and voucher_counter says how far: no row of it is deleted, truncated or
--     moved back, every voucher's number was reserved there, and at COMMIT
--     the counter equals the highest number (nothing reserved and unused);
--   * period_state cannot be truncated; months close in order and reopen
--     from the latest back, with a reason;
--   * cash and bank (101, 102 and their sub-accounts) never end a month in
--     credit, unless every voucher of the transaction that takes money out of
--     the account records why (voucher.negative_cash_reason);
--   * a dividend declared must be covered by the collective's own cash
--     (own_cash(): cash and bank less short-term borrowing, unspent earmarked
--     money and dividends declared and unpaid); a dividend paid by bank goes
--     to a household with a bank account on record;
--   * no village-owned table can be truncated;
--   * posted_is_final() refused with 42703 (it named a field the other table
--     lacks) instead of its own CJ003.
-- Each refusal has its own SQLSTATE; docs/schema.md has the table.
SET search_path = cunji, pg_catalog;

-- ---------------------------------------------------------------------------
-- Posted data is final: one branch per table, so that PL/pgSQL never reads
-- a field the row does not have.
CREATE OR REPLACE FUNCTION posted_is_final() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	vid bigint;
BEGIN
	IF TG_LEVEL = 'STATEMENT' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ003',
			MESSAGE = format('%s cannot be truncated: posted vouchers are final', TG_TABLE_NAME);
	END IF;
	IF TG_TABLE_NAME = 'voucher' THEN
		vid := OLD.id;
	ELSE
		vid := OLD.voucher_id;
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'CJ003',
		MESSAGE = format('village %s: posted voucher id %s cannot be changed or deleted; void it with a red reversal (cunji void)',
		                 village_code(OLD.village_id), vid);
END $$;

-- No village-owned table is emptied by TRUNCATE (it skips the row triggers).
CREATE FUNCTION no_truncate() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'CJ003',
		MESSAGE = format('%s cannot be truncated: the books keep their history', TG_TABLE_NAME);
END $$;
CREATE TRIGGER org_no_truncate BEFORE TRUNCATE ON org
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();
CREATE TRIGGER chart_template_no_truncate BEFORE TRUNCATE ON chart_template
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();
CREATE TRIGGER village_books_no_truncate BEFORE TRUNCATE ON village_books
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();
CREATE TRIGGER account_no_truncate BEFORE TRUNCATE ON account
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();
CREATE TRIGGER fund_allocation_no_truncate BEFORE TRUNCATE ON fund_allocation
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();
CREATE TRIGGER fund_no_truncate BEFORE TRUNCATE ON fund
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();
CREATE TRIGGER project_no_truncate BEFORE TRUNCATE ON project
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();
CREATE TRIGGER project_budget_no_truncate BEFORE TRUNCATE ON project_budget
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();
CREATE TRIGGER project_payment_no_truncate BEFORE TRUNCATE ON project_payment
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();
CREATE TRIGGER aid_rule_no_truncate BEFORE TRUNCATE ON aid_rule
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();
CREATE TRIGGER aid_payment_no_truncate BEFORE TRUNCATE ON aid_payment
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();
CREATE TRIGGER dividend_plan_no_truncate BEFORE TRUNCATE ON dividend_plan
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();
CREATE TRIGGER dividend_line_no_truncate BEFORE TRUNCATE ON dividend_line
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();

-- ---------------------------------------------------------------------------
-- The largest amount a line may carry: 10^13 fen, 千亿元 (docs/money.md).  A
-- CHECK, so that COPY keeps its batched inserts; the function only runs for
-- a line over the limit, and raises the ledger's own SQLSTATE.
CREATE FUNCTION line_amount_too_large(vill integer, vid bigint, line smallint, d bigint, c bigint)
RETURNS boolean
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'CJ007',
		MESSAGE = format('village %s: voucher id %s line %s: %s yuan is more than a line may carry (%s yuan)',
		                 village_code(vill), vid, line,
		                 fen_text(CASE WHEN d <> 0 THEN d ELSE c END), fen_text(10000000000000));
END $$;
ALTER TABLE voucher_line ADD CONSTRAINT voucher_line_amount_limit
	CHECK ((debit_fen BETWEEN -10000000000000 AND 10000000000000
	        AND credit_fen BETWEEN -10000000000000 AND 10000000000000)
	       OR line_amount_too_large(village_id, voucher_id, line_no, debit_fen, credit_fen));

-- ---------------------------------------------------------------------------
-- Checks that run once at COMMIT, over what the transaction did: each
-- transaction that needs them has a row in commit_check (whose deferred
-- trigger runs them) and its items in commit_check_item:
--   closing  a village's December with closing vouchers of the transaction;
--   counter  a voucher_counter row it changed;
--   cash     a cash or bank account (code) whose credits grew, or debits
--            shrank, in the month (period) or later.
-- Both tables are unlogged and hold rows only inside their transaction.
CREATE UNLOGGED TABLE commit_check (
	tx bigint PRIMARY KEY
);
CREATE UNLOGGED TABLE commit_check_item (
	tx         bigint NOT NULL,
	what       text NOT NULL CHECK (what IN ('closing', 'counter', 'cash')),
	village_id integer NOT NULL,
	code       text NOT NULL,
	period     date NOT NULL,
	PRIMARY KEY (tx, what, village_id, code, period)
);

-- Rows leave only through commit_check_run (depth 2 and more).
CREATE FUNCTION commit_check_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF pg_trigger_depth() < 2 THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ003',
			MESSAGE = format('%s is kept by the ledger; it cannot be changed by hand', TG_TABLE_NAME);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER commit_check_guard BEFORE UPDATE OR DELETE OR TRUNCATE ON commit_check
	FOR EACH STATEMENT EXECUTE FUNCTION commit_check_guard();
CREATE TRIGGER commit_check_item_guard BEFORE UPDATE OR DELETE OR TRUNCATE ON commit_check_item
	FOR EACH STATEMENT EXECUTE FUNCTION commit_check_guard();

-- What the collective may spend as its own in a village up to the end of a
-- month: cash and bank (101, 102) less short-term borrowing (201, when in
-- credit), less the money of earmarked funds still unspent (cash and bank
-- lines tagged with a fund whose income is not distributable), less
-- dividends declared and not yet paid.  Dividends are paid from this only
-- (严禁举债分配, docs/schema.md).
CREATE FUNCTION own_cash(vill integer, upto date)
RETURNS TABLE (cash_fen bigint, borrowing_fen bigint, earmarked_fen bigint,
               unpaid_dividends_fen bigint, own_fen bigint)
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	WITH t AS (
		SELECT coalesce(sum(debit_fen - credit_fen) FILTER (WHERE account_code < '103'
		                    AND account_code >= '101'), 0)::bigint AS cash,
		       greatest(coalesce(sum(credit_fen - debit_fen) FILTER (WHERE account_code LIKE '201%'), 0),
		                0)::bigint AS borrowing
		  FROM account_period_total
		 WHERE village_id = vill AND period <= upto),
	e AS (
		SELECT greatest(coalesce(sum(l.debit_fen - l.credit_fen), 0), 0)::bigint AS earmarked
		  FROM voucher_line l
		  JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id
		  JOIN fund_kind k ON k.name = f.kind AND NOT k.distributable
		 WHERE l.village_id = vill AND l.period <= upto AND l.fund_id IS NOT NULL
		   AND l.account_code >= '101' AND l.account_code < '103'),
	d AS (
		SELECT coalesce(sum(amount_fen), 0)::bigint AS unpaid FROM dividend_line
		 WHERE village_id = vill AND paid_voucher_id IS NULL)
	SELECT t.cash, t.borrowing, e.earmarked, d.unpaid, t.cash - t.borrowing - e.earmarked - d.unpaid
	  FROM t, e, d
$$;

CREATE FUNCTION commit_check_run() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog SET enable_seqscan = off SET jit = off AS $$
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

	-- voucher numbers: the counter equals the highest number of its month
	SELECT i.village_id, i.period, c.last_number, n.number INTO r
	  FROM (SELECT DISTINCT village_id, period FROM commit_check_item
	         WHERE tx = NEW.tx AND what = 'counter') i
	  LEFT JOIN voucher_counter c ON c.village_id = i.village_id AND c.period = i.period
	  LEFT JOIN LATERAL (SELECT v.number FROM voucher v WHERE v.village_id = i.village_id
	                        AND v.period = i.period ORDER BY v.number DESC LIMIT 1) n ON true
	 WHERE coalesce(c.last_number, 0) <> coalesce(n.number, 0)
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ008',
			MESSAGE = format('village %s: voucher_counter for %s is at %s but the last voucher is number %s; numbers are reserved only for the vouchers posted with them',
			                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'),
			                 coalesce(r.last_number, 0), coalesce(r.number, 0));
	END IF;

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
CREATE CONSTRAINT TRIGGER commit_check_run AFTER INSERT ON commit_check
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION commit_check_run();

-- ---------------------------------------------------------------------------
-- Cash and bank: which accounts a statement takes money out of.  The kept
-- totals say it without a look at the lines: a statement over
-- account_period_total touches a few rows per village, account and month.
ALTER TABLE voucher ADD COLUMN negative_cash_reason text
	CHECK (btrim(negative_cash_reason) <> '' AND negative_cash_reason !~ '[[:cntrl:]]');
COMMENT ON COLUMN voucher.negative_cash_reason IS
	'why this voucher may leave cash or bank (101, 102) in credit at a month end; NULL: it may not';

CREATE FUNCTION totals_cash_watch() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		INSERT INTO commit_check_item (tx, what, village_id, code, period)
		SELECT DISTINCT txid_current(), 'cash', n.village_id, n.account_code, n.period
		  FROM new_rows n
		 WHERE n.account_code >= '101' AND n.account_code < '103'
		   AND (n.credit_fen > 0 OR n.debit_fen < 0)
		ON CONFLICT DO NOTHING;
	ELSE
		INSERT INTO commit_check_item (tx, what, village_id, code, period)
		SELECT DISTINCT txid_current(), 'cash', n.village_id, n.account_code, n.period
		  FROM new_rows n
		  JOIN old_rows o ON o.village_id = n.village_id AND o.account_code = n.account_code
		                 AND o.period = n.period
		 WHERE n.account_code >= '101' AND n.account_code < '103'
		   AND (n.credit_fen > o.credit_fen OR n.debit_fen < o.debit_fen)
		ON CONFLICT DO NOTHING;
	END IF;
	IF FOUND THEN
		INSERT INTO commit_check VALUES (txid_current()) ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER totals_cash_inserted AFTER INSERT ON account_period_total
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION totals_cash_watch();
CREATE TRIGGER totals_cash_updated AFTER UPDATE ON account_period_total
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION totals_cash_watch();

-- ---------------------------------------------------------------------------
-- Voucher numbers.  The counter only goes up and keeps its rows; the months
-- it changed are checked at COMMIT (commit_check_run).
CREATE FUNCTION voucher_counter_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ008',
			MESSAGE = 'voucher_counter rows cannot be deleted: a month''s numbers would be handed out twice';
	END IF;
	IF NEW.village_id <> OLD.village_id OR NEW.period <> OLD.period
	   OR NEW.last_number < OLD.last_number THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ008',
			MESSAGE = format('village %s: voucher_counter for %s only goes up (from %s, not to %s)',
			                 village_code(OLD.village_id), to_char(OLD.period, 'YYYY-MM'),
			                 OLD.last_number, NEW.last_number);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER voucher_counter_guard BEFORE UPDATE OR DELETE ON voucher_counter
	FOR EACH ROW EXECUTE FUNCTION voucher_counter_guard();
CREATE TRIGGER voucher_counter_no_truncate BEFORE TRUNCATE ON voucher_counter
	FOR EACH STATEMENT EXECUTE FUNCTION voucher_counter_guard();

CREATE FUNCTION voucher_counter_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	INSERT INTO commit_check_item (tx, what, village_id, code, period)
	SELECT txid_current(), 'counter', village_id, '', period FROM new_rows
	ON CONFLICT DO NOTHING;
	IF FOUND THEN
		INSERT INTO commit_check VALUES (txid_current()) ON CONFLICT DO NOTHING;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER voucher_counter_inserted AFTER INSERT ON voucher_counter
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION voucher_counter_changed();
CREATE TRIGGER voucher_counter_updated AFTER UPDATE ON voucher_counter
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION voucher_counter_changed();

-- The gaps and jams `cunji check` reports, per village and month: numbers
-- missing below the highest, and a counter that differs from the highest
-- number (behind it: the next posting would collide; ahead: a gap).
CREATE FUNCTION voucher_number_problems()
RETURNS TABLE (village_id integer, period date, last_number integer, vouchers bigint,
               highest integer, missing integer[])
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	WITH v AS (
		SELECT village_id, period, count(*) AS n, max(number) AS hi, min(number) AS lo
		  FROM voucher GROUP BY 1, 2),
	k AS (
		SELECT coalesce(v.village_id, c.village_id) AS village_id,
		       coalesce(v.period, c.period) AS period, c.last_number,
		       coalesce(v.n, 0) AS n, coalesce(v.hi, 0) AS hi, coalesce(v.lo, 1) AS lo
		  FROM v FULL JOIN voucher_counter c ON c.village_id = v.village_id AND c.period = v.period)
	SELECT k.village_id, k.period, k.last_number, k.n, k.hi,
	       CASE WHEN k.n < k.hi OR k.lo < 1 THEN
	            (SELECT array_agg(s ORDER BY s) FROM (
	                SELECT s FROM generate_series(1, k.hi) s
	                 WHERE NOT EXISTS (SELECT 1 FROM voucher x WHERE x.village_id = k.village_id
	                                      AND x.period = k.period AND x.number = s)
	                 LIMIT 20) m)
	            ELSE '{}' END
	  FROM k
	 WHERE k.n < k.hi OR k.lo < 1 OR k.last_number IS DISTINCT FROM k.hi
	 ORDER BY 1, 2
$$;

-- ---------------------------------------------------------------------------
-- The checks of each INSERT into voucher (0009), and with them: the kinds
-- (opening in the books' first month; closing dated 31 December, checked at
-- COMMIT), and the numbers of each village and month in the statement: they
-- were reserved (not above the counter) and continue the month's numbers
-- without a gap (the first follows the highest already there, and they are
-- consecutive).  One more probe per village and month, none per voucher.
CREATE OR REPLACE FUNCTION voucher_after_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog SET enable_sort = off SET enable_seqscan = off
	SET jit = off
AS $$
DECLARE
	r record;
	n bigint;
	reversals bigint;
	closing bigint;
BEGIN
	-- Shared per village: a period close waits until these postings end.  A
	-- statement of its own, so that the checks below see any close that
	-- committed before the lock was granted.
	SELECT coalesce(sum(k.n), 0), coalesce(sum(k.reversals), 0), coalesce(sum(k.closing), 0)
	  INTO n, reversals, closing
	  FROM (SELECT village_id, count(*) AS n, count(reverses_id) AS reversals,
	               count(*) FILTER (WHERE kind = 'closing') AS closing
	          FROM new_rows GROUP BY village_id ORDER BY village_id) k
	 CROSS JOIN LATERAL pg_advisory_xact_lock_shared(4242, k.village_id) l;

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
	END IF;

	-- A reversal voids a voucher of its village, and never a reversal or a
	-- closing voucher.
	IF reversals > 0 THEN
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
	IF closing > 0 THEN
		INSERT INTO commit_check_item (tx, what, village_id, code, period)
		SELECT DISTINCT txid_current(), 'closing', village_id, '', period
		  FROM new_rows WHERE kind = 'closing'
		ON CONFLICT DO NOTHING;
		INSERT INTO commit_check VALUES (txid_current()) ON CONFLICT DO NOTHING;
	END IF;

	-- Every voucher must have its lines by COMMIT (voucher_pending, 0007).
	IF n > 0 THEN
		INSERT INTO voucher_pending AS p (tx, vouchers, completed)
		VALUES (txid_current(), n, 0)
		ON CONFLICT (tx) DO UPDATE SET vouchers = p.vouchers + EXCLUDED.vouchers;
	END IF;
	RETURN NULL;
END $$;

-- ---------------------------------------------------------------------------
-- A year is closed (fiscal_year) by the transaction that posts its closing
-- vouchers, and only with every profit-and-loss balance, 本年收益 and 各项分配
-- at zero through 31 December.  tx is always the inserting transaction.
ALTER TABLE fiscal_year ADD COLUMN tx bigint;

CREATE FUNCTION fiscal_year_close() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	r record;
BEGIN
	NEW.tx := txid_current();
	SELECT a.code, a.name, sum(t.debit_fen - t.credit_fen) AS balance INTO r
	  FROM account_period_total t
	  JOIN account a ON a.village_id = t.village_id AND a.code = t.account_code
	 WHERE t.village_id = NEW.village_id AND t.period < make_date(NEW.year + 1, 1, 1)
	   AND (a.category IN ('income', 'expense') OR a.code LIKE '321%' OR a.code LIKE '322002%')
	 GROUP BY a.code, a.name
	HAVING sum(t.debit_fen - t.credit_fen) <> 0
	 ORDER BY a.code LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ006',
			MESSAGE = format('village %s: year %s cannot be closed while account %s %s has a balance of %s yuan; the year-end close (cunji year close) carries it over first',
			                 village_code(NEW.village_id), NEW.year, r.code, r.name,
			                 fen_text(r.balance::bigint));
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER fiscal_year_close BEFORE INSERT ON fiscal_year
	FOR EACH ROW EXECUTE FUNCTION fiscal_year_close();

-- ---------------------------------------------------------------------------
-- Months: TRUNCATE would reopen every month at once; months close in order
-- and reopen from the latest back, a reopening with its reason (0001 kept
-- the rest: no deletes, no moves, a closed year's months stay closed).
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
	PERFORM pg_advisory_xact_lock(4242, NEW.village_id);
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
CREATE TRIGGER period_state_no_truncate BEFORE TRUNCATE ON period_state
	FOR EACH STATEMENT EXECUTE FUNCTION period_state_change();

-- ---------------------------------------------------------------------------
-- Dividends (0005), with: the households' part and the welfare set-aside are
-- covered by the collective's own cash at the end of the declaration's month
-- (own_cash()), so that nothing is paid from borrowing, from earmarked money
-- or from income not yet collected.
CREATE OR REPLACE FUNCTION dividend_plan_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	d record;
	o record;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = 'a dividend plan is final once declared; correct it by voiding its voucher and a new year''s plan';
	END IF;
	SELECT * INTO d FROM distributable_income(NEW.village_id, NEW.year);
	IF EXISTS (SELECT 1 FROM dividend_plan p WHERE p.village_id = NEW.village_id
	              AND p.year = NEW.year) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = format('village %s: the distribution for %s was already declared',
			                 village_code(NEW.village_id), NEW.year);
	ELSIF NEW.tx <> txid_current() THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = 'dividend_plan.tx must be the inserting transaction (leave it to its default)';
	ELSIF d.year_result_fen < 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = format('village %s: %s shows a loss of %s (earmarked income excluded); no dividends from a loss',
			                 village_code(NEW.village_id), NEW.year, fen_text(-d.year_result_fen));
	ELSIF d.distributable_fen <= 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = format('village %s: undistributed income for %s is %s; nothing may be distributed (no borrowing to pay dividends)',
			                 village_code(NEW.village_id), NEW.year, fen_text(d.distributable_fen));
	ELSIF NEW.distributable_fen <> d.distributable_fen THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = format('village %s: the plan says %s is distributable for %s; the books say %s',
			                 village_code(NEW.village_id), fen_text(NEW.distributable_fen), NEW.year,
			                 fen_text(d.distributable_fen));
	END IF;
	SELECT * INTO o FROM own_cash(NEW.village_id, date_trunc('month', NEW.declared_on)::date);
	IF NEW.households_fen + NEW.welfare_fen > o.own_fen THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ024',
			MESSAGE = format('village %s: the distribution for %s pays out %s but the collective''s own cash at the end of %s is %s (cash and bank %s, less short-term borrowing %s, unspent earmarked funds %s, dividends declared and unpaid %s); no dividends from borrowed, earmarked or uncollected money (严禁举债分配)',
			                 village_code(NEW.village_id), NEW.year,
			                 fen_text(NEW.households_fen + NEW.welfare_fen),
			                 to_char(NEW.declared_on, 'YYYY-MM'), fen_text(o.own_fen),
			                 fen_text(o.cash_fen), fen_text(o.borrowing_fen),
			                 fen_text(o.earmarked_fen), fen_text(o.unpaid_dividends_fen));
	END IF;
	RETURN NEW;
END $$;

-- Lines of a plan (0005), with: a payment through the bank (102) goes to a
-- household whose bank account is on record.
CREATE OR REPLACE FUNCTION dividend_line_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		IF NOT EXISTS (SELECT 1 FROM dividend_plan p WHERE p.village_id = NEW.village_id
		                  AND p.year = NEW.year AND p.tx = txid_current()) THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ023',
				MESSAGE = format('dividend plan %s is already declared; households cannot be added', NEW.year);
		END IF;
		RETURN NEW;
	END IF;
	IF TG_OP = 'DELETE' OR OLD.paid_voucher_id IS NOT NULL OR NEW.paid_voucher_id IS NULL
	   OR (to_jsonb(NEW) - 'paid_voucher_id') <> (to_jsonb(OLD) - 'paid_voucher_id') THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = format('dividend of household %s for %s: only its payment is recorded, once',
			                 OLD.household_code, OLD.year);
	END IF;
	IF EXISTS (SELECT 1 FROM voucher_line l WHERE l.village_id = NEW.village_id
	              AND l.voucher_id = NEW.paid_voucher_id AND l.account_code LIKE '102%')
	   AND NOT EXISTS (SELECT 1 FROM household h WHERE h.village_id = NEW.village_id
	                      AND h.code = NEW.household_code AND btrim(h.bank_account) <> '') THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ025',
			MESSAGE = format('village %s: household %s has no bank account on record; its %s dividend cannot be paid by bank',
			                 village_code(NEW.village_id), NEW.household_code, NEW.year);
	END IF;
	RETURN NEW;
END $$;
