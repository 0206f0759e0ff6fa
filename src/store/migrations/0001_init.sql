-- 0001_init.sql - the first schema: submissions, their records, and the
-- aggregates computed at import.
--
-- Portable SQL (SQLite and PostgreSQL): no AUTOINCREMENT, no SQLite types.
-- The store applies it inside a transaction and then sets the schema
-- version; see src/store/sqlite.c.

-- One row per accepted return. Rows are never changed after the import
-- that made them commits, except that a later version of the same return
-- moves `status` from 'current' to 'superseded'.
CREATE TABLE submission (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('workforce', 'recruitment')),
	area_code TEXT NOT NULL,
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	version INTEGER NOT NULL CHECK (version >= 1),
	status TEXT NOT NULL CHECK (status IN ('current', 'superseded')),
	supersedes INTEGER REFERENCES submission (id),
	submitted_at TEXT NOT NULL,  -- UTC, ISO 8601: 2024-05-01T09:30:00Z
	submitted_by TEXT NOT NULL,
	source_name TEXT NOT NULL,   -- the file's base name
	row_count INTEGER NOT NULL CHECK (row_count >= 0),
	sha256 TEXT NOT NULL,        -- hex SHA-256 of the file's bytes
	encoding TEXT NOT NULL,      -- 'UTF-8' or 'Windows-1252'
	column_list TEXT NOT NULL,   -- the return's recognised columns, comma-separated
	UNIQUE (kind, area_code, year, version)
);
-- At most one current version of each return.
CREATE UNIQUE INDEX submission_current ON submission (kind, area_code, year)
	WHERE status = 'current';

-- One row per member of staff. `person` is the keyed hash of the staff id
-- (src/store/pseudonym.c); the id itself is never stored. NULL means the
-- return did not give the value.
CREATE TABLE staff (
	submission_id INTEGER NOT NULL REFERENCES submission (id),
	person BLOB NOT NULL,
	ethnicity TEXT NOT NULL,     -- stable code: WBRI ... OOTH, NK, PNS
	annual_salary REAL NOT NULL, -- full-time-equivalent basic pay, pounds
	fte REAL NOT NULL,
	pay_band TEXT,
	grade TEXT,
	job_family TEXT,
	sex TEXT,
	age_band TEXT,
	disability TEXT,
	contract_type TEXT,
	start_date TEXT,             -- ISO 8601 date
	leaving_date TEXT,
	promoted INTEGER,            -- 1 yes, 0 no
	disciplinary INTEGER,
	training INTEGER,
	leaver INTEGER               -- the return's `left` column
);
CREATE INDEX staff_submission ON staff (submission_id);

CREATE TABLE applicant (
	submission_id INTEGER NOT NULL REFERENCES submission (id),
	person BLOB NOT NULL,
	ethnicity TEXT NOT NULL,
	shortlisted INTEGER NOT NULL,
	appointed INTEGER NOT NULL,
	vacancy_id TEXT,
	pay_band TEXT
);
CREATE INDEX applicant_submission ON applicant (submission_id);

-- Aggregates, so that reports never rescan the records. `salaries` holds
-- the group's annual salaries sorted ascending, as little-endian IEEE 754
-- doubles (8 bytes each): pooled vectors give exact medians and quartiles.
CREATE TABLE staff_pay (
	submission_id INTEGER NOT NULL REFERENCES submission (id),
	ethnicity TEXT NOT NULL,
	staff_count INTEGER NOT NULL,
	salaries BLOB NOT NULL,
	PRIMARY KEY (submission_id, ethnicity)
);

CREATE TABLE staff_event (
	submission_id INTEGER NOT NULL REFERENCES submission (id),
	ethnicity TEXT NOT NULL,
	event TEXT NOT NULL CHECK (event IN ('promoted', 'disciplinary', 'training', 'left')),
	yes_count INTEGER NOT NULL,
	no_count INTEGER NOT NULL,
	missing_count INTEGER NOT NULL,
	PRIMARY KEY (submission_id, ethnicity, event)
);

CREATE TABLE applicant_count (
	submission_id INTEGER NOT NULL REFERENCES submission (id),
	ethnicity TEXT NOT NULL,
	applied INTEGER NOT NULL,
	shortlisted INTEGER NOT NULL,
	appointed INTEGER NOT NULL,
	PRIMARY KEY (submission_id, ethnicity)
);
