-- 0011_practice_attachment.sql (PostgreSQL 15) - documents attached to
-- practice records (../0011_practice_attachment.sql,
-- src/practice/attachment.h): PDF, DOCX and XLSX files. An attachment
-- belongs to a version (practice.id); a council adds and removes them
-- while the version waits for moderation, and never after. The bytes are
-- kept once per content (practice_file, by SHA-256); a file no attachment
-- names any more is deleted. Times are whole seconds since 1970-01-01 UTC.

CREATE TABLE practice_file (
	rowid BIGINT GENERATED ALWAYS AS IDENTITY,
	sha256 TEXT PRIMARY KEY CHECK (length(sha256) = 64),
	type TEXT NOT NULL CHECK (type IN ('pdf', 'docx', 'xlsx')),
	size BIGINT NOT NULL CHECK (size > 0),
	bytes BYTEA NOT NULL,
	CHECK (length(bytes) = size)
);

CREATE TABLE practice_attachment (
	rowid BIGINT GENERATED ALWAYS AS IDENTITY,
	practice_id BIGINT NOT NULL REFERENCES practice (id),
	n BIGINT NOT NULL CHECK (n >= 1),
	name TEXT NOT NULL,            -- a plain file name, its extension
	                               -- the type's
	sha256 TEXT NOT NULL REFERENCES practice_file (sha256),
	added_at BIGINT NOT NULL,
	added_by TEXT NOT NULL,
	PRIMARY KEY (practice_id, n)
);
CREATE INDEX practice_attachment_file ON practice_attachment (sha256);

CREATE FUNCTION practice_attachment_while_submitted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF (SELECT state FROM practice WHERE id = NEW.practice_id)
	   IS DISTINCT FROM 'submitted' THEN
		RAISE EXCEPTION 'documents are attached to a version waiting for moderation only'
			USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	RETURN NEW;
END $$;
CREATE TRIGGER practice_attachment_while_submitted
BEFORE INSERT ON practice_attachment
	FOR EACH ROW EXECUTE FUNCTION practice_attachment_while_submitted();

CREATE FUNCTION practice_attachment_removed_while_submitted() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF (SELECT state FROM practice WHERE id = OLD.practice_id)
	   IS DISTINCT FROM 'submitted' THEN
		RAISE EXCEPTION 'a moderated version''s documents never change'
			USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	RETURN OLD;
END $$;
CREATE TRIGGER practice_attachment_removed_while_submitted
BEFORE DELETE ON practice_attachment
	FOR EACH ROW EXECUTE FUNCTION practice_attachment_removed_while_submitted();

-- practice_attachment_fixed and practice_file_fixed.
CREATE FUNCTION practice_document_fixed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'an attached document never changes'
		USING ERRCODE = 'integrity_constraint_violation';
END $$;
CREATE TRIGGER practice_attachment_fixed BEFORE UPDATE ON practice_attachment
	FOR EACH ROW EXECUTE FUNCTION practice_document_fixed();
CREATE TRIGGER practice_file_fixed BEFORE UPDATE ON practice_file
	FOR EACH ROW EXECUTE FUNCTION practice_document_fixed();

CREATE FUNCTION practice_file_kept_while_named() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	IF EXISTS (SELECT 1 FROM practice_attachment WHERE sha256 = OLD.sha256) THEN
		RAISE EXCEPTION 'an attached document is deleted only when no version names it'
			USING ERRCODE = 'integrity_constraint_violation';
	END IF;
	RETURN OLD;
END $$;
CREATE TRIGGER practice_file_kept_while_named BEFORE DELETE ON practice_file
	FOR EACH ROW EXECUTE FUNCTION practice_file_kept_while_named();

UPDATE schema_version SET version = 11;
