-- 0025_first_posting.sql - less work for a backend's first posting, and for every statement
--
-- The same rules, SQLSTATEs and messages as before (docs/schema.md, "0025"):
--   * sees_all(), which every row-level security policy asks in an InitPlan,
--     was plain SQL in the hope that the planner would inline it; a body with
--     sub-queries is never inlined, so every statement on a village-keyed
--     table parsed and planned it again (the pg_roles view included), two or
--     three times for an INSERT ... ON CONFLICT.  As PL/pgSQL its statements
--     are planned once per backend;
--   * voucher_path_check (0016) is folded into voucher_after_insert: one
--     trigger function fewer to call and compile, and its pass over the
--     statement's vouchers (who posts, drafts, review required anywhere) is
--     part of the statement that takes the village locks.  pg_roles is read
--     only when a voucher names a draft or forges who and when; the messages
--     are built by voucher_path_refuse(), which only a refusal compiles.
SET search_path = cunji, pg_catalog;

-- True for the owner (triggers, migrations), a superuser and an active admin
-- login; as before.
CREATE OR REPLACE FUNCTION sees_all() RETURNS boolean
LANGUAGE plpgsql STABLE AS $$
BEGIN
	RETURN current_user = 'cunji_owner'
	    OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = session_user AND rolsuper)
	    OR EXISTS (SELECT 1 FROM cunji.app_login a WHERE a.login = session_user
			  AND a.kind = 'admin' AND a.disabled_at IS NULL);
END $$;

-- The refusals of the voucher's path (0016's voucher_path_check), with the
-- statement's vouchers: forged who or when (CJ052), a draft posted other than
-- by post_drafts() (CJ053).
CREATE FUNCTION voucher_path_refuse(vouchers voucher[], forged boolean) RETURNS void
LANGUAGE plpgsql SET search_path = cunji, pg_catalog, pg_temp AS $$
DECLARE
	me name := session_user;
	t timestamptz := now();
	r record;
BEGIN
	IF forged THEN
		SELECT n.village_id, n.period, n.number,
		       CASE WHEN n.posted_by IS DISTINCT FROM me::text
		              THEN format('posted_by %s is not the session''s login %s', n.posted_by, me)
		            WHEN n.posted_at IS DISTINCT FROM t
		              THEN format('posted_at %s is not the transaction''s time %s', n.posted_at, t)
		            WHEN n.prepared_by IS DISTINCT FROM me
		              THEN format('prepared_by %s is not the session''s login %s', n.prepared_by, me)
		            ELSE 'a review is recorded only from a reviewed draft'
		       END AS why INTO r
		  FROM unnest(vouchers) n
		 WHERE n.posted_by IS DISTINCT FROM me::text OR n.posted_at IS DISTINCT FROM t
		    OR (n.draft_id IS NULL AND (n.prepared_by IS DISTINCT FROM me
		                                OR n.reviewed_by IS NOT NULL OR n.reviewed_at IS NOT NULL))
		 LIMIT 1;
		RAISE EXCEPTION USING ERRCODE = 'CJ052',
			MESSAGE = format('village %s: voucher %s-%s: %s; who and when are recorded by the database',
			                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'), r.number, r.why);
	END IF;
	SELECT n.village_id, n.period, n.number, n.draft_id INTO r
	  FROM unnest(vouchers) n WHERE n.draft_id IS NOT NULL LIMIT 1;
	RAISE EXCEPTION USING ERRCODE = 'CJ053',
		MESSAGE = format('village %s: voucher %s-%s: a draft (%s) is posted by post_drafts() (cunji voucher post), which posts what was reviewed',
		                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'), r.number, r.draft_id);
END $$;

-- 0014's checks and 0016's in one function; the order of the refusals is
-- as before (this function's, then the path's).
CREATE OR REPLACE FUNCTION voucher_after_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp
SET enable_sort = off SET enable_seqscan = off SET jit = off AS $$
DECLARE
	r record;
	cnt record;
BEGIN
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
	IF (cnt.forged OR (cnt.drafted AND NOT posting_drafts()))
	   AND NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
		PERFORM voucher_path_refuse(ARRAY(SELECT n::voucher FROM new_rows n), cnt.forged);
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

DROP TRIGGER voucher_path_check ON voucher;
DROP FUNCTION voucher_path_check();
