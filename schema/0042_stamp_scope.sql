-- 0042_stamp_scope.sql - the web server's page stamp notices the login's
-- scope and the settings (issue 18)
--
-- 0035's village_stamp covered a village's own rows, but a kept page also
-- shows the villages the login may choose (the village chooser, with their
-- townships' names), and what the settings and the hotline of the village's
-- township and county say.  A scope removed (or added), a village renamed
-- elsewhere in the scope, a setting or a hotline changed left the stamp as
-- it was, so a page kept before could be served after.  The stamp is now
-- two parts, 'SCOPE/DATA':
--   SCOPE  a hash of the caller's villages (my_villages()) with their codes,
--          names and townships, and of the login's own row (kind, disabled):
--          the web server also keeps each login's village chooser under it;
--   DATA   md5 of 0035's counts and hashes, plus the village's township and
--          county rows (names, hotline) and their settings and its own.
-- Cheap as before: a few more index probes over small tables.
CREATE OR REPLACE FUNCTION village_stamp(p_code text) RETURNS text
	LANGUAGE plpgsql STABLE SECURITY DEFINER
	SET search_path = cunji, pg_catalog, pg_temp
AS $$
DECLARE
	mine integer[] := my_villages();
	scope text;
	data text;
BEGIN
	-- plpgsql, not sql: its plans are kept across calls
	SELECT concat_ws('.', count(*), sum(hashtext(concat_ws('|', v.id, v.code, v.name, t.code, t.name))),
			 (SELECT hashtext(concat_ws('|', a.kind, a.disabled_at, a.full_name))
			    FROM app_login a WHERE a.login = session_user))
	  INTO scope
	  FROM org v JOIN org t ON t.id = v.parent_id
	 WHERE v.id = ANY (mine);
	WITH vil AS (
		SELECT o.id, o.code, o.name
		  FROM org o LEFT JOIN org t ON t.id = o.parent_id
		 WHERE o.level = 'village'
		   AND (SELECT x.id FROM org x WHERE x.code = p_code) IN (o.id, o.parent_id, t.parent_id)
		   AND o.id = ANY (mine)),
	-- the villages, their townships and counties: names, hotlines, settings
	up AS (
		SELECT DISTINCT u.id
		  FROM vil JOIN org o ON o.id = vil.id
		  LEFT JOIN org t ON t.id = o.parent_id
		  CROSS JOIN LATERAL (VALUES (o.id), (t.id), (t.parent_id)) u(id)
		 WHERE u.id IS NOT NULL)
	SELECT md5(concat_ws('.',
		(SELECT count(*) FROM vil JOIN voucher v ON v.village_id = vil.id),
		(SELECT count(*) FROM vil JOIN draft_voucher d ON d.village_id = vil.id),
		(SELECT count(*) FROM vil JOIN draft_event e ON e.village_id = vil.id),
		(SELECT count(*) FROM vil JOIN period_event p ON p.village_id = vil.id),
		(SELECT count(*) FROM vil JOIN fiscal_year y ON y.village_id = vil.id),
		(SELECT sum(hashtext(a::text)) FROM vil JOIN account a ON a.village_id = vil.id),
		(SELECT sum(hashtext(f::text)) FROM vil JOIN fund f ON f.village_id = vil.id),
		(SELECT sum(hashtext(j::text)) FROM vil JOIN project j ON j.village_id = vil.id),
		(SELECT sum(hashtext(vil.code || vil.name)) FROM vil),
		(SELECT sum(hashtext(concat_ws('|', o.code, o.name, o.hotline))) FROM up JOIN org o ON o.id = up.id),
		(SELECT sum(hashtext(s::text)) FROM up JOIN setting s ON s.org_id = up.id)))
	  INTO data;
	RETURN scope || '/' || data;
END
$$;
COMMENT ON FUNCTION village_stamp(text) IS
	'SCOPE/DATA: SCOPE changes with the caller''s villages (scope, names) and login; DATA when a village''s (or a township''s villages'') vouchers, drafts, closings, chart, funds, projects, names, hotlines or settings do, as the caller sees them; for the web server''s kept pages';
