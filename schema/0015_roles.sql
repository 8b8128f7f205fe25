-- 0015_roles.sql - people: an owner, group roles, logins with scopes, and
-- row-level security on every village-keyed table (docs/roles.md)
--
-- Roles are the server's, shared by its databases; logins, scopes and
-- settings are this database's.
--   * cunji_owner (NOLOGIN) owns the schema and every object in it.  From
--     this migration on, migrations run as it (migrate.c: SET ROLE).  It may
--     create roles, which only its SECURITY DEFINER login functions do, and,
--     where the migrating session is a superuser (the embedded cluster), it
--     bypasses row-level security, so that the triggers it runs plan as
--     before.  A login is never a member of it.
--   * cunji_admin, cunji_bookkeeper, cunji_reviewer, cunji_cashier,
--     cunji_inspector, cunji_board (NOLOGIN): what a kind of person may do,
--     by GRANT.  A login is a member of exactly one.
--   * cunji_import (NOLOGIN, not bound by row-level security where the
--     server allows it): may only INSERT into voucher and voucher_line.  The
--     bulk import's COPYs run as it (PostgreSQL refuses COPY FROM into a
--     table with row-level security); admins, bookkeepers and cashiers are
--     members.  The statement trigger voucher_access checks every voucher,
--     whoever writes it, against the session's login: its villages and the
--     kinds of voucher its kind may write.
--   * Trigger functions run as the owner (SECURITY DEFINER, search_path with
--     pg_temp last), so that a login writes a voucher but never the kept
--     totals, counters of checks or the event log itself.
--   * Who and when: posted_by, posted_at, tx (voucher), closed_by, closed_at
--     (fiscal_year), imported_by, imported_at (import_log) are not among the
--     columns a login may INSERT: the defaults, session_user and now(),
--     always apply, and a supplied value is refused (42501).
-- Must run as a superuser (or a role that may create roles) the first time;
-- it creates the roles only when they are missing.

-- ---------------------------------------------------------------------------
-- Roles.  Other databases of the server may be migrating at the same moment
-- (the tests do): a role created meanwhile by another is fine.
DO $$
DECLARE
	g text;
	super boolean := (SELECT rolsuper FROM pg_roles WHERE rolname = current_user);
BEGIN
	IF to_regrole('cunji_owner') IS NULL THEN
		BEGIN
			IF super THEN
				CREATE ROLE cunji_owner NOLOGIN CREATEROLE BYPASSRLS;
			ELSE
				CREATE ROLE cunji_owner NOLOGIN CREATEROLE;
			END IF;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;
		END;
	END IF;
	IF to_regrole('cunji_import') IS NULL THEN
		BEGIN
			IF super THEN
				CREATE ROLE cunji_import NOLOGIN BYPASSRLS;
			ELSE
				CREATE ROLE cunji_import NOLOGIN;
			END IF;
		EXCEPTION WHEN duplicate_object OR unique_violation THEN
			NULL;
		END;
	END IF;
	FOREACH g IN ARRAY ARRAY['cunji_admin', 'cunji_bookkeeper', 'cunji_reviewer', 'cunji_cashier',
				 'cunji_inspector', 'cunji_board'] LOOP
		IF to_regrole(g) IS NULL THEN
			BEGIN
				EXECUTE format('CREATE ROLE %I NOLOGIN', g);
			EXCEPTION WHEN duplicate_object OR unique_violation THEN
				NULL;
			END;
		END IF;
	END LOOP;
	-- a migrating role that is not a superuser must be able to SET ROLE to the owner
	IF NOT super AND NOT pg_has_role(current_user, 'cunji_owner', 'MEMBER') THEN
		EXECUTE format('GRANT cunji_owner TO %I', current_user);
	END IF;
END $$;

-- The database: a login connects only where `cunji user add` let it in.
DO $$
BEGIN
	EXECUTE format('REVOKE CONNECT ON DATABASE %I FROM PUBLIC', current_database());
	EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO cunji_owner WITH GRANT OPTION',
		       current_database());
END $$;

