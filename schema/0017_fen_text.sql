-- 0017: fen_text() prints every bigint.  Its format had 16 digit places and
-- took abs() of a bigint, so an amount of 10^16 yuan and more came out as
-- '###…' and the smallest bigint raised an overflow inside a refusal's own
-- message (test_guards: a line of 2^63-1 fen).  The arithmetic is now on
-- numeric, the format has room for the 17 digits of 2^63 / 100.
CREATE OR REPLACE FUNCTION fen_text(fen bigint) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT CASE WHEN fen < 0 THEN '-' ELSE '' END
	       || to_char(trunc(abs(fen::numeric) / 100), 'FM9,999,999,999,999,999,990')
	       || '.' || lpad((abs(fen::numeric) % 100)::text, 2, '0')
$$;
