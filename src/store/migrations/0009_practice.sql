-- 0009_practice.sql - the central resource pool of good practice
-- (src/store/practice_store.h, src/practice/, docs/formats/practice.md).
--
-- A practice record is submitted by a council for its own area, in
-- versions: an analyst approves a version, or returns it with comments and
-- the council sends a new version. Only approved versions are seen beyond
-- the council; the newest approved version of a record is the one shown,
-- and an approved version never changes (triggers). Nothing is deleted.
-- Times are whole seconds since 1970-01-01 UTC (INTEGER), as in 0007.

CREATE TABLE practice (
	id INTEGER PRIMARY KEY,
	-- the record's number, the same in all its versions: the id of its
	-- first version
	record INTEGER NOT NULL,
	version INTEGER NOT NULL CHECK (version >= 1),
	area_code TEXT NOT NULL,       -- the council that sent it
	state TEXT NOT NULL
		CHECK (state IN ('submitted', 'returned', 'approved')),
	title TEXT NOT NULL,
	strand TEXT NOT NULL,
	service_area TEXT NOT NULL,
	status TEXT NOT NULL,
	example INTEGER NOT NULL DEFAULT 0 CHECK (example IN (0, 1)),
	body TEXT NOT NULL,            -- the record as JSON, as checked
	submitted_at INTEGER NOT NULL,
	submitted_by TEXT NOT NULL,
	moderated_at INTEGER,
	moderated_by TEXT,
	comments TEXT,                 -- why it was returned
	UNIQUE (record, version)
);
CREATE INDEX practice_area ON practice (area_code, state);

-- The lead councils of a version (area codes), and its free tags.
CREATE TABLE practice_lead (
	practice_id INTEGER NOT NULL REFERENCES practice (id),
	area_code TEXT NOT NULL,
	PRIMARY KEY (practice_id, area_code)
);
CREATE TABLE practice_tag (
	practice_id INTEGER NOT NULL REFERENCES practice (id),
	tag TEXT NOT NULL,
	PRIMARY KEY (practice_id, tag)
);

-- A version is moderated once: from submitted to approved or returned.
CREATE TRIGGER practice_moderated_once BEFORE UPDATE ON practice
WHEN OLD.state <> 'submitted' OR NEW.state = 'submitted' OR
     NEW.id <> OLD.id OR NEW.record <> OLD.record OR
     NEW.version <> OLD.version OR NEW.body <> OLD.body OR
     NEW.area_code <> OLD.area_code
BEGIN
	SELECT RAISE(ABORT, 'a practice record''s version is moderated once, and its text never changes');
END;
CREATE TRIGGER practice_kept BEFORE DELETE ON practice
BEGIN
	SELECT RAISE(ABORT, 'practice records are never deleted');
END;
CREATE TRIGGER practice_lead_fixed BEFORE DELETE ON practice_lead
BEGIN
	SELECT RAISE(ABORT, 'practice records are never deleted');
END;
CREATE TRIGGER practice_tag_fixed BEFORE DELETE ON practice_tag
BEGIN
	SELECT RAISE(ABORT, 'practice records are never deleted');
END;

-- What readers search: the newest approved version of each record
-- (rowid = practice.record), kept by the library as versions are
-- approved. Porter stemming over Unicode words.
CREATE VIRTUAL TABLE practice_text USING fts5(
	title, summary, body, tags,
	tokenize = 'porter unicode61'
);
