-- 0004_funds.sql - earmarked funds (专款专用), allocations, projects, anti-risk aid
--
-- A fund is a tag on voucher lines.  Its money is what moves through cash and
-- bank (101, 102) on lines tagged with it: a debit there is money received,
-- a credit is money spent.  The other lines tagged with it say what the
-- money came from (the holding account, e.g. 241 专项应付款) and what it was
-- spent on (the uses), which must be among those the fund allows.  So:
--   receipt   Dr 102 银行存款 (F)        / Cr 241 专项应付款 (F)
--   spending  Dr 153 在建工程 (F, P)     / Cr 102 银行存款 (F, P)
--   aid       Dr 241 专项应付款 (F)      / Cr 102 银行存款 (F), counterparty = household
-- The statement trigger on voucher_line enforces, inside the posting
-- transaction: a fund never spends more than it has received (nor receives
-- more than was granted); uses are allowed accounts and project categories
-- and none on the negative list; a closed or returned fund spends nothing; a
-- project is paid only once started and never past its budget; an anti-risk
-- aid payment matches a reviewed aid record within the county's caps.
SET search_path = cunji, pg_catalog;

-- Yuan with two decimals and thousands separators, for messages.
CREATE FUNCTION fen_text(fen bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT CASE WHEN fen < 0 THEN '-' ELSE '' END
	       || to_char(abs(fen) / 100, 'FM999,999,999,999,990') || '.' || lpad((abs(fen) % 100)::text, 2, '0')
$$;

-- Allocations and aid caps belong to a county.
CREATE FUNCTION org_must_be_county() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF (SELECT level FROM org WHERE id = NEW.county_id) IS DISTINCT FROM 'county' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('organisation id %s is not a county', NEW.county_id);
	END IF;
	RETURN NEW;
END $$;

-- ---------------------------------------------------------------------------
-- Reference data: fund kinds with their default rules, project categories.
-- Data, not C: a county's stricter list is an edit here or per fund.

CREATE TABLE project_category (
	name     text PRIMARY KEY,
	negative boolean NOT NULL DEFAULT false, -- on the usual negative list (§3.1)
	note     text NOT NULL DEFAULT ''
);
INSERT INTO project_category (name, negative, note) VALUES
	('产业发展', false, '特色产业、加工、光伏等经营性项目'),
	('基础设施', false, '道路、桥梁、饮水、灌溉等'),
	('以工代赈', false, ''),
	('公益岗位', false, ''),
	('人居环境', false, '改厕、垃圾污水治理、村容村貌'),
	('教育培训', false, '技能培训、雨露计划'),
	('防返贫帮扶', false, '对监测户的帮扶'),
	('村内公益事业', false, '一事一议筹资筹劳项目'),
	('金融帮扶', false, '小额信贷贴息等'),
	('单位运转', true, '单位基本支出'),
	('车辆购置', true, '交通工具及通讯设备'),
	('楼堂馆所', true, '修建楼堂馆所、村部及活动室'),
	('奖金津补贴', true, '发放各种奖金、津贴和福利补助'),
	('偿还债务', true, '偿还债务和垫资');

CREATE TABLE fund_kind (
	name                 text PRIMARY KEY,
	holding_account      text NOT NULL,   -- where the money sits (§1.5)
	allowed_accounts     text[],          -- use accounts by code prefix; NULL = any
	forbidden_accounts   text[] NOT NULL DEFAULT '{}',
	allowed_categories   text[],          -- NULL = any, and no project required
	forbidden_categories text[] NOT NULL DEFAULT '{}',
	distributable        boolean NOT NULL -- may its income be paid out as dividends
);
INSERT INTO fund_kind VALUES
	('衔接推进乡村振兴补助资金', '241', '{153,151,141,401,511,514}', '{212,201,221,513}',
	 '{产业发展,基础设施,以工代赈,公益岗位,人居环境,教育培训,防返贫帮扶,金融帮扶}',
	 '{单位运转,车辆购置,楼堂馆所,奖金津补贴,偿还债务}', false),
	('财政专项扶贫资金', '241', '{153,151,141,401,511,514}', '{212,201,221,513}',
	 '{产业发展,基础设施,以工代赈,公益岗位,人居环境,教育培训,防返贫帮扶,金融帮扶}',
	 '{单位运转,车辆购置,楼堂馆所,奖金津补贴,偿还债务}', false),
	('一事一议资金', '231', '{153,151,514,513,515}', '{212,201,221}',
	 '{村内公益事业,基础设施,人居环境}', '{单位运转,车辆购置,楼堂馆所,奖金津补贴,偿还债务}', false),
	-- aid goes straight out of the holding account; nothing else is a use
	('防返贫基金', '241', '{}', '{}', NULL, '{}', false),
	('社会捐赠', '311', NULL, '{201,221}', NULL, '{偿还债务}', false),
	('村集体自有', '102', NULL, '{}', NULL, '{}', true);

-- ---------------------------------------------------------------------------
-- Allocations (下达): a county's document granting money, split over villages
-- as funds.  County-owned: a reference table on Citus.
CREATE SEQUENCE fund_id_seq;

CREATE TABLE fund_allocation (
	id           bigint PRIMARY KEY DEFAULT nextval('fund_id_seq'),
	county_id    integer NOT NULL REFERENCES org (id),
	doc_no       text NOT NULL CHECK (btrim(doc_no) <> ''),   -- 文号
	doc_date     date NOT NULL,
	name         text NOT NULL CHECK (btrim(name) <> ''),
	kind         text NOT NULL REFERENCES fund_kind (name),
	source_level text NOT NULL CHECK (source_level IN ('中央', '省', '市', '县', '乡', '村', '社会')),
	total_fen    bigint NOT NULL CHECK (total_fen > 0),
	created_at   timestamptz NOT NULL DEFAULT now(),
	UNIQUE (county_id, doc_no)
);

CREATE TABLE fund (
	village_id           integer NOT NULL REFERENCES village_books (village_id),
	id                   bigint NOT NULL DEFAULT nextval('fund_id_seq'),
	code                 text NOT NULL CHECK (code ~ '^[0-9A-Za-z_.-]{1,40}$'),
	name                 text NOT NULL CHECK (btrim(name) <> ''),
	kind                 text NOT NULL REFERENCES fund_kind (name),
	source_level         text NOT NULL CHECK (source_level IN ('中央', '省', '市', '县', '乡', '村', '社会')),
	doc_no               text NOT NULL DEFAULT '',
	doc_date             date,
	granted_fen          bigint NOT NULL CHECK (granted_fen >= 0),
	holding_account      text NOT NULL,
	allowed_accounts     text[],
	forbidden_accounts   text[] NOT NULL,
	allowed_categories   text[],
	forbidden_categories text[] NOT NULL,
	allocation_id        bigint REFERENCES fund_allocation (id),
	status               text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'returned')),
	created_at           timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (village_id, id),
	UNIQUE (village_id, code)
);
CREATE INDEX fund_allocation_parts ON fund (allocation_id) WHERE allocation_id IS NOT NULL;

