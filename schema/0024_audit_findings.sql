-- 0024: findings are work.  An inspector marks a finding of audit scan
-- (explained, to follow up, referred) with a note; the mark is kept by the
-- finding's stable key (rule, village and what it is about, see
-- reports/audit_scan.c), so later scans show it.  Marks are only added,
-- never changed: the latest is the finding's state, the rest its history.
CREATE TABLE audit_mark (
	village_id  integer NOT NULL REFERENCES org,
	finding_key text NOT NULL CHECK (finding_key ~ '^R[0-9]{2}:' AND length(finding_key) <= 300),
	id          bigint GENERATED ALWAYS AS IDENTITY,
	state       text NOT NULL CHECK (state IN ('explained', 'follow_up', 'referred')),
	note        text NOT NULL CHECK (btrim(note) <> '' AND plain_text(note) AND length(note) <= 2000),
	marked_by   name NOT NULL DEFAULT session_user,
	marked_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (village_id, finding_key, id)
);
COMMENT ON TABLE audit_mark IS
	'an inspector''s mark on a finding of audit scan; the latest per key is its state';

-- Only inspectors write marks: no other kind has INSERT, nobody UPDATE or
-- DELETE; who and when are not theirs to give.
SELECT grant_insert_but('audit_mark', 'cunji_inspector', '{id, marked_by, marked_at}');

-- The state of each finding: its latest mark.
CREATE VIEW audit_state WITH (security_invoker = true) AS
	SELECT DISTINCT ON (village_id, finding_key) village_id, finding_key, state, note,
	       marked_by, marked_at
	  FROM audit_mark
	 ORDER BY village_id, finding_key, id DESC;
