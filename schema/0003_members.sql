-- Members and shares (成员与股权): member households, their people, and their
-- shares by type with effective dates.  Village-owned: every key leads with
-- village_id.
SET search_path = cunji, pg_catalog;

-- 18-digit resident ID (GB 11643): 17 digits and a check character by
-- ISO 7064 MOD 11-2 (weights 2^(17-i) mod 11; check "10X98765432"[sum mod 11]).
CREATE FUNCTION id_number_valid(id text) RETURNS boolean
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT id ~ '^[0-9]{17}[0-9X]$'
	   AND substr('10X98765432',
	              (SELECT sum(substr(id, i, 1)::int * ((1 << (18 - i)) % 11))::int % 11
	                 FROM generate_series(1, 17) AS i) + 1, 1) = substr(id, 18, 1)
$$;

-- What may be shown in public: the first 6 and last 4 characters.
CREATE FUNCTION id_number_masked(id text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT AS $$
	SELECT CASE WHEN length(id) = 18 THEN left(id, 6) || '********' || right(id, 4)
	            ELSE repeat('*', length(id)) END
$$;

CREATE TABLE household (
	village_id     integer NOT NULL REFERENCES village_books (village_id),
	code           text NOT NULL CHECK (code ~ '^[0-9A-Za-z_-]{1,30}$'), -- 户编号
	head_name      text NOT NULL CHECK (btrim(head_name) <> ''),          -- 户主
	head_id_number text NOT NULL CHECK (id_number_valid(head_id_number)),
	phone          text NOT NULL DEFAULT '',
	bank_name      text NOT NULL DEFAULT '',
	bank_account   text NOT NULL DEFAULT '' CHECK (bank_account ~ '^[0-9 ]*$'),
	-- 脱贫户 / 监测户 (防返贫 monitoring), or '' for neither
	poverty_status text NOT NULL DEFAULT '' CHECK (poverty_status IN ('', '脱贫户', '监测户')),
	created_at     timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (village_id, code),
	UNIQUE (village_id, head_id_number)
);

-- The people of a household, the head included (relation 户主).
CREATE TABLE household_member (
	village_id     integer NOT NULL,
	household_code text NOT NULL,
	seq            smallint NOT NULL CHECK (seq > 0),
	name           text NOT NULL CHECK (btrim(name) <> ''),
	id_number      text NOT NULL CHECK (id_number_valid(id_number)),
	relation       text NOT NULL DEFAULT '',
	PRIMARY KEY (village_id, household_code, seq),
	UNIQUE (village_id, id_number),
	FOREIGN KEY (village_id, household_code) REFERENCES household (village_id, code)
);

-- Shares by type.  集体股 is held by the collective itself: no household.
-- Quantities are exact decimals (numeric), never floats; a holding counts
-- from effective_from until the day before effective_to.
CREATE TABLE share_holding (
	village_id     integer NOT NULL REFERENCES village_books (village_id),
	id             bigint GENERATED ALWAYS AS IDENTITY,
	household_code text,
	share_type     text NOT NULL
	               CHECK (share_type IN ('人口股', '劳龄股', '集体股', '扶贫股', '募集股', '土地股')),
	shares         numeric(12, 2) NOT NULL CHECK (shares > 0),
	effective_from date NOT NULL,
	effective_to   date CHECK (effective_to > effective_from),
	PRIMARY KEY (village_id, id),
	FOREIGN KEY (village_id, household_code) REFERENCES household (village_id, code),
	CHECK ((share_type = '集体股') = (household_code IS NULL))
);
CREATE INDEX share_holding_household ON share_holding (village_id, household_code);

-- Shares in force on a day, per holder (NULL holder = the collective).
CREATE FUNCTION shares_on(v integer, d date)
RETURNS TABLE (household_code text, share_type text, shares numeric)
LANGUAGE sql STABLE SET search_path = cunji, pg_catalog AS $$
	SELECT household_code, share_type, sum(shares)
	  FROM share_holding
	 WHERE village_id = v AND effective_from <= d AND (effective_to IS NULL OR effective_to > d)
	 GROUP BY 1, 2
$$;

-- The register is kept, not rewritten: no deletes; a household's ID and a
-- member's ID are fixed; shares end by setting effective_to once.
CREATE FUNCTION register_guard() RETURNS trigger
LANGUAGE plpgsql SET search_path = cunji, pg_catalog AS $$
BEGIN
	IF TG_OP = 'DELETE' THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('%s rows cannot be deleted; the member register keeps its history',
			                 TG_TABLE_NAME);
	END IF;
	IF TG_TABLE_NAME = 'household' AND (NEW.village_id, NEW.code, NEW.head_id_number)
	   IS DISTINCT FROM (OLD.village_id, OLD.code, OLD.head_id_number) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('household %s: its code and the head''s ID number cannot be changed',
			                 OLD.code);
	ELSIF TG_TABLE_NAME = 'household_member' AND (NEW.village_id, NEW.household_code, NEW.seq,
	      NEW.id_number) IS DISTINCT FROM (OLD.village_id, OLD.household_code, OLD.seq,
	      OLD.id_number) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = format('household %s member %s: the ID number cannot be changed',
			                 OLD.household_code, OLD.seq);
	ELSIF TG_TABLE_NAME = 'share_holding' AND (OLD.effective_to IS NOT NULL OR
	      (NEW.village_id, NEW.household_code, NEW.share_type, NEW.shares, NEW.effective_from)
	      IS DISTINCT FROM (OLD.village_id, OLD.household_code, OLD.share_type, OLD.shares,
	                        OLD.effective_from)) THEN
		RAISE EXCEPTION USING ERRCODE = 'CJ010',
			MESSAGE = 'a share holding is never edited: end it (effective_to, once) and add a new one';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER household_guard BEFORE UPDATE OR DELETE ON household
	FOR EACH ROW EXECUTE FUNCTION register_guard();
CREATE TRIGGER household_member_guard BEFORE UPDATE OR DELETE ON household_member
	FOR EACH ROW EXECUTE FUNCTION register_guard();
CREATE TRIGGER share_holding_guard BEFORE UPDATE OR DELETE ON share_holding
	FOR EACH ROW EXECUTE FUNCTION register_guard();
