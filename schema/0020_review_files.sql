-- 0020_review_files.sql - drafts for whole files, who prepared a voucher
-- from the session, and passwords (the rest of issue 14)
--
--   * A file imported where review is required becomes one batch of drafts
--     (0016), reviewed and posted as a whole; import_log names the batch, so
--     that importing the file again says where it went.
--   * Who prepared a voucher is the database's to say, whatever the path: a
--     voucher posted at once takes its preparer (preparer, prepared_by) from
--     the session's defaults, and a login may not name them, nor who
--     reviewed it or the draft it came from (42501, column privileges):
--     only post_drafts(), as the owner, writes those.  A login's new draft
--     names none of its who-and-when columns either (the trigger
--     draft_before_insert overwrote them; now they cannot be given at all).
--   * login_password(): a login sets its own password, an admin another's.

ALTER TABLE import_log ADD COLUMN batch_id bigint;
COMMENT ON COLUMN import_log.batch_id IS
	'review required: the file''s vouchers were saved as drafts of this batch, not posted';

-- ---------------------------------------------------------------------------
-- Who prepared a voucher posted at once: the session's login.  (A voucher
-- from a draft gets its draft's preparer from post_drafts().)  A default
-- costs nothing per row that matters, unlike a trigger.
ALTER TABLE voucher ALTER COLUMN preparer SET DEFAULT session_user;

-- grant_insert_but (0015), as secure_schema() applies it after every run of
-- migrations: on voucher, who prepared and reviewed it and the draft it
-- came from are never the client's either.
CREATE OR REPLACE FUNCTION grant_insert_but(t regclass, roles text, who_when text[]) RETURNS void
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
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
REVOKE ALL ON FUNCTION grant_insert_but(regclass, text, text[]) FROM PUBLIC;

-- what 0015 granted on every column goes, and secure_schema() grants again
-- (revoking a table's privilege revokes its columns' too)
REVOKE INSERT ON voucher FROM cunji_admin, cunji_bookkeeper, cunji_reviewer, cunji_cashier,
			      cunji_import;

-- a draft: its content only (0016 granted every column)
REVOKE INSERT ON draft_voucher FROM cunji_admin, cunji_bookkeeper, cunji_cashier;
GRANT INSERT (village_id, id, batch_id, voucher_date, kind, summary, attachments, external_id,
	      reverses_id, negative_cash_reason)
	ON draft_voucher TO cunji_admin, cunji_bookkeeper, cunji_cashier;

-- ---------------------------------------------------------------------------
-- A password, as a SCRAM-SHA-256 verifier (the client computes it; the
-- server never sees the password): a login sets its own, an admin any
-- login's.  The role is the server's: a login of several databases of the
-- server has one password.
CREATE FUNCTION login_password(p_login text, p_verifier text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
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
END $$;
REVOKE ALL ON FUNCTION login_password(text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION login_password(text, text)
	TO cunji_admin, cunji_bookkeeper, cunji_reviewer, cunji_cashier, cunji_inspector, cunji_board;

SELECT secure_schema();
