-- 0023: the inspector's warning rules (domain.md §5.2, R01…R31), their
-- thresholds as data (defaults here, a county's own values, a township's
-- overriding its county's), and the officials roster rule R26 matches against.
-- The rules themselves are set-based queries in reports/audit_*.c.

-- Every rule of §5.2, numbered as there; available = cunji holds the data
-- that decides it (why_not says what is missing when it does not).
CREATE TABLE audit_rule (
	code      text PRIMARY KEY CHECK (code ~ '^R[0-9]{2}$'),
	grp       text NOT NULL,
	title     text NOT NULL,
	severity  text NOT NULL CHECK (severity IN ('red', 'yellow')),
	available boolean NOT NULL,
	why_not   text NOT NULL DEFAULT '',
	CHECK (available = (why_not = ''))
);
COMMENT ON TABLE audit_rule IS 'the warning rules of domain.md §5.2, by their number there';

INSERT INTO audit_rule (code, grp, title, severity, available, why_not) VALUES
	('R01', '应收与合同', '租金、承包费逾期未收', 'yellow', false, '尚无合同台账：cunji 不记录合同及其收款期'),
	('R02', '应收与合同', '应收未收', 'yellow', false, '尚无合同台账：应收款项无约定收款日'),
	('R03', '应收与合同', '合同到期未续签或未重新招标', 'yellow', false, '尚无合同台账'),
	('R04', '应收与合同', '违反合同支付', 'red', false, '尚无合同台账：付款无法与合同金额、进度对照'),
	('R05', '应收与合同', '应进未进（未经产权交易平台）', 'red', false, '尚无交易平台记录'),
	('R06', '应收与合同', '租赁价格偏低或期限过长', 'yellow', false, '尚无合同台账及参考价格'),
	('R07', '应收与合同', '一次性收取、当年分配', 'yellow', false, '尚无合同台账：无法区分一次性收取的多年租金'),
	('R08', '现金与银行', '库存现金超过限额', 'yellow', true, ''),
	('R09', '现金与银行', '库存现金出现贷方余额（白条抵库、坐支）', 'red', true, ''),
	('R10', '现金与银行', '现金收入未及时存入银行', 'yellow', true, ''),
	('R11', '现金与银行', '大额现金支付', 'yellow', true, ''),
	('R12', '现金与银行', '印鉴与票据由一人保管、村干部兼任报账员', 'red', false, '尚无岗位与印鉴保管记录'),
	('R13', '现金与银行', '借款、备用金逾期未结清', 'yellow', true, ''),
	('R14', '审批与单据', '审批手续不全', 'red', false, '尚无审批记录'),
	('R15', '审批与单据', '超审批权限支出', 'red', false, '尚无审批记录（审批人及其权限）'),
	('R16', '审批与单据', '无合规票据或民主理财签章', 'red', false, '尚无票据及签章记录（仅有附件张数）'),
	('R17', '审批与单据', '报销超过2个月', 'yellow', false, '尚无费用发生日期（仅有凭证日期）'),
	('R18', '审批与单据', '招待、奖金、补贴超标或超预算', 'yellow', false, '尚无年度预算'),
	('R19', '专项资金', '专项资金用于负面清单或未按专项核算', 'red', true, ''),
	('R20', '专项资金', '专项资金透支或挤占挪用', 'red', true, ''),
	('R21', '专项资金', '专项资金长期闲置', 'yellow', true, ''),
	('R22', '专项资金', '项目逾期未验收、资产未入账', 'yellow', true, ''),
	('R23', '专项资金', '一事一议资金借方余额', 'red', true, ''),
	('R24', '专项资金', '专项资金计入可分配收益', 'red', true, ''),
	('R25', '往来与关联方', '往来款项长期挂账', 'yellow', true, ''),
	('R26', '往来与关联方', '收款人为村干部或其亲属', 'red', true, ''),
	('R27', '往来与关联方', '拆分支付、短期内多次支付同一对象', 'red', true, ''),
	('R28', '分红与成员', '分红与方案不符、重复身份证号', 'red', true, ''),
	('R29', '分红与成员', '举债分配', 'red', true, ''),
	('R30', '公开', '未按期公开', 'yellow', false, '尚无公开张贴记录：cunji 只生成公开表，不记录张贴日期'),
	('R31', '账务质量', '银行存款贷方余额、结账后损益类科目仍有余额', 'yellow', true, '');

-- A rule's thresholds: the default, its unit and where it comes from.
CREATE TABLE audit_param (
	rule          text NOT NULL REFERENCES audit_rule,
	key           text NOT NULL CHECK (key ~ '^[a-z_]{1,30}$'),
	default_value bigint NOT NULL CHECK (default_value >= 0),
	unit          text NOT NULL CHECK (unit IN ('fen', 'days', 'months', 'count', 'percent')),
	meaning       text NOT NULL,
	source        text NOT NULL,
	PRIMARY KEY (rule, key)
);

INSERT INTO audit_param VALUES
	('R08', 'limit', 500000, 'fen', '库存现金限额', '村级财务管理制度常见规定（5000元）'),
	('R10', 'days', 5, 'days', '现金收入存入银行的期限', '乡镇财务管理规定常见规定（5日）'),
	('R11', 'limit', 100000, 'fen', '现金支付限额，超过须转账', '现金管理暂行条例第五条（结算起点1000元）'),
	('R13', 'days', 30, 'days', '借款、备用金结清期限', '村级财务管理制度常见规定（出差返回后及时结清，不跨月）'),
	('R21', 'months', 6, 'months', '资金到位后闲置的月数', '衔接资金管理办法：当年资金原则上当年使用'),
	('R21', 'percent', 10, 'percent', '结余占到位资金的比例达到此值才报（质保金除外）', '工程质保金一般为3%至5%'),
	('R22', 'days', 30, 'days', '计划完工日期后仍未验收的天数', '建议值'),
	('R25', 'days', 365, 'days', '往来款项无变动的天数', '审计常见问题：挂账1至3年'),
	('R27', 'limit', 1000000, 'fen', '审批限额（拆分支付每笔低于此额）', '“四议两公开”：1万元以上须村民代表会议决议'),
	('R27', 'days', 7, 'days', '同一对象多次支付的间隔天数', '建议值'),
	('R27', 'count', 3, 'count', '多次支付的笔数', '建议值'),
	('R29', 'loan_days', 30, 'days', '分配前若干天内借款视为举债分配', '建议值');

-- A county's own value, or a township's overriding its county's.
CREATE TABLE audit_threshold (
	org_id integer NOT NULL REFERENCES org,
	rule   text NOT NULL,
	key    text NOT NULL,
	value  bigint NOT NULL CHECK (value >= 0),
	set_by name NOT NULL DEFAULT session_user,
	set_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (org_id, rule, key),
	FOREIGN KEY (rule, key) REFERENCES audit_param
);
COMMENT ON TABLE audit_threshold IS
	'a rule''s threshold for a county, or a township (overrides its county''s); else the default';

CREATE FUNCTION audit_threshold_level() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	-- a login sets thresholds within its scope only (an admin anywhere)
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper)
	   AND NOT EXISTS (SELECT 1 FROM app_login WHERE login = session_user AND kind = 'admin'
			      AND disabled_at IS NULL)
	   AND NOT EXISTS (SELECT 1 FROM login_scope s JOIN org o ON o.id = NEW.org_id
			     WHERE s.login = session_user AND s.org_id IN (o.id, o.parent_id)) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('%s may not set thresholds for %s, outside its scope',
					 session_user, (SELECT code FROM org WHERE id = NEW.org_id));
	END IF;
	IF (SELECT level FROM org WHERE id = NEW.org_id) NOT IN ('county', 'township') THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ080',
			MESSAGE = format('a threshold of %s is set for a county or a township, not for %s',
					 NEW.rule, (SELECT code FROM org WHERE id = NEW.org_id));
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER audit_threshold_level BEFORE INSERT OR UPDATE ON audit_threshold
	FOR EACH ROW EXECUTE FUNCTION audit_threshold_level();