-- ---------------------------------------------------------------------------
-- Everything in the schema goes to the owner.
DO $$
DECLARE
	o record;
BEGIN
	ALTER SCHEMA cunji OWNER TO cunji_owner;
	FOR o IN SELECT c.oid::regclass AS name FROM pg_class c
		  WHERE c.relnamespace = 'cunji'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm')
		  ORDER BY c.oid LOOP
		EXECUTE format('ALTER TABLE %s OWNER TO cunji_owner', o.name);
	END LOOP;
	-- sequences a table owns moved with it
	FOR o IN SELECT c.oid::regclass AS name FROM pg_class c
		  WHERE c.relnamespace = 'cunji'::regnamespace AND c.relkind = 'S'
		    AND c.relowner <> 'cunji_owner'::regrole ORDER BY c.oid LOOP
		EXECUTE format('ALTER SEQUENCE %s OWNER TO cunji_owner', o.name);
	END LOOP;
	FOR o IN SELECT p.oid::regprocedure AS name, p.prokind FROM pg_proc p
		  WHERE p.pronamespace = 'cunji'::regnamespace ORDER BY p.oid LOOP
		EXECUTE format('ALTER %s %s OWNER TO cunji_owner',
			       CASE o.prokind WHEN 'a' THEN 'AGGREGATE' WHEN 'p' THEN 'PROCEDURE'
			       ELSE 'FUNCTION' END, o.name);
	END LOOP;
END $$;

-- What the group roles may do with objects the owner makes from now on:
-- read.  Writes are granted by the migration that makes the table.
ALTER DEFAULT PRIVILEGES FOR ROLE cunji_owner IN SCHEMA cunji
	GRANT SELECT ON TABLES TO cunji_admin, cunji_bookkeeper, cunji_reviewer, cunji_cashier,
				  cunji_inspector, cunji_board;

SET ROLE cunji_owner;

