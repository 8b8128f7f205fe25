-- 0040: a cheaper link for a statement's vouchers (issue 15: the chain's cost
-- on a bulk import within 10 %).
--
-- The links 0021 and 0036 wrote (kind 'vouchers') encode each voucher as
-- eight length-prefixed fields, one string built per voucher from about
-- twenty function calls; that string, not the SHA-256, was most of what the
-- chain cost the import (docs/performance.md).  New links are of kind
-- 'vouchers2', which holds the same facts column by column, so that the
-- statement's aggregate does no per-voucher encoding at all (docs/audit.md,
-- "The canonical encoding"):
--
--     count, the ids joined by ",", the numbers joined by ",", the content
--     hashes concatenated, the vouchers with an external id (count, then
--     id and external id of each), and who: once when every voucher of
--     the link has the same preparer, prepared by, reviewed by and posted
--     by (an import's statement), else once per voucher.
--
-- Links of kind 'vouchers' stay as they are and verify as before: audit
-- verify, check_chain.py and the tests recompute both kinds.
ALTER TABLE chain_link DROP CONSTRAINT chain_link_kind_check,
	ADD CONSTRAINT chain_link_kind_check CHECK (kind IN ('vouchers', 'vouchers2', 'audit'));

CREATE OR REPLACE FUNCTION chain_vouchers() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
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

-- chain_append (0036) with the link's bytes put together by one concat():
-- each || of 0036 copied the whole content again (half a megabyte for an
-- import's link, each copy fresh memory the kernel maps and zeroes).  The
-- bytes hashed are the same.
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
REVOKE EXECUTE ON FUNCTION chain_append(integer, text, bigint[], text) FROM PUBLIC;
