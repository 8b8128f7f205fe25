-- 0048_drafts_without_jit.sql - the drafts' batch steps without JIT
-- compilation (issue 14)
--
-- Posting a county-year's batch of drafts (225,000 vouchers) runs a few
-- statements over every draft, and the statement triggers they fire.  Their
-- estimated costs pass PostgreSQL's JIT thresholds by far, so each was
-- compiled with inlining and optimisation, again at every call of the
-- trigger: posting the batch took 30.4-30.9 s with JIT, 20.2-23.4 s without
-- (bench_import --review 2, alternated; docs/performance.md).  The steps read
-- and write rows; they do not evaluate expressions long enough for compiled
-- code to pay back its compilation.  The setting holds while these functions
-- run, whatever the server's own; a later CREATE OR REPLACE of one of them
-- must say it again (test_draft_batch checks).
SET search_path = cunji, pg_catalog;

ALTER FUNCTION post_drafts(integer, bigint[], bigint) SET jit = off;
ALTER FUNCTION post_draft_batch(bigint) SET jit = off;
ALTER FUNCTION review_draft_batch(bigint) SET jit = off;
ALTER FUNCTION draft_bulk_step() SET jit = off;
