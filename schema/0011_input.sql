-- 0011_input.sql - what the books accept as codes, dates and free text
--
-- The same rules as C (cj_org_code_check, cj_date_in_books, cj_text_check),
-- so that a psql session cannot write what cunji refuses:
--   * organisation codes are 统计用区划代码: a county 6 digits, a township 9
--     starting with its county's, a village 12 starting with its township's
--     (the last three digits of a township or village never 000);
--   * the books' dates run from 1949-10-01 to the last day of next year
--     (books_date): a voucher's date, a village's first period, the dates
--     of allocations, funds, projects, aid, dividends and share holdings;
--   * a voucher's summary, a line's counterparty and the names of
--     organisations and accounts hold no control characters (tab, line
--     break, escape codes, C1), line separators or bidirectional controls
--     (plain_text).  A line's own summary is checked by C only (posting and
--     the importers): its CHECK would cost a county-year's import another
--     2.5% of its server time (a regular expression per line), see
--     docs/performance.md.
-- The constraints are added NOT VALID: rows written before this migration
-- (which can never be edited) are not re-checked, and a large database
-- migrates without reading every voucher line; every new row is checked.
-- A constraint's SQLSTATE is 23514 (check_violation) with its name; the
-- code prefix rule raises CJ010 (organisation rule).

-- ---------------------------------------------------------------------------
-- Free text.  A SQL function of one expression is inlined into the CHECK: a
-- regular-expression test per value, about 0.1 us (NULL costs nothing).
CREATE FUNCTION plain_text(t text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS
$$ SELECT t !~ '[\x01-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]' $$;

ALTER TABLE voucher ADD CONSTRAINT voucher_summary_plain
	CHECK (plain_text(summary)) NOT VALID;
ALTER TABLE voucher_line ADD CONSTRAINT voucher_line_counterparty_plain
	CHECK (plain_text(counterparty)) NOT VALID;
ALTER TABLE org ADD CONSTRAINT org_name_plain CHECK (plain_text(name)) NOT VALID;
ALTER TABLE account ADD CONSTRAINT account_name_plain CHECK (plain_text(name)) NOT VALID;

-- ---------------------------------------------------------------------------
-- Dates.  The upper bound moves only forward with the calendar, so a row that
-- passed once passes forever (a dump restored years later included).
CREATE FUNCTION books_date(d date) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS
$$ SELECT d >= DATE '1949-10-01'
      AND d < make_date(date_part('year', current_date)::integer + 2, 1, 1) $$;

ALTER TABLE voucher ADD CONSTRAINT voucher_date_in_books
	CHECK (books_date(voucher_date)) NOT VALID;
ALTER TABLE village_books ADD CONSTRAINT village_books_start_in_books
	CHECK (books_date(start_period)) NOT VALID;
ALTER TABLE fund_allocation ADD CONSTRAINT fund_allocation_date_in_books
	CHECK (books_date(doc_date)) NOT VALID;
ALTER TABLE fund ADD CONSTRAINT fund_date_in_books
	CHECK (books_date(doc_date)) NOT VALID;
-- a project's planned end date may lie further ahead
ALTER TABLE project ADD CONSTRAINT project_dates_in_books
	CHECK (books_date(start_date) AND books_date(accepted_on)
	       AND end_date >= DATE '1949-10-01') NOT VALID;
ALTER TABLE aid_payment ADD CONSTRAINT aid_payment_date_in_books
	CHECK (books_date(paid_on)) NOT VALID;
ALTER TABLE dividend_plan ADD CONSTRAINT dividend_plan_dates_in_books
	CHECK (books_date(shares_on) AND books_date(declared_on)) NOT VALID;
ALTER TABLE share_holding ADD CONSTRAINT share_holding_date_in_books
	CHECK (books_date(effective_from)) NOT VALID;

-- ---------------------------------------------------------------------------
-- Organisation codes (统计用区划代码).
ALTER TABLE org ADD CONSTRAINT org_code_structure CHECK (
	CASE level
	WHEN 'county' THEN code ~ '^[1-9][0-9]{5}$'
	WHEN 'township' THEN code ~ '^[1-9][0-9]{8}$' AND right(code, 3) <> '000'
	ELSE code ~ '^[1-9][0-9]{11}$' AND right(code, 3) <> '000'
	END) NOT VALID;

-- A township's code starts with its county's, a village's with its
-- township's.  Codes and parents never change (org_guard), so INSERT only; a
-- parent of the wrong level is org_guard's to refuse.
CREATE FUNCTION org_code_prefix() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	parent_code text;
BEGIN
	SELECT code INTO parent_code FROM org WHERE id = NEW.parent_id
	   AND level = CASE NEW.level WHEN 'township' THEN 'county' ELSE 'township' END;
	IF FOUND AND left(NEW.code, length(NEW.code) - 3) IS DISTINCT FROM parent_code THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('%s code %s does not start with its %s''s code %s', NEW.level,
				NEW.code, CASE NEW.level WHEN 'township' THEN 'county' ELSE 'township' END,
				parent_code);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER org_code_prefix BEFORE INSERT ON org
	FOR EACH ROW WHEN (NEW.parent_id IS NOT NULL) EXECUTE FUNCTION org_code_prefix();