-- ---------------------------------------------------------------------------
-- Logins, their scopes, settings.
CREATE TABLE app_login (
	login      name PRIMARY KEY,
	full_name  text NOT NULL CHECK (btrim(full_name) <> '' AND plain_text(full_name)),
	kind       text NOT NULL CHECK (kind IN ('admin', 'bookkeeper', 'reviewer', 'cashier',
						 'inspector', 'board')),
	disabled_at timestamptz,
	created_by name NOT NULL DEFAULT session_user,
	created_at timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE app_login IS
	'a person who connects: the PostgreSQL role of that name (a member of cunji_<kind>); '
	'written only by login_add and login_disable';

-- A township or county scope covers every village under it, including
-- villages added later (my_villages() reads the tree each time).
CREATE TABLE login_scope (
	login  name NOT NULL REFERENCES app_login,
	org_id integer NOT NULL REFERENCES org,
	PRIMARY KEY (login, org_id)
);

CREATE TABLE setting (
	org_id integer NOT NULL REFERENCES org,
	key    text NOT NULL CHECK (key IN ('review_required')),
	value  text NOT NULL CHECK (value IN ('true', 'false')),
	PRIMARY KEY (org_id, key)
);
COMMENT ON TABLE setting IS
	'review_required: set on a county, a township''s own value overrides it (review_required())';

CREATE FUNCTION setting_level() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF (SELECT level FROM org WHERE id = NEW.org_id) NOT IN ('county', 'township') THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ030',
			MESSAGE = format('the setting %s is made for a county or a township, not for %s',
					 NEW.key, (SELECT code FROM org WHERE id = NEW.org_id));
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER setting_level BEFORE INSERT OR UPDATE ON setting
	FOR EACH ROW EXECUTE FUNCTION setting_level();

-- Does a voucher of this village need review (the township's setting, else the county's)?
CREATE FUNCTION review_required(village_id integer) RETURNS boolean
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	SELECT coalesce(
		(SELECT s.value::boolean FROM org v JOIN setting s ON s.org_id = v.parent_id
		  WHERE v.id = $1 AND s.key = 'review_required'),
		(SELECT s.value::boolean FROM org v JOIN org t ON t.id = v.parent_id
		   JOIN setting s ON s.org_id = t.parent_id
		  WHERE v.id = $1 AND s.key = 'review_required'),
		false)
$$;

-- ---------------------------------------------------------------------------
-- Scope.  sees_all() is plain SQL so that the planner inlines it into the
-- policies' InitPlan: once per statement, nothing per row.  True for the
-- owner (triggers, migrations), a superuser and an active admin login.
CREATE FUNCTION sees_all() RETURNS boolean
LANGUAGE sql STABLE AS $$
	SELECT current_user = 'cunji_owner'
	    OR EXISTS (SELECT 1 FROM pg_catalog.pg_roles WHERE rolname = session_user AND rolsuper)
	    OR EXISTS (SELECT 1 FROM cunji.app_login a WHERE a.login = session_user
			  AND a.kind = 'admin' AND a.disabled_at IS NULL)
$$;

-- The village ids in scope of session_user: every village for a superuser
-- or an admin; none for a disabled login or a role that is no login here.
CREATE FUNCTION my_villages() RETURNS integer[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
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

-- The organisations a login sees: its villages, what lies under its
-- scopes (a township without villages yet too) and what lies above them.
CREATE FUNCTION my_orgs() RETURNS integer[]
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
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

-- Row-level security on a village-keyed table: a login reads and writes the
-- rows of the villages in its scope; GRANTs say which statements.
-- secure_schema() (below) calls it for every such table that lacks it.
CREATE FUNCTION protect_village_table(t regclass) RETURNS void
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	EXECUTE format('ALTER TABLE %s ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY', t);
	EXECUTE format('CREATE POLICY village_scope ON %s USING ((SELECT cunji.sees_all()) '
		       'OR village_id = ANY ((SELECT cunji.my_villages())::integer[]))', t);
END $$;
REVOKE ALL ON FUNCTION protect_village_table(regclass) FROM PUBLIC;

ALTER TABLE org ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY org_scope ON org
	USING ((SELECT sees_all()) OR id = ANY ((SELECT my_orgs())::integer[]));

-- A login sees its own scopes; an admin every login's.
ALTER TABLE login_scope ENABLE ROW LEVEL SECURITY, FORCE ROW LEVEL SECURITY;
CREATE POLICY own_scope ON login_scope
	USING (login = session_user OR (SELECT sees_all()));

-- Who may write which voucher: the session's login, its villages and its
-- kind (a reviewer writes only the year-end close's closing voucher; a
-- bookkeeper never one; a cashier ordinary vouchers and reversals), for
-- every INSERT, the import's COPY as cunji_import included.  One pass over
-- the statement's vouchers; a line belongs to a voucher of its own
-- statement's transaction (voucher_line_after_insert), so the vouchers say
-- it all.
CREATE FUNCTION voucher_who_may() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
DECLARE
	k text := (SELECT kind FROM app_login WHERE login = session_user AND disabled_at IS NULL);
	mine integer[];
	r record;
BEGIN
	IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper) OR k = 'admin' THEN
		RETURN NULL;
	END IF;
	mine := my_villages();
	SELECT n.village_id, n.kind, n.village_id <> ALL (mine) AS outside INTO r
	  FROM (SELECT DISTINCT village_id, kind FROM new_rows) n
	 WHERE n.village_id <> ALL (mine)
	    OR k IS NULL
	    OR (k = 'reviewer' AND n.kind <> 'closing')
	    OR (k = 'bookkeeper' AND n.kind = 'closing')
	    OR (k = 'cashier' AND n.kind NOT IN ('normal', 'reversal'))
	    OR k IN ('inspector', 'board')
	 LIMIT 1;
	IF FOUND THEN
		RAISE EXCEPTION USING ERRCODE = '42501', MESSAGE = CASE WHEN r.outside OR k IS NULL
			THEN format('login %s may not post in village %s: it is not in its scope',
				    session_user, village_code(r.village_id))
			ELSE format('login %s (%s) may not post a voucher of kind %s', session_user, k,
				    r.kind) END;
	END IF;
	RETURN NULL;
END $$;
-- named to fire before voucher_after_insert: an outsider learns nothing from the ledger's rules
CREATE TRIGGER voucher_access AFTER INSERT ON voucher REFERENCING NEW TABLE AS new_rows
	FOR EACH STATEMENT EXECUTE FUNCTION voucher_who_may();

-- ---------------------------------------------------------------------------
-- Who and when come from the session.  Defaults that named current_user
-- would name the owner inside a trigger.
ALTER TABLE voucher ALTER COLUMN posted_by SET DEFAULT session_user;
ALTER TABLE fiscal_year ALTER COLUMN closed_by SET DEFAULT session_user;
ALTER TABLE period_event ALTER COLUMN by_user SET DEFAULT session_user;
ALTER TABLE import_log ALTER COLUMN imported_by SET DEFAULT session_user;

-- INSERT on every column of t but who and when (and voucher.tx)
CREATE FUNCTION grant_insert_but(t regclass, roles text, who_when text[]) RETURNS void
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	EXECUTE format('GRANT INSERT (%s) ON %s TO %s',
		       (SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum)
			  FROM pg_attribute
			 WHERE attrelid = t AND attnum > 0 AND NOT attisdropped
			   AND attname <> ALL (who_when)),
		       t, roles);
