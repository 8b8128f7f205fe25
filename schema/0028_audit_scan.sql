-- 0028: audit scan of a county-year in seconds, and the parts of the rules
-- that were missing (issue 16).
--
-- Speed.  The scan reads the lines of its months once (reports/audit_scan.c).
-- Lines and vouchers are added roughly in date order, so a block-range index
-- on the period finds a year's lines among many years' for almost nothing
-- (a few pages, no cost worth measuring on posting).  The history before the
-- scan's months comes from the kept totals, except for the few accounts
-- whose history the rules follow line by line (advances, receivables and
-- payables, loans, the earmarked holding accounts: R13, R25, R29, R19) and
-- the fund-tagged lines (R19, R21); two partial indexes hold only those.
CREATE INDEX voucher_line_period_brin ON voucher_line USING brin (period);
CREATE INDEX voucher_period_brin ON voucher USING brin (period);
CREATE INDEX voucher_line_dues ON voucher_line (village_id, account_code)
	WHERE left(account_code, 3) IN ('112', '113', '201', '211', '221', '231', '241');
CREATE INDEX voucher_line_funded ON voucher_line (village_id, fund_id)
	WHERE fund_id IS NOT NULL;

-- R11's other half: a bank payment for works or earmarked spending (153,
-- 241, 231) to a person rather than to the contractor.
INSERT INTO audit_param VALUES
	('R11', 'person_limit', 1000000, 'fen', '向个人账户支付工程款、专项资金的限额',
	 '建议值：工程款、专项资金应付至施工或供货单位账户（1万元以上须村民代表会议决议）');

-- R30: when a village's disclosure sheet of a period was made.  cj_disclose
-- records it for every village sheet it writes; the rule looks for a period
-- with no sheet, or a sheet made before vouchers of its period were posted.
CREATE TABLE disclosure_made (
	village_id  integer NOT NULL REFERENCES org,
	id          bigint GENERATED ALWAYS AS IDENTITY,
	period_from date NOT NULL,
	period_to   date NOT NULL CHECK (period_to >= period_from),
	made_at     timestamptz NOT NULL,
	made_by     name NOT NULL DEFAULT session_user,
	PRIMARY KEY (village_id, id)
);
CREATE INDEX disclosure_made_period ON disclosure_made (village_id, period_to);
COMMENT ON TABLE disclosure_made IS
	'a village disclosure sheet made by cj_disclose: its period and the snapshot it shows (R30)';
-- row-level security and reading: secure_schema() (0015), as for every village table
SELECT grant_insert_but('disclosure_made', 'cunji_admin, cunji_bookkeeper, cunji_reviewer, cunji_cashier', '{id, made_by}');

INSERT INTO audit_param VALUES
	('R30', 'days', 15, 'days', '季度终了后应公开的期限',
	 '村务公开条例常见规定：季度终了后及时公开（一般在次月15日前）');
UPDATE audit_rule SET available = true, why_not = '', title = '未按期公开或公开后补记账'
 WHERE code = 'R30';

-- A record of sheets made is not a change of the books: left out of the
-- audit trail and the chains (as the kept totals are), so that a sheet made
-- twice carries the same chain head (disclose --verify makes it again).
CREATE OR REPLACE FUNCTION audit_excluded() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['voucher', 'voucher_line', 'account_period_total', 'account_year_total',
		     'fund_total', 'project_total', 'voucher_counter', 'voucher_pending',
		     'commit_check', 'commit_check_item', 'twophase_decision',
		     'audit_log', 'audit_table', 'chain_head', 'chain_link', 'disclosure_made']
$$;
