-- 0005_dividends.sql - income distribution (收益分配) to member households
--
-- A plan records what was distributable, what the charter set aside, the
-- member pool and its split by shares; its lines are the household amounts.
-- The database recomputes the distributable income itself, refuses a plan in
-- a loss year or beyond what may be distributed, and checks at COMMIT that
-- the household amounts sum exactly to the pool.
SET search_path = cunji, pg_catalog;

-- Distributable income of a village-year (§1.7): the year's income less its
-- expenses, without earmarked money (income lines tagged with a fund whose
-- kind is not distributable: 财政专项补助, 衔接资金 …), plus undistributed
-- income brought forward (322 before the year, and the year's opening
-- voucher).  Land compensation and revaluation gains go to 公积公益金 (311),
-- never to income, so they are outside by construction.  Closing vouchers
-- are left out, so the figure is the same before and after the year-end close.
CREATE FUNCTION distributable_income(vill integer, y integer)
RETURNS TABLE (income_fen bigint, earmarked_fen bigint, expense_fen bigint,
               year_result_fen bigint, brought_forward_fen bigint, distributable_fen bigint)
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	WITH l AS (
		SELECT a.category, l.account_code, l.debit_fen, l.credit_fen, v.kind, l.period,
		       coalesce(NOT k.distributable, false) AS earmarked
		  FROM voucher_line l
		  JOIN voucher v ON v.village_id = l.village_id AND v.id = l.voucher_id
		  JOIN account a ON a.village_id = l.village_id AND a.code = l.account_code
		  LEFT JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id
		  LEFT JOIN fund_kind k ON k.name = f.kind
		 WHERE l.village_id = vill AND l.period < make_date(y + 1, 1, 1)),
	s AS (
		SELECT coalesce(sum(credit_fen - debit_fen) FILTER (WHERE category = 'income'
		           AND period >= make_date(y, 1, 1) AND kind <> 'closing'), 0)::bigint AS income,
		       coalesce(sum(credit_fen - debit_fen) FILTER (WHERE category = 'income' AND earmarked
		           AND period >= make_date(y, 1, 1) AND kind <> 'closing'), 0)::bigint AS earmarked,
		       coalesce(sum(debit_fen - credit_fen) FILTER (WHERE category = 'expense'
		           AND period >= make_date(y, 1, 1) AND kind <> 'closing'), 0)::bigint AS expense,
		       coalesce(sum(credit_fen - debit_fen) FILTER (WHERE account_code LIKE '322%'
		           AND (period < make_date(y, 1, 1) OR kind = 'opening')), 0)::bigint AS brought
		  FROM l)
	SELECT income, earmarked, expense, income - earmarked - expense, brought,
	       income - earmarked - expense + brought
	  FROM s
$$;

CREATE TABLE dividend_plan (
	village_id        integer NOT NULL REFERENCES village_books (village_id),
	year              integer NOT NULL,
	distributable_fen bigint NOT NULL CHECK (distributable_fen > 0),
	reserve_rate_bp   integer NOT NULL CHECK (reserve_rate_bp BETWEEN 0 AND 10000), -- 公积公益金
	reserve_fen       bigint NOT NULL CHECK (reserve_fen >= 0),
	welfare_rate_bp   integer NOT NULL CHECK (welfare_rate_bp BETWEEN 0 AND 10000), -- 福利
	welfare_fen       bigint NOT NULL CHECK (welfare_fen >= 0),
	pool_fen          bigint NOT NULL CHECK (pool_fen > 0),
	collective_fen    bigint NOT NULL CHECK (collective_fen >= 0), -- 集体股: stays with the collective
	households_fen    bigint NOT NULL CHECK (households_fen >= 0),
	total_shares      numeric(14, 2) NOT NULL CHECK (total_shares > 0),
	shares_on         date NOT NULL,
	method            text NOT NULL,
	declared_on       date NOT NULL,
	voucher_id        bigint NOT NULL,
	tx                bigint NOT NULL DEFAULT txid_current(),
	created_at        timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (village_id, year),
	FOREIGN KEY (village_id, voucher_id) REFERENCES voucher (village_id, id),
	CHECK (reserve_fen + welfare_fen + pool_fen <= distributable_fen),
	CHECK (collective_fen + households_fen = pool_fen)
);

