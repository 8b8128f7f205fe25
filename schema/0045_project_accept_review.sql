-- 0045_project_accept_review.sql - a project accepted under review is a
-- reviewer's act; the pending drafts named in English
--
-- Where review is required (0032), project accept saves its vouchers as
-- drafts, and the acceptance takes effect when another login has reviewed
-- them and they are posted.  A project with nothing to book (no cost left
-- in 153, no earmarked money paid out) makes no voucher, so there was no
-- draft to review: a bookkeeper alone accepted it at once.  Now, where
-- review is required, a project's status moves to accepted only
--
--   * by posting its acceptance's drafts (voucher_draft_action, 0032), or
--   * directly, by a reviewer or an admin (their doing it is the review),
--     and only when there is nothing to book: an acceptance that books
--     vouchers goes through its drafts.
--
-- A reviewer may UPDATE a project's acceptance columns for that, and for
-- nothing else (the trigger refuses any other change by a reviewer).
-- Where review is not required, nothing changes.
--
-- project_drafts_pending() (0039) wrote each draft's state in Chinese into
-- an English message; it writes English now ('12 (awaiting review), 15
-- (rejected)') and the client translates the list item by item
-- (ledger/lib/db_messages.c).
SET search_path = cunji, pg_catalog;

CREATE OR REPLACE FUNCTION project_drafts_pending(v integer, p bigint, a text) RETURNS text
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	SELECT string_agg(d.id || ' (' || CASE d.state WHEN 'draft' THEN 'awaiting review'
	                                            ELSE d.state END || ')', ', ' ORDER BY d.id)
	  FROM draft_action x
	  JOIN draft_voucher d ON d.village_id = x.village_id AND d.id = x.draft_id
	 WHERE x.village_id = v AND x.project_id = p AND x.action = a AND d.state <> 'posted'
$$;

CREATE FUNCTION project_accept_review() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	accepting boolean := NEW.status = 'accepted' AND OLD.status IS DISTINCT FROM 'accepted';
	reviewer boolean := pg_has_role(session_user, 'cunji_reviewer', 'MEMBER')
	                    OR pg_has_role(session_user, 'cunji_admin', 'MEMBER');
	writer boolean := pg_has_role(session_user, 'cunji_bookkeeper', 'MEMBER')
	                  OR pg_has_role(session_user, 'cunji_admin', 'MEMBER');
BEGIN
	IF accepting AND review_required(NEW.village_id)
	   -- not the posting of its acceptance's drafts
	   AND NOT EXISTS (SELECT 1 FROM draft_action x
	                     JOIN voucher v ON v.village_id = x.village_id AND v.draft_id = x.draft_id
	                    WHERE x.village_id = NEW.village_id AND x.project_id = NEW.id
	                      AND x.action = 'project accept' AND v.tx = txid_current()) THEN
		IF NOT reviewer THEN
			RAISE EXCEPTION USING ERRCODE = '42501',
				MESSAGE = format('village %s: project %s: vouchers here need review, so a project with nothing to book is accepted by a reviewer or an admin (cunji project accept under their login); login %s is neither',
				                 village_code(NEW.village_id), NEW.code, session_user);
		END IF;
		-- what project accept would book (fund.c, accept_sql): the cost left
		-- in 153, the earmarked money paid out of cash and bank
		IF EXISTS (SELECT 1 FROM voucher_line l
		            WHERE l.village_id = NEW.village_id AND l.project_id = NEW.id
		              AND l.account_code LIKE '153%'
		            GROUP BY l.account_code HAVING sum(l.debit_fen - l.credit_fen) <> 0)
		   OR EXISTS (SELECT 1 FROM voucher_line l
		                JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id
		               WHERE l.village_id = NEW.village_id AND l.project_id = NEW.id
		                 AND (l.account_code LIKE '101%' OR l.account_code LIKE '102%')
		                 AND f.holding_account NOT LIKE '10%'
		               GROUP BY f.id HAVING sum(l.credit_fen) <> 0) THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ021',
				MESSAGE = format('village %s: project %s has costs or earmarked payments to book at its acceptance; where vouchers need review, its acceptance is drafted (cunji project accept by a bookkeeper) and reviewed',
				                 village_code(NEW.village_id), NEW.code);
		END IF;
		RETURN NEW;
	END IF;
	IF NOT writer AND NOT (accepting AND review_required(NEW.village_id)) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('village %s: project %s: login %s, a reviewer, only accepts a project with nothing to book where vouchers need review',
			                 village_code(NEW.village_id), NEW.code, session_user);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER project_accept_review BEFORE UPDATE ON project
	FOR EACH ROW EXECUTE FUNCTION project_accept_review();

-- the acceptance's columns only (the trigger above says when)
GRANT UPDATE (status, asset_kind, asset_account, asset_value_fen, accepted_on) ON project
	TO cunji_reviewer;
