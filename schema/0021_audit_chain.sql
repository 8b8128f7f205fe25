-- 0021: tamper evidence (issue 15): the audit trail and a hash chain per village.
--
-- audit_log: every change to every table but the chained voucher rows and the
-- kept totals (audit_attach's list), one row per changed row: who
-- (session_user), when, which table and row, old and new values as jsonb.
-- chain_link: each village's chain (village 0: the office's, for rows that
-- belong to no village).  A link is a statement's posted vouchers of that
-- village (their ids, numbers and content hashes, which cover every line) or
-- one audit record; its hash is SHA-256 over the previous link's hash (64 hex
-- digits, 64 zeros before the first) and the link's canonical encoding
-- (docs/audit.md).  chain_head holds each chain's last link, and its row lock
-- puts the links of one village in commit order.  All three are append-only,
-- written only by the definer triggers below; `cunji audit verify`
-- recomputes everything from the raw rows.

CREATE TABLE audit_log (
	village_id integer NOT NULL,            -- 0: no village's row
	id         bigint GENERATED ALWAYS AS IDENTITY,
	at         timestamptz NOT NULL DEFAULT now(),
	login      text NOT NULL DEFAULT session_user,
	tbl        text NOT NULL,
	-- EXISTING: a row that was there when the table began to be audited
	op         text NOT NULL CHECK (op IN ('INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'EXISTING')),
	row_key    jsonb,
	old        jsonb,
	new        jsonb,
	tx         bigint NOT NULL DEFAULT txid_current(),
	PRIMARY KEY (village_id, id)
);
CREATE INDEX audit_log_at ON audit_log (at);
COMMENT ON TABLE audit_log IS
	'every change of the audited tables (issue 15), written only by audit_row(); append-only';

CREATE TABLE chain_head (
	village_id integer PRIMARY KEY,         -- 0: the office's chain
	seq        bigint NOT NULL,
	head       text NOT NULL
);

CREATE TABLE chain_link (
	village_id integer NOT NULL,
	seq        bigint NOT NULL,
	kind       text NOT NULL CHECK (kind IN ('vouchers', 'audit')),
	refs       bigint[] NOT NULL,           -- voucher ids in the link's order, or the audit record's id
	at         timestamptz NOT NULL DEFAULT now(),
	hash       text NOT NULL,
	PRIMARY KEY (village_id, seq)
);
COMMENT ON TABLE chain_link IS
	'each village''s hash chain (docs/audit.md); append-only, written only by chain_append()';

CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();
CREATE TRIGGER chain_link_append_only BEFORE UPDATE OR DELETE ON chain_link
	FOR EACH ROW EXECUTE FUNCTION append_only();
CREATE TRIGGER chain_link_no_truncate BEFORE TRUNCATE ON chain_link
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();
-- the head moves only inside chain_append, which says so for its statement
CREATE TRIGGER chain_head_guard BEFORE INSERT OR UPDATE OR DELETE ON chain_head
	FOR EACH ROW WHEN (current_setting('cunji.chain_append', true) IS DISTINCT FROM 'on')
	EXECUTE FUNCTION append_only();
CREATE TRIGGER chain_head_no_truncate BEFORE TRUNCATE ON chain_head
	FOR EACH STATEMENT EXECUTE FUNCTION append_only();

-- "LEN:TEXT" of a number (hash_field of 0007 does text)
CREATE FUNCTION hash_num(n bigint) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE WHEN n IS NULL THEN '18446744073709551615:'
	            ELSE pg_catalog.octet_length(n::text)::text || ':' || n::text END
$$;

-- Append one link to a village's chain; returns its hash.
CREATE FUNCTION chain_append(v integer, k text, refs bigint[], content text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
DECLARE
	s bigint;
	h text;
BEGIN
	PERFORM set_config('cunji.chain_append', 'on', true);
	INSERT INTO chain_head AS c (village_id, seq, head)
	VALUES (v, 1, encode(sha256(convert_to(repeat('0', 64) || '13:cunji-link-v1' || hash_num(v)
			|| hash_num(1) || hash_field(k) || content, 'UTF8')), 'hex'))
	ON CONFLICT (village_id) DO UPDATE
	   SET seq = c.seq + 1,
	       head = encode(sha256(convert_to(c.head || '13:cunji-link-v1' || hash_num(v)
			|| hash_num(c.seq + 1) || hash_field(k) || content, 'UTF8')), 'hex')
	RETURNING c.seq, c.head INTO s, h;
	PERFORM set_config('cunji.chain_append', 'off', true);
	INSERT INTO chain_link (village_id, seq, kind, refs, hash) VALUES (v, s, k, refs, h);
	RETURN h;
END $$;

-- A voucher's part of its link (plain SQL, so that the planner inlines it).
CREATE FUNCTION voucher_link_part(n voucher) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
	SELECT cunji.hash_num(n.id) || cunji.hash_num(n.number) || cunji.hash_field(n.external_id)
	    || cunji.hash_field(n.content_hash) || cunji.hash_field(n.preparer)
	    || cunji.hash_field(n.prepared_by::text) || cunji.hash_field(n.reviewed_by::text)
	    || cunji.hash_field(n.posted_by)
$$;

-- A statement's vouchers, one link per village: for each voucher, in the
-- order the statement wrote them (refs lists them in the same order: the two
-- aggregates read the same rows; sorting them cost the import), its id,
-- number, external id, content hash (which covers the date, kind, summary,
-- attachments and every line), preparer and who prepared, reviewed and
-- posted it.  The lines come in a later statement; their
-- content hash is checked against them by audit verify.
CREATE FUNCTION chain_vouchers() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
BEGIN
	PERFORM chain_append(g.village_id, 'vouchers', g.ids, g.content)
	   FROM (SELECT n.village_id, array_agg(n.id) AS ids,
			hash_num(count(*)) || string_agg(voucher_link_part(n), '') AS content
		   FROM new_rows n GROUP BY n.village_id ORDER BY n.village_id) g;
	RETURN NULL;
END $$;

CREATE TRIGGER voucher_chain AFTER INSERT ON voucher REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION chain_vouchers();

-- The canonical content of an audit record's link.
CREATE FUNCTION audit_content(a audit_log) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = cunji, pg_catalog AS $$
	SELECT hash_num(a.id) || hash_num((extract(epoch FROM a.at) * 1000000)::bigint)
	    || hash_field(a.login) || hash_field(a.tbl) || hash_field(a.op)
	    || hash_field(a.row_key::text) || hash_field(a.old::text) || hash_field(a.new::text)
$$;

-- The audit trigger of every audited table (audit_attach): its arguments
-- are the primary key's columns.  Its time zone is UTC, so that a time in
-- the values reads the same whoever made the change (audit verify compares).  The row belongs to its village's chain:
-- village_id, or an org row's own id when it is a village; else the office's.
CREATE FUNCTION audit_row() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp
SET TimeZone = 'UTC' AS $$
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

-- A table that refuses TRUNCATE does so before this runs; any other is
-- recorded as such.
CREATE FUNCTION audit_truncate() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
DECLARE
	a audit_log;
BEGIN
	INSERT INTO audit_log (village_id, tbl, op) VALUES (0, TG_TABLE_NAME, 'TRUNCATE')
	RETURNING * INTO a;
	PERFORM chain_append(0, 'audit', ARRAY[a.id], audit_content(a));
	RETURN NULL;
END $$;

-- Tables that are not audited row by row: posted vouchers and lines (chained
-- as vouchers), the totals and counters their triggers keep (recomputed by
-- audit verify), the posting's own bookkeeping, and the trail itself.
CREATE FUNCTION audit_excluded() RETURNS text[]
LANGUAGE sql IMMUTABLE AS $$
	SELECT ARRAY['voucher', 'voucher_line', 'account_period_total', 'account_year_total',
		     'fund_total', 'project_total', 'voucher_counter', 'voucher_pending',
		     'commit_check', 'commit_check_item', 'twophase_decision',
		     'audit_log', 'audit_table', 'chain_head', 'chain_link']
$$;

-- Attach the audit triggers to every table of the schema that lacks them
-- and is not excluded, and record the rows it already holds (EXISTING), so
-- that the trail accounts for every row; migrate.c runs it after every run
-- of migrations, so tables of later migrations are audited too.  A table
-- whose columns a migration changed gets its rows recorded again (as they
-- now read), since ALTER TABLE fires no row trigger.
CREATE TABLE audit_table (
	tbl  text PRIMARY KEY,
	cols text NOT NULL  -- its columns when its rows were last recorded
);

CREATE FUNCTION audit_attach() RETURNS void
LANGUAGE plpgsql SET search_path = cunji, pg_catalog SET TimeZone = 'UTC' AS $$
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

SELECT audit_attach();

-- vouchers posted before the chain began: one link per village, in id order
SELECT chain_append(g.village_id, 'vouchers', g.ids, g.content)
  FROM (SELECT n.village_id, array_agg(n.id ORDER BY n.id) AS ids,
		hash_num(count(*)) || string_agg(voucher_link_part(n), '' ORDER BY n.id) AS content
	  FROM voucher n GROUP BY n.village_id ORDER BY n.village_id) g;

-- only the definer triggers append
REVOKE EXECUTE ON FUNCTION chain_append(integer, text, bigint[], text) FROM PUBLIC;
