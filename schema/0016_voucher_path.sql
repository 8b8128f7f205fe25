-- 0016_voucher_path.sql - the voucher's path: 制单 (prepare) → 审核 (review)
-- → 记账 (post), enforced by the database
--
--   * Drafts live in draft_voucher / draft_line, apart from the books: the
--     posted tables (voucher, voucher_line) and everything kept from them
--     (totals, statements, disclosure) hold posted vouchers only, unchanged.
--   * Who and when come from the session: a draft's prepared_by is
--     session_user, its reviewed_by and rejected_by the reviewing login, a
--     posted voucher's posted_by session_user and posted_at the transaction's
--     time; a value the client supplies is overwritten (drafts) or refused
--     (vouchers, CJ052).
--   * Only its preparer edits or deletes a draft, and only until it is
--     reviewed; nobody changes a reviewed or posted draft (CJ051).  Another
--     login reviews it (the preparer is refused, CJ050) or rejects it with
--     a reason (标错), kept in draft_event.
--   * post_drafts() posts reviewed drafts: it gives each the next number of
--     its village and month (so a deleted draft leaves no gap) and the
--     content hash cj_voucher_hash gives, and copies who prepared and
--     reviewed it.  It runs as the schema's owner (SECURITY DEFINER) and
--     marks its transaction in draft_posting, which no login may write; a
--     voucher that says it comes from a draft is refused outside it (CJ053):
--     a login cannot post other lines than the reviewed.
--   * Where review is required (review_required(village)), a voucher without
--     a draft is refused (CJ053), except the year-end close's closing
--     vouchers.
--   * A month is not closed while it holds drafts not yet posted (CJ054).
--
-- SQLSTATEs: CJ050 review or rejection by the preparer; CJ051 a draft
-- changed by another than its preparer, or after review; CJ052 who or when
-- supplied by the client; CJ053 a voucher that skips its review; CJ054 a
-- month closed with drafts; CJ055 a draft in the wrong state for the step.

-- The setting review_required and review_required(village) are 0015's.

-- A login's full name (app_login), else the login itself (a superuser, or
-- a role that was never a login here).
CREATE FUNCTION login_name(l name) RETURNS text
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	SELECT coalesce((SELECT full_name FROM app_login WHERE login = l), l::text)
$$;

-- The transactions inside post_drafts(), while it runs: only the owner
-- writes this table (no login is granted it), so a voucher that comes from
-- a draft, and a draft marked posted, are known to be post_drafts()'s.
CREATE UNLOGGED TABLE draft_posting (tx bigint PRIMARY KEY);
CREATE FUNCTION posting_drafts() RETURNS boolean
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	SELECT EXISTS (SELECT 1 FROM draft_posting WHERE tx = txid_current())
$$;

-- ---------------------------------------------------------------------------
-- Drafts.  Ids from their own sequence; a batch is the drafts of one call
-- (one file), reviewed and posted together when wanted.
CREATE SEQUENCE draft_id_seq;
CREATE SEQUENCE draft_batch_seq;

CREATE TABLE draft_voucher (
	village_id    integer NOT NULL REFERENCES village_books (village_id),
	id            bigint NOT NULL DEFAULT nextval('draft_id_seq'),
	batch_id      bigint NOT NULL DEFAULT nextval('draft_batch_seq'),
	voucher_date  date NOT NULL CHECK (books_date(voucher_date)),
	kind          text NOT NULL DEFAULT 'normal'
	              CHECK (kind IN ('normal', 'opening', 'reversal')),
	summary       text NOT NULL CHECK (btrim(summary) <> '' AND plain_text(summary)),
	attachments   integer NOT NULL DEFAULT 0 CHECK (attachments >= 0),
	external_id   text COLLATE "C" CHECK (external_id <> ''),
	reverses_id   bigint,
	negative_cash_reason text CHECK (plain_text(negative_cash_reason)),
	state         text NOT NULL DEFAULT 'draft'
	              CHECK (state IN ('draft', 'rejected', 'reviewed', 'posted')),
	prepared_by   name NOT NULL DEFAULT session_user,
	prepared_at   timestamptz NOT NULL DEFAULT now(),
	reviewed_by   name,
	reviewed_at   timestamptz,
	rejected_by   name,
	rejected_at   timestamptz,
	reject_reason text CHECK (plain_text(reject_reason)),
	voucher_id    bigint,
	PRIMARY KEY (village_id, id),
	FOREIGN KEY (village_id, reverses_id) REFERENCES voucher (village_id, id),
	FOREIGN KEY (village_id, voucher_id) REFERENCES voucher (village_id, id),
	CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL)),
	CHECK ((state IN ('reviewed', 'posted')) = (reviewed_by IS NOT NULL)),
	CHECK ((state = 'posted') = (voucher_id IS NOT NULL))
);
-- The drafts still to post, by month: period close asks, lists read.
CREATE INDEX draft_voucher_open ON draft_voucher (village_id, voucher_date)
	WHERE state <> 'posted';
