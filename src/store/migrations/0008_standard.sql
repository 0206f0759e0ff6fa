-- 0008_standard.sql - the Racial Equality Standard and the toolkits and
-- survey on the same engine (issue 18; src/store/assessment_store.h,
-- src/standard/, docs/frameworks.md): councils' assessments against a
-- framework, their evidence, answers and action plans, and peer reviews.
-- Also: a reviewer account belongs to a council (the reviewing council),
-- as a submitter's or viewer's does.
--
-- Times are whole seconds since 1970-01-01 UTC (INTEGER), as in 0007.
--
-- Frameworks themselves are not stored: they are data files
-- (data/frameworks/), named here by id and version. A new version of a
-- framework never rewrites an assessment made against an older one.

-- A council's assessment against a framework (id and version) for a year.
-- Each save of a draft rewrites the draft; submitting it makes it an
-- immutable version. Changing a submitted assessment starts a new draft
-- version beside it (version + 1): the newest submitted version is the
-- one that counts, and every older one stays on record.
CREATE TABLE assessment (
	id INTEGER PRIMARY KEY,
	framework_id TEXT NOT NULL,
	framework_version INTEGER NOT NULL CHECK (framework_version >= 1),
	area_code TEXT NOT NULL,
	year INTEGER NOT NULL,
	version INTEGER NOT NULL CHECK (version >= 1),
	state TEXT NOT NULL CHECK (state IN ('draft', 'submitted')),
	-- the council lets other councils see its levels under its name
	share INTEGER NOT NULL DEFAULT 0 CHECK (share IN (0, 1)),
	-- a survey's free text may be shown with the council's name
	named INTEGER NOT NULL DEFAULT 0 CHECK (named IN (0, 1)),
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	updated_at INTEGER NOT NULL,
	submitted_at INTEGER,
	submitted_by TEXT,
	CHECK ((state = 'submitted') = (submitted_at IS NOT NULL)),
	UNIQUE (framework_id, area_code, year, version)
);
CREATE INDEX assessment_year ON assessment (framework_id, year, state);

-- The level a council chose for a criterion (1 = the framework's first
-- level), with what the figures suggested when it was saved, the figure
-- itself, the reason when the two differ, and its evidence in words.
CREATE TABLE assessment_criterion (
	assessment_id INTEGER NOT NULL REFERENCES assessment (id),
	criterion_id TEXT NOT NULL,
	level INTEGER CHECK (level IS NULL OR level >= 1),
	suggested_level INTEGER,
	figure REAL,
	figure_low REAL,
	figure_high REAL,
	reason TEXT,
	evidence TEXT,
	PRIMARY KEY (assessment_id, criterion_id)
);

-- Links to evidence (documents, pages), in the order given.
CREATE TABLE assessment_link (
	assessment_id INTEGER NOT NULL REFERENCES assessment (id),
	criterion_id TEXT NOT NULL,
	position INTEGER NOT NULL,
	url TEXT NOT NULL,
	PRIMARY KEY (assessment_id, criterion_id, position)
);

-- A survey's answers: one per question and service area ('' for an
-- answer about the council as a whole). A choice is its option's id, a
-- scale its number, free text the text.
CREATE TABLE assessment_answer (
	assessment_id INTEGER NOT NULL REFERENCES assessment (id),
	question_id TEXT NOT NULL,
	service_area TEXT NOT NULL DEFAULT '',
	value TEXT NOT NULL,
	PRIMARY KEY (assessment_id, question_id, service_area)
);

-- The action plan. An owner is a role ('Director of HR'), never a
-- person's name. The measure it is meant to move is named as a
-- framework link names it, with the value it started from.
CREATE TABLE assessment_action (
	assessment_id INTEGER NOT NULL REFERENCES assessment (id),
	position INTEGER NOT NULL,
	criterion_id TEXT NOT NULL,
	description TEXT NOT NULL,
	owner_role TEXT NOT NULL,
	due_date TEXT NOT NULL,        -- YYYY-MM-DD
	status TEXT NOT NULL CHECK (status IN ('planned', 'in-progress',
		'done', 'dropped')),
	measure TEXT,                  -- NULL: no measure
	breakdown TEXT NOT NULL DEFAULT '',
	ethnicity TEXT NOT NULL DEFAULT '',
	level TEXT NOT NULL DEFAULT '',
	service TEXT NOT NULL DEFAULT '',
	start_year INTEGER,
	start_value REAL,
	start_numerator REAL,
	start_denominator REAL,
	PRIMARY KEY (assessment_id, position)
);

