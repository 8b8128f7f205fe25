-- 0007_bulk_import.sql - the record of imported files; triggers for huge statements
--
-- `cunji import vouchers|opening FILE` posts a whole file in one transaction
-- and records it here with the SHA-256 of its bytes, in the same
-- transaction.  Importing the same file again finds its row and posts
-- nothing (a retry after a crash or a double click is safe); a file that
-- was only partly new relies on the external ids of its vouchers.  The
-- log is append-only.  It is not owned by one village (a county's file
-- spans many), so on Citus it is a reference table.
SET search_path = cunji, pg_catalog;

CREATE TABLE import_log (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	kind        text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'), -- vouchers, opening, ...
	file_name   text NOT NULL,
	file_hash   text NOT NULL CHECK (file_hash ~ '^[0-9a-f]{64}$'),
	encoding    text NOT NULL,
	nrows       bigint NOT NULL CHECK (nrows >= 0),     -- data rows in the file
	vouchers    bigint NOT NULL CHECK (vouchers >= 0),  -- posted by this import
	existing    bigint NOT NULL CHECK (existing >= 0),  -- already posted (same external id, same content)
	lines       bigint NOT NULL CHECK (lines >= 0),
	villages    integer NOT NULL CHECK (villages >= 0),
	debit_fen   bigint NOT NULL,                       -- total debits posted
	imported_at timestamptz NOT NULL DEFAULT now(),
	imported_by text NOT NULL DEFAULT current_user,
	UNIQUE (kind, file_hash)
);

CREATE TRIGGER import_log_append_only BEFORE UPDATE OR DELETE ON import_log
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER import_log_no_truncate BEFORE TRUNCATE ON import_log
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();

-- One field of a voucher's content hash as cj_voucher_hash (ledger/lib/
-- voucher.c) writes it: the byte length, a colon, the bytes; NULL as the
-- length (size_t)-1.  The bulk import computes the hash of each voucher in
-- SQL with it, so that a voucher imported in bulk and the same voucher posted
-- by cj_post_batch carry the same content_hash (a safe retry either way).
-- Plain SQL without SET clauses, so that the planner inlines it.
CREATE FUNCTION hash_field(s text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN s IS NULL THEN '18446744073709551615:'
	            ELSE pg_catalog.octet_length(s)::text || ':' || s END
$$;

-- ---------------------------------------------------------------------------
-- Statement triggers that stay cheap for huge statements.
--
-- A bulk import inserts a county's year (hundreds of thousands of vouchers,
-- several lines each) in one INSERT per table.  The triggers of 0001 looked
-- up the voucher and the account of every line, and the books, month and
-- year of every voucher: an index probe each, millions of them.  These
-- versions check exactly the same rules but look up each distinct key once:
-- the lines are first summed per voucher (one probe per voucher), the
-- accounts taken once per village and code, the months once per village
-- and month.  For a voucher posted alone nothing changes.  The every-voucher-
-- has-lines rule moves from a deferred foreign key (one row-level check, with
-- a row lock, per voucher at COMMIT) to one deferred check per INSERT
-- statement over all its vouchers.

CREATE OR REPLACE FUNCTION voucher_after_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	r record;
BEGIN
	-- Shared per village: a period close waits until these postings end.
	PERFORM pg_advisory_xact_lock_shared(4242, v)
	   FROM (SELECT DISTINCT village_id AS v FROM new_rows ORDER BY 1) s;

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

	-- A reversal voids a voucher of its village (this was a foreign key, one
	-- check per row), and never a reversal or a closing voucher.
	SELECT n.village_id, n.reverses_id, o.kind AS orig_kind INTO r
	  FROM new_rows n
	  LEFT JOIN LATERAL (SELECT o.kind FROM voucher o
	                      WHERE o.village_id = n.village_id AND o.id = n.reverses_id LIMIT 1) o ON true
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

	-- Every voucher must have its lines by COMMIT (voucher_pending below).
	INSERT INTO voucher_pending AS p (tx, vouchers, completed)
	SELECT txid_current(), count(*), 0 FROM new_rows HAVING count(*) > 0
	ON CONFLICT (tx) DO UPDATE SET vouchers = p.vouchers + EXCLUDED.vouchers;
	RETURN NULL;
END $$;

