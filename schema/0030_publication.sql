-- 0030: what was published for disclosure, and the public's one door to it.
--
-- A village's disclosure sheets (the XLSX and PDF `cunji disclose` makes)
-- are kept here when they are published (`cunji publish`): the files as they
-- were posted, their period, 公开日期, who published them and when, and the
-- stamp they carry (voucher count, ledger digest, chain position and head).
-- A board sees its village's rows (row-level security, as every village
-- table); `cunji serve --public` reads nothing but what the public_*
-- functions below return, as the login cunji_public, which may read no
-- table at all: the published sheets, their files, the hotline, and whether
-- the books still match a sheet (counts and yes/no, never a voucher).
CREATE TABLE publication (
	village_id   integer NOT NULL REFERENCES org,
	id           bigint GENERATED ALWAYS AS IDENTITY,
	period       text NOT NULL CHECK (period ~ '^[0-9]{4}(Q[1-4]|-[0-9]{2})?$'),
	period_end   date NOT NULL,
	posted_on    date NOT NULL,
	vouchers     bigint NOT NULL CHECK (vouchers >= 0),
	digest       text NOT NULL CHECK (digest ~ '^[0-9a-f]{64}$'),
	anchor_seq   bigint NOT NULL CHECK (anchor_seq >= 0),
	anchor_head  text NOT NULL CHECK (anchor_head ~ '^[0-9a-f]{64}$'),
	anchor       text NOT NULL CHECK (length(anchor) <= 512 AND plain_text(anchor)),
	xlsx         bytea NOT NULL CHECK (length(xlsx) BETWEEN 1 AND 16777216),
	pdf          bytea NOT NULL CHECK (length(pdf) BETWEEN 1 AND 33554432),
	published_by name NOT NULL DEFAULT session_user,
	published_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (village_id, id),
	UNIQUE (id)
);
COMMENT ON TABLE publication IS
	'disclosure sheets as published (files and stamp); append-only, the latest per period is in force';
CREATE INDEX publication_period ON publication (village_id, period, id);

-- Published is published: no row is changed or taken back (a correction is
-- a newer publication of the same period).
CREATE FUNCTION publication_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	RAISE EXCEPTION USING ERRCODE = '42501',
		MESSAGE = 'a published sheet is never changed or withdrawn: publish the period again';
END $$;
CREATE TRIGGER publication_append_only BEFORE UPDATE OR DELETE ON publication
	FOR EACH ROW EXECUTE FUNCTION publication_append_only();

SELECT protect_village_table('publication');
-- those who make the sheets publish them; who and when are not theirs to give
SELECT grant_insert_but('publication', 'cunji_admin, cunji_bookkeeper', '{id, published_by, published_at}');

-- ---------------------------------------------------------------------------
-- The public reader: a login that owns nothing and may read no table.
DO $$
BEGIN
	IF to_regrole('cunji_public') IS NULL THEN
		BEGIN
			CREATE ROLE cunji_public LOGIN NOINHERIT;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;
		END;
	END IF;
	EXECUTE format('GRANT CONNECT ON DATABASE %I TO cunji_public', current_database());
END $$;
GRANT USAGE ON SCHEMA cunji TO cunji_public;

-- Every sheet published, the latest of each village and period first
-- (older ones of the same period are marked superseded).
CREATE FUNCTION public_sheets()
RETURNS TABLE (id bigint, village_code text, village_name text, township_name text,
	       county_name text, period text, posted_on date, published_at timestamptz,
	       vouchers bigint, superseded boolean)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
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

-- One published file ('xlsx' or 'pdf') and its download name.
CREATE FUNCTION public_sheet_file(p_id bigint, p_format text, OUT name text, OUT data bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
	SELECT v.code || '-' || v.name || '-' || p.period || '.' || p_format,
	       CASE p_format WHEN 'xlsx' THEN p.xlsx WHEN 'pdf' THEN p.pdf END
	  FROM publication p JOIN org v ON v.id = p.village_id
	 WHERE p.id = p_id AND p_format IN ('xlsx', 'pdf')
$$;

-- The supervision number a village's sheets print (org_hotline), for the
-- village of a published sheet only.
CREATE FUNCTION public_hotline(p_id bigint, OUT hotline text, OUT owner_name text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
	SELECT h.hotline, h.owner_name
	  FROM publication p, LATERAL org_hotline(p.village_id) h
	 WHERE p.id = p_id
$$;

-- Does a published sheet still match the books?  The digest over the
-- first `vouchers` vouchers dated up to the period's end, computed as
-- cj_dis_village_digest does (reports/disclosure.c), equal to the sheet's
-- (same_books); how many vouchers are so dated now (vouchers_now: more
-- means posted after the sheet was made); and whether link anchor_seq of
-- the village's chain still has the head printed on it (anchor_holds).
-- Yes/no and counts: nothing of a voucher leaves by this door.
CREATE FUNCTION public_sheet_check(p_id bigint, OUT vouchers_then bigint, OUT vouchers_now bigint,
				   OUT same_books boolean, OUT anchor_holds boolean)
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
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

-- The published sheet a QR code names: the latest of the village and
-- period whose chain position and head are the code's; NULL when none.
CREATE FUNCTION public_sheet_of_anchor(p_village text, p_seq bigint, p_head text, p_period text)
RETURNS bigint
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
	SELECT max(p.id) FROM publication p JOIN org v ON v.id = p.village_id
	 WHERE v.code = p_village AND p.anchor_seq = p_seq AND p.anchor_head = p_head
	   AND (p_period IS NULL OR p.period = p_period)
$$;

DO $$
DECLARE
	f text;
BEGIN
	FOREACH f IN ARRAY ARRAY['public_sheets()', 'public_sheet_file(bigint, text)',
				 'public_hotline(bigint)', 'public_sheet_check(bigint)',
				 'public_sheet_of_anchor(text, bigint, text, text)'] LOOP
		EXECUTE format('REVOKE ALL ON FUNCTION %s FROM PUBLIC', f);
		EXECUTE format('GRANT EXECUTE ON FUNCTION %s TO cunji_public, cunji_admin, '
			       'cunji_bookkeeper, cunji_reviewer, cunji_cashier, cunji_inspector, '
			       'cunji_board', f);
	END LOOP;
END $$;

-- The public server's password: `cunji serve --public` (an admin) sets a
-- new random one each time it starts and keeps it in memory only.
CREATE FUNCTION public_reader_password(p_verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
BEGIN
	PERFORM login_admin_only();
	IF p_verifier !~ '^SCRAM-SHA-256\$' THEN
		RAISE EXCEPTION USING ERRCODE = '22023', MESSAGE = 'not a SCRAM-SHA-256 verifier';
	END IF;
	EXECUTE format('ALTER ROLE cunji_public PASSWORD %L', p_verifier);
END $$;
REVOKE ALL ON FUNCTION public_reader_password(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION public_reader_password(text) TO cunji_admin;
