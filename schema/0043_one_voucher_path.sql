-- 0043_one_voucher_path.sql - a statement that writes one voucher plans little (issue 19)
--
-- A fresh backend (every `cunji post` process) parses and plans each
-- trigger statement on the way of its first voucher; the two set-based
-- statements of voucher_after_insert and the one of voucher_line_after_insert
-- (ten CTEs, two upserts) were about 19 M of its 49 M instructions
-- (docs/performance.md, "Issue 19", "0043").  Each trigger now first reads
-- its transition table row by row and stops at the second voucher: a
-- statement that wrote one voucher (or one voucher's lines) takes small
-- statements, each a probe or two of a primary key, that decide only "all
-- well"; anything else, and every statement of a bulk import, takes the
-- set-based statements of 0037 unchanged.  The one-voucher checks are
-- stricter than or equal to the set-based ones and, when they doubt, the
-- set-based statement runs and refuses: the rules, SQLSTATEs and messages
-- are those of 0037, from the same code.
-- Not touched: the hash chain (voucher_chain), the draft triggers.
SET search_path = cunji, pg_catalog;

CREATE OR REPLACE FUNCTION voucher_after_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp
SET enable_sort = off SET enable_seqscan = off SET jit = off AS $$
DECLARE
	r record;
	cnt record;
	k text;
	nv voucher;
	nrows integer := 0;
	all_well boolean := false;
	n_reversals bigint;
	n_closing bigint;
	is_forged boolean;
	is_drafted boolean;
	is_undrafted boolean;
BEGIN
	-- Who may post here (0015's voucher_access, folded in by 0037): an admin
	-- login or a superuser anything; any other login only in its villages and
	-- only the kinds of voucher its kind writes (voucher_scope_check).  The
	-- admin's case, the common one, is one probe of app_login: pg_roles and
	-- the scope query are planned only for the others (PL/pgSQL plans a
	-- condition whole, hence the nested IFs).
	k := (SELECT a.kind FROM app_login a WHERE a.login = session_user AND a.disabled_at IS NULL);
	IF k IS DISTINCT FROM 'admin' THEN
		IF NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) THEN
			PERFORM voucher_scope_check(k, ARRAY(SELECT DISTINCT n.village_id FROM new_rows n),
			                            ARRAY(SELECT DISTINCT n.kind FROM new_rows n));
		END IF;
	END IF;

	-- One voucher or more?  (a bulk statement stops at its second row)
	FOR nv IN SELECT * FROM new_rows LOOP
		nrows := nrows + 1;
		EXIT WHEN nrows > 1;
	END LOOP;

	IF nrows = 1 THEN
		-- One voucher: the same lock, count and path as below, from the row.
		PERFORM pg_advisory_xact_lock_shared(village_lock_key(), nv.village_id);
		INSERT INTO voucher_pending AS p (tx, vouchers, completed) VALUES (txid_current(), 1, 0)
		ON CONFLICT (tx) DO UPDATE SET vouchers = p.vouchers + 1;
		n_reversals := CASE WHEN nv.reverses_id IS NULL THEN 0 ELSE 1 END;
		n_closing := CASE WHEN nv.kind = 'closing' THEN 1 ELSE 0 END;
		is_forged := nv.posted_by IS DISTINCT FROM session_user::text
		          OR nv.posted_at IS DISTINCT FROM now()
		          OR (nv.draft_id IS NULL AND (nv.prepared_by IS DISTINCT FROM session_user
		                                       OR nv.reviewed_by IS NOT NULL
		                                       OR nv.reviewed_at IS NOT NULL));
		is_drafted := nv.draft_id IS NOT NULL;
		is_undrafted := nv.draft_id IS NULL AND nv.kind <> 'closing';
		-- Its books, month, year and number all well (after the lock, as
		-- below); anything else goes to the set-based statement, which names it.
		SELECT nv.tx = txid_current() AND nv.number >= 1 AND b.start_period <= nv.period
		       AND (nv.kind <> 'opening' OR nv.period = b.start_period)
		       AND (nv.kind <> 'closing' OR to_char(nv.voucher_date, 'MMDD') = '1231')
		       AND nv.number <= (SELECT c.last_number FROM voucher_counter c
		                          WHERE c.village_id = nv.village_id AND c.period = nv.period)
		       AND (SELECT x.number FROM voucher x
		             WHERE x.village_id = nv.village_id AND x.period = nv.period
		               AND x.number < nv.number
		             ORDER BY x.number DESC LIMIT 1) IS NOT DISTINCT FROM
		           CASE WHEN nv.number > 1 THEN nv.number - 1 END
		       AND (SELECT p.closed FROM period_state p
		             WHERE p.village_id = nv.village_id AND p.period = nv.period) IS NOT TRUE
		       AND NOT EXISTS (SELECT 1 FROM fiscal_year f WHERE f.village_id = nv.village_id
		                          AND f.year = extract(year FROM nv.period)::integer)
		  INTO all_well
		  FROM village_books b WHERE b.village_id = nv.village_id;
	ELSE
		-- Shared per village, in village order: a period close waits until
		-- these postings end.  A statement of its own, so that the checks
		-- below see any close that committed before the lock was granted.
		-- It counts the vouchers, which must all have their lines by COMMIT
		-- (voucher_pending), and looks at who and when (the voucher's path).
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
		n_reversals := cnt.reversals;
		n_closing := cnt.closing;
		is_forged := cnt.forged;
		is_drafted := cnt.drafted;
		is_undrafted := cnt.undrafted;
	END IF;

	IF all_well IS NOT TRUE THEN
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
	END IF;

	-- A reversal voids a voucher of its village, and never a reversal or a
	-- closing voucher.
	IF n_reversals > 0 THEN
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
	IF n_closing > 0 THEN
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
	IF is_forged OR (is_drafted AND NOT posting_drafts()) THEN
		IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
			PERFORM voucher_path_refuse(ARRAY(SELECT n::voucher FROM new_rows n), is_forged);
		END IF;
	END IF;
	-- where review is required, nothing skips it; asked once per village
	-- (a filter on the rows would be pushed down to each), and only when
	-- some county or township requires it at all (nested: the setting's
	-- query is planned only for a voucher without a draft)
	IF is_undrafted THEN
		IF EXISTS (SELECT 1 FROM setting WHERE key = 'review_required' AND value = 'true') THEN
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
	END IF;
	RETURN NULL;
END $$;

-- 0037's line trigger with a path for one voucher's lines.
CREATE OR REPLACE FUNCTION voucher_line_after_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp
SET enable_sort = off SET enable_seqscan = off SET jit = off
SET plan_cache_mode = force_generic_plan AS $$
DECLARE
	r record;
	m record;
	each_line voucher_line;
	first_line voucher_line;
	nlines integer := 0;
	all_well boolean := true;
	dsum bigint := 0;
	csum bigint := 0;
	first_no integer;
	has_red boolean := false;
	n_vouchers bigint;
	has_opening boolean;
	has_funds boolean := false;
	cash_village integer[];
	cash_code text[];
	cash_first date[];
	in_credit boolean;
BEGIN
	-- One voucher's lines, or more?  (a bulk statement stops at its second
	-- voucher)  Each line's account is probed on the way.
	FOR each_line IN SELECT * FROM new_rows LOOP
		IF nlines = 0 THEN
			first_line := each_line;
		ELSIF each_line.voucher_id <> first_line.voucher_id OR each_line.village_id <> first_line.village_id THEN
			nlines := -1;
			EXIT;
		END IF;
		nlines := nlines + 1;
		all_well := all_well AND each_line.period = first_line.period
		      AND coalesce((SELECT a.is_leaf AND a.active FROM account a
		                     WHERE a.village_id = each_line.village_id AND a.code = each_line.account_code), false);
		dsum := dsum + each_line.debit_fen;
		csum := csum + each_line.credit_fen;
		first_no := least(first_no, each_line.line_no);
		has_red := has_red OR each_line.debit_fen < 0 OR each_line.credit_fen < 0;
		has_funds := has_funds OR each_line.fund_id IS NOT NULL OR each_line.project_id IS NOT NULL;
		IF (each_line.credit_fen > 0 OR each_line.debit_fen < 0) AND each_line.account_code >= '101' AND each_line.account_code < '103'
		   AND each_line.account_code <> ALL (coalesce(cash_code, '{}')) THEN
			cash_code := cash_code || each_line.account_code;
		END IF;
	END LOOP;

	IF nlines > 0 THEN
		-- One voucher's lines: all well when its voucher is this
		-- transaction's, of their month, a normal or closing one (reversals and
		-- opening vouchers take the set-based path), the lines from 1, two or
		-- more, balanced, without red amounts, on leaf accounts in use.
		-- Anything else goes to the set-based statement, which names it.
		all_well := all_well AND NOT has_red AND first_no = 1 AND nlines >= 2 AND dsum = csum
		      AND coalesce((SELECT v.tx = txid_current() AND v.period = first_line.period
		                           AND v.kind IN ('normal', 'closing')
		                      FROM voucher v
		                     WHERE v.village_id = first_line.village_id AND v.id = first_line.voucher_id), false);
	ELSE
		all_well := false;
	END IF;

	IF all_well THEN
		-- the per-period and per-year totals the trial balance reads
		INSERT INTO account_period_total AS p
		       (village_id, account_code, period, debit_fen, credit_fen,
		        opening_debit_fen, opening_credit_fen)
		SELECT n.village_id, n.account_code, n.period, fen_sum(n.debit_fen), fen_sum(n.credit_fen), 0, 0
		  FROM new_rows n GROUP BY 1, 2, 3
		ON CONFLICT (village_id, account_code, period) DO UPDATE
		   SET debit_fen = p.debit_fen + EXCLUDED.debit_fen,
		       credit_fen = p.credit_fen + EXCLUDED.credit_fen;
		INSERT INTO account_year_total AS y (village_id, account_code, year, debit_fen, credit_fen)
		SELECT n.village_id, n.account_code, extract(year FROM n.period)::integer,
		       fen_sum(n.debit_fen), fen_sum(n.credit_fen)
		  FROM new_rows n GROUP BY 1, 2, 3
		ON CONFLICT (village_id, year, account_code) DO UPDATE
		   SET debit_fen = y.debit_fen + EXCLUDED.debit_fen,
		       credit_fen = y.credit_fen + EXCLUDED.credit_fen;
		n_vouchers := 1;
		has_opening := false;
		IF cash_code IS NOT NULL THEN
			cash_village := array_fill(first_line.village_id, ARRAY[cardinality(cash_code)]);
			cash_first := array_fill(first_line.period, ARRAY[cardinality(cash_code)]);
		END IF;
	ELSE
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

		n_vouchers := r.vouchers;
		has_opening := r.opening;
		has_funds := r.funds;
		cash_village := r.out_village;
		cash_code := r.out_code;
		cash_first := r.out_first;

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
	END IF;

	IF n_vouchers > 0 THEN
		-- these vouchers have their lines (voucher_needs_lines)
		UPDATE voucher_pending SET completed = completed + n_vouchers WHERE tx = txid_current();
	END IF;
	IF has_opening THEN
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
	-- (asked first: the INSERT below is planned only the first time one is;
	-- nested: the question is planned only when money went out)
	IF cash_village IS NOT NULL THEN
		in_credit := EXISTS (
			SELECT 1 FROM unnest(cash_village, cash_code, cash_first) AS x(village_id, code, first)
			 WHERE EXISTS (SELECT 1
			                 FROM (SELECT t.period,
			                              sum(t.debit_fen - t.credit_fen) OVER (ORDER BY t.period) AS balance
			                         FROM account_period_total t
			                        WHERE t.village_id = x.village_id AND t.account_code = x.code) b
			                WHERE b.period >= x.first AND b.balance < 0));
		IF in_credit THEN
			INSERT INTO commit_check_item (tx, what, village_id, code, period)
			SELECT txid_current(), 'cash', x.village_id, x.code, x.first
			  FROM unnest(cash_village, cash_code, cash_first) AS x(village_id, code, first)
			 WHERE EXISTS (SELECT 1
			                 FROM (SELECT t.period,
			                              sum(t.debit_fen - t.credit_fen) OVER (ORDER BY t.period) AS balance
			                         FROM account_period_total t
			                        WHERE t.village_id = x.village_id AND t.account_code = x.code) b
			                WHERE b.period >= x.first AND b.balance < 0)
			ON CONFLICT DO NOTHING;
			INSERT INTO commit_check VALUES (txid_current()) ON CONFLICT DO NOTHING;
		END IF;
	END IF;

	IF has_funds THEN
		PERFORM voucher_line_funds(ARRAY(SELECT n::voucher_line FROM new_rows n
		                                  WHERE n.fund_id IS NOT NULL OR n.project_id IS NOT NULL));
	END IF;
	RETURN NULL;
END $$;


-- An audit record's canonical content (0021), the same text, in PL/pgSQL:
-- as an SQL function with a SET clause it could not be inlined, and every
-- audit row (audit_row's PERFORM chain_append(..., audit_content(a)), a new
-- executor each time) parsed and planned its body again: 0.3-0.65 ms a row,
-- most of a village's set-up (its chart, about 50 accounts, is audited row
-- by row; docs/performance.md, "0043").  PL/pgSQL keeps the plan per backend.
CREATE OR REPLACE FUNCTION audit_content(a audit_log) RETURNS text
LANGUAGE plpgsql IMMUTABLE SET search_path = cunji, pg_catalog AS $$
BEGIN
	RETURN hash_num(a.id) || hash_num((extract(epoch FROM a.at) * 1000000)::bigint)
	    || hash_field(a.login) || hash_field(a.tbl) || hash_field(a.op)
	    || hash_field(a.row_key::text) || hash_field(a.old::text) || hash_field(a.new::text);
END $$;
