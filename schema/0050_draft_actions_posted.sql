-- 0050_draft_actions_posted.sql - post_drafts() runs the drafts' actions
-- itself (issue 14: "a county-year still goes in quickly")
--
-- voucher_draft_action (0032) was a row trigger on voucher, one PL/pgSQL
-- call per voucher posted from a draft (about 0.25 s of a 75,000-voucher
-- batch), nearly always to find no action waiting.  Only post_drafts() may
-- insert a voucher from a draft (voucher_after_insert refuses one outside
-- it), so post_drafts() now runs the drafts' actions itself: one statement
-- joins the posted drafts to their actions (skipped while no draft has ever
-- carried one), and the trigger's body runs for each, in the same order
-- (village, voucher).  It runs right after the vouchers' INSERT and before
-- their lines, as the trigger did, but now after that INSERT's statement
-- triggers (voucher_after_insert, voucher_chain), which read none of the
-- tables an action writes.
SET search_path = cunji, pg_catalog;

DROP TRIGGER voucher_draft_action ON voucher;
DROP FUNCTION voucher_draft_action();

-- The actions of the drafts md (of villages mv) just posted as vouchers mid.
CREATE FUNCTION draft_actions_posted(mv integer[], md bigint[], mid bigint[]) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
DECLARE
	a draft_action;
	r record;
	nv record;
