-- 0031_draft_batches.sql - a file's drafts as one batch, saved, reviewed and
-- posted by a few set-based statements (issue 14: "a county-year still goes
-- in quickly")
--
-- The draft tables' row triggers (draft_before_insert, draft_guard, and the
-- audit trail's zz_audit_row, which appends one audit record and one chain
-- link per row) made a county-year of drafts cost about a hundred times its
-- direct import.  A batch step now runs in bulk mode:
--
--   * the switch is cunji.draft_bulk = 'on', read by the row triggers' WHEN
--     clauses (a setting costs nothing per row);
--   * a login could set it itself, so it counts only with its proof: a row of
--     draft_bulk for the transaction, which only the owner writes, through
--     draft_bulk_begin() (a file saved as drafts by its preparer) or inside
--     review_draft_batch() and post_draft_batch() (the mode is 'review' or
--     'post' only while they run);
--   * every statement on the draft tables in bulk mode passes draft_bulk_step(),
--     a statement trigger that refuses it without the proof or outside what
--     the mode allows, checks set-based what the row triggers would have
--     (who and when are the session's, a new draft awaits review, a review is
--     never by the preparer), and writes the audit trail set-based: one
--     record per statement, table and village, whose old and new values are
--     the arrays of the rows' values (audit verify counts each element as a
--     row), each record one link of the village's chain (chain_append, 0021);
--   * review_draft_batch(batch): 审核 of a whole batch in one UPDATE, by a
--     reviewer or admin in scope, refused as a whole when the reviewer
--     prepared any of it (CJ050) or a draft does not balance (CJ002);
--   * post_draft_batch(batch): post_drafts() of the batch (numbers gapless
--     per village and month, every posting trigger, the vouchers chained per
--     statement and village) with its drafts marked posted in bulk.

CREATE UNLOGGED TABLE draft_bulk (
	tx   bigint PRIMARY KEY,
	mode text NOT NULL CHECK (mode IN ('import', 'review', 'post'))
);
COMMENT ON TABLE draft_bulk IS
	'transactions in a bulk step of drafts (0031); written only by the owner''s functions';

CREATE FUNCTION draft_bulk_mode() RETURNS text
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	SELECT mode FROM draft_bulk WHERE tx = txid_current()
$$;

-- A file's drafts, saved by its preparer in bulk: the caller sets
-- cunji.draft_bulk to 'on' (SET LOCAL) around its INSERTs, and may only
-- insert drafts and their lines meanwhile.
CREATE FUNCTION draft_bulk_begin() RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper)
	   AND NOT EXISTS (SELECT 1 FROM app_login WHERE login = session_user
			      AND kind IN ('admin', 'bookkeeper', 'cashier') AND disabled_at IS NULL) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('login %s may not prepare drafts', session_user);
	END IF;
	INSERT INTO draft_bulk VALUES (txid_current(), 'import')
	ON CONFLICT (tx) DO UPDATE SET mode = 'import';
END $$;

CREATE FUNCTION draft_bulk_end() RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
	DELETE FROM draft_bulk WHERE tx = txid_current() AND mode = 'import'
$$;

-- The row triggers stand aside in bulk mode; draft_bulk_step does their work.
DROP TRIGGER draft_before_insert ON draft_voucher;
CREATE TRIGGER draft_before_insert BEFORE INSERT ON draft_voucher
	FOR EACH ROW WHEN (current_setting('cunji.draft_bulk', true) IS DISTINCT FROM 'on')
	EXECUTE FUNCTION draft_before_insert();
DROP TRIGGER draft_guard ON draft_voucher;
CREATE TRIGGER draft_guard BEFORE UPDATE ON draft_voucher
	FOR EACH ROW WHEN (current_setting('cunji.draft_bulk', true) IS DISTINCT FROM 'on')
	EXECUTE FUNCTION draft_guard();
-- a DELETE is never bulk (draft_bulk_step refuses it there): always guarded
CREATE TRIGGER draft_guard_delete BEFORE DELETE ON draft_voucher
	FOR EACH ROW EXECUTE FUNCTION draft_guard();