-- Village cadres, 监督委员会 members and their relatives (R26).  id_number is
-- '' when unknown: such a person is matched by name only.
CREATE TABLE official (
	village_id integer NOT NULL REFERENCES org,
	id         bigint GENERATED ALWAYS AS IDENTITY,
	name       text NOT NULL CHECK (btrim(name) <> '' AND plain_text(name)),
	id_number  text NOT NULL DEFAULT '' CHECK (id_number = '' OR id_number_valid(id_number)),
	post       text NOT NULL CHECK (btrim(post) <> '' AND plain_text(post)),
	term_from  date,
	term_to    date CHECK (term_to >= term_from),
	relation   text NOT NULL DEFAULT '本人' CHECK (btrim(relation) <> '' AND plain_text(relation)),
	related_to text NOT NULL DEFAULT '' CHECK (plain_text(related_to)),
	added_by   name NOT NULL DEFAULT session_user,
	added_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (village_id, id),
	CHECK ((relation = '本人') = (related_to = ''))
);
CREATE UNIQUE INDEX official_person ON official (village_id, id_number, post)
	WHERE id_number <> '';
COMMENT ON TABLE official IS
	'village cadres, board members and their relatives (relation, related_to the cadre) for R26';

-- Thresholds and the roster: inspectors and admins keep them.
GRANT INSERT, UPDATE, DELETE ON audit_threshold TO cunji_admin, cunji_inspector;
SELECT grant_insert_but('official', 'cunji_admin, cunji_inspector', '{id, added_by, added_at}');
GRANT DELETE ON official TO cunji_admin, cunji_inspector;

-- What the rules' queries share: a voucher's number as people write it
-- (2025-03-7, as voucher show takes it), and whether a payee looks like a
-- person rather than a company, an office or a collective.
CREATE FUNCTION audit_vno(period date, number integer) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT to_char(period, 'YYYY-MM') || '-' || number $$;

CREATE FUNCTION audit_is_person(name text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT char_length(btrim(name)) BETWEEN 2 AND 6
	   AND btrim(name) !~ '(公司|局|社|厂|站|所|院|中心|会|行|校|部|队|店|场|处|组|村|镇|乡|县|市|省|办|委|室|[A-Za-z0-9])'
$$;

-- fen_text() for the sums of the rules' queries (numeric)
CREATE FUNCTION audit_fen(fen numeric) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$ SELECT fen_text(fen::bigint) $$;
