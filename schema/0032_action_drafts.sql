-- 0032_action_drafts.sql - ledger actions under review: their drafts carry
-- what the action records, and posting the draft records it
--
-- The ledger's compound actions post a voucher and record it elsewhere in
-- the same transaction: project pay (project_payment), project accept (the
-- project's acceptance), aid pay (aid_payment), dividend post (dividend_plan
-- and dividend_line) and dividend pay (dividend_line.paid_voucher_id).
-- Where review is required (review_required(), 0015) they save their
-- vouchers as drafts (0016) and, beside each draft, a row of draft_action
-- saying what the action will record.  Nothing else is written: the books,
-- the fund and project totals, the aid caps and the dividends stay as they
-- were until the draft is posted.
--
--   * When post_drafts() posts a draft that carries an action, the row
--     trigger voucher_draft_action on voucher (after the vouchers, before
--     their lines) writes the action's rows from draft_action, naming the
--     new voucher, with the same tables and triggers as the direct path:
--     the caps, the plan's checks, the overspending and budget checks of
--     the lines that follow all run at posting time, against the books as
--     they are then.
--   * A rejected draft keeps its action, unapplied; deleting the draft
--     deletes its action (ON DELETE CASCADE).  Nothing of the action is
--     left anywhere else.
--   * A draft that carries an action is not edited (CJ051): its preparer
--     deletes it and runs the action again.  Its lines are only written in
--     the transaction that made the action.
--   * The action's right is the direct path's table privilege, checked for
--     the login that prepares the draft and again for the one that posts it
--     (42501): a cashier posts a project payment, not a dividend plan.
--   * The drafts of one project accept (one batch, up to two vouchers) are
--     posted together or not at all (CJ055).
--   * Pending actions are unique where the action is: one dividend plan per
--     village and year, one payment per household and year (23505).
SET search_path = cunji, pg_catalog;

CREATE TABLE draft_action (
	village_id     integer NOT NULL,
	draft_id       bigint NOT NULL,
	action         text NOT NULL CHECK (action IN ('project pay', 'project accept', 'aid pay',
	                                              'dividend post', 'dividend pay')),
	project_id     bigint,   -- project pay, project accept
	household_code text,     -- aid pay, dividend pay
	year           integer,  -- dividend post, dividend pay
	aid_id         bigint,   -- aid pay: the id of its aid_payment ('aid-' || id on the draft)
	detail         jsonb NOT NULL DEFAULT '{}',  -- the rest of the action's row
	tx             bigint NOT NULL DEFAULT txid_current(),
	PRIMARY KEY (village_id, draft_id),
	FOREIGN KEY (village_id, draft_id) REFERENCES draft_voucher (village_id, id) ON DELETE CASCADE,
	FOREIGN KEY (village_id, project_id) REFERENCES project (village_id, id),
	FOREIGN KEY (village_id, household_code) REFERENCES household (village_id, code),
	CHECK ((action IN ('project pay', 'project accept')) = (project_id IS NOT NULL)),
	CHECK ((action IN ('aid pay', 'dividend pay')) = (household_code IS NOT NULL)),
	CHECK ((action IN ('dividend post', 'dividend pay')) = (year IS NOT NULL)),
	CHECK ((action = 'aid pay') = (aid_id IS NOT NULL))
);
COMMENT ON TABLE draft_action IS
	'what a ledger action records when its draft is posted (0032, docs/roles.md)';
CREATE UNIQUE INDEX draft_action_plan ON draft_action (village_id, year)
	WHERE action = 'dividend post';
CREATE UNIQUE INDEX draft_action_dividend_pay ON draft_action (village_id, year, household_code)
	WHERE action = 'dividend pay';
CREATE UNIQUE INDEX draft_action_aid ON draft_action (village_id, aid_id) WHERE aid_id IS NOT NULL;

-- The table an action writes and the privilege it takes there: the right
-- to the action.
CREATE FUNCTION draft_action_right(action text, login name) RETURNS boolean
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	SELECT CASE action
	         WHEN 'project pay' THEN has_table_privilege(login, 'cunji.project_payment', 'INSERT')
	         WHEN 'aid pay' THEN has_table_privilege(login, 'cunji.aid_payment', 'INSERT')
	         WHEN 'project accept' THEN has_table_privilege(login, 'cunji.project', 'UPDATE')
	         WHEN 'dividend post' THEN has_table_privilege(login, 'cunji.dividend_plan', 'INSERT')
	         WHEN 'dividend pay' THEN has_table_privilege(login, 'cunji.dividend_line', 'UPDATE')
	       END
$$;

-- A new action: on a draft its login made in this transaction, by a login
-- that may take the action.
CREATE FUNCTION draft_action_inserted() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	NEW.tx := txid_current();
	IF NOT EXISTS (SELECT 1 FROM draft_voucher d
	                WHERE d.village_id = NEW.village_id AND d.id = NEW.draft_id
	                  AND d.state = 'draft' AND d.prepared_by = session_user
	                  AND d.prepared_at = now()) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('village %s: draft %s: an action is saved with the draft it makes, by its preparer',
			                 village_code(NEW.village_id), NEW.draft_id);
	END IF;
	IF NOT draft_action_right(NEW.action, session_user) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('login %s may not %s', session_user, NEW.action);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER draft_action_inserted BEFORE INSERT ON draft_action
	FOR EACH ROW EXECUTE FUNCTION draft_action_inserted();
