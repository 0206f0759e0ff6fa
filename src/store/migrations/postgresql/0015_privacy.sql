-- 0015_privacy.sql (PostgreSQL 15) - the store's privacy duties
-- (../0015_privacy.sql, docs/privacy.md).
--
-- records_removed: record-level data removed at the end of its retention
-- period: which submission (its id, given by the store), when, by whom,
-- under what period, and how many records went.
CREATE TABLE records_removed (
	submission_id BIGINT PRIMARY KEY REFERENCES submission (id),
	removed_at TEXT NOT NULL,    -- UTC, ISO 8601
	removed_by TEXT NOT NULL,
	retention_years BIGINT NOT NULL CHECK (retention_years >= 0),
	records BIGINT NOT NULL CHECK (records >= 0)
);

-- objection: a member of staff or an applicant who objects to the
-- processing of their data, by the pseudonym their council's returns
-- give them (never the id).
CREATE TABLE objection (
	rowid BIGINT GENERATED ALWAYS AS IDENTITY,
	area_code TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('workforce', 'recruitment')),
	person BYTEA NOT NULL,
	made_at TEXT NOT NULL,       -- UTC, ISO 8601
	made_by TEXT NOT NULL,
	PRIMARY KEY (area_code, kind, person)
);

UPDATE schema_version SET version = 15;
