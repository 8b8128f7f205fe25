-- 0044_bulk_step_plan.sql - a batch review or posting of a county-year ends
-- (issue 14: "a county-year still goes in quickly")
--
-- draft_bulk_step's check of an UPDATE joined its two transition tables under
-- LIMIT 1.  Expecting an early match, the planner chose a nested loop; a
-- good batch has no match, so every new row was compared with every old row:
-- 75,000 drafts reviewed in 2.6 s, 150,000 and 225,000 did not end within
-- minutes (the tuplestores spilled to disk and were read again per row).
-- The check is now a MATERIALIZED CTE, planned for all its rows (a hash
-- join), and reports the first bad draft by key.  Nothing else changes.
SET search_path = cunji, pg_catalog;

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
		-- MATERIALIZED: under LIMIT 1 the planner took a nested loop over the
		-- two transition tables, expecting an early match; with none (every
		-- good batch) that is rows x rows (a 150,000-draft review did not
		-- end in minutes).  A CTE is planned for all its rows: a hash join.
		WITH bad AS MATERIALIZED (
		SELECT n.village_id, n.id, n.prepared_by, o.state AS was, n.state
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
					OR NOT posting_drafts())))
		SELECT * INTO r FROM bad ORDER BY village_id, id LIMIT 1;
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
