-- 0039_project_accept_order.sql - a project's acceptance (验收) after its
-- payments, under review as on the direct path
--
-- Where review is required (0032), project pay and project accept make
-- drafts.  project accept computes its vouchers from the books as they are
-- when it runs: the construction cost in 153 to move to the asset, the
-- earmarked money paid out to move to 311.  A payment still awaiting
-- review is not in those figures, and once the project is accepted it can
-- no longer be paid (project_guard, CJ021).  So, for one project:
--
--   * an acceptance is not drafted while payment drafts of the project await
--     posting (draft, reviewed or rejected), nor a payment drafted while an
--     acceptance draft awaits posting;
--   * a project is not accepted (its status set to accepted, by the direct
--     path or by posting the acceptance's drafts) while payment drafts of it
--     await posting;
--   * an acceptance's drafts are posted only while their figures are still
--     the books' (nothing was posted to the project since): else its
--     preparer deletes them and runs project accept again.
--
-- Each refusal is CJ021 (project rules) and names the drafts in the way.
-- Nothing here runs on a posting that does not accept a project: the
-- checks are triggers on draft_action (drafts of actions only) and on the
-- project's status moving to accepted.
SET search_path = cunji, pg_catalog;

-- The drafts of project p of village v carrying action a that are not
-- posted yet, in words: '12（待审核）, 15（已退回）'; NULL when none.
CREATE FUNCTION project_drafts_pending(v integer, p bigint, a text) RETURNS text
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	SELECT string_agg(d.id || '（' || CASE d.state WHEN 'draft' THEN '待审核'
	                                            WHEN 'reviewed' THEN '已审核'
	                                            WHEN 'rejected' THEN '已退回'
	                                            ELSE d.state END || '）', ', ' ORDER BY d.id)
	  FROM draft_action x
	  JOIN draft_voucher d ON d.village_id = x.village_id AND d.id = x.draft_id
	 WHERE x.village_id = v AND x.project_id = p AND x.action = a AND d.state <> 'posted'
$$;

-- A new payment or acceptance draft: none of the other kind pending.  The
-- project's row is locked first, so that two sessions drafting a payment
-- and an acceptance of one project at once see each other's draft.
CREATE FUNCTION draft_action_project_order() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	code text;
	pending text;
BEGIN
	SELECT p.code INTO code FROM project p
	 WHERE p.village_id = NEW.village_id AND p.id = NEW.project_id
	   FOR NO KEY UPDATE;
	IF NEW.action = 'project accept' THEN
		pending := project_drafts_pending(NEW.village_id, NEW.project_id, 'project pay');
		IF pending IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ021',
				MESSAGE = format('village %s: project %s has payment drafts awaiting posting: %s; post or delete them before the project is accepted',
				                 village_code(NEW.village_id), code, pending);
		END IF;
	ELSE
		pending := project_drafts_pending(NEW.village_id, NEW.project_id, 'project accept');
		IF pending IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ021',
				MESSAGE = format('village %s: project %s awaits its acceptance in draft %s; no payment is drafted until that draft is posted or deleted',
				                 village_code(NEW.village_id), code, pending);
		END IF;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER draft_action_project_order BEFORE INSERT ON draft_action
	FOR EACH ROW WHEN (NEW.action IN ('project pay', 'project accept'))
	EXECUTE FUNCTION draft_action_project_order();

-- The project's status moving to accepted, by either path.
CREATE FUNCTION project_accept_order() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	pending text;
	accept record;
BEGIN
	pending := project_drafts_pending(NEW.village_id, NEW.id, 'project pay');
	IF pending IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ021',
			MESSAGE = format('village %s: project %s has payment drafts awaiting posting: %s; post or delete them before the project is accepted',
			                 village_code(NEW.village_id), NEW.code, pending);
	END IF;
	-- posting the acceptance's drafts (voucher_draft_action, 0032): their
	-- vouchers are in, their lines not yet
	SELECT d.batch_id, min(d.id) AS first INTO accept
	  FROM draft_action x
	  JOIN draft_voucher d ON d.village_id = x.village_id AND d.id = x.draft_id
	 WHERE x.village_id = NEW.village_id AND x.project_id = NEW.id
	   AND x.action = 'project accept'
	   AND EXISTS (SELECT 1 FROM voucher v WHERE v.village_id = d.village_id
	                  AND v.draft_id = d.id AND v.tx = txid_current())
	 GROUP BY d.batch_id;
	IF NOT FOUND THEN
		RETURN NEW;
	END IF;
	-- the figures project accept computed (fund.c, accept_sql), from the
	-- books without the acceptance's own vouchers, against the drafts':
	-- the cost left in each 153 account, and per earmarked fund the money
	-- paid out of cash and bank for the project
	IF EXISTS (
		WITH mine AS (
			SELECT d.id FROM draft_voucher d WHERE d.batch_id = accept.batch_id),
		posted AS (
			SELECT l.* FROM voucher_line l
			 WHERE l.village_id = NEW.village_id AND l.project_id = NEW.id
			   AND NOT EXISTS (SELECT 1 FROM voucher v WHERE v.village_id = l.village_id
			                      AND v.id = l.voucher_id AND v.draft_id IN (SELECT id FROM mine))),
		drafted AS (
			SELECT l.* FROM draft_line l
			 WHERE l.village_id = NEW.village_id AND l.draft_id IN (SELECT id FROM mine)),
		books AS (
			SELECT 'c' AS k, account_code AS a, sum(debit_fen - credit_fen) AS fen
			  FROM posted WHERE account_code LIKE '153%' GROUP BY 1, 2
			UNION ALL
			SELECT 'f', f.id::text, sum(l.credit_fen)
			  FROM posted l JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id
			 WHERE (l.account_code LIKE '101%' OR l.account_code LIKE '102%')
			   AND f.holding_account NOT LIKE '10%'
			 GROUP BY 1, 2),
		acceptance AS (
			SELECT 'c' AS k, account_code AS a, sum(credit_fen - debit_fen) AS fen
			  FROM drafted WHERE account_code LIKE '153%' GROUP BY 1, 2
			UNION ALL
			SELECT 'f', f.id::text, sum(l.debit_fen - l.credit_fen)
			  FROM drafted l JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id
			 WHERE l.account_code = f.holding_account
			 GROUP BY 1, 2),
		b AS (SELECT * FROM books WHERE fen <> 0),
		a AS (SELECT * FROM acceptance WHERE fen <> 0)
		(SELECT * FROM b EXCEPT SELECT * FROM a)
		UNION ALL
		(SELECT * FROM a EXCEPT SELECT * FROM b)) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ021',
			MESSAGE = format('village %s: project %s: its books changed after the acceptance was drafted (draft %s); delete the acceptance''s drafts and run project accept again',
			                 village_code(NEW.village_id), NEW.code, accept.first);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER project_accept_order BEFORE UPDATE ON project
	FOR EACH ROW WHEN (NEW.status = 'accepted' AND OLD.status IS DISTINCT FROM 'accepted')
	EXECUTE FUNCTION project_accept_order();
