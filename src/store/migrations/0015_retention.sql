-- 0015_retention.sql - record-level data removed at the end of its
-- retention period (`parity retention`; docs/privacy.md): which
-- submission, when, by whom, under what period, and how many records
-- went. The submission and its aggregates stay, so that reports of that
-- year still read; its records (staff and staff_block, or applicant) are
-- deleted, and with secure_delete on their bytes are overwritten. The
-- removal is also in the audit log.
CREATE TABLE records_removed (
	submission_id INTEGER PRIMARY KEY REFERENCES submission (id),
	removed_at TEXT NOT NULL,    -- UTC, ISO 8601
	removed_by TEXT NOT NULL,
	retention_years INTEGER NOT NULL CHECK (retention_years >= 0),
	records INTEGER NOT NULL CHECK (records >= 0)
);