CREATE INDEX draft_voucher_batch ON draft_voucher (batch_id);
CREATE UNIQUE INDEX draft_external_id ON draft_voucher (village_id, external_id)
	WHERE external_id IS NOT NULL AND state <> 'posted';

CREATE TABLE draft_line (
	village_id   integer NOT NULL,
	draft_id     bigint NOT NULL,
	line_no      smallint NOT NULL CHECK (line_no > 0),
	account_code text NOT NULL,
	debit_fen    bigint NOT NULL DEFAULT 0,
	credit_fen   bigint NOT NULL DEFAULT 0,
	summary      text NOT NULL DEFAULT '',
	counterparty text CHECK (plain_text(counterparty)),
	fund_id      bigint,
	project_id   bigint,
	PRIMARY KEY (village_id, draft_id, line_no),
	-- the draft and account are checked by the statement triggers below
	CHECK ((debit_fen = 0) <> (credit_fen = 0)),
	CHECK (debit_fen BETWEEN -10000000000000 AND 10000000000000
	       AND credit_fen BETWEEN -10000000000000 AND 10000000000000)
);

-- Every step after preparing, with who, when and (a rejection) why.
CREATE TABLE draft_event (
	village_id integer NOT NULL,
	id         bigint GENERATED ALWAYS AS IDENTITY,
	draft_id   bigint NOT NULL,
	action     text NOT NULL CHECK (action IN ('edit', 'review', 'reject', 'post', 'delete')),
	by_user    name NOT NULL DEFAULT session_user,
	at         timestamptz NOT NULL DEFAULT now(),
	reason     text,
	PRIMARY KEY (village_id, id)
);
CREATE INDEX draft_event_draft ON draft_event (village_id, draft_id);
CREATE TRIGGER draft_event_append_only BEFORE UPDATE OR DELETE ON draft_event
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER draft_event_no_truncate BEFORE TRUNCATE ON draft_event
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();
CREATE TRIGGER draft_voucher_no_truncate BEFORE TRUNCATE ON draft_voucher
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();
CREATE TRIGGER draft_line_no_truncate BEFORE TRUNCATE ON draft_line
	FOR EACH STATEMENT EXECUTE FUNCTION no_truncate();

-- A new draft is the session's, awaiting review, whatever the client says.
CREATE FUNCTION draft_before_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	NEW.prepared_by := session_user;
	NEW.prepared_at := now();
	NEW.state := 'draft';
	NEW.reviewed_by := NULL;
	NEW.reviewed_at := NULL;
	NEW.rejected_by := NULL;
	NEW.rejected_at := NULL;
	NEW.reject_reason := NULL;
	NEW.voucher_id := NULL;
	RETURN NEW;
END $$;
CREATE TRIGGER draft_before_insert BEFORE INSERT ON draft_voucher
	FOR EACH ROW EXECUTE FUNCTION draft_before_insert();

-- 审核 and 标错 are a reviewer's (or an admin's): a bookkeeper or cashier
-- may update its own drafts' state (an edit sends a rejected draft back to
-- review), so the kind is checked here rather than by a column privilege.
CREATE FUNCTION draft_reviewer(what text) RETURNS void
LANGUAGE plpgsql STABLE SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper)
	   AND NOT EXISTS (SELECT 1 FROM app_login WHERE login = session_user
			      AND kind IN ('reviewer', 'admin') AND disabled_at IS NULL) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('%s: login %s may not review or reject drafts (a reviewer does)',
					 what, session_user);
	END IF;