END $$;
REVOKE ALL ON FUNCTION grant_insert_but(regclass, text, text[]) FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- What the roles may do, applied again after every run of migrations
-- (migrate.c), so that it holds whatever order they ran in (a database made
-- now runs 0017 to 0019 after this file, one made before runs this file
-- last), and whatever a later migration forgot:
--   * trigger functions run as the owner, with pg_temp last in their
--     search_path (a login's temporary table must not stand in for ours);
--   * every village-keyed table has row-level security, ENABLE and FORCE,
--     and the policy village_scope (protect_village_table);
--   * the privileges of each kind (docs/roles.md): every kind reads (rows
--     by scope), writes by kind.  GRANT is idempotent.
CREATE FUNCTION secure_schema() RETURNS void
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
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
REVOKE ALL ON FUNCTION secure_schema() FROM PUBLIC;

-- ---------------------------------------------------------------------------
-- Managing logins: functions that run as the owner, for admins only.
CREATE FUNCTION login_admin_only() RETURNS void
LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
BEGIN
	IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = session_user AND rolsuper)
	   AND NOT EXISTS (SELECT 1 FROM app_login WHERE login = session_user AND kind = 'admin'
			      AND disabled_at IS NULL) THEN
		RAISE EXCEPTION USING ERRCODE = '42501',
			MESSAGE = format('only an admin manages logins, and %s is none', session_user);
	END IF;
END $$;

-- Add login p_login of kind p_kind to this database.  A role missing from
-- the server is created (with the SCRAM verifier p_verifier as its
-- password, or none); an existing one is taken only when it is a login of
-- that kind already (of another database of the server), and keeps its
-- password.  p_scopes: codes of organisations (login_scope_set).  Returns
-- whether the role was created.
CREATE FUNCTION login_add(p_login text, p_name text, p_kind text, p_verifier text,
			  p_scopes text[] DEFAULT '{}')
RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
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
END $$;

-- A disabled login keeps its rows (who prepared, posted, closed) and its
-- role, but connects here no more and sees nothing.
CREATE FUNCTION login_disable(p_login text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
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

-- Add (p_add) or remove a scope: an organisation by code.  A board sees
-- villages; an admin every organisation, without scopes.
CREATE FUNCTION login_scope_set(p_login text, p_code text, p_add boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = cunji, pg_catalog, pg_temp AS $$
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

REVOKE ALL ON FUNCTION login_admin_only(), login_add(text, text, text, text, text[]),
		       login_disable(text), login_scope_set(text, text, boolean) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION login_admin_only(), login_add(text, text, text, text, text[]),
		       login_disable(text), login_scope_set(text, text, boolean) TO cunji_admin;

SELECT secure_schema();
