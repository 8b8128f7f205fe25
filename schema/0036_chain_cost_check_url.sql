-- 0036: the hash chain's cost on a bulk import (issue 15), same chain.
--
-- chain_vouchers (0021) built each voucher's part of its link from eight
-- length-prefixed fields, about fifty function calls a voucher, and that
-- string, not the SHA-256, was most of what the chain cost an import.  The
-- last four fields (preparer, prepared by, reviewed by, posted by) are the
-- same for every voucher of an import's statement: their encoding (the
-- "tail") is now made once per statement and given to string_agg as its
-- separator, so that each voucher costs the first four fields only:
--
--     count || head1 || tail || head2 || tail || ... || headN || tail
--
-- is byte for byte the content 0021 hashed (docs/audit.md: the encoding and
-- its test vectors are unchanged; audit verify recomputes it from the rows).
-- The same aggregate checks that every voucher of the village's group has
-- the first voucher's tail; a group where one does not (a statement posting
-- the vouchers of several preparers) is built the old way, voucher by
-- voucher, in the order of its refs.
CREATE OR REPLACE FUNCTION chain_vouchers() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
DECLARE
	f record;
	tail text;
	g record;
BEGIN
	SELECT n.preparer, n.prepared_by, n.reviewed_by, n.posted_by INTO f FROM new_rows n LIMIT 1;
	tail := hash_field(f.preparer) || hash_field(f.prepared_by::text)
		|| hash_field(f.reviewed_by::text) || hash_field(f.posted_by);
	FOR g IN SELECT n.village_id, array_agg(n.id) AS ids, count(*) AS k,
			string_agg(hash_num(n.id) || hash_num(n.number) || hash_field(n.external_id)
				   || hash_field(n.content_hash), tail) AS heads,
			bool_and(n.preparer = f.preparer AND n.posted_by = f.posted_by
				 AND n.prepared_by IS NOT DISTINCT FROM f.prepared_by
				 AND n.reviewed_by IS NOT DISTINCT FROM f.reviewed_by) AS same
		   FROM new_rows n GROUP BY n.village_id ORDER BY n.village_id LOOP
		IF g.same THEN
			PERFORM chain_append(g.village_id, 'vouchers', g.ids, hash_num(g.k) || g.heads || tail);
		ELSE
			PERFORM chain_append(g.village_id, 'vouchers', g.ids,
				hash_num(g.k) || (SELECT string_agg(voucher_link_part(n), '' ORDER BY u.o)
						    FROM unnest(g.ids) WITH ORDINALITY u(id, o)
						    JOIN new_rows n ON n.id = u.id));
		END IF;
	END LOOP;
	RETURN NULL;
END $$;

-- chain_append (0021) computed the link's SHA-256 twice: once in the
-- INSERT's VALUES, for a village's first link, and again in ON CONFLICT DO
-- UPDATE, the one kept; for an import's link of 3,000 vouchers that is
-- twice half a megabyte hashed.  Now the head row is locked and read first
-- (FOR UPDATE: the links of one village still follow in commit order) and
-- the hash made once; a village's first link keeps the upsert, so that two
-- transactions making the first link at once still queue on the row.
CREATE OR REPLACE FUNCTION chain_append(v integer, k text, refs bigint[], content text) RETURNS text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
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
		h := encode(sha256(convert_to(h || '13:cunji-link-v1' || hash_num(v) || hash_num(s)
				|| hash_field(k) || content, 'UTF8')), 'hex');
		UPDATE chain_head SET seq = s, head = h WHERE village_id = v;
	ELSE
		INSERT INTO chain_head AS c (village_id, seq, head)
		VALUES (v, 1, encode(sha256(convert_to(repeat('0', 64) || '13:cunji-link-v1' || hash_num(v)
				|| hash_num(1) || hash_field(k) || content, 'UTF8')), 'hex'))
		ON CONFLICT (village_id) DO UPDATE
		   SET seq = c.seq + 1,
		       head = encode(sha256(convert_to(c.head || '13:cunji-link-v1' || hash_num(v)
				|| hash_num(c.seq + 1) || hash_field(k) || content, 'UTF8')), 'hex')
		RETURNING c.seq, c.head INTO s, h;
	END IF;
	PERFORM set_config('cunji.chain_append', 'off', true);
	INSERT INTO chain_link (village_id, seq, kind, refs, hash) VALUES (v, s, k, refs, h);
	RETURN h;
END $$;
REVOKE EXECUTE ON FUNCTION chain_append(integer, text, bigint[], text) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- The public address of the check page (issue 18): where a county (or a
-- township, which overrides its county) serves `cunji serve --public`.  When
-- set, the QR code of a disclosure sheet holds <check_url>/check?a=<anchor>,
-- which a phone opens; unset, it holds the anchor text as before.
ALTER TABLE setting DROP CONSTRAINT setting_key_check, DROP CONSTRAINT setting_value_check,
	ADD CONSTRAINT setting_value_check CHECK (
		(key = 'review_required' AND value IN ('true', 'false'))
		OR (key = 'check_url' AND length(value) <= 200
		    AND value ~ '^https?://[!-~]+$' AND value !~ '[?#&]' AND value !~ '/$'));
COMMENT ON TABLE setting IS
	'review_required: set on a county, a township''s own value overrides it (review_required()); '
	'check_url: the public check page''s address (check_url())';

-- The check page's address for an organisation's sheets: its own setting,
-- its township's or its county's, the nearest; NULL when none is set.
CREATE FUNCTION check_url(org_id integer) RETURNS text
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	WITH RECURSIVE up AS (
		SELECT id, parent_id, 0 AS depth FROM org WHERE id = $1
		UNION ALL
		SELECT o.id, o.parent_id, up.depth + 1 FROM org o JOIN up ON o.id = up.parent_id)
	SELECT s.value FROM up JOIN setting s ON s.org_id = up.id AND s.key = 'check_url'
	 ORDER BY up.depth LIMIT 1
$$;
