-- 0009_lean_lines.sql - cheaper inserts of many vouchers and lines
--
-- A county's year (225,000 vouchers, 675,000 lines) is imported in COPY
-- statements of some tens of thousands of lines, and the statement triggers
-- are then the database's checks.  This migration makes those inserts
-- cheaper without changing a rule (the same checks, SQLSTATEs and messages as
-- 0007; docs/schema.md says more):
--   * the index voucher_line_account (village_id, account_code, period) goes:
--     every reader of voucher_line asks for one village, which the primary
--     key (village_id, voucher_id, line_no) serves, and the index cost about
--     0.9 s per county-year of lines;
--   * voucher.external_id compares bytewise (COLLATE "C"): its unique index
--     no longer calls strcoll, and a range such as external_id >= '2025-03/'
--     AND external_id < '2025-030' holds exactly the ids of a month whatever
--     the server's locale;
--   * the line trigger matches a statement's vouchers with one range scan of
--     voucher's primary key when their ids are dense (as they are when drawn
--     from voucher_id_seq for a batch), sums lines per voucher in bigint, and
--     reads the accounts and the totals from one aggregate per account and
--     month; the voucher trigger reads its rows in two passes instead of four.
-- Both triggers plan with enable_sort and enable_seqscan off, and without JIT.
-- PL/pgSQL keeps the plans made for a session's first statement, whose sizes
-- (a transition table's row count, the tables' sizes then) may be nothing
-- like the later ones': a first statement of one voucher, on a voucher table
-- that still looks small, would otherwise leave sort-based grouping and a
-- sequential scan of voucher in place of the range scan for the hundreds of
-- thousands of rows that come later.  So every table these triggers read is
-- read through an index, and voucher through its primary key: the range scan
-- and the lookups ask for rows in its order (a lookup as "the first voucher
-- of the village from this id on", then the id checked), which the index of
-- voucher numbers (village_id, period, number) would have to sort; when
-- voucher looks empty the two indexes cost the same for a lookup by village
-- and id, and a plan kept from then would read a village's every voucher per
-- lookup.  A disabled plan node costs 10^10, far above jit_above_cost, and
-- compiling these queries took 100 ms and more per statement: hence no JIT.
SET search_path = cunji, pg_catalog;

DROP INDEX voucher_line_account;

-- Rebuilds voucher_external_id; the table is not rewritten.
ALTER TABLE voucher ALTER COLUMN external_id TYPE text COLLATE "C";

-- sum() over bigint returns numeric, through an internal state per group; the
-- line trigger sums fen in bigint instead.  An overflow is an error ("bigint
-- out of range"), never a wrong sum: a voucher whose debits or whose credits
-- do not fit in a bigint is refused, as cj_voucher_check refuses it in C
-- ("the voucher's total is too large"), and the totals are bigint columns.
CREATE AGGREGATE fen_sum(bigint) (SFUNC = int8pl, STYPE = bigint, COMBINEFUNC = int8pl,
	PARALLEL = SAFE);

-- The checks of 0007 in two passes over the statement's rows instead of
-- four: the lock pass also counts the vouchers and the reversals, so the
-- reversal lookup runs only when there is a reversal, and voucher_pending gets
-- its count without a scan of its own.
CREATE OR REPLACE FUNCTION voucher_after_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog SET enable_sort = off SET enable_seqscan = off
	SET jit = off
AS $$
DECLARE
	r record;
	n bigint;
	reversals bigint;
BEGIN
	-- Shared per village: a period close waits until these postings end.  A
	-- statement of its own, so that the checks below see any close that
	-- committed before the lock was granted.
	SELECT coalesce(sum(k.n), 0), coalesce(sum(k.reversals), 0) INTO n, reversals
	  FROM (SELECT village_id, count(*) AS n, count(reverses_id) AS reversals
	          FROM new_rows GROUP BY village_id ORDER BY village_id) k
	 CROSS JOIN LATERAL pg_advisory_xact_lock_shared(4242, k.village_id) l;

	-- The books, month and year of each village and month in the statement.
	SELECT k.*, b.start_period, (p.closed OR f.year IS NOT NULL) AS closed INTO r
	  FROM (SELECT village_id, period, min(voucher_date) AS voucher_date,
	               bool_and(tx = txid_current()) AS tx_ok
	          FROM new_rows GROUP BY village_id, period) k
	  LEFT JOIN LATERAL (SELECT b.village_id, b.start_period FROM village_books b
	                      WHERE b.village_id = k.village_id LIMIT 1) b ON true
	  LEFT JOIN LATERAL (SELECT p.closed FROM period_state p
	                      WHERE p.village_id = k.village_id AND p.period = k.period LIMIT 1) p ON true
	  LEFT JOIN LATERAL (SELECT f.year FROM fiscal_year f WHERE f.village_id = k.village_id
	                        AND f.year = extract(year FROM k.period)::integer LIMIT 1) f ON true
	 WHERE b.village_id IS NULL OR NOT k.tx_ok OR k.period < b.start_period OR p.closed
	    OR f.year IS NOT NULL
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
		ELSE
			RAISE EXCEPTION USING ERRCODE = 'CJ001',
				MESSAGE = format('village %s: period %s is closed; voucher dated %s refused',
				                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'),
				                 r.voucher_date);
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

	-- Every voucher must have its lines by COMMIT (voucher_pending, 0007).
	IF n > 0 THEN
		INSERT INTO voucher_pending AS p (tx, vouchers, completed)
		VALUES (txid_current(), n, 0)
		ON CONFLICT (tx) DO UPDATE SET vouchers = p.vouchers + EXCLUDED.vouchers;
	END IF;
	RETURN NULL;
END $$;

-- The lines of each INSERT statement: the rules of 0001 and 0007 (see the
-- comment on 0007's version), checked in one query over the statement that
-- also adds the totals when nothing is wrong:
--   * t sums the lines per village, account and month (bigint sums): it gives
--     the accounts to look up (once per village and code), the totals, and
--     the range and number of the statement's voucher ids;
--   * g sums them per voucher and month: first line, count, debits, credits,
--     smallest amount;
--   * when the ids are dense, the vouchers come from one range scan of
--     voucher's primary key (village_id = ANY (the statement's villages) AND
--     id BETWEEN the smallest and largest), hash-joined to g; otherwise, and
--     always for a voucher posted alone, from one probe per voucher;
--   * one aggregate over that join names the first voucher with each class of
--     problem; the message is then built from that voucher alone.
-- The problems are those of 0007 and reported in its order: a line whose
-- voucher is missing, of another transaction or of another month, or red
-- outside a reversal; then an account that is missing, not a leaf or
-- inactive; then a voucher without its line 1, with fewer than two lines,
-- unbalanced, or a reversal that does not mirror its original.  Grouping by
-- month as well as voucher is safe: a voucher whose lines span two months is
-- refused in the first class before its per-month sums are looked at.
CREATE OR REPLACE FUNCTION voucher_line_after_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog SET enable_sort = off SET enable_seqscan = off
	SET jit = off
AS $$
DECLARE
	r record;
	e record;
BEGIN
	WITH t AS MATERIALIZED (
		-- each village, account and month: the accounts to look up, the totals
		-- to add, and the statement's vouchers (their ids; line 1s, one each)
		SELECT village_id, account_code, period,
		       fen_sum(debit_fen) AS d, fen_sum(credit_fen) AS c,
		       min(voucher_id) AS lo, max(voucher_id) AS hi,
		       count(*) FILTER (WHERE line_no = 1) AS firsts
		  FROM new_rows GROUP BY village_id, account_code, period),
	s AS MATERIALIZED (
		-- dense: the ids of 32 or more vouchers span at most 4 ids per voucher
		SELECT n, lo, hi, villages, n >= 32 AND hi - lo < 4 * n AS dense
		  FROM (SELECT coalesce(sum(firsts), 0)::bigint AS n, min(lo) AS lo, max(hi) AS hi,
		               array_agg(DISTINCT village_id) AS villages FROM t) x),
	g AS NOT MATERIALIZED (
		-- each voucher (and month) the statement touches, from its lines alone;
		-- inlined in both branches below, only one of which runs
		SELECT village_id, voucher_id, period, min(line_no) AS first, count(*) AS n,
		       fen_sum(debit_fen) AS d, fen_sum(credit_fen) AS c,
		       min(least(debit_fen, credit_fen)) AS lo
		  FROM new_rows GROUP BY village_id, voucher_id, period),
	v AS (
		-- dense: one range scan of voucher's primary key, hash-joined.  A FULL
		-- join cannot be a nested loop whatever the estimates; vouchers of the
		-- range without lines here come out with a NULL voucher_id.
		SELECT g.*, x.id AS vid, x.tx, x.period AS vperiod, x.kind, x.reverses_id
		  FROM g
		  FULL JOIN (SELECT v.village_id, v.id, v.tx, v.period, v.kind, v.reverses_id
		               FROM voucher v
		              WHERE v.village_id = ANY ((SELECT villages FROM s)::integer[])
		                AND v.id BETWEEN (SELECT lo FROM s) AND (SELECT hi FROM s)
		              ORDER BY v.village_id, v.id) x
		    ON x.village_id = g.village_id AND x.id = g.voucher_id
		 WHERE (SELECT dense FROM s)
		UNION ALL
		-- otherwise one probe per voucher, as in 0007
		SELECT g.*, x.id, x.tx, x.period, x.kind, x.reverses_id
		  FROM g
		  LEFT JOIN LATERAL (SELECT v.id, v.tx, v.period, v.kind, v.reverses_id FROM voucher v
		                      WHERE v.village_id = g.village_id AND v.id >= g.voucher_id
		                      ORDER BY v.id LIMIT 1) x ON x.id = g.voucher_id
		 WHERE NOT (SELECT dense FROM s)),
	c AS MATERIALIZED (
		-- one pass: opening vouchers?  the first voucher of each class of problem
		SELECT coalesce(bool_or(kind = 'opening') FILTER (WHERE voucher_id IS NOT NULL), false)
		         AS opening,
		       min(ARRAY[village_id, voucher_id]) FILTER (WHERE voucher_id IS NOT NULL
		         AND (vid IS NULL OR tx <> txid_current() OR period <> vperiod
		              OR (lo < 0 AND kind <> 'reversal'))) AS bad_voucher,
		       min(ARRAY[village_id, voucher_id]) FILTER (WHERE voucher_id IS NOT NULL
		         AND (first <> 1 OR n < 2 OR d <> c
		              OR (kind = 'reversal' AND EXISTS (
		                 (SELECT o.account_code, -o.debit_fen, -o.credit_fen FROM voucher_line o
		                   WHERE o.village_id = v.village_id AND o.voucher_id = v.reverses_id
		                  EXCEPT ALL
		                  SELECT x.account_code, x.debit_fen, x.credit_fen FROM voucher_line x
		                   WHERE x.village_id = v.village_id AND x.voucher_id = v.voucher_id)
		                 UNION ALL
		                 (SELECT x.account_code, x.debit_fen, x.credit_fen FROM voucher_line x
		                   WHERE x.village_id = v.village_id AND x.voucher_id = v.voucher_id
		                  EXCEPT ALL
		                  SELECT o.account_code, -o.debit_fen, -o.credit_fen FROM voucher_line o
		                   WHERE o.village_id = v.village_id AND o.voucher_id = v.reverses_id)))))
		         AS bad_lines
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
	totals AS (
		-- the per-period totals the trial balance reads, if all is well
		INSERT INTO account_period_total AS p
		       (village_id, account_code, period, debit_fen, credit_fen,
		        opening_debit_fen, opening_credit_fen)
		SELECT village_id, account_code, period, d, c, 0, 0 FROM t
		 WHERE (SELECT bad_voucher IS NULL AND bad_lines IS NULL AND NOT opening FROM c)
		   AND NOT EXISTS (SELECT 1 FROM a)
		ON CONFLICT (village_id, account_code, period) DO UPDATE
		   SET debit_fen = p.debit_fen + EXCLUDED.debit_fen,
		       credit_fen = p.credit_fen + EXCLUDED.credit_fen)
	SELECT c.*, (SELECT n FROM s) AS vouchers, a.village_id AS a_village, a.account_code,
	       a.code AS acode, a.is_leaf, a.active INTO r
	  FROM c LEFT JOIN a ON true;

	IF r.bad_voucher IS NULL AND r.a_village IS NULL AND r.bad_lines IS NULL THEN
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
		RETURN NULL;
	END IF;

	-- A problem: the details for the message, from the one voucher or account
	-- named (these queries run only on the way to an error).
	IF r.bad_voucher IS NOT NULL THEN
		SELECT CASE WHEN x.id IS NULL OR x.tx <> txid_current() THEN 'posted'
		            WHEN k.p1 <> x.period OR k.p2 <> x.period THEN 'period'
		            ELSE 'red' END AS problem,
		       k.village_id, k.voucher_id, x.period, x.number, k.red AS line_no, ''::text AS account_code,
		       NULL::text AS name, NULL::bigint AS n, NULL::numeric AS d, NULL::numeric AS c INTO e
		  FROM (SELECT r.bad_voucher[1]::integer AS village_id, r.bad_voucher[2] AS voucher_id,
		               min(period) AS p1, max(period) AS p2,
		               min(line_no) FILTER (WHERE debit_fen < 0 OR credit_fen < 0) AS red
		          FROM new_rows
		         WHERE village_id = r.bad_voucher[1] AND voucher_id = r.bad_voucher[2]) k
		  LEFT JOIN LATERAL (SELECT v.id, v.tx, v.period, v.number FROM voucher v
		                      WHERE v.village_id = k.village_id AND v.id >= k.voucher_id
		                      ORDER BY v.id LIMIT 1) x ON x.id = k.voucher_id;
	ELSIF r.a_village IS NOT NULL THEN
		-- the first line that uses the account
		SELECT CASE WHEN r.acode IS NULL THEN 'no account' WHEN NOT r.is_leaf THEN 'not leaf'
		            ELSE 'inactive' END AS problem,
		       r.a_village AS village_id, NULL::bigint AS voucher_id, n.period, x.number,
		       n.line_no, r.account_code, y.name, NULL::bigint AS n, NULL::numeric AS d,
		       NULL::numeric AS c INTO e
		  FROM (SELECT n.voucher_id, n.line_no, n.period FROM new_rows n
		         WHERE n.village_id = r.a_village AND n.account_code = r.account_code
		         ORDER BY n.voucher_id, n.line_no LIMIT 1) n
		  LEFT JOIN LATERAL (SELECT v.id, v.number FROM voucher v
		                      WHERE v.village_id = r.a_village AND v.id >= n.voucher_id
		                      ORDER BY v.id LIMIT 1) x ON x.id = n.voucher_id
		  LEFT JOIN LATERAL (SELECT a.name FROM account a
		                      WHERE a.village_id = r.a_village AND a.code = r.account_code LIMIT 1) y ON true;
	ELSE
		SELECT CASE WHEN k.first <> 1 THEN 'split' WHEN k.n < 2 THEN 'few'
		            WHEN k.d <> k.c THEN 'unbalanced' ELSE 'mirror' END AS problem,
		       k.village_id, k.voucher_id, x.period, x.number, NULL::smallint AS line_no,
		       ''::text AS account_code, NULL::text AS name, k.n, k.d, k.c INTO e
		  FROM (SELECT r.bad_lines[1]::integer AS village_id, r.bad_lines[2] AS voucher_id,
		               min(line_no) AS first, count(*) AS n, sum(debit_fen) AS d, sum(credit_fen) AS c
		          FROM new_rows
		         WHERE village_id = r.bad_lines[1] AND voucher_id = r.bad_lines[2]) k
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