CREATE TRIGGER draft_action_final BEFORE UPDATE ON draft_action
	FOR EACH ROW EXECUTE FUNCTION append_only();

-- A draft that carries an action is not edited: its content fixed, its
-- lines written only in the action's transaction.
CREATE FUNCTION draft_action_fixed(v integer, d bigint) RETURNS void
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	a text;
BEGIN
	SELECT action INTO a FROM draft_action
	 WHERE village_id = v AND draft_id = d AND tx <> txid_current();
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('village %s: draft %s was made by cunji %s; it is not edited: delete it (cunji voucher delete) and run the action again',
			                 village_code(v), d, a);
	END IF;
END $$;

CREATE FUNCTION draft_action_content() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	PERFORM draft_action_fixed(OLD.village_id, OLD.id);
	RETURN NEW;
END $$;
CREATE TRIGGER draft_action_content BEFORE UPDATE ON draft_voucher
	-- one flat OR, not a row comparison: PostgreSQL keeps a row comparison as
	-- nested ORs that pg_dump prints flat, so a restored database's trigger
	-- would differ from its schema fingerprint (audit verify)
	FOR EACH ROW WHEN (NEW.voucher_date IS DISTINCT FROM OLD.voucher_date
	                   OR NEW.kind IS DISTINCT FROM OLD.kind
	                   OR NEW.summary IS DISTINCT FROM OLD.summary
	                   OR NEW.attachments IS DISTINCT FROM OLD.attachments
	                   OR NEW.external_id IS DISTINCT FROM OLD.external_id
	                   OR NEW.reverses_id IS DISTINCT FROM OLD.reverses_id
	                   OR NEW.negative_cash_reason IS DISTINCT FROM OLD.negative_cash_reason)
	EXECUTE FUNCTION draft_action_content();

-- Lines of drafts that still exist (a deleted draft's lines go with it).
CREATE FUNCTION draft_action_lines() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	r record;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM draft_action) THEN
		RETURN NULL;
	END IF;
	SELECT a.village_id, a.draft_id INTO r
	  FROM (SELECT DISTINCT village_id, draft_id FROM changed_rows) k
	  JOIN draft_action a ON a.village_id = k.village_id AND a.draft_id = k.draft_id
	 WHERE a.tx <> txid_current()
	 LIMIT 1;
	IF FOUND THEN
		PERFORM draft_action_fixed(r.village_id, r.draft_id);
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER draft_action_lines_inserted AFTER INSERT ON draft_line
	REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION draft_action_lines();
CREATE TRIGGER draft_action_lines_updated AFTER UPDATE ON draft_line
	REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION draft_action_lines();
CREATE TRIGGER draft_action_lines_deleted AFTER DELETE ON draft_line
	REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION draft_action_lines();

-- ---------------------------------------------------------------------------
-- Posting: the action of a draft post_drafts() posts, recorded against its
-- new voucher.  A row trigger whose WHEN asks only the new row, so that a
-- voucher posted directly (no draft) costs nothing more.  It fires at the
-- end of post_drafts()'s INSERT into voucher, before the lines go in, so
-- that an aid payment's record is there for the line rules (0004: a payment
-- out of an anti-risk fund needs its aid record), as on the direct path
-- where it comes first; the caps, the plan's checks and the overspending
-- and budget checks of the lines that follow run at posting time.
CREATE FUNCTION voucher_draft_action() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	a draft_action;
	r record;
BEGIN
	SELECT * INTO a FROM draft_action WHERE village_id = NEW.village_id AND draft_id = NEW.draft_id;
	IF NOT FOUND THEN
		RETURN NULL;
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
		VALUES (a.village_id, NEW.id, a.project_id, a.detail->>'tranche', a.detail->>'payee');
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
		        (a.detail->>'declared_on')::date, NEW.id);
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
		UPDATE dividend_line SET paid_voucher_id = NEW.id
		 WHERE village_id = a.village_id AND year = a.year AND household_code = a.household_code;
		IF NOT FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ023',
				MESSAGE = format('village %s: household %s has no %s dividend to pay',
				                 village_code(a.village_id), a.household_code, a.year);
		END IF;
	END CASE;
	RETURN NULL;
END $$;
CREATE TRIGGER voucher_draft_action AFTER INSERT ON voucher
	FOR EACH ROW WHEN (NEW.draft_id IS NOT NULL)
	EXECUTE FUNCTION voucher_draft_action();

-- Bookkeepers, cashiers and admins prepare drafts; the trigger says which
-- actions each may record.  Row-level security comes from secure_schema().
GRANT INSERT ON draft_action TO cunji_admin, cunji_bookkeeper, cunji_cashier;
