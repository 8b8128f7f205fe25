-- 0001_core.sql - organisations, books, accounts, periods, vouchers
--
-- The ledger's invariants live here as well as in C, so that neither a bug
-- nor a hand-typed psql session can make the books wrong:
--   * every voucher has two or more lines and its debits equal its credits
--     (checked per INSERT statement over all its lines; a deferred foreign
--     key makes sure at COMMIT that no voucher is left without lines);
--   * lines post to existing, active leaf accounts of the voucher's village;
--   * a voucher's date lies in an open period at or after the books' start;
--   * posted vouchers and lines are never updated or deleted; a correction is
--     a red reversing voucher (红字冲销) that mirrors the original;
--   * period close and reopen are recorded, and a closed year stays closed.
--
-- Village-owned tables lead their keys with village_id so that the schema can
-- be distributed by village (Citus); org and chart_template are reference
-- tables.  Errors raised here use SQLSTATE class "CJ" (see docs/schema.md).

-- ---------------------------------------------------------------------------
-- Organisations: county -> township -> village.  Reference table.
CREATE TABLE org (
	id         integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	level      text NOT NULL CHECK (level IN ('county', 'township', 'village')),
	code       text NOT NULL UNIQUE CHECK (code ~ '^[0-9A-Za-z_-]{1,32}$'),
	name       text NOT NULL CHECK (btrim(name) <> ''),
	parent_id  integer REFERENCES org (id),
	created_at timestamptz NOT NULL DEFAULT now(),
	CHECK ((level = 'county') = (parent_id IS NULL))
);
CREATE INDEX org_parent ON org (parent_id);

CREATE FUNCTION org_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	parent_level text;
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('organisation %s cannot be deleted', OLD.code);
	END IF;
	IF TG_OP = 'UPDATE' AND (NEW.code <> OLD.code OR NEW.level <> OLD.level
	                         OR NEW.parent_id IS DISTINCT FROM OLD.parent_id) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('organisation %s: only the name may change', OLD.code);
	END IF;
	IF NEW.parent_id IS NOT NULL THEN
		SELECT level INTO parent_level FROM org WHERE id = NEW.parent_id;
		IF parent_level IS DISTINCT FROM
		   (CASE NEW.level WHEN 'township' THEN 'county' WHEN 'village' THEN 'township' END) THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ010',
				MESSAGE = format('a %s must belong to a %s, not a %s', NEW.level,
					CASE NEW.level WHEN 'township' THEN 'county' ELSE 'township' END,
					parent_level);
		END IF;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER org_guard BEFORE INSERT OR UPDATE OR DELETE ON org
	FOR EACH ROW EXECUTE FUNCTION org_guard();

-- ---------------------------------------------------------------------------
-- The standard chart (42 first-level accounts of the 2023 system plus the two
-- standard sub-accounts of 收益分配).  Rows come from 0002_chart_2023.sql.
CREATE TABLE chart_template (
	chart       text NOT NULL,
	code        text NOT NULL CHECK (code ~ '^[0-9]{3,15}$'),
	name        text NOT NULL,
	category    text NOT NULL
	            CHECK (category IN ('asset', 'liability', 'equity', 'cost', 'income', 'expense')),
	normal_side char(1) NOT NULL CHECK (normal_side IN ('D', 'C')),
	PRIMARY KEY (chart, code)
);