-- Received and spent per fund, kept by the line trigger (like TigerBeetle's
-- debits_posted / credits_posted) so the overspending check is one row.
CREATE TABLE fund_total (
	village_id   integer NOT NULL,
	fund_id      bigint NOT NULL,
	received_fen bigint NOT NULL DEFAULT 0,
	spent_fen    bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (village_id, fund_id),
	FOREIGN KEY (village_id, fund_id) REFERENCES fund (village_id, id)
);

-- A fund's rules are fixed when it is made; only its status moves forward
-- (open -> closed or returned).  Funds are never deleted.  An allocation's
-- village parts never exceed its total.
CREATE FUNCTION fund_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	r record;
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ020',
			MESSAGE = format('fund %s cannot be deleted; close it instead', OLD.code);
	ELSIF TG_OP = 'UPDATE' THEN
		IF OLD.status <> 'open' OR NEW.status = 'open'
		   OR (to_jsonb(NEW) - 'status') <> (to_jsonb(OLD) - 'status') THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ020',
				MESSAGE = format('fund %s: only its status changes, once, from open to closed or returned',
				                 OLD.code);
		END IF;
		RETURN NEW;
	END IF;
	IF NOT EXISTS (SELECT 1 FROM account a WHERE a.village_id = NEW.village_id
	                  AND a.code = NEW.holding_account) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ020',
			MESSAGE = format('fund %s: holding account %s does not exist in village %s',
			                 NEW.code, NEW.holding_account, village_code(NEW.village_id));
	END IF;
	IF NEW.allocation_id IS NOT NULL THEN
		SELECT a.*, (SELECT coalesce(sum(f.granted_fen), 0) FROM fund f
		              WHERE f.allocation_id = a.id) AS parts INTO r
		  FROM fund_allocation a WHERE a.id = NEW.allocation_id FOR UPDATE;
		IF r.parts + NEW.granted_fen > r.total_fen THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ020',
				MESSAGE = format('allocation %s: parts would total %s fen, more than the %s fen it grants',
				                 r.doc_no, r.parts + NEW.granted_fen, r.total_fen);
		END IF;
		IF NEW.kind <> r.kind THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ020',
				MESSAGE = format('fund %s: kind %s differs from its allocation''s %s',
				                 NEW.code, NEW.kind, r.kind);
		END IF;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER fund_guard BEFORE INSERT OR UPDATE OR DELETE ON fund
	FOR EACH ROW EXECUTE FUNCTION fund_guard();

