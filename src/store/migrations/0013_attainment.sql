-- 0013_attainment.sql - attainment returns (docs/formats/attainment.md):
-- pupils, mean scores and their SDs, and pupils reaching a threshold, by
-- area, academic year, measure and ethnic group. Numbered 0013: 0011 and
-- 0012 are kept for migrations being written beside this one.
--
-- An attainment return is versioned as a submission is (one current
-- version per area and year, earlier ones kept and marked superseded), but
-- in a table of its own rather than as a kind of `submission`: adding a
-- kind means rebuilding `submission` (its CHECK on kind), which every
-- workforce, recruitment and service record points at, and every command
-- that lists or rereads submissions would meet a kind it has no reader for.

CREATE TABLE attainment_return (
	id INTEGER PRIMARY KEY,
	area_code TEXT NOT NULL,
	year INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
	period TEXT NOT NULL,          -- '2023-24', or '2024'
	level TEXT NOT NULL CHECK (level IN ('detailed', 'high')),
	version INTEGER NOT NULL CHECK (version >= 1),
	status TEXT NOT NULL CHECK (status IN ('current', 'superseded')),
	supersedes INTEGER REFERENCES attainment_return (id),
	submitted_at TEXT NOT NULL,
	submitted_by TEXT NOT NULL,
	source_name TEXT NOT NULL,
	row_count INTEGER NOT NULL CHECK (row_count >= 0),
	sha256 TEXT NOT NULL,
	UNIQUE (area_code, year, version)
);
CREATE UNIQUE INDEX attainment_return_current
	ON attainment_return (area_code, year) WHERE status = 'current';

-- One row per measure and group. `ethnicity` is a service group code
-- (src/domain/service_def.h: WBRI ... OOTH, WIRT, WGYR, W, M, A, B, O, NK,
-- PNS); `label` the group as the return gave it. A NULL mean, SD or
-- number reaching was not given; `suppressed` marks those the source
-- suppressed ('x', 'c'): bit 1 the mean, 2 the SD, 4 the number reaching.
CREATE TABLE attainment_row (
	return_id INTEGER NOT NULL REFERENCES attainment_return (id),
	measure TEXT NOT NULL,
	ethnicity TEXT NOT NULL,
	label TEXT NOT NULL,
	pupils INTEGER NOT NULL CHECK (pupils >= 0),
	mean_score REAL,
	sd REAL CHECK (sd IS NULL OR sd >= 0),
	reaching INTEGER CHECK (reaching IS NULL OR reaching BETWEEN 0 AND pupils),
	suppressed INTEGER NOT NULL DEFAULT 0,
	line INTEGER NOT NULL,  -- the line of the return it came from
	PRIMARY KEY (return_id, measure, ethnicity)
);
