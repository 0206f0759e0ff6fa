-- 0007_accounts.sql - the hub's accounts, the secrets that act for them
-- (invitations, sign-in sessions, API tokens), failed sign-ins by address,
-- and the audit log (issue 17; src/store/accounts.h, src/hub/accounts.h,
-- docs/security.md).
--
-- Times here are whole seconds since 1970-01-01 UTC (INTEGER), not ISO
-- text as elsewhere in the store: expiry, idle time and lockout are
-- arithmetic on them, and the hub is given `now` so that tests can move
-- time. The commands show them as ISO 8601 UTC.
--
-- No secret is stored. A password is kept only as its Argon2id string
-- (libsodium's crypto_pwhash_str: algorithm, parameters, salt and hash);
-- an invitation link, a session cookie or an API token only as the
-- BLAKE2b-256 hash of the secret.

-- A person who may sign in to the hub. Accounts are never deleted (the
-- audit log points at them): one that should no longer act is disabled.
-- Emails are kept as the hub normalised them (lower case) and are unique
-- whatever their case.
CREATE TABLE account (
	id INTEGER PRIMARY KEY,
	email TEXT NOT NULL,
	-- 'reviewer' is reserved for the Racial Equality Standard (issue 18)
	role TEXT NOT NULL CHECK (role IN ('admin', 'analyst', 'submitter',
		'viewer', 'reviewer')),
	-- the council (E09000001-E09000033) of a submitter or viewer; NULL
	-- for every other role (checked against the areas by the hub)
	area_code TEXT,
	state TEXT NOT NULL CHECK (state IN ('invited', 'active',
		'disabled')),
	password_hash TEXT,            -- Argon2id string; NULL until set
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,      -- 'cli:USER', or an admin's email
	failed_signins INTEGER NOT NULL DEFAULT 0 CHECK (failed_signins >= 0),
	locked_until INTEGER,          -- refused until then; NULL: not locked
	CHECK ((role IN ('submitter', 'viewer')) = (area_code IS NOT NULL)),
	CHECK (state <> 'active' OR password_hash IS NOT NULL)
);
CREATE UNIQUE INDEX account_email ON account (lower(email));

-- A secret that acts for an account: a one-time invitation (to set a
-- password: made by an invitation or a reset), a sign-in session (a
-- browser's cookie), or an API token (a script's Bearer token). Only the
-- hash of the secret is kept. A credential is ended by `revoked_at`
-- (sign-out, an invitation used or replaced, a token revoked, the account
-- disabled) or by `expires_at`; rows are kept, as history.
CREATE TABLE credential (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL CHECK (kind IN ('invitation', 'session', 'token')),
	account_id INTEGER NOT NULL REFERENCES account (id),
	secret_hash BLOB NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
	name TEXT,                     -- a token's name, as its maker gave it
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	expires_at INTEGER,            -- NULL: never (tokens, unless given)
	last_used_at INTEGER,
	revoked_at INTEGER,
	CHECK (name IS NULL OR kind = 'token')
);
CREATE INDEX credential_account ON credential (account_id, kind);

-- Failed sign-ins by network address, for the per-address limit: rows
-- older than the limit's window are deleted as new ones are added (this
-- is a counter, not a record: the audit log keeps the record).
CREATE TABLE signin_failure (
	ip TEXT NOT NULL,
	at INTEGER NOT NULL
);
CREATE INDEX signin_failure_ip ON signin_failure (ip, at);

-- The audit log: who did what, when, to which council's data, and how it
-- ended. `account_id` is the account that acted (NULL for the public and
-- for the command line, whose `actor` is 'cli:USER'); `target_account_id`
-- the account an account or token change was made to. It never holds a
-- secret, a password or an ethnicity value.
CREATE TABLE audit (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	account_id INTEGER REFERENCES account (id),
	actor TEXT NOT NULL,           -- an email, 'public' or 'cli:USER'
	action TEXT NOT NULL,          -- 'signin.success', 'upload', ...
	area_code TEXT,
	year INTEGER,
	-- no reference: a refused upload has no submission, and an entry
	-- outlives a submission taken back (store_submission_discard())
	submission_id INTEGER,
	outcome TEXT NOT NULL,         -- 'ok', 'denied', 'limited', ...
	detail TEXT,
	target_account_id INTEGER REFERENCES account (id)
);
CREATE INDEX audit_at ON audit (at);

-- Append-only: the store refuses to change or delete an entry. (SQLite's
-- triggers; a PostgreSQL store would do the same with a trigger function
-- and by granting the hub INSERT and SELECT only. Whoever can write the
-- database file itself can still drop them: the file's permissions, 0600,
-- are the outer wall.)
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only: an entry cannot be changed');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only: an entry cannot be deleted');
END;
-- INSERT OR REPLACE deletes the row it replaces without firing the DELETE
-- trigger (unless recursive_triggers is on): refuse an insert whose id is
-- taken.
CREATE TRIGGER audit_no_replace BEFORE INSERT ON audit
WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id)
BEGIN
	SELECT RAISE(ABORT, 'the audit log is append-only: an entry cannot be replaced');
END;