CREATE FUNCTION allocation_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF TG_OP = 'DELETE' OR NEW.total_fen < (SELECT coalesce(sum(granted_fen), 0) FROM fund
	                                         WHERE allocation_id = OLD.id)
	   OR NEW.id <> OLD.id OR NEW.kind <> OLD.kind OR NEW.county_id <> OLD.county_id THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ020',
			MESSAGE = format('allocation %s cannot be deleted, moved or cut below its parts',
			                 OLD.doc_no);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER allocation_guard BEFORE UPDATE OR DELETE ON fund_allocation
	FOR EACH ROW EXECUTE FUNCTION allocation_guard();
CREATE TRIGGER allocation_level BEFORE INSERT ON fund_allocation
	FOR EACH ROW EXECUTE FUNCTION org_must_be_county();

-- ---------------------------------------------------------------------------
-- Projects (项目), their budget by source, payments in tranches.

CREATE TABLE project (
	village_id          integer NOT NULL REFERENCES village_books (village_id),
	id                  bigint NOT NULL DEFAULT nextval('fund_id_seq'),
	code                text NOT NULL CHECK (code ~ '^[0-9A-Za-z_.-]{1,40}$'),
	name                text NOT NULL CHECK (btrim(name) <> ''),
	category            text NOT NULL REFERENCES project_category (name),
	content             text NOT NULL DEFAULT '',       -- 建设内容及规模
	implementing_unit   text NOT NULL DEFAULT '',       -- 实施单位
	responsible         text NOT NULL DEFAULT '',       -- 责任人
	start_date          date,
	end_date            date CHECK (end_date >= start_date),
	households          integer NOT NULL DEFAULT 0 CHECK (households >= 0), -- 受益户数
	poverty_households  integer NOT NULL DEFAULT 0 CHECK (poverty_households >= 0), -- 脱贫户
	monitored_households integer NOT NULL DEFAULT 0 CHECK (monitored_households >= 0), -- 监测户
	goals               text NOT NULL DEFAULT '',       -- 绩效目标
	benefit_mechanism   text NOT NULL DEFAULT '',       -- 联农带农机制
	status              text NOT NULL DEFAULT 'planned' CHECK (status IN ('planned', 'started', 'accepted')),
	asset_kind          text CHECK (asset_kind IN ('经营性', '公益性', '到户')),
	asset_account       text,
	asset_value_fen     bigint,
	accepted_on         date,
	created_at          timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (village_id, id),
	UNIQUE (village_id, code),
	CHECK ((status = 'accepted') = (asset_kind IS NOT NULL AND accepted_on IS NOT NULL)),
	CHECK (poverty_households + monitored_households <= households)
);

