-- 0037_lean_first_posting.sql - a fresh backend's first posting does less (issue 19)
--
-- The same rules, SQLSTATEs and messages as before (docs/performance.md,
-- "0037"); what a first posting no longer parses and plans:
--   * voucher_access (0015's voucher_who_may, a trigger function of its own
--     that read pg_roles for every statement) is folded into
--     voucher_after_insert: one trigger function fewer to compile and call,
--     and for an admin login one probe of app_login; pg_roles and the scope
--     query only for other logins;
--   * voucher_after_insert's who-and-when refusal plans its pg_roles query
--     only when there is something to forgive (PL/pgSQL plans a condition
--     whole, even when its first part is false);
--   * the line trigger's cash and bank check asks first (a SELECT through
--     the kept totals) and writes the commit check's item only when a
--     month-end would be in credit: the usual payment plans no INSERT ... ON
--     CONFLICT into commit_check_item (the same rows are written when one is);
--   * voucher_pending_check at COMMIT is one DELETE ... RETURNING instead of a
--     SELECT and a DELETE.
-- The hash chain's trigger (voucher_chain) and the draft path are not
-- touched.
SET search_path = cunji, pg_catalog;

DROP TRIGGER voucher_access ON voucher;
DROP FUNCTION voucher_who_may();

-- 0015's voucher_who_may as a function of the statement's villages and
-- kinds, which voucher_after_insert calls for a login that is not an admin:
-- the same refusals (42501), the same messages.
CREATE FUNCTION voucher_scope_check(k text, villages integer[], kinds text[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
DECLARE
	mine integer[] := my_villages();
	r record;
BEGIN
	-- every village with every kind: a kind's refusal does not depend on
	-- the village, so this refuses exactly what the pairs of the statement
	-- would; a village out of scope is named first
	SELECT v.village_id, n.kind, v.village_id <> ALL (mine) AS outside INTO r
	  FROM unnest(villages) v(village_id) CROSS JOIN unnest(kinds) n(kind)
	 WHERE v.village_id <> ALL (mine)
	    OR k IS NULL
	    OR (k = 'reviewer' AND n.kind <> 'closing')
	    OR (k = 'bookkeeper' AND n.kind = 'closing')
	    OR (k = 'cashier' AND n.kind NOT IN ('normal', 'reversal'))
	    OR k IN ('inspector', 'board')
	 ORDER BY v.village_id <> ALL (mine) DESC
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = CASE WHEN r.outside OR k IS NULL
			THEN format('login %s may not post in village %s: it is not in its scope',
				    session_user, village_code(r.village_id))
			ELSE format('login %s (%s) may not post a voucher of kind %s', session_user, k,
				    r.kind) END;
	END IF;
END $$;

-- 0025's function with 0015's voucher_who_may at its start.
CREATE OR REPLACE FUNCTION voucher_after_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp
SET enable_sort = off SET enable_seqscan = off SET jit = off AS $$
DECLARE
	r record;
	cnt record;
	k text;
BEGIN
	-- Who may post here (0015's voucher_access, folded in): an admin login or a
	-- superuser anything; any other login only in its villages and only the
	-- kinds of voucher its kind writes (voucher_scope_check).  The admin's
	-- case, the common one, is one probe of app_login: pg_roles and the scope
	-- query are planned only for the others (PL/pgSQL plans a condition whole,
	-- hence the nested IFs).
	k := (SELECT a.kind FROM app_login a WHERE a.login = session_user AND a.disabled_at IS NULL);
	IF k IS DISTINCT FROM 'admin' THEN
		IF NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) THEN
			PERFORM voucher_scope_check(k, ARRAY(SELECT DISTINCT n.village_id FROM new_rows n),
			                            ARRAY(SELECT DISTINCT n.kind FROM new_rows n));
		END IF;
	END IF;

	-- Shared per village, in village order: a period close waits until these
	-- postings end.  A statement of its own, so that the checks below see any
	-- close that committed before the lock was granted.  It counts the
	-- vouchers, which must all have their lines by COMMIT (voucher_pending),
	-- and looks at who and when (the voucher's path).
	WITH k AS (
		SELECT coalesce(sum(k.n), 0) AS n, coalesce(sum(k.reversals), 0) AS reversals,
		       coalesce(sum(k.closing), 0) AS closing, coalesce(bool_or(k.forged), false) AS forged,
		       coalesce(bool_or(k.drafted), false) AS drafted,
		       coalesce(bool_or(k.undrafted), false) AS undrafted
		  FROM (SELECT village_id, count(*) AS n, count(reverses_id) AS reversals,
		               count(*) FILTER (WHERE kind = 'closing') AS closing,
		               bool_or(posted_by IS DISTINCT FROM session_user::text
		                       OR posted_at IS DISTINCT FROM now()
		                       OR (draft_id IS NULL AND (prepared_by IS DISTINCT FROM session_user
		                                                 OR reviewed_by IS NOT NULL
		                                                 OR reviewed_at IS NOT NULL))) AS forged,
		               bool_or(draft_id IS NOT NULL) AS drafted,
		               bool_or(draft_id IS NULL AND kind <> 'closing') AS undrafted
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

	-- The voucher's path (0016).  Who and when are the session's and the
	-- transaction's, a review only from a draft, a draft only from
	-- post_drafts(); not for a superuser, who could switch any trigger off
	-- (pg_roles is read only when there is something to forgive).  A login
	-- may not name posted_by or posted_at at all (42501, 0015's column
	-- privileges).
	-- (two IFs: a condition is planned whole, pg_roles and all, even when its
	-- first part is false)
	IF cnt.forged OR (cnt.drafted AND NOT posting_drafts()) THEN
		IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
			PERFORM voucher_path_refuse(ARRAY(SELECT n::voucher FROM new_rows n), cnt.forged);
		END IF;
	END IF;
	-- where review is required, nothing skips it; asked once per village
	-- (a filter on the rows would be pushed down to each), and only when
	-- some county or township requires it at all
	IF cnt.undrafted
	   AND EXISTS (SELECT 1 FROM setting WHERE key = 'review_required' AND value = 'true') THEN
		SELECT k.v AS village_id INTO r
		  FROM unnest(ARRAY(SELECT DISTINCT village_id FROM new_rows
		                     WHERE draft_id IS NULL AND kind <> 'closing')) k(v)
		 WHERE review_required(k.v)
		 LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ053',
				MESSAGE = format('village %s requires review: a voucher is saved as a draft, reviewed by another login and then posted (cunji voucher review, cunji voucher post)',
				                 village_code(r.village_id));
		END IF;
	END IF;
	RETURN NULL;
END $$;

-- 0014's line trigger (as 0025 left it) with the cash check split.
CREATE OR REPLACE FUNCTION voucher_line_after_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp
SET enable_sort = off SET enable_seqscan = off SET jit = off
SET plan_cache_mode = force_generic_plan AS $$
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
	-- (asked first: the INSERT below is planned only the first time one is)
	IF r.out_village IS NOT NULL AND EXISTS (
		SELECT 1 FROM unnest(r.out_village, r.out_code, r.out_first) AS x(village_id, code, first)
		 WHERE EXISTS (SELECT 1
		                 FROM (SELECT t.period,
		                              sum(t.debit_fen - t.credit_fen) OVER (ORDER BY t.period) AS balance
		                         FROM account_period_total t
		                        WHERE t.village_id = x.village_id AND t.account_code = x.code) b
		                WHERE b.period >= x.first AND b.balance < 0)) THEN
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
		INSERT INTO commit_check VALUES (txid_current()) ON CONFLICT DO NOTHING;
	END IF;

	IF r.funds THEN
		PERFORM voucher_line_funds(ARRAY(SELECT n::voucher_line FROM new_rows n
		                                  WHERE n.fund_id IS NOT NULL OR n.project_id IS NOT NULL));
	END IF;
	RETURN NULL;
END $$;

-- Every voucher of the transaction has its lines: one statement.
CREATE OR REPLACE FUNCTION voucher_pending_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	r record;
BEGIN
	DELETE FROM voucher_pending WHERE tx = NEW.tx RETURNING vouchers, completed INTO r;
	IF FOUND AND r.vouchers <> r.completed THEN
		-- a client error: find which one (a scan of this transaction's vouchers)
		SELECT v.village_id, v.period, v.number INTO r FROM voucher v
		 WHERE v.tx = NEW.tx
		   AND NOT EXISTS (SELECT 1 FROM voucher_line l WHERE l.village_id = v.village_id
		                      AND l.voucher_id = v.id AND l.line_no = 1)
		 LIMIT 1;
		RAISE EXCEPTION USING ERRCODE = 'CJ002',
			MESSAGE = format('village %s: voucher %s-%s has no lines (voucher_needs_lines)',
			                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'), r.number);
	END IF;
	RETURN NULL;
END $$;
