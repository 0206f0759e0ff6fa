-- 0005_key_fingerprint.sql - the fingerprint of the store's key: a keyed
-- hash of a fixed text under the key (pseudonym_key_fingerprint() in
-- src/store/pseudonym.h), never the key itself. A store refuses to open
-- with a key whose fingerprint differs, so that another store's key cannot
-- silently make pseudonyms that stop matching earlier years. A store made
-- before this version records the fingerprint of the key it is next opened
-- with for writing.
CREATE TABLE key_fingerprint (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	fingerprint BLOB NOT NULL CHECK (length(fingerprint) = 32),
	recorded_at TEXT NOT NULL
);