-- The audit trail's row trigger (audit_attach, 0021) keeps its name, so that
-- audit_attach() finds it attached; its arguments are the primary key's.
DROP TRIGGER IF EXISTS zz_audit_row ON draft_voucher;
CREATE TRIGGER zz_audit_row AFTER INSERT OR UPDATE OR DELETE ON draft_voucher
	FOR EACH ROW WHEN (current_setting('cunji.draft_bulk', true) IS DISTINCT FROM 'on')
	EXECUTE FUNCTION audit_row('village_id', 'id');
DROP TRIGGER IF EXISTS zz_audit_row ON draft_line;
CREATE TRIGGER zz_audit_row AFTER INSERT OR UPDATE OR DELETE ON draft_line
	FOR EACH ROW WHEN (current_setting('cunji.draft_bulk', true) IS DISTINCT FROM 'on')
	EXECUTE FUNCTION audit_row('village_id', 'draft_id', 'line_no');
DROP TRIGGER IF EXISTS zz_audit_row ON draft_event;
CREATE TRIGGER zz_audit_row AFTER INSERT OR UPDATE OR DELETE ON draft_event
	FOR EACH ROW WHEN (current_setting('cunji.draft_bulk', true) IS DISTINCT FROM 'on')
	EXECUTE FUNCTION audit_row('village_id', 'id');

-- ---------------------------------------------------------------------------
-- Every statement on a draft table in bulk mode (see the header).  TG_ARGV[0]
-- names the transition tables it has: 'new', 'old' or 'both'.
CREATE FUNCTION draft_bulk_step() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp
SET TimeZone = 'UTC' AS $$
DECLARE
	m text;
	r record;
	a audit_log;