BEGIN
	IF NOT posting_drafts() THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = 'draft_actions_posted() is post_drafts()''s own step';
	END IF;
	FOR nv IN
		SELECT m.voucher_id, v.id AS posted, x AS act
		  FROM unnest(mv, md, mid) m(village_id, draft_id, voucher_id)
		  JOIN draft_action x ON x.village_id = m.village_id AND x.draft_id = m.draft_id
		  LEFT JOIN voucher v ON v.village_id = m.village_id AND v.id = m.voucher_id
		                     AND v.draft_id = m.draft_id AND v.tx = txid_current()
		 ORDER BY m.village_id, m.voucher_id
	LOOP
		a := nv.act;
		-- the voucher is the draft's, posted in this transaction (the
		-- trigger had it from the row itself)
		IF nv.posted IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ055',
				MESSAGE = format('village %s: voucher id %s was not posted from draft %s in this transaction',
				                 village_code(a.village_id), nv.voucher_id, a.draft_id);
		END IF;
		-- the posting login's right to the action
		IF NOT draft_action_right(a.action, session_user) THEN
			RAISE EXCEPTION USING ERRCODE = '42501',
				MESSAGE = format('village %s: draft %s was made by cunji %s, which login %s may not do; another login posts it',
				                 village_code(a.village_id), a.draft_id, a.action, session_user);
		END IF;
		CASE a.action
		WHEN 'project pay' THEN
			INSERT INTO project_payment (village_id, voucher_id, project_id, tranche, payee)
			VALUES (a.village_id, nv.voucher_id, a.project_id, a.detail->>'tranche', a.detail->>'payee');
		WHEN 'aid pay' THEN
			INSERT INTO aid_payment (village_id, id, fund_id, household_code, persons, amount_fen,
			                         paid_on, reason, applicant, township_review, county_record)
			VALUES (a.village_id, a.aid_id, (a.detail->>'fund_id')::bigint, a.household_code,
			        (a.detail->>'persons')::integer, (a.detail->>'amount_fen')::bigint,
			        (a.detail->>'paid_on')::date, a.detail->>'reason', a.detail->>'applicant',
			        a.detail->>'township_review', a.detail->>'county_record');
		WHEN 'project accept' THEN
			-- all the drafts of the acceptance in this posting (their vouchers,
			-- of the same month, are in by now), recorded once
			SELECT o.id INTO r
			  FROM draft_voucher d
			  JOIN draft_voucher o ON o.batch_id = d.batch_id AND o.id <> d.id
			  JOIN draft_action oa ON oa.village_id = o.village_id AND oa.draft_id = o.id
			 WHERE d.village_id = a.village_id AND d.id = a.draft_id
			   AND NOT EXISTS (SELECT 1 FROM voucher v WHERE v.village_id = o.village_id
			                      AND v.period = date_trunc('month', o.voucher_date)::date
			                      AND v.draft_id = o.id)
			 LIMIT 1;
			IF FOUND THEN
				RAISE EXCEPTION USING ERRCODE = 'CJ055',
					MESSAGE = format('village %s: drafts %s and %s record one project''s acceptance; they are posted together (cunji voucher post --draft %s --draft %s)',
					                 village_code(a.village_id), a.draft_id, r.id, a.draft_id, r.id);
			END IF;
			-- by the first draft of the batch (the project's guard refuses a
			-- project accepted already, CJ021)
			IF NOT EXISTS (SELECT 1 FROM draft_voucher d
			                 JOIN draft_voucher o ON o.batch_id = d.batch_id AND o.id < d.id
			                 JOIN draft_action oa ON oa.village_id = o.village_id AND oa.draft_id = o.id
			                WHERE d.village_id = a.village_id AND d.id = a.draft_id) THEN
				UPDATE project SET status = 'accepted', asset_kind = a.detail->>'asset_kind',
				       asset_account = a.detail->>'asset_account',
				       asset_value_fen = (a.detail->>'asset_value_fen')::bigint,
				       accepted_on = (a.detail->>'accepted_on')::date
				 WHERE village_id = a.village_id AND id = a.project_id;
			END IF;
		WHEN 'dividend post' THEN
			INSERT INTO dividend_plan (village_id, year, distributable_fen, reserve_rate_bp, reserve_fen,
			                           welfare_rate_bp, welfare_fen, pool_fen, collective_fen,
			                           households_fen, total_shares, shares_on, method, declared_on,
			                           voucher_id)
			VALUES (a.village_id, a.year, (a.detail->>'distributable_fen')::bigint,
			        (a.detail->>'reserve_rate_bp')::integer, (a.detail->>'reserve_fen')::bigint,
			        (a.detail->>'welfare_rate_bp')::integer, (a.detail->>'welfare_fen')::bigint,
			        (a.detail->>'pool_fen')::bigint, (a.detail->>'collective_fen')::bigint,
			        (a.detail->>'households_fen')::bigint, (a.detail->>'total_shares')::numeric,
			        (a.detail->>'shares_on')::date, a.detail->>'method',
			        (a.detail->>'declared_on')::date, nv.voucher_id);
			INSERT INTO dividend_line (village_id, year, household_code, shares, amount_fen)
			SELECT a.village_id, a.year, l.code, l.shares, l.amount_fen
			  FROM jsonb_to_recordset(a.detail->'lines') AS l(code text, shares numeric, amount_fen bigint);
		WHEN 'dividend pay' THEN
			-- paid by bank: to a household with a bank account on record
			-- (0010's rule looks at the paying voucher's lines: here they are
			-- the draft's, not yet posted)
			IF EXISTS (SELECT 1 FROM draft_line l WHERE l.village_id = a.village_id
			              AND l.draft_id = a.draft_id AND l.account_code LIKE '102%')
			   AND NOT EXISTS (SELECT 1 FROM household h WHERE h.village_id = a.village_id
			                      AND h.code = a.household_code AND btrim(h.bank_account) <> '') THEN
				RAISE EXCEPTION USING ERRCODE = 'CJ025',
					MESSAGE = format('village %s: household %s has no bank account on record; its %s dividend cannot be paid by bank',
					                 village_code(a.village_id), a.household_code, a.year);
			END IF;
			-- the line's guard refuses a dividend paid twice (CJ023)
			UPDATE dividend_line SET paid_voucher_id = nv.voucher_id
			 WHERE village_id = a.village_id AND year = a.year AND household_code = a.household_code;
			IF NOT FOUND THEN
				RAISE EXCEPTION USING ERRCODE = 'CJ023',
					MESSAGE = format('village %s: household %s has no %s dividend to pay',
					                 village_code(a.village_id), a.household_code, a.year);
			END IF;
		END CASE;
	END LOOP;
	RETURN;
END $$;

REVOKE ALL ON FUNCTION draft_actions_posted(integer[], bigint[], bigint[]) FROM PUBLIC;

CREATE OR REPLACE FUNCTION post_drafts(p_village integer, p_ids bigint[], p_batch bigint)
RETURNS TABLE (draft_id bigint, village_id integer, voucher_id bigint, period date, number integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp SET jit = off AS $$
#variable_conflict use_column
DECLARE
	r record;
	sel_v integer[];
	sel_id bigint[];
	found_n integer;
	mv integer[];
	md bigint[];
	mid bigint[];
	mper date[];
	mnum integer[];
BEGIN
	-- the drafts, locked in one order
	SELECT array_agg(d.village_id ORDER BY d.village_id, d.id), array_agg(d.id ORDER BY d.village_id, d.id)
	  INTO sel_v, sel_id
	  FROM (SELECT d.village_id, d.id FROM draft_voucher d
	         WHERE CASE WHEN p_batch IS NOT NULL THEN d.batch_id = p_batch AND d.state <> 'posted'
	                    ELSE d.village_id = p_village AND d.id = ANY (p_ids) END
	         ORDER BY d.village_id, d.id FOR UPDATE) d;
	found_n := coalesce(cardinality(sel_id), 0);
	IF p_batch IS NULL AND found_n <> cardinality(ARRAY(SELECT DISTINCT unnest(p_ids))) THEN
		SELECT x INTO r FROM unnest(p_ids) x WHERE x <> ALL (coalesce(sel_id, '{}')) LIMIT 1;
		RAISE EXCEPTION USING ERRCODE = 'CJ055',
			MESSAGE = format('village %s has no draft %s', village_code(p_village), r.x);
	END IF;
	IF found_n = 0 THEN
		RETURN;
	END IF;
	IF NOT sel_v <@ my_villages() THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('login %s may not post vouchers of every village of these drafts',
			                 session_user);
	END IF;
	SELECT d.village_id, d.id, d.state INTO r
	  FROM unnest(sel_v, sel_id) k(v, i)
	  JOIN draft_voucher d ON d.village_id = k.v AND d.id = k.i
	 WHERE d.state <> 'reviewed' LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ055',
			MESSAGE = format('village %s: draft %s is %s, not reviewed; it cannot be posted',
			                 village_code(r.village_id), r.id, r.state);
	END IF;

	INSERT INTO draft_posting VALUES (txid_current());

	-- numbers: the counter of each village and month, in one order; ids
	WITH d AS (
	    SELECT d.village_id, d.id, date_trunc('month', d.voucher_date)::date AS m,
	           row_number() OVER (PARTITION BY d.village_id, date_trunc('month', d.voucher_date)
	                              ORDER BY d.voucher_date, d.id) AS k
	      FROM unnest(sel_v, sel_id) s(v, i)
	      JOIN draft_voucher d ON d.village_id = s.v AND d.id = s.i),
	g AS (SELECT d.village_id, d.m, count(*)::integer AS n FROM d GROUP BY 1, 2),
	c AS (INSERT INTO voucher_counter AS c (village_id, period, last_number)
	      SELECT g.village_id, g.m, g.n FROM g ORDER BY 1, 2
	      ON CONFLICT ON CONSTRAINT voucher_counter_pkey DO UPDATE
	         SET last_number = c.last_number + EXCLUDED.last_number
	      RETURNING c.village_id, c.period, c.last_number),
	x AS (SELECT d.village_id, d.id, nextval('voucher_id_seq') AS vid, d.m,
	             (c.last_number - g.n + d.k)::integer AS num
	        FROM d JOIN g ON g.village_id = d.village_id AND g.m = d.m
	        JOIN c ON c.village_id = d.village_id AND c.period = d.m
	       ORDER BY d.village_id, d.m, d.k)
	SELECT array_agg(x.village_id ORDER BY x.vid), array_agg(x.id ORDER BY x.vid),
	       array_agg(x.vid ORDER BY x.vid), array_agg(x.m ORDER BY x.vid),
	       array_agg(x.num ORDER BY x.vid)
	  INTO mv, md, mid, mper, mnum FROM x;

	INSERT INTO voucher (village_id, id, period, number, voucher_date, kind, summary, preparer,
	                     attachments, external_id, content_hash, reverses_id, negative_cash_reason,
	                     prepared_by, reviewed_by, reviewed_at, draft_id)
	SELECT d.village_id, m.voucher_id, m.period, m.number, d.voucher_date, d.kind, d.summary,
	       login_name(d.prepared_by), d.attachments, d.external_id,
	       encode(sha256(convert_to(
	           '16:cunji-voucher-v1' || hash_field(d.village_id::text)
	           || hash_field(to_char(d.voucher_date, 'YYYY-MM-DD')) || hash_field(d.kind)
	           || hash_field(d.summary) || hash_field(d.attachments::text)
	           || hash_field(coalesce(d.reverses_id, 0)::text) || hash_field(h.n::text) || h.s
	           || CASE WHEN d.negative_cash_reason IS NOT NULL
	                   THEN hash_field(d.negative_cash_reason) ELSE '' END,
	           'UTF8')), 'hex'),
	       d.reverses_id, d.negative_cash_reason, d.prepared_by, d.reviewed_by, d.reviewed_at, d.id
	  FROM unnest(mv, md, mid, mper, mnum) m(village_id, draft_id, voucher_id, period, number)
	  JOIN draft_voucher d ON d.village_id = m.village_id AND d.id = m.draft_id
	  JOIN LATERAL (SELECT count(*) AS n,
	                       string_agg(hash_field(l.account_code) || hash_field(l.debit_fen::text)
	                                  || hash_field(l.credit_fen::text) || hash_field(l.summary)
	                                  || hash_field(l.counterparty)
	                                  || hash_field(coalesce(l.fund_id, 0)::text)
	                                  || hash_field(coalesce(l.project_id, 0)::text),
	                                  '' ORDER BY l.line_no) AS s
	                  FROM draft_line l
	                 WHERE l.village_id = m.village_id AND l.draft_id = m.draft_id) h ON true
	 ORDER BY m.village_id, m.voucher_id;
	-- what the drafts' actions record, now that their vouchers are in (0050;
	-- a row trigger on voucher before)
	IF EXISTS (SELECT 1 FROM draft_action) THEN
		PERFORM draft_actions_posted(mv, md, mid);
	END IF;

	INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code, debit_fen,
	                          credit_fen, summary, counterparty, fund_id, project_id)
	SELECT l.village_id, m.voucher_id, l.line_no, m.period, l.account_code, l.debit_fen,
	       l.credit_fen, l.summary, l.counterparty, l.fund_id, l.project_id
	  FROM unnest(mv, md, mid, mper, mnum) m(village_id, draft_id, voucher_id, period, number)
	  JOIN draft_line l ON l.village_id = m.village_id AND l.draft_id = m.draft_id
	 ORDER BY l.village_id, m.voucher_id, l.line_no;

	UPDATE draft_voucher d SET state = 'posted', voucher_id = m.voucher_id
	  FROM unnest(mv, md, mid) m(village_id, draft_id, voucher_id)
	 WHERE d.village_id = m.village_id AND d.id = m.draft_id;
	DELETE FROM draft_posting WHERE tx = txid_current();

	RETURN QUERY SELECT m.draft_id, m.village_id, m.voucher_id, m.period, m.number
	               FROM unnest(mv, md, mid, mper, mnum) m(village_id, draft_id, voucher_id, period, number)
	              ORDER BY m.village_id, m.period, m.number;
END $$;


SELECT secure_schema();