END $$;
REVOKE ALL ON FUNCTION draft_reviewer(text) FROM PUBLIC;

-- Each step of the path, one UPDATE each (see the header); the database
-- fills in who and when.
CREATE FUNCTION draft_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	what text := format('village %s: draft %s', village_code(OLD.village_id), OLD.id);
	content_changed boolean :=
		(NEW.voucher_date, NEW.kind, NEW.summary, NEW.attachments, NEW.external_id,
		 NEW.reverses_id, NEW.negative_cash_reason)
		IS DISTINCT FROM
		(OLD.voucher_date, OLD.kind, OLD.summary, OLD.attachments, OLD.external_id,
		 OLD.reverses_id, OLD.negative_cash_reason);
BEGIN
	IF OLD.state = 'posted' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('%s was posted; posted vouchers are final (void with a red reversal)',
			                 what);
	END IF;
	IF TG_OP = 'DELETE' THEN
		IF OLD.state = 'reviewed' THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ051',
				MESSAGE = format('%s was reviewed by %s; it cannot be deleted (a reviewer may reject it)',
				                 what, OLD.reviewed_by);
		END IF;
		IF session_user <> OLD.prepared_by THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ051',
				MESSAGE = format('%s was prepared by %s; only its preparer may delete it',
				                 what, OLD.prepared_by);
		END IF;
		RETURN OLD;
	END IF;
	IF (NEW.village_id, NEW.id, NEW.batch_id, NEW.prepared_by, NEW.prepared_at)
	   IS DISTINCT FROM (OLD.village_id, OLD.id, OLD.batch_id, OLD.prepared_by, OLD.prepared_at) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ052',
			MESSAGE = format('%s: its village, id, batch, preparer and time of preparing never change',
			                 what);
	END IF;
	IF NEW.state = 'posted' THEN -- 记账, by post_drafts only
		IF NOT posting_drafts() OR OLD.state <> 'reviewed' OR content_changed THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ053',
				MESSAGE = format('%s: a draft is posted by post_drafts() once reviewed', what);
		END IF;
		NEW.reviewed_by := OLD.reviewed_by;
		NEW.reviewed_at := OLD.reviewed_at;
		RETURN NEW;
	END IF;
	IF content_changed AND NEW.state IN ('reviewed', 'rejected') AND NEW.state <> OLD.state THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('%s: a reviewer reviews or rejects a draft as it is; only its preparer edits it',
			                 what);
	END IF;
	IF NEW.state = 'reviewed' AND OLD.state <> 'reviewed' THEN -- 审核
		IF OLD.state <> 'draft' THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ055',
				MESSAGE = format('%s is %s; its preparer must correct it before it is reviewed',
				                 what, OLD.state);
		END IF;
		IF session_user = OLD.prepared_by THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ050',
				MESSAGE = format('%s was prepared by %s, who cannot also review it (制单人与审核人不能为同一人)',
				                 what, OLD.prepared_by);
		END IF;
		PERFORM draft_reviewer(what);
		NEW.reviewed_by := session_user;
		NEW.reviewed_at := now();
		NEW.rejected_by := OLD.rejected_by;
		NEW.rejected_at := OLD.rejected_at;
		NEW.reject_reason := OLD.reject_reason;
		RETURN NEW;
	END IF;
	IF NEW.state = 'rejected' AND OLD.state <> 'rejected' THEN -- 标错
		IF session_user = OLD.prepared_by THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ050',
				MESSAGE = format('%s was prepared by %s, who edits or deletes it rather than rejecting it',
				                 what, OLD.prepared_by);
		END IF;
		IF btrim(coalesce(NEW.reject_reason, '')) = '' THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ055',
				MESSAGE = format('%s: a rejection needs its reason', what);
		END IF;
		PERFORM draft_reviewer(what);
		NEW.rejected_by := session_user;
		NEW.rejected_at := now();
		NEW.reviewed_by := NULL;
		NEW.reviewed_at := NULL;
		RETURN NEW;
	END IF;
	-- anything else is an edit (or a rejected draft sent back for review)
	IF OLD.state = 'reviewed' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('%s was reviewed by %s; nobody edits a reviewed voucher (a reviewer may reject it)',
			                 what, OLD.reviewed_by);
	END IF;
	IF session_user <> OLD.prepared_by THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('%s was prepared by %s; only its preparer may edit it', what,
			                 OLD.prepared_by);
	END IF;
	NEW.state := 'draft';
	NEW.reviewed_by := NULL;
	NEW.reviewed_at := NULL;
	NEW.rejected_by := OLD.rejected_by;
	NEW.rejected_at := OLD.rejected_at;
	NEW.reject_reason := OLD.reject_reason;
	NEW.voucher_id := NULL;
	RETURN NEW;
