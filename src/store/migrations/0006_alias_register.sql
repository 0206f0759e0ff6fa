-- 0006_alias_register.sql - the programme's shared ethnicity aliases, and
-- every label the returns really carried.
--
-- The register (docs/formats/aliases.md). Each change to it (an alias
-- added, an alias removed, a file of aliases imported) is a new version,
-- numbered from 1, with who made it and when. Nothing is deleted: a
-- removed alias keeps its row and is marked with the version that
-- removed it, as a superseded submission keeps its row. The register at
-- version v is the aliases added at or before v and not removed at or
-- before v. At most one alias in the register reads each label (by its
-- normalised form).
CREATE TABLE alias_version (
	version INTEGER PRIMARY KEY CHECK (version >= 1),
	action TEXT NOT NULL CHECK (action IN ('add', 'remove', 'import')),
	changed_at TEXT NOT NULL,      -- UTC, ISO 8601
	changed_by TEXT NOT NULL,
	source_name TEXT               -- 'import': the file's base name
);

CREATE TABLE alias (
	id INTEGER PRIMARY KEY,
	label TEXT NOT NULL,           -- as given
	label_key TEXT NOT NULL,       -- as the classifier matches it
	category TEXT NOT NULL,        -- stable code: WBRI ... OOTH, NK, PNS
	note TEXT,
	added_in INTEGER NOT NULL REFERENCES alias_version (version),
	removed_in INTEGER REFERENCES alias_version (version),
	line INTEGER,                  -- 'import': the line of the file
	CHECK (removed_in IS NULL OR removed_in > added_in)
);
CREATE UNIQUE INDEX alias_in_register ON alias (label_key)
	WHERE removed_in IS NULL;

-- Which version of the register a submission's labels were read with (0:
-- none; so are submissions stored before this migration), the code system
-- bare codes were read by ('none', 'nhs', 'dfe', 'police-sde',
-- 'police-ode': `--codes`), and whether it was made by an import or by
-- `parity returns reclassify` from the version it supersedes.
ALTER TABLE submission ADD COLUMN alias_version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE submission ADD COLUMN code_system TEXT NOT NULL DEFAULT 'none';
ALTER TABLE submission ADD COLUMN origin TEXT NOT NULL DEFAULT 'import'
	CHECK (origin IN ('import', 'reclassify'));

-- A reclassification that found every label of a submission reading the
-- same under a newer register: the submission is unchanged (no new
-- version), and this says it was checked against that version.
CREATE TABLE alias_check (
	submission_id INTEGER NOT NULL REFERENCES submission (id),
	alias_version INTEGER NOT NULL REFERENCES alias_version (version),
	checked_at TEXT NOT NULL,
	checked_by TEXT NOT NULL,
	PRIMARY KEY (submission_id, alias_version)
);

-- Every distinct ethnicity label of a submission as given (trimmed), the
-- records (rows, for a service return) that carried it, what it was read
-- as (a category code, or a service group code), and by which rule.
CREATE TABLE submission_label (
	submission_id INTEGER NOT NULL REFERENCES submission (id),
	label TEXT NOT NULL,
	records INTEGER NOT NULL CHECK (records >= 1),
	category TEXT NOT NULL,
	-- 'built-in', 'code system', 'write-in', 'register', 'alias file',
	-- or 'service' (a service's own group labels, src/domain/service_def.c)
	rule TEXT NOT NULL,
	PRIMARY KEY (submission_id, label)
);

-- Labels that an import refused, kept after the import itself was rolled
-- back: the label and how many records of the return carried it, never
-- the rows. A failed import of a return replaces its refused labels; a
-- successful one clears them.
CREATE TABLE refused_label (
	kind TEXT NOT NULL CHECK (kind IN ('workforce', 'recruitment',
		'service')),
	subject TEXT NOT NULL DEFAULT '',
	area_code TEXT NOT NULL,
	year INTEGER NOT NULL,
	label TEXT NOT NULL,
	records INTEGER NOT NULL CHECK (records >= 1),
	refused_at TEXT NOT NULL,
	PRIMARY KEY (kind, subject, area_code, year, label)
);

-- The label of each applicant and of each service count, as given, so
-- that they can be read again under a newer register (staff keep theirs
-- in their packed blocks: src/store/staff_pack.h, version 2). NULL for
-- records stored before this migration.
ALTER TABLE applicant ADD COLUMN label TEXT;
ALTER TABLE service_count ADD COLUMN label TEXT;
