-- 0052_first_level_by_statement.sql - a first-level account checked once per
-- statement, not row by row (issue 19: loading a county from scratch)
--
-- A village's set-up copies its chart (village_books_init: the 2023 chart's
-- 42 first-level accounts and 2 sub-accounts).  account_before_insert ran for
-- each first-level one only to ask whether the code is one of the chart's and
-- to clear parent_code: a SECURITY DEFINER call with its own search_path and a
-- query, some 28 µs a row (93 ms for a 75-village county's 3,300 calls,
-- docs/performance.md), 3,150 of them for first-level accounts.  The row
-- trigger now runs only for sub-accounts, whose parent it must find; for the
-- first-level ones
--   * a statement trigger refuses, with the row trigger's words (CJ004), any
--     code that is not a first-level account of the village's chart;
--   * a CHECK constraint keeps parent_code empty, where the trigger used to
--     overwrite it.  Every existing first-level account has none.
SET search_path = cunji, pg_catalog;

DROP TRIGGER account_before_insert ON account;
CREATE TRIGGER account_before_insert BEFORE INSERT ON account
	FOR EACH ROW WHEN (length(NEW.code) <> 3) EXECUTE FUNCTION account_before_insert();

ALTER TABLE account ADD CONSTRAINT account_first_level_no_parent
	CHECK (length(code) <> 3 OR parent_code IS NULL);

CREATE FUNCTION account_first_level_check() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
DECLARE
	bad text;
BEGIN
	SELECT n.code INTO bad
	  FROM new_rows n
	 WHERE length(n.code) = 3
	   AND NOT EXISTS (SELECT 1 FROM village_books b JOIN chart_template t ON t.chart = b.chart
	                    WHERE b.village_id = n.village_id AND t.code = n.code)
	 ORDER BY n.village_id, n.code
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ004',
			MESSAGE = format('account %s is not a first-level account of the chart', bad);
	END IF;
	RETURN NULL;
END $$;

-- before zz_audit_insert (statement triggers fire in name order)
CREATE TRIGGER account_first_level AFTER INSERT ON account
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION account_first_level_check();
