-- 0012_digest_archive.sql - the archive of Race Matters
-- (src/practice/digest.h): each issue kept, by its period, as the JSON
-- of its headings, paragraphs, entries and changes, for the published
-- site's page of past issues. An issue made again for the same period
-- replaces the one kept (a correction before it is sent); times are
-- whole seconds since 1970-01-01 UTC, as in 0007.

CREATE TABLE digest_issue (
	id INTEGER PRIMARY KEY,
	since TEXT NOT NULL,           -- YYYY-MM-DD, the first day
	until TEXT NOT NULL,           -- YYYY-MM-DD, the last day
	content TEXT NOT NULL,         -- the issue as JSON
	made_at INTEGER NOT NULL,
	made_by TEXT NOT NULL,
	UNIQUE (since, until)
);
