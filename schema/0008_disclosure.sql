-- 0008_disclosure.sql - the local supervision number on disclosure sheets
--
-- Every disclosure sheet prints the national hotline 12317 and a local
-- number (§2.2: "12317 plus local numbers").  The local number is set on
-- the village, its township or its county (`cunji disclose hotline`); a
-- sheet uses the nearest one set, and says so plainly when none is.
SET search_path = cunji, pg_catalog;

ALTER TABLE org ADD COLUMN hotline text NOT NULL DEFAULT ''
	CHECK (length(hotline) <= 60 AND hotline !~ '[[:cntrl:]]');
COMMENT ON COLUMN org.hotline IS 'local supervision / complaint number printed on disclosure sheets; '''' = not set';

-- The number a village's sheets print, and the organisation it belongs to:
-- the village's own, else its township's, else its county's.
CREATE FUNCTION org_hotline(o integer, OUT hotline text, OUT owner_name text)
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	WITH RECURSIVE up AS (
		SELECT id, parent_id, name, hotline, 0 AS depth FROM org WHERE id = o
		UNION ALL
		SELECT p.id, p.parent_id, p.name, p.hotline, up.depth + 1
		  FROM org p JOIN up ON p.id = up.parent_id)
	SELECT hotline, name FROM up WHERE hotline <> '' ORDER BY depth LIMIT 1
$$;
