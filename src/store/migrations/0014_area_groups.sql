-- 0014_area_groups.sql - groups of boroughs a user defines (`parity areas
-- define NAME AREA...`; src/domain/area.h): reported and published as
-- areas, beside London's tree and its partnerships. A group is its name,
-- its code (G-<name>, never a GSS code) and its member boroughs by GSS
-- code. Removing a group (`parity areas undefine`) deletes it; what was
-- published with it stays in the releases.

CREATE TABLE area_group (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL UNIQUE COLLATE NOCASE,
	defined_at TEXT NOT NULL,
	defined_by TEXT NOT NULL
);

CREATE TABLE area_group_member (
	group_code TEXT NOT NULL REFERENCES area_group (code) ON DELETE CASCADE,
	area_code TEXT NOT NULL,
	PRIMARY KEY (group_code, area_code)
);
