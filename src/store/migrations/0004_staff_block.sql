-- 0004_staff_block.sql - staff records packed in runs (src/store/staff_pack.h): one row holds up
-- to 8,192 consecutive records of one submission, so that an import of
-- millions of staff makes thousands of inserts rather than millions, and
-- reading a return back is a scan of a few blobs. `seq` orders a
-- submission's runs as the records came in the file.
--
-- Records stored by earlier versions stay in `staff`, one row each, and
-- are read from there; new imports add none there.
CREATE TABLE staff_block (
	submission_id INTEGER NOT NULL REFERENCES submission (id),
	seq INTEGER NOT NULL,
	records INTEGER NOT NULL CHECK (records BETWEEN 1 AND 8192),
	data BLOB NOT NULL,
	PRIMARY KEY (submission_id, seq)
);
