-- 0004_staff_block.sql (PostgreSQL 15) - staff records packed in runs of
-- up to 8,192 consecutive records of one submission
-- (../0004_staff_block.sql, src/store/staff_pack.h). `seq` orders a
-- submission's runs as the records came in the file.
CREATE TABLE staff_block (
	rowid BIGINT GENERATED ALWAYS AS IDENTITY,
	submission_id BIGINT NOT NULL REFERENCES submission (id),
	seq BIGINT NOT NULL,
	records BIGINT NOT NULL CHECK (records BETWEEN 1 AND 8192),
	data BYTEA NOT NULL,
	PRIMARY KEY (submission_id, seq)
);

UPDATE schema_version SET version = 4;
