-- 0011_practice_attachment.sql - documents attached to practice records
-- (src/store/practice_store.h, src/practice/attachment.h,
-- docs/formats/practice.md): PDF, DOCX and XLSX files, checked by their
-- content before they reach the store.
--
-- An attachment belongs to a version of a record (practice.id), is
-- numbered within it (1, 2, ...), and is seen by whoever may see that
-- version: before approval its council and London Councils' analysts
-- only, after it everyone. A council adds and removes attachments while
-- the version waits for moderation; once it is approved or returned its
-- attachments never change (triggers). A new version of a record starts
-- with the attachments of the version before it, carried over with who
-- added them and when.
--
-- The bytes are kept once per content (practice_file, by SHA-256), however
-- many versions carry them; a file no attachment names any more is
-- deleted, so that a document removed by mistake does not stay in the
-- store. Times are whole seconds since 1970-01-01 UTC, as in 0007.

CREATE TABLE practice_file (
	sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
	type TEXT NOT NULL CHECK (type IN ('pdf', 'docx', 'xlsx')),
	size INTEGER NOT NULL CHECK (size > 0),
	bytes BLOB NOT NULL,
	CHECK (length(bytes) = size)
);

CREATE TABLE practice_attachment (
	practice_id INTEGER NOT NULL REFERENCES practice (id),
	n INTEGER NOT NULL CHECK (n >= 1),
	name TEXT NOT NULL,            -- a plain file name, its extension
	                               -- the type's
	sha256 TEXT NOT NULL REFERENCES practice_file (sha256),
	added_at INTEGER NOT NULL,
	added_by TEXT NOT NULL,
	PRIMARY KEY (practice_id, n)
);
CREATE INDEX practice_attachment_file ON practice_attachment (sha256);

CREATE TRIGGER practice_attachment_while_submitted
BEFORE INSERT ON practice_attachment
WHEN (SELECT state FROM practice WHERE id = NEW.practice_id)
     IS NOT 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'documents are attached to a version waiting for moderation only');
END;
CREATE TRIGGER practice_attachment_removed_while_submitted
BEFORE DELETE ON practice_attachment
WHEN (SELECT state FROM practice WHERE id = OLD.practice_id)
     IS NOT 'submitted'
BEGIN
	SELECT RAISE(ABORT, 'a moderated version''s documents never change');
END;
CREATE TRIGGER practice_attachment_fixed BEFORE UPDATE ON practice_attachment
BEGIN
	SELECT RAISE(ABORT, 'an attached document never changes');
END;
CREATE TRIGGER practice_file_fixed BEFORE UPDATE ON practice_file
BEGIN
	SELECT RAISE(ABORT, 'an attached document never changes');
END;
CREATE TRIGGER practice_file_kept_while_named BEFORE DELETE ON practice_file
WHEN EXISTS (SELECT 1 FROM practice_attachment WHERE sha256 = OLD.sha256)
BEGIN
	SELECT RAISE(ABORT, 'an attached document is deleted only when no version names it');
END;
