-- 0047_chart_audit_by_statement.sql - accounts added are audited one record per village and statement (issue 19)
--
-- A village's set-up copies the chart (village_books_init: 42 first-level
-- accounts and more) in one statement, but the row trigger zz_audit_row
-- wrote an audit record and a link of the village's chain for each account:
-- 4,200 records and links for a county of 75 villages, most of `org add
-- --file`'s time (docs/performance.md, "0043").  An INSERT into account is
-- now audited by a statement trigger: one record per village the statement
-- wrote to, its `new` the array of the rows' values (to_jsonb of each, as
-- audit_row records one row), which `audit verify` already counts row by
-- row (the array records of 0031, check_rows): a chart row changed or
-- deleted with the triggers off is still named.  A statement of one
-- account (`account add`) writes the record audit_row wrote, key and row.
-- UPDATE and DELETE stay row by row.  The trigger keeps its name
-- zz_audit_row, so audit_attach sees the table as audited and does not add
-- the row trigger again.
SET search_path = cunji, pg_catalog;

CREATE FUNCTION account_audit_insert() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp
SET "TimeZone" = 'UTC' AS $$
DECLARE
	a audit_log;
BEGIN
	FOR a IN
		INSERT INTO audit_log (village_id, tbl, op, row_key, new)
		SELECT village_id, 'account', 'INSERT',
		       CASE WHEN n = 1 THEN jsonb_build_object('village_id', village_id, 'code', code) END,
		       CASE WHEN n = 1 THEN rows -> 0 ELSE rows END
		  FROM (SELECT x.village_id, count(*) AS n, min(x.code) AS code,
			       jsonb_agg(to_jsonb(x) ORDER BY x.code) AS rows
			  FROM new_rows x GROUP BY x.village_id) v
		 ORDER BY village_id
		RETURNING *
	LOOP
		PERFORM chain_append(a.village_id, 'audit', ARRAY[a.id], audit_content(a));
	END LOOP;
	RETURN NULL;
END $$;

DROP TRIGGER zz_audit_row ON account;
CREATE TRIGGER zz_audit_row AFTER UPDATE OR DELETE ON account
	FOR EACH ROW EXECUTE FUNCTION audit_row('village_id', 'code');
CREATE TRIGGER zz_audit_insert AFTER INSERT ON account REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION account_audit_insert();

SELECT secure_schema();
