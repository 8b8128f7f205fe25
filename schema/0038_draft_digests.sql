-- 0038_draft_digests.sql - a bulk step's audit record holds each row's key
-- and digest, not its image (issue 14: "a county-year still goes in
-- quickly"; issue 15: the trail still says who, when, which rows, old and new)
--
-- Since 0031 a bulk step on the draft tables wrote one audit record per
-- statement, table and village whose old and new values were the arrays of
-- the rows' jsonb images: about two thirds of the draft path's cost
-- (docs/performance.md).  The rows themselves are in the draft tables, which
-- nobody edits outside the guarded paths, so the record now holds, per row,
-- its key and the SHA-256 of its text (draft_digest below), in
--     {"rows": ["KEY:HEX", ...]}                       (INSERT: new; UPDATE: old)
--     {"rows": [...], "set": {"state": ..., ...}}      (UPDATE: new, the state change)
-- KEY is the row's id (draft_voucher, draft_event) or draft_id.line_no
-- (draft_line).  The record is one link of the village's chain as before, so
-- it cannot be changed, and `audit verify` recomputes each row's digest from
-- the draft tables (a row changed or deleted behind the trail's back no longer
-- matches the last record of it; docs/audit.md, "Bulk records of drafts").
--
-- The canonical text of a row is PostgreSQL's text form of the table's row
-- (record_out) with TimeZone = 'UTC' and DateStyle = 'ISO': the trigger below
-- and audit verify set both.

-- A row's "KEY:HEX": HEX the lowercase hex SHA-256 of the UTF-8 row text.
CREATE FUNCTION draft_digest(r draft_voucher) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT r.id::text || ':' || encode(sha256(convert_to(r::text, 'UTF8')), 'hex')
$$;
CREATE FUNCTION draft_digest(r draft_line) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT r.draft_id::text || '.' || r.line_no::text || ':'
	       || encode(sha256(convert_to(r::text, 'UTF8')), 'hex')
$$;
CREATE FUNCTION draft_digest(r draft_event) RETURNS text
LANGUAGE sql STABLE AS $$
	SELECT r.id::text || ':' || encode(sha256(convert_to(r::text, 'UTF8')), 'hex')
$$;

-- The same of a row image the trail kept (a row-by-row record, or an element
-- of a 0031 bulk record), for audit verify; NULL for other tables.
CREATE FUNCTION draft_image_digest(tbl text, img jsonb) RETURNS text
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	SELECT CASE tbl
		WHEN 'draft_voucher' THEN draft_digest(jsonb_populate_record(NULL::draft_voucher, img))
		WHEN 'draft_line' THEN draft_digest(jsonb_populate_record(NULL::draft_line, img))
		WHEN 'draft_event' THEN draft_digest(jsonb_populate_record(NULL::draft_event, img)) END
$$;

-- What audit verify counts as the rows of an audit record's old or new value
-- of a draft table: a JSON array of "KEY:HEX" strings whatever the record's
-- form (row by row, a 0031 array of images, or this migration's digests).
CREATE FUNCTION draft_audit_rows(tbl text, v jsonb) RETURNS jsonb
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	SELECT CASE
		WHEN v IS NULL THEN NULL
		WHEN jsonb_typeof(v) = 'array'
			THEN coalesce((SELECT jsonb_agg(draft_image_digest(tbl, e)) FROM jsonb_array_elements(v) e),
				      '[]')
		WHEN v ? 'rows' AND jsonb_typeof(v -> 'rows') = 'array' THEN v -> 'rows'
		ELSE jsonb_build_array(draft_image_digest(tbl, v)) END
$$;

-- ---------------------------------------------------------------------------
-- A batch step is one event per village of the batch (draft_id empty,
-- batch_id set), not one per draft: the drafts' own state columns and the
-- step's audit record already say who did what to which draft, and the
-- event rows were a fifth of a batch's review.  A step on single drafts
-- records one event per draft as before.
ALTER TABLE draft_event ADD COLUMN batch_id bigint,
	ALTER COLUMN draft_id DROP NOT NULL,
	ADD CONSTRAINT draft_event_draft_or_batch CHECK ((draft_id IS NULL) <> (batch_id IS NULL));
COMMENT ON COLUMN draft_event.batch_id IS
	'a step of a whole batch in bulk (0038): one event per village of the batch, draft_id empty';

CREATE OR REPLACE FUNCTION draft_stepped() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
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
	IF current_setting('cunji.draft_bulk', true) = 'on' THEN
		-- review_draft_batch or post_draft_batch (draft_bulk_step refuses
		-- the statement otherwise): one event per village and batch
		INSERT INTO draft_event (village_id, batch_id, action)
		SELECT n.village_id, n.batch_id,
		       CASE n.state WHEN 'reviewed' THEN 'review' ELSE 'post' END
		  FROM new_rows n
		 GROUP BY n.village_id, n.batch_id, n.state
		 ORDER BY n.village_id, n.batch_id;
		RETURN NULL;
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

-- ---------------------------------------------------------------------------
-- draft_bulk_step (0031) again: the same checks, the audit record in digests.
CREATE OR REPLACE FUNCTION draft_bulk_step() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp
SET TimeZone = 'UTC' SET DateStyle = 'ISO' AS $$
DECLARE
	m text;
	r record;
	a audit_log;
	dg text;
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

	-- the audit trail, one record per village: each row's key and digest
	-- (the rows are in the draft tables); an UPDATE also names the state
	-- change, which is the same for every row of a batch step.  A transition
	-- table's row is a record, so the digest is spelled out here as
	-- draft_digest() spells it for each table's row type.
	dg := CASE TG_TABLE_NAME WHEN 'draft_line' THEN 'x.draft_id::text || ''.'' || x.line_no::text'
				 ELSE 'x.id::text' END
	      || ' || '':'' || encode(sha256(convert_to(x::text, ''UTF8'')), ''hex'')';
	IF TG_ARGV[0] = 'new' THEN
		FOR a IN EXECUTE format(
			'INSERT INTO audit_log (village_id, tbl, op, row_key, old, new)
			 SELECT x.village_id, $1, $2, NULL, NULL, jsonb_build_object(''rows'', array_to_json(array_agg(%s)))
			   FROM bulk_new x GROUP BY x.village_id ORDER BY x.village_id
			 RETURNING *', dg) USING TG_TABLE_NAME, TG_OP
		LOOP
			PERFORM chain_append(a.village_id, 'audit', ARRAY[a.id], audit_content(a));
		END LOOP;
	ELSIF TG_ARGV[0] = 'both' THEN
		FOR a IN EXECUTE format(
			'INSERT INTO audit_log (village_id, tbl, op, row_key, old, new)
			 SELECT n.village_id, $1, $2, NULL, jsonb_build_object(''rows'', o.rows),
			        jsonb_build_object(''rows'', n.rows, ''set'', n.set)
			   FROM (SELECT x.village_id, array_to_json(array_agg(%s)) AS rows,
			                jsonb_build_object(''state'', min(x.state), ''reviewed_by'', min(x.reviewed_by),
			                                   ''reviewed_at'', min(x.reviewed_at)) AS set
			           FROM bulk_new x GROUP BY x.village_id) n
			   JOIN (SELECT x.village_id, array_to_json(array_agg(%s)) AS rows
			           FROM bulk_old x GROUP BY x.village_id) o ON o.village_id = n.village_id
			  ORDER BY n.village_id
			 RETURNING *', dg, dg) USING TG_TABLE_NAME, TG_OP
		LOOP
			PERFORM chain_append(a.village_id, 'audit', ARRAY[a.id], audit_content(a));
		END LOOP;
	END IF;
	RETURN NULL;
END $$;

SELECT secure_schema();