-- Budget by source (中央/省/市/县/村 or a fund); rows are only added.
CREATE TABLE project_budget (
	village_id integer NOT NULL,
	project_id bigint NOT NULL,
	seq        smallint NOT NULL,
	source     text NOT NULL CHECK (btrim(source) <> ''),
	fund_id    bigint,
	amount_fen bigint NOT NULL CHECK (amount_fen > 0),
	PRIMARY KEY (village_id, project_id, seq),
	FOREIGN KEY (village_id, project_id) REFERENCES project (village_id, id),
	FOREIGN KEY (village_id, fund_id) REFERENCES fund (village_id, id)
);

CREATE TABLE project_total (
	village_id integer NOT NULL,
	project_id bigint NOT NULL,
	budget_fen bigint NOT NULL DEFAULT 0,
	spent_fen  bigint NOT NULL DEFAULT 0,
	PRIMARY KEY (village_id, project_id),
	FOREIGN KEY (village_id, project_id) REFERENCES project (village_id, id)
);

-- Which tranche a payment voucher was (预付/进度款/尾款/质保金), and to whom.
CREATE TABLE project_payment (
	village_id integer NOT NULL,
	voucher_id bigint NOT NULL,
	project_id bigint NOT NULL,
	tranche    text NOT NULL CHECK (tranche IN ('预付', '进度款', '尾款', '质保金')),
	payee      text NOT NULL CHECK (btrim(payee) <> ''),
	PRIMARY KEY (village_id, voucher_id),
	FOREIGN KEY (village_id, voucher_id) REFERENCES voucher (village_id, id),
	FOREIGN KEY (village_id, project_id) REFERENCES project (village_id, id)
);

CREATE FUNCTION project_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ021',
			MESSAGE = format('project %s cannot be deleted', OLD.code);
	END IF;
	-- status moves forward only; once accepted, the record is final
	IF OLD.status = 'accepted'
	   OR (OLD.status = 'started' AND NEW.status = 'planned')
	   OR (to_jsonb(NEW) - '{status,asset_kind,asset_account,asset_value_fen,accepted_on,start_date}'::text[])
	      <> (to_jsonb(OLD) - '{status,asset_kind,asset_account,asset_value_fen,accepted_on,start_date}'::text[]) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ021',
			MESSAGE = format('project %s: only its status moves, forward (planned -> started -> accepted)',
			                 OLD.code);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER project_guard BEFORE UPDATE OR DELETE ON project
	FOR EACH ROW EXECUTE FUNCTION project_guard();

-- The budget total is kept in project_total as rows are added.
CREATE FUNCTION project_budget_added() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	INSERT INTO project_total AS t (village_id, project_id, budget_fen)
	SELECT village_id, project_id, sum(amount_fen) FROM new_rows GROUP BY 1, 2
	ON CONFLICT (village_id, project_id) DO UPDATE SET budget_fen = t.budget_fen + EXCLUDED.budget_fen;
	RETURN NULL;
END $$;
CREATE TRIGGER project_budget_added AFTER INSERT ON project_budget
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION project_budget_added();

-- ---------------------------------------------------------------------------
-- Anti-risk fund aid (防返贫/防风险基金): caps per county, and the record of
-- each payment's application and reviews.

CREATE TABLE aid_rule (
	county_id            integer PRIMARY KEY REFERENCES org (id),
	per_person_cap_fen   bigint NOT NULL CHECK (per_person_cap_fen > 0),
	per_household_cap_fen bigint NOT NULL CHECK (per_household_cap_fen > 0), -- per year
	max_times_per_year   integer NOT NULL CHECK (max_times_per_year > 0),
	min_endowment_fen    bigint NOT NULL DEFAULT 0 CHECK (min_endowment_fen >= 0)
);
CREATE TRIGGER aid_rule_level BEFORE INSERT OR UPDATE ON aid_rule
	FOR EACH ROW EXECUTE FUNCTION org_must_be_county();

CREATE TABLE aid_payment (
	village_id      integer NOT NULL,
	id              bigint NOT NULL DEFAULT nextval('fund_id_seq'),
	fund_id         bigint NOT NULL,
	household_code  text NOT NULL,
	persons         integer NOT NULL CHECK (persons > 0),
	amount_fen      bigint NOT NULL CHECK (amount_fen > 0),
	paid_on         date NOT NULL,
	reason          text NOT NULL CHECK (btrim(reason) <> ''),
	applicant       text NOT NULL CHECK (btrim(applicant) <> ''),        -- 村申请
	township_review text NOT NULL CHECK (btrim(township_review) <> ''),  -- 乡审核
	county_record   text NOT NULL CHECK (btrim(county_record) <> ''),    -- 县备案
	created_at      timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (village_id, id),
	FOREIGN KEY (village_id, fund_id) REFERENCES fund (village_id, id),
	FOREIGN KEY (village_id, household_code) REFERENCES household (village_id, code)
);

