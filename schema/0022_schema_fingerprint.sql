-- 0022: the schema's fingerprint (issue 15).
--
-- After every run of migrations, migrate.c records here the SHA-256 of every
-- function of the schema (its definition, owner and privileges), every
-- trigger (its definition and whether it is enabled) and every table (row-
-- level security, owner, privileges, policies), as the catalog shows them
-- (the query is ledger/lib/audit_verify.c's, shared by both).  `cunji audit
-- verify` reads the catalog again and compares: a guard replaced, dropped or
-- disabled, security turned off or a privilege granted by hand shows.  The
-- table is audited like any other, so a change to it is a link of the
-- office's chain.
CREATE TABLE schema_fingerprint (
	kind   text NOT NULL CHECK (kind IN ('function', 'trigger', 'table')),
	name   text NOT NULL,
	sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
	PRIMARY KEY (kind, name)
);
COMMENT ON TABLE schema_fingerprint IS
	'the schema as the migrations left it (issue 15): written by migrate.c after every run';
