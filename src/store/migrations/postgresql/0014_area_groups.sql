-- 0014_area_groups.sql (PostgreSQL 15) - groups of boroughs a user defines
-- (../0014_area_groups.sql, src/domain/area.h): a name, a code (G-<name>)
-- and member boroughs by GSS code.
--
-- SQLite's COLLATE NOCASE (on the name here, and in the store's query
-- `code = ?1 COLLATE NOCASE`) is the collation `nocase` made here: ICU,
-- case-insensitive, accent-sensitive (strength 2). Unquoted, the store's
-- NOCASE names it. (SQLite's folds ASCII letters only.)
CREATE COLLATION IF NOT EXISTS nocase
	(provider = icu, locale = 'und-u-ks-level2', deterministic = false);

CREATE TABLE area_group (
	rowid BIGINT GENERATED ALWAYS AS IDENTITY,
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL UNIQUE COLLATE nocase,
	defined_at TEXT NOT NULL,
	defined_by TEXT NOT NULL
);

CREATE TABLE area_group_member (
	rowid BIGINT GENERATED ALWAYS AS IDENTITY,
	group_code TEXT NOT NULL REFERENCES area_group (code) ON DELETE CASCADE,
	area_code TEXT NOT NULL,
	PRIMARY KEY (group_code, area_code)
);

UPDATE schema_version SET version = 14;