CREATE FUNCTION aid_payment_caps() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	rule aid_rule;
	f fund;
	people integer;
	year_total bigint;
	year_times integer;
BEGIN
	IF TG_OP <> 'INSERT' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ022', MESSAGE = 'aid payments are a record: never changed or deleted';
	END IF;
	SELECT * INTO f FROM fund WHERE village_id = NEW.village_id AND id = NEW.fund_id;
	IF f.kind <> '防返贫基金' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ022',
			MESSAGE = format('fund %s is a %s, not an anti-risk fund', f.code, f.kind);
	END IF;
	SELECT r.* INTO rule FROM aid_rule r
	  JOIN org t ON t.parent_id = r.county_id JOIN org v ON v.parent_id = t.id
	 WHERE v.id = NEW.village_id;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ022',
			MESSAGE = format('village %s: its county has no aid caps set (cunji aid rule)',
			                 village_code(NEW.village_id));
	END IF;
	-- one household at a time, so two payments cannot both fit under a cap
	PERFORM 1 FROM household WHERE village_id = NEW.village_id AND code = NEW.household_code
	   FOR UPDATE;
	SELECT count(*) INTO people FROM household_member
	 WHERE village_id = NEW.village_id AND household_code = NEW.household_code;
	SELECT coalesce(sum(amount_fen), 0), count(*) INTO year_total, year_times FROM aid_payment
	 WHERE village_id = NEW.village_id AND household_code = NEW.household_code
	   AND date_trunc('year', paid_on) = date_trunc('year', NEW.paid_on);
	IF NEW.persons > greatest(people, 1) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ022',
			MESSAGE = format('household %s has %s registered people; aid for %s refused',
			                 NEW.household_code, people, NEW.persons);
	ELSIF NEW.amount_fen > NEW.persons * rule.per_person_cap_fen THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ022',
			MESSAGE = format('household %s: aid of %s fen for %s person(s) exceeds the cap of %s fen per person',
			                 NEW.household_code, NEW.amount_fen, NEW.persons, rule.per_person_cap_fen);
	ELSIF year_total + NEW.amount_fen > rule.per_household_cap_fen THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ022',
			MESSAGE = format('household %s: aid this year would total %s fen, over the cap of %s fen per household (already paid %s)',
			                 NEW.household_code, year_total + NEW.amount_fen,
			                 rule.per_household_cap_fen, year_total);
	ELSIF year_times >= rule.max_times_per_year THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ022',
			MESSAGE = format('household %s has had aid %s time(s) this year; the cap is %s',
			                 NEW.household_code, year_times, rule.max_times_per_year);
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER aid_payment_caps BEFORE INSERT OR UPDATE OR DELETE ON aid_payment
	FOR EACH ROW EXECUTE FUNCTION aid_payment_caps();

