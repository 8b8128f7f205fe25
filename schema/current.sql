-- The schema cunji after 0052_first_level_by_statement.sql: every table, function and trigger as it
-- lives now.  Generated from the migrations (schema/NNNN_*.sql, which stay the
-- source); do not edit.  Regenerate: tests/schema/dump_schema.sh --update

--
-- Name: cunji; Type: SCHEMA; Schema: -
--

CREATE SCHEMA cunji;

--
-- Name: account_audit_insert(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.account_audit_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    SET "TimeZone" TO 'UTC'
    AS $$
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

--
-- Name: account_before_insert(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.account_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: account_first_level_check(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.account_first_level_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: account_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.account_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: aid_payment_caps(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.aid_payment_caps() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: allocation_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.allocation_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: append_only(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.append_only() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'CJ003',
		MESSAGE = format('%s is append-only: rows cannot be changed or deleted', TG_TABLE_NAME);
END $$;

--
-- Name: audit_attach(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.audit_attach() RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cunji', 'pg_catalog'
    SET "TimeZone" TO 'UTC'
    AS $$
DECLARE
	t record;
	rec audit_log;
	before bigint := (SELECT coalesce(max(id), 0) FROM audit_log);
BEGIN
	FOR t IN SELECT c.oid::regclass AS rel, c.relname,
			(SELECT string_agg(quote_literal(a.attname), ', ' ORDER BY k.ord)
			   FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(att, ord), pg_attribute a
			  WHERE i.indrelid = c.oid AND i.indisprimary
			    AND a.attrelid = c.oid AND a.attnum = k.att) AS keys,
			(SELECT string_agg(format('%L, to_jsonb(x) -> %L', a.attname, a.attname), ', '
					  ORDER BY k.ord)
			   FROM pg_index i, unnest(i.indkey) WITH ORDINALITY k(att, ord), pg_attribute a
			  WHERE i.indrelid = c.oid AND i.indisprimary
			    AND a.attrelid = c.oid AND a.attnum = k.att) AS key_expr,
			EXISTS (SELECT 1 FROM pg_attribute a WHERE a.attrelid = c.oid
				  AND a.attname = 'village_id' AND NOT a.attisdropped) AS by_village,
			(SELECT string_agg(a.attname, ',' ORDER BY a.attnum) FROM pg_attribute a
			  WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped) AS cols,
			EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid
				  AND g.tgname = 'zz_audit_row') AS attached
		   FROM pg_class c
		  WHERE c.relnamespace = 'cunji'::regnamespace AND c.relkind IN ('r', 'p')
		    AND c.relpersistence = 'p' AND NOT c.relname = ANY (audit_excluded())
		  ORDER BY c.oid LOOP
		-- audited already, and its columns as they were: nothing to do
		CONTINUE WHEN t.attached AND EXISTS (SELECT 1 FROM audit_table u
			WHERE u.tbl = t.relname AND u.cols = t.cols);
		INSERT INTO audit_table AS u (tbl, cols) VALUES (t.relname, t.cols)
		ON CONFLICT (tbl) DO UPDATE SET cols = EXCLUDED.cols;
		EXECUTE format('INSERT INTO audit_log (village_id, tbl, op, row_key, new) '
			       'SELECT %s, %L, ''EXISTING'', %s, to_jsonb(x) FROM %s x',
			       CASE WHEN t.by_village THEN 'x.village_id'
				    WHEN t.relname = 'org' THEN 'CASE WHEN x.level = ''village'' THEN x.id ELSE 0 END'
				    ELSE '0' END,
			       t.relname,
			       CASE WHEN t.key_expr IS NULL THEN 'NULL'
				    ELSE 'jsonb_build_object(' || t.key_expr || ')' END,
			       t.rel);
		CONTINUE WHEN t.attached;
		EXECUTE format('CREATE TRIGGER zz_audit_row AFTER INSERT OR UPDATE OR DELETE ON %s '
			       'FOR EACH ROW EXECUTE FUNCTION audit_row(%s)', t.rel, coalesce(t.keys, ''));
		EXECUTE format('CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON %s '
			       'FOR EACH STATEMENT EXECUTE FUNCTION audit_truncate()', t.rel);
	END LOOP;
	-- the records just made, each a link of its village's chain
	FOR rec IN SELECT l.* FROM audit_log l
		  WHERE l.op = 'EXISTING' AND l.id > before ORDER BY l.village_id, l.id LOOP
		PERFORM chain_append(rec.village_id, 'audit', ARRAY[rec.id], audit_content(rec));
	END LOOP;
END $$;

--
-- Name: audit_log; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.audit_log (
    village_id integer NOT NULL,
    id bigint NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    login text DEFAULT SESSION_USER NOT NULL,
    tbl text NOT NULL,
    op text NOT NULL,
    row_key jsonb,
    old jsonb,
    new jsonb,
    tx bigint DEFAULT txid_current() NOT NULL,
    CONSTRAINT audit_log_op_check CHECK ((op = ANY (ARRAY['INSERT'::text, 'UPDATE'::text, 'DELETE'::text, 'TRUNCATE'::text, 'EXISTING'::text])))
);
ALTER TABLE ONLY cunji.audit_log ALTER COLUMN old SET COMPRESSION lz4;
ALTER TABLE ONLY cunji.audit_log ALTER COLUMN new SET COMPRESSION lz4;

ALTER TABLE ONLY cunji.audit_log FORCE ROW LEVEL SECURITY;

--
-- Name: TABLE audit_log; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.audit_log IS 'every change of the audited tables (issue 15), written only by audit_row(); append-only';

--
-- Name: audit_content(cunji.audit_log); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.audit_content(a cunji.audit_log) RETURNS text
    LANGUAGE plpgsql IMMUTABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
BEGIN
	RETURN hash_num(a.id) || hash_num((extract(epoch FROM a.at) * 1000000)::bigint)
	    || hash_field(a.login) || hash_field(a.tbl) || hash_field(a.op)
	    || hash_field(a.row_key::text) || hash_field(a.old::text) || hash_field(a.new::text);
END $$;

--
-- Name: audit_excluded(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.audit_excluded() RETURNS text[]
    LANGUAGE sql IMMUTABLE
    AS $$
	SELECT ARRAY['voucher', 'voucher_line', 'account_period_total', 'account_year_total',
		     'fund_total', 'project_total', 'voucher_counter', 'voucher_pending',
		     'commit_check', 'commit_check_item', 'twophase_decision',
		     'audit_log', 'audit_table', 'chain_head', 'chain_link', 'disclosure_made']
$$;

--
-- Name: audit_fen(numeric); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.audit_fen(fen numeric) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT fen_text(fen::bigint) $$;

--
-- Name: audit_is_person(text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.audit_is_person(name text) RETURNS boolean
    LANGUAGE sql IMMUTABLE STRICT
    AS $$
	SELECT char_length(btrim(name)) BETWEEN 2 AND 6
	   AND btrim(name) !~ '(公司|局|社|厂|站|所|院|中心|会|行|校|部|队|店|场|处|组|村|镇|乡|县|市|省|办|委|室|[A-Za-z0-9])'
$$;

--
-- Name: audit_row(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.audit_row() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    SET "TimeZone" TO 'UTC'
    AS $$
DECLARE
	o jsonb;
	n jsonb;
	r jsonb;
	k jsonb := '{}';
	v integer;
	a audit_log;
BEGIN
	IF TG_OP <> 'INSERT' THEN o := to_jsonb(OLD); END IF;
	IF TG_OP <> 'DELETE' THEN n := to_jsonb(NEW); END IF;
	IF o = n THEN
		RETURN NULL; -- nothing changed
	END IF;
	r := coalesce(n, o);
	FOR i IN 0 .. TG_NARGS - 1 LOOP
		k := k || jsonb_build_object(TG_ARGV[i], r -> TG_ARGV[i]);
	END LOOP;
	v := CASE WHEN r ? 'village_id' THEN (r ->> 'village_id')::integer
		  WHEN TG_TABLE_NAME = 'org' AND r ->> 'level' = 'village' THEN (r ->> 'id')::integer
		  ELSE 0 END;
	INSERT INTO audit_log (village_id, tbl, op, row_key, old, new)
	VALUES (coalesce(v, 0), TG_TABLE_NAME, TG_OP, CASE WHEN TG_NARGS > 0 THEN k END, o, n)
	RETURNING * INTO a;
	PERFORM chain_append(a.village_id, 'audit', ARRAY[a.id], audit_content(a));
	RETURN NULL;
END $$;

--
-- Name: audit_threshold_level(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.audit_threshold_level() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: audit_truncate(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.audit_truncate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	a audit_log;
BEGIN
	INSERT INTO audit_log (village_id, tbl, op) VALUES (0, TG_TABLE_NAME, 'TRUNCATE')
	RETURNING * INTO a;
	PERFORM chain_append(0, 'audit', ARRAY[a.id], audit_content(a));
	RETURN NULL;
END $$;

--
-- Name: audit_vno(date, integer); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.audit_vno(period date, number integer) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    AS $$ SELECT to_char(period, 'YYYY-MM') || '-' || number $$;

--
-- Name: bank_reconcile_check(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.bank_reconcile_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	bad record;
BEGIN
	SELECT n.statement_id, s.account_code AS s_account, l.account_code AS l_account,
	       s.in_fen, s.out_fen, l.debit_fen, l.credit_fen
	  INTO bad
	  FROM new_pairs n
	  JOIN bank_statement_line s ON s.village_id = n.village_id AND s.id = n.statement_id
	  JOIN voucher_line l ON l.village_id = n.village_id AND l.voucher_id = n.voucher_id
			     AND l.line_no = n.line_no
	 WHERE s.account_code <> l.account_code OR s.in_fen <> l.debit_fen
	    OR s.out_fen <> l.credit_fen
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ270', MESSAGE = format(
			'statement line %s (%s, in %s, out %s fen) is not the ledger line it is '
			'reconciled with (%s, debit %s, credit %s fen)', bad.statement_id, bad.s_account,
			bad.in_fen, bad.out_fen, bad.l_account, bad.debit_fen, bad.credit_fen);
	END IF;
	RETURN NULL;
END $$;

--
-- Name: bank_statement_line_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.bank_statement_line_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'CJ271', MESSAGE =
		'a bank statement''s lines are kept as read: they are not changed or deleted';
END $$;

--
-- Name: books_date(date); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.books_date(d date) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE
    AS $$ SELECT d >= DATE '1949-10-01'
      AND d < make_date(date_part('year', current_date)::integer + 2, 1, 1) $$;

--
-- Name: books_statistics_refresh(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.books_statistics_refresh() RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: FUNCTION books_statistics_refresh(); Type: COMMENT; Schema: cunji
--

COMMENT ON FUNCTION cunji.books_statistics_refresh() IS 'ANALYZE the books'' tables that changed by more than autovacuum''s threshold since last analysed; run before a scan';

--
-- Name: chain_append(integer, text, bigint[], text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.chain_append(v integer, k text, refs bigint[], content text) RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	s bigint;
	h text;
	known boolean;
BEGIN
	SELECT c.seq, c.head INTO s, h FROM chain_head c WHERE c.village_id = v FOR UPDATE;
	known := FOUND;
	PERFORM set_config('cunji.chain_append', 'on', true);
	IF known THEN
		s := s + 1;
		h := encode(sha256(convert_to(concat(h, '13:cunji-link-v1', hash_num(v), hash_num(s),
				hash_field(k), content), 'UTF8')), 'hex');
		UPDATE chain_head SET seq = s, head = h WHERE village_id = v;
	ELSE
		INSERT INTO chain_head AS c (village_id, seq, head)
		VALUES (v, 1, encode(sha256(convert_to(concat(repeat('0', 64), '13:cunji-link-v1',
				hash_num(v), hash_num(1), hash_field(k), content), 'UTF8')), 'hex'))
		ON CONFLICT (village_id) DO UPDATE
		   SET seq = c.seq + 1,
		       head = encode(sha256(convert_to(concat(c.head, '13:cunji-link-v1', hash_num(v),
				hash_num(c.seq + 1), hash_field(k), content), 'UTF8')), 'hex')
		RETURNING c.seq, c.head INTO s, h;
	END IF;
	PERFORM set_config('cunji.chain_append', 'off', true);
	INSERT INTO chain_link (village_id, seq, kind, refs, hash) VALUES (v, s, k, refs, h);
	RETURN h;
END $$;

--
-- Name: chain_vouchers(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.chain_vouchers() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	f record;
	g record;
	who text;
BEGIN
	SELECT n.preparer, n.prepared_by, n.reviewed_by, n.posted_by INTO f FROM new_rows n LIMIT 1;
	FOR g IN SELECT n.village_id, array_agg(n.id) AS ids, count(*) AS k,
			string_agg(n.number::text, ',') AS numbers,
			string_agg(n.content_hash, '') AS hashes,
			count(*) FILTER (WHERE n.external_id IS NOT NULL) AS m,
			string_agg(hash_num(n.id) || hash_field(n.external_id), '')
				FILTER (WHERE n.external_id IS NOT NULL) AS ext,
			bool_and(n.preparer = f.preparer AND n.posted_by = f.posted_by
				 AND n.prepared_by IS NOT DISTINCT FROM f.prepared_by
				 AND n.reviewed_by IS NOT DISTINCT FROM f.reviewed_by) AS same
		   FROM new_rows n GROUP BY n.village_id ORDER BY n.village_id LOOP
		IF g.same THEN
			who := '1:1' || hash_field(f.preparer) || hash_field(f.prepared_by::text)
				|| hash_field(f.reviewed_by::text) || hash_field(f.posted_by);
		ELSE
			-- the group differs from the statement's first voucher: once if
			-- its own vouchers agree, else voucher by voucher in refs order
			SELECT CASE WHEN count(DISTINCT (n.preparer, n.prepared_by, n.reviewed_by, n.posted_by)) = 1
				    THEN '1:1' || min(hash_field(n.preparer) || hash_field(n.prepared_by::text)
						      || hash_field(n.reviewed_by::text) || hash_field(n.posted_by))
				    ELSE hash_num(count(*)) || string_agg(hash_field(n.preparer)
						|| hash_field(n.prepared_by::text) || hash_field(n.reviewed_by::text)
						|| hash_field(n.posted_by), '' ORDER BY u.o) END
			  INTO who
			  FROM unnest(g.ids) WITH ORDINALITY u(id, o) JOIN new_rows n ON n.village_id = g.village_id AND n.id = u.id;
		END IF;
		-- concat: one copy of the content, where || made one per operator
		PERFORM chain_append(g.village_id, 'vouchers2', g.ids,
			concat(hash_num(g.k), hash_field(array_to_string(g.ids, ',')), hash_field(g.numbers),
			       octet_length(g.hashes), ':', g.hashes, hash_num(g.m), g.ext, who));
	END LOOP;
	RETURN NULL;
END $$;

--
-- Name: check_url(integer); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.check_url(org_id integer) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $_$
	WITH RECURSIVE up AS (
		SELECT id, parent_id, 0 AS depth FROM org WHERE id = $1
		UNION ALL
		SELECT o.id, o.parent_id, up.depth + 1 FROM org o JOIN up ON o.id = up.parent_id)
	SELECT s.value FROM up JOIN setting s ON s.org_id = up.id AND s.key = 'check_url'
	 ORDER BY up.depth LIMIT 1
$_$;

--
-- Name: commit_check_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.commit_check_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	IF pg_trigger_depth() < 2 THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ003',
			MESSAGE = format('%s is kept by the ledger; it cannot be changed by hand', TG_TABLE_NAME);
	END IF;
	RETURN NULL;
END $$;

--
-- Name: commit_check_run(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.commit_check_run() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    SET enable_seqscan TO 'off'
    SET jit TO 'off'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
DECLARE
	r record;
	x record;
BEGIN
	-- closing vouchers: only from the year-end close of their year
	FOR r IN SELECT DISTINCT village_id, period FROM commit_check_item
	          WHERE tx = NEW.tx AND what = 'closing' LOOP
		IF NOT EXISTS (SELECT 1 FROM fiscal_year f WHERE f.village_id = r.village_id
		                  AND f.year = extract(year FROM r.period)::integer AND f.tx = NEW.tx) THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ006',
				MESSAGE = format('village %s: closing vouchers for %s come only from the year-end close (cunji year close), which closes the year in the same transaction',
				                 village_code(r.village_id), extract(year FROM r.period));
		END IF;
		SELECT v.number, l.line_no, l.account_code INTO x
		  FROM voucher v
		  JOIN voucher_line l ON l.village_id = v.village_id AND l.voucher_id = v.id
		  JOIN account a ON a.village_id = l.village_id AND a.code = l.account_code
		 WHERE v.village_id = r.village_id AND v.period = r.period AND v.kind = 'closing'
		   AND v.tx = NEW.tx AND a.category NOT IN ('income', 'expense')
		   AND l.account_code NOT LIKE '32%'
		 LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ006',
				MESSAGE = format('village %s: closing voucher %s-%s line %s: account %s is not a profit-and-loss account, 本年收益 or 收益分配',
				                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'), x.number,
				                 x.line_no, x.account_code);
		END IF;
	END LOOP;

	-- cash and bank: no month-end in credit from the first month reduced on,
	-- unless every voucher of this transaction that takes money out of the
	-- account records why
	FOR r IN SELECT i.village_id, i.code, m.period, m.balance
	           FROM (SELECT village_id, code, min(period) AS first FROM commit_check_item
	                  WHERE tx = NEW.tx AND what = 'cash' GROUP BY 1, 2) i
	           CROSS JOIN LATERAL (
	                SELECT b.period, b.balance
	                  FROM (SELECT t.period, sum(t.debit_fen - t.credit_fen) OVER (ORDER BY t.period)
	                               AS balance
	                          FROM account_period_total t
	                         WHERE t.village_id = i.village_id AND t.account_code = i.code) b
	                 WHERE b.period >= i.first AND b.balance < 0
	                 ORDER BY b.period LIMIT 1) m LOOP
		SELECT v.period, v.number, v.voucher_date INTO x
		  FROM voucher v
		  JOIN voucher_line l ON l.village_id = v.village_id AND l.voucher_id = v.id
		 WHERE v.village_id = r.village_id AND v.tx = NEW.tx AND v.negative_cash_reason IS NULL
		   AND l.account_code = r.code AND (l.credit_fen > 0 OR l.debit_fen < 0)
		 ORDER BY v.voucher_date, v.number LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ009',
				MESSAGE = format('village %s: account %s %s would be %s yuan in credit at the end of %s (voucher %s-%s dated %s takes out more than there is); cash and bank cannot go below zero unless the voucher records why (negative_cash_reason)',
				                 village_code(r.village_id), r.code,
				                 (SELECT a.name FROM account a WHERE a.village_id = r.village_id
				                     AND a.code = r.code),
				                 fen_text(-r.balance::bigint), to_char(r.period, 'YYYY-MM'),
				                 to_char(x.period, 'YYYY-MM'), x.number, x.voucher_date);
		END IF;
	END LOOP;

	DELETE FROM commit_check_item WHERE tx = NEW.tx;
	DELETE FROM commit_check WHERE tx = NEW.tx;
	RETURN NULL;
END $$;

--
-- Name: distributable_income(integer, integer); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.distributable_income(vill integer, y integer) RETURNS TABLE(income_fen bigint, earmarked_fen bigint, expense_fen bigint, year_result_fen bigint, brought_forward_fen bigint, distributable_fen bigint)
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
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

--
-- Name: dividend_line_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.dividend_line_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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
	IF EXISTS (SELECT 1 FROM voucher_line l WHERE l.village_id = NEW.village_id
	              AND l.voucher_id = NEW.paid_voucher_id AND l.account_code LIKE '102%')
	   AND NOT EXISTS (SELECT 1 FROM household h WHERE h.village_id = NEW.village_id
	                      AND h.code = NEW.household_code AND btrim(h.bank_account) <> '') THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ025',
			MESSAGE = format('village %s: household %s has no bank account on record; its %s dividend cannot be paid by bank',
			                 village_code(NEW.village_id), NEW.household_code, NEW.year);
	END IF;
	RETURN NEW;
END $$;

--
-- Name: dividend_plan_check(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.dividend_plan_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	d record;
	o record;
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
	SELECT * INTO o FROM own_cash(NEW.village_id, date_trunc('month', NEW.declared_on)::date);
	IF NEW.households_fen + NEW.welfare_fen > o.own_fen THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ024',
			MESSAGE = format('village %s: the distribution for %s pays out %s but the collective''s own cash at the end of %s is %s (cash and bank %s, less short-term borrowing %s, unspent earmarked funds %s, dividends declared and unpaid %s); no dividends from borrowed, earmarked or uncollected money (严禁举债分配)',
			                 village_code(NEW.village_id), NEW.year,
			                 fen_text(NEW.households_fen + NEW.welfare_fen),
			                 to_char(NEW.declared_on, 'YYYY-MM'), fen_text(o.own_fen),
			                 fen_text(o.cash_fen), fen_text(o.borrowing_fen),
			                 fen_text(o.earmarked_fen), fen_text(o.unpaid_dividends_fen));
	END IF;
	RETURN NEW;
END $$;

--
-- Name: dividend_plan_complete(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.dividend_plan_complete() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: doc_norm(text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.doc_norm(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$
	SELECT translate(name_norm(t), '〔[【〖{〈《〕]】〗}〉》', '((((((()))))))')
$$;

--
-- Name: draft_action_content(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_action_content() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	PERFORM draft_action_fixed(OLD.village_id, OLD.id);
	RETURN NEW;
END $$;

--
-- Name: draft_action_fixed(integer, bigint); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_action_fixed(v integer, d bigint) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
DECLARE
	a text;
BEGIN
	SELECT action INTO a FROM draft_action
	 WHERE village_id = v AND draft_id = d AND tx <> txid_current();
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('village %s: draft %s was made by cunji %s; it is not edited: delete it (cunji voucher delete) and run the action again',
			                 village_code(v), d, a);
	END IF;
END $$;

--
-- Name: draft_action_inserted(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_action_inserted() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	NEW.tx := txid_current();
	IF NOT EXISTS (SELECT 1 FROM draft_voucher d
	                WHERE d.village_id = NEW.village_id AND d.id = NEW.draft_id
	                  AND d.state = 'draft' AND d.prepared_by = session_user
	                  AND d.prepared_at = now()) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('village %s: draft %s: an action is saved with the draft it makes, by its preparer',
			                 village_code(NEW.village_id), NEW.draft_id);
	END IF;
	IF NOT draft_action_right(NEW.action, session_user) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('login %s may not %s', session_user, NEW.action);
	END IF;
	RETURN NEW;
END $$;

--
-- Name: draft_action_lines(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_action_lines() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	r record;
BEGIN
	IF NOT EXISTS (SELECT 1 FROM draft_action) THEN
		RETURN NULL;
	END IF;
	SELECT a.village_id, a.draft_id INTO r
	  FROM (SELECT DISTINCT village_id, draft_id FROM changed_rows) k
	  JOIN draft_action a ON a.village_id = k.village_id AND a.draft_id = k.draft_id
	 WHERE a.tx <> txid_current()
	 LIMIT 1;
	IF FOUND THEN
		PERFORM draft_action_fixed(r.village_id, r.draft_id);
	END IF;
	RETURN NULL;
END $$;

--
-- Name: draft_action_project_order(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_action_project_order() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	code text;
	pending text;
BEGIN
	SELECT p.code INTO code FROM project p
	 WHERE p.village_id = NEW.village_id AND p.id = NEW.project_id
	   FOR NO KEY UPDATE;
	IF NEW.action = 'project accept' THEN
		pending := project_drafts_pending(NEW.village_id, NEW.project_id, 'project pay');
		IF pending IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ021',
				MESSAGE = format('village %s: project %s has payment drafts awaiting posting: %s; post or delete them before the project is accepted',
				                 village_code(NEW.village_id), code, pending);
		END IF;
	ELSE
		pending := project_drafts_pending(NEW.village_id, NEW.project_id, 'project accept');
		IF pending IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ021',
				MESSAGE = format('village %s: project %s awaits its acceptance in draft %s; no payment is drafted until that draft is posted or deleted',
				                 village_code(NEW.village_id), code, pending);
		END IF;
	END IF;
	RETURN NEW;
END $$;

--
-- Name: draft_action_right(text, name); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_action_right(action text, login name) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
	SELECT CASE action
	         WHEN 'project pay' THEN has_table_privilege(login, 'cunji.project_payment', 'INSERT')
	         WHEN 'aid pay' THEN has_table_privilege(login, 'cunji.aid_payment', 'INSERT')
	         WHEN 'project accept' THEN has_table_privilege(login, 'cunji.project', 'UPDATE')
	         WHEN 'dividend post' THEN has_table_privilege(login, 'cunji.dividend_plan', 'INSERT')
	         WHEN 'dividend pay' THEN has_table_privilege(login, 'cunji.dividend_line', 'UPDATE')
	       END
$$;

--
-- Name: draft_actions_posted(integer[], bigint[], bigint[]); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_actions_posted(mv integer[], md bigint[], mid bigint[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	a draft_action;
	r record;
	nv record;
BEGIN
	IF NOT posting_drafts() THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = 'draft_actions_posted() is post_drafts()''s own step';
	END IF;
	FOR nv IN
		SELECT m.voucher_id, v.id AS posted, x AS act
		  FROM unnest(mv, md, mid) m(village_id, draft_id, voucher_id)
		  JOIN draft_action x ON x.village_id = m.village_id AND x.draft_id = m.draft_id
		  LEFT JOIN voucher v ON v.village_id = m.village_id AND v.id = m.voucher_id
		                     AND v.draft_id = m.draft_id AND v.tx = txid_current()
		 ORDER BY m.village_id, m.voucher_id
	LOOP
		a := nv.act;
		-- the voucher is the draft's, posted in this transaction (the
		-- trigger had it from the row itself)
		IF nv.posted IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ055',
				MESSAGE = format('village %s: voucher id %s was not posted from draft %s in this transaction',
				                 village_code(a.village_id), nv.voucher_id, a.draft_id);
		END IF;
		-- the posting login's right to the action
		IF NOT draft_action_right(a.action, session_user) THEN
			RAISE EXCEPTION USING ERRCODE = '42501',
				MESSAGE = format('village %s: draft %s was made by cunji %s, which login %s may not do; another login posts it',
				                 village_code(a.village_id), a.draft_id, a.action, session_user);
		END IF;
		CASE a.action
		WHEN 'project pay' THEN
			INSERT INTO project_payment (village_id, voucher_id, project_id, tranche, payee)
			VALUES (a.village_id, nv.voucher_id, a.project_id, a.detail->>'tranche', a.detail->>'payee');
		WHEN 'aid pay' THEN
			INSERT INTO aid_payment (village_id, id, fund_id, household_code, persons, amount_fen,
			                         paid_on, reason, applicant, township_review, county_record)
			VALUES (a.village_id, a.aid_id, (a.detail->>'fund_id')::bigint, a.household_code,
			        (a.detail->>'persons')::integer, (a.detail->>'amount_fen')::bigint,
			        (a.detail->>'paid_on')::date, a.detail->>'reason', a.detail->>'applicant',
			        a.detail->>'township_review', a.detail->>'county_record');
		WHEN 'project accept' THEN
			-- all the drafts of the acceptance in this posting (their vouchers,
			-- of the same month, are in by now), recorded once
			SELECT o.id INTO r
			  FROM draft_voucher d
			  JOIN draft_voucher o ON o.batch_id = d.batch_id AND o.id <> d.id
			  JOIN draft_action oa ON oa.village_id = o.village_id AND oa.draft_id = o.id
			 WHERE d.village_id = a.village_id AND d.id = a.draft_id
			   AND NOT EXISTS (SELECT 1 FROM voucher v WHERE v.village_id = o.village_id
			                      AND v.period = date_trunc('month', o.voucher_date)::date
			                      AND v.draft_id = o.id)
			 LIMIT 1;
			IF FOUND THEN
				RAISE EXCEPTION USING ERRCODE = 'CJ055',
					MESSAGE = format('village %s: drafts %s and %s record one project''s acceptance; they are posted together (cunji voucher post --draft %s --draft %s)',
					                 village_code(a.village_id), a.draft_id, r.id, a.draft_id, r.id);
			END IF;
			-- by the first draft of the batch (the project's guard refuses a
			-- project accepted already, CJ021)
			IF NOT EXISTS (SELECT 1 FROM draft_voucher d
			                 JOIN draft_voucher o ON o.batch_id = d.batch_id AND o.id < d.id
			                 JOIN draft_action oa ON oa.village_id = o.village_id AND oa.draft_id = o.id
			                WHERE d.village_id = a.village_id AND d.id = a.draft_id) THEN
				UPDATE project SET status = 'accepted', asset_kind = a.detail->>'asset_kind',
				       asset_account = a.detail->>'asset_account',
				       asset_value_fen = (a.detail->>'asset_value_fen')::bigint,
				       accepted_on = (a.detail->>'accepted_on')::date
				 WHERE village_id = a.village_id AND id = a.project_id;
			END IF;
		WHEN 'dividend post' THEN
			INSERT INTO dividend_plan (village_id, year, distributable_fen, reserve_rate_bp, reserve_fen,
			                           welfare_rate_bp, welfare_fen, pool_fen, collective_fen,
			                           households_fen, total_shares, shares_on, method, declared_on,
			                           voucher_id)
			VALUES (a.village_id, a.year, (a.detail->>'distributable_fen')::bigint,
			        (a.detail->>'reserve_rate_bp')::integer, (a.detail->>'reserve_fen')::bigint,
			        (a.detail->>'welfare_rate_bp')::integer, (a.detail->>'welfare_fen')::bigint,
			        (a.detail->>'pool_fen')::bigint, (a.detail->>'collective_fen')::bigint,
			        (a.detail->>'households_fen')::bigint, (a.detail->>'total_shares')::numeric,
			        (a.detail->>'shares_on')::date, a.detail->>'method',
			        (a.detail->>'declared_on')::date, nv.voucher_id);
			INSERT INTO dividend_line (village_id, year, household_code, shares, amount_fen)
			SELECT a.village_id, a.year, l.code, l.shares, l.amount_fen
			  FROM jsonb_to_recordset(a.detail->'lines') AS l(code text, shares numeric, amount_fen bigint);
		WHEN 'dividend pay' THEN
			-- paid by bank: to a household with a bank account on record
			-- (0010's rule looks at the paying voucher's lines: here they are
			-- the draft's, not yet posted)
			IF EXISTS (SELECT 1 FROM draft_line l WHERE l.village_id = a.village_id
			              AND l.draft_id = a.draft_id AND l.account_code LIKE '102%')
			   AND NOT EXISTS (SELECT 1 FROM household h WHERE h.village_id = a.village_id
			                      AND h.code = a.household_code AND btrim(h.bank_account) <> '') THEN
				RAISE EXCEPTION USING ERRCODE = 'CJ025',
					MESSAGE = format('village %s: household %s has no bank account on record; its %s dividend cannot be paid by bank',
					                 village_code(a.village_id), a.household_code, a.year);
			END IF;
			-- the line's guard refuses a dividend paid twice (CJ023)
			UPDATE dividend_line SET paid_voucher_id = nv.voucher_id
			 WHERE village_id = a.village_id AND year = a.year AND household_code = a.household_code;
			IF NOT FOUND THEN
				RAISE EXCEPTION USING ERRCODE = 'CJ023',
					MESSAGE = format('village %s: household %s has no %s dividend to pay',
					                 village_code(a.village_id), a.household_code, a.year);
			END IF;
		END CASE;
	END LOOP;
	RETURN;
END $$;

--
-- Name: draft_audit_rows(text, jsonb); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_audit_rows(tbl text, v jsonb) RETURNS jsonb
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
	SELECT CASE
		WHEN v IS NULL THEN NULL
		WHEN jsonb_typeof(v) = 'array'
			THEN coalesce((SELECT jsonb_agg(draft_image_digest(tbl, e)) FROM jsonb_array_elements(v) e),
				      '[]')
		WHEN v ? 'rows' AND jsonb_typeof(v -> 'rows') = 'array' THEN v -> 'rows'
		ELSE jsonb_build_array(draft_image_digest(tbl, v)) END
$$;

--
-- Name: draft_before_insert(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_before_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	NEW.prepared_by := session_user;
	NEW.prepared_at := now();
	NEW.state := 'draft';
	NEW.reviewed_by := NULL;
	NEW.reviewed_at := NULL;
	NEW.rejected_by := NULL;
	NEW.rejected_at := NULL;
	NEW.reject_reason := NULL;
	NEW.voucher_id := NULL;
	RETURN NEW;
END $$;

--
-- Name: draft_bulk_begin(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_bulk_begin() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper)
	   AND NOT EXISTS (SELECT 1 FROM app_login WHERE login = session_user
			      AND kind IN ('admin', 'bookkeeper', 'cashier') AND disabled_at IS NULL) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('login %s may not prepare drafts', session_user);
	END IF;
	INSERT INTO draft_bulk VALUES (txid_current(), 'import')
	ON CONFLICT (tx) DO UPDATE SET mode = 'import';
END $$;

--
-- Name: draft_bulk_end(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_bulk_end() RETURNS void
    LANGUAGE sql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
	DELETE FROM draft_bulk WHERE tx = txid_current() AND mode = 'import'
$$;

--
-- Name: draft_bulk_mode(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_bulk_mode() RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
	SELECT mode FROM draft_bulk WHERE tx = txid_current()
$$;

--
-- Name: draft_bulk_step(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_bulk_step() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    SET "TimeZone" TO 'UTC'
    SET "DateStyle" TO 'ISO'
    SET jit TO 'off'
    AS $_$
DECLARE
	m text;
	r record;
	a audit_log;
	dg text;
BEGIN
	IF current_setting('cunji.draft_bulk', true) IS DISTINCT FROM 'on' THEN
		RETURN NULL; -- the row triggers did it all
	END IF;
	m := draft_bulk_mode();
	IF m IS NULL
	   OR (m = 'import' AND NOT (TG_OP = 'INSERT' AND TG_TABLE_NAME IN ('draft_voucher', 'draft_line')))
	   OR (m IN ('review', 'post') AND NOT ((TG_OP = 'UPDATE' AND TG_TABLE_NAME = 'draft_voucher')
					      OR (TG_OP = 'INSERT' AND TG_TABLE_NAME = 'draft_event'))) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('%s on %s with cunji.draft_bulk on: only draft_bulk_begin(), review_draft_batch() and post_draft_batch() work in bulk',
					 TG_OP, TG_TABLE_NAME);
	END IF;

	IF TG_TABLE_NAME = 'draft_voucher' AND TG_OP = 'INSERT' THEN
		-- what draft_before_insert would have made of them
		SELECT n.village_id, n.id INTO r FROM bulk_new n
		 WHERE n.state <> 'draft' OR n.prepared_by <> session_user OR n.prepared_at <> now()
		    OR n.reviewed_by IS NOT NULL OR n.reviewed_at IS NOT NULL OR n.rejected_by IS NOT NULL
		    OR n.rejected_at IS NOT NULL OR n.reject_reason IS NOT NULL OR n.voucher_id IS NOT NULL
		 LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ052',
				MESSAGE = format('village %s: draft %s: a new draft is its session''s, awaiting review; who and when are recorded by the database',
						 village_code(r.village_id), r.id);
		END IF;
	ELSIF TG_TABLE_NAME = 'draft_voucher' THEN -- UPDATE, by review_draft_batch or post_draft_batch
		-- MATERIALIZED: under LIMIT 1 the planner took a nested loop over the
		-- two transition tables, expecting an early match; with none (every
		-- good batch) that is rows x rows (a 150,000-draft review did not
		-- end in minutes).  A CTE is planned for all its rows: a hash join.
		WITH bad AS MATERIALIZED (
		SELECT n.village_id, n.id, n.prepared_by, o.state AS was, n.state
		  FROM bulk_new n JOIN bulk_old o ON o.village_id = n.village_id AND o.id = n.id
		 WHERE (n.village_id, n.id, n.batch_id, n.prepared_by, n.prepared_at, n.voucher_date, n.kind,
			n.summary, n.attachments, n.external_id, n.reverses_id, n.negative_cash_reason)
		       IS DISTINCT FROM
		       (o.village_id, o.id, o.batch_id, o.prepared_by, o.prepared_at, o.voucher_date, o.kind,
			o.summary, o.attachments, o.external_id, o.reverses_id, o.negative_cash_reason)
		    OR (m = 'review' AND (o.state <> 'draft' OR n.state <> 'reviewed'
					  OR n.reviewed_by IS DISTINCT FROM session_user
					  OR n.reviewed_by = n.prepared_by OR n.reviewed_at <> now()))
		    OR (m = 'post' AND (o.state <> 'reviewed' OR n.state <> 'posted'
					OR (n.reviewed_by, n.reviewed_at) IS DISTINCT FROM (o.reviewed_by, o.reviewed_at)
					OR NOT posting_drafts())))
		SELECT * INTO r FROM bad ORDER BY village_id, id LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = CASE WHEN r.prepared_by = session_user THEN 'CJ050' ELSE 'CJ055' END,
				MESSAGE = CASE WHEN r.prepared_by = session_user AND m = 'review'
					THEN format('village %s: draft %s was prepared by %s, who cannot also review it (制单人与审核人不能为同一人)',
						    village_code(r.village_id), r.id, r.prepared_by)
					ELSE format('village %s: draft %s: a batch step takes a draft from %s to %s as it is',
						    village_code(r.village_id), r.id, r.was, r.state) END;
		END IF;
	END IF;

	-- the audit trail, one record per village: each row's key and digest
	-- (the rows are in the draft tables); an UPDATE also names the state
	-- change, which is the same for every row of a batch step.  A transition
	-- table's row is a record, so the digest is spelled out here as
	-- draft_digest() spells it for each table's row type.
	dg := CASE TG_TABLE_NAME WHEN 'draft_line' THEN 'x.draft_id::text || ''.'' || x.line_no::text'
				 ELSE 'x.id::text' END
	      || ' || '':'' || encode(sha256(convert_to(x::text, ''UTF8'')), ''hex'')';
	IF TG_ARGV[0] = 'new' THEN
		FOR a IN EXECUTE format(
			'INSERT INTO audit_log (village_id, tbl, op, row_key, old, new)
			 SELECT x.village_id, $1, $2, NULL, NULL, jsonb_build_object(''rows'', array_to_json(array_agg(%s)))
			   FROM bulk_new x GROUP BY x.village_id ORDER BY x.village_id
			 RETURNING *', dg) USING TG_TABLE_NAME, TG_OP
		LOOP
			PERFORM chain_append(a.village_id, 'audit', ARRAY[a.id], audit_content(a));
		END LOOP;
	ELSIF TG_ARGV[0] = 'both' THEN
		FOR a IN EXECUTE format(
			'INSERT INTO audit_log (village_id, tbl, op, row_key, old, new)
			 SELECT n.village_id, $1, $2, NULL, jsonb_build_object(''rows'', o.rows),
			        jsonb_build_object(''rows'', n.rows, ''set'', n.set)
			   FROM (SELECT x.village_id, array_to_json(array_agg(%s)) AS rows,
			                jsonb_build_object(''state'', min(x.state), ''reviewed_by'', min(x.reviewed_by),
			                                   ''reviewed_at'', min(x.reviewed_at)) AS set
			           FROM bulk_new x GROUP BY x.village_id) n
			   JOIN (SELECT x.village_id, array_to_json(array_agg(%s)) AS rows
			           FROM bulk_old x GROUP BY x.village_id) o ON o.village_id = n.village_id
			  ORDER BY n.village_id
			 RETURNING *', dg, dg) USING TG_TABLE_NAME, TG_OP
		LOOP
			PERFORM chain_append(a.village_id, 'audit', ARRAY[a.id], audit_content(a));
		END LOOP;
	END IF;
	RETURN NULL;
END $_$;

--
-- Name: draft_deleted(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_deleted() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	DELETE FROM draft_line l USING old_rows o
	 WHERE l.village_id = o.village_id AND l.draft_id = o.id;
	INSERT INTO draft_event (village_id, draft_id, action)
	SELECT village_id, id, 'delete' FROM old_rows;
	RETURN NULL;
END $$;

--
-- Name: draft_event; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.draft_event (
    village_id integer NOT NULL,
    id bigint NOT NULL,
    draft_id bigint,
    action text NOT NULL,
    by_user name DEFAULT SESSION_USER NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    reason text,
    batch_id bigint,
    CONSTRAINT draft_event_action_check CHECK ((action = ANY (ARRAY['edit'::text, 'review'::text, 'reject'::text, 'post'::text, 'delete'::text]))),
    CONSTRAINT draft_event_draft_or_batch CHECK (((draft_id IS NULL) <> (batch_id IS NULL)))
);

ALTER TABLE ONLY cunji.draft_event FORCE ROW LEVEL SECURITY;

--
-- Name: COLUMN draft_event.batch_id; Type: COMMENT; Schema: cunji
--

COMMENT ON COLUMN cunji.draft_event.batch_id IS 'a step of a whole batch in bulk (0038): one event per village of the batch, draft_id empty';

--
-- Name: draft_digest(cunji.draft_event); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_digest(r cunji.draft_event) RETURNS text
    LANGUAGE sql STABLE
    AS $$
	SELECT r.id::text || ':' || encode(sha256(convert_to(r::text, 'UTF8')), 'hex')
$$;

--
-- Name: plain_text(text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.plain_text(t text) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT t !~ '[\x01-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]' $$;

--
-- Name: draft_line; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.draft_line (
    village_id integer NOT NULL,
    draft_id bigint NOT NULL,
    line_no smallint NOT NULL,
    account_code text NOT NULL,
    debit_fen bigint DEFAULT 0 NOT NULL,
    credit_fen bigint DEFAULT 0 NOT NULL,
    summary text DEFAULT ''::text NOT NULL,
    counterparty text,
    fund_id bigint,
    project_id bigint,
    CONSTRAINT draft_line_check CHECK (((debit_fen = 0) <> (credit_fen = 0))),
    CONSTRAINT draft_line_check1 CHECK ((((debit_fen >= '-10000000000000'::bigint) AND (debit_fen <= '10000000000000'::bigint)) AND ((credit_fen >= '-10000000000000'::bigint) AND (credit_fen <= '10000000000000'::bigint)))),
    CONSTRAINT draft_line_counterparty_check CHECK (cunji.plain_text(counterparty)),
    CONSTRAINT draft_line_line_no_check CHECK ((line_no > 0))
);

ALTER TABLE ONLY cunji.draft_line FORCE ROW LEVEL SECURITY;

--
-- Name: draft_digest(cunji.draft_line); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_digest(r cunji.draft_line) RETURNS text
    LANGUAGE sql STABLE
    AS $$
	SELECT r.draft_id::text || '.' || r.line_no::text || ':'
	       || encode(sha256(convert_to(r::text, 'UTF8')), 'hex')
$$;

--
-- Name: draft_batch_seq; Type: SEQUENCE; Schema: cunji
--

CREATE SEQUENCE cunji.draft_batch_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: draft_id_seq; Type: SEQUENCE; Schema: cunji
--

CREATE SEQUENCE cunji.draft_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: draft_voucher; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.draft_voucher (
    village_id integer NOT NULL,
    id bigint DEFAULT nextval('cunji.draft_id_seq'::regclass) NOT NULL,
    batch_id bigint DEFAULT nextval('cunji.draft_batch_seq'::regclass) NOT NULL,
    voucher_date date NOT NULL,
    kind text DEFAULT 'normal'::text NOT NULL,
    summary text NOT NULL,
    attachments integer DEFAULT 0 NOT NULL,
    external_id text COLLATE pg_catalog."C",
    reverses_id bigint,
    negative_cash_reason text,
    state text DEFAULT 'draft'::text NOT NULL,
    prepared_by name DEFAULT SESSION_USER NOT NULL,
    prepared_at timestamp with time zone DEFAULT now() NOT NULL,
    reviewed_by name,
    reviewed_at timestamp with time zone,
    rejected_by name,
    rejected_at timestamp with time zone,
    reject_reason text,
    voucher_id bigint,
    CONSTRAINT draft_voucher_attachments_check CHECK ((attachments >= 0)),
    CONSTRAINT draft_voucher_check CHECK (((kind = 'reversal'::text) = (reverses_id IS NOT NULL))),
    CONSTRAINT draft_voucher_check1 CHECK (((state = ANY (ARRAY['reviewed'::text, 'posted'::text])) = (reviewed_by IS NOT NULL))),
    CONSTRAINT draft_voucher_check2 CHECK (((state = 'posted'::text) = (voucher_id IS NOT NULL))),
    CONSTRAINT draft_voucher_external_id_check CHECK ((external_id <> ''::text)),
    CONSTRAINT draft_voucher_kind_check CHECK ((kind = ANY (ARRAY['normal'::text, 'opening'::text, 'reversal'::text]))),
    CONSTRAINT draft_voucher_negative_cash_reason_check CHECK (cunji.plain_text(negative_cash_reason)),
    CONSTRAINT draft_voucher_reject_reason_check CHECK (cunji.plain_text(reject_reason)),
    CONSTRAINT draft_voucher_state_check CHECK ((state = ANY (ARRAY['draft'::text, 'rejected'::text, 'reviewed'::text, 'posted'::text]))),
    CONSTRAINT draft_voucher_summary_check CHECK (((btrim(summary) <> ''::text) AND cunji.plain_text(summary))),
    CONSTRAINT draft_voucher_voucher_date_check CHECK (cunji.books_date(voucher_date))
);

ALTER TABLE ONLY cunji.draft_voucher FORCE ROW LEVEL SECURITY;

--
-- Name: draft_digest(cunji.draft_voucher); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_digest(r cunji.draft_voucher) RETURNS text
    LANGUAGE sql STABLE
    AS $$
	SELECT r.id::text || ':' || encode(sha256(convert_to(r::text, 'UTF8')), 'hex')
$$;

--
-- Name: draft_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	what text := format('village %s: draft %s', village_code(OLD.village_id), OLD.id);
	content_changed boolean :=
		(NEW.voucher_date, NEW.kind, NEW.summary, NEW.attachments, NEW.external_id,
		 NEW.reverses_id, NEW.negative_cash_reason)
		IS DISTINCT FROM
		(OLD.voucher_date, OLD.kind, OLD.summary, OLD.attachments, OLD.external_id,
		 OLD.reverses_id, OLD.negative_cash_reason);
BEGIN
	IF OLD.state = 'posted' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('%s was posted; posted vouchers are final (void with a red reversal)',
			                 what);
	END IF;
	IF TG_OP = 'DELETE' THEN
		IF OLD.state = 'reviewed' THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ051',
				MESSAGE = format('%s was reviewed by %s; it cannot be deleted (a reviewer may reject it)',
				                 what, OLD.reviewed_by);
		END IF;
		IF session_user <> OLD.prepared_by THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ051',
				MESSAGE = format('%s was prepared by %s; only its preparer may delete it',
				                 what, OLD.prepared_by);
		END IF;
		RETURN OLD;
	END IF;
	IF (NEW.village_id, NEW.id, NEW.batch_id, NEW.prepared_by, NEW.prepared_at)
	   IS DISTINCT FROM (OLD.village_id, OLD.id, OLD.batch_id, OLD.prepared_by, OLD.prepared_at) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ052',
			MESSAGE = format('%s: its village, id, batch, preparer and time of preparing never change',
			                 what);
	END IF;
	IF NEW.state = 'posted' THEN -- 记账, by post_drafts only
		IF NOT posting_drafts() OR OLD.state <> 'reviewed' OR content_changed THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ053',
				MESSAGE = format('%s: a draft is posted by post_drafts() once reviewed', what);
		END IF;
		NEW.reviewed_by := OLD.reviewed_by;
		NEW.reviewed_at := OLD.reviewed_at;
		RETURN NEW;
	END IF;
	IF content_changed AND NEW.state IN ('reviewed', 'rejected') AND NEW.state <> OLD.state THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('%s: a reviewer reviews or rejects a draft as it is; only its preparer edits it',
			                 what);
	END IF;
	IF NEW.state = 'reviewed' AND OLD.state <> 'reviewed' THEN -- 审核
		IF OLD.state <> 'draft' THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ055',
				MESSAGE = format('%s is %s; its preparer must correct it before it is reviewed',
				                 what, OLD.state);
		END IF;
		IF session_user = OLD.prepared_by THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ050',
				MESSAGE = format('%s was prepared by %s, who cannot also review it (制单人与审核人不能为同一人)',
				                 what, OLD.prepared_by);
		END IF;
		PERFORM draft_reviewer(what);
		NEW.reviewed_by := session_user;
		NEW.reviewed_at := now();
		NEW.rejected_by := OLD.rejected_by;
		NEW.rejected_at := OLD.rejected_at;
		NEW.reject_reason := OLD.reject_reason;
		RETURN NEW;
	END IF;
	IF NEW.state = 'rejected' AND OLD.state <> 'rejected' THEN -- 标错
		IF session_user = OLD.prepared_by THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ050',
				MESSAGE = format('%s was prepared by %s, who edits or deletes it rather than rejecting it',
				                 what, OLD.prepared_by);
		END IF;
		IF btrim(coalesce(NEW.reject_reason, '')) = '' THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ055',
				MESSAGE = format('%s: a rejection needs its reason', what);
		END IF;
		PERFORM draft_reviewer(what);
		NEW.rejected_by := session_user;
		NEW.rejected_at := now();
		NEW.reviewed_by := NULL;
		NEW.reviewed_at := NULL;
		RETURN NEW;
	END IF;
	-- anything else is an edit (or a rejected draft sent back for review)
	IF OLD.state = 'reviewed' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('%s was reviewed by %s; nobody edits a reviewed voucher (a reviewer may reject it)',
			                 what, OLD.reviewed_by);
	END IF;
	IF session_user <> OLD.prepared_by THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('%s was prepared by %s; only its preparer may edit it', what,
			                 OLD.prepared_by);
	END IF;
	NEW.state := 'draft';
	NEW.reviewed_by := NULL;
	NEW.reviewed_at := NULL;
	NEW.rejected_by := OLD.rejected_by;
	NEW.rejected_at := OLD.rejected_at;
	NEW.reject_reason := OLD.reject_reason;
	NEW.voucher_id := NULL;
	RETURN NEW;
END $$;

--
-- Name: draft_image_digest(text, jsonb); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_image_digest(tbl text, img jsonb) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
	SELECT CASE tbl
		WHEN 'draft_voucher' THEN draft_digest(jsonb_populate_record(NULL::draft_voucher, img))
		WHEN 'draft_line' THEN draft_digest(jsonb_populate_record(NULL::draft_line, img))
		WHEN 'draft_event' THEN draft_digest(jsonb_populate_record(NULL::draft_event, img)) END
$$;

--
-- Name: draft_lines_changed(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_lines_changed() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	r record;
BEGIN
	SELECT k.village_id, k.draft_id, d.state, d.prepared_by, d.reviewed_by INTO r
	  FROM (SELECT DISTINCT village_id, draft_id FROM changed_rows) k
	  LEFT JOIN LATERAL (SELECT d.state, d.prepared_by, d.reviewed_by FROM draft_voucher d
	                      WHERE d.village_id = k.village_id AND d.id = k.draft_id
	                      FOR SHARE) d ON true
	 WHERE (d.state IS NULL AND TG_OP <> 'DELETE')
	    OR d.state NOT IN ('draft', 'rejected') OR d.prepared_by <> session_user
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ051',
			MESSAGE = format('village %s: draft %s: %s', village_code(r.village_id), r.draft_id,
			                 CASE WHEN r.state IS NULL THEN 'no such draft'
			                      WHEN r.state = 'posted' THEN 'it was posted; posted vouchers are final'
			                      WHEN r.state = 'reviewed'
			                        THEN format('it was reviewed by %s; nobody edits a reviewed voucher', r.reviewed_by)
			                      ELSE format('it was prepared by %s; only its preparer may edit it', r.prepared_by)
			                 END);
	END IF;
	IF TG_OP <> 'DELETE' THEN
		SELECT k.village_id, k.account_code, a.code AS found, a.is_leaf, a.active INTO r
		  FROM (SELECT DISTINCT village_id, account_code FROM changed_rows) k
		  LEFT JOIN account a ON a.village_id = k.village_id AND a.code = k.account_code
		 WHERE a.code IS NULL OR NOT a.is_leaf OR NOT a.active
		 LIMIT 1;
		IF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ004',
				MESSAGE = format('village %s: account %s %s', village_code(r.village_id),
				                 r.account_code,
				                 CASE WHEN r.found IS NULL THEN 'does not exist'
				                      WHEN NOT r.is_leaf THEN 'has sub-accounts; post to one of them'
				                      ELSE 'is inactive' END);
		END IF;
	END IF;
	RETURN NULL;
END $$;

--
-- Name: draft_reviewer(text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_reviewer(what text) RETURNS void
    LANGUAGE plpgsql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper)
	   AND NOT EXISTS (SELECT 1 FROM app_login WHERE login = session_user
			      AND kind IN ('reviewer', 'admin') AND disabled_at IS NULL) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('%s: login %s may not review or reject drafts (a reviewer does)',
					 what, session_user);
	END IF;
END $$;

--
-- Name: draft_stepped(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_stepped() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	r record;
BEGIN
	SELECT n.village_id, n.id, count(l.line_no) AS lines, coalesce(sum(l.debit_fen), 0) AS d,
	       coalesce(sum(l.credit_fen), 0) AS c INTO r
	  FROM new_rows n JOIN old_rows o ON o.village_id = n.village_id AND o.id = n.id
	  LEFT JOIN draft_line l ON l.village_id = n.village_id AND l.draft_id = n.id
	 WHERE n.state = 'reviewed' AND o.state <> 'reviewed'
	 GROUP BY n.village_id, n.id
	HAVING count(l.line_no) < 2 OR coalesce(sum(l.debit_fen), 0) <> coalesce(sum(l.credit_fen), 0)
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ002',
			MESSAGE = format('village %s: draft %s cannot be reviewed: %s', village_code(r.village_id),
			                 r.id, CASE WHEN r.lines < 2 THEN format('it has %s lines', r.lines)
			                            ELSE format('debits %s fen do not equal credits %s fen', r.d, r.c) END);
	END IF;
	IF current_setting('cunji.draft_bulk', true) = 'on' THEN
		-- review_draft_batch or post_draft_batch (draft_bulk_step refuses
		-- the statement otherwise): one event per village and batch
		INSERT INTO draft_event (village_id, batch_id, action)
		SELECT n.village_id, n.batch_id,
		       CASE n.state WHEN 'reviewed' THEN 'review' ELSE 'post' END
		  FROM new_rows n
		 GROUP BY n.village_id, n.batch_id, n.state
		 ORDER BY n.village_id, n.batch_id;
		RETURN NULL;
	END IF;
	INSERT INTO draft_event (village_id, draft_id, action, reason)
	SELECT n.village_id, n.id,
	       CASE n.state WHEN 'reviewed' THEN 'review' WHEN 'rejected' THEN 'reject'
	                    WHEN 'posted' THEN 'post' ELSE 'edit' END,
	       CASE WHEN n.state = 'rejected' THEN n.reject_reason END
	  FROM new_rows n JOIN old_rows o ON o.village_id = n.village_id AND o.id = n.id
	 WHERE n.state <> o.state OR n.state = 'draft';
	RETURN NULL;
END $$;

--
-- Name: draft_written(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.draft_written() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	r record;
BEGIN
	PERFORM pg_advisory_xact_lock_shared(village_lock_key(), v)
	   FROM (SELECT DISTINCT village_id AS v FROM new_rows ORDER BY 1) s;
	-- the drafts' villages keep books, and a posted draft names the voucher
	-- posted from it (0051: these were foreign keys, a look-up and a row
	-- lock per draft)
	SELECT k.v AS village_id INTO r
	  FROM (SELECT DISTINCT village_id AS v FROM new_rows) k
	 WHERE NOT EXISTS (SELECT 1 FROM village_books b WHERE b.village_id = k.v)
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('organisation id %s keeps no books', r.village_id);
	END IF;
	SELECT n.village_id, n.id, n.voucher_id INTO r
	  FROM new_rows n
	  LEFT JOIN LATERAL (SELECT v.draft_id FROM voucher v
	                      WHERE v.village_id = n.village_id AND v.id = n.voucher_id) v ON true
	 WHERE n.voucher_id IS NOT NULL AND v.draft_id IS DISTINCT FROM n.id
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ055',
			MESSAGE = format('village %s: draft %s names voucher id %s, which was not posted from it',
			                 village_code(r.village_id), r.id, r.voucher_id);
	END IF;
	SELECT n.village_id, n.id, n.voucher_date, b.start_period INTO r
	  FROM (SELECT DISTINCT village_id, date_trunc('month', voucher_date)::date AS m
	          FROM new_rows WHERE state IN ('draft', 'rejected')) k
	  JOIN village_books b ON b.village_id = k.village_id
	  LEFT JOIN period_state p ON p.village_id = k.village_id AND p.period = k.m AND p.closed
	  LEFT JOIN fiscal_year f ON f.village_id = k.village_id
	                         AND f.year = extract(year FROM k.m)::integer
	  JOIN LATERAL (SELECT * FROM new_rows n WHERE n.village_id = k.village_id
	                   AND date_trunc('month', n.voucher_date) = k.m LIMIT 1) n ON true
	 WHERE k.m < b.start_period OR p.period IS NOT NULL OR f.year IS NOT NULL
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = format('village %s: draft %s dated %s: %s', village_code(r.village_id),
			                 r.id, r.voucher_date,
			                 CASE WHEN r.voucher_date < r.start_period
			                      THEN format('the books start in %s', to_char(r.start_period, 'YYYY-MM'))
			                      ELSE 'the month is closed' END);
	END IF;
	RETURN NULL;
END $$;

--
-- Name: fen_text(bigint); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.fen_text(fen bigint) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    AS $$
	SELECT CASE WHEN fen < 0 THEN '-' ELSE '' END
	       || to_char(trunc(abs(fen::numeric) / 100), 'FM9,999,999,999,999,999,990')
	       || '.' || lpad((abs(fen::numeric) % 100)::text, 2, '0')
$$;

--
-- Name: fiscal_year_close(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.fiscal_year_close() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	r record;
BEGIN
	NEW.tx := txid_current();
	SELECT a.code, a.name, sum(t.debit_fen - t.credit_fen) AS balance INTO r
	  FROM account_period_total t
	  JOIN account a ON a.village_id = t.village_id AND a.code = t.account_code
	 WHERE t.village_id = NEW.village_id AND t.period < make_date(NEW.year + 1, 1, 1)
	   AND (a.category IN ('income', 'expense') OR a.code LIKE '321%' OR a.code LIKE '322002%')
	 GROUP BY a.code, a.name
	HAVING sum(t.debit_fen - t.credit_fen) <> 0
	 ORDER BY a.code LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ006',
			MESSAGE = format('village %s: year %s cannot be closed while account %s %s has a balance of %s yuan; the year-end close (cunji year close) carries it over first',
			                 village_code(NEW.village_id), NEW.year, r.code, r.name,
			                 fen_text(r.balance::bigint));
	END IF;
	RETURN NEW;
END $$;

--
-- Name: fund_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.fund_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: fund_totals_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.fund_totals_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: fund_totals_mismatches(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.fund_totals_mismatches() RETURNS TABLE(what text, village_id integer, id bigint, kept_in bigint, kept_out bigint, line_in bigint, line_out bigint)
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
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

--
-- Name: grant_insert_but(regclass, text, text[]); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.grant_insert_but(t regclass, roles text, who_when text[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
BEGIN
	IF t = 'voucher'::regclass THEN
		who_when := who_when || '{preparer, prepared_by, reviewed_by, reviewed_at, draft_id}'::text[];
	END IF;
	EXECUTE format('GRANT INSERT (%s) ON %s TO %s',
		       (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum)
			  FROM pg_attribute
			 WHERE attrelid = t AND attnum > 0 AND NOT attisdropped
			   AND attname <> ALL (who_when)),
		       t, roles);
END $$;

--
-- Name: hash_field(text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.hash_field(s text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
	SELECT CASE WHEN s IS NULL THEN '18446744073709551615:'
	            ELSE pg_catalog.octet_length(s)::text || ':' || s END
$$;

--
-- Name: hash_num(bigint); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.hash_num(n bigint) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$
	SELECT CASE WHEN n IS NULL THEN '18446744073709551615:'
	            ELSE pg_catalog.octet_length(n::text)::text || ':' || n::text END
$$;

--
-- Name: id_number_masked(text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.id_number_masked(id text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT
    AS $$
	SELECT CASE WHEN length(id) = 18 THEN left(id, 6) || '********' || right(id, 4)
	            ELSE repeat('*', length(id)) END
$$;

--
-- Name: id_number_valid(text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.id_number_valid(id text) RETURNS boolean
    LANGUAGE plpgsql IMMUTABLE STRICT
    AS $_$
DECLARE
	birth date;
BEGIN
	IF id !~ '^[0-9]{17}[0-9X]$' THEN
		RETURN false;
	END IF;
	IF substr('10X98765432',
	          (SELECT sum(substr(id, i, 1)::int * ((1 << (18 - i)) % 11))::int % 11
	             FROM generate_series(1, 17) AS i) + 1, 1) <> substr(id, 18, 1) THEN
		RETURN false;
	END IF;
	BEGIN
		birth := make_date(substr(id, 7, 4)::int, substr(id, 11, 2)::int, substr(id, 13, 2)::int);
	EXCEPTION WHEN datetime_field_overflow OR invalid_datetime_format OR others THEN
		RETURN false;
	END;
	-- IMMUTABLE cannot look at today; a birth after 2100 is certainly wrong.
	RETURN birth >= date '1880-01-01' AND birth < date '2100-01-01';
END $_$;

--
-- Name: line_amount_too_large(integer, bigint, smallint, bigint, bigint); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.line_amount_too_large(vill integer, vid bigint, line smallint, d bigint, c bigint) RETURNS boolean
    LANGUAGE plpgsql
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'CJ007',
		MESSAGE = format('village %s: voucher id %s line %s: %s yuan is more than a line may carry (%s yuan)',
		                 village_code(vill), vid, line,
		                 fen_text(CASE WHEN d <> 0 THEN d ELSE c END), fen_text(10000000000000));
END $$;

--
-- Name: login_add(text, text, text, text, text[]); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.login_add(p_login text, p_name text, p_kind text, p_verifier text, p_scopes text[] DEFAULT '{}'::text[]) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $_$
DECLARE
	grp text := 'cunji_' || p_kind;
	r record;
	groups text;
	created boolean := false;
BEGIN
	PERFORM login_admin_only();
	IF p_kind IS NULL OR p_kind NOT IN ('admin', 'bookkeeper', 'reviewer', 'cashier', 'inspector',
					    'board') THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030', MESSAGE = format(
			'role %s: one of admin, bookkeeper, reviewer, cashier, inspector, board', p_kind);
	END IF;
	IF p_login !~ '^[A-Za-z_][A-Za-z0-9_.@-]{0,62}$' OR p_login ~* '^(pg_|cunji_)'
	   OR p_login IN ('postgres', 'public', 'none') THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030', MESSAGE = format(
			'login %s: a login is a letter or _, then letters, digits, _ . @ or -, at most '
			'63 in all, not postgres and not starting with pg_ or cunji_', p_login);
	END IF;
	IF EXISTS (SELECT 1 FROM app_login WHERE login = p_login) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030',
			MESSAGE = format('login %s exists already', p_login);
	END IF;
	IF p_verifier IS NOT NULL AND p_verifier !~ '^SCRAM-SHA-256\$' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030',
			MESSAGE = 'a password is given as a SCRAM-SHA-256 verifier';
	END IF;
	IF to_regrole(quote_ident(p_login)) IS NULL THEN
		BEGIN
			EXECUTE format('CREATE ROLE %I LOGIN IN ROLE %I', p_login, grp)
				|| CASE WHEN p_verifier IS NULL THEN ''
				   ELSE format(' PASSWORD %L', p_verifier) END;
			created := true;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL; -- another database of the server made it meanwhile
		END;
	END IF;
	IF NOT created THEN
		SELECT oid, rolsuper, rolcanlogin INTO r FROM pg_roles WHERE rolname = p_login;
		SELECT string_agg(g.rolname, ', ' ORDER BY g.rolname) INTO groups
		  FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid
		 WHERE m.member = r.oid AND g.rolname LIKE 'cunji\_%';
		IF r.rolsuper OR NOT r.rolcanlogin OR groups IS DISTINCT FROM grp THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ030', MESSAGE = format(
				'the server has a role %s already, and it is no cunji %s login (%s)', p_login,
				p_kind, coalesce('a member of ' || groups, 'a member of no cunji role'));
		END IF;
	END IF;
	INSERT INTO app_login (login, full_name, kind) VALUES (p_login, p_name, p_kind);
	EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), p_login);
	PERFORM login_scope_set(p_login, c, true) FROM unnest(p_scopes) c;
	RETURN created;
END $_$;

--
-- Name: login_admin_only(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.login_admin_only() RETURNS void
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper)
	   AND NOT EXISTS (SELECT 1 FROM app_login WHERE login = session_user AND kind = 'admin'
			      AND disabled_at IS NULL) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('only an admin manages logins, and %s is none', session_user);
	END IF;
END $$;

--
-- Name: login_disable(text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.login_disable(p_login text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	PERFORM login_admin_only();
	IF p_login = session_user THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030',
			MESSAGE = format('login %s cannot disable itself', p_login);
	END IF;
	UPDATE app_login SET disabled_at = now() WHERE login = p_login AND disabled_at IS NULL;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030', MESSAGE = format(
			CASE WHEN EXISTS (SELECT 1 FROM app_login WHERE login = p_login)
			     THEN 'login %s is disabled already' ELSE 'no login %s' END, p_login);
	END IF;
	EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM %I', current_database(), p_login);
END $$;

--
-- Name: login_name(name); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.login_name(l name) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
	SELECT coalesce((SELECT full_name FROM app_login WHERE login = l), l::text)
$$;

--
-- Name: login_password(text, text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.login_password(p_login text, p_verifier text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $_$
BEGIN
	IF p_login IS DISTINCT FROM session_user::text THEN
		PERFORM login_admin_only();
	END IF;
	IF NOT EXISTS (SELECT 1 FROM app_login WHERE login = p_login) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030', MESSAGE = format('no login %s', p_login);
	END IF;
	IF EXISTS (SELECT 1 FROM app_login WHERE login = p_login AND disabled_at IS NOT NULL) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030',
			MESSAGE = format('login %s is disabled; it gets no new password', p_login);
	END IF;
	IF p_verifier IS NULL
	   OR p_verifier !~ '^SCRAM-SHA-256\$[0-9]+:[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+:[A-Za-z0-9+/=]+$' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030',
			MESSAGE = 'a password is given as a SCRAM-SHA-256 verifier';
	END IF;
	EXECUTE format('ALTER ROLE %I PASSWORD %L', p_login, p_verifier);
END $_$;

--
-- Name: login_scope_set(text, text, boolean); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.login_scope_set(p_login text, p_code text, p_add boolean) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	l app_login;
	o org;
BEGIN
	PERFORM login_admin_only();
	SELECT * INTO l FROM app_login WHERE login = p_login;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030', MESSAGE = format('no login %s', p_login);
	END IF;
	SELECT * INTO o FROM org WHERE code = p_code;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030', MESSAGE = format('no organisation %s', p_code);
	END IF;
	IF NOT p_add THEN
		DELETE FROM login_scope WHERE login = p_login AND org_id = o.id;
		IF NOT FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ030',
				MESSAGE = format('%s is not in the scope of login %s', p_code, p_login);
		END IF;
		RETURN;
	END IF;
	IF l.kind = 'admin' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030', MESSAGE = format(
			'login %s is an admin, who sees every organisation: it takes no scope', p_login);
	END IF;
	IF l.kind = 'board' AND o.level <> 'village' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030', MESSAGE = format(
			'login %s is a village board: its scope is a village, and %s is a %s', p_login,
			p_code, o.level);
	END IF;
	INSERT INTO login_scope (login, org_id) VALUES (p_login, o.id)
	ON CONFLICT DO NOTHING;
	IF NOT FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030',
			MESSAGE = format('%s is in the scope of login %s already', p_code, p_login);
	END IF;
END $$;

--
-- Name: my_orgs(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.my_orgs() RETURNS integer[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	RETURN ARRAY(
		WITH below AS (
			SELECT o.id, o.parent_id
			  FROM login_scope s
			  JOIN app_login a ON a.login = s.login AND a.disabled_at IS NULL
			  JOIN org o ON true
			  LEFT JOIN org p ON p.id = o.parent_id
			 WHERE s.login = session_user AND s.org_id IN (o.id, o.parent_id, p.parent_id))
		SELECT id FROM below
		UNION SELECT parent_id FROM below WHERE parent_id IS NOT NULL
		UNION SELECT o.parent_id FROM below b JOIN org o ON o.id = b.parent_id
		       WHERE o.parent_id IS NOT NULL
		ORDER BY 1);
END $$;

--
-- Name: my_villages(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.my_villages() RETURNS integer[]
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper)
	   OR EXISTS (SELECT 1 FROM app_login WHERE login = session_user AND kind = 'admin'
			 AND disabled_at IS NULL) THEN
		RETURN ARRAY(SELECT id FROM org WHERE level = 'village' ORDER BY id);
	END IF;
	RETURN ARRAY(
		SELECT DISTINCT v.id
		  FROM login_scope s
		  JOIN app_login a ON a.login = s.login AND a.disabled_at IS NULL
		  JOIN org v ON v.level = 'village'
		  JOIN org t ON t.id = v.parent_id
		 WHERE s.login = session_user AND s.org_id IN (v.id, t.id, t.parent_id)
		 ORDER BY 1);
END $$;

--
-- Name: name_norm(text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.name_norm(t text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $_$
	SELECT regexp_replace(
	         regexp_replace(lower(translate(t,
	           '！＂＃＄％＆＇（）＊＋，－．／０１２３４５６７８９：；＜＝＞？＠ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ［＼］＾＿｀ａｂｃｄｅｆｇｈｉｊｋｌｍｎｏｐｑｒｓｔｕｖｗｘｙｚ｛｜｝～',
	           '!"#$%&''()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\]^_`abcdefghijklmnopqrstuvwxyz{|}~')), '[[:space:]　]+', '', 'g'),
	         '(股份有限公司|有限责任公司|有限公司)', '公司', 'g')
$_$;

--
-- Name: no_truncate(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.no_truncate() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'CJ003',
		MESSAGE = format('%s cannot be truncated: the books keep their history', TG_TABLE_NAME);
END $$;

--
-- Name: org_code_prefix(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.org_code_prefix() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: org_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.org_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: org_hotline(integer); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.org_hotline(o integer, OUT hotline text, OUT owner_name text) RETURNS record
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
	WITH RECURSIVE up AS (
		SELECT id, parent_id, name, hotline, 0 AS depth FROM org WHERE id = o
		UNION ALL
		SELECT p.id, p.parent_id, p.name, p.hotline, up.depth + 1
		  FROM org p JOIN up ON p.id = up.parent_id)
	SELECT hotline, name FROM up WHERE hotline <> '' ORDER BY depth LIMIT 1
$$;

--
-- Name: org_must_be_county(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.org_must_be_county() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	IF (SELECT level FROM org WHERE id = NEW.county_id) IS DISTINCT FROM 'county' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('organisation id %s is not a county', NEW.county_id);
	END IF;
	RETURN NEW;
END $$;

--
-- Name: own_cash(integer, date); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.own_cash(vill integer, upto date) RETURNS TABLE(cash_fen bigint, borrowing_fen bigint, earmarked_fen bigint, unpaid_dividends_fen bigint, own_fen bigint)
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
	WITH t AS (
		SELECT coalesce(sum(debit_fen - credit_fen) FILTER (WHERE account_code < '103'
		                    AND account_code >= '101'), 0)::bigint AS cash,
		       greatest(coalesce(sum(credit_fen - debit_fen) FILTER (WHERE account_code LIKE '201%'), 0),
		                0)::bigint AS borrowing
		  FROM account_period_total
		 WHERE village_id = vill AND period <= upto),
	e AS (
		SELECT greatest(coalesce(sum(l.debit_fen - l.credit_fen), 0), 0)::bigint AS earmarked
		  FROM voucher_line l
		  JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id
		  JOIN fund_kind k ON k.name = f.kind AND NOT k.distributable
		 WHERE l.village_id = vill AND l.period <= upto AND l.fund_id IS NOT NULL
		   AND l.account_code >= '101' AND l.account_code < '103'),
	d AS (
		SELECT coalesce(sum(amount_fen), 0)::bigint AS unpaid FROM dividend_line
		 WHERE village_id = vill AND paid_voucher_id IS NULL)
	SELECT t.cash, t.borrowing, e.earmarked, d.unpaid, t.cash - t.borrowing - e.earmarked - d.unpaid
	  FROM t, e, d
$$;

--
-- Name: period_close_drafts(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.period_close_drafts() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	r record;
BEGIN
	SELECT count(*) AS n, min(id) AS first INTO r FROM draft_voucher
	 WHERE village_id = NEW.village_id AND state <> 'posted'
	   AND voucher_date >= NEW.period AND voucher_date < NEW.period + interval '1 month';
	IF r.n > 0 THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ054',
			MESSAGE = format('village %s: %s has %s draft(s) not yet posted (the first: draft %s); post or delete them before closing the month',
			                 village_code(NEW.village_id), to_char(NEW.period, 'YYYY-MM'), r.n, r.first);
	END IF;
	RETURN NEW;
END $$;

--
-- Name: period_state_change(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.period_state_change() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	m text;
BEGIN
	IF TG_OP = 'TRUNCATE' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = 'period_state cannot be truncated: closed months stay closed until reopened one by one';
	END IF;
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = 'period states cannot be deleted; reopen the period instead';
	END IF;
	IF TG_OP = 'UPDATE' AND (NEW.village_id <> OLD.village_id OR NEW.period <> OLD.period) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001', MESSAGE = 'a period state cannot be moved';
	END IF;
	-- Exclusive per village: waits for postings in flight (they hold it shared).
	PERFORM pg_advisory_xact_lock(village_lock_key(), NEW.village_id);
	IF NOT NEW.closed AND EXISTS (SELECT 1 FROM fiscal_year WHERE village_id = NEW.village_id
	                              AND year = extract(year FROM NEW.period)) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ001',
			MESSAGE = format('village %s: year %s is closed; period %s cannot be reopened',
			                 village_code(NEW.village_id), extract(year FROM NEW.period),
			                 to_char(NEW.period, 'YYYY-MM'));
	END IF;
	IF NEW.closed AND (TG_OP = 'INSERT' OR NOT OLD.closed) THEN
		SELECT to_char(g, 'YYYY-MM') INTO m
		  FROM village_books b,
		       generate_series(b.start_period, NEW.period - interval '1 month', interval '1 month') g
		 WHERE b.village_id = NEW.village_id
		   AND NOT EXISTS (SELECT 1 FROM period_state p WHERE p.village_id = NEW.village_id
		                      AND p.period = g AND p.closed)
		 ORDER BY g LIMIT 1;
		IF m IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ001',
				MESSAGE = format('village %s: period %s cannot be closed while %s is open; months close in order',
				                 village_code(NEW.village_id), to_char(NEW.period, 'YYYY-MM'), m);
		END IF;
	ELSIF NOT NEW.closed AND (TG_OP = 'INSERT' OR OLD.closed) THEN
		IF btrim(coalesce(current_setting('cunji.reason', true), '')) = '' THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ001',
				MESSAGE = format('village %s: reopening period %s needs a reason (cunji.reason), which is recorded',
				                 village_code(NEW.village_id), to_char(NEW.period, 'YYYY-MM'));
		END IF;
		SELECT to_char(max(p.period), 'YYYY-MM') INTO m FROM period_state p
		 WHERE p.village_id = NEW.village_id AND p.period > NEW.period AND p.closed;
		IF m IS NOT NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ001',
				MESSAGE = format('village %s: period %s cannot be reopened while %s is closed; reopen from the latest month back',
				                 village_code(NEW.village_id), to_char(NEW.period, 'YYYY-MM'), m);
		END IF;
	END IF;
	NEW.changed_at := now();
	RETURN NEW;
END $$;

--
-- Name: period_state_record(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.period_state_record() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	IF TG_OP = 'INSERT' OR NEW.closed <> OLD.closed THEN
		INSERT INTO period_event (village_id, period, action, reason)
		VALUES (NEW.village_id, NEW.period, CASE WHEN NEW.closed THEN 'close' ELSE 'reopen' END,
		        coalesce(current_setting('cunji.reason', true), ''));
	END IF;
	RETURN NULL;
END $$;

--
-- Name: post_draft_batch(bigint); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.post_draft_batch(p_batch bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    SET jit TO 'off'
    AS $$
DECLARE
	n bigint;
BEGIN
	INSERT INTO draft_bulk VALUES (txid_current(), 'post')
	ON CONFLICT (tx) DO UPDATE SET mode = 'post';
	PERFORM set_config('cunji.draft_bulk', 'on', true);
	SELECT count(*) INTO n FROM post_drafts(NULL, NULL, p_batch);
	PERFORM set_config('cunji.draft_bulk', 'off', true);
	DELETE FROM draft_bulk WHERE tx = txid_current();
	RETURN n;
END $$;

--
-- Name: post_drafts(integer, bigint[], bigint); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.post_drafts(p_village integer, p_ids bigint[], p_batch bigint) RETURNS TABLE(draft_id bigint, village_id integer, voucher_id bigint, period date, number integer)
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    SET jit TO 'off'
    AS $$
#variable_conflict use_column
DECLARE
	r record;
	sel_v integer[];
	sel_id bigint[];
	found_n integer;
	mv integer[];
	md bigint[];
	mid bigint[];
	mper date[];
	mnum integer[];
BEGIN
	-- the drafts, locked in one order
	SELECT array_agg(d.village_id ORDER BY d.village_id, d.id), array_agg(d.id ORDER BY d.village_id, d.id)
	  INTO sel_v, sel_id
	  FROM (SELECT d.village_id, d.id FROM draft_voucher d
	         WHERE CASE WHEN p_batch IS NOT NULL THEN d.batch_id = p_batch AND d.state <> 'posted'
	                    ELSE d.village_id = p_village AND d.id = ANY (p_ids) END
	         ORDER BY d.village_id, d.id FOR UPDATE) d;
	found_n := coalesce(cardinality(sel_id), 0);
	IF p_batch IS NULL AND found_n <> cardinality(ARRAY(SELECT DISTINCT unnest(p_ids))) THEN
		SELECT x INTO r FROM unnest(p_ids) x WHERE x <> ALL (coalesce(sel_id, '{}')) LIMIT 1;
		RAISE EXCEPTION USING ERRCODE = 'CJ055',
			MESSAGE = format('village %s has no draft %s', village_code(p_village), r.x);
	END IF;
	IF found_n = 0 THEN
		RETURN;
	END IF;
	IF NOT sel_v <@ my_villages() THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('login %s may not post vouchers of every village of these drafts',
			                 session_user);
	END IF;
	SELECT d.village_id, d.id, d.state INTO r
	  FROM unnest(sel_v, sel_id) k(v, i)
	  JOIN draft_voucher d ON d.village_id = k.v AND d.id = k.i
	 WHERE d.state <> 'reviewed' LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ055',
			MESSAGE = format('village %s: draft %s is %s, not reviewed; it cannot be posted',
			                 village_code(r.village_id), r.id, r.state);
	END IF;

	INSERT INTO draft_posting VALUES (txid_current());

	-- numbers: the counter of each village and month, in one order; ids
	WITH d AS (
	    SELECT d.village_id, d.id, date_trunc('month', d.voucher_date)::date AS m,
	           row_number() OVER (PARTITION BY d.village_id, date_trunc('month', d.voucher_date)
	                              ORDER BY d.voucher_date, d.id) AS k
	      FROM unnest(sel_v, sel_id) s(v, i)
	      JOIN draft_voucher d ON d.village_id = s.v AND d.id = s.i),
	g AS (SELECT d.village_id, d.m, count(*)::integer AS n FROM d GROUP BY 1, 2),
	c AS (INSERT INTO voucher_counter AS c (village_id, period, last_number)
	      SELECT g.village_id, g.m, g.n FROM g ORDER BY 1, 2
	      ON CONFLICT ON CONSTRAINT voucher_counter_pkey DO UPDATE
	         SET last_number = c.last_number + EXCLUDED.last_number
	      RETURNING c.village_id, c.period, c.last_number),
	x AS (SELECT d.village_id, d.id, nextval('voucher_id_seq') AS vid, d.m,
	             (c.last_number - g.n + d.k)::integer AS num
	        FROM d JOIN g ON g.village_id = d.village_id AND g.m = d.m
	        JOIN c ON c.village_id = d.village_id AND c.period = d.m
	       ORDER BY d.village_id, d.m, d.k)
	SELECT array_agg(x.village_id ORDER BY x.vid), array_agg(x.id ORDER BY x.vid),
	       array_agg(x.vid ORDER BY x.vid), array_agg(x.m ORDER BY x.vid),
	       array_agg(x.num ORDER BY x.vid)
	  INTO mv, md, mid, mper, mnum FROM x;

	INSERT INTO voucher (village_id, id, period, number, voucher_date, kind, summary, preparer,
	                     attachments, external_id, content_hash, reverses_id, negative_cash_reason,
	                     prepared_by, reviewed_by, reviewed_at, draft_id)
	SELECT d.village_id, m.voucher_id, m.period, m.number, d.voucher_date, d.kind, d.summary,
	       login_name(d.prepared_by), d.attachments, d.external_id,
	       encode(sha256(convert_to(
	           '16:cunji-voucher-v1' || hash_field(d.village_id::text)
	           || hash_field(to_char(d.voucher_date, 'YYYY-MM-DD')) || hash_field(d.kind)
	           || hash_field(d.summary) || hash_field(d.attachments::text)
	           || hash_field(coalesce(d.reverses_id, 0)::text) || hash_field(h.n::text) || h.s
	           || CASE WHEN d.negative_cash_reason IS NOT NULL
	                   THEN hash_field(d.negative_cash_reason) ELSE '' END,
	           'UTF8')), 'hex'),
	       d.reverses_id, d.negative_cash_reason, d.prepared_by, d.reviewed_by, d.reviewed_at, d.id
	  FROM unnest(mv, md, mid, mper, mnum) m(village_id, draft_id, voucher_id, period, number)
	  JOIN draft_voucher d ON d.village_id = m.village_id AND d.id = m.draft_id
	  JOIN LATERAL (SELECT count(*) AS n,
	                       string_agg(hash_field(l.account_code) || hash_field(l.debit_fen::text)
	                                  || hash_field(l.credit_fen::text) || hash_field(l.summary)
	                                  || hash_field(l.counterparty)
	                                  || hash_field(coalesce(l.fund_id, 0)::text)
	                                  || hash_field(coalesce(l.project_id, 0)::text),
	                                  '' ORDER BY l.line_no) AS s
	                  FROM draft_line l
	                 WHERE l.village_id = m.village_id AND l.draft_id = m.draft_id) h ON true
	 ORDER BY m.village_id, m.voucher_id;
	-- what the drafts' actions record, now that their vouchers are in (0050;
	-- a row trigger on voucher before)
	IF EXISTS (SELECT 1 FROM draft_action) THEN
		PERFORM draft_actions_posted(mv, md, mid);
	END IF;

	INSERT INTO voucher_line (village_id, voucher_id, line_no, period, account_code, debit_fen,
	                          credit_fen, summary, counterparty, fund_id, project_id)
	SELECT l.village_id, m.voucher_id, l.line_no, m.period, l.account_code, l.debit_fen,
	       l.credit_fen, l.summary, l.counterparty, l.fund_id, l.project_id
	  FROM unnest(mv, md, mid, mper, mnum) m(village_id, draft_id, voucher_id, period, number)
	  JOIN draft_line l ON l.village_id = m.village_id AND l.draft_id = m.draft_id
	 ORDER BY l.village_id, m.voucher_id, l.line_no;

	UPDATE draft_voucher d SET state = 'posted', voucher_id = m.voucher_id
	  FROM unnest(mv, md, mid) m(village_id, draft_id, voucher_id)
	 WHERE d.village_id = m.village_id AND d.id = m.draft_id;
	DELETE FROM draft_posting WHERE tx = txid_current();

	RETURN QUERY SELECT m.draft_id, m.village_id, m.voucher_id, m.period, m.number
	               FROM unnest(mv, md, mid, mper, mnum) m(village_id, draft_id, voucher_id, period, number)
	              ORDER BY m.village_id, m.period, m.number;
END $$;

--
-- Name: posted_is_final(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.posted_is_final() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	vid bigint;
BEGIN
	IF TG_LEVEL = 'STATEMENT' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ003',
			MESSAGE = format('%s cannot be truncated: posted vouchers are final', TG_TABLE_NAME);
	END IF;
	IF TG_TABLE_NAME = 'voucher' THEN
		vid := OLD.id;
	ELSE
		vid := OLD.voucher_id;
	END IF;
	RAISE EXCEPTION USING ERRCODE = 'CJ003',
		MESSAGE = format('village %s: posted voucher id %s cannot be changed or deleted; void it with a red reversal (cunji void)',
		                 village_code(OLD.village_id), vid);
END $$;

--
-- Name: posting_drafts(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.posting_drafts() RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
	SELECT EXISTS (SELECT 1 FROM draft_posting WHERE tx = txid_current())
$$;

--
-- Name: project_accept_order(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.project_accept_order() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	pending text;
	accept record;
BEGIN
	pending := project_drafts_pending(NEW.village_id, NEW.id, 'project pay');
	IF pending IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ021',
			MESSAGE = format('village %s: project %s has payment drafts awaiting posting: %s; post or delete them before the project is accepted',
			                 village_code(NEW.village_id), NEW.code, pending);
	END IF;
	-- posting the acceptance's drafts (voucher_draft_action, 0032): their
	-- vouchers are in, their lines not yet
	SELECT d.batch_id, min(d.id) AS first INTO accept
	  FROM draft_action x
	  JOIN draft_voucher d ON d.village_id = x.village_id AND d.id = x.draft_id
	 WHERE x.village_id = NEW.village_id AND x.project_id = NEW.id
	   AND x.action = 'project accept'
	   AND EXISTS (SELECT 1 FROM voucher v WHERE v.village_id = d.village_id
	                  AND v.draft_id = d.id AND v.tx = txid_current())
	 GROUP BY d.batch_id;
	IF NOT FOUND THEN
		RETURN NEW;
	END IF;
	-- the figures project accept computed (fund.c, accept_sql), from the
	-- books without the acceptance's own vouchers, against the drafts':
	-- the cost left in each 153 account, and per earmarked fund the money
	-- paid out of cash and bank for the project
	IF EXISTS (
		WITH mine AS (
			SELECT d.id FROM draft_voucher d WHERE d.batch_id = accept.batch_id),
		posted AS (
			SELECT l.* FROM voucher_line l
			 WHERE l.village_id = NEW.village_id AND l.project_id = NEW.id
			   AND NOT EXISTS (SELECT 1 FROM voucher v WHERE v.village_id = l.village_id
			                      AND v.id = l.voucher_id AND v.draft_id IN (SELECT id FROM mine))),
		drafted AS (
			SELECT l.* FROM draft_line l
			 WHERE l.village_id = NEW.village_id AND l.draft_id IN (SELECT id FROM mine)),
		books AS (
			SELECT 'c' AS k, account_code AS a, sum(debit_fen - credit_fen) AS fen
			  FROM posted WHERE account_code LIKE '153%' GROUP BY 1, 2
			UNION ALL
			SELECT 'f', f.id::text, sum(l.credit_fen)
			  FROM posted l JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id
			 WHERE (l.account_code LIKE '101%' OR l.account_code LIKE '102%')
			   AND f.holding_account NOT LIKE '10%'
			 GROUP BY 1, 2),
		acceptance AS (
			SELECT 'c' AS k, account_code AS a, sum(credit_fen - debit_fen) AS fen
			  FROM drafted WHERE account_code LIKE '153%' GROUP BY 1, 2
			UNION ALL
			SELECT 'f', f.id::text, sum(l.debit_fen - l.credit_fen)
			  FROM drafted l JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id
			 WHERE l.account_code = f.holding_account
			 GROUP BY 1, 2),
		b AS (SELECT * FROM books WHERE fen <> 0),
		a AS (SELECT * FROM acceptance WHERE fen <> 0)
		(SELECT * FROM b EXCEPT SELECT * FROM a)
		UNION ALL
		(SELECT * FROM a EXCEPT SELECT * FROM b)) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ021',
			MESSAGE = format('village %s: project %s: its books changed after the acceptance was drafted (draft %s); delete the acceptance''s drafts and run project accept again',
			                 village_code(NEW.village_id), NEW.code, accept.first);
	END IF;
	RETURN NEW;
END $$;

--
-- Name: project_accept_review(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.project_accept_review() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	accepting boolean := NEW.status = 'accepted' AND OLD.status IS DISTINCT FROM 'accepted';
	reviewer boolean := pg_has_role(session_user, 'cunji_reviewer', 'MEMBER')
	                    OR pg_has_role(session_user, 'cunji_admin', 'MEMBER');
	writer boolean := pg_has_role(session_user, 'cunji_bookkeeper', 'MEMBER')
	                  OR pg_has_role(session_user, 'cunji_admin', 'MEMBER');
BEGIN
	IF accepting AND review_required(NEW.village_id)
	   -- not the posting of its acceptance's drafts
	   AND NOT EXISTS (SELECT 1 FROM draft_action x
	                     JOIN voucher v ON v.village_id = x.village_id AND v.draft_id = x.draft_id
	                    WHERE x.village_id = NEW.village_id AND x.project_id = NEW.id
	                      AND x.action = 'project accept' AND v.tx = txid_current()) THEN
		IF NOT reviewer THEN
			RAISE EXCEPTION USING ERRCODE = '42501',
				MESSAGE = format('village %s: project %s: vouchers here need review, so a project with nothing to book is accepted by a reviewer or an admin (cunji project accept under their login); login %s is neither',
				                 village_code(NEW.village_id), NEW.code, session_user);
		END IF;
		-- what project accept would book (fund.c, accept_sql): the cost left
		-- in 153, the earmarked money paid out of cash and bank
		IF EXISTS (SELECT 1 FROM voucher_line l
		            WHERE l.village_id = NEW.village_id AND l.project_id = NEW.id
		              AND l.account_code LIKE '153%'
		            GROUP BY l.account_code HAVING sum(l.debit_fen - l.credit_fen) <> 0)
		   OR EXISTS (SELECT 1 FROM voucher_line l
		                JOIN fund f ON f.village_id = l.village_id AND f.id = l.fund_id
		               WHERE l.village_id = NEW.village_id AND l.project_id = NEW.id
		                 AND (l.account_code LIKE '101%' OR l.account_code LIKE '102%')
		                 AND f.holding_account NOT LIKE '10%'
		               GROUP BY f.id HAVING sum(l.credit_fen) <> 0) THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ021',
				MESSAGE = format('village %s: project %s has costs or earmarked payments to book at its acceptance; where vouchers need review, its acceptance is drafted (cunji project accept by a bookkeeper) and reviewed',
				                 village_code(NEW.village_id), NEW.code);
		END IF;
		RETURN NEW;
	END IF;
	IF NOT writer AND NOT (accepting AND review_required(NEW.village_id)) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('village %s: project %s: login %s, a reviewer, only accepts a project with nothing to book where vouchers need review',
			                 village_code(NEW.village_id), NEW.code, session_user);
	END IF;
	RETURN NEW;
END $$;

--
-- Name: project_budget_added(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.project_budget_added() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	INSERT INTO project_total AS t (village_id, project_id, budget_fen)
	SELECT village_id, project_id, sum(amount_fen) FROM new_rows GROUP BY 1, 2
	ON CONFLICT (village_id, project_id) DO UPDATE SET budget_fen = t.budget_fen + EXCLUDED.budget_fen;
	RETURN NULL;
END $$;

--
-- Name: project_drafts_pending(integer, bigint, text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.project_drafts_pending(v integer, p bigint, a text) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
	SELECT string_agg(d.id || ' (' || CASE d.state WHEN 'draft' THEN 'awaiting review'
	                                            ELSE d.state END || ')', ', ' ORDER BY d.id)
	  FROM draft_action x
	  JOIN draft_voucher d ON d.village_id = x.village_id AND d.id = x.draft_id
	 WHERE x.village_id = v AND x.project_id = p AND x.action = a AND d.state <> 'posted'
$$;

--
-- Name: project_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.project_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: protect_village_table(regclass); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.protect_village_table(t regclass) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
BEGIN
	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
	EXECUTE format('CREATE POLICY village_scope ON %s USING ((SELECT cunji.sees_all()) '
		       'OR village_id = ANY ((SELECT cunji.my_villages())::integer[]))', t);
END $$;

--
-- Name: public_hotline(bigint); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.public_hotline(p_id bigint, OUT hotline text, OUT owner_name text) RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
	SELECT h.hotline, h.owner_name
	  FROM publication p, LATERAL org_hotline(p.village_id) h
	 WHERE p.id = p_id
$$;

--
-- Name: public_reader_password(text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.public_reader_password(p_verifier text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $_$
BEGIN
	PERFORM login_admin_only();
	IF p_verifier !~ '^SCRAM-SHA-256\$' THEN
		RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'not a SCRAM-SHA-256 verifier';
	END IF;
	EXECUTE format('ALTER ROLE cunji_public PASSWORD %L', p_verifier);
END $_$;

--
-- Name: public_sheet_check(bigint); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.public_sheet_check(p_id bigint, OUT vouchers_then bigint, OUT vouchers_now bigint, OUT same_books boolean, OUT anchor_holds boolean) RETURNS record
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	p publication;
	d text;
BEGIN
	SELECT * INTO p FROM publication WHERE id = p_id;
	IF NOT FOUND THEN
		RETURN;
	END IF;
	vouchers_then := p.vouchers;
	SELECT count(*) INTO vouchers_now FROM voucher
	 WHERE village_id = p.village_id AND voucher_date <= p.period_end;
	SELECT encode(sha256(convert_to(
		       'cunji-ledger-v1 ' || village_code(p.village_id) || ' ' || p.period_end || E'\n'
		       || coalesce(string_agg(x.line, E'\n' ORDER BY x.id), ''), 'UTF8')), 'hex')
	  INTO d
	  FROM (SELECT id, id || ' ' || to_char(period, 'YYYY-MM') || '-' || number || ' '
		       || content_hash AS line
		  FROM voucher WHERE village_id = p.village_id AND voucher_date <= p.period_end
		 ORDER BY id LIMIT p.vouchers) x;
	same_books := d = p.digest;
	anchor_holds := p.anchor_seq = 0 OR EXISTS (
		SELECT 1 FROM chain_link WHERE village_id = p.village_id AND seq = p.anchor_seq
		   AND hash = p.anchor_head);
	RETURN;
END $$;

--
-- Name: public_sheet_file(bigint, text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.public_sheet_file(p_id bigint, p_format text, OUT name text, OUT data bytea) RETURNS record
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
	SELECT v.code || '-' || v.name || '-' || p.period || '.' || p_format,
	       CASE p_format WHEN 'xlsx' THEN p.xlsx WHEN 'pdf' THEN p.pdf END
	  FROM publication p JOIN org v ON v.id = p.village_id
	 WHERE p.id = p_id AND p_format IN ('xlsx', 'pdf')
$$;

--
-- Name: public_sheet_of_anchor(text, bigint, text, text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.public_sheet_of_anchor(p_village text, p_seq bigint, p_head text, p_period text) RETURNS bigint
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
	SELECT max(p.id) FROM publication p JOIN org v ON v.id = p.village_id
	 WHERE v.code = p_village AND p.anchor_seq = p_seq AND p.anchor_head = p_head
	   AND (p_period IS NULL OR p.period = p_period)
$$;

--
-- Name: public_sheets(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.public_sheets() RETURNS TABLE(id bigint, village_code text, village_name text, township_name text, county_name text, period text, posted_on date, published_at timestamp with time zone, vouchers bigint, superseded boolean)
    LANGUAGE sql STABLE SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
	SELECT p.id, v.code, v.name, t.name, c.name, p.period, p.posted_on, p.published_at,
	       p.vouchers,
	       EXISTS (SELECT 1 FROM publication n WHERE n.village_id = p.village_id
			  AND n.period = p.period AND n.id > p.id)
	  FROM publication p
	  JOIN org v ON v.id = p.village_id
	  JOIN org t ON t.id = v.parent_id
	  JOIN org c ON c.id = t.parent_id
	 ORDER BY c.code, t.code, v.code, p.period DESC, p.id DESC
$$;

--
-- Name: publication_append_only(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.publication_append_only() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = '42501',
		MESSAGE = 'a published sheet is never changed or withdrawn: publish the period again';
END $$;

--
-- Name: register_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.register_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	IF TG_OP = 'DELETE' OR TG_OP = 'TRUNCATE' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('%s rows cannot be deleted; the member register keeps its history',
			                 TG_TABLE_NAME);
	END IF;
	IF TG_TABLE_NAME = 'household' THEN
		IF (NEW.village_id, NEW.code, NEW.head_id_number)
		   IS DISTINCT FROM (OLD.village_id, OLD.code, OLD.head_id_number) THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ010',
				MESSAGE = format('household %s: its code and the head''s ID number cannot be changed',
				                 OLD.code);
		END IF;
	ELSIF TG_TABLE_NAME = 'household_member' THEN
		IF (NEW.village_id, NEW.household_code, NEW.seq, NEW.id_number)
		   IS DISTINCT FROM (OLD.village_id, OLD.household_code, OLD.seq, OLD.id_number) THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ010',
				MESSAGE = format('household %s member %s: the ID number cannot be changed',
				                 OLD.household_code, OLD.seq);
		END IF;
	ELSIF TG_TABLE_NAME = 'share_holding' THEN
		IF OLD.effective_to IS NOT NULL OR
		   (NEW.village_id, NEW.id, NEW.household_code, NEW.share_type, NEW.shares,
		    NEW.effective_from)
		   IS DISTINCT FROM (OLD.village_id, OLD.id, OLD.household_code, OLD.share_type,
		                     OLD.shares, OLD.effective_from) THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ010',
				MESSAGE = 'a share holding is never edited: end it (effective_to, once) and add a new one';
		END IF;
	END IF;
	RETURN NEW;
END $$;

--
-- Name: review_draft_batch(bigint); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.review_draft_batch(p_batch bigint) RETURNS bigint
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    SET jit TO 'off'
    AS $$
DECLARE
	r record;
	n bigint;
	mine integer[];
BEGIN
	-- the drafts, locked in one order (an edit in flight finishes first)
	PERFORM 1 FROM draft_voucher d WHERE d.batch_id = p_batch AND d.state = 'draft'
	  ORDER BY d.village_id, d.id FOR UPDATE;
	-- in the row guard's order: the preparer, then the kind of login
	SELECT d.village_id, d.id, d.prepared_by INTO r
	  FROM draft_voucher d
	 WHERE d.batch_id = p_batch AND d.state = 'draft' AND d.prepared_by = session_user
	 ORDER BY d.village_id, d.id LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ050',
			MESSAGE = format('village %s: draft %s was prepared by %s, who cannot also review it (制单人与审核人不能为同一人)',
					 village_code(r.village_id), r.id, r.prepared_by);
	END IF;
	PERFORM draft_reviewer(format('batch %s', p_batch));
	mine := my_villages();
	SELECT d.village_id INTO r
	  FROM draft_voucher d
	 WHERE d.batch_id = p_batch AND d.state = 'draft' AND d.village_id <> ALL (mine)
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('login %s may not review drafts of village %s: it is not in its scope',
					 session_user, village_code(r.village_id));
	END IF;
	INSERT INTO draft_bulk VALUES (txid_current(), 'review')
	ON CONFLICT (tx) DO UPDATE SET mode = 'review';
	PERFORM set_config('cunji.draft_bulk', 'on', true);
	UPDATE draft_voucher SET state = 'reviewed', reviewed_by = session_user, reviewed_at = now()
	 WHERE batch_id = p_batch AND state = 'draft';
	GET DIAGNOSTICS n = ROW_COUNT;
	PERFORM set_config('cunji.draft_bulk', 'off', true);
	DELETE FROM draft_bulk WHERE tx = txid_current();
	RETURN n;
END $$;

--
-- Name: review_required(integer); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.review_required(village_id integer) RETURNS boolean
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $_$
	SELECT coalesce(
		(SELECT s.value::boolean FROM org v JOIN setting s ON s.org_id = v.parent_id
		  WHERE v.id = $1 AND s.key = 'review_required'),
		(SELECT s.value::boolean FROM org v JOIN org t ON t.id = v.parent_id
		   JOIN setting s ON s.org_id = t.parent_id
		  WHERE v.id = $1 AND s.key = 'review_required'),
		false)
$_$;

--
-- Name: secure_schema(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.secure_schema() RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
DECLARE
	f regprocedure;
	t regclass;
	writers constant text := 'cunji_admin, cunji_bookkeeper, cunji_reviewer, cunji_cashier';
	everyone constant text := writers || ', cunji_inspector, cunji_board';
BEGIN
	FOR f IN SELECT p.oid::regprocedure FROM pg_proc p
		  WHERE p.pronamespace = 'cunji'::regnamespace AND p.prorettype = 'trigger'::regtype
		    AND NOT (p.prosecdef AND 'search_path=cunji, pg_catalog, pg_temp' = ANY (p.proconfig))
		  ORDER BY p.oid LOOP
		EXECUTE format('ALTER FUNCTION %s SECURITY DEFINER '
			       'SET search_path = cunji, pg_catalog, pg_temp', f);
	END LOOP;
	FOR t IN SELECT c.oid::regclass FROM pg_class c
		  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'village_id'
				     AND NOT a.attisdropped
		 WHERE c.relnamespace = 'cunji'::regnamespace AND c.relkind IN ('r', 'p')
		   AND NOT EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid
					 AND p.polname = 'village_scope')
		 ORDER BY c.oid LOOP
		PERFORM protect_village_table(t);
	END LOOP;

	EXECUTE 'GRANT USAGE ON SCHEMA cunji TO cunji_import, ' || everyone;
	EXECUTE 'GRANT SELECT ON ALL TABLES IN SCHEMA cunji TO ' || everyone;
	-- what only the triggers touch
	EXECUTE 'REVOKE ALL ON voucher_pending, commit_check, commit_check_item FROM ' || everyone;
	EXECUTE 'GRANT USAGE ON ALL SEQUENCES IN SCHEMA cunji TO ' || writers;
	-- posting: who and when are not the client's to give
	PERFORM grant_insert_but('voucher', writers || ', cunji_import', '{posted_by, posted_at, tx}'),
		grant_insert_but('voucher_line', writers || ', cunji_import', '{}'),
		grant_insert_but('fiscal_year', 'cunji_admin, cunji_reviewer', '{closed_by, closed_at, tx}'),
		grant_insert_but('import_log', 'cunji_admin, cunji_bookkeeper, cunji_cashier',
				 '{imported_by, imported_at}');
	EXECUTE 'GRANT INSERT, UPDATE ON voucher_counter TO ' || writers;
	GRANT cunji_import TO cunji_admin, cunji_bookkeeper, cunji_cashier;
	-- the import over several connections (0018) decides its commit
	IF to_regclass('cunji.twophase_decision') IS NOT NULL THEN
		GRANT INSERT, DELETE ON twophase_decision TO cunji_admin, cunji_bookkeeper, cunji_cashier;
	END IF;
	-- closing months: reviewers and admins
	GRANT INSERT, UPDATE ON period_state TO cunji_admin, cunji_reviewer;
	-- organisations, county rules and allocations, settings: admins
	GRANT INSERT, UPDATE ON org, aid_rule TO cunji_admin;
	GRANT INSERT ON village_books, fund_allocation TO cunji_admin;
	GRANT INSERT, UPDATE, DELETE ON setting TO cunji_admin;
	-- a village's chart, register, funds, projects and dividends: bookkeepers and admins
	GRANT INSERT, UPDATE ON account, household, share_holding, fund, project
		TO cunji_admin, cunji_bookkeeper;
	GRANT INSERT ON household_member, project_budget, dividend_plan, dividend_line
		TO cunji_admin, cunji_bookkeeper;
	-- payments: cashiers too
	GRANT INSERT ON project_payment, aid_payment TO cunji_admin, cunji_bookkeeper, cunji_cashier;
	GRANT UPDATE ON dividend_line TO cunji_admin, cunji_bookkeeper, cunji_cashier;
END $$;

--
-- Name: sees_all(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.sees_all() RETURNS boolean
    LANGUAGE plpgsql STABLE
    AS $$
BEGIN
	RETURN current_user = 'cunji_owner'
	    OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = session_user AND rolsuper)
	    OR EXISTS (SELECT 1 FROM cunji.app_login a WHERE a.login = session_user
			  AND a.kind = 'admin' AND a.disabled_at IS NULL);
END $$;

--
-- Name: setting_level(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.setting_level() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	IF (SELECT level FROM org WHERE id = NEW.org_id) NOT IN ('county', 'township') THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030',
			MESSAGE = format('the setting %s is made for a county or a township, not for %s',
					 NEW.key, (SELECT code FROM org WHERE id = NEW.org_id));
	END IF;
	RETURN NEW;
END $$;

--
-- Name: shares_on(integer, date); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.shares_on(v integer, d date) RETURNS TABLE(household_code text, share_type text, shares numeric)
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
	SELECT household_code, share_type, sum(shares)
	  FROM share_holding
	 WHERE village_id = v AND effective_from <= d AND (effective_to IS NULL OR effective_to > d)
	 GROUP BY 1, 2
$$;

--
-- Name: totals_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.totals_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: totals_mismatches(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.totals_mismatches() RETURNS TABLE(village_id integer, account_code text, period date, kept_debit bigint, kept_credit bigint, line_debit bigint, line_credit bigint)
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
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

--
-- Name: village_books_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.village_books_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = 'CJ010',
		MESSAGE = format('the books of village %s cannot be changed or deleted',
		                 village_code(OLD.village_id));
END $$;

--
-- Name: village_books_init(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.village_books_init() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
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

--
-- Name: village_code(integer); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.village_code(v integer) RETURNS text
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
	SELECT coalesce((SELECT code FROM org WHERE id = v), v::text)
$$;

--
-- Name: village_lock_key(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.village_lock_key() RETURNS integer
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT 4242 $$;

--
-- Name: village_stamp(text); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.village_stamp(p_code text) RETURNS text
    LANGUAGE plpgsql STABLE SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
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

--
-- Name: FUNCTION village_stamp(p_code text); Type: COMMENT; Schema: cunji
--

COMMENT ON FUNCTION cunji.village_stamp(p_code text) IS 'SCOPE/DATA: SCOPE changes with the caller''s villages (scope, names) and login; DATA when a village''s (or a township''s villages'') vouchers, drafts, closings, chart, funds, projects, names, hotlines or settings do, as the caller sees them; for the web server''s kept pages';

--
-- Name: voucher_after_insert(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.voucher_after_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    SET enable_sort TO 'off'
    SET enable_seqscan TO 'off'
    SET jit TO 'off'
    AS $$
DECLARE
	r record;
	cnt record;
	k text;
	nv voucher;
	nrows integer := 0;
	all_well boolean := false;
	n_reversals bigint;
	n_closing bigint;
	is_forged boolean;
	is_drafted boolean;
	is_undrafted boolean;
BEGIN
	-- Who may post here (0015's voucher_access, folded in by 0037): an admin
	-- login or a superuser anything; any other login only in its villages and
	-- only the kinds of voucher its kind writes (voucher_scope_check).  The
	-- admin's case, the common one, is one probe of app_login: pg_roles and
	-- the scope query are planned only for the others (PL/pgSQL plans a
	-- condition whole, hence the nested IFs).
	k := (SELECT a.kind FROM app_login a WHERE a.login = session_user AND a.disabled_at IS NULL);
	IF k IS DISTINCT FROM 'admin' THEN
		IF NOT coalesce((SELECT rolsuper FROM pg_roles WHERE rolname = session_user), false) THEN
			PERFORM voucher_scope_check(k, ARRAY(SELECT DISTINCT n.village_id FROM new_rows n),
			                            ARRAY(SELECT DISTINCT n.kind FROM new_rows n));
		END IF;
	END IF;

	-- One voucher or more?  (a bulk statement stops at its second row)
	FOR nv IN SELECT * FROM new_rows LOOP
		nrows := nrows + 1;
		EXIT WHEN nrows > 1;
	END LOOP;

	IF nrows = 1 THEN
		-- One voucher: the same lock, count and path as below, from the row.
		PERFORM pg_advisory_xact_lock_shared(village_lock_key(), nv.village_id);
		INSERT INTO voucher_pending AS p (tx, vouchers, completed) VALUES (txid_current(), 1, 0)
		ON CONFLICT (tx) DO UPDATE SET vouchers = p.vouchers + 1;
		n_reversals := CASE WHEN nv.reverses_id IS NULL THEN 0 ELSE 1 END;
		n_closing := CASE WHEN nv.kind = 'closing' THEN 1 ELSE 0 END;
		is_forged := nv.posted_by IS DISTINCT FROM session_user::text
		          OR nv.posted_at IS DISTINCT FROM now()
		          OR (nv.draft_id IS NULL AND (nv.prepared_by IS DISTINCT FROM session_user
		                                       OR nv.reviewed_by IS NOT NULL
		                                       OR nv.reviewed_at IS NOT NULL));
		is_drafted := nv.draft_id IS NOT NULL;
		is_undrafted := nv.draft_id IS NULL AND nv.kind <> 'closing';
		-- Its books, month, year and number all well (after the lock, as
		-- below); anything else goes to the set-based statement, which names it.
		SELECT nv.tx = txid_current() AND nv.number >= 1 AND b.start_period <= nv.period
		       AND (nv.kind <> 'opening' OR nv.period = b.start_period)
		       AND (nv.kind <> 'closing' OR to_char(nv.voucher_date, 'MMDD') = '1231')
		       AND nv.number <= (SELECT c.last_number FROM voucher_counter c
		                          WHERE c.village_id = nv.village_id AND c.period = nv.period)
		       AND (SELECT x.number FROM voucher x
		             WHERE x.village_id = nv.village_id AND x.period = nv.period
		               AND x.number < nv.number
		             ORDER BY x.number DESC LIMIT 1) IS NOT DISTINCT FROM
		           CASE WHEN nv.number > 1 THEN nv.number - 1 END
		       AND (SELECT p.closed FROM period_state p
		             WHERE p.village_id = nv.village_id AND p.period = nv.period) IS NOT TRUE
		       AND NOT EXISTS (SELECT 1 FROM fiscal_year f WHERE f.village_id = nv.village_id
		                          AND f.year = extract(year FROM nv.period)::integer)
		  INTO all_well
		  FROM village_books b WHERE b.village_id = nv.village_id;
	ELSE
		-- Shared per village, in village order: a period close waits until
		-- these postings end.  A statement of its own, so that the checks
		-- below see any close that committed before the lock was granted.
		-- It counts the vouchers, which must all have their lines by COMMIT
		-- (voucher_pending), and looks at who and when (the voucher's path).
		WITH k AS (
			SELECT coalesce(sum(k.n), 0) AS n, coalesce(sum(k.reversals), 0) AS reversals,
			       coalesce(sum(k.closing), 0) AS closing, coalesce(bool_or(k.forged), false) AS forged,
			       coalesce(bool_or(k.drafted), false) AS drafted,
			       coalesce(bool_or(k.undrafted), false) AS undrafted
			  FROM (SELECT village_id, count(*) AS n, count(reverses_id) AS reversals,
			               count(*) FILTER (WHERE kind = 'closing') AS closing,
			               bool_or(posted_by IS DISTINCT FROM session_user::text
			                       OR posted_at IS DISTINCT FROM now()
			                       OR (draft_id IS NULL AND (prepared_by IS DISTINCT FROM session_user
			                                                 OR reviewed_by IS NOT NULL
			                                                 OR reviewed_at IS NOT NULL))) AS forged,
			               bool_or(draft_id IS NOT NULL) AS drafted,
			               bool_or(draft_id IS NULL AND kind <> 'closing') AS undrafted
			          FROM new_rows GROUP BY village_id ORDER BY village_id) k
			 CROSS JOIN LATERAL pg_advisory_xact_lock_shared(village_lock_key(), k.village_id) l),
		p AS (
			INSERT INTO voucher_pending AS p (tx, vouchers, completed)
			SELECT txid_current(), n, 0 FROM k WHERE n > 0
			ON CONFLICT (tx) DO UPDATE SET vouchers = p.vouchers + EXCLUDED.vouchers)
		SELECT * INTO cnt FROM k;
		n_reversals := cnt.reversals;
		n_closing := cnt.closing;
		is_forged := cnt.forged;
		is_drafted := cnt.drafted;
		is_undrafted := cnt.undrafted;
	END IF;

	IF all_well IS NOT TRUE THEN
		-- The books, month, year and numbers of each village and month.
		SELECT k.*, b.start_period, (p.closed OR f.year IS NOT NULL) AS closed,
		       coalesce(c.last_number, 0) AS counter, coalesce(x.number, 0) AS before INTO r
		  FROM (SELECT village_id, period, min(voucher_date) AS voucher_date,
		               bool_and(tx = txid_current()) AS tx_ok, count(*) AS n,
		               min(number) AS lo, max(number) AS hi,
		               bool_or(kind = 'opening') AS opening,
		               min(voucher_date) FILTER (WHERE kind = 'closing'
		                   AND (extract(month FROM voucher_date) <> 12
		                        OR extract(day FROM voucher_date) <> 31)) AS bad_closing
		          FROM new_rows GROUP BY village_id, period) k
		  LEFT JOIN LATERAL (SELECT b.village_id, b.start_period FROM village_books b
		                      WHERE b.village_id = k.village_id LIMIT 1) b ON true
		  LEFT JOIN LATERAL (SELECT p.closed FROM period_state p
		                      WHERE p.village_id = k.village_id AND p.period = k.period LIMIT 1) p ON true
		  LEFT JOIN LATERAL (SELECT f.year FROM fiscal_year f WHERE f.village_id = k.village_id
		                        AND f.year = extract(year FROM k.period)::integer LIMIT 1) f ON true
		  LEFT JOIN LATERAL (SELECT c.last_number FROM voucher_counter c
		                      WHERE c.village_id = k.village_id AND c.period = k.period LIMIT 1) c ON true
		  LEFT JOIN LATERAL (SELECT v.number FROM voucher v
		                      WHERE v.village_id = k.village_id AND v.period = k.period
		                        AND v.number < k.lo
		                      ORDER BY v.number DESC LIMIT 1) x ON true
		 WHERE b.village_id IS NULL OR NOT k.tx_ok OR k.period < b.start_period OR p.closed
		    OR f.year IS NOT NULL
		    OR (k.opening AND k.period <> b.start_period) OR k.bad_closing IS NOT NULL
		    OR k.hi > coalesce(c.last_number, 0) OR k.lo < 1 OR k.hi - k.lo + 1 <> k.n
		    OR coalesce(x.number, 0) <> k.lo - 1
		 LIMIT 1;
		IF FOUND THEN
			PERFORM voucher_refuse(r);
		END IF;
	END IF;

	-- A reversal voids a voucher of its village, and never a reversal or a
	-- closing voucher.
	IF n_reversals > 0 THEN
		SELECT n.village_id, n.reverses_id, o.kind AS orig_kind INTO r
		  FROM new_rows n
		  LEFT JOIN LATERAL (SELECT o.id, o.kind FROM voucher o
		                      WHERE o.village_id = n.village_id AND o.id >= n.reverses_id
		                      ORDER BY o.id LIMIT 1) o ON o.id = n.reverses_id
		 WHERE n.reverses_id IS NOT NULL AND (o.kind IS NULL OR o.kind IN ('reversal', 'closing'))
		 LIMIT 1;
		IF FOUND AND r.orig_kind IS NULL THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ003',
				MESSAGE = format('village %s: voucher id %s, which a reversal voids, does not exist in the village',
				                 village_code(r.village_id), r.reverses_id);
		ELSIF FOUND THEN
			RAISE EXCEPTION USING ERRCODE = 'CJ003',
				MESSAGE = format('village %s: a %s voucher cannot be voided',
				                 village_code(r.village_id), r.orig_kind);
		END IF;
	END IF;

	-- Closing vouchers: the year must be closed by COMMIT (commit_check_run).
	IF n_closing > 0 THEN
		INSERT INTO commit_check_item (tx, what, village_id, code, period)
		SELECT DISTINCT txid_current(), 'closing', village_id, '', period
		  FROM new_rows WHERE kind = 'closing'
		ON CONFLICT DO NOTHING;
		INSERT INTO commit_check VALUES (txid_current()) ON CONFLICT DO NOTHING;
	END IF;

	-- The voucher's path (0016).  Who and when are the session's and the
	-- transaction's, a review only from a draft, a draft only from
	-- post_drafts(); not for a superuser, who could switch any trigger off
	-- (pg_roles is read only when there is something to forgive).  A login
	-- may not name posted_by or posted_at at all (42501, 0015's column
	-- privileges).
	-- (two IFs: a condition is planned whole, pg_roles and all, even when its
	-- first part is false)
	IF is_forged OR (is_drafted AND NOT posting_drafts()) THEN
		IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = session_user) THEN
			PERFORM voucher_path_refuse(ARRAY(SELECT n::voucher FROM new_rows n), is_forged);
		END IF;
	END IF;
	-- where review is required, nothing skips it; asked once per village
	-- (a filter on the rows would be pushed down to each), and only when
	-- some county or township requires it at all (nested: the setting's
	-- query is planned only for a voucher without a draft)
	IF is_undrafted THEN
		IF EXISTS (SELECT 1 FROM setting WHERE key = 'review_required' AND value = 'true') THEN
			SELECT k.v AS village_id INTO r
			  FROM unnest(ARRAY(SELECT DISTINCT village_id FROM new_rows
			                     WHERE draft_id IS NULL AND kind <> 'closing')) k(v)
			 WHERE review_required(k.v)
			 LIMIT 1;
			IF FOUND THEN
				RAISE EXCEPTION USING ERRCODE = 'CJ053',
					MESSAGE = format('village %s requires review: a voucher is saved as a draft, reviewed by another login and then posted (cunji voucher review, cunji voucher post)',
					                 village_code(r.village_id));
			END IF;
		END IF;
	END IF;
	RETURN NULL;
END $$;

--
-- Name: voucher_counter_check(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.voucher_counter_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
DECLARE
	r record;
BEGIN
	SELECT c.last_number, coalesce(n.number, 0) AS number INTO r
	  FROM voucher_counter c
	  LEFT JOIN LATERAL (SELECT v.number FROM voucher v WHERE v.village_id = c.village_id
	                        AND v.period = c.period ORDER BY v.number DESC LIMIT 1) n ON true
	 WHERE c.village_id = NEW.village_id AND c.period = NEW.period;
	IF r.last_number <> r.number THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ008',
			MESSAGE = format('village %s: voucher_counter for %s is at %s but the last voucher is number %s; numbers are reserved only for the vouchers posted with them',
			                 village_code(NEW.village_id), to_char(NEW.period, 'YYYY-MM'),
			                 r.last_number, r.number);
	END IF;
	RETURN NULL;
END $$;

--
-- Name: voucher_counter_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.voucher_counter_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	IF TG_OP IN ('DELETE', 'TRUNCATE') THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ008',
			MESSAGE = 'voucher_counter rows cannot be deleted: a month''s numbers would be handed out twice';
	END IF;
	IF NEW.village_id <> OLD.village_id OR NEW.period <> OLD.period
	   OR NEW.last_number < OLD.last_number THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ008',
			MESSAGE = format('village %s: voucher_counter for %s only goes up (from %s, not to %s)',
			                 village_code(OLD.village_id), to_char(OLD.period, 'YYYY-MM'),
			                 OLD.last_number, NEW.last_number);
	END IF;
	RETURN NEW;
END $$;

--
-- Name: voucher_line_after_insert(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.voucher_line_after_insert() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    SET enable_sort TO 'off'
    SET enable_seqscan TO 'off'
    SET jit TO 'off'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
DECLARE
	r record;
	m record;
	each_line voucher_line;
	first_line voucher_line;
	nlines integer := 0;
	all_well boolean := true;
	dsum bigint := 0;
	csum bigint := 0;
	first_no integer;
	has_red boolean := false;
	n_vouchers bigint;
	has_opening boolean;
	has_funds boolean := false;
	cash_village integer[];
	cash_code text[];
	cash_first date[];
	in_credit boolean;
BEGIN
	-- One voucher's lines, or more?  (a bulk statement stops at its second
	-- voucher)  Each line's account is probed on the way.
	FOR each_line IN SELECT * FROM new_rows LOOP
		IF nlines = 0 THEN
			first_line := each_line;
		ELSIF each_line.voucher_id <> first_line.voucher_id OR each_line.village_id <> first_line.village_id THEN
			nlines := -1;
			EXIT;
		END IF;
		nlines := nlines + 1;
		all_well := all_well AND each_line.period = first_line.period
		      AND coalesce((SELECT a.is_leaf AND a.active FROM account a
		                     WHERE a.village_id = each_line.village_id AND a.code = each_line.account_code), false);
		dsum := dsum + each_line.debit_fen;
		csum := csum + each_line.credit_fen;
		first_no := least(first_no, each_line.line_no);
		has_red := has_red OR each_line.debit_fen < 0 OR each_line.credit_fen < 0;
		has_funds := has_funds OR each_line.fund_id IS NOT NULL OR each_line.project_id IS NOT NULL;
		IF (each_line.credit_fen > 0 OR each_line.debit_fen < 0) AND each_line.account_code >= '101' AND each_line.account_code < '103'
		   AND each_line.account_code <> ALL (coalesce(cash_code, '{}')) THEN
			cash_code := cash_code || each_line.account_code;
		END IF;
	END LOOP;

	IF nlines > 0 THEN
		-- One voucher's lines: all well when its voucher is this
		-- transaction's, of their month, a normal or closing one (reversals and
		-- opening vouchers take the set-based path), the lines from 1, two or
		-- more, balanced, without red amounts, on leaf accounts in use.
		-- Anything else goes to the set-based statement, which names it.
		all_well := all_well AND NOT has_red AND first_no = 1 AND nlines >= 2 AND dsum = csum
		      AND coalesce((SELECT v.tx = txid_current() AND v.period = first_line.period
		                           AND v.kind IN ('normal', 'closing')
		                      FROM voucher v
		                     WHERE v.village_id = first_line.village_id AND v.id = first_line.voucher_id), false);
	ELSE
		all_well := false;
	END IF;

	IF all_well THEN
		-- the per-period and per-year totals the trial balance reads
		INSERT INTO account_period_total AS p
		       (village_id, account_code, period, debit_fen, credit_fen,
		        opening_debit_fen, opening_credit_fen)
		SELECT n.village_id, n.account_code, n.period, fen_sum(n.debit_fen), fen_sum(n.credit_fen), 0, 0
		  FROM new_rows n GROUP BY 1, 2, 3
		ON CONFLICT (village_id, account_code, period) DO UPDATE
		   SET debit_fen = p.debit_fen + EXCLUDED.debit_fen,
		       credit_fen = p.credit_fen + EXCLUDED.credit_fen;
		INSERT INTO account_year_total AS y (village_id, account_code, year, debit_fen, credit_fen)
		SELECT n.village_id, n.account_code, extract(year FROM n.period)::integer,
		       fen_sum(n.debit_fen), fen_sum(n.credit_fen)
		  FROM new_rows n GROUP BY 1, 2, 3
		ON CONFLICT (village_id, year, account_code) DO UPDATE
		   SET debit_fen = y.debit_fen + EXCLUDED.debit_fen,
		       credit_fen = y.credit_fen + EXCLUDED.credit_fen;
		n_vouchers := 1;
		has_opening := false;
		IF cash_code IS NOT NULL THEN
			cash_village := array_fill(first_line.village_id, ARRAY[cardinality(cash_code)]);
			cash_first := array_fill(first_line.period, ARRAY[cardinality(cash_code)]);
		END IF;
	ELSE
		WITH t AS MATERIALIZED (
			-- each village, account and month: the accounts to look up, the totals
			-- to add, and the statement's vouchers (their ids; line 1s, one each)
			SELECT village_id, account_code, period,
			       fen_sum(debit_fen) AS d, fen_sum(credit_fen) AS c,
			       min(voucher_id) AS lo, max(voucher_id) AS hi,
			       count(*) FILTER (WHERE line_no = 1) AS firsts,
			       bool_or(credit_fen > 0 OR debit_fen < 0) AS takes_out,
			       bool_or(fund_id IS NOT NULL OR project_id IS NOT NULL) AS funds
			  FROM new_rows GROUP BY village_id, account_code, period),
		s AS MATERIALIZED (
			-- the statement's vouchers: how many, their villages and id range
			SELECT coalesce(sum(firsts), 0)::bigint AS n, min(lo) AS lo, max(hi) AS hi,
			       array_agg(DISTINCT village_id) AS villages FROM t),
		g AS (
			-- each voucher (and month) the statement touches, from its lines alone
			SELECT village_id, voucher_id, period, min(line_no) AS first, count(*) AS n,
			       fen_sum(debit_fen) AS d, fen_sum(credit_fen) AS c,
			       min(least(debit_fen, credit_fen)) AS lo
			  FROM new_rows GROUP BY village_id, voucher_id, period),
		v AS (
			-- the vouchers from one range scan of voucher's primary key over the
			-- statement's villages and ids, hash-joined: a probe for a voucher
			-- posted alone, a scan of the ids drawn for a batch (they are dense).  A
			-- FULL join cannot be a nested loop whatever the estimates; vouchers of
			-- the range without lines here come out with a NULL voucher_id.
			SELECT g.*, x.id AS vid, x.tx, x.period AS vperiod, x.kind, x.reverses_id
			  FROM g
			  FULL JOIN (SELECT v.village_id, v.id, v.tx, v.period, v.kind, v.reverses_id
			               FROM voucher v
			              WHERE v.village_id = ANY ((SELECT villages FROM s)::integer[])
			                AND v.id BETWEEN (SELECT lo FROM s) AND (SELECT hi FROM s)
			              ORDER BY v.village_id, v.id) x
			    ON x.village_id = g.village_id AND x.id = g.voucher_id),
		c AS MATERIALIZED (
			-- one pass: opening vouchers?  reversals?  the first voucher of each
			-- class of problem
			SELECT coalesce(bool_or(kind = 'opening') FILTER (WHERE voucher_id IS NOT NULL), false)
			         AS opening,
			       min(ARRAY[village_id, voucher_id]) FILTER (WHERE voucher_id IS NOT NULL
			         AND (vid IS NULL OR tx <> txid_current() OR period <> vperiod
			              OR (lo < 0 AND kind <> 'reversal'))) AS bad_voucher,
			       min(ARRAY[village_id, voucher_id]) FILTER (WHERE voucher_id IS NOT NULL
			         AND (first <> 1 OR n < 2 OR d <> c)) AS bad_lines,
			       count(*) FILTER (WHERE voucher_id IS NOT NULL AND kind = 'reversal') AS reversals
			  FROM v),
		a AS MATERIALIZED (
			-- the first account, once per village, that does not take postings
			SELECT k.village_id, k.account_code, a.code, a.is_leaf, a.active
			  FROM (SELECT DISTINCT village_id, account_code FROM t) k
			  LEFT JOIN LATERAL (SELECT a.code, a.is_leaf, a.active FROM account a
			                      WHERE a.village_id = k.village_id AND a.code = k.account_code
			                      LIMIT 1) a ON true
			 WHERE a.code IS NULL OR NOT a.is_leaf OR NOT a.active
			 LIMIT 1),
		ok AS MATERIALIZED (
			SELECT bad_voucher IS NULL AND bad_lines IS NULL AND NOT EXISTS (SELECT 1 FROM a) AS ok,
			       opening
			  FROM c),
		totals AS (
			-- the per-period totals the trial balance reads, if all is well (the
			-- opening part below, when the statement has an opening voucher)
			INSERT INTO account_period_total AS p
			       (village_id, account_code, period, debit_fen, credit_fen,
			        opening_debit_fen, opening_credit_fen)
			SELECT village_id, account_code, period, d, c, 0, 0 FROM t
			 WHERE (SELECT ok AND NOT opening FROM ok)
			ON CONFLICT (village_id, account_code, period) DO UPDATE
			   SET debit_fen = p.debit_fen + EXCLUDED.debit_fen,
			       credit_fen = p.credit_fen + EXCLUDED.credit_fen),
		years AS (
			-- and per year
			INSERT INTO account_year_total AS y (village_id, account_code, year, debit_fen, credit_fen)
			SELECT village_id, account_code, extract(year FROM period)::integer, fen_sum(d), fen_sum(c)
			  FROM t
			 WHERE (SELECT ok FROM ok)
			 GROUP BY 1, 2, 3
			ON CONFLICT (village_id, year, account_code) DO UPDATE
			   SET debit_fen = y.debit_fen + EXCLUDED.debit_fen,
			       credit_fen = y.credit_fen + EXCLUDED.credit_fen)
		SELECT c.*, (SELECT n FROM s) AS vouchers, a.village_id AS a_village, a.account_code,
		       a.code AS acode, a.is_leaf, (SELECT bool_or(funds) FROM t) AS funds,
		       o.out_village, o.out_code, o.out_first INTO r
		  FROM c
		  LEFT JOIN a ON true
		 CROSS JOIN (SELECT array_agg(village_id) AS out_village, array_agg(account_code) AS out_code,
		                    array_agg(first) AS out_first
		               FROM (SELECT village_id, account_code, min(period) AS first FROM t
		                      WHERE takes_out AND account_code >= '101' AND account_code < '103'
		                      GROUP BY village_id, account_code) x) o;

		IF r.bad_voucher IS NOT NULL OR r.a_village IS NOT NULL OR r.bad_lines IS NOT NULL THEN
			PERFORM voucher_line_refuse(r.bad_voucher, r.a_village, r.account_code, r.acode IS NOT NULL,
			                            r.is_leaf, r.bad_lines,
			                            ARRAY(SELECT n::voucher_line FROM new_rows n));
		END IF;

		n_vouchers := r.vouchers;
		has_opening := r.opening;
		has_funds := r.funds;
		cash_village := r.out_village;
		cash_code := r.out_code;
		cash_first := r.out_first;

		-- a reversal mirrors the voucher it voids: the same accounts and sides,
		-- the amounts negated
		IF r.reversals > 0 THEN
			SELECT x.village_id, x.voucher_id INTO m
			  FROM (SELECT DISTINCT village_id, voucher_id FROM new_rows) k
			  JOIN LATERAL (SELECT v.village_id, v.id AS voucher_id, v.reverses_id FROM voucher v
			                 WHERE v.village_id = k.village_id AND v.id >= k.voucher_id
			                 ORDER BY v.id LIMIT 1) x ON x.voucher_id = k.voucher_id AND x.reverses_id IS NOT NULL
			 WHERE EXISTS (
			        (SELECT o.account_code, -o.debit_fen, -o.credit_fen FROM voucher_line o
			          WHERE o.village_id = x.village_id AND o.voucher_id = x.reverses_id
			         EXCEPT ALL
			         SELECT l.account_code, l.debit_fen, l.credit_fen FROM voucher_line l
			          WHERE l.village_id = x.village_id AND l.voucher_id = x.voucher_id)
			        UNION ALL
			        (SELECT l.account_code, l.debit_fen, l.credit_fen FROM voucher_line l
			          WHERE l.village_id = x.village_id AND l.voucher_id = x.voucher_id
			         EXCEPT ALL
			         SELECT o.account_code, -o.debit_fen, -o.credit_fen FROM voucher_line o
			          WHERE o.village_id = x.village_id AND o.voucher_id = x.reverses_id))
			 ORDER BY x.village_id, x.voucher_id
			 LIMIT 1;
			IF FOUND THEN
				PERFORM voucher_line_refuse(NULL, NULL, NULL, NULL, NULL,
				                            ARRAY[m.village_id, m.voucher_id]::bigint[],
				                            ARRAY(SELECT n::voucher_line FROM new_rows n));
			END IF;
		END IF;
	END IF;

	IF n_vouchers > 0 THEN
		-- these vouchers have their lines (voucher_needs_lines)
		UPDATE voucher_pending SET completed = completed + n_vouchers WHERE tx = txid_current();
	END IF;
	IF has_opening THEN
		-- the totals with their opening part, which needs each line's voucher
		WITH o AS MATERIALIZED (
			SELECT k.village_id, k.voucher_id
			  FROM (SELECT DISTINCT village_id, voucher_id FROM new_rows) k
			  JOIN LATERAL (SELECT v.id, v.kind FROM voucher v WHERE v.village_id = k.village_id
			                   AND v.id >= k.voucher_id ORDER BY v.id LIMIT 1) v
			    ON v.id = k.voucher_id AND v.kind = 'opening')
		INSERT INTO account_period_total AS t
		       (village_id, account_code, period, debit_fen, credit_fen,
		        opening_debit_fen, opening_credit_fen)
		SELECT n.village_id, n.account_code, n.period, sum(n.debit_fen), sum(n.credit_fen),
		       coalesce(sum(n.debit_fen) FILTER (WHERE o.voucher_id IS NOT NULL), 0),
		       coalesce(sum(n.credit_fen) FILTER (WHERE o.voucher_id IS NOT NULL), 0)
		  FROM new_rows n
		  LEFT JOIN o ON o.village_id = n.village_id AND o.voucher_id = n.voucher_id
		 GROUP BY 1, 2, 3
		ON CONFLICT (village_id, account_code, period) DO UPDATE
		   SET debit_fen = t.debit_fen + EXCLUDED.debit_fen,
		       credit_fen = t.credit_fen + EXCLUDED.credit_fen,
		       opening_debit_fen = t.opening_debit_fen + EXCLUDED.opening_debit_fen,
		       opening_credit_fen = t.opening_credit_fen + EXCLUDED.opening_credit_fen;
	END IF;

	-- cash and bank the statement took money out of: any month-end in credit
	-- from then on goes to the check at COMMIT
	-- (asked first: the INSERT below is planned only the first time one is;
	-- nested: the question is planned only when money went out)
	IF cash_village IS NOT NULL THEN
		in_credit := EXISTS (
			SELECT 1 FROM unnest(cash_village, cash_code, cash_first) AS x(village_id, code, first)
			 WHERE EXISTS (SELECT 1
			                 FROM (SELECT t.period,
			                              sum(t.debit_fen - t.credit_fen) OVER (ORDER BY t.period) AS balance
			                         FROM account_period_total t
			                        WHERE t.village_id = x.village_id AND t.account_code = x.code) b
			                WHERE b.period >= x.first AND b.balance < 0));
		IF in_credit THEN
			INSERT INTO commit_check_item (tx, what, village_id, code, period)
			SELECT txid_current(), 'cash', x.village_id, x.code, x.first
			  FROM unnest(cash_village, cash_code, cash_first) AS x(village_id, code, first)
			 WHERE EXISTS (SELECT 1
			                 FROM (SELECT t.period,
			                              sum(t.debit_fen - t.credit_fen) OVER (ORDER BY t.period) AS balance
			                         FROM account_period_total t
			                        WHERE t.village_id = x.village_id AND t.account_code = x.code) b
			                WHERE b.period >= x.first AND b.balance < 0)
			ON CONFLICT DO NOTHING;
			INSERT INTO commit_check VALUES (txid_current()) ON CONFLICT DO NOTHING;
		END IF;
	END IF;

	IF has_funds THEN
		PERFORM voucher_line_funds(ARRAY(SELECT n::voucher_line FROM new_rows n
		                                  WHERE n.fund_id IS NOT NULL OR n.project_id IS NOT NULL));
	END IF;
	RETURN NULL;
END $$;

--
-- Name: voucher_line; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.voucher_line (
    village_id integer NOT NULL,
    voucher_id bigint NOT NULL,
    line_no smallint NOT NULL,
    period date NOT NULL,
    account_code text NOT NULL,
    debit_fen bigint DEFAULT 0 NOT NULL,
    credit_fen bigint DEFAULT 0 NOT NULL,
    summary text DEFAULT ''::text NOT NULL,
    counterparty text,
    fund_id bigint,
    project_id bigint,
    CONSTRAINT voucher_line_amount_limit CHECK (((((debit_fen >= '-10000000000000'::bigint) AND (debit_fen <= '10000000000000'::bigint)) AND ((credit_fen >= '-10000000000000'::bigint) AND (credit_fen <= '10000000000000'::bigint))) OR cunji.line_amount_too_large(village_id, voucher_id, line_no, debit_fen, credit_fen))),
    CONSTRAINT voucher_line_check CHECK (((debit_fen = 0) <> (credit_fen = 0))),
    CONSTRAINT voucher_line_line_no_check CHECK ((line_no > 0))
);

ALTER TABLE ONLY cunji.voucher_line FORCE ROW LEVEL SECURITY;

--
-- Name: voucher_line_funds(cunji.voucher_line[]); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.voucher_line_funds(lines cunji.voucher_line[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cunji', 'pg_catalog'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
DECLARE
	r record;
BEGIN
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
		  FROM unnest(lines) n
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
		  FROM unnest(lines) n WHERE n.fund_id IS NOT NULL OR n.project_id IS NOT NULL),
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
		RETURN;
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

--
-- Name: voucher_line_refuse(bigint[], integer, text, boolean, boolean, bigint[], cunji.voucher_line[]); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.voucher_line_refuse(bad_voucher bigint[], bad_village integer, bad_account text, account_exists boolean, account_leaf boolean, bad_lines bigint[], lines cunji.voucher_line[]) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
DECLARE
	e record;
BEGIN
	IF bad_voucher IS NOT NULL THEN
		SELECT CASE WHEN x.id IS NULL OR x.tx <> txid_current() THEN 'posted'
		            WHEN k.p1 <> x.period OR k.p2 <> x.period THEN 'period'
		            ELSE 'red' END AS problem,
		       k.village_id, k.voucher_id, x.period, x.number, k.red AS line_no, ''::text AS account_code,
		       NULL::text AS name, NULL::bigint AS n, NULL::numeric AS d, NULL::numeric AS c INTO e
		  FROM (SELECT bad_voucher[1]::integer AS village_id, bad_voucher[2] AS voucher_id,
		               min(l.period) AS p1, max(l.period) AS p2,
		               min(l.line_no) FILTER (WHERE l.debit_fen < 0 OR l.credit_fen < 0) AS red
		          FROM unnest(lines) l
		         WHERE l.village_id = bad_voucher[1] AND l.voucher_id = bad_voucher[2]) k
		  LEFT JOIN LATERAL (SELECT v.id, v.tx, v.period, v.number FROM voucher v
		                      WHERE v.village_id = k.village_id AND v.id >= k.voucher_id
		                      ORDER BY v.id LIMIT 1) x ON x.id = k.voucher_id;
	ELSIF bad_village IS NOT NULL THEN
		-- the first line that uses the account
		SELECT CASE WHEN NOT account_exists THEN 'no account' WHEN NOT account_leaf THEN 'not leaf'
		            ELSE 'inactive' END AS problem,
		       bad_village AS village_id, NULL::bigint AS voucher_id, n.period, x.number,
		       n.line_no, bad_account AS account_code, y.name, NULL::bigint AS n, NULL::numeric AS d,
		       NULL::numeric AS c INTO e
		  FROM (SELECT l.voucher_id, l.line_no, l.period FROM unnest(lines) l
		         WHERE l.village_id = bad_village AND l.account_code = bad_account
		         ORDER BY l.voucher_id, l.line_no LIMIT 1) n
		  LEFT JOIN LATERAL (SELECT v.id, v.number FROM voucher v
		                      WHERE v.village_id = bad_village AND v.id >= n.voucher_id
		                      ORDER BY v.id LIMIT 1) x ON x.id = n.voucher_id
		  LEFT JOIN LATERAL (SELECT a.name FROM account a
		                      WHERE a.village_id = bad_village AND a.code = bad_account LIMIT 1) y ON true;
	ELSE
		SELECT CASE WHEN k.first <> 1 THEN 'split' WHEN k.n < 2 THEN 'few'
		            WHEN k.d <> k.c THEN 'unbalanced' ELSE 'mirror' END AS problem,
		       k.village_id, k.voucher_id, x.period, x.number, NULL::smallint AS line_no,
		       ''::text AS account_code, NULL::text AS name, k.n, k.d, k.c INTO e
		  FROM (SELECT bad_lines[1]::integer AS village_id, bad_lines[2] AS voucher_id,
		               min(l.line_no) AS first, count(*) AS n, sum(l.debit_fen) AS d,
		               sum(l.credit_fen) AS c
		          FROM unnest(lines) l
		         WHERE l.village_id = bad_lines[1] AND l.voucher_id = bad_lines[2]) k
		  LEFT JOIN LATERAL (SELECT v.id, v.period, v.number FROM voucher v
		                      WHERE v.village_id = k.village_id AND v.id >= k.voucher_id
		                      ORDER BY v.id LIMIT 1) x ON x.id = k.voucher_id;
	END IF;
	RAISE EXCEPTION USING
		ERRCODE = CASE e.problem WHEN 'posted' THEN 'CJ003' WHEN 'period' THEN 'CJ003'
		                         WHEN 'mirror' THEN 'CJ003' WHEN 'split' THEN 'CJ003'
		                         WHEN 'no account' THEN 'CJ004' WHEN 'not leaf' THEN 'CJ004'
		                         WHEN 'inactive' THEN 'CJ004' ELSE 'CJ002' END,
		MESSAGE = format('village %s: ', village_code(e.village_id)) || CASE e.problem
		WHEN 'posted' THEN format('lines cannot be added to voucher id %s: a posted voucher is never changed',
		                          e.voucher_id)
		WHEN 'period' THEN 'voucher_line.period must equal its voucher''s period'
		WHEN 'no account' THEN format('voucher %s-%s line %s: account %s does not exist',
		                              to_char(e.period, 'YYYY-MM'), e.number, e.line_no, e.account_code)
		WHEN 'not leaf' THEN format('voucher %s-%s line %s: account %s %s has sub-accounts; post to one of them',
		                            to_char(e.period, 'YYYY-MM'), e.number, e.line_no, e.account_code, e.name)
		WHEN 'inactive' THEN format('voucher %s-%s line %s: account %s %s is inactive',
		                            to_char(e.period, 'YYYY-MM'), e.number, e.line_no, e.account_code, e.name)
		WHEN 'red' THEN format('voucher %s-%s line %s: negative (red) amounts belong only on reversals',
		                       to_char(e.period, 'YYYY-MM'), e.number, e.line_no)
		WHEN 'split' THEN format('voucher %s-%s: its lines must be inserted together, with line 1',
		                         to_char(e.period, 'YYYY-MM'), e.number)
		WHEN 'few' THEN format('voucher %s-%s has %s line(s); a voucher needs at least two',
		                       to_char(e.period, 'YYYY-MM'), e.number, e.n)
		WHEN 'unbalanced' THEN format('voucher %s-%s is unbalanced: debits %s, credits %s (fen)',
		                              to_char(e.period, 'YYYY-MM'), e.number, e.d, e.c)
		ELSE format('reversal %s-%s does not mirror the voucher it voids',
		            to_char(e.period, 'YYYY-MM'), e.number) END;
END $$;

--
-- Name: voucher; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.voucher (
    village_id integer NOT NULL,
    id bigint NOT NULL,
    period date NOT NULL,
    number integer NOT NULL,
    voucher_date date NOT NULL,
    kind text DEFAULT 'normal'::text NOT NULL,
    summary text NOT NULL,
    preparer text DEFAULT SESSION_USER NOT NULL,
    attachments integer DEFAULT 0 NOT NULL,
    external_id text COLLATE pg_catalog."C",
    content_hash text NOT NULL,
    reverses_id bigint,
    posted_at timestamp with time zone DEFAULT now() NOT NULL,
    posted_by text DEFAULT SESSION_USER NOT NULL,
    tx bigint DEFAULT txid_current() NOT NULL,
    first_line smallint DEFAULT 1 NOT NULL,
    negative_cash_reason text,
    prepared_by name DEFAULT SESSION_USER,
    reviewed_by name,
    reviewed_at timestamp with time zone,
    draft_id bigint,
    source_number text,
    source_preparer text,
    CONSTRAINT voucher_attachments_check CHECK ((attachments >= 0)),
    CONSTRAINT voucher_check1 CHECK (((kind = 'reversal'::text) = (reverses_id IS NOT NULL))),
    CONSTRAINT voucher_external_id_check CHECK ((external_id <> ''::text)),
    CONSTRAINT voucher_first_line_check CHECK ((first_line = 1)),
    CONSTRAINT voucher_kind_check CHECK ((kind = ANY (ARRAY['normal'::text, 'opening'::text, 'closing'::text, 'reversal'::text]))),
    CONSTRAINT voucher_negative_cash_reason_check CHECK (((btrim(negative_cash_reason) <> ''::text) AND (negative_cash_reason !~ '[[:cntrl:]]'::text))),
    CONSTRAINT voucher_number_check CHECK ((number > 0)),
    CONSTRAINT voucher_period_of_date CHECK ((period = (date_trunc('month'::text, (voucher_date)::timestamp without time zone))::date)),
    CONSTRAINT voucher_source_plain CHECK ((cunji.plain_text(source_number) AND cunji.plain_text(source_preparer) AND (char_length(source_number) <= 200) AND (char_length(source_preparer) <= 200))),
    CONSTRAINT voucher_summary_check CHECK ((btrim(summary) <> ''::text))
);

ALTER TABLE ONLY cunji.voucher FORCE ROW LEVEL SECURITY;

--
-- Name: COLUMN voucher.negative_cash_reason; Type: COMMENT; Schema: cunji
--

COMMENT ON COLUMN cunji.voucher.negative_cash_reason IS 'why this voucher may leave cash or bank (101, 102) in credit at a month end; NULL: it may not';

--
-- Name: voucher_link_part(cunji.voucher); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.voucher_link_part(n cunji.voucher) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
	SELECT cunji.hash_num(n.id) || cunji.hash_num(n.number) || cunji.hash_field(n.external_id)
	    || cunji.hash_field(n.content_hash) || cunji.hash_field(n.preparer)
	    || cunji.hash_field(n.prepared_by::text) || cunji.hash_field(n.reviewed_by::text)
	    || cunji.hash_field(n.posted_by)
$$;

--
-- Name: voucher_number_problems(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.voucher_number_problems() RETURNS TABLE(village_id integer, period date, last_number integer, vouchers bigint, highest integer, missing integer[])
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
	WITH v AS (
		SELECT village_id, period, count(*) AS n, max(number) AS hi, min(number) AS lo
		  FROM voucher GROUP BY 1, 2),
	k AS (
		SELECT coalesce(v.village_id, c.village_id) AS village_id,
		       coalesce(v.period, c.period) AS period, c.last_number,
		       coalesce(v.n, 0) AS n, coalesce(v.hi, 0) AS hi, coalesce(v.lo, 1) AS lo
		  FROM v FULL JOIN voucher_counter c ON c.village_id = v.village_id AND c.period = v.period)
	SELECT k.village_id, k.period, k.last_number, k.n, k.hi,
	       CASE WHEN k.n < k.hi OR k.lo < 1 THEN
	            (SELECT array_agg(s ORDER BY s) FROM (
	                SELECT s FROM generate_series(1, k.hi) s
	                 WHERE NOT EXISTS (SELECT 1 FROM voucher x WHERE x.village_id = k.village_id
	                                      AND x.period = k.period AND x.number = s)
	                 LIMIT 20) m)
	            ELSE '{}' END
	  FROM k
	 WHERE k.n < k.hi OR k.lo < 1 OR k.last_number IS DISTINCT FROM k.hi
	 ORDER BY 1, 2
$$;

--
-- Name: voucher_path_refuse(cunji.voucher[], boolean); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.voucher_path_refuse(vouchers cunji.voucher[], forged boolean) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	me name := session_user;
	t timestamptz := now();
	r record;
BEGIN
	IF forged THEN
		SELECT n.village_id, n.period, n.number,
		       CASE WHEN n.posted_by IS DISTINCT FROM me::text
		              THEN format('posted_by %s is not the session''s login %s', n.posted_by, me)
		            WHEN n.posted_at IS DISTINCT FROM t
		              THEN format('posted_at %s is not the transaction''s time %s', n.posted_at, t)
		            WHEN n.prepared_by IS DISTINCT FROM me
		              THEN format('prepared_by %s is not the session''s login %s', n.prepared_by, me)
		            ELSE 'a review is recorded only from a reviewed draft'
		       END AS why INTO r
		  FROM unnest(vouchers) n
		 WHERE n.posted_by IS DISTINCT FROM me::text OR n.posted_at IS DISTINCT FROM t
		    OR (n.draft_id IS NULL AND (n.prepared_by IS DISTINCT FROM me
		                                OR n.reviewed_by IS NOT NULL OR n.reviewed_at IS NOT NULL))
		 LIMIT 1;
		RAISE EXCEPTION USING ERRCODE = 'CJ052',
			MESSAGE = format('village %s: voucher %s-%s: %s; who and when are recorded by the database',
			                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'), r.number, r.why);
	END IF;
	SELECT n.village_id, n.period, n.number, n.draft_id INTO r
	  FROM unnest(vouchers) n WHERE n.draft_id IS NOT NULL LIMIT 1;
	RAISE EXCEPTION USING ERRCODE = 'CJ053',
		MESSAGE = format('village %s: voucher %s-%s: a draft (%s) is posted by post_drafts() (cunji voucher post), which posts what was reviewed',
		                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'), r.number, r.draft_id);
END $$;

--
-- Name: voucher_pending_check(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.voucher_pending_check() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    SET plan_cache_mode TO 'force_generic_plan'
    AS $$
DECLARE
	r record;
BEGIN
	DELETE FROM voucher_pending WHERE tx = NEW.tx RETURNING vouchers, completed INTO r;
	IF FOUND AND r.vouchers <> r.completed THEN
		-- a client error: find which one (a scan of this transaction's vouchers)
		SELECT v.village_id, v.period, v.number INTO r FROM voucher v
		 WHERE v.tx = NEW.tx
		   AND NOT EXISTS (SELECT 1 FROM voucher_line l WHERE l.village_id = v.village_id
		                      AND l.voucher_id = v.id AND l.line_no = 1)
		 LIMIT 1;
		RAISE EXCEPTION USING ERRCODE = 'CJ002',
			MESSAGE = format('village %s: voucher %s-%s has no lines (voucher_needs_lines)',
			                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'), r.number);
	END IF;
	RETURN NULL;
END $$;

--
-- Name: voucher_pending_guard(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.voucher_pending_guard() RETURNS trigger
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
BEGIN
	-- written only by the ledger's triggers (depth 2 and more)
	IF pg_trigger_depth() < 2 THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ003',
			MESSAGE = 'voucher_pending is kept by the ledger; it cannot be written by hand';
	END IF;
	RETURN NULL;
END $$;

--
-- Name: voucher_refuse(record); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.voucher_refuse(r record) RETURNS void
    LANGUAGE plpgsql
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
BEGIN
	IF r.start_period IS NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('organisation id %s keeps no books', r.village_id);
	ELSIF NOT r.tx_ok THEN
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
	ELSIF r.opening AND r.period <> r.start_period THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ005',
			MESSAGE = format('village %s: an opening voucher (期初余额) belongs in the books'' first month, %s, not in %s',
			                 village_code(r.village_id), to_char(r.start_period, 'YYYY-MM'),
			                 to_char(r.period, 'YYYY-MM'));
	ELSIF r.bad_closing IS NOT NULL THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ006',
			MESSAGE = format('village %s: a closing voucher dated %s; closing vouchers are dated 31 December and come only from the year-end close (cunji year close)',
			                 village_code(r.village_id), r.bad_closing);
	ELSIF r.hi > r.counter THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ008',
			MESSAGE = format('village %s: voucher number %s-%s was not reserved (voucher_counter is at %s)',
			                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'), r.hi,
			                 r.counter);
	ELSE
		RAISE EXCEPTION USING ERRCODE = 'CJ008',
			MESSAGE = format('village %s: voucher numbers of %s run on without a gap; after number %s this statement has %s vouchers numbered %s to %s',
			                 village_code(r.village_id), to_char(r.period, 'YYYY-MM'),
			                 r.before, r.n, r.lo, r.hi);
	END IF;
END $$;

--
-- Name: voucher_scope_check(text, integer[], text[]); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.voucher_scope_check(k text, villages integer[], kinds text[]) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'cunji', 'pg_catalog', 'pg_temp'
    AS $$
DECLARE
	mine integer[] := my_villages();
	r record;
BEGIN
	-- every village with every kind: a kind's refusal does not depend on
	-- the village, so this refuses exactly what the pairs of the statement
	-- would; a village out of scope is named first
	SELECT v.village_id, n.kind, v.village_id <> ALL (mine) AS outside INTO r
	  FROM unnest(villages) v(village_id) CROSS JOIN unnest(kinds) n(kind)
	 WHERE v.village_id <> ALL (mine)
	    OR k IS NULL
	    OR (k = 'reviewer' AND n.kind <> 'closing')
	    OR (k = 'bookkeeper' AND n.kind = 'closing')
	    OR (k = 'cashier' AND n.kind NOT IN ('normal', 'reversal'))
	    OR k IN ('inspector', 'board')
	 ORDER BY v.village_id <> ALL (mine) DESC
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = CASE WHEN r.outside OR k IS NULL
			THEN format('login %s may not post in village %s: it is not in its scope',
				    session_user, village_code(r.village_id))
			ELSE format('login %s (%s) may not post a voucher of kind %s', session_user, k,
				    r.kind) END;
	END IF;
END $$;

--
-- Name: year_totals_mismatches(); Type: FUNCTION; Schema: cunji
--

CREATE FUNCTION cunji.year_totals_mismatches() RETURNS TABLE(village_id integer, account_code text, year integer, kept_debit bigint, kept_credit bigint, line_debit bigint, line_credit bigint)
    LANGUAGE sql STABLE
    SET search_path TO 'cunji', 'pg_catalog'
    AS $$
	WITH l AS (
		SELECT village_id, account_code, extract(year FROM period)::integer AS year,
		       sum(debit_fen)::bigint AS d, sum(credit_fen)::bigint AS c
		  FROM voucher_line GROUP BY 1, 2, 3)
	SELECT coalesce(t.village_id, l.village_id), coalesce(t.account_code, l.account_code),
	       coalesce(t.year, l.year), t.debit_fen, t.credit_fen, l.d, l.c
	  FROM account_year_total t
	  FULL JOIN l ON l.village_id = t.village_id AND l.account_code = t.account_code
	             AND l.year = t.year
	 WHERE t.debit_fen IS DISTINCT FROM l.d OR t.credit_fen IS DISTINCT FROM l.c
$$;

--
-- Name: fen_sum(bigint); Type: AGGREGATE; Schema: cunji
--

CREATE AGGREGATE cunji.fen_sum(bigint) (
    SFUNC = int8pl,
    STYPE = bigint,
    COMBINEFUNC = int8pl,
    PARALLEL = safe
);

--
-- Name: account; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.account (
    village_id integer NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    category text NOT NULL,
    normal_side character(1) NOT NULL,
    parent_code text,
    is_leaf boolean DEFAULT true NOT NULL,
    active boolean DEFAULT true NOT NULL,
    CONSTRAINT account_category_check CHECK ((category = ANY (ARRAY['asset'::text, 'liability'::text, 'equity'::text, 'cost'::text, 'income'::text, 'expense'::text]))),
    CONSTRAINT account_code_check CHECK ((code ~ '^[0-9]{3,15}$'::text)),
    CONSTRAINT account_first_level_no_parent CHECK (((length(code) <> 3) OR (parent_code IS NULL))),
    CONSTRAINT account_name_check CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT account_normal_side_check CHECK ((normal_side = ANY (ARRAY['D'::bpchar, 'C'::bpchar])))
);

ALTER TABLE ONLY cunji.account FORCE ROW LEVEL SECURITY;

--
-- Name: account_period_total; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.account_period_total (
    village_id integer NOT NULL,
    account_code text NOT NULL,
    period date NOT NULL,
    debit_fen bigint NOT NULL,
    credit_fen bigint NOT NULL,
    opening_debit_fen bigint NOT NULL,
    opening_credit_fen bigint NOT NULL
);

ALTER TABLE ONLY cunji.account_period_total FORCE ROW LEVEL SECURITY;

--
-- Name: account_year_total; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.account_year_total (
    village_id integer NOT NULL,
    account_code text NOT NULL,
    year integer NOT NULL,
    debit_fen bigint NOT NULL,
    credit_fen bigint NOT NULL
);

ALTER TABLE ONLY cunji.account_year_total FORCE ROW LEVEL SECURITY;

--
-- Name: fund_id_seq; Type: SEQUENCE; Schema: cunji
--

CREATE SEQUENCE cunji.fund_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: aid_payment; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.aid_payment (
    village_id integer NOT NULL,
    id bigint DEFAULT nextval('cunji.fund_id_seq'::regclass) NOT NULL,
    fund_id bigint NOT NULL,
    household_code text NOT NULL,
    persons integer NOT NULL,
    amount_fen bigint NOT NULL,
    paid_on date NOT NULL,
    reason text NOT NULL,
    applicant text NOT NULL,
    township_review text NOT NULL,
    county_record text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT aid_payment_amount_fen_check CHECK ((amount_fen > 0)),
    CONSTRAINT aid_payment_applicant_check CHECK ((btrim(applicant) <> ''::text)),
    CONSTRAINT aid_payment_county_record_check CHECK ((btrim(county_record) <> ''::text)),
    CONSTRAINT aid_payment_persons_check CHECK ((persons > 0)),
    CONSTRAINT aid_payment_reason_check CHECK ((btrim(reason) <> ''::text)),
    CONSTRAINT aid_payment_township_review_check CHECK ((btrim(township_review) <> ''::text))
);

ALTER TABLE ONLY cunji.aid_payment FORCE ROW LEVEL SECURITY;

--
-- Name: aid_rule; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.aid_rule (
    county_id integer NOT NULL,
    per_person_cap_fen bigint NOT NULL,
    per_household_cap_fen bigint NOT NULL,
    max_times_per_year integer NOT NULL,
    min_endowment_fen bigint DEFAULT 0 NOT NULL,
    CONSTRAINT aid_rule_max_times_per_year_check CHECK ((max_times_per_year > 0)),
    CONSTRAINT aid_rule_min_endowment_fen_check CHECK ((min_endowment_fen >= 0)),
    CONSTRAINT aid_rule_per_household_cap_fen_check CHECK ((per_household_cap_fen > 0)),
    CONSTRAINT aid_rule_per_person_cap_fen_check CHECK ((per_person_cap_fen > 0))
);

--
-- Name: app_login; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.app_login (
    login name NOT NULL,
    full_name text NOT NULL,
    kind text NOT NULL,
    disabled_at timestamp with time zone,
    created_by name DEFAULT SESSION_USER NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT app_login_full_name_check CHECK (((btrim(full_name) <> ''::text) AND cunji.plain_text(full_name))),
    CONSTRAINT app_login_kind_check CHECK ((kind = ANY (ARRAY['admin'::text, 'bookkeeper'::text, 'reviewer'::text, 'cashier'::text, 'inspector'::text, 'board'::text])))
);

--
-- Name: TABLE app_login; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.app_login IS 'a person who connects: the PostgreSQL role of that name (a member of cunji_<kind>); written only by login_add and login_disable';

--
-- Name: audit_log_id_seq; Type: SEQUENCE; Schema: cunji
--

ALTER TABLE cunji.audit_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cunji.audit_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: audit_mark; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.audit_mark (
    village_id integer NOT NULL,
    finding_key text NOT NULL,
    id bigint NOT NULL,
    state text NOT NULL,
    note text NOT NULL,
    marked_by name DEFAULT SESSION_USER NOT NULL,
    marked_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT audit_mark_finding_key_check CHECK (((finding_key ~ '^R[0-9]{2}:'::text) AND (length(finding_key) <= 300))),
    CONSTRAINT audit_mark_note_check CHECK (((btrim(note) <> ''::text) AND cunji.plain_text(note) AND (length(note) <= 2000))),
    CONSTRAINT audit_mark_state_check CHECK ((state = ANY (ARRAY['explained'::text, 'follow_up'::text, 'referred'::text])))
);

ALTER TABLE ONLY cunji.audit_mark FORCE ROW LEVEL SECURITY;

--
-- Name: TABLE audit_mark; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.audit_mark IS 'an inspector''s mark on a finding of audit scan; the latest per key is its state';

--
-- Name: audit_mark_id_seq; Type: SEQUENCE; Schema: cunji
--

ALTER TABLE cunji.audit_mark ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cunji.audit_mark_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: audit_param; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.audit_param (
    rule text NOT NULL,
    key text NOT NULL,
    default_value bigint NOT NULL,
    unit text NOT NULL,
    meaning text NOT NULL,
    source text NOT NULL,
    CONSTRAINT audit_param_default_value_check CHECK ((default_value >= 0)),
    CONSTRAINT audit_param_key_check CHECK ((key ~ '^[a-z_]{1,30}$'::text)),
    CONSTRAINT audit_param_unit_check CHECK ((unit = ANY (ARRAY['fen'::text, 'days'::text, 'months'::text, 'count'::text, 'percent'::text])))
);

--
-- Name: audit_rule; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.audit_rule (
    code text NOT NULL,
    grp text NOT NULL,
    title text NOT NULL,
    severity text NOT NULL,
    available boolean NOT NULL,
    why_not text DEFAULT ''::text NOT NULL,
    CONSTRAINT audit_rule_check CHECK ((available = (why_not = ''::text))),
    CONSTRAINT audit_rule_code_check CHECK ((code ~ '^R[0-9]{2}$'::text)),
    CONSTRAINT audit_rule_severity_check CHECK ((severity = ANY (ARRAY['red'::text, 'yellow'::text])))
);

--
-- Name: TABLE audit_rule; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.audit_rule IS 'the warning rules of domain.md §5.2, by their number there';

--
-- Name: audit_state; Type: VIEW; Schema: cunji
--

CREATE VIEW cunji.audit_state WITH (security_invoker='true') AS
 SELECT DISTINCT ON (audit_mark.village_id, audit_mark.finding_key) audit_mark.village_id,
    audit_mark.finding_key,
    audit_mark.state,
    audit_mark.note,
    audit_mark.marked_by,
    audit_mark.marked_at
   FROM cunji.audit_mark
  ORDER BY audit_mark.village_id, audit_mark.finding_key, audit_mark.id DESC;

--
-- Name: audit_table; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.audit_table (
    tbl text NOT NULL,
    cols text NOT NULL
);

--
-- Name: audit_threshold; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.audit_threshold (
    org_id integer NOT NULL,
    rule text NOT NULL,
    key text NOT NULL,
    value bigint NOT NULL,
    set_by name DEFAULT SESSION_USER NOT NULL,
    set_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT audit_threshold_value_check CHECK ((value >= 0))
);

--
-- Name: TABLE audit_threshold; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.audit_threshold IS 'a rule''s threshold for a county, or a township (overrides its county''s); else the default';

--
-- Name: bank_reconcile; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.bank_reconcile (
    village_id integer NOT NULL,
    statement_id bigint NOT NULL,
    voucher_id bigint NOT NULL,
    line_no smallint NOT NULL,
    how text NOT NULL,
    marked_by name DEFAULT SESSION_USER NOT NULL,
    marked_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT bank_reconcile_how_check CHECK ((how = ANY (ARRAY['auto'::text, 'manual'::text])))
);

ALTER TABLE ONLY cunji.bank_reconcile FORCE ROW LEVEL SECURITY;

--
-- Name: TABLE bank_reconcile; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.bank_reconcile IS 'a statement line reconciled with a ledger line of the same bank account (对账)';

--
-- Name: bank_statement_line; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.bank_statement_line (
    village_id integer NOT NULL,
    id bigint NOT NULL,
    account_code text NOT NULL,
    line_date date NOT NULL,
    in_fen bigint DEFAULT 0 NOT NULL,
    out_fen bigint DEFAULT 0 NOT NULL,
    balance_fen bigint NOT NULL,
    summary text DEFAULT ''::text NOT NULL,
    row_key text NOT NULL,
    source text DEFAULT ''::text NOT NULL,
    imported_by name DEFAULT SESSION_USER NOT NULL,
    imported_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT bank_statement_line_check CHECK (((in_fen > 0) <> (out_fen > 0))),
    CONSTRAINT bank_statement_line_in_fen_check CHECK ((in_fen >= 0)),
    CONSTRAINT bank_statement_line_out_fen_check CHECK ((out_fen >= 0)),
    CONSTRAINT bank_statement_line_row_key_check CHECK (((char_length(row_key) >= 1) AND (char_length(row_key) <= 300))),
    CONSTRAINT bank_statement_line_source_check CHECK ((cunji.plain_text(source) AND (char_length(source) <= 300))),
    CONSTRAINT bank_statement_line_summary_check CHECK ((cunji.plain_text(summary) AND (char_length(summary) <= 400)))
);

ALTER TABLE ONLY cunji.bank_statement_line FORCE ROW LEVEL SECURITY;

--
-- Name: TABLE bank_statement_line; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.bank_statement_line IS 'a line of a bank statement (对账单) of a village''s bank account, for 银行存款余额调节表';

--
-- Name: bank_statement_line_id_seq; Type: SEQUENCE; Schema: cunji
--

ALTER TABLE cunji.bank_statement_line ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cunji.bank_statement_line_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: chain_head; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.chain_head (
    village_id integer NOT NULL,
    seq bigint NOT NULL,
    head text NOT NULL
);

ALTER TABLE ONLY cunji.chain_head FORCE ROW LEVEL SECURITY;

--
-- Name: chain_link; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.chain_link (
    village_id integer NOT NULL,
    seq bigint NOT NULL,
    kind text NOT NULL,
    refs bigint[] NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    hash text NOT NULL,
    CONSTRAINT chain_link_kind_check CHECK ((kind = ANY (ARRAY['vouchers'::text, 'vouchers2'::text, 'audit'::text])))
);
ALTER TABLE ONLY cunji.chain_link ALTER COLUMN refs SET COMPRESSION lz4;

ALTER TABLE ONLY cunji.chain_link FORCE ROW LEVEL SECURITY;

--
-- Name: TABLE chain_link; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.chain_link IS 'each village''s hash chain (docs/audit.md); append-only, written only by chain_append()';

--
-- Name: chart_template; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.chart_template (
    chart text NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    category text NOT NULL,
    normal_side character(1) NOT NULL,
    CONSTRAINT chart_template_category_check CHECK ((category = ANY (ARRAY['asset'::text, 'liability'::text, 'equity'::text, 'cost'::text, 'income'::text, 'expense'::text]))),
    CONSTRAINT chart_template_code_check CHECK ((code ~ '^[0-9]{3,15}$'::text)),
    CONSTRAINT chart_template_normal_side_check CHECK ((normal_side = ANY (ARRAY['D'::bpchar, 'C'::bpchar])))
);

--
-- Name: commit_check; Type: TABLE; Schema: cunji
--

CREATE UNLOGGED TABLE cunji.commit_check (
    tx bigint NOT NULL
);

--
-- Name: commit_check_item; Type: TABLE; Schema: cunji
--

CREATE UNLOGGED TABLE cunji.commit_check_item (
    tx bigint NOT NULL,
    what text NOT NULL,
    village_id integer NOT NULL,
    code text NOT NULL,
    period date NOT NULL,
    CONSTRAINT commit_check_item_what_check CHECK ((what = ANY (ARRAY['closing'::text, 'counter'::text, 'cash'::text])))
);

ALTER TABLE ONLY cunji.commit_check_item FORCE ROW LEVEL SECURITY;

--
-- Name: disclosure_made; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.disclosure_made (
    village_id integer NOT NULL,
    id bigint NOT NULL,
    period_from date NOT NULL,
    period_to date NOT NULL,
    made_at timestamp with time zone NOT NULL,
    made_by name DEFAULT SESSION_USER NOT NULL,
    CONSTRAINT disclosure_made_check CHECK ((period_to >= period_from))
);

ALTER TABLE ONLY cunji.disclosure_made FORCE ROW LEVEL SECURITY;

--
-- Name: TABLE disclosure_made; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.disclosure_made IS 'a village disclosure sheet made by cj_disclose: its period and the snapshot it shows (R30)';

--
-- Name: disclosure_made_id_seq; Type: SEQUENCE; Schema: cunji
--

ALTER TABLE cunji.disclosure_made ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cunji.disclosure_made_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: dividend_line; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.dividend_line (
    village_id integer NOT NULL,
    year integer NOT NULL,
    household_code text NOT NULL,
    shares numeric(14,2) NOT NULL,
    amount_fen bigint NOT NULL,
    paid_voucher_id bigint,
    CONSTRAINT dividend_line_amount_fen_check CHECK ((amount_fen >= 0)),
    CONSTRAINT dividend_line_shares_check CHECK ((shares > (0)::numeric))
);

ALTER TABLE ONLY cunji.dividend_line FORCE ROW LEVEL SECURITY;

--
-- Name: dividend_plan; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.dividend_plan (
    village_id integer NOT NULL,
    year integer NOT NULL,
    distributable_fen bigint NOT NULL,
    reserve_rate_bp integer NOT NULL,
    reserve_fen bigint NOT NULL,
    welfare_rate_bp integer NOT NULL,
    welfare_fen bigint NOT NULL,
    pool_fen bigint NOT NULL,
    collective_fen bigint NOT NULL,
    households_fen bigint NOT NULL,
    total_shares numeric(14,2) NOT NULL,
    shares_on date NOT NULL,
    method text NOT NULL,
    declared_on date NOT NULL,
    voucher_id bigint NOT NULL,
    tx bigint DEFAULT txid_current() NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT dividend_plan_check CHECK ((((reserve_fen + welfare_fen) + pool_fen) <= distributable_fen)),
    CONSTRAINT dividend_plan_check1 CHECK (((collective_fen + households_fen) = pool_fen)),
    CONSTRAINT dividend_plan_collective_fen_check CHECK ((collective_fen >= 0)),
    CONSTRAINT dividend_plan_distributable_fen_check CHECK ((distributable_fen > 0)),
    CONSTRAINT dividend_plan_households_fen_check CHECK ((households_fen >= 0)),
    CONSTRAINT dividend_plan_pool_fen_check CHECK ((pool_fen > 0)),
    CONSTRAINT dividend_plan_reserve_fen_check CHECK ((reserve_fen >= 0)),
    CONSTRAINT dividend_plan_reserve_rate_bp_check CHECK (((reserve_rate_bp >= 0) AND (reserve_rate_bp <= 10000))),
    CONSTRAINT dividend_plan_total_shares_check CHECK ((total_shares > (0)::numeric)),
    CONSTRAINT dividend_plan_welfare_fen_check CHECK ((welfare_fen >= 0)),
    CONSTRAINT dividend_plan_welfare_rate_bp_check CHECK (((welfare_rate_bp >= 0) AND (welfare_rate_bp <= 10000)))
);

ALTER TABLE ONLY cunji.dividend_plan FORCE ROW LEVEL SECURITY;

--
-- Name: draft_action; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.draft_action (
    village_id integer NOT NULL,
    draft_id bigint NOT NULL,
    action text NOT NULL,
    project_id bigint,
    household_code text,
    year integer,
    aid_id bigint,
    detail jsonb DEFAULT '{}'::jsonb NOT NULL,
    tx bigint DEFAULT txid_current() NOT NULL,
    CONSTRAINT draft_action_action_check CHECK ((action = ANY (ARRAY['project pay'::text, 'project accept'::text, 'aid pay'::text, 'dividend post'::text, 'dividend pay'::text]))),
    CONSTRAINT draft_action_check CHECK (((action = ANY (ARRAY['project pay'::text, 'project accept'::text])) = (project_id IS NOT NULL))),
    CONSTRAINT draft_action_check1 CHECK (((action = ANY (ARRAY['aid pay'::text, 'dividend pay'::text])) = (household_code IS NOT NULL))),
    CONSTRAINT draft_action_check2 CHECK (((action = ANY (ARRAY['dividend post'::text, 'dividend pay'::text])) = (year IS NOT NULL))),
    CONSTRAINT draft_action_check3 CHECK (((action = 'aid pay'::text) = (aid_id IS NOT NULL)))
);

ALTER TABLE ONLY cunji.draft_action FORCE ROW LEVEL SECURITY;

--
-- Name: TABLE draft_action; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.draft_action IS 'what a ledger action records when its draft is posted (0032, docs/roles.md)';

--
-- Name: draft_bulk; Type: TABLE; Schema: cunji
--

CREATE UNLOGGED TABLE cunji.draft_bulk (
    tx bigint NOT NULL,
    mode text NOT NULL,
    CONSTRAINT draft_bulk_mode_check CHECK ((mode = ANY (ARRAY['import'::text, 'review'::text, 'post'::text])))
);

--
-- Name: TABLE draft_bulk; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.draft_bulk IS 'transactions in a bulk step of drafts (0031); written only by the owner''s functions';

--
-- Name: draft_event_id_seq; Type: SEQUENCE; Schema: cunji
--

ALTER TABLE cunji.draft_event ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cunji.draft_event_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: draft_posting; Type: TABLE; Schema: cunji
--

CREATE UNLOGGED TABLE cunji.draft_posting (
    tx bigint NOT NULL
);

--
-- Name: fiscal_year; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.fiscal_year (
    village_id integer NOT NULL,
    year integer NOT NULL,
    closed_at timestamp with time zone DEFAULT now() NOT NULL,
    closed_by text DEFAULT SESSION_USER NOT NULL,
    tx bigint
);

ALTER TABLE ONLY cunji.fiscal_year FORCE ROW LEVEL SECURITY;

--
-- Name: fund; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.fund (
    village_id integer NOT NULL,
    id bigint DEFAULT nextval('cunji.fund_id_seq'::regclass) NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    source_level text NOT NULL,
    doc_no text DEFAULT ''::text NOT NULL,
    doc_date date,
    granted_fen bigint NOT NULL,
    holding_account text NOT NULL,
    allowed_accounts text[],
    forbidden_accounts text[] NOT NULL,
    allowed_categories text[],
    forbidden_categories text[] NOT NULL,
    allocation_id bigint,
    status text DEFAULT 'open'::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT fund_code_check CHECK ((code ~ '^[0-9A-Za-z_.-]{1,40}$'::text)),
    CONSTRAINT fund_granted_fen_check CHECK ((granted_fen >= 0)),
    CONSTRAINT fund_name_check CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT fund_source_level_check CHECK ((source_level = ANY (ARRAY['中央'::text, '省'::text, '市'::text, '县'::text, '乡'::text, '村'::text, '社会'::text]))),
    CONSTRAINT fund_status_check CHECK ((status = ANY (ARRAY['open'::text, 'closed'::text, 'returned'::text])))
);

ALTER TABLE ONLY cunji.fund FORCE ROW LEVEL SECURITY;

--
-- Name: fund_allocation; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.fund_allocation (
    id bigint DEFAULT nextval('cunji.fund_id_seq'::regclass) NOT NULL,
    county_id integer NOT NULL,
    doc_no text NOT NULL,
    doc_date date NOT NULL,
    name text NOT NULL,
    kind text NOT NULL,
    source_level text NOT NULL,
    total_fen bigint NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT fund_allocation_doc_no_check CHECK ((btrim(doc_no) <> ''::text)),
    CONSTRAINT fund_allocation_name_check CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT fund_allocation_source_level_check CHECK ((source_level = ANY (ARRAY['中央'::text, '省'::text, '市'::text, '县'::text, '乡'::text, '村'::text, '社会'::text]))),
    CONSTRAINT fund_allocation_total_fen_check CHECK ((total_fen > 0))
);

--
-- Name: fund_kind; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.fund_kind (
    name text NOT NULL,
    holding_account text NOT NULL,
    allowed_accounts text[],
    forbidden_accounts text[] DEFAULT '{}'::text[] NOT NULL,
    allowed_categories text[],
    forbidden_categories text[] DEFAULT '{}'::text[] NOT NULL,
    distributable boolean NOT NULL
);

--
-- Name: fund_total; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.fund_total (
    village_id integer NOT NULL,
    fund_id bigint NOT NULL,
    received_fen bigint DEFAULT 0 NOT NULL,
    spent_fen bigint DEFAULT 0 NOT NULL
);

ALTER TABLE ONLY cunji.fund_total FORCE ROW LEVEL SECURITY;

--
-- Name: household; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.household (
    village_id integer NOT NULL,
    code text NOT NULL,
    head_name text NOT NULL,
    head_id_number text NOT NULL,
    phone text DEFAULT ''::text NOT NULL,
    bank_name text DEFAULT ''::text NOT NULL,
    bank_account text DEFAULT ''::text NOT NULL,
    poverty_status text DEFAULT ''::text NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT household_bank_account_check CHECK ((bank_account ~ '^[0-9 ]*$'::text)),
    CONSTRAINT household_code_check CHECK ((code ~ '^[0-9A-Za-z_-]{1,30}$'::text)),
    CONSTRAINT household_head_id_number_check CHECK (cunji.id_number_valid(head_id_number)),
    CONSTRAINT household_head_name_check CHECK ((btrim(head_name) <> ''::text)),
    CONSTRAINT household_poverty_status_check CHECK ((poverty_status = ANY (ARRAY[''::text, '脱贫户'::text, '监测户'::text])))
);

ALTER TABLE ONLY cunji.household FORCE ROW LEVEL SECURITY;

--
-- Name: household_member; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.household_member (
    village_id integer NOT NULL,
    household_code text NOT NULL,
    seq smallint NOT NULL,
    name text NOT NULL,
    id_number text NOT NULL,
    relation text DEFAULT ''::text NOT NULL,
    CONSTRAINT household_member_id_number_check CHECK (cunji.id_number_valid(id_number)),
    CONSTRAINT household_member_name_check CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT household_member_seq_check CHECK ((seq > 0))
);

ALTER TABLE ONLY cunji.household_member FORCE ROW LEVEL SECURITY;

--
-- Name: import_log; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.import_log (
    id bigint NOT NULL,
    kind text NOT NULL,
    file_name text NOT NULL,
    file_hash text NOT NULL,
    encoding text NOT NULL,
    nrows bigint NOT NULL,
    vouchers bigint NOT NULL,
    existing bigint NOT NULL,
    lines bigint NOT NULL,
    villages integer NOT NULL,
    debit_fen bigint NOT NULL,
    imported_at timestamp with time zone DEFAULT now() NOT NULL,
    imported_by text DEFAULT SESSION_USER NOT NULL,
    batch_id bigint,
    CONSTRAINT import_log_existing_check CHECK ((existing >= 0)),
    CONSTRAINT import_log_file_hash_check CHECK ((file_hash ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT import_log_kind_check CHECK ((kind ~ '^[a-z_]{1,40}$'::text)),
    CONSTRAINT import_log_lines_check CHECK ((lines >= 0)),
    CONSTRAINT import_log_nrows_check CHECK ((nrows >= 0)),
    CONSTRAINT import_log_villages_check CHECK ((villages >= 0)),
    CONSTRAINT import_log_vouchers_check CHECK ((vouchers >= 0))
);

--
-- Name: COLUMN import_log.batch_id; Type: COMMENT; Schema: cunji
--

COMMENT ON COLUMN cunji.import_log.batch_id IS 'review required: the file''s vouchers were saved as drafts of this batch, not posted';

--
-- Name: import_log_id_seq; Type: SEQUENCE; Schema: cunji
--

ALTER TABLE cunji.import_log ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cunji.import_log_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: login_scope; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.login_scope (
    login name NOT NULL,
    org_id integer NOT NULL
);

ALTER TABLE ONLY cunji.login_scope FORCE ROW LEVEL SECURITY;

--
-- Name: official; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.official (
    village_id integer NOT NULL,
    id bigint NOT NULL,
    name text NOT NULL,
    id_number text DEFAULT ''::text NOT NULL,
    post text NOT NULL,
    term_from date,
    term_to date,
    relation text DEFAULT '本人'::text NOT NULL,
    related_to text DEFAULT ''::text NOT NULL,
    added_by name DEFAULT SESSION_USER NOT NULL,
    added_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT official_check CHECK ((term_to >= term_from)),
    CONSTRAINT official_check1 CHECK (((relation = '本人'::text) = (related_to = ''::text))),
    CONSTRAINT official_id_number_check CHECK (((id_number = ''::text) OR cunji.id_number_valid(id_number))),
    CONSTRAINT official_name_check CHECK (((btrim(name) <> ''::text) AND cunji.plain_text(name))),
    CONSTRAINT official_post_check CHECK (((btrim(post) <> ''::text) AND cunji.plain_text(post))),
    CONSTRAINT official_related_to_check CHECK (cunji.plain_text(related_to)),
    CONSTRAINT official_relation_check CHECK (((btrim(relation) <> ''::text) AND cunji.plain_text(relation)))
);

ALTER TABLE ONLY cunji.official FORCE ROW LEVEL SECURITY;

--
-- Name: TABLE official; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.official IS 'village cadres, board members and their relatives (relation, related_to the cadre) for R26';

--
-- Name: official_id_seq; Type: SEQUENCE; Schema: cunji
--

ALTER TABLE cunji.official ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cunji.official_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: org; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.org (
    id integer NOT NULL,
    level text NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    parent_id integer,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    hotline text DEFAULT ''::text NOT NULL,
    CONSTRAINT org_check CHECK (((level = 'county'::text) = (parent_id IS NULL))),
    CONSTRAINT org_code_check CHECK ((code ~ '^[0-9A-Za-z_-]{1,32}$'::text)),
    CONSTRAINT org_hotline_check CHECK (((length(hotline) <= 60) AND (hotline !~ '[[:cntrl:]]'::text))),
    CONSTRAINT org_level_check CHECK ((level = ANY (ARRAY['county'::text, 'township'::text, 'village'::text]))),
    CONSTRAINT org_name_check CHECK ((btrim(name) <> ''::text))
);

ALTER TABLE ONLY cunji.org FORCE ROW LEVEL SECURITY;

--
-- Name: COLUMN org.hotline; Type: COMMENT; Schema: cunji
--

COMMENT ON COLUMN cunji.org.hotline IS 'local supervision / complaint number printed on disclosure sheets; '''' = not set';

--
-- Name: org_id_seq; Type: SEQUENCE; Schema: cunji
--

ALTER TABLE cunji.org ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cunji.org_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: period_event; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.period_event (
    village_id integer NOT NULL,
    id bigint NOT NULL,
    period date NOT NULL,
    action text NOT NULL,
    reason text DEFAULT ''::text NOT NULL,
    at timestamp with time zone DEFAULT now() NOT NULL,
    by_user text DEFAULT SESSION_USER NOT NULL,
    CONSTRAINT period_event_action_check CHECK ((action = ANY (ARRAY['close'::text, 'reopen'::text])))
);

ALTER TABLE ONLY cunji.period_event FORCE ROW LEVEL SECURITY;

--
-- Name: period_event_id_seq; Type: SEQUENCE; Schema: cunji
--

ALTER TABLE cunji.period_event ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cunji.period_event_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: period_state; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.period_state (
    village_id integer NOT NULL,
    period date NOT NULL,
    closed boolean NOT NULL,
    changed_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT period_state_period_check CHECK ((period = (date_trunc('month'::text, (period)::timestamp with time zone))::date))
);

ALTER TABLE ONLY cunji.period_state FORCE ROW LEVEL SECURITY;

--
-- Name: project; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.project (
    village_id integer NOT NULL,
    id bigint DEFAULT nextval('cunji.fund_id_seq'::regclass) NOT NULL,
    code text NOT NULL,
    name text NOT NULL,
    category text NOT NULL,
    content text DEFAULT ''::text NOT NULL,
    implementing_unit text DEFAULT ''::text NOT NULL,
    responsible text DEFAULT ''::text NOT NULL,
    start_date date,
    end_date date,
    households integer DEFAULT 0 NOT NULL,
    poverty_households integer DEFAULT 0 NOT NULL,
    monitored_households integer DEFAULT 0 NOT NULL,
    goals text DEFAULT ''::text NOT NULL,
    benefit_mechanism text DEFAULT ''::text NOT NULL,
    status text DEFAULT 'planned'::text NOT NULL,
    asset_kind text,
    asset_account text,
    asset_value_fen bigint,
    accepted_on date,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT project_asset_kind_check CHECK ((asset_kind = ANY (ARRAY['经营性'::text, '公益性'::text, '到户'::text]))),
    CONSTRAINT project_check CHECK ((end_date >= start_date)),
    CONSTRAINT project_check1 CHECK (((status = 'accepted'::text) = ((asset_kind IS NOT NULL) AND (accepted_on IS NOT NULL)))),
    CONSTRAINT project_check2 CHECK (((poverty_households + monitored_households) <= households)),
    CONSTRAINT project_code_check CHECK ((code ~ '^[0-9A-Za-z_.-]{1,40}$'::text)),
    CONSTRAINT project_households_check CHECK ((households >= 0)),
    CONSTRAINT project_monitored_households_check CHECK ((monitored_households >= 0)),
    CONSTRAINT project_name_check CHECK ((btrim(name) <> ''::text)),
    CONSTRAINT project_poverty_households_check CHECK ((poverty_households >= 0)),
    CONSTRAINT project_status_check CHECK ((status = ANY (ARRAY['planned'::text, 'started'::text, 'accepted'::text])))
);

ALTER TABLE ONLY cunji.project FORCE ROW LEVEL SECURITY;

--
-- Name: project_budget; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.project_budget (
    village_id integer NOT NULL,
    project_id bigint NOT NULL,
    seq smallint NOT NULL,
    source text NOT NULL,
    fund_id bigint,
    amount_fen bigint NOT NULL,
    CONSTRAINT project_budget_amount_fen_check CHECK ((amount_fen > 0)),
    CONSTRAINT project_budget_source_check CHECK ((btrim(source) <> ''::text))
);

ALTER TABLE ONLY cunji.project_budget FORCE ROW LEVEL SECURITY;

--
-- Name: project_category; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.project_category (
    name text NOT NULL,
    negative boolean DEFAULT false NOT NULL,
    note text DEFAULT ''::text NOT NULL
);

--
-- Name: project_payment; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.project_payment (
    village_id integer NOT NULL,
    voucher_id bigint NOT NULL,
    project_id bigint NOT NULL,
    tranche text NOT NULL,
    payee text NOT NULL,
    CONSTRAINT project_payment_payee_check CHECK ((btrim(payee) <> ''::text)),
    CONSTRAINT project_payment_tranche_check CHECK ((tranche = ANY (ARRAY['预付'::text, '进度款'::text, '尾款'::text, '质保金'::text])))
);

ALTER TABLE ONLY cunji.project_payment FORCE ROW LEVEL SECURITY;

--
-- Name: project_total; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.project_total (
    village_id integer NOT NULL,
    project_id bigint NOT NULL,
    budget_fen bigint DEFAULT 0 NOT NULL,
    spent_fen bigint DEFAULT 0 NOT NULL
);

ALTER TABLE ONLY cunji.project_total FORCE ROW LEVEL SECURITY;

--
-- Name: publication; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.publication (
    village_id integer NOT NULL,
    id bigint NOT NULL,
    period text NOT NULL,
    period_end date NOT NULL,
    posted_on date NOT NULL,
    vouchers bigint NOT NULL,
    digest text NOT NULL,
    anchor_seq bigint NOT NULL,
    anchor_head text NOT NULL,
    anchor text NOT NULL,
    xlsx bytea NOT NULL,
    pdf bytea NOT NULL,
    published_by name DEFAULT SESSION_USER NOT NULL,
    published_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT publication_anchor_check CHECK (((length(anchor) <= 512) AND cunji.plain_text(anchor))),
    CONSTRAINT publication_anchor_head_check CHECK ((anchor_head ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT publication_anchor_seq_check CHECK ((anchor_seq >= 0)),
    CONSTRAINT publication_digest_check CHECK ((digest ~ '^[0-9a-f]{64}$'::text)),
    CONSTRAINT publication_pdf_check CHECK (((length(pdf) >= 1) AND (length(pdf) <= 33554432))),
    CONSTRAINT publication_period_check CHECK ((period ~ '^[0-9]{4}(Q[1-4]|-[0-9]{2})?$'::text)),
    CONSTRAINT publication_vouchers_check CHECK ((vouchers >= 0)),
    CONSTRAINT publication_xlsx_check CHECK (((length(xlsx) >= 1) AND (length(xlsx) <= 16777216)))
);

ALTER TABLE ONLY cunji.publication FORCE ROW LEVEL SECURITY;

--
-- Name: TABLE publication; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.publication IS 'disclosure sheets as published (files and stamp); append-only, the latest per period is in force';

--
-- Name: publication_id_seq; Type: SEQUENCE; Schema: cunji
--

ALTER TABLE cunji.publication ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cunji.publication_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: schema_fingerprint; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.schema_fingerprint (
    kind text NOT NULL,
    name text NOT NULL,
    sha256 text NOT NULL,
    CONSTRAINT schema_fingerprint_kind_check CHECK ((kind = ANY (ARRAY['function'::text, 'trigger'::text, 'table'::text]))),
    CONSTRAINT schema_fingerprint_sha256_check CHECK ((sha256 ~ '^[0-9a-f]{64}$'::text))
);

--
-- Name: TABLE schema_fingerprint; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.schema_fingerprint IS 'the schema as the migrations left it (issue 15): written by migrate.c after every run';

--
-- Name: schema_migrations; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);

--
-- Name: setting; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.setting (
    org_id integer NOT NULL,
    key text NOT NULL,
    value text NOT NULL,
    CONSTRAINT setting_value_check CHECK ((((key = 'review_required'::text) AND (value = ANY (ARRAY['true'::text, 'false'::text]))) OR ((key = 'check_url'::text) AND (length(value) <= 200) AND (value ~ '^https?://[!-~]+$'::text) AND (value !~ '[?#&]'::text) AND (value !~ '/$'::text))))
);

--
-- Name: TABLE setting; Type: COMMENT; Schema: cunji
--

COMMENT ON TABLE cunji.setting IS 'review_required: set on a county, a township''s own value overrides it (review_required()); check_url: the public check page''s address (check_url())';

--
-- Name: share_holding; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.share_holding (
    village_id integer NOT NULL,
    id bigint NOT NULL,
    household_code text,
    share_type text NOT NULL,
    shares numeric(12,2) NOT NULL,
    effective_from date NOT NULL,
    effective_to date,
    CONSTRAINT share_holding_check CHECK ((effective_to > effective_from)),
    CONSTRAINT share_holding_check1 CHECK (((share_type = '集体股'::text) = (household_code IS NULL))),
    CONSTRAINT share_holding_share_type_check CHECK ((share_type = ANY (ARRAY['人口股'::text, '劳龄股'::text, '集体股'::text, '扶贫股'::text, '募集股'::text, '土地股'::text]))),
    CONSTRAINT share_holding_shares_check CHECK ((shares > (0)::numeric))
);

ALTER TABLE ONLY cunji.share_holding FORCE ROW LEVEL SECURITY;

--
-- Name: share_holding_id_seq; Type: SEQUENCE; Schema: cunji
--

ALTER TABLE cunji.share_holding ALTER COLUMN id ADD GENERATED ALWAYS AS IDENTITY (
    SEQUENCE NAME cunji.share_holding_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1
);

--
-- Name: twophase_decision; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.twophase_decision (
    gid_prefix text NOT NULL,
    parts integer NOT NULL,
    decided_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT twophase_decision_gid_prefix_check CHECK ((gid_prefix ~ '^cunji-[a-z0-9-]+$'::text)),
    CONSTRAINT twophase_decision_parts_check CHECK ((parts > 0))
);

--
-- Name: village_books; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.village_books (
    village_id integer NOT NULL,
    chart text DEFAULT '2023'::text NOT NULL,
    start_period date NOT NULL,
    created_at timestamp with time zone DEFAULT now() NOT NULL,
    CONSTRAINT village_books_start_period_check CHECK ((start_period = (date_trunc('month'::text, (start_period)::timestamp with time zone))::date))
);

ALTER TABLE ONLY cunji.village_books FORCE ROW LEVEL SECURITY;

--
-- Name: voucher_counter; Type: TABLE; Schema: cunji
--

CREATE TABLE cunji.voucher_counter (
    village_id integer NOT NULL,
    period date NOT NULL,
    last_number integer NOT NULL
);

ALTER TABLE ONLY cunji.voucher_counter FORCE ROW LEVEL SECURITY;

--
-- Name: voucher_id_seq; Type: SEQUENCE; Schema: cunji
--

CREATE SEQUENCE cunji.voucher_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;

--
-- Name: voucher_pending; Type: TABLE; Schema: cunji
--

CREATE UNLOGGED TABLE cunji.voucher_pending (
    tx bigint NOT NULL,
    vouchers bigint NOT NULL,
    completed bigint NOT NULL
);

--
-- Name: account account_name_plain; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.account
    ADD CONSTRAINT account_name_plain CHECK (cunji.plain_text(name)) NOT VALID;

--
-- Name: account_period_total account_period_total_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.account_period_total
    ADD CONSTRAINT account_period_total_pkey PRIMARY KEY (village_id, account_code, period);

--
-- Name: account account_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.account
    ADD CONSTRAINT account_pkey PRIMARY KEY (village_id, code);

--
-- Name: account_year_total account_year_total_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.account_year_total
    ADD CONSTRAINT account_year_total_pkey PRIMARY KEY (village_id, year, account_code);

--
-- Name: aid_payment aid_payment_date_in_books; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.aid_payment
    ADD CONSTRAINT aid_payment_date_in_books CHECK (cunji.books_date(paid_on)) NOT VALID;

--
-- Name: aid_payment aid_payment_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.aid_payment
    ADD CONSTRAINT aid_payment_pkey PRIMARY KEY (village_id, id);

--
-- Name: aid_rule aid_rule_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.aid_rule
    ADD CONSTRAINT aid_rule_pkey PRIMARY KEY (county_id);

--
-- Name: app_login app_login_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.app_login
    ADD CONSTRAINT app_login_pkey PRIMARY KEY (login);

--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (village_id, id);

--
-- Name: audit_mark audit_mark_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.audit_mark
    ADD CONSTRAINT audit_mark_pkey PRIMARY KEY (village_id, finding_key, id);

--
-- Name: audit_param audit_param_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.audit_param
    ADD CONSTRAINT audit_param_pkey PRIMARY KEY (rule, key);

--
-- Name: audit_rule audit_rule_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.audit_rule
    ADD CONSTRAINT audit_rule_pkey PRIMARY KEY (code);

--
-- Name: audit_table audit_table_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.audit_table
    ADD CONSTRAINT audit_table_pkey PRIMARY KEY (tbl);

--
-- Name: audit_threshold audit_threshold_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.audit_threshold
    ADD CONSTRAINT audit_threshold_pkey PRIMARY KEY (org_id, rule, key);

--
-- Name: bank_reconcile bank_reconcile_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.bank_reconcile
    ADD CONSTRAINT bank_reconcile_pkey PRIMARY KEY (village_id, statement_id);

--
-- Name: bank_reconcile bank_reconcile_village_id_voucher_id_line_no_key; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.bank_reconcile
    ADD CONSTRAINT bank_reconcile_village_id_voucher_id_line_no_key UNIQUE (village_id, voucher_id, line_no);

--
-- Name: bank_statement_line bank_statement_line_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.bank_statement_line
    ADD CONSTRAINT bank_statement_line_pkey PRIMARY KEY (village_id, id);

--
-- Name: bank_statement_line bank_statement_line_village_id_account_code_row_key_key; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.bank_statement_line
    ADD CONSTRAINT bank_statement_line_village_id_account_code_row_key_key UNIQUE (village_id, account_code, row_key);

--
-- Name: chain_head chain_head_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.chain_head
    ADD CONSTRAINT chain_head_pkey PRIMARY KEY (village_id);

--
-- Name: chain_link chain_link_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.chain_link
    ADD CONSTRAINT chain_link_pkey PRIMARY KEY (village_id, seq);

--
-- Name: chart_template chart_template_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.chart_template
    ADD CONSTRAINT chart_template_pkey PRIMARY KEY (chart, code);

--
-- Name: commit_check_item commit_check_item_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.commit_check_item
    ADD CONSTRAINT commit_check_item_pkey PRIMARY KEY (tx, what, village_id, code, period);

--
-- Name: commit_check commit_check_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.commit_check
    ADD CONSTRAINT commit_check_pkey PRIMARY KEY (tx);

--
-- Name: disclosure_made disclosure_made_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.disclosure_made
    ADD CONSTRAINT disclosure_made_pkey PRIMARY KEY (village_id, id);

--
-- Name: dividend_line dividend_line_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.dividend_line
    ADD CONSTRAINT dividend_line_pkey PRIMARY KEY (village_id, year, household_code);

--
-- Name: dividend_plan dividend_plan_dates_in_books; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.dividend_plan
    ADD CONSTRAINT dividend_plan_dates_in_books CHECK ((cunji.books_date(shares_on) AND cunji.books_date(declared_on))) NOT VALID;

--
-- Name: dividend_plan dividend_plan_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.dividend_plan
    ADD CONSTRAINT dividend_plan_pkey PRIMARY KEY (village_id, year);

--
-- Name: draft_action draft_action_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.draft_action
    ADD CONSTRAINT draft_action_pkey PRIMARY KEY (village_id, draft_id);

--
-- Name: draft_bulk draft_bulk_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.draft_bulk
    ADD CONSTRAINT draft_bulk_pkey PRIMARY KEY (tx);

--
-- Name: draft_event draft_event_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.draft_event
    ADD CONSTRAINT draft_event_pkey PRIMARY KEY (village_id, id);

--
-- Name: draft_line draft_line_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.draft_line
    ADD CONSTRAINT draft_line_pkey PRIMARY KEY (village_id, draft_id, line_no);

--
-- Name: draft_posting draft_posting_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.draft_posting
    ADD CONSTRAINT draft_posting_pkey PRIMARY KEY (tx);

--
-- Name: draft_voucher draft_voucher_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.draft_voucher
    ADD CONSTRAINT draft_voucher_pkey PRIMARY KEY (village_id, id);

--
-- Name: fiscal_year fiscal_year_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fiscal_year
    ADD CONSTRAINT fiscal_year_pkey PRIMARY KEY (village_id, year);

--
-- Name: fund_allocation fund_allocation_county_id_doc_no_key; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fund_allocation
    ADD CONSTRAINT fund_allocation_county_id_doc_no_key UNIQUE (county_id, doc_no);

--
-- Name: fund_allocation fund_allocation_date_in_books; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.fund_allocation
    ADD CONSTRAINT fund_allocation_date_in_books CHECK (cunji.books_date(doc_date)) NOT VALID;

--
-- Name: fund_allocation fund_allocation_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fund_allocation
    ADD CONSTRAINT fund_allocation_pkey PRIMARY KEY (id);

--
-- Name: fund_allocation fund_allocation_text_plain; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.fund_allocation
    ADD CONSTRAINT fund_allocation_text_plain CHECK ((cunji.plain_text(name) AND cunji.plain_text(doc_no))) NOT VALID;

--
-- Name: fund fund_date_in_books; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.fund
    ADD CONSTRAINT fund_date_in_books CHECK (cunji.books_date(doc_date)) NOT VALID;

--
-- Name: fund_kind fund_kind_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fund_kind
    ADD CONSTRAINT fund_kind_pkey PRIMARY KEY (name);

--
-- Name: fund fund_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fund
    ADD CONSTRAINT fund_pkey PRIMARY KEY (village_id, id);

--
-- Name: fund fund_text_plain; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.fund
    ADD CONSTRAINT fund_text_plain CHECK ((cunji.plain_text(code) AND cunji.plain_text(name) AND cunji.plain_text(doc_no))) NOT VALID;

--
-- Name: fund_total fund_total_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fund_total
    ADD CONSTRAINT fund_total_pkey PRIMARY KEY (village_id, fund_id);

--
-- Name: fund fund_village_id_code_key; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fund
    ADD CONSTRAINT fund_village_id_code_key UNIQUE (village_id, code);

--
-- Name: household_member household_member_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.household_member
    ADD CONSTRAINT household_member_pkey PRIMARY KEY (village_id, household_code, seq);

--
-- Name: household_member household_member_text_plain; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.household_member
    ADD CONSTRAINT household_member_text_plain CHECK ((cunji.plain_text(name) AND cunji.plain_text(relation))) NOT VALID;

--
-- Name: household_member household_member_village_id_id_number_key; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.household_member
    ADD CONSTRAINT household_member_village_id_id_number_key UNIQUE (village_id, id_number);

--
-- Name: household household_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.household
    ADD CONSTRAINT household_pkey PRIMARY KEY (village_id, code);

--
-- Name: household household_text_plain; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.household
    ADD CONSTRAINT household_text_plain CHECK ((cunji.plain_text(head_name) AND cunji.plain_text(phone) AND cunji.plain_text(bank_name))) NOT VALID;

--
-- Name: household household_village_id_head_id_number_key; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.household
    ADD CONSTRAINT household_village_id_head_id_number_key UNIQUE (village_id, head_id_number);

--
-- Name: import_log import_log_kind_file_hash_key; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.import_log
    ADD CONSTRAINT import_log_kind_file_hash_key UNIQUE (kind, file_hash);

--
-- Name: import_log import_log_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.import_log
    ADD CONSTRAINT import_log_pkey PRIMARY KEY (id);

--
-- Name: login_scope login_scope_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.login_scope
    ADD CONSTRAINT login_scope_pkey PRIMARY KEY (login, org_id);

--
-- Name: official official_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.official
    ADD CONSTRAINT official_pkey PRIMARY KEY (village_id, id);

--
-- Name: org org_code_key; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.org
    ADD CONSTRAINT org_code_key UNIQUE (code);

--
-- Name: org org_code_structure; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.org
    ADD CONSTRAINT org_code_structure CHECK (
CASE level
    WHEN 'county'::text THEN (code ~ '^[1-9][0-9]{5}$'::text)
    WHEN 'township'::text THEN ((code ~ '^[1-9][0-9]{8}$'::text) AND ("right"(code, 3) <> '000'::text))
    ELSE ((code ~ '^[1-9][0-9]{11}$'::text) AND ("right"(code, 3) <> '000'::text))
END) NOT VALID;

--
-- Name: org org_name_plain; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.org
    ADD CONSTRAINT org_name_plain CHECK (cunji.plain_text(name)) NOT VALID;

--
-- Name: org org_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.org
    ADD CONSTRAINT org_pkey PRIMARY KEY (id);

--
-- Name: period_event period_event_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.period_event
    ADD CONSTRAINT period_event_pkey PRIMARY KEY (village_id, id);

--
-- Name: period_state period_state_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.period_state
    ADD CONSTRAINT period_state_pkey PRIMARY KEY (village_id, period);

--
-- Name: project_budget project_budget_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.project_budget
    ADD CONSTRAINT project_budget_pkey PRIMARY KEY (village_id, project_id, seq);

--
-- Name: project_category project_category_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.project_category
    ADD CONSTRAINT project_category_pkey PRIMARY KEY (name);

--
-- Name: project project_dates_in_books; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.project
    ADD CONSTRAINT project_dates_in_books CHECK ((cunji.books_date(start_date) AND cunji.books_date(accepted_on) AND (end_date >= '1949-10-01'::date))) NOT VALID;

--
-- Name: project_payment project_payment_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.project_payment
    ADD CONSTRAINT project_payment_pkey PRIMARY KEY (village_id, voucher_id);

--
-- Name: project project_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.project
    ADD CONSTRAINT project_pkey PRIMARY KEY (village_id, id);

--
-- Name: project project_text_plain; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.project
    ADD CONSTRAINT project_text_plain CHECK ((cunji.plain_text(code) AND cunji.plain_text(name) AND cunji.plain_text(category) AND cunji.plain_text(implementing_unit) AND cunji.plain_text(responsible))) NOT VALID;

--
-- Name: project_total project_total_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.project_total
    ADD CONSTRAINT project_total_pkey PRIMARY KEY (village_id, project_id);

--
-- Name: project project_village_id_code_key; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.project
    ADD CONSTRAINT project_village_id_code_key UNIQUE (village_id, code);

--
-- Name: publication publication_id_key; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.publication
    ADD CONSTRAINT publication_id_key UNIQUE (id);

--
-- Name: publication publication_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.publication
    ADD CONSTRAINT publication_pkey PRIMARY KEY (village_id, id);

--
-- Name: schema_fingerprint schema_fingerprint_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.schema_fingerprint
    ADD CONSTRAINT schema_fingerprint_pkey PRIMARY KEY (kind, name);

--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);

--
-- Name: setting setting_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.setting
    ADD CONSTRAINT setting_pkey PRIMARY KEY (org_id, key);

--
-- Name: share_holding share_holding_date_in_books; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.share_holding
    ADD CONSTRAINT share_holding_date_in_books CHECK (cunji.books_date(effective_from)) NOT VALID;

--
-- Name: share_holding share_holding_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.share_holding
    ADD CONSTRAINT share_holding_pkey PRIMARY KEY (village_id, id);

--
-- Name: twophase_decision twophase_decision_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.twophase_decision
    ADD CONSTRAINT twophase_decision_pkey PRIMARY KEY (gid_prefix);

--
-- Name: village_books village_books_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.village_books
    ADD CONSTRAINT village_books_pkey PRIMARY KEY (village_id);

--
-- Name: village_books village_books_start_in_books; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.village_books
    ADD CONSTRAINT village_books_start_in_books CHECK (cunji.books_date(start_period)) NOT VALID;

--
-- Name: voucher_counter voucher_counter_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.voucher_counter
    ADD CONSTRAINT voucher_counter_pkey PRIMARY KEY (village_id, period);

--
-- Name: voucher voucher_date_in_books; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.voucher
    ADD CONSTRAINT voucher_date_in_books CHECK (cunji.books_date(voucher_date)) NOT VALID;

--
-- Name: voucher_line voucher_line_counterparty_plain; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.voucher_line
    ADD CONSTRAINT voucher_line_counterparty_plain CHECK (cunji.plain_text(counterparty)) NOT VALID;

--
-- Name: voucher_line voucher_line_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.voucher_line
    ADD CONSTRAINT voucher_line_pkey PRIMARY KEY (village_id, voucher_id, line_no);

--
-- Name: voucher_pending voucher_pending_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.voucher_pending
    ADD CONSTRAINT voucher_pending_pkey PRIMARY KEY (tx);

--
-- Name: voucher voucher_pkey; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.voucher
    ADD CONSTRAINT voucher_pkey PRIMARY KEY (village_id, id);

--
-- Name: voucher voucher_summary_plain; Type: CHECK CONSTRAINT; Schema: cunji
--

ALTER TABLE cunji.voucher
    ADD CONSTRAINT voucher_summary_plain CHECK (cunji.plain_text(summary)) NOT VALID;

--
-- Name: voucher voucher_village_id_period_number_key; Type: CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.voucher
    ADD CONSTRAINT voucher_village_id_period_number_key UNIQUE (village_id, period, number);

--
-- Name: audit_log_at; Type: INDEX; Schema: cunji
--

CREATE INDEX audit_log_at ON cunji.audit_log USING btree (at);

--
-- Name: disclosure_made_period; Type: INDEX; Schema: cunji
--

CREATE INDEX disclosure_made_period ON cunji.disclosure_made USING btree (village_id, period_to);

--
-- Name: draft_action_aid; Type: INDEX; Schema: cunji
--

CREATE UNIQUE INDEX draft_action_aid ON cunji.draft_action USING btree (village_id, aid_id) WHERE (aid_id IS NOT NULL);

--
-- Name: draft_action_dividend_pay; Type: INDEX; Schema: cunji
--

CREATE UNIQUE INDEX draft_action_dividend_pay ON cunji.draft_action USING btree (village_id, year, household_code) WHERE (action = 'dividend pay'::text);

--
-- Name: draft_action_plan; Type: INDEX; Schema: cunji
--

CREATE UNIQUE INDEX draft_action_plan ON cunji.draft_action USING btree (village_id, year) WHERE (action = 'dividend post'::text);

--
-- Name: draft_event_draft; Type: INDEX; Schema: cunji
--

CREATE INDEX draft_event_draft ON cunji.draft_event USING btree (village_id, draft_id);

--
-- Name: draft_external_id; Type: INDEX; Schema: cunji
--

CREATE UNIQUE INDEX draft_external_id ON cunji.draft_voucher USING btree (village_id, external_id) WHERE ((external_id IS NOT NULL) AND (state <> 'posted'::text));

--
-- Name: draft_voucher_batch; Type: INDEX; Schema: cunji
--

CREATE INDEX draft_voucher_batch ON cunji.draft_voucher USING btree (batch_id);

--
-- Name: draft_voucher_open; Type: INDEX; Schema: cunji
--

CREATE INDEX draft_voucher_open ON cunji.draft_voucher USING btree (village_id, voucher_date) WHERE (state <> 'posted'::text);

--
-- Name: fund_allocation_parts; Type: INDEX; Schema: cunji
--

CREATE INDEX fund_allocation_parts ON cunji.fund USING btree (allocation_id) WHERE (allocation_id IS NOT NULL);

--
-- Name: household_bank_account; Type: INDEX; Schema: cunji
--

CREATE INDEX household_bank_account ON cunji.household USING btree (replace(bank_account, ' '::text, ''::text)) WHERE (bank_account <> ''::text);

--
-- Name: household_head_id_number; Type: INDEX; Schema: cunji
--

CREATE INDEX household_head_id_number ON cunji.household USING btree (head_id_number);

--
-- Name: household_member_id_number; Type: INDEX; Schema: cunji
--

CREATE INDEX household_member_id_number ON cunji.household_member USING btree (id_number);

--
-- Name: official_person; Type: INDEX; Schema: cunji
--

CREATE UNIQUE INDEX official_person ON cunji.official USING btree (village_id, id_number, post) WHERE (id_number <> ''::text);

--
-- Name: org_parent; Type: INDEX; Schema: cunji
--

CREATE INDEX org_parent ON cunji.org USING btree (parent_id);

--
-- Name: publication_period; Type: INDEX; Schema: cunji
--

CREATE INDEX publication_period ON cunji.publication USING btree (village_id, period, id);

--
-- Name: share_holding_household; Type: INDEX; Schema: cunji
--

CREATE INDEX share_holding_household ON cunji.share_holding USING btree (village_id, household_code);

--
-- Name: voucher_external_id; Type: INDEX; Schema: cunji
--

CREATE UNIQUE INDEX voucher_external_id ON cunji.voucher USING btree (village_id, external_id) WHERE (external_id IS NOT NULL);

--
-- Name: voucher_line_dues; Type: INDEX; Schema: cunji
--

CREATE INDEX voucher_line_dues ON cunji.voucher_line USING btree (village_id, account_code) WHERE ("left"(account_code, 3) = ANY (ARRAY['112'::text, '113'::text, '201'::text, '211'::text, '221'::text, '231'::text, '241'::text]));

--
-- Name: voucher_line_funded; Type: INDEX; Schema: cunji
--

CREATE INDEX voucher_line_funded ON cunji.voucher_line USING btree (village_id, fund_id) WHERE (fund_id IS NOT NULL);

--
-- Name: voucher_line_period_brin; Type: INDEX; Schema: cunji
--

CREATE INDEX voucher_line_period_brin ON cunji.voucher_line USING brin (period);

--
-- Name: voucher_period_brin; Type: INDEX; Schema: cunji
--

CREATE INDEX voucher_period_brin ON cunji.voucher USING brin (period);

--
-- Name: voucher_reversed_once; Type: INDEX; Schema: cunji
--

CREATE UNIQUE INDEX voucher_reversed_once ON cunji.voucher USING btree (village_id, reverses_id) WHERE (reverses_id IS NOT NULL);

--
-- Name: account account_before_insert; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER account_before_insert BEFORE INSERT ON cunji.account FOR EACH ROW WHEN ((length(new.code) <> 3)) EXECUTE FUNCTION cunji.account_before_insert();

--
-- Name: account account_first_level; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER account_first_level AFTER INSERT ON cunji.account REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.account_first_level_check();

--
-- Name: account account_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER account_guard BEFORE DELETE OR UPDATE ON cunji.account FOR EACH ROW EXECUTE FUNCTION cunji.account_guard();

--
-- Name: account account_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER account_no_truncate BEFORE TRUNCATE ON cunji.account FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: account_year_total account_year_total_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER account_year_total_guard BEFORE INSERT OR DELETE OR UPDATE ON cunji.account_year_total FOR EACH ROW WHEN ((pg_trigger_depth() < 1)) EXECUTE FUNCTION cunji.fund_totals_guard();

--
-- Name: account_year_total account_year_total_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER account_year_total_no_truncate BEFORE TRUNCATE ON cunji.account_year_total FOR EACH STATEMENT EXECUTE FUNCTION cunji.append_only();

--
-- Name: aid_payment aid_payment_caps; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER aid_payment_caps BEFORE INSERT OR DELETE OR UPDATE ON cunji.aid_payment FOR EACH ROW EXECUTE FUNCTION cunji.aid_payment_caps();

--
-- Name: aid_payment aid_payment_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER aid_payment_no_truncate BEFORE TRUNCATE ON cunji.aid_payment FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: aid_rule aid_rule_level; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER aid_rule_level BEFORE INSERT OR UPDATE ON cunji.aid_rule FOR EACH ROW EXECUTE FUNCTION cunji.org_must_be_county();

--
-- Name: aid_rule aid_rule_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER aid_rule_no_truncate BEFORE TRUNCATE ON cunji.aid_rule FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: fund_allocation allocation_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER allocation_guard BEFORE DELETE OR UPDATE ON cunji.fund_allocation FOR EACH ROW EXECUTE FUNCTION cunji.allocation_guard();

--
-- Name: fund_allocation allocation_level; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER allocation_level BEFORE INSERT ON cunji.fund_allocation FOR EACH ROW EXECUTE FUNCTION cunji.org_must_be_county();

--
-- Name: audit_log audit_log_append_only; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER audit_log_append_only BEFORE DELETE OR UPDATE ON cunji.audit_log FOR EACH ROW EXECUTE FUNCTION cunji.append_only();

--
-- Name: audit_log audit_log_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON cunji.audit_log FOR EACH STATEMENT EXECUTE FUNCTION cunji.append_only();

--
-- Name: audit_threshold audit_threshold_level; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER audit_threshold_level BEFORE INSERT OR UPDATE ON cunji.audit_threshold FOR EACH ROW EXECUTE FUNCTION cunji.audit_threshold_level();

--
-- Name: bank_reconcile bank_reconcile_check; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER bank_reconcile_check AFTER INSERT ON cunji.bank_reconcile REFERENCING NEW TABLE AS new_pairs FOR EACH STATEMENT EXECUTE FUNCTION cunji.bank_reconcile_check();

--
-- Name: bank_statement_line bank_statement_line_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER bank_statement_line_guard BEFORE DELETE OR UPDATE ON cunji.bank_statement_line FOR EACH ROW EXECUTE FUNCTION cunji.bank_statement_line_guard();

--
-- Name: chain_head chain_head_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER chain_head_guard BEFORE INSERT OR DELETE OR UPDATE ON cunji.chain_head FOR EACH ROW WHEN ((current_setting('cunji.chain_append'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION cunji.append_only();

--
-- Name: chain_head chain_head_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER chain_head_no_truncate BEFORE TRUNCATE ON cunji.chain_head FOR EACH STATEMENT EXECUTE FUNCTION cunji.append_only();

--
-- Name: chain_link chain_link_append_only; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER chain_link_append_only BEFORE DELETE OR UPDATE ON cunji.chain_link FOR EACH ROW EXECUTE FUNCTION cunji.append_only();

--
-- Name: chain_link chain_link_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER chain_link_no_truncate BEFORE TRUNCATE ON cunji.chain_link FOR EACH STATEMENT EXECUTE FUNCTION cunji.append_only();

--
-- Name: chart_template chart_template_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER chart_template_no_truncate BEFORE TRUNCATE ON cunji.chart_template FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: commit_check commit_check_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER commit_check_guard BEFORE DELETE OR UPDATE OR TRUNCATE ON cunji.commit_check FOR EACH STATEMENT WHEN ((pg_trigger_depth() < 1)) EXECUTE FUNCTION cunji.commit_check_guard();

--
-- Name: commit_check_item commit_check_item_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER commit_check_item_guard BEFORE DELETE OR UPDATE OR TRUNCATE ON cunji.commit_check_item FOR EACH STATEMENT WHEN ((pg_trigger_depth() < 1)) EXECUTE FUNCTION cunji.commit_check_guard();

--
-- Name: commit_check commit_check_run; Type: TRIGGER; Schema: cunji
--

CREATE CONSTRAINT TRIGGER commit_check_run AFTER INSERT ON cunji.commit_check DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cunji.commit_check_run();

--
-- Name: dividend_line dividend_line_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER dividend_line_guard BEFORE INSERT OR DELETE OR UPDATE ON cunji.dividend_line FOR EACH ROW EXECUTE FUNCTION cunji.dividend_line_guard();

--
-- Name: dividend_line dividend_line_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER dividend_line_no_truncate BEFORE TRUNCATE ON cunji.dividend_line FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: dividend_plan dividend_plan_check; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER dividend_plan_check BEFORE INSERT OR DELETE OR UPDATE ON cunji.dividend_plan FOR EACH ROW EXECUTE FUNCTION cunji.dividend_plan_check();

--
-- Name: dividend_plan dividend_plan_complete; Type: TRIGGER; Schema: cunji
--

CREATE CONSTRAINT TRIGGER dividend_plan_complete AFTER INSERT ON cunji.dividend_plan DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cunji.dividend_plan_complete();

--
-- Name: dividend_plan dividend_plan_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER dividend_plan_no_truncate BEFORE TRUNCATE ON cunji.dividend_plan FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: draft_voucher draft_action_content; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_action_content BEFORE UPDATE ON cunji.draft_voucher FOR EACH ROW WHEN (((new.voucher_date IS DISTINCT FROM old.voucher_date) OR (new.kind IS DISTINCT FROM old.kind) OR (new.summary IS DISTINCT FROM old.summary) OR (new.attachments IS DISTINCT FROM old.attachments) OR (new.external_id IS DISTINCT FROM old.external_id) OR (new.reverses_id IS DISTINCT FROM old.reverses_id) OR (new.negative_cash_reason IS DISTINCT FROM old.negative_cash_reason))) EXECUTE FUNCTION cunji.draft_action_content();

--
-- Name: draft_action draft_action_final; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_action_final BEFORE UPDATE ON cunji.draft_action FOR EACH ROW EXECUTE FUNCTION cunji.append_only();

--
-- Name: draft_action draft_action_inserted; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_action_inserted BEFORE INSERT ON cunji.draft_action FOR EACH ROW EXECUTE FUNCTION cunji.draft_action_inserted();

--
-- Name: draft_line draft_action_lines_deleted; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_action_lines_deleted AFTER DELETE ON cunji.draft_line REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_action_lines();

--
-- Name: draft_line draft_action_lines_inserted; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_action_lines_inserted AFTER INSERT ON cunji.draft_line REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_action_lines();

--
-- Name: draft_line draft_action_lines_updated; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_action_lines_updated AFTER UPDATE ON cunji.draft_line REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_action_lines();

--
-- Name: draft_action draft_action_project_order; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_action_project_order BEFORE INSERT ON cunji.draft_action FOR EACH ROW WHEN ((new.action = ANY (ARRAY['project pay'::text, 'project accept'::text]))) EXECUTE FUNCTION cunji.draft_action_project_order();

--
-- Name: draft_voucher draft_before_insert; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_before_insert BEFORE INSERT ON cunji.draft_voucher FOR EACH ROW WHEN ((current_setting('cunji.draft_bulk'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION cunji.draft_before_insert();

--
-- Name: draft_line draft_bulk_changed; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_bulk_changed AFTER DELETE OR UPDATE ON cunji.draft_line FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_bulk_step('none');

--
-- Name: draft_voucher draft_bulk_deleted; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_bulk_deleted AFTER DELETE ON cunji.draft_voucher FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_bulk_step('none');

--
-- Name: draft_event draft_bulk_inserted; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_bulk_inserted AFTER INSERT ON cunji.draft_event REFERENCING NEW TABLE AS bulk_new FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_bulk_step('new');

--
-- Name: draft_line draft_bulk_inserted; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_bulk_inserted AFTER INSERT ON cunji.draft_line REFERENCING NEW TABLE AS bulk_new FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_bulk_step('new');

--
-- Name: draft_voucher draft_bulk_inserted; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_bulk_inserted AFTER INSERT ON cunji.draft_voucher REFERENCING NEW TABLE AS bulk_new FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_bulk_step('new');

--
-- Name: draft_voucher draft_bulk_updated; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_bulk_updated AFTER UPDATE ON cunji.draft_voucher REFERENCING OLD TABLE AS bulk_old NEW TABLE AS bulk_new FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_bulk_step('both');

--
-- Name: draft_voucher draft_deleted; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_deleted AFTER DELETE ON cunji.draft_voucher REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_deleted();

--
-- Name: draft_event draft_event_append_only; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_event_append_only BEFORE DELETE OR UPDATE ON cunji.draft_event FOR EACH ROW EXECUTE FUNCTION cunji.append_only();

--
-- Name: draft_event draft_event_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_event_no_truncate BEFORE TRUNCATE ON cunji.draft_event FOR EACH STATEMENT EXECUTE FUNCTION cunji.append_only();

--
-- Name: draft_voucher draft_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_guard BEFORE UPDATE ON cunji.draft_voucher FOR EACH ROW WHEN ((current_setting('cunji.draft_bulk'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION cunji.draft_guard();

--
-- Name: draft_voucher draft_guard_delete; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_guard_delete BEFORE DELETE ON cunji.draft_voucher FOR EACH ROW EXECUTE FUNCTION cunji.draft_guard();

--
-- Name: draft_voucher draft_inserted; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_inserted AFTER INSERT ON cunji.draft_voucher REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_written();

--
-- Name: draft_line draft_line_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_line_no_truncate BEFORE TRUNCATE ON cunji.draft_line FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: draft_line draft_lines_deleted; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_lines_deleted AFTER DELETE ON cunji.draft_line REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_lines_changed();

--
-- Name: draft_line draft_lines_inserted; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_lines_inserted AFTER INSERT ON cunji.draft_line REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_lines_changed();

--
-- Name: draft_line draft_lines_moved; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_lines_moved AFTER UPDATE ON cunji.draft_line REFERENCING OLD TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_lines_changed();

--
-- Name: draft_line draft_lines_updated; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_lines_updated AFTER UPDATE ON cunji.draft_line REFERENCING NEW TABLE AS changed_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_lines_changed();

--
-- Name: draft_voucher draft_stepped; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_stepped AFTER UPDATE ON cunji.draft_voucher REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_stepped();

--
-- Name: draft_voucher draft_updated; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_updated AFTER UPDATE ON cunji.draft_voucher REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.draft_written();

--
-- Name: draft_voucher draft_voucher_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER draft_voucher_no_truncate BEFORE TRUNCATE ON cunji.draft_voucher FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: fiscal_year fiscal_year_append_only; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER fiscal_year_append_only BEFORE DELETE OR UPDATE ON cunji.fiscal_year FOR EACH ROW EXECUTE FUNCTION cunji.append_only();

--
-- Name: fiscal_year fiscal_year_close; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER fiscal_year_close BEFORE INSERT ON cunji.fiscal_year FOR EACH ROW EXECUTE FUNCTION cunji.fiscal_year_close();

--
-- Name: fiscal_year fiscal_year_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER fiscal_year_no_truncate BEFORE TRUNCATE ON cunji.fiscal_year FOR EACH STATEMENT EXECUTE FUNCTION cunji.append_only();

--
-- Name: fund_allocation fund_allocation_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER fund_allocation_no_truncate BEFORE TRUNCATE ON cunji.fund_allocation FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: fund fund_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER fund_guard BEFORE INSERT OR DELETE OR UPDATE ON cunji.fund FOR EACH ROW EXECUTE FUNCTION cunji.fund_guard();

--
-- Name: fund fund_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER fund_no_truncate BEFORE TRUNCATE ON cunji.fund FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: fund_total fund_total_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER fund_total_guard BEFORE INSERT OR DELETE OR UPDATE ON cunji.fund_total FOR EACH ROW WHEN ((pg_trigger_depth() < 1)) EXECUTE FUNCTION cunji.fund_totals_guard();

--
-- Name: fund_total fund_total_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER fund_total_no_truncate BEFORE TRUNCATE ON cunji.fund_total FOR EACH STATEMENT EXECUTE FUNCTION cunji.append_only();

--
-- Name: household household_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER household_guard BEFORE DELETE OR UPDATE ON cunji.household FOR EACH ROW EXECUTE FUNCTION cunji.register_guard();

--
-- Name: household_member household_member_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER household_member_guard BEFORE DELETE OR UPDATE ON cunji.household_member FOR EACH ROW EXECUTE FUNCTION cunji.register_guard();

--
-- Name: household_member household_member_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER household_member_no_truncate BEFORE TRUNCATE ON cunji.household_member FOR EACH STATEMENT EXECUTE FUNCTION cunji.register_guard();

--
-- Name: household household_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER household_no_truncate BEFORE TRUNCATE ON cunji.household FOR EACH STATEMENT EXECUTE FUNCTION cunji.register_guard();

--
-- Name: import_log import_log_append_only; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER import_log_append_only BEFORE DELETE OR UPDATE ON cunji.import_log FOR EACH ROW EXECUTE FUNCTION cunji.append_only();

--
-- Name: import_log import_log_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER import_log_no_truncate BEFORE TRUNCATE ON cunji.import_log FOR EACH STATEMENT EXECUTE FUNCTION cunji.append_only();

--
-- Name: org org_code_prefix; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER org_code_prefix BEFORE INSERT ON cunji.org FOR EACH ROW WHEN ((new.parent_id IS NOT NULL)) EXECUTE FUNCTION cunji.org_code_prefix();

--
-- Name: org org_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER org_guard BEFORE INSERT OR DELETE OR UPDATE ON cunji.org FOR EACH ROW EXECUTE FUNCTION cunji.org_guard();

--
-- Name: org org_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER org_no_truncate BEFORE TRUNCATE ON cunji.org FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: period_state period_close_drafts; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER period_close_drafts BEFORE INSERT OR UPDATE ON cunji.period_state FOR EACH ROW WHEN (new.closed) EXECUTE FUNCTION cunji.period_close_drafts();

--
-- Name: period_event period_event_append_only; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER period_event_append_only BEFORE DELETE OR UPDATE ON cunji.period_event FOR EACH ROW EXECUTE FUNCTION cunji.append_only();

--
-- Name: period_event period_event_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER period_event_no_truncate BEFORE TRUNCATE ON cunji.period_event FOR EACH STATEMENT EXECUTE FUNCTION cunji.append_only();

--
-- Name: period_state period_state_change; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER period_state_change BEFORE INSERT OR DELETE OR UPDATE ON cunji.period_state FOR EACH ROW EXECUTE FUNCTION cunji.period_state_change();

--
-- Name: period_state period_state_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER period_state_no_truncate BEFORE TRUNCATE ON cunji.period_state FOR EACH STATEMENT EXECUTE FUNCTION cunji.period_state_change();

--
-- Name: period_state period_state_record; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER period_state_record AFTER INSERT OR UPDATE ON cunji.period_state FOR EACH ROW EXECUTE FUNCTION cunji.period_state_record();

--
-- Name: project project_accept_order; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER project_accept_order BEFORE UPDATE ON cunji.project FOR EACH ROW WHEN (((new.status = 'accepted'::text) AND (old.status IS DISTINCT FROM 'accepted'::text))) EXECUTE FUNCTION cunji.project_accept_order();

--
-- Name: project project_accept_review; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER project_accept_review BEFORE UPDATE ON cunji.project FOR EACH ROW EXECUTE FUNCTION cunji.project_accept_review();

--
-- Name: project_budget project_budget_added; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER project_budget_added AFTER INSERT ON cunji.project_budget REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.project_budget_added();

--
-- Name: project_budget project_budget_final; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER project_budget_final BEFORE DELETE OR UPDATE ON cunji.project_budget FOR EACH ROW EXECUTE FUNCTION cunji.append_only();

--
-- Name: project_budget project_budget_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER project_budget_no_truncate BEFORE TRUNCATE ON cunji.project_budget FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: project project_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER project_guard BEFORE DELETE OR UPDATE ON cunji.project FOR EACH ROW EXECUTE FUNCTION cunji.project_guard();

--
-- Name: project project_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER project_no_truncate BEFORE TRUNCATE ON cunji.project FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: project_payment project_payment_final; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER project_payment_final BEFORE DELETE OR UPDATE ON cunji.project_payment FOR EACH ROW EXECUTE FUNCTION cunji.append_only();

--
-- Name: project_payment project_payment_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER project_payment_no_truncate BEFORE TRUNCATE ON cunji.project_payment FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: project_total project_total_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER project_total_guard BEFORE INSERT OR DELETE OR UPDATE ON cunji.project_total FOR EACH ROW WHEN ((pg_trigger_depth() < 1)) EXECUTE FUNCTION cunji.fund_totals_guard();

--
-- Name: project_total project_total_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER project_total_no_truncate BEFORE TRUNCATE ON cunji.project_total FOR EACH STATEMENT EXECUTE FUNCTION cunji.append_only();

--
-- Name: publication publication_append_only; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER publication_append_only BEFORE DELETE OR UPDATE ON cunji.publication FOR EACH ROW EXECUTE FUNCTION cunji.publication_append_only();

--
-- Name: setting setting_level; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER setting_level BEFORE INSERT OR UPDATE ON cunji.setting FOR EACH ROW EXECUTE FUNCTION cunji.setting_level();

--
-- Name: share_holding share_holding_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER share_holding_guard BEFORE DELETE OR UPDATE ON cunji.share_holding FOR EACH ROW EXECUTE FUNCTION cunji.register_guard();

--
-- Name: share_holding share_holding_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER share_holding_no_truncate BEFORE TRUNCATE ON cunji.share_holding FOR EACH STATEMENT EXECUTE FUNCTION cunji.register_guard();

--
-- Name: account_period_total totals_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER totals_guard BEFORE INSERT OR DELETE OR UPDATE ON cunji.account_period_total FOR EACH ROW WHEN ((pg_trigger_depth() < 1)) EXECUTE FUNCTION cunji.totals_guard();

--
-- Name: account_period_total totals_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER totals_no_truncate BEFORE TRUNCATE ON cunji.account_period_total FOR EACH STATEMENT EXECUTE FUNCTION cunji.append_only();

--
-- Name: village_books village_books_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER village_books_guard BEFORE DELETE OR UPDATE ON cunji.village_books FOR EACH ROW EXECUTE FUNCTION cunji.village_books_guard();

--
-- Name: village_books village_books_init; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER village_books_init AFTER INSERT ON cunji.village_books FOR EACH ROW EXECUTE FUNCTION cunji.village_books_init();

--
-- Name: village_books village_books_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER village_books_no_truncate BEFORE TRUNCATE ON cunji.village_books FOR EACH STATEMENT EXECUTE FUNCTION cunji.no_truncate();

--
-- Name: voucher voucher_after_insert; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER voucher_after_insert AFTER INSERT ON cunji.voucher REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.voucher_after_insert();

--
-- Name: voucher voucher_chain; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER voucher_chain AFTER INSERT ON cunji.voucher REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.chain_vouchers();

--
-- Name: voucher_counter voucher_counter_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER voucher_counter_guard BEFORE UPDATE ON cunji.voucher_counter FOR EACH ROW WHEN (((new.village_id <> old.village_id) OR (new.period <> old.period) OR (new.last_number < old.last_number))) EXECUTE FUNCTION cunji.voucher_counter_guard();

--
-- Name: voucher_counter voucher_counter_no_delete; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER voucher_counter_no_delete BEFORE DELETE ON cunji.voucher_counter FOR EACH ROW EXECUTE FUNCTION cunji.voucher_counter_guard();

--
-- Name: voucher_counter voucher_counter_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER voucher_counter_no_truncate BEFORE TRUNCATE ON cunji.voucher_counter FOR EACH STATEMENT EXECUTE FUNCTION cunji.voucher_counter_guard();

--
-- Name: voucher_counter voucher_counter_used; Type: TRIGGER; Schema: cunji
--

CREATE CONSTRAINT TRIGGER voucher_counter_used AFTER INSERT OR UPDATE ON cunji.voucher_counter DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cunji.voucher_counter_check();

--
-- Name: voucher voucher_final; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER voucher_final BEFORE DELETE OR UPDATE ON cunji.voucher FOR EACH ROW EXECUTE FUNCTION cunji.posted_is_final();

--
-- Name: voucher_line voucher_line_after_insert; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER voucher_line_after_insert AFTER INSERT ON cunji.voucher_line REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.voucher_line_after_insert();

--
-- Name: voucher_line voucher_line_final; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER voucher_line_final BEFORE DELETE OR UPDATE ON cunji.voucher_line FOR EACH ROW EXECUTE FUNCTION cunji.posted_is_final();

--
-- Name: voucher_line voucher_line_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER voucher_line_no_truncate BEFORE TRUNCATE ON cunji.voucher_line FOR EACH STATEMENT EXECUTE FUNCTION cunji.posted_is_final();

--
-- Name: voucher_pending voucher_needs_lines; Type: TRIGGER; Schema: cunji
--

CREATE CONSTRAINT TRIGGER voucher_needs_lines AFTER INSERT ON cunji.voucher_pending DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION cunji.voucher_pending_check();

--
-- Name: voucher voucher_no_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER voucher_no_truncate BEFORE TRUNCATE ON cunji.voucher FOR EACH STATEMENT EXECUTE FUNCTION cunji.posted_is_final();

--
-- Name: voucher_pending voucher_pending_guard; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER voucher_pending_guard BEFORE INSERT OR DELETE OR UPDATE OR TRUNCATE ON cunji.voucher_pending FOR EACH STATEMENT WHEN ((pg_trigger_depth() < 1)) EXECUTE FUNCTION cunji.voucher_pending_guard();

--
-- Name: account zz_audit_insert; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_insert AFTER INSERT ON cunji.account REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION cunji.account_audit_insert();

--
-- Name: account zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER DELETE OR UPDATE ON cunji.account FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'code');

--
-- Name: aid_payment zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.aid_payment FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'id');

--
-- Name: aid_rule zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.aid_rule FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('county_id');

--
-- Name: app_login zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.app_login FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('login');

--
-- Name: audit_mark zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.audit_mark FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'finding_key', 'id');

--
-- Name: audit_param zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.audit_param FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('rule', 'key');

--
-- Name: audit_rule zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.audit_rule FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('code');

--
-- Name: audit_threshold zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.audit_threshold FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('org_id', 'rule', 'key');

--
-- Name: bank_reconcile zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.bank_reconcile FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'statement_id');

--
-- Name: bank_statement_line zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.bank_statement_line FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'id');

--
-- Name: chart_template zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.chart_template FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('chart', 'code');

--
-- Name: dividend_line zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.dividend_line FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'year', 'household_code');

--
-- Name: dividend_plan zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.dividend_plan FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'year');

--
-- Name: draft_action zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.draft_action FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'draft_id');

--
-- Name: draft_event zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.draft_event FOR EACH ROW WHEN ((current_setting('cunji.draft_bulk'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION cunji.audit_row('village_id', 'id');

--
-- Name: draft_line zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.draft_line FOR EACH ROW WHEN ((current_setting('cunji.draft_bulk'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION cunji.audit_row('village_id', 'draft_id', 'line_no');

--
-- Name: draft_voucher zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.draft_voucher FOR EACH ROW WHEN ((current_setting('cunji.draft_bulk'::text, true) IS DISTINCT FROM 'on'::text)) EXECUTE FUNCTION cunji.audit_row('village_id', 'id');

--
-- Name: fiscal_year zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.fiscal_year FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'year');

--
-- Name: fund zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.fund FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'id');

--
-- Name: fund_allocation zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.fund_allocation FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('id');

--
-- Name: fund_kind zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.fund_kind FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('name');

--
-- Name: household zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.household FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'code');

--
-- Name: household_member zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.household_member FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'household_code', 'seq');

--
-- Name: import_log zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.import_log FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('id');

--
-- Name: login_scope zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.login_scope FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('login', 'org_id');

--
-- Name: official zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.official FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'id');

--
-- Name: org zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.org FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('id');

--
-- Name: period_event zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.period_event FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'id');

--
-- Name: period_state zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.period_state FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'period');

--
-- Name: project zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.project FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'id');

--
-- Name: project_budget zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.project_budget FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'project_id', 'seq');

--
-- Name: project_category zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.project_category FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('name');

--
-- Name: project_payment zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.project_payment FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'voucher_id');

--
-- Name: publication zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.publication FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'id');

--
-- Name: schema_fingerprint zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.schema_fingerprint FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('kind', 'name');

--
-- Name: schema_migrations zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.schema_migrations FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('version');

--
-- Name: setting zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.setting FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('org_id', 'key');

--
-- Name: share_holding zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.share_holding FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id', 'id');

--
-- Name: village_books zz_audit_row; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_row AFTER INSERT OR DELETE OR UPDATE ON cunji.village_books FOR EACH ROW EXECUTE FUNCTION cunji.audit_row('village_id');

--
-- Name: account zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.account FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: aid_payment zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.aid_payment FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: aid_rule zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.aid_rule FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: app_login zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.app_login FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: audit_mark zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.audit_mark FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: audit_param zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.audit_param FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: audit_rule zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.audit_rule FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: audit_threshold zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.audit_threshold FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: bank_reconcile zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.bank_reconcile FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: bank_statement_line zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.bank_statement_line FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: chart_template zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.chart_template FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: dividend_line zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.dividend_line FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: dividend_plan zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.dividend_plan FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: draft_action zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.draft_action FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: draft_event zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.draft_event FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: draft_line zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.draft_line FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: draft_voucher zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.draft_voucher FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: fiscal_year zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.fiscal_year FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: fund zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.fund FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: fund_allocation zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.fund_allocation FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: fund_kind zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.fund_kind FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: household zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.household FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: household_member zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.household_member FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: import_log zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.import_log FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: login_scope zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.login_scope FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: official zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.official FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: org zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.org FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: period_event zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.period_event FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: period_state zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.period_state FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: project zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.project FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: project_budget zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.project_budget FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: project_category zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.project_category FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: project_payment zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.project_payment FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: publication zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.publication FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: schema_fingerprint zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.schema_fingerprint FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: schema_migrations zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.schema_migrations FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: setting zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.setting FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: share_holding zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.share_holding FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: village_books zz_audit_truncate; Type: TRIGGER; Schema: cunji
--

CREATE TRIGGER zz_audit_truncate AFTER TRUNCATE ON cunji.village_books FOR EACH STATEMENT EXECUTE FUNCTION cunji.audit_truncate();

--
-- Name: account_period_total account_period_total_village_id_account_code_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.account_period_total
    ADD CONSTRAINT account_period_total_village_id_account_code_fkey FOREIGN KEY (village_id, account_code) REFERENCES cunji.account(village_id, code);

--
-- Name: account account_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.account
    ADD CONSTRAINT account_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.village_books(village_id);

--
-- Name: account account_village_id_parent_code_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.account
    ADD CONSTRAINT account_village_id_parent_code_fkey FOREIGN KEY (village_id, parent_code) REFERENCES cunji.account(village_id, code);

--
-- Name: account_year_total account_year_total_village_id_account_code_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.account_year_total
    ADD CONSTRAINT account_year_total_village_id_account_code_fkey FOREIGN KEY (village_id, account_code) REFERENCES cunji.account(village_id, code);

--
-- Name: aid_payment aid_payment_village_id_fund_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.aid_payment
    ADD CONSTRAINT aid_payment_village_id_fund_id_fkey FOREIGN KEY (village_id, fund_id) REFERENCES cunji.fund(village_id, id);

--
-- Name: aid_payment aid_payment_village_id_household_code_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.aid_payment
    ADD CONSTRAINT aid_payment_village_id_household_code_fkey FOREIGN KEY (village_id, household_code) REFERENCES cunji.household(village_id, code);

--
-- Name: aid_rule aid_rule_county_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.aid_rule
    ADD CONSTRAINT aid_rule_county_id_fkey FOREIGN KEY (county_id) REFERENCES cunji.org(id);

--
-- Name: audit_mark audit_mark_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.audit_mark
    ADD CONSTRAINT audit_mark_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.org(id);

--
-- Name: audit_param audit_param_rule_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.audit_param
    ADD CONSTRAINT audit_param_rule_fkey FOREIGN KEY (rule) REFERENCES cunji.audit_rule(code);

--
-- Name: audit_threshold audit_threshold_org_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.audit_threshold
    ADD CONSTRAINT audit_threshold_org_id_fkey FOREIGN KEY (org_id) REFERENCES cunji.org(id);

--
-- Name: audit_threshold audit_threshold_rule_key_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.audit_threshold
    ADD CONSTRAINT audit_threshold_rule_key_fkey FOREIGN KEY (rule, key) REFERENCES cunji.audit_param(rule, key);

--
-- Name: bank_reconcile bank_reconcile_village_id_statement_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.bank_reconcile
    ADD CONSTRAINT bank_reconcile_village_id_statement_id_fkey FOREIGN KEY (village_id, statement_id) REFERENCES cunji.bank_statement_line(village_id, id);

--
-- Name: bank_reconcile bank_reconcile_village_id_voucher_id_line_no_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.bank_reconcile
    ADD CONSTRAINT bank_reconcile_village_id_voucher_id_line_no_fkey FOREIGN KEY (village_id, voucher_id, line_no) REFERENCES cunji.voucher_line(village_id, voucher_id, line_no);

--
-- Name: bank_statement_line bank_statement_line_village_id_account_code_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.bank_statement_line
    ADD CONSTRAINT bank_statement_line_village_id_account_code_fkey FOREIGN KEY (village_id, account_code) REFERENCES cunji.account(village_id, code);

--
-- Name: bank_statement_line bank_statement_line_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.bank_statement_line
    ADD CONSTRAINT bank_statement_line_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.org(id);

--
-- Name: disclosure_made disclosure_made_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.disclosure_made
    ADD CONSTRAINT disclosure_made_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.org(id);

--
-- Name: dividend_line dividend_line_village_id_household_code_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.dividend_line
    ADD CONSTRAINT dividend_line_village_id_household_code_fkey FOREIGN KEY (village_id, household_code) REFERENCES cunji.household(village_id, code);

--
-- Name: dividend_line dividend_line_village_id_paid_voucher_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.dividend_line
    ADD CONSTRAINT dividend_line_village_id_paid_voucher_id_fkey FOREIGN KEY (village_id, paid_voucher_id) REFERENCES cunji.voucher(village_id, id);

--
-- Name: dividend_line dividend_line_village_id_year_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.dividend_line
    ADD CONSTRAINT dividend_line_village_id_year_fkey FOREIGN KEY (village_id, year) REFERENCES cunji.dividend_plan(village_id, year);

--
-- Name: dividend_plan dividend_plan_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.dividend_plan
    ADD CONSTRAINT dividend_plan_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.village_books(village_id);

--
-- Name: dividend_plan dividend_plan_village_id_voucher_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.dividend_plan
    ADD CONSTRAINT dividend_plan_village_id_voucher_id_fkey FOREIGN KEY (village_id, voucher_id) REFERENCES cunji.voucher(village_id, id);

--
-- Name: draft_action draft_action_village_id_draft_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.draft_action
    ADD CONSTRAINT draft_action_village_id_draft_id_fkey FOREIGN KEY (village_id, draft_id) REFERENCES cunji.draft_voucher(village_id, id) ON DELETE CASCADE;

--
-- Name: draft_action draft_action_village_id_household_code_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.draft_action
    ADD CONSTRAINT draft_action_village_id_household_code_fkey FOREIGN KEY (village_id, household_code) REFERENCES cunji.household(village_id, code);

--
-- Name: draft_action draft_action_village_id_project_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.draft_action
    ADD CONSTRAINT draft_action_village_id_project_id_fkey FOREIGN KEY (village_id, project_id) REFERENCES cunji.project(village_id, id);

--
-- Name: draft_voucher draft_voucher_village_id_reverses_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.draft_voucher
    ADD CONSTRAINT draft_voucher_village_id_reverses_id_fkey FOREIGN KEY (village_id, reverses_id) REFERENCES cunji.voucher(village_id, id);

--
-- Name: fiscal_year fiscal_year_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fiscal_year
    ADD CONSTRAINT fiscal_year_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.village_books(village_id);

--
-- Name: fund_allocation fund_allocation_county_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fund_allocation
    ADD CONSTRAINT fund_allocation_county_id_fkey FOREIGN KEY (county_id) REFERENCES cunji.org(id);

--
-- Name: fund fund_allocation_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fund
    ADD CONSTRAINT fund_allocation_id_fkey FOREIGN KEY (allocation_id) REFERENCES cunji.fund_allocation(id);

--
-- Name: fund_allocation fund_allocation_kind_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fund_allocation
    ADD CONSTRAINT fund_allocation_kind_fkey FOREIGN KEY (kind) REFERENCES cunji.fund_kind(name);

--
-- Name: fund fund_kind_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fund
    ADD CONSTRAINT fund_kind_fkey FOREIGN KEY (kind) REFERENCES cunji.fund_kind(name);

--
-- Name: fund_total fund_total_village_id_fund_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fund_total
    ADD CONSTRAINT fund_total_village_id_fund_id_fkey FOREIGN KEY (village_id, fund_id) REFERENCES cunji.fund(village_id, id);

--
-- Name: fund fund_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.fund
    ADD CONSTRAINT fund_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.village_books(village_id);

--
-- Name: household_member household_member_village_id_household_code_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.household_member
    ADD CONSTRAINT household_member_village_id_household_code_fkey FOREIGN KEY (village_id, household_code) REFERENCES cunji.household(village_id, code);

--
-- Name: household household_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.household
    ADD CONSTRAINT household_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.village_books(village_id);

--
-- Name: login_scope login_scope_login_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.login_scope
    ADD CONSTRAINT login_scope_login_fkey FOREIGN KEY (login) REFERENCES cunji.app_login(login);

--
-- Name: login_scope login_scope_org_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.login_scope
    ADD CONSTRAINT login_scope_org_id_fkey FOREIGN KEY (org_id) REFERENCES cunji.org(id);

--
-- Name: official official_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.official
    ADD CONSTRAINT official_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.org(id);

--
-- Name: org org_parent_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.org
    ADD CONSTRAINT org_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES cunji.org(id);

--
-- Name: period_event period_event_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.period_event
    ADD CONSTRAINT period_event_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.village_books(village_id);

--
-- Name: period_state period_state_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.period_state
    ADD CONSTRAINT period_state_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.village_books(village_id);

--
-- Name: project_budget project_budget_village_id_fund_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.project_budget
    ADD CONSTRAINT project_budget_village_id_fund_id_fkey FOREIGN KEY (village_id, fund_id) REFERENCES cunji.fund(village_id, id);

--
-- Name: project_budget project_budget_village_id_project_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.project_budget
    ADD CONSTRAINT project_budget_village_id_project_id_fkey FOREIGN KEY (village_id, project_id) REFERENCES cunji.project(village_id, id);

--
-- Name: project project_category_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.project
    ADD CONSTRAINT project_category_fkey FOREIGN KEY (category) REFERENCES cunji.project_category(name);

--
-- Name: project_payment project_payment_village_id_project_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.project_payment
    ADD CONSTRAINT project_payment_village_id_project_id_fkey FOREIGN KEY (village_id, project_id) REFERENCES cunji.project(village_id, id);

--
-- Name: project_payment project_payment_village_id_voucher_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.project_payment
    ADD CONSTRAINT project_payment_village_id_voucher_id_fkey FOREIGN KEY (village_id, voucher_id) REFERENCES cunji.voucher(village_id, id);

--
-- Name: project_total project_total_village_id_project_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.project_total
    ADD CONSTRAINT project_total_village_id_project_id_fkey FOREIGN KEY (village_id, project_id) REFERENCES cunji.project(village_id, id);

--
-- Name: project project_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.project
    ADD CONSTRAINT project_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.village_books(village_id);

--
-- Name: publication publication_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.publication
    ADD CONSTRAINT publication_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.org(id);

--
-- Name: setting setting_org_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.setting
    ADD CONSTRAINT setting_org_id_fkey FOREIGN KEY (org_id) REFERENCES cunji.org(id);

--
-- Name: share_holding share_holding_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.share_holding
    ADD CONSTRAINT share_holding_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.village_books(village_id);

--
-- Name: share_holding share_holding_village_id_household_code_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.share_holding
    ADD CONSTRAINT share_holding_village_id_household_code_fkey FOREIGN KEY (village_id, household_code) REFERENCES cunji.household(village_id, code);

--
-- Name: village_books village_books_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.village_books
    ADD CONSTRAINT village_books_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.org(id);

--
-- Name: voucher_counter voucher_counter_village_id_fkey; Type: FK CONSTRAINT; Schema: cunji
--

ALTER TABLE ONLY cunji.voucher_counter
    ADD CONSTRAINT voucher_counter_village_id_fkey FOREIGN KEY (village_id) REFERENCES cunji.village_books(village_id);

--
-- Name: account; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.account ENABLE ROW LEVEL SECURITY;

--
-- Name: account_period_total; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.account_period_total ENABLE ROW LEVEL SECURITY;

--
-- Name: account_year_total; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.account_year_total ENABLE ROW LEVEL SECURITY;

--
-- Name: aid_payment; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.aid_payment ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_log; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.audit_log ENABLE ROW LEVEL SECURITY;

--
-- Name: audit_mark; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.audit_mark ENABLE ROW LEVEL SECURITY;

--
-- Name: bank_reconcile; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.bank_reconcile ENABLE ROW LEVEL SECURITY;

--
-- Name: bank_statement_line; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.bank_statement_line ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_head; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.chain_head ENABLE ROW LEVEL SECURITY;

--
-- Name: chain_link; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.chain_link ENABLE ROW LEVEL SECURITY;

--
-- Name: commit_check_item; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.commit_check_item ENABLE ROW LEVEL SECURITY;

--
-- Name: disclosure_made; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.disclosure_made ENABLE ROW LEVEL SECURITY;

--
-- Name: dividend_line; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.dividend_line ENABLE ROW LEVEL SECURITY;

--
-- Name: dividend_plan; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.dividend_plan ENABLE ROW LEVEL SECURITY;

--
-- Name: draft_action; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.draft_action ENABLE ROW LEVEL SECURITY;

--
-- Name: draft_event; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.draft_event ENABLE ROW LEVEL SECURITY;

--
-- Name: draft_line; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.draft_line ENABLE ROW LEVEL SECURITY;

--
-- Name: draft_voucher; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.draft_voucher ENABLE ROW LEVEL SECURITY;

--
-- Name: fiscal_year; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.fiscal_year ENABLE ROW LEVEL SECURITY;

--
-- Name: fund; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.fund ENABLE ROW LEVEL SECURITY;

--
-- Name: fund_total; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.fund_total ENABLE ROW LEVEL SECURITY;

--
-- Name: household; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.household ENABLE ROW LEVEL SECURITY;

--
-- Name: household_member; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.household_member ENABLE ROW LEVEL SECURITY;

--
-- Name: login_scope; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.login_scope ENABLE ROW LEVEL SECURITY;

--
-- Name: official; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.official ENABLE ROW LEVEL SECURITY;

--
-- Name: org; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.org ENABLE ROW LEVEL SECURITY;

--
-- Name: org org_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY org_scope ON cunji.org USING ((( SELECT cunji.sees_all() AS sees_all) OR (id = ANY (( SELECT cunji.my_orgs() AS my_orgs)::integer[]))));

--
-- Name: login_scope own_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY own_scope ON cunji.login_scope USING (((login = SESSION_USER) OR ( SELECT cunji.sees_all() AS sees_all)));

--
-- Name: period_event; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.period_event ENABLE ROW LEVEL SECURITY;

--
-- Name: period_state; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.period_state ENABLE ROW LEVEL SECURITY;

--
-- Name: project; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.project ENABLE ROW LEVEL SECURITY;

--
-- Name: project_budget; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.project_budget ENABLE ROW LEVEL SECURITY;

--
-- Name: project_payment; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.project_payment ENABLE ROW LEVEL SECURITY;

--
-- Name: project_total; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.project_total ENABLE ROW LEVEL SECURITY;

--
-- Name: publication; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.publication ENABLE ROW LEVEL SECURITY;

--
-- Name: share_holding; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.share_holding ENABLE ROW LEVEL SECURITY;

--
-- Name: village_books; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.village_books ENABLE ROW LEVEL SECURITY;

--
-- Name: account village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.account USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: account_period_total village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.account_period_total USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: account_year_total village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.account_year_total USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: aid_payment village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.aid_payment USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: audit_log village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.audit_log USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: audit_mark village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.audit_mark USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: bank_reconcile village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.bank_reconcile USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: bank_statement_line village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.bank_statement_line USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: chain_head village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.chain_head USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: chain_link village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.chain_link USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: commit_check_item village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.commit_check_item USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: disclosure_made village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.disclosure_made USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: dividend_line village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.dividend_line USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: dividend_plan village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.dividend_plan USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: draft_action village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.draft_action USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: draft_event village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.draft_event USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: draft_line village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.draft_line USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: draft_voucher village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.draft_voucher USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: fiscal_year village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.fiscal_year USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: fund village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.fund USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: fund_total village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.fund_total USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: household village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.household USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: household_member village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.household_member USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: official village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.official USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: period_event village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.period_event USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: period_state village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.period_state USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: project village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.project USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: project_budget village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.project_budget USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: project_payment village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.project_payment USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: project_total village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.project_total USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: publication village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.publication USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: share_holding village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.share_holding USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: village_books village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.village_books USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: voucher village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.voucher USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: voucher_counter village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.voucher_counter USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: voucher_line village_scope; Type: POLICY; Schema: cunji
--

CREATE POLICY village_scope ON cunji.voucher_line USING ((( SELECT cunji.sees_all() AS sees_all) OR (village_id = ANY (( SELECT cunji.my_villages() AS my_villages)::integer[]))));

--
-- Name: voucher; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.voucher ENABLE ROW LEVEL SECURITY;

--
-- Name: voucher_counter; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.voucher_counter ENABLE ROW LEVEL SECURITY;

--
-- Name: voucher_line; Type: ROW SECURITY; Schema: cunji
--

ALTER TABLE cunji.voucher_line ENABLE ROW LEVEL SECURITY;
