-- 0005_key_fingerprint.sql (PostgreSQL 15) - the fingerprint of the
-- store's key, never the key itself (../0005_key_fingerprint.sql). One
-- row, id 1, given by the store.
CREATE TABLE key_fingerprint (
	id BIGINT PRIMARY KEY CHECK (id = 1),
	fingerprint BYTEA NOT NULL CHECK (length(fingerprint) = 32),
	recorded_at TEXT NOT NULL
);

UPDATE schema_version SET version = 5;