-- Every voucher has lines.  0001 made this a deferred foreign key from each
-- voucher to its line 1, checked (and the line row-locked) one voucher at a
-- time at COMMIT.  Now each transaction that writes vouchers has one row here:
-- voucher_after_insert adds the vouchers each INSERT wrote, and the line
-- trigger the vouchers each line INSERT completed.  A line statement completes
-- only vouchers of its own transaction (it checks each one's tx), each at most
-- once (another statement would need another line 1), so every voucher has its
-- lines exactly when the two counts agree; a deferred constraint trigger
-- compares them at COMMIT and removes the row.  Rows live only inside their
-- transaction, so the table is unlogged; a guard keeps hands off it.
CREATE UNLOGGED TABLE voucher_pending (
	tx        bigint PRIMARY KEY,
	vouchers  bigint NOT NULL,
	completed bigint NOT NULL
);

CREATE FUNCTION voucher_pending_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	r record;
BEGIN
	SELECT vouchers, completed INTO r FROM voucher_pending WHERE tx = NEW.tx;
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
	DELETE FROM voucher_pending WHERE tx = NEW.tx;
	RETURN NULL;
END $$;
-- AFTER INSERT only: a transaction's row is inserted once and then updated,
-- so this fires once per transaction
CREATE CONSTRAINT TRIGGER voucher_needs_lines AFTER INSERT ON voucher_pending
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION voucher_pending_check();

CREATE FUNCTION voucher_pending_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	-- written only by the ledger's triggers (depth 2 and more)
	IF pg_trigger_depth() < 2 THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ003',
			MESSAGE = 'voucher_pending is kept by the ledger; it cannot be written by hand';
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER voucher_pending_guard BEFORE INSERT OR UPDATE OR DELETE OR TRUNCATE
	ON voucher_pending FOR EACH STATEMENT EXECUTE FUNCTION voucher_pending_guard();

ALTER TABLE voucher DROP CONSTRAINT voucher_needs_lines;
ALTER TABLE voucher DROP CONSTRAINT voucher_village_id_reverses_id_fkey;

-- The month of a voucher's date, without a time zone: the check of 0001 cast
-- the date to timestamptz, which consults the zone's daylight-saving rules for
-- every row.  The same rule.
ALTER TABLE voucher DROP CONSTRAINT voucher_check,
	ADD CONSTRAINT voucher_period_of_date
	CHECK (period = date_trunc('month', voucher_date::timestamp)::date);

-- The lines of each INSERT statement: the rules of 0001, with lookups per
-- voucher and per account rather than per line, and the totals added in a
-- statement of their own (the opening part only when the statement has an
-- opening voucher).
CREATE OR REPLACE FUNCTION voucher_line_after_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	r record;
	l record;
BEGIN
	WITH g AS MATERIALIZED (
		-- each voucher the statement touches, from its lines alone
		SELECT village_id, voucher_id, min(line_no) AS first, count(*) AS n,
		       sum(debit_fen - credit_fen) AS diff, min(period) AS p1, max(period) AS p2,
		       min(least(debit_fen, credit_fen)) AS lo
		  FROM new_rows GROUP BY village_id, voucher_id),
	v AS MATERIALIZED (
		SELECT g.*, v.id AS vid, v.tx, v.period AS vperiod, v.kind, v.number, v.reverses_id
		  FROM g
		  LEFT JOIN LATERAL (SELECT v.id, v.tx, v.period, v.kind, v.number, v.reverses_id
		                       FROM voucher v
		                      WHERE v.village_id = g.village_id AND v.id = g.voucher_id
		                      LIMIT 1) v ON true),
	a AS MATERIALIZED (
		-- each account, once per village
		SELECT k.village_id, k.account_code, a.code AS acode, a.is_leaf, a.active
		  FROM (SELECT DISTINCT village_id, account_code FROM new_rows) k
		  LEFT JOIN LATERAL (SELECT a.code, a.is_leaf, a.active FROM account a
		                      WHERE a.village_id = k.village_id AND a.code = k.account_code
		                      LIMIT 1) a ON true),
	bad AS (
		(SELECT CASE WHEN vid IS NULL OR tx <> txid_current() THEN 'posted'
		             WHEN p1 <> vperiod OR p2 <> vperiod THEN 'period'
		             ELSE 'red' END AS problem,
		        village_id, voucher_id, vperiod AS period, number, ''::text AS account_code,
		        0::bigint AS n
		   FROM v
		  WHERE vid IS NULL OR tx <> txid_current() OR p1 <> vperiod OR p2 <> vperiod
		     OR (lo < 0 AND kind <> 'reversal')
		  LIMIT 1)
		UNION ALL
		(SELECT CASE WHEN acode IS NULL THEN 'no account' WHEN NOT is_leaf THEN 'not leaf'
		             ELSE 'inactive' END,
		        village_id, NULL, NULL, NULL, account_code, 0
		   FROM a
		  WHERE acode IS NULL OR NOT is_leaf OR NOT active
		  LIMIT 1)
		UNION ALL
		(SELECT CASE WHEN first <> 1 THEN 'split' WHEN n < 2 THEN 'few'
		             WHEN diff <> 0 THEN 'unbalanced' ELSE 'mirror' END,
		        village_id, voucher_id, vperiod, number, '', n
		   FROM v
		  WHERE first <> 1 OR n < 2 OR diff <> 0
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
		          WHERE o.village_id = v.village_id AND o.voucher_id = v.reverses_id)))
		  LIMIT 1)
		LIMIT 1)
	SELECT b.*, o.opening, o.vouchers INTO r
	  FROM (SELECT coalesce(bool_or(kind = 'opening'), false) AS opening, count(*) AS vouchers
	          FROM v) o
	  LEFT JOIN bad b ON true;

	IF r.problem IS NULL THEN
		-- these vouchers have their lines (voucher_needs_lines)
		UPDATE voucher_pending SET completed = completed + r.vouchers WHERE tx = txid_current();
		-- the per-period totals the trial balance reads
		IF NOT r.opening THEN
			INSERT INTO account_period_total AS t
			       (village_id, account_code, period, debit_fen, credit_fen,
			        opening_debit_fen, opening_credit_fen)
			SELECT village_id, account_code, period, sum(debit_fen), sum(credit_fen), 0, 0
			  FROM new_rows GROUP BY 1, 2, 3
			ON CONFLICT (village_id, account_code, period) DO UPDATE
			   SET debit_fen = t.debit_fen + EXCLUDED.debit_fen,
			       credit_fen = t.credit_fen + EXCLUDED.credit_fen;
		ELSE
			WITH o AS MATERIALIZED (
				SELECT k.village_id, k.voucher_id
				  FROM (SELECT DISTINCT village_id, voucher_id FROM new_rows) k
				  JOIN LATERAL (SELECT 1 FROM voucher v WHERE v.village_id = k.village_id
				                   AND v.id = k.voucher_id AND v.kind = 'opening' LIMIT 1) v ON true)
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

	-- a problem: the details for the message
	SELECT NULL::smallint AS line_no, NULL::date AS period, NULL::integer AS number,
	       NULL::text AS name, NULL::numeric AS d, NULL::numeric AS c INTO l;
	IF r.problem IN ('no account', 'not leaf', 'inactive') THEN
		-- the first line that uses the account
		SELECT n.line_no, n.period, v.number, a.name, NULL::numeric AS d, NULL::numeric AS c INTO l
		  FROM new_rows n
		  LEFT JOIN voucher v ON v.village_id = n.village_id AND v.id = n.voucher_id
		  LEFT JOIN account a ON a.village_id = n.village_id AND a.code = n.account_code
		 WHERE n.village_id = r.village_id AND n.account_code = r.account_code
		 ORDER BY n.voucher_id, n.line_no LIMIT 1;
	ELSIF r.problem IN ('red', 'unbalanced') THEN
		SELECT min(line_no) FILTER (WHERE debit_fen < 0 OR credit_fen < 0) AS line_no,
		       NULL::date AS period, NULL::integer AS number, NULL::text AS name,
		       sum(debit_fen) AS d, sum(credit_fen) AS c INTO l
		  FROM new_rows WHERE village_id = r.village_id AND voucher_id = r.voucher_id;
	END IF;
	RAISE EXCEPTION USING
		ERRCODE = CASE r.problem WHEN 'posted' THEN 'CJ003' WHEN 'period' THEN 'CJ003'
		                         WHEN 'mirror' THEN 'CJ003' WHEN 'split' THEN 'CJ003'
		                         WHEN 'no account' THEN 'CJ004' WHEN 'not leaf' THEN 'CJ004'
		                         WHEN 'inactive' THEN 'CJ004' ELSE 'CJ002' END,
		MESSAGE = format('village %s: ', village_code(r.village_id)) || CASE r.problem
		WHEN 'posted' THEN format('lines cannot be added to voucher id %s: a posted voucher is never changed',
		                          r.voucher_id)
		WHEN 'period' THEN 'voucher_line.period must equal its voucher''s period'
		WHEN 'no account' THEN format('voucher %s-%s line %s: account %s does not exist',
		                              to_char(l.period, 'YYYY-MM'), l.number, l.line_no, r.account_code)
		WHEN 'not leaf' THEN format('voucher %s-%s line %s: account %s %s has sub-accounts; post to one of them',
		                            to_char(l.period, 'YYYY-MM'), l.number, l.line_no, r.account_code, l.name)
		WHEN 'inactive' THEN format('voucher %s-%s line %s: account %s %s is inactive',
		                            to_char(l.period, 'YYYY-MM'), l.number, l.line_no, r.account_code, l.name)
		WHEN 'red' THEN format('voucher %s-%s line %s: negative (red) amounts belong only on reversals',
		                       to_char(r.period, 'YYYY-MM'), r.number, l.line_no)
		WHEN 'split' THEN format('voucher %s-%s: its lines must be inserted together, with line 1',
		                         to_char(r.period, 'YYYY-MM'), r.number)
		WHEN 'few' THEN format('voucher %s-%s has %s line(s); a voucher needs at least two',
		                       to_char(r.period, 'YYYY-MM'), r.number, r.n)
		WHEN 'unbalanced' THEN format('voucher %s-%s is unbalanced: debits %s, credits %s (fen)',
		                              to_char(r.period, 'YYYY-MM'), r.number, l.d, l.c)
		ELSE format('reversal %s-%s does not mirror the voucher it voids',
		            to_char(r.period, 'YYYY-MM'), r.number) END;
END $$;
