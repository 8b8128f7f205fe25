-- 0018_two_phase.sql - the decisions of two-phase commits (the parallel import)
--
-- An import spread over several connections ends each one's transaction
-- with PREPARE TRANSACTION '<prefix>-<k>'; once all are prepared, its
-- coordinator records here, in a transaction of its own, that the group is
-- to be committed, then commits each part and deletes the row
-- (ledger/lib/twophase.c).  After a crash, the parts of a group with a row
-- are committed and those of a group without one rolled back.
SET search_path = cunji, pg_catalog;

CREATE TABLE twophase_decision (
	gid_prefix text PRIMARY KEY CHECK (gid_prefix ~ '^cunji-[a-z0-9-]+$'),
	parts      integer NOT NULL CHECK (parts > 0),
	decided_at timestamptz NOT NULL DEFAULT now()
);