END $$;
CREATE TRIGGER draft_guard BEFORE UPDATE OR DELETE ON draft_voucher
	FOR EACH ROW EXECUTE FUNCTION draft_guard();

-- Drafts written (INSERT or an edit): in an open month at or after the
-- books' start (as posting will require), under the village's lock that a
-- period close takes exclusively, so no draft slips into a month being
-- closed.
CREATE FUNCTION draft_written() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	r record;
BEGIN
	PERFORM pg_advisory_xact_lock_shared(village_lock_key(), v)
	   FROM (SELECT DISTINCT village_id AS v FROM new_rows ORDER BY 1) s;
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
CREATE TRIGGER draft_inserted AFTER INSERT ON draft_voucher
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION draft_written();
CREATE TRIGGER draft_updated AFTER UPDATE ON draft_voucher
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION draft_written();

-- Steps after an UPDATE: a reviewed draft has two or more lines and
-- balances (CJ002); each step is recorded in draft_event.
CREATE FUNCTION draft_stepped() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	r record;
BEGIN
	SELECT n.village_id, n.id, count(l.line_no) AS lines, coalesce(sum(l.debit_fen), 0) AS d,
	       coalesce(sum(l.credit_fen), 0) AS c INTO r
	  FROM new_rows n JOIN old_rows o ON o.village_id = n.village_id AND o.id = n.id
	  LEFT JOIN draft_line l ON l.village_id = n.village_id AND l.draft_id = n.id
	 WHERE n.state = 'reviewed' AND o.state <> 'reviewed'
	 GROUP BY n.village_id, n.id
	HAVING count(l.line_no) < 2 OR coalesce(sum(l.debit_fen), 0) <> coalesce(sum(l.credit_fen), 0)
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ002',
			MESSAGE = format('village %s: draft %s cannot be reviewed: %s', village_code(r.village_id),
			                 r.id, CASE WHEN r.lines < 2 THEN format('it has %s lines', r.lines)
			                            ELSE format('debits %s fen do not equal credits %s fen', r.d, r.c) END);
	END IF;
	INSERT INTO draft_event (village_id, draft_id, action, reason)
	SELECT n.village_id, n.id,
	       CASE n.state WHEN 'reviewed' THEN 'review' WHEN 'rejected' THEN 'reject'
	                    WHEN 'posted' THEN 'post' ELSE 'edit' END,
	       CASE WHEN n.state = 'rejected' THEN n.reject_reason END
	  FROM new_rows n JOIN old_rows o ON o.village_id = n.village_id AND o.id = n.id
	 WHERE n.state <> o.state OR n.state = 'draft';
	RETURN NULL;
END $$;
CREATE TRIGGER draft_stepped AFTER UPDATE ON draft_voucher
	REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION draft_stepped();

-- A deleted draft takes its lines with it, and is recorded.
CREATE FUNCTION draft_deleted() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	DELETE FROM draft_line l USING old_rows o
	 WHERE l.village_id = o.village_id AND l.draft_id = o.id;
	INSERT INTO draft_event (village_id, draft_id, action)
	SELECT village_id, id, 'delete' FROM old_rows;
	RETURN NULL;
END $$;
CREATE TRIGGER draft_deleted AFTER DELETE ON draft_voucher
	REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION draft_deleted();

