-- 0003_services.sql - service returns: counts by stage and ethnic group.
--
-- A service return (docs/formats/service-return.md) is identified by its
-- service as well as its area and year, so `submission` gains a `subject`
-- column (the service's name; '' for workforce and recruitment returns),
-- the kind 'service', and keys that include the subject. SQLite cannot
-- change a table's constraints in place, so the table is rebuilt as
-- SQLite's ALTER TABLE documentation describes (create, copy, drop,
-- rename); the store runs migrations with foreign keys off and checks them
-- before committing (src/store/sqlite.c). Ids are kept, so every record
-- still points at its submission.
-- The rebuilt table keeps 0002's `classification` column.

CREATE TABLE submission_new (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('workforce', 'recruitment', 'service')),
	subject TEXT NOT NULL DEFAULT '',  -- the service, for kind 'service'
	area_code TEXT NOT NULL,
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	version INTEGER NOT NULL CHECK (version >= 1),
	status TEXT NOT NULL CHECK (status IN ('current', 'superseded')),
	supersedes INTEGER REFERENCES submission (id),
	submitted_at TEXT NOT NULL,
	submitted_by TEXT NOT NULL,
	source_name TEXT NOT NULL,
	row_count INTEGER NOT NULL CHECK (row_count >= 0),
	sha256 TEXT NOT NULL,
	encoding TEXT NOT NULL,
	column_list TEXT NOT NULL,
	classification TEXT NOT NULL DEFAULT '2021'
		CHECK (classification IN ('2011', '2021')),
	UNIQUE (kind, subject, area_code, year, version)
);
INSERT INTO submission_new (id, kind, subject, area_code, year, version,
	status, supersedes, submitted_at, submitted_by, source_name, row_count,
	sha256, encoding, column_list, classification)
SELECT id, kind, '', area_code, year, version, status, supersedes,
	submitted_at, submitted_by, source_name, row_count, sha256, encoding,
	column_list, classification
FROM submission;
DROP TABLE submission;
ALTER TABLE submission_new RENAME TO submission;
CREATE UNIQUE INDEX submission_current ON submission (kind, subject, area_code, year)
	WHERE status = 'current';

-- What a service submission is for: the year as the return gives it
-- ('2023-24', or '2023'; submission.year holds the year it starts), and
-- the level its ethnicity was recorded at ('detailed' or 'high').
CREATE TABLE service_return (
	submission_id INTEGER PRIMARY KEY REFERENCES submission (id),
	period TEXT NOT NULL,
	level TEXT NOT NULL CHECK (level IN ('detailed', 'high'))
);

-- One row per stage and group with a count. `ethnicity` is a service group
-- code (src/domain/service_def.h): WBRI ... OOTH, WIRT, WGYR, W, M, A, B,
-- O, NK, PNS. `stage` is the stage's name in the service's definition.
-- A count of NULL was suppressed in the source ('x', 'c').
CREATE TABLE service_count (
	submission_id INTEGER NOT NULL REFERENCES submission (id),
	stage TEXT NOT NULL,
	ethnicity TEXT NOT NULL,
	count INTEGER CHECK (count >= 0),
	line INTEGER NOT NULL,  -- the line of the return it came from
	PRIMARY KEY (submission_id, stage, ethnicity)
);