-- ---------------------------------------------------------------------------
-- The fund and project rules on every INSERT into voucher_line.  Lines with
-- neither a fund nor a project cost one scan of the statement's rows.
CREATE FUNCTION voucher_line_funds() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	r record;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM new_rows WHERE fund_id IS NOT NULL OR project_id IS NOT NULL) THEN
		RETURN NULL;
	END IF;
	WITH l AS MATERIALIZED (
		SELECT n.*, v.kind, v.number, v.external_id,
		       f.id AS fid, f.code AS fcode, f.name AS fname, f.kind AS fkind, f.status AS fstatus,
		       f.holding_account, f.allowed_accounts, f.forbidden_accounts,
		       f.allowed_categories, f.forbidden_categories,
		       p.id AS pid, p.code AS pcode, p.name AS pname, p.category, p.status AS pstatus,
		       (n.account_code LIKE '101%' OR n.account_code LIKE '102%') AS cash,
		       (f.id IS NOT NULL AND n.debit_fen > 0
		        AND NOT (n.account_code LIKE '101%' OR n.account_code LIKE '102%')
		        AND n.account_code NOT LIKE f.holding_account || '%') AS use
		  FROM new_rows n
		  LEFT JOIN LATERAL (SELECT v.kind, v.number, v.external_id FROM voucher v
		                      WHERE v.village_id = n.village_id AND v.id = n.voucher_id LIMIT 1) v ON true
		  LEFT JOIN LATERAL (SELECT f.* FROM fund f
		                      WHERE f.village_id = n.village_id AND f.id = n.fund_id LIMIT 1) f ON true
		  LEFT JOIN LATERAL (SELECT p.* FROM project p
		                      WHERE p.village_id = n.village_id AND p.id = n.project_id LIMIT 1) p ON true
		 WHERE n.fund_id IS NOT NULL OR n.project_id IS NOT NULL),
	bad AS (
		SELECT CASE
		         WHEN fund_id IS NOT NULL AND fid IS NULL THEN 'no fund'
		         WHEN project_id IS NOT NULL AND pid IS NULL THEN 'no project'
		         WHEN use AND account_code LIKE ANY (SELECT x || '%' FROM unnest(forbidden_accounts) x)
		              THEN 'account forbidden'
		         WHEN use AND allowed_accounts IS NOT NULL AND NOT account_code LIKE ANY
		              (SELECT x || '%' FROM unnest(allowed_accounts) x) THEN 'account not allowed'
		         WHEN use AND pid IS NOT NULL AND category = ANY (forbidden_categories)
		              THEN 'category forbidden'
		         WHEN use AND allowed_categories IS NOT NULL AND pid IS NULL THEN 'needs project'
		         WHEN use AND allowed_categories IS NOT NULL AND NOT category = ANY (allowed_categories)
		              THEN 'category not allowed'
		         WHEN cash AND credit_fen > 0 AND fid IS NOT NULL AND fstatus <> 'open' THEN 'fund closed'
		         WHEN cash AND credit_fen > 0 AND pid IS NOT NULL AND pstatus = 'planned'
		              THEN 'project not started'
		         ELSE 'aid record' END AS problem, l.*
		  FROM l
		 WHERE (fund_id IS NOT NULL AND fid IS NULL) OR (project_id IS NOT NULL AND pid IS NULL)
		    OR (use AND (account_code LIKE ANY (SELECT x || '%' FROM unnest(forbidden_accounts) x)
		         OR (allowed_accounts IS NOT NULL AND NOT account_code LIKE ANY
		             (SELECT x || '%' FROM unnest(allowed_accounts) x))
		         OR (pid IS NOT NULL AND category = ANY (forbidden_categories))
		         OR (allowed_categories IS NOT NULL AND (pid IS NULL OR NOT category = ANY (allowed_categories)))))
		    OR (cash AND credit_fen > 0 AND fid IS NOT NULL AND fstatus <> 'open')
		    OR (cash AND credit_fen > 0 AND pid IS NOT NULL AND pstatus = 'planned')
		    -- an anti-risk payment out of the fund must be a recorded, reviewed aid
		    OR (cash AND credit_fen > 0 AND fkind = '防返贫基金' AND NOT EXISTS (
		          SELECT 1 FROM aid_payment a
		           WHERE a.village_id = l.village_id AND 'aid-' || a.id = l.external_id
		             AND a.fund_id = l.fund_id AND a.household_code = l.counterparty
		             AND a.amount_fen = l.credit_fen))
		 ORDER BY voucher_id, line_no
		 LIMIT 1)
	SELECT * INTO r FROM bad;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ020',
			MESSAGE = format('village %s: voucher %s-%s line %s: ', village_code(r.village_id),
			                 to_char(r.period, 'YYYY-MM'), r.number, r.line_no) || CASE r.problem
			WHEN 'no fund' THEN format('fund id %s does not exist in this village', r.fund_id)
			WHEN 'no project' THEN format('project id %s does not exist in this village', r.project_id)
			WHEN 'account forbidden' THEN format('fund %s %s may not be spent on account %s (negative list: %s)',
			                                     r.fcode, r.fname, r.account_code, r.forbidden_accounts)
			WHEN 'account not allowed' THEN format('fund %s %s may not be spent on account %s (allowed: %s)',
			                                       r.fcode, r.fname, r.account_code,
			                                       coalesce(nullif(array_to_string(r.allowed_accounts, ','), ''),
			                                                'none but its own aid payments'))
			WHEN 'category forbidden' THEN format('fund %s %s may not be spent on project %s, category %s, which is on its negative list',
			                                      r.fcode, r.fname, r.pcode, r.category)
			WHEN 'needs project' THEN format('spending from fund %s %s must name a project (allowed categories: %s)',
			                                 r.fcode, r.fname, array_to_string(r.allowed_categories, ','))
			WHEN 'category not allowed' THEN format('fund %s %s may not be spent on project %s, category %s (allowed: %s)',
			                                        r.fcode, r.fname, r.pcode, r.category,
			                                        array_to_string(r.allowed_categories, ','))
			WHEN 'fund closed' THEN format('fund %s %s is %s and takes no new spending',
			                               r.fcode, r.fname, r.fstatus)
			WHEN 'project not started' THEN format('project %s %s has not started; it cannot be paid yet',
			                                       r.pcode, r.pname)
			ELSE format('payment out of anti-risk fund %s %s needs its aid record (cunji aid pay)',
			            r.fcode, r.fname) END;
	END IF;

	-- Money in and out per fund and per project; refuse what goes past a limit.
	WITH m AS (
		SELECT n.village_id, n.fund_id, n.project_id,
		       CASE WHEN n.account_code LIKE '101%' OR n.account_code LIKE '102%'
		            THEN n.debit_fen ELSE 0 END AS cash_in,
		       CASE WHEN n.account_code LIKE '101%' OR n.account_code LIKE '102%'
		            THEN n.credit_fen ELSE 0 END AS cash_out
		  FROM new_rows n WHERE n.fund_id IS NOT NULL OR n.project_id IS NOT NULL),
	ft AS (
		INSERT INTO fund_total AS t (village_id, fund_id, received_fen, spent_fen)
		SELECT village_id, fund_id, sum(cash_in), sum(cash_out) FROM m
		 WHERE fund_id IS NOT NULL GROUP BY 1, 2
		ON CONFLICT (village_id, fund_id) DO UPDATE
		   SET received_fen = t.received_fen + EXCLUDED.received_fen,
		       spent_fen = t.spent_fen + EXCLUDED.spent_fen
		RETURNING t.*),
	pt AS (
		INSERT INTO project_total AS t (village_id, project_id, spent_fen)
		SELECT village_id, project_id, sum(cash_out) FROM m
		 WHERE project_id IS NOT NULL GROUP BY 1, 2
		ON CONFLICT (village_id, project_id) DO UPDATE SET spent_fen = t.spent_fen + EXCLUDED.spent_fen
		RETURNING t.*),
	d AS (
		SELECT village_id, fund_id, project_id, sum(cash_out) AS delta FROM m GROUP BY 1, 2, 3)
	SELECT * INTO r FROM (
		(SELECT 'overspent' AS problem, f.village_id, f.code, f.name, ft.received_fen AS a,
		        ft.spent_fen AS b, f.granted_fen AS c,
		        (SELECT sum(delta) FROM d WHERE d.village_id = ft.village_id AND d.fund_id = ft.fund_id)::bigint AS delta
		   FROM ft JOIN fund f ON f.village_id = ft.village_id AND f.id = ft.fund_id
		  WHERE ft.spent_fen > ft.received_fen OR ft.received_fen > f.granted_fen
		  LIMIT 1)
		UNION ALL
		(SELECT 'over budget', p.village_id, p.code, p.name, pt.budget_fen, pt.spent_fen, 0,
		        (SELECT sum(delta) FROM d WHERE d.village_id = pt.village_id AND d.project_id = pt.project_id)::bigint
		   FROM pt JOIN project p ON p.village_id = pt.village_id AND p.id = pt.project_id
		  WHERE pt.spent_fen > pt.budget_fen
		  LIMIT 1)
		LIMIT 1) x;
	IF NOT FOUND THEN
		RETURN NULL;
	ELSIF r.problem = 'over budget' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ021',
			MESSAGE = format('village %s: project %s %s: paying %s would bring its spending to %s, past its budget of %s; %s left',
			                 village_code(r.village_id), r.code, r.name, fen_text(r.delta), fen_text(r.b),
			                 fen_text(r.a), fen_text(r.a - (r.b - r.delta)));
	ELSIF r.a > r.c THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ020',
			MESSAGE = format('village %s: fund %s %s: receipts would total %s, more than the %s granted',
			                 village_code(r.village_id), r.code, r.name, fen_text(r.a), fen_text(r.c));
	ELSE
		RAISE EXCEPTION USING ERRCODE = 'CJ020',
			MESSAGE = format('village %s: fund %s %s would be overspent: spending %s with %s left (received %s, spent %s before this)',
			                 village_code(r.village_id), r.code, r.name, fen_text(r.delta),
			                 fen_text(r.a - (r.b - r.delta)), fen_text(r.a), fen_text(r.b - r.delta));
	END IF;