-- A submitted assessment is immutable: neither it nor anything of it can
-- be changed or deleted, and nothing can be added to it. (A draft's rows
-- are rewritten at each save.)
CREATE TRIGGER assessment_submitted_no_update BEFORE UPDATE ON assessment
WHEN OLD.state = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be changed');
END;
CREATE TRIGGER assessment_submitted_no_delete BEFORE DELETE ON assessment
WHEN OLD.state = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be deleted');
END;
CREATE TRIGGER assessment_criterion_frozen_insert
BEFORE INSERT ON assessment_criterion
WHEN (SELECT state FROM assessment WHERE id = NEW.assessment_id) = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be changed');
END;
CREATE TRIGGER assessment_criterion_frozen_update
BEFORE UPDATE ON assessment_criterion
WHEN (SELECT state FROM assessment WHERE id = OLD.assessment_id) = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be changed');
END;
CREATE TRIGGER assessment_criterion_frozen_delete
BEFORE DELETE ON assessment_criterion
WHEN (SELECT state FROM assessment WHERE id = OLD.assessment_id) = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be changed');
END;
CREATE TRIGGER assessment_link_frozen_insert BEFORE INSERT ON assessment_link
WHEN (SELECT state FROM assessment WHERE id = NEW.assessment_id) = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be changed');
END;
CREATE TRIGGER assessment_link_frozen_update BEFORE UPDATE ON assessment_link
WHEN (SELECT state FROM assessment WHERE id = OLD.assessment_id) = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be changed');
END;
CREATE TRIGGER assessment_link_frozen_delete BEFORE DELETE ON assessment_link
WHEN (SELECT state FROM assessment WHERE id = OLD.assessment_id) = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be changed');
END;
CREATE TRIGGER assessment_answer_frozen_insert BEFORE INSERT ON assessment_answer
WHEN (SELECT state FROM assessment WHERE id = NEW.assessment_id) = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be changed');
END;
CREATE TRIGGER assessment_answer_frozen_update BEFORE UPDATE ON assessment_answer
WHEN (SELECT state FROM assessment WHERE id = OLD.assessment_id) = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be changed');
END;
CREATE TRIGGER assessment_answer_frozen_delete BEFORE DELETE ON assessment_answer
WHEN (SELECT state FROM assessment WHERE id = OLD.assessment_id) = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be changed');
END;
CREATE TRIGGER assessment_action_frozen_insert BEFORE INSERT ON assessment_action
WHEN (SELECT state FROM assessment WHERE id = NEW.assessment_id) = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be changed');
END;
CREATE TRIGGER assessment_action_frozen_update BEFORE UPDATE ON assessment_action
WHEN (SELECT state FROM assessment WHERE id = OLD.assessment_id) = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be changed');
END;
CREATE TRIGGER assessment_action_frozen_delete BEFORE DELETE ON assessment_action
WHEN (SELECT state FROM assessment WHERE id = OLD.assessment_id) = 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a submitted assessment cannot be changed');
END;

-- A peer review of a submitted assessment by another council (assurance):
-- assigned by an analyst, its entries recorded by the reviewing council's
-- reviewer, then signed off; the assessed council may then respond once.
-- Nothing of a review is ever deleted; once signed off its entries are
-- fixed, and once the council has responded the review is.
CREATE TABLE review (
	id INTEGER PRIMARY KEY,
	assessment_id INTEGER NOT NULL UNIQUE REFERENCES assessment (id),
	reviewer_area TEXT NOT NULL,
	assigned_at INTEGER NOT NULL,
	assigned_by TEXT NOT NULL,
	signed_off_at INTEGER,
	signed_off_by TEXT,
	response TEXT,
	responded_at INTEGER,
	responded_by TEXT,
	CHECK ((signed_off_at IS NULL) = (signed_off_by IS NULL)),
	CHECK ((response IS NULL) = (responded_at IS NULL)),
	CHECK (response IS NULL OR signed_off_at IS NOT NULL)
);

