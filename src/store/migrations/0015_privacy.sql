-- 0015_privacy.sql - the store's privacy duties (docs/privacy.md).
--
-- records_removed: record-level data removed at the end of its retention
-- period (`parity retention`): which submission, when, by whom, under
-- what period, and how many records went. The submission and its
-- aggregates stay, so that reports of that year still read; its records
-- (staff and staff_block, or applicant) are deleted, and with
-- secure_delete on their bytes are overwritten. The removal is also in
-- the audit log.
CREATE TABLE records_removed (
	submission_id INTEGER PRIMARY KEY REFERENCES submission (id),
	removed_at TEXT NOT NULL,    -- UTC, ISO 8601
	removed_by TEXT NOT NULL,
	retention_years INTEGER NOT NULL CHECK (retention_years >= 0),
	records INTEGER NOT NULL CHECK (records >= 0)
);

-- objection: a member of staff or an applicant who objects to the
-- processing of their data (`parity objection add`), by the pseudonym
-- their council's returns give them (the keyed hash of their id, as an
-- import makes it: never the id). From then on their records are left out
-- of every reading of the records, and of the aggregates, which are made
-- again for each return that held them and for every later return.
CREATE TABLE objection (
	area_code TEXT NOT NULL,
	kind TEXT NOT NULL CHECK (kind IN ('workforce', 'recruitment')),
	person BLOB NOT NULL,
	made_at TEXT NOT NULL,       -- UTC, ISO 8601
	made_by TEXT NOT NULL,
	PRIMARY KEY (area_code, kind, person)
);