END $$;
CREATE TRIGGER voucher_line_funds AFTER INSERT ON voucher_line
	REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION voucher_line_funds();

CREATE FUNCTION fund_totals_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF pg_trigger_depth() < 2 THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ003',
			MESSAGE = format('%s is kept by the ledger; it cannot be written by hand', TG_TABLE_NAME);
	END IF;
	IF TG_OP = 'DELETE' THEN
		RETURN OLD;
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER fund_total_guard BEFORE INSERT OR UPDATE OR DELETE ON fund_total
	FOR EACH ROW EXECUTE FUNCTION fund_totals_guard();
CREATE TRIGGER project_total_guard BEFORE INSERT OR UPDATE OR DELETE ON project_total
	FOR EACH ROW EXECUTE FUNCTION fund_totals_guard();
CREATE TRIGGER fund_total_no_truncate BEFORE TRUNCATE ON fund_total
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();
CREATE TRIGGER project_total_no_truncate BEFORE TRUNCATE ON project_total
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();
CREATE TRIGGER project_payment_final BEFORE UPDATE OR DELETE ON project_payment
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER project_budget_final BEFORE UPDATE OR DELETE ON project_budget
	FOR EACH ROW EXECUTE FUNCTION append_only();

-- Recomputes fund and project totals from the lines; `cunji check` runs it.
CREATE FUNCTION fund_totals_mismatches()
RETURNS TABLE (what text, village_id integer, id bigint, kept_in bigint, kept_out bigint,
               line_in bigint, line_out bigint)
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	WITH c AS (
		SELECT village_id, fund_id, project_id,
		       CASE WHEN account_code LIKE '101%' OR account_code LIKE '102%' THEN debit_fen ELSE 0 END AS i,
		       CASE WHEN account_code LIKE '101%' OR account_code LIKE '102%' THEN credit_fen ELSE 0 END AS o
		  FROM voucher_line WHERE fund_id IS NOT NULL OR project_id IS NOT NULL),
	f AS (SELECT village_id, fund_id, sum(i)::bigint AS i, sum(o)::bigint AS o FROM c
	       WHERE fund_id IS NOT NULL GROUP BY 1, 2),
	p AS (SELECT village_id, project_id, sum(o)::bigint AS o FROM c
	       WHERE project_id IS NOT NULL GROUP BY 1, 2)
	SELECT 'fund', coalesce(t.village_id, f.village_id), coalesce(t.fund_id, f.fund_id),
	       t.received_fen, t.spent_fen, f.i, f.o
	  FROM fund_total t FULL JOIN f ON f.village_id = t.village_id AND f.fund_id = t.fund_id
	 WHERE t.received_fen IS DISTINCT FROM coalesce(f.i, 0) OR t.spent_fen IS DISTINCT FROM coalesce(f.o, 0)
	UNION ALL
	SELECT 'project', coalesce(t.village_id, p.village_id), coalesce(t.project_id, p.project_id),
	       NULL, t.spent_fen, NULL, p.o
	  FROM project_total t FULL JOIN p ON p.village_id = t.village_id AND p.project_id = t.project_id
	 WHERE t.spent_fen IS DISTINCT FROM coalesce(p.o, 0)
$$;