BEGIN
	IF current_setting('cunji.draft_bulk', true) IS DISTINCT FROM 'on' THEN
		RETURN NULL; -- the row triggers did it all
	END IF;
	m := draft_bulk_mode();
	IF m IS NULL
	   OR (m = 'import' AND NOT (TG_OP = 'INSERT' AND TG_TABLE_NAME IN ('draft_voucher', 'draft_line')))
	   OR (m IN ('review', 'post') AND NOT ((TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'draft_voucher')
					      OR (TG_OP = 'INSERT' AND TG_TABLE_NAME = 'draft_event'))) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('%s on %s with cunji.draft_bulk on: only draft_bulk_begin(), review_draft_batch() and post_draft_batch() work in bulk',
					 TG_OP, TG_TABLE_NAME);
	END IF;

	IF TG_TABLE_NAME = 'draft_voucher' AND TG_OP = 'INSERT' THEN
		-- what draft_before_insert would have made of them
		SELECT n.village_id, n.id INTO r FROM bulk_new n
		 WHERE n.state <> 'draft' OR n.prepared_by <> session_user OR n.prepared_at <> now()
		    OR n.reviewed_by IS NOT NULL OR n.reviewed_at IS NOT NULL OR n.rejected_by IS NOT NULL
		    OR n.rejected_at IS NOT NULL OR n.reject_reason IS NOT NULL OR n.voucher_id IS NOT NULL
		 LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ052',
				MESSAGE = format('village %s: draft %s: a new draft is its session''s, awaiting review; who and when are recorded by the database',
						 village_code(r.village_id), r.id);
		END IF;
	ELSIF TG_TABLE_NAME = 'draft_voucher' THEN -- UPDATE, by review_draft_batch or post_draft_batch
		SELECT n.village_id, n.id, n.prepared_by, o.state AS was, n.state INTO r
		  FROM bulk_new n JOIN bulk_old o ON o.village_id = n.village_id AND o.id = n.id
		 WHERE (n.village_id, n.id, n.batch_id, n.prepared_by, n.prepared_at, n.voucher_date, n.kind,
			n.summary, n.attachments, n.external_id, n.reverses_id, n.negative_cash_reason)
		       IS DISTINCT FROM
		       (o.village_id, o.id, o.batch_id, o.prepared_by, o.prepared_at, o.voucher_date, o.kind,
			o.summary, o.attachments, o.external_id, o.reverses_id, o.negative_cash_reason)
		    OR (m = 'review' AND (o.state <> 'draft' OR n.state <> 'reviewed'
					  OR n.reviewed_by IS DISTINCT FROM session_user
					  OR n.reviewed_by = n.prepared_by OR n.reviewed_at <> now()))
		    OR (m = 'post' AND (o.state <> 'reviewed' OR n.state <> 'posted'
					OR (n.reviewed_by, n.reviewed_at) IS DISTINCT FROM (o.reviewed_by, o.reviewed_at)
					OR NOT posting_drafts()))
		 LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = CASE WHEN r.prepared_by = session_user THEN 'CJ050' ELSE 'CJ055' END,
				MESSAGE = CASE WHEN r.prepared_by = session_user AND m = 'review'
					THEN format('village %s: draft %s was prepared by %s, who cannot also review it (制单人与审核人不能为同一人)',
						    village_code(r.village_id), r.id, r.prepared_by)
					ELSE format('village %s: draft %s: a batch step takes a draft from %s to %s as it is',
						    village_code(r.village_id), r.id, r.was, r.state) END;
		END IF;
	END IF;

	-- the audit trail, one record per village (audit_row's, in bulk; json_agg
	-- then one parse costs half of jsonb_agg of each row's to_jsonb, and reads
	-- the same); each form names only the transition tables its trigger has
	IF TG_ARGV[0] = 'new' THEN
		FOR a IN
			INSERT INTO audit_log (village_id, tbl, op, row_key, old, new)
			SELECT x.village_id, TG_TABLE_NAME, TG_OP, NULL, NULL, (json_agg(x))::jsonb
			  FROM bulk_new x GROUP BY x.village_id ORDER BY x.village_id
			RETURNING *
		LOOP
			PERFORM chain_append(a.village_id, 'audit', ARRAY[a.id], audit_content(a));
		END LOOP;
	ELSIF TG_ARGV[0] = 'both' THEN
		FOR a IN
			INSERT INTO audit_log (village_id, tbl, op, row_key, old, new)
			SELECT n.village_id, TG_TABLE_NAME, TG_OP, NULL, o.rows, n.rows
			  FROM (SELECT x.village_id, (json_agg(x))::jsonb AS rows FROM bulk_new x
				 GROUP BY x.village_id) n
			  JOIN (SELECT x.village_id, (json_agg(x))::jsonb AS rows FROM bulk_old x
				 GROUP BY x.village_id) o ON o.village_id = n.village_id
			 ORDER BY n.village_id
			RETURNING *
		LOOP
			PERFORM chain_append(a.village_id, 'audit', ARRAY[a.id], audit_content(a));
		END LOOP;
	END IF;
	RETURN NULL;
END $$;

CREATE TRIGGER draft_bulk_inserted AFTER INSERT ON draft_voucher
	REFERENCING NEW TABLE AS bulk_new FOR EACH STATEMENT EXECUTE FUNCTION draft_bulk_step('new');
CREATE TRIGGER draft_bulk_updated AFTER UPDATE ON draft_voucher
	REFERENCING OLD TABLE AS bulk_old NEW TABLE AS bulk_new
	FOR EACH STATEMENT EXECUTE FUNCTION draft_bulk_step('both');
CREATE TRIGGER draft_bulk_deleted AFTER DELETE ON draft_voucher
	FOR EACH STATEMENT EXECUTE FUNCTION draft_bulk_step('none');
CREATE TRIGGER draft_bulk_inserted AFTER INSERT ON draft_line
	REFERENCING NEW TABLE AS bulk_new FOR EACH STATEMENT EXECUTE FUNCTION draft_bulk_step('new');
CREATE TRIGGER draft_bulk_changed AFTER UPDATE OR DELETE ON draft_line
	FOR EACH STATEMENT EXECUTE FUNCTION draft_bulk_step('none');
