-- 0035: a stamp of a village's data, for the web server's kept pages.
--
-- `cunji serve` keeps a village's voucher list and statements per session
-- while this stamp stays the same (web/cache.c).  It must be cheap (it is
-- read on every such request) and change whenever what those pages show
-- may have: it counts the rows that only ever grow (posted vouchers, drafts
-- and their events, month and year closings) and hashes the small tables
-- that can be edited in place (the chart, funds, projects, the villages'
-- names and codes), each by its village-leading key.  It runs as the owner
-- so that row-level security is checked once (my_villages(), the caller's
-- scope) rather than once per table read; villages out of the caller's
-- scope count as nothing, as if they did not exist.
CREATE FUNCTION village_stamp(p_code text) RETURNS text
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = cunji, pg_catalog, pg_temp
AS $$
DECLARE
	stamp text;
BEGIN
	-- plpgsql, not sql: its plan is kept across calls
	WITH vil AS (
		SELECT o.id, o.code, o.name
		  FROM org o LEFT JOIN org t ON t.id = o.parent_id
		 WHERE o.level = 'village'
		   AND (SELECT x.id FROM org x WHERE x.code = p_code) IN (o.id, o.parent_id, t.parent_id)
		   AND o.id = ANY (my_villages()))
	SELECT concat_ws('.',
		(SELECT count(*) FROM vil JOIN voucher v ON v.village_id = vil.id),
		(SELECT count(*) FROM vil JOIN draft_voucher d ON d.village_id = vil.id),
		(SELECT count(*) FROM vil JOIN draft_event e ON e.village_id = vil.id),
		(SELECT count(*) FROM vil JOIN period_event p ON p.village_id = vil.id),
		(SELECT count(*) FROM vil JOIN fiscal_year y ON y.village_id = vil.id),
		(SELECT sum(hashtext(a::text)) FROM vil JOIN account a ON a.village_id = vil.id),
		(SELECT sum(hashtext(f::text)) FROM vil JOIN fund f ON f.village_id = vil.id),
		(SELECT sum(hashtext(j::text)) FROM vil JOIN project j ON j.village_id = vil.id),
		(SELECT sum(hashtext(vil.code || vil.name)) FROM vil))
	  INTO stamp;
	RETURN stamp;
END
$$;
COMMENT ON FUNCTION village_stamp(text) IS
	'A text that changes when a village''s (or a township''s villages'') vouchers, drafts, closings, chart, funds or projects do, as the caller sees them; for the web server''s kept pages';
REVOKE ALL ON FUNCTION village_stamp(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION village_stamp(text) TO cunji_admin, cunji_bookkeeper, cunji_reviewer,
	cunji_cashier, cunji_inspector, cunji_board;