CREATE TABLE dividend_line (
	village_id     integer NOT NULL,
	year           integer NOT NULL,
	household_code text NOT NULL,
	shares         numeric(14, 2) NOT NULL CHECK (shares > 0),
	amount_fen     bigint NOT NULL CHECK (amount_fen >= 0),
	paid_voucher_id bigint,
	PRIMARY KEY (village_id, year, household_code),
	FOREIGN KEY (village_id, year) REFERENCES dividend_plan (village_id, year),
	FOREIGN KEY (village_id, household_code) REFERENCES household (village_id, code),
	FOREIGN KEY (village_id, paid_voucher_id) REFERENCES voucher (village_id, id)
);

-- The plan must agree with the books when it is made.
CREATE FUNCTION dividend_plan_check() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	d record;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = 'a dividend plan is final once declared; correct it by voiding its voucher and a new year''s plan';
	END IF;
	SELECT * INTO d FROM distributable_income(NEW.village_id, NEW.year);
	IF EXISTS (SELECT 1 FROM dividend_plan p WHERE p.village_id = NEW.village_id
	              AND p.year = NEW.year) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = format('village %s: the distribution for %s was already declared',
			                 village_code(NEW.village_id), NEW.year);
	ELSIF NEW.tx <> txid_current() THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = 'dividend_plan.tx must be the inserting transaction (leave it to its default)';
	ELSIF d.year_result_fen < 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = format('village %s: %s shows a loss of %s (earmarked income excluded); no dividends from a loss',
			                 village_code(NEW.village_id), NEW.year, fen_text(-d.year_result_fen));
	ELSIF d.distributable_fen <= 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = format('village %s: undistributed income for %s is %s; nothing may be distributed (no borrowing to pay dividends)',
			                 village_code(NEW.village_id), NEW.year, fen_text(d.distributable_fen));
	ELSIF NEW.distributable_fen <> d.distributable_fen THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = format('village %s: the plan says %s is distributable for %s; the books say %s',
			                 village_code(NEW.village_id), fen_text(NEW.distributable_fen), NEW.year,
			                 fen_text(d.distributable_fen));
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER dividend_plan_check BEFORE INSERT OR UPDATE OR DELETE ON dividend_plan
	FOR EACH ROW EXECUTE FUNCTION dividend_plan_check();

-- At COMMIT: the household amounts sum exactly to the households' part.
CREATE FUNCTION dividend_plan_complete() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	total bigint;
BEGIN
	SELECT coalesce(sum(amount_fen), 0) INTO total FROM dividend_line
	 WHERE village_id = NEW.village_id AND year = NEW.year;
	IF total <> NEW.households_fen THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = format('village %s: dividend plan %s: household amounts sum to %s, not the %s to be paid to households',
			                 village_code(NEW.village_id), NEW.year, fen_text(total),
			                 fen_text(NEW.households_fen));
	END IF;
	RETURN NULL;
END $$;
CREATE CONSTRAINT TRIGGER dividend_plan_complete AFTER INSERT ON dividend_plan
	DEFERRABLE INITIALLY DEFERRED
	FOR EACH ROW EXECUTE FUNCTION dividend_plan_complete();

-- Lines are added with their plan only, and then only their payment is set, once.
CREATE FUNCTION dividend_line_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF TG_OP = 'INSERT' THEN
		IF NOT EXISTS (SELECT 1 FROM dividend_plan p WHERE p.village_id = NEW.village_id
		                  AND p.year = NEW.year AND p.tx = txid_current()) THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ023',
				MESSAGE = format('dividend plan %s is already declared; households cannot be added', NEW.year);
		END IF;
		RETURN NEW;
	END IF;
	IF TG_OP = 'DELETE' OR OLD.paid_voucher_id IS NOT NULL OR NEW.paid_voucher_id IS NULL
	   OR (to_jsonb(NEW) - 'paid_voucher_id') <> (to_jsonb(OLD) - 'paid_voucher_id') THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ023',
			MESSAGE = format('dividend of household %s for %s: only its payment is recorded, once',
			                 OLD.household_code, OLD.year);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER dividend_line_guard BEFORE INSERT OR UPDATE OR DELETE ON dividend_line
	FOR EACH ROW EXECUTE FUNCTION dividend_line_guard();