CREATE TRIGGER draft_bulk_inserted AFTER INSERT ON draft_event
	REFERENCING NEW TABLE AS bulk_new FOR EACH STATEMENT EXECUTE FUNCTION draft_bulk_step('new');

-- ---------------------------------------------------------------------------
-- 审核 of a whole batch: every draft of it awaiting review, in one UPDATE, by
-- a reviewer or admin whose scope holds its villages; refused as a whole if
-- the reviewer prepared any of them (CJ050).  draft_stepped (0016) checks
-- each balances and records each step in draft_event, as for one draft.
-- Returns how many were reviewed.
CREATE FUNCTION review_draft_batch(p_batch bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
DECLARE
	r record;
	n bigint;
	mine integer[];
BEGIN
	-- the drafts, locked in one order (an edit in flight finishes first)
	PERFORM 1 FROM draft_voucher d WHERE d.batch_id = p_batch AND d.state = 'draft'
	  ORDER BY d.village_id, d.id FOR UPDATE;
	-- in the row guard's order: the preparer, then the kind of login
	SELECT d.village_id, d.id, d.prepared_by INTO r
	  FROM draft_voucher d
	 WHERE d.batch_id = p_batch AND d.state = 'draft' AND d.prepared_by = session_user
	 ORDER BY d.village_id, d.id LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ050',
			MESSAGE = format('village %s: draft %s was prepared by %s, who cannot also review it (制单人与审核人不能为同一人)',
					 village_code(r.village_id), r.id, r.prepared_by);
	END IF;
	PERFORM draft_reviewer(format('batch %s', p_batch));
	mine := my_villages();
	SELECT d.village_id INTO r
	  FROM draft_voucher d
	 WHERE d.batch_id = p_batch AND d.state = 'draft' AND d.village_id <> ALL (mine)
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('login %s may not review drafts of village %s: it is not in its scope',
					 session_user, village_code(r.village_id));
	END IF;
	INSERT INTO draft_bulk VALUES (txid_current(), 'review')
	ON CONFLICT (tx) DO UPDATE SET mode = 'review';
	PERFORM set_config('cunji.draft_bulk', 'on', true);
	UPDATE draft_voucher SET state = 'reviewed', reviewed_by = session_user, reviewed_at = now()
	 WHERE batch_id = p_batch AND state = 'draft';
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM set_config('cunji.draft_bulk', 'off', true);
	DELETE FROM draft_bulk WHERE tx = txid_current();
	RETURN n;
END $$;

-- 记账 of a whole batch: post_drafts() (0016) of the batch, which must be
-- reviewed whole, its drafts marked posted in bulk (who may post where is
-- post_drafts()'s and the posting triggers' to say).  Returns how many
-- vouchers were posted.
CREATE FUNCTION post_draft_batch(p_batch bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
DECLARE
	n bigint;
BEGIN
	INSERT INTO draft_bulk VALUES (txid_current(), 'post')
	ON CONFLICT (tx) DO UPDATE SET mode = 'post';
	PERFORM set_config('cunji.draft_bulk', 'on', true);
	SELECT count(*) INTO n FROM post_drafts(NULL, NULL, p_batch);
	PERFORM set_config('cunji.draft_bulk', 'off', true);
	DELETE FROM draft_bulk WHERE tx = txid_current();
	RETURN n;
END $$;

REVOKE ALL ON FUNCTION draft_bulk_begin(), draft_bulk_end(), review_draft_batch(bigint),
	post_draft_batch(bigint) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION draft_bulk_begin(), draft_bulk_end(), post_draft_batch(bigint)
	TO cunji_admin, cunji_bookkeeper, cunji_cashier;
-- every kind that prepares or reviews: the function says who may (a
-- preparer hears that it prepared them, as from the row guard)
GRANT EXECUTE ON FUNCTION review_draft_batch(bigint)
	TO cunji_admin, cunji_reviewer, cunji_bookkeeper, cunji_cashier;
REVOKE ALL ON draft_bulk FROM PUBLIC;

SELECT secure_schema();