-- Lines change only with their draft's preparer, while it awaits review or
-- is rejected; a line's account is a leaf and active account of the
-- village (CJ004).  The drafts are locked (FOR SHARE), so a review waits
-- for an edit in flight and then sees it.
CREATE FUNCTION draft_lines_changed() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	r record;
BEGIN
	SELECT k.village_id, k.draft_id, d.state, d.prepared_by, d.reviewed_by INTO r
	  FROM (SELECT DISTINCT village_id, draft_id FROM changed_rows) k
	  LEFT JOIN LATERAL (SELECT d.state, d.prepared_by, d.reviewed_by FROM draft_voucher d
	                      WHERE d.village_id = k.village_id AND d.id = k.draft_id
	                      FOR SHARE) d ON true
	 WHERE (d.state IS NULL AND TG_OP <> 'DELETE')
	    OR d.state NOT IN ('draft', 'rejected') OR d.prepared_by <> session_user
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('village %s: draft %s: %s', village_code(r.village_id), r.draft_id,
			                 CASE WHEN r.state IS NULL THEN 'no such draft'
			                      WHEN r.state = 'posted' THEN 'it was posted; posted vouchers are final'
			                      WHEN r.state = 'reviewed'
			                        THEN format('it was reviewed by %s; nobody edits a reviewed voucher', r.reviewed_by)
			                      ELSE format('it was prepared by %s; only its preparer may edit it', r.prepared_by)
			                 END);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		SELECT k.village_id, k.account_code, a.code AS found, a.is_leaf, a.active INTO r
		  FROM (SELECT DISTINCT village_id, account_code FROM changed_rows) k
		  LEFT JOIN account a ON a.village_id = k.village_id AND a.code = k.account_code
		 WHERE a.code IS NULL OR NOT a.is_leaf OR NOT a.active
		 LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ004',
				MESSAGE = format('village %s: account %s %s', village_code(r.village_id),
				                 r.account_code,
				                 CASE WHEN r.found IS NULL THEN 'does not exist'
				                      WHEN NOT r.is_leaf THEN 'has sub-accounts; post to one of them'
				                      ELSE 'is inactive' END);
		END IF;
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER draft_lines_inserted AFTER INSERT ON draft_line
	REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION draft_lines_changed();
CREATE TRIGGER draft_lines_updated AFTER UPDATE ON draft_line
	REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION draft_lines_changed();
CREATE TRIGGER draft_lines_deleted AFTER DELETE ON draft_line
	REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION draft_lines_changed();
-- an UPDATE may move a line to another draft: its old draft must allow it too
CREATE TRIGGER draft_lines_moved AFTER UPDATE ON draft_line
	REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION draft_lines_changed();

-- ---------------------------------------------------------------------------
-- Posted vouchers: who prepared and reviewed them, and the draft they came
-- from.  Vouchers posted before 0016 have no prepared_by (their preparer
-- text and posted_by say what was known).
ALTER TABLE voucher ADD COLUMN prepared_by name;
ALTER TABLE voucher ADD COLUMN reviewed_by name;
ALTER TABLE voucher ADD COLUMN reviewed_at timestamptz;
ALTER TABLE voucher ADD COLUMN draft_id bigint;
ALTER TABLE voucher ALTER COLUMN prepared_by SET DEFAULT session_user;
ALTER TABLE voucher ALTER COLUMN posted_by SET DEFAULT session_user;

-- Each INSERT into voucher: who and when are the session's (CJ052); a
-- voucher from a draft is written by post_drafts() alone (CJ053); where
-- review is required, none skips it (CJ053).
CREATE FUNCTION voucher_path_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	me name := session_user;
	t timestamptz := now();
	forged boolean;
	drafted boolean;
	r record;
