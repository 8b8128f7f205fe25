-- 0006_register_guard.sql - the member register guard, made per table
--
-- register_guard() in 0003 compared NEW.code and NEW.household_code in one
-- expression chain, so PL/pgSQL resolved fields of the wrong table and every
-- UPDATE of household_member and share_holding failed with "record new has no
-- field ...", even the allowed ones (a phone number, ending a holding).  Each
-- table now has its own branch.  Also: ID numbers must hold a real date of
-- birth, and TRUNCATE cannot empty the register.
SET search_path = cunji, pg_catalog;

CREATE OR REPLACE FUNCTION register_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
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

CREATE TRIGGER household_no_truncate BEFORE TRUNCATE ON household
	FOR EACH STATEMENT EXECUTE FUNCTION register_guard();
CREATE TRIGGER household_member_no_truncate BEFORE TRUNCATE ON household_member
	FOR EACH STATEMENT EXECUTE FUNCTION register_guard();
CREATE TRIGGER share_holding_no_truncate BEFORE TRUNCATE ON share_holding
	FOR EACH STATEMENT EXECUTE FUNCTION register_guard();

-- The check character alone lets through IDs like 19991399: characters 7-14
-- must be a real calendar date, not in the future.  Same signature, so the
-- CHECK constraints of 0003 use it from now on.
CREATE OR REPLACE FUNCTION id_number_valid(id text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE STRICT AS $$
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
END $$;
