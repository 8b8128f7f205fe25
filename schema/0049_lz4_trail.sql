-- 0049_lz4_trail.sql - the audit trail's large values compressed with lz4
-- (issues 14 and 19)
--
-- A batch step on drafts writes one audit record per village holding each
-- row's key and digest (0038): 3,000 drafts or 9,000 lines of a village
-- make a value of a quarter to three quarters of a megabyte, and a review or
-- a posting holds the old rows and the new.  A statement of imported
-- vouchers writes a chain link whose refs list its thousands of ids (0040).
-- PostgreSQL compressed these with pglz, its default: 9.1 % of the server's
-- CPU while a county-year was saved as drafts, about 2 % of a direct
-- import's (perf).  lz4 took 0.8 % for the same values and stored them
-- smaller (the audit trail of a county-year's drafts: 64 MB against 68 MB).
-- Values already stored keep their compression; reading either kind is
-- transparent.  A server built without lz4 keeps pglz: nothing else changes.
SET search_path = cunji, pg_catalog;

DO $$
BEGIN
	IF EXISTS (SELECT 1 FROM pg_settings
	            WHERE name = 'default_toast_compression' AND 'lz4' = ANY (enumvals)) THEN
		ALTER TABLE audit_log ALTER COLUMN old SET COMPRESSION lz4,
		                      ALTER COLUMN new SET COMPRESSION lz4;
		ALTER TABLE chain_link ALTER COLUMN refs SET COMPRESSION lz4;
	END IF;
END $$;