-- The reviewer's view of each criterion: agreement with the council's
-- level, or the level the reviewer would give, with a comment.
CREATE TABLE review_entry (
	review_id INTEGER NOT NULL REFERENCES review (id),
	criterion_id TEXT NOT NULL,
	agree INTEGER NOT NULL CHECK (agree IN (0, 1)),
	level INTEGER NOT NULL CHECK (level >= 1),
	comment TEXT NOT NULL DEFAULT '',
	recorded_at INTEGER NOT NULL,
	recorded_by TEXT NOT NULL,
	PRIMARY KEY (review_id, criterion_id)
);

CREATE TRIGGER review_no_delete BEFORE DELETE ON review
BEGIN
	SELECT RAISE(ABORT, 'a review cannot be deleted');
END;
-- Signed off: only the council's one response may be added.
CREATE TRIGGER review_signed_off BEFORE UPDATE ON review
WHEN OLD.signed_off_at IS NOT NULL AND (OLD.response IS NOT NULL OR
	NEW.signed_off_at IS NOT OLD.signed_off_at OR
	NEW.signed_off_by IS NOT OLD.signed_off_by OR
	NEW.reviewer_area IS NOT OLD.reviewer_area OR
	NEW.assessment_id IS NOT OLD.assessment_id OR
	NEW.assigned_at IS NOT OLD.assigned_at OR
	NEW.assigned_by IS NOT OLD.assigned_by)
BEGIN
	SELECT RAISE(ABORT, 'a signed-off review cannot be changed');
END;
CREATE TRIGGER review_entry_frozen_insert BEFORE INSERT ON review_entry
WHEN (SELECT signed_off_at FROM review WHERE id = NEW.review_id) IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'a signed-off review cannot be changed');
END;
CREATE TRIGGER review_entry_frozen_update BEFORE UPDATE ON review_entry
WHEN (SELECT signed_off_at FROM review WHERE id = OLD.review_id) IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'a signed-off review cannot be changed');
END;
CREATE TRIGGER review_entry_frozen_delete BEFORE DELETE ON review_entry
WHEN (SELECT signed_off_at FROM review WHERE id = OLD.review_id) IS NOT NULL
BEGIN
	SELECT RAISE(ABORT, 'a signed-off review cannot be changed');
END;

-- A reviewer belongs to a council, as a submitter or viewer does: the
-- account table is rebuilt with that check (SQLite cannot change a CHECK
-- in place; the migration runs with foreign keys off, and every row and
-- id is kept, so credentials and the audit log still point at them).
CREATE TABLE account_new (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL,
	role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'submitter',
		'viewer', 'reviewer')),
	-- the council (E09000001-E09000033) of a submitter, viewer or
	-- reviewer (the council that reviews); NULL for every other role
	area_code TEXT,
	state TEXT NOT NULL CHECK (state IN ('invited', 'active',
		'disabled')),
	password_hash TEXT,
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	failed_signins INTEGER NOT NULL DEFAULT 0 CHECK (failed_signins >= 0),
	locked_until INTEGER,
	CHECK ((role IN ('submitter', 'viewer', 'reviewer')) =
		(area_code IS NOT NULL)),
	CHECK (state <> 'active' OR password_hash IS NOT NULL)
);
INSERT INTO account_new (id, email, role, area_code, state, password_hash,
	created_at, created_by, failed_signins, locked_until)
SELECT id, email, role, area_code, state, password_hash, created_at,
	created_by, failed_signins, locked_until FROM account;
DROP TABLE account;
ALTER TABLE account_new RENAME TO account;
CREATE UNIQUE INDEX account_email ON account (lower(email));