BEGIN
	-- One pass over the statement's vouchers (a refusal looks again for
	-- words); not for a superuser, who could switch any trigger off.  A
	-- login may not name posted_by or posted_at at all (42501, 0015's column
	-- privileges); prepared_by, reviewed_by, reviewed_at and draft_id it may
	-- name, and this refuses what it forges.
	IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = me) THEN
		SELECT bool_or(n.posted_by IS DISTINCT FROM me::text OR n.posted_at IS DISTINCT FROM t
		               OR (n.draft_id IS NULL AND (n.prepared_by IS DISTINCT FROM me
		                                           OR n.reviewed_by IS NOT NULL
		                                           OR n.reviewed_at IS NOT NULL))),
		       bool_or(n.draft_id IS NOT NULL)
		  INTO forged, drafted FROM new_rows n;
	END IF;
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
		  FROM new_rows n
		 WHERE n.posted_by IS DISTINCT FROM me::text OR n.posted_at IS DISTINCT FROM t
		    OR (n.draft_id IS NULL AND (n.prepared_by IS DISTINCT FROM me
		                                OR n.reviewed_by IS NOT NULL OR n.reviewed_at IS NOT NULL))
		 LIMIT 1;
		RAISE EXCEPTION USING ERRCODE = 'CJ052',
			MESSAGE = format('village %s: voucher %s-%s: %s; who and when are recorded by the database',
			                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'), r.number, r.why);
	END IF;
	IF drafted AND NOT posting_drafts() THEN
		SELECT n.village_id, n.period, n.number, n.draft_id INTO r
		  FROM new_rows n WHERE n.draft_id IS NOT NULL LIMIT 1;
		RAISE EXCEPTION USING ERRCODE = 'CJ053',
			MESSAGE = format('village %s: voucher %s-%s: a draft (%s) is posted by post_drafts() (cunji voucher post), which posts what was reviewed',
			                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'), r.number, r.draft_id);
	END IF;
	-- where review is required, nothing skips it; asked once per village
	-- (a filter on the rows would be pushed down to each), and only when
	-- some county or township requires it at all
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
	RETURN NULL;
END $$;
CREATE TRIGGER voucher_path_check AFTER INSERT ON voucher
	REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION voucher_path_check();

-- ---------------------------------------------------------------------------
-- 记账: post reviewed drafts, all or nothing: those of p_ids in p_village,
-- or (p_batch not NULL) every draft of the batch, which must all be
-- reviewed.  Each gets the next number of its village and month in date
-- order (voucher_counter, as every posting), the content hash
-- cj_voucher_hash computes (hash_field, 0007), the preparer and reviewer of
-- its draft; the posting tables' triggers check every rule as for any
-- voucher.  It runs as the owner, for the caller: the caller must be allowed
-- to insert vouchers, and the villages must be in its scope (my_villages(),
-- migration 0015, when present).
CREATE FUNCTION post_drafts(p_village integer, p_ids bigint[], p_batch bigint)
RETURNS TABLE (draft_id bigint, village_id integer, voucher_id bigint, period date, number integer)
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
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

-- ---------------------------------------------------------------------------
-- A month is closed only when none of its drafts is left to post.
CREATE FUNCTION period_close_drafts() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	r record;
BEGIN
	SELECT count(*) AS n, min(id) AS first INTO r FROM draft_voucher
	 WHERE village_id = NEW.village_id AND state <> 'posted'
	   AND voucher_date >= NEW.period AND voucher_date < NEW.period + interval '1 month';
	IF r.n > 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ054',
			MESSAGE = format('village %s: %s has %s draft(s) not yet posted (the first: draft %s); post or delete them before closing the month',
			                 village_code(NEW.village_id), to_char(NEW.period, 'YYYY-MM'), r.n, r.first);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER period_close_drafts BEFORE INSERT OR UPDATE ON period_state
	FOR EACH ROW WHEN (NEW.closed) EXECUTE FUNCTION period_close_drafts();

-- ---------------------------------------------------------------------------
-- What each kind of login may do with drafts (docs/roles.md).  Row-level
-- security on draft_voucher, draft_line and draft_event, and every trigger
-- function running as the owner, come from secure_schema() (0015), which
-- migrate.c runs after the migrations.  Every kind reads (default
-- privileges); bookkeepers, cashiers and admins prepare (the triggers keep
-- each to their own drafts); reviewers review and reject (the state and the
-- reason only; draft_reviewer() keeps the others from it); draft_event and
-- draft_posting are written by the owner alone.  记账 is post_drafts(), for
-- the kinds that post vouchers: bookkeepers, cashiers and admins, in their
-- scope (voucher_access refuses the kinds of voucher theirs may not write).
GRANT INSERT, UPDATE, DELETE ON draft_voucher, draft_line
	TO cunji_admin, cunji_bookkeeper, cunji_cashier;
GRANT UPDATE (state, reject_reason) ON draft_voucher TO cunji_reviewer;
REVOKE ALL ON FUNCTION post_drafts(integer, bigint[], bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION post_drafts(integer, bigint[], bigint)
	TO cunji_admin, cunji_bookkeeper, cunji_cashier;