-- ---------------------------------------------------------------------------
-- One set of books (账套) per village.  Fiscal years are calendar years.
CREATE TABLE village_books (
	village_id   integer PRIMARY KEY REFERENCES org (id),
	chart        text NOT NULL DEFAULT '2023',
	start_period date NOT NULL CHECK (start_period = date_trunc('month', start_period)::date),
	created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE account (
	village_id  integer NOT NULL REFERENCES village_books (village_id),
	code        text NOT NULL CHECK (code ~ '^[0-9]{3,15}$'),
	name        text NOT NULL CHECK (btrim(name) <> ''),
	category    text NOT NULL
	            CHECK (category IN ('asset', 'liability', 'equity', 'cost', 'income', 'expense')),
	normal_side char(1) NOT NULL CHECK (normal_side IN ('D', 'C')),
	parent_code text,
	is_leaf     boolean NOT NULL DEFAULT true,
	active      boolean NOT NULL DEFAULT true,
	PRIMARY KEY (village_id, code),
	FOREIGN KEY (village_id, parent_code) REFERENCES account (village_id, code)
);

-- Per-period totals per account, kept by the voucher_line trigger.  The trial
-- balance reads this table instead of every line.  Amounts from opening
-- vouchers are also kept apart so that reports can show them as 期初.
CREATE TABLE account_period_total (
	village_id         integer NOT NULL,
	account_code       text NOT NULL,
	period             date NOT NULL,
	debit_fen          bigint NOT NULL,
	credit_fen         bigint NOT NULL,
	opening_debit_fen  bigint NOT NULL,
	opening_credit_fen bigint NOT NULL,
	PRIMARY KEY (village_id, account_code, period),
	FOREIGN KEY (village_id, account_code) REFERENCES account (village_id, code)
);

CREATE FUNCTION village_code(v integer) RETURNS text
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	SELECT coalesce((SELECT code FROM org WHERE id = v), v::text)
$$;

-- New books start with the standard chart.
CREATE FUNCTION village_books_init() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF (SELECT level FROM org WHERE id = NEW.village_id) IS DISTINCT FROM 'village' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('organisation %s is not a village; only villages keep books',
			                 village_code(NEW.village_id));
	END IF;
	INSERT INTO account (village_id, code, name, category, normal_side)
	SELECT NEW.village_id, code, name, category, normal_side
	  FROM chart_template WHERE chart = NEW.chart ORDER BY code;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('unknown chart of accounts %s', NEW.chart);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER village_books_init AFTER INSERT ON village_books
	FOR EACH ROW EXECUTE FUNCTION village_books_init();

CREATE FUNCTION village_books_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'CJ010',
		MESSAGE = format('the books of village %s cannot be changed or deleted',
		                 village_code(OLD.village_id));
END $$;
CREATE TRIGGER village_books_guard BEFORE UPDATE OR DELETE ON village_books
	FOR EACH ROW EXECUTE FUNCTION village_books_guard();

-- A first-level (3-digit) account must come from the chart; a sub-account
-- extends the longest existing code by 2 or 3 digits, inherits its category
-- and normal side, and turns its parent into a non-leaf.  A parent that
-- already has postings cannot get sub-accounts (its balance would be
-- stranded above the leaves).
CREATE FUNCTION account_before_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	p account%ROWTYPE;
BEGIN
	IF length(NEW.code) = 3 THEN
		IF NOT EXISTS (SELECT 1 FROM chart_template t JOIN village_books b ON b.chart = t.chart
		               WHERE b.village_id = NEW.village_id AND t.code = NEW.code) THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ004',
				MESSAGE = format('account %s is not a first-level account of the chart', NEW.code);
		END IF;
		NEW.parent_code := NULL;
		RETURN NEW;
	END IF;
	SELECT * INTO p FROM account
	 WHERE village_id = NEW.village_id AND code <> NEW.code
	   AND NEW.code LIKE code || '%'
	 ORDER BY length(code) DESC LIMIT 1;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ004',
			MESSAGE = format('account %s: no parent account %s exists', NEW.code, left(NEW.code, 3));
	END IF;
	-- Codes nest strictly: a code that prefixes an existing one would make
	-- roll-up by prefix count those balances twice.
	IF EXISTS (SELECT 1 FROM account WHERE village_id = NEW.village_id
	           AND code LIKE NEW.code || '%' AND code <> NEW.code) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ004',
			MESSAGE = format('account %s would sit between existing accounts; choose a code that extends %s',
			                 NEW.code, p.code);
	END IF;
	IF length(NEW.code) - length(p.code) NOT IN (2, 3) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ004',
			MESSAGE = format('account %s must extend its parent %s by 2 or 3 digits', NEW.code, p.code);
	END IF;
	IF EXISTS (SELECT 1 FROM account_period_total
	           WHERE village_id = NEW.village_id AND account_code = p.code) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ004',
			MESSAGE = format('account %s %s already has postings; it cannot get sub-account %s',
			                 p.code, p.name, NEW.code);
	END IF;
	NEW.parent_code := p.code;
	NEW.category := p.category;
	NEW.normal_side := p.normal_side;
	IF p.is_leaf THEN
		UPDATE account SET is_leaf = false WHERE village_id = p.village_id AND code = p.code;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER account_before_insert BEFORE INSERT ON account
	FOR EACH ROW EXECUTE FUNCTION account_before_insert();

-- Only the name and the active flag may be changed by hand; is_leaf changes
-- only from the insert trigger above (trigger depth 2).
CREATE FUNCTION account_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ004',
			MESSAGE = format('account %s cannot be deleted; deactivate it instead', OLD.code);
	END IF;
	IF NEW.village_id <> OLD.village_id OR NEW.code <> OLD.code OR NEW.category <> OLD.category
	   OR NEW.normal_side <> OLD.normal_side OR NEW.parent_code IS DISTINCT FROM OLD.parent_code
	   OR (NEW.is_leaf <> OLD.is_leaf AND pg_trigger_depth() < 2) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ004',
			MESSAGE = format('account %s: only its name and active flag may change', OLD.code);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER account_guard BEFORE UPDATE OR DELETE ON account
	FOR EACH ROW EXECUTE FUNCTION account_guard();

-- ---------------------------------------------------------------------------
-- Periods are months; a month without a row is open.  Every change of state
-- is written to period_event by the trigger, with the reason the session set
-- in the cunji.reason setting, so a hand-typed change is recorded too.
CREATE TABLE period_state (
	village_id integer NOT NULL REFERENCES village_books (village_id),
	period     date NOT NULL CHECK (period = date_trunc('month', period)::date),
	closed     boolean NOT NULL,
	changed_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (village_id, period)
);

CREATE TABLE period_event (
	village_id integer NOT NULL REFERENCES village_books (village_id),
	id         bigint GENERATED ALWAYS AS IDENTITY,
	period     date NOT NULL,
	action     text NOT NULL CHECK (action IN ('close', 'reopen')),
	reason     text NOT NULL DEFAULT '',
	at         timestamptz NOT NULL DEFAULT now(),
	by_user    text NOT NULL DEFAULT current_user,
	PRIMARY KEY (village_id, id)
);

-- Years closed by the year-end close.  A closed year cannot be reopened.
CREATE TABLE fiscal_year (
	village_id integer NOT NULL REFERENCES village_books (village_id),
	year       integer NOT NULL,
	closed_at  timestamptz NOT NULL DEFAULT now(),
	closed_by  text NOT NULL DEFAULT current_user,
	PRIMARY KEY (village_id, year)
);

CREATE FUNCTION period_state_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = 'period states cannot be deleted; reopen the period instead';
	END IF;
	IF TG_OP = 'UPDATE' AND (NEW.village_id <> OLD.village_id OR NEW.period <> OLD.period) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001', MESSAGE = 'a period state cannot be moved';
	END IF;
	-- Exclusive per village: waits for postings in flight (they hold it shared).
	PERFORM pg_advisory_xact_lock(4242, NEW.village_id);
	IF NOT NEW.closed AND EXISTS (SELECT 1 FROM fiscal_year WHERE village_id = NEW.village_id
	                              AND year = extract(year FROM NEW.period)) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = format('village %s: year %s is closed; period %s cannot be reopened',
			                 village_code(NEW.village_id), extract(year FROM NEW.period),
			                 to_char(NEW.period, 'YYYY-MM'));
	END IF;
	NEW.changed_at := now();
	RETURN NEW;
END $$;
CREATE TRIGGER period_state_change BEFORE INSERT OR UPDATE OR DELETE ON period_state
	FOR EACH ROW EXECUTE FUNCTION period_state_change();

-- Recorded AFTER the row changes: with INSERT ... ON CONFLICT DO UPDATE the
-- BEFORE INSERT trigger fires even when the update path is taken.
CREATE FUNCTION period_state_record() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF TG_OP = 'INSERT' OR NEW.closed <> OLD.closed THEN
		INSERT INTO period_event (village_id, period, action, reason)
		VALUES (NEW.village_id, NEW.period, CASE WHEN NEW.closed THEN 'close' ELSE 'reopen' END,
		        coalesce(current_setting('cunji.reason', true), ''));
	END IF;
	RETURN NULL;
END $$;
CREATE TRIGGER period_state_record AFTER INSERT OR UPDATE ON period_state
	FOR EACH ROW EXECUTE FUNCTION period_state_record();

CREATE FUNCTION append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'CJ003',
		MESSAGE = format('%s is append-only: rows cannot be changed or deleted', TG_TABLE_NAME);
END $$;
CREATE TRIGGER period_event_append_only BEFORE UPDATE OR DELETE ON period_event
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER period_event_no_truncate BEFORE TRUNCATE ON period_event
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();
CREATE TRIGGER fiscal_year_append_only BEFORE UPDATE OR DELETE ON fiscal_year
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER fiscal_year_no_truncate BEFORE TRUNCATE ON fiscal_year
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();

-- ---------------------------------------------------------------------------
-- Vouchers (记账凭证).  The number is unique per village and month.  kind:
-- normal, opening (期初余额), closing (year-end 结转), reversal (红字冲销).
CREATE SEQUENCE voucher_id_seq;

CREATE TABLE voucher (
	village_id   integer NOT NULL, -- checked by voucher_after_insert
	id           bigint NOT NULL,
	period       date NOT NULL,
	number       integer NOT NULL CHECK (number > 0),
	voucher_date date NOT NULL,
	kind         text NOT NULL DEFAULT 'normal'
	             CHECK (kind IN ('normal', 'opening', 'closing', 'reversal')),
	summary      text NOT NULL CHECK (btrim(summary) <> ''),
	preparer     text NOT NULL DEFAULT '',
	attachments  integer NOT NULL DEFAULT 0 CHECK (attachments >= 0),
	external_id  text CHECK (external_id <> ''),
	content_hash text NOT NULL,
	reverses_id  bigint,
	posted_at    timestamptz NOT NULL DEFAULT now(),
	posted_by    text NOT NULL DEFAULT current_user,
	tx           bigint NOT NULL DEFAULT txid_current(),
	first_line   smallint NOT NULL DEFAULT 1 CHECK (first_line = 1),
	PRIMARY KEY (village_id, id),
	UNIQUE (village_id, period, number),
	FOREIGN KEY (village_id, reverses_id) REFERENCES voucher (village_id, id),
	CHECK (period = date_trunc('month', voucher_date)::date),
	CHECK ((kind = 'reversal') = (reverses_id IS NOT NULL))
);

-- Partial, so that the many vouchers without an external id or a reversal
-- cost no index entry.
CREATE UNIQUE INDEX voucher_external_id ON voucher (village_id, external_id)
	WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX voucher_reversed_once ON voucher (village_id, reverses_id)
	WHERE reverses_id IS NOT NULL;

-- Voucher numbers are handed out per village and month from this counter.
CREATE TABLE voucher_counter (
	village_id  integer NOT NULL REFERENCES village_books (village_id),
	period      date NOT NULL,
	last_number integer NOT NULL,
	PRIMARY KEY (village_id, period)
);

CREATE TABLE voucher_line (
	village_id   integer NOT NULL,
	voucher_id   bigint NOT NULL,
	line_no      smallint NOT NULL CHECK (line_no > 0),
	period       date NOT NULL,
	account_code text NOT NULL,
	debit_fen    bigint NOT NULL DEFAULT 0,
	credit_fen   bigint NOT NULL DEFAULT 0,
	summary      text NOT NULL DEFAULT '',
	counterparty text,
	fund_id      bigint,
	project_id   bigint,
	PRIMARY KEY (village_id, voucher_id, line_no),
	-- No row-level foreign keys here: the statement trigger below checks the
	-- voucher and the account of every line in one set-based pass (a FK
	-- would probe and lock per row), and neither can ever be deleted.
	-- exactly one side carries an amount
	CHECK ((debit_fen = 0) <> (credit_fen = 0))
);
CREATE INDEX voucher_line_account ON voucher_line (village_id, account_code, period);

-- A voucher without lines: at COMMIT every voucher must have its line 1.  A
-- deferred foreign key does this in C inside the server, far cheaper than a
-- deferred trigger per voucher; the line trigger below checks the rest.
ALTER TABLE voucher ADD CONSTRAINT voucher_needs_lines
	FOREIGN KEY (village_id, id, first_line) REFERENCES voucher_line (village_id, voucher_id, line_no)
	DEFERRABLE INITIALLY DEFERRED;

-- Checks on each INSERT statement into voucher, over all its rows at once.
-- Lookups into the big tables are LATERAL ... LIMIT 1 so that they stay index
-- probes: the planner has no statistics for transition tables, plpgsql keeps
-- the plan it made for the first batch, and a plain join (or a LATERAL it
-- may flatten) becomes a hash join that reads every voucher ever posted.
CREATE FUNCTION voucher_after_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	r record;
BEGIN
	-- Shared per village: a period close waits until these postings end.
	PERFORM pg_advisory_xact_lock_shared(4242, v)
	   FROM (SELECT DISTINCT village_id AS v FROM new_rows ORDER BY 1) s;

	SELECT n.*, b.start_period, (p.closed OR f.year IS NOT NULL) AS closed,
	       o.kind AS orig_kind INTO r
	  FROM new_rows n
	  LEFT JOIN LATERAL (SELECT b.village_id, b.start_period FROM village_books b
	                      WHERE b.village_id = n.village_id LIMIT 1) b ON true
	  LEFT JOIN LATERAL (SELECT p.closed FROM period_state p
	                      WHERE p.village_id = n.village_id AND p.period = n.period LIMIT 1) p ON true
	  LEFT JOIN LATERAL (SELECT f.year FROM fiscal_year f WHERE f.village_id = n.village_id
	                        AND f.year = extract(year FROM n.period)::integer LIMIT 1) f ON true
	  LEFT JOIN LATERAL (SELECT o.kind FROM voucher o
	                      WHERE o.village_id = n.village_id AND o.id = n.reverses_id LIMIT 1) o ON true
	 WHERE b.village_id IS NULL OR n.tx <> txid_current() OR n.period < b.start_period OR p.closed
	    OR f.year IS NOT NULL OR o.kind IN ('reversal', 'closing')
	 LIMIT 1;
	IF NOT FOUND THEN
		RETURN NULL;
	ELSIF r.start_period IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('organisation id %s keeps no books', r.village_id);
	ELSIF r.tx <> txid_current() THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ003',
			MESSAGE = 'voucher.tx must be the inserting transaction (leave it to its default)';
	ELSIF r.period < r.start_period THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = format('village %s: voucher dated %s is before the books start (%s)',
			                 village_code(r.village_id), r.voucher_date,
			                 to_char(r.start_period, 'YYYY-MM'));
	ELSIF r.closed THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = format('village %s: period %s is closed; voucher dated %s refused',
			                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'),
			                 r.voucher_date);
	ELSE
		RAISE EXCEPTION USING ERRCODE = 'CJ003',
			MESSAGE = format('village %s: a %s voucher cannot be voided',
			                 village_code(r.village_id), r.orig_kind);
	END IF;
END $$;
CREATE TRIGGER voucher_after_insert AFTER INSERT ON voucher
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION voucher_after_insert();

-- Checks on each INSERT statement into voucher_line, then the per-period
-- totals, in one query over the statement's rows:
--   * a line joins a voucher written in the same transaction, so a posted
--     voucher can never gain lines later;
--   * its account exists in the voucher's village, is a leaf and is active;
--   * negative (red) amounts appear only on reversals;
--   * every voucher the statement touches is whole in it: its line 1 is
--     here (line numbers are unique, so no other statement can add to it),
--     it has two or more lines, debits equal credits, and a reversal is the
--     mirror of its original (same accounts and sides, amounts negated).
-- So a voucher's lines go in together, in one INSERT, as cunji writes them.
-- The first problem found is raised; otherwise the totals are added up.
CREATE FUNCTION voucher_line_after_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	r record;
BEGIN
	WITH l AS MATERIALIZED (
		SELECT n.*, v.id AS vid, v.tx, v.period AS vperiod, v.kind, v.number, v.reverses_id,
		       a.code AS acode, a.is_leaf, a.active, a.name AS aname
		  FROM new_rows n
		  LEFT JOIN LATERAL (SELECT v.id, v.tx, v.period, v.kind, v.number, v.reverses_id
		                       FROM voucher v
		                      WHERE v.village_id = n.village_id AND v.id = n.voucher_id
		                      LIMIT 1) v ON true
		  LEFT JOIN LATERAL (SELECT a.code, a.is_leaf, a.active, a.name FROM account a
		                      WHERE a.village_id = n.village_id AND a.code = n.account_code
		                      LIMIT 1) a ON true),
	g AS (
		SELECT village_id, voucher_id, min(line_no) AS first, count(*) AS n,
		       sum(debit_fen) AS d, sum(credit_fen) AS c, min(kind) AS kind,
		       min(reverses_id) AS reverses_id, min(number) AS number, min(vperiod) AS period
		  FROM l GROUP BY village_id, voucher_id),
	bad AS (
		(SELECT CASE WHEN vid IS NULL OR tx <> txid_current() THEN 'posted'
		             WHEN vperiod <> period THEN 'period'
		             WHEN acode IS NULL THEN 'no account'
		             WHEN NOT is_leaf THEN 'not leaf'
		             WHEN NOT active THEN 'inactive'
		             ELSE 'red' END AS problem,
		        village_id, voucher_id, period, number, line_no, account_code, aname,
		        0::bigint AS n, 0::numeric AS d, 0::numeric AS c
		   FROM l
		  WHERE vid IS NULL OR tx <> txid_current() OR vperiod <> period
		     OR acode IS NULL OR NOT is_leaf OR NOT active
		     OR ((debit_fen < 0 OR credit_fen < 0) AND kind <> 'reversal')
		  LIMIT 1)
		UNION ALL
		(SELECT CASE WHEN first <> 1 THEN 'split' WHEN n < 2 THEN 'few'
		             WHEN d <> c THEN 'unbalanced' ELSE 'mirror' END,
		        village_id, voucher_id, period, number, 0, '', '', n, d, c
		   FROM g
		  WHERE first <> 1 OR n < 2 OR d <> c
		     OR (kind = 'reversal' AND EXISTS (
		        (SELECT o.account_code, -o.debit_fen, -o.credit_fen FROM voucher_line o
		          WHERE o.village_id = g.village_id AND o.voucher_id = g.reverses_id
		         EXCEPT ALL
		         SELECT x.account_code, x.debit_fen, x.credit_fen FROM voucher_line x
		          WHERE x.village_id = g.village_id AND x.voucher_id = g.voucher_id)
		        UNION ALL
		        (SELECT x.account_code, x.debit_fen, x.credit_fen FROM voucher_line x
		          WHERE x.village_id = g.village_id AND x.voucher_id = g.voucher_id
		         EXCEPT ALL
		         SELECT o.account_code, -o.debit_fen, -o.credit_fen FROM voucher_line o
		          WHERE o.village_id = g.village_id AND o.voucher_id = g.reverses_id)))
		  LIMIT 1)
		LIMIT 1),
	totals AS (
		INSERT INTO account_period_total AS t
		       (village_id, account_code, period, debit_fen, credit_fen,
		        opening_debit_fen, opening_credit_fen)
		SELECT village_id, account_code, period, sum(debit_fen), sum(credit_fen),
		       coalesce(sum(debit_fen) FILTER (WHERE kind = 'opening'), 0),
		       coalesce(sum(credit_fen) FILTER (WHERE kind = 'opening'), 0)
		  FROM l
		 WHERE NOT EXISTS (SELECT 1 FROM bad)
		 GROUP BY 1, 2, 3
		ON CONFLICT (village_id, account_code, period) DO UPDATE
		   SET debit_fen = t.debit_fen + EXCLUDED.debit_fen,
		       credit_fen = t.credit_fen + EXCLUDED.credit_fen,
		       opening_debit_fen = t.opening_debit_fen + EXCLUDED.opening_debit_fen,
		       opening_credit_fen = t.opening_credit_fen + EXCLUDED.opening_credit_fen)
	SELECT * INTO r FROM bad;
	IF NOT FOUND THEN
		RETURN NULL;
	END IF;
	RAISE EXCEPTION USING
		ERRCODE = CASE r.problem WHEN 'posted' THEN 'CJ003' WHEN 'period' THEN 'CJ003'
		                         WHEN 'mirror' THEN 'CJ003' WHEN 'split' THEN 'CJ003'
		                         WHEN 'no account' THEN 'CJ004' WHEN 'not leaf' THEN 'CJ004'
		                         WHEN 'inactive' THEN 'CJ004' ELSE 'CJ002' END,
		MESSAGE = format('village %s: ', village_code(r.village_id)) || CASE r.problem
		WHEN 'posted' THEN format('lines cannot be added to voucher id %s: a posted voucher is never changed',
		                          r.voucher_id)
		WHEN 'period' THEN 'voucher_line.period must equal its voucher''s period'
		WHEN 'no account' THEN format('voucher %s-%s line %s: account %s does not exist',
		                              to_char(r.period, 'YYYY-MM'), r.number, r.line_no, r.account_code)
		WHEN 'not leaf' THEN format('voucher %s-%s line %s: account %s %s has sub-accounts; post to one of them',
		                            to_char(r.period, 'YYYY-MM'), r.number, r.line_no, r.account_code, r.aname)
		WHEN 'inactive' THEN format('voucher %s-%s line %s: account %s %s is inactive',
		                            to_char(r.period, 'YYYY-MM'), r.number, r.line_no, r.account_code, r.aname)
		WHEN 'red' THEN format('voucher %s-%s line %s: negative (red) amounts belong only on reversals',
		                       to_char(r.period, 'YYYY-MM'), r.number, r.line_no)
		WHEN 'split' THEN format('voucher %s-%s: its lines must be inserted together, with line 1',
		                         to_char(r.period, 'YYYY-MM'), r.number)
		WHEN 'few' THEN format('voucher %s-%s has %s line(s); a voucher needs at least two',
		                       to_char(r.period, 'YYYY-MM'), r.number, r.n)
		WHEN 'unbalanced' THEN format('voucher %s-%s is unbalanced: debits %s, credits %s (fen)',
		                              to_char(r.period, 'YYYY-MM'), r.number, r.d, r.c)
		ELSE format('reversal %s-%s does not mirror the voucher it voids',
		            to_char(r.period, 'YYYY-MM'), r.number) END;
END $$;
CREATE TRIGGER voucher_line_after_insert AFTER INSERT ON voucher_line
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION voucher_line_after_insert();

-- Posted means final: no UPDATE, DELETE or TRUNCATE, ever.
CREATE FUNCTION posted_is_final() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF TG_LEVEL = 'STATEMENT' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ003',
			MESSAGE = format('%s cannot be truncated: posted vouchers are final', TG_TABLE_NAME);
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'CJ003',
		MESSAGE = format('village %s: posted voucher %s cannot be changed or deleted; void it with a red reversal (cunji void)',
		                 village_code(OLD.village_id),
		                 CASE TG_TABLE_NAME WHEN 'voucher' THEN OLD.id::text ELSE OLD.voucher_id::text END);
END $$;
CREATE TRIGGER voucher_final BEFORE UPDATE OR DELETE ON voucher
	FOR EACH ROW EXECUTE FUNCTION posted_is_final();
CREATE TRIGGER voucher_no_truncate BEFORE TRUNCATE ON voucher
	FOR EACH STATEMENT EXECUTE FUNCTION posted_is_final();
CREATE TRIGGER voucher_line_final BEFORE UPDATE OR DELETE ON voucher_line
	FOR EACH ROW EXECUTE FUNCTION posted_is_final();
CREATE TRIGGER voucher_line_no_truncate BEFORE TRUNCATE ON voucher_line
	FOR EACH STATEMENT EXECUTE FUNCTION posted_is_final();

-- The totals table changes only through the voucher_line trigger (depth 2).
CREATE FUNCTION totals_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF pg_trigger_depth() < 2 THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ003',
			MESSAGE = 'account_period_total is kept by the ledger; it cannot be written by hand';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER totals_guard BEFORE INSERT OR UPDATE OR DELETE ON account_period_total
	FOR EACH ROW EXECUTE FUNCTION totals_guard();
CREATE TRIGGER totals_no_truncate BEFORE TRUNCATE ON account_period_total
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();

-- Recomputes the per-period totals from the lines and lists any difference;
-- `cunji check` runs it.  An empty result means the books agree.
CREATE FUNCTION totals_mismatches()
RETURNS TABLE (village_id integer, account_code text, period date,
               kept_debit bigint, kept_credit bigint, line_debit bigint, line_credit bigint)
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	WITH l AS (
		SELECT village_id, account_code, period, sum(debit_fen) AS d, sum(credit_fen) AS c
		  FROM voucher_line GROUP BY 1, 2, 3)
	SELECT coalesce(t.village_id, l.village_id), coalesce(t.account_code, l.account_code),
	       coalesce(t.period, l.period), t.debit_fen, t.credit_fen, l.d, l.c
	  FROM account_period_total t
	  FULL JOIN l ON l.village_id = t.village_id AND l.account_code = t.account_code
	             AND l.period = t.period
	 WHERE t.debit_fen IS DISTINCT FROM l.d OR t.credit_fen IS DISTINCT FROM l.c
$$;
