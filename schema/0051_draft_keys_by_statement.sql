-- 0051_draft_keys_by_statement.sql - a draft's village and posted voucher
-- checked once per statement, not by foreign keys (issue 14: "a county-year
-- still goes in quickly")
--
-- draft_voucher had two foreign keys that every draft of a batch paid for
-- row by row: village_id to village_books, checked for each draft saved,
-- and (village_id, voucher_id) to voucher, checked for each draft posted,
-- each check a query that also locks the referenced row (FOR KEY SHARE:
-- at posting, a write to every new voucher's row).  On a county-year's
-- batch (225,000 drafts) they cost about 2 s of the saving and 3.4 s of the
-- posting's update (docs/performance.md, "Eighth session").  Neither row
-- they protect can go away: village_books refuses UPDATE and DELETE
-- (village_books_guard) and a posted voucher is final (posted_is_final), so
-- what the keys still did is the check at writing, which draft_written, the
-- statement trigger every INSERT and UPDATE of drafts already runs, now does
-- for the whole statement:
--   * every village of the statement's drafts keeps books (CJ010, the words
--     voucher_after_insert uses for a voucher);
--   * every draft naming a voucher names one posted from it: the voucher's
--     draft_id is the draft (CJ055).  The key only asked that the voucher
--     exist in the village.
-- The key on reverses_id stays: nearly every draft has none, and a key
-- with a NULL column checks nothing.  The same move 0007 made for vouchers.
SET search_path = cunji, pg_catalog;

ALTER TABLE draft_voucher DROP CONSTRAINT draft_voucher_village_id_fkey,
	DROP CONSTRAINT draft_voucher_village_id_voucher_id_fkey;

CREATE OR REPLACE FUNCTION draft_written() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
DECLARE
	r record;
BEGIN
	PERFORM pg_advisory_xact_lock_shared(village_lock_key(), v)
	   FROM (SELECT DISTINCT village_id AS v FROM new_rows ORDER BY 1) s;
	-- the drafts' villages keep books, and a posted draft names the voucher
	-- posted from it (0051: these were foreign keys, a look-up and a row
	-- lock per draft)
	SELECT k.v AS village_id INTO r
	  FROM (SELECT DISTINCT village_id AS v FROM new_rows) k
	 WHERE NOT EXISTS (SELECT 1 FROM village_books b WHERE b.village_id = k.v)
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('organisation id %s keeps no books', r.village_id);
	END IF;
	SELECT n.village_id, n.id, n.voucher_id INTO r
	  FROM new_rows n
	  LEFT JOIN LATERAL (SELECT v.draft_id FROM voucher v
	                      WHERE v.village_id = n.village_id AND v.id = n.voucher_id) v ON true
	 WHERE n.voucher_id IS NOT NULL AND v.draft_id IS DISTINCT FROM n.id
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ055',
			MESSAGE = format('village %s: draft %s names voucher id %s, which was not posted from it',
			                 village_code(r.village_id), r.id, r.voucher_id);
	END IF;
	SELECT n.village_id, n.id, n.voucher_date, b.start_period INTO r
	  FROM (SELECT DISTINCT village_id, date_trunc('month', voucher_date)::date AS m
	          FROM new_rows WHERE state IN ('draft', 'rejected')) k
	  JOIN village_books b ON b.village_id = k.village_id
	  LEFT JOIN period_state p ON p.village_id = k.village_id AND p.period = k.m AND p.closed
	  LEFT JOIN fiscal_year f ON f.village_id = k.village_id
	                         AND f.year = extract(year FROM k.m)::integer
	  JOIN LATERAL (SELECT * FROM new_rows n WHERE n.village_id = k.village_id
	                   AND date_trunc('month', n.voucher_date) = k.m LIMIT 1) n ON true
	 WHERE k.m < b.start_period OR p.period IS NOT NULL OR f.year IS NOT NULL
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = format('village %s: draft %s dated %s: %s', village_code(r.village_id),
			                 r.id, r.voucher_date,
			                 CASE WHEN r.voucher_date < r.start_period
			                      THEN format('the books start in %s', to_char(r.start_period, 'YYYY-MM'))
			                      ELSE 'the month is closed' END);
	END IF;
	RETURN NULL;
END $$;
