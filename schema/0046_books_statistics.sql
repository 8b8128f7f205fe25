-- 0046_books_statistics.sql - fresh planner statistics for a scan of books
-- just loaded (issue 16)
--
-- audit scan plans its set-up and rules on the statistics of the books'
-- tables (vouchers and lines, the kept totals, the chart, registers, funds,
-- disclosure).  Right after a county's set-up and import autovacuum has not
-- yet analysed them (it comes round once a minute at best), and the demo's
-- scan of 18,075 fresh vouchers took 6.8-10 s on plans made for empty
-- tables, against 0.8 s once analysed.  Logins may not ANALYZE the owner's
-- tables, so this function, run as the owner, analyses the schema's tables
-- that changed by more than autovacuum's own threshold (50 rows + 10 %)
-- since they were last analysed, and nothing otherwise.  It returns how many
-- it analysed.
SET search_path = cunji, pg_catalog;

CREATE FUNCTION books_statistics_refresh() RETURNS integer
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
DECLARE
	t record;
	n integer := 0;
BEGIN
	FOR t IN
		SELECT s.relname FROM pg_stat_user_tables s
		 WHERE s.schemaname = 'cunji'
		   AND s.n_mod_since_analyze > 50 + 0.1 * greatest(s.n_live_tup, 0)
		 ORDER BY s.relname
	LOOP
		EXECUTE format('ANALYZE cunji.%I', t.relname);
		n := n + 1;
	END LOOP;
	RETURN n;
END
$$;
COMMENT ON FUNCTION books_statistics_refresh() IS
	'ANALYZE the books'' tables that changed by more than autovacuum''s threshold since last analysed; run before a scan';
REVOKE ALL ON FUNCTION books_statistics_refresh() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION books_statistics_refresh() TO cunji_admin, cunji_bookkeeper,
	cunji_reviewer, cunji_cashier, cunji_inspector, cunji_board;
