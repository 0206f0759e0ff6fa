/*
 * sqlite.c - the store on SQLite (see store.h): creating, opening and
 * closing it, its connection's settings, its migrations, its key, and its
 * transactions. What it holds, and the SQL that reads and writes that, are
 * store.c's, through db.h (db_sqlite.c runs it on SQLite).
 *
 * SQLite's own parts live here: pragmas, user_version, application_id,
 * the files beside the store. The schema is in src/store/migrations/,
 * compiled into the binary.
 *
 * Connection settings, set and then read back at every open, because a
 * store that silently runs without them breaks its promises:
 *   journal_mode=WAL       readers never block the writer;
 *   synchronous=FULL       a commit is on disk when store_commit() returns;
 *   foreign_keys=ON        records cannot point at a missing submission;
 *   trusted_schema=OFF     the schema cannot call functions with side
 *                          effects (defence against a crafted file);
 *   secure_delete=ON       deleted personal data is overwritten;
 *   busy_timeout 5000 ms   a second writer waits rather than failing;
 *   SQLITE_DBCONFIG_DEFENSIVE  no writes that could corrupt the file.
 *
 * Migrations are numbered; those newer than the store's user_version are
 * applied in one BEGIN IMMEDIATE transaction, which also sets the version,
 * so a migration is all-or-nothing like an import.
 *
 * The key. The store keeps its key's fingerprint (table key_fingerprint,
 * pseudonym_key_fingerprint()) and refuses any other key. A store made
 * before fingerprints were kept records that of the key it is first
 * opened with for writing, and says so through store_notice().
 *
 * Reading only. store_open_readonly() opens the database with
 * SQLITE_OPEN_READONLY and query_only=ON: no migration, no pragma that
 * writes, nothing that needs write permission. A reader in WAL mode needs
 * the shared-memory file (`-shm`) beside the store, and would make one
 * with the store's own mode: on a store that cannot be written that would
 * be a read-only -shm, which goes on blocking writers after the store's
 * permissions are put right. So when there is no write-ahead log (no
 * connection is open, and the database file holds every commit) and the
 * store or its directory cannot be written, the reader opens it as
 * immutable instead and makes no file at all. (An immutable reader takes
 * no locks; it is used only where this user could not write the store, so
 * only another user's writer could start while it reads.) A log that
 * holds changes is never skipped: then the reader shares it like any
 * other, or says why it cannot.
 */
#include "store/store.h"

#include "base/alloc.h"
#include "store/objection.h"
#include "store/db_sqlite.h"
#include "store/retention.h"
#include "store/store_internal.h"
#include "store/staff_pack.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sodium.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const char parity_data_0001_init_sql[];
extern const size_t parity_data_0001_init_sql_len;
extern const char parity_data_0002_classification_sql[];
extern const size_t parity_data_0002_classification_sql_len;
extern const char parity_data_0003_services_sql[];
extern const size_t parity_data_0003_services_sql_len;
extern const char parity_data_0004_staff_block_sql[];
extern const size_t parity_data_0004_staff_block_sql_len;
extern const char parity_data_0005_key_fingerprint_sql[];
extern const size_t parity_data_0005_key_fingerprint_sql_len;
extern const char parity_data_0006_alias_register_sql[];
extern const size_t parity_data_0006_alias_register_sql_len;
extern const char parity_data_0007_accounts_sql[];
extern const size_t parity_data_0007_accounts_sql_len;
extern const char parity_data_0008_standard_sql[];
extern const size_t parity_data_0008_standard_sql_len;
extern const char parity_data_0009_practice_sql[];
extern const size_t parity_data_0009_practice_sql_len;
extern const char parity_data_0010_learning_lab_sql[];
extern const size_t parity_data_0010_learning_lab_sql_len;
extern const char parity_data_0011_practice_attachment_sql[];
extern const size_t parity_data_0011_practice_attachment_sql_len;
extern const char parity_data_0012_digest_archive_sql[];
extern const size_t parity_data_0012_digest_archive_sql_len;
extern const char parity_data_0013_attainment_sql[];
extern const size_t parity_data_0013_attainment_sql_len;
extern const char parity_data_0014_area_groups_sql[];
extern const size_t parity_data_0014_area_groups_sql_len;
extern const char parity_data_0015_privacy_sql[];
extern const size_t parity_data_0015_privacy_sql_len;

/* "PRTY": marks a SQLite file as a parity store. */
#define STORE_APPLICATION_ID 0x50525459

static const struct {
	int version;
	const char *sql;
} migrations[] = {
	{ 1, parity_data_0001_init_sql },
	{ 2, parity_data_0002_classification_sql },
	{ 3, parity_data_0003_services_sql },
	{ 4, parity_data_0004_staff_block_sql },
	{ 5, parity_data_0005_key_fingerprint_sql },
	{ 6, parity_data_0006_alias_register_sql },
	{ 7, parity_data_0007_accounts_sql },
	{ 8, parity_data_0008_standard_sql },
	{ 9, parity_data_0009_practice_sql },
	{ 10, parity_data_0010_learning_lab_sql },
	{ 11, parity_data_0011_practice_attachment_sql },
	{ 12, parity_data_0012_digest_archive_sql },
	{ 13, parity_data_0013_attainment_sql },
	{ 14, parity_data_0014_area_groups_sql },
	{ 15, parity_data_0015_privacy_sql },
};


static int open_for_writing(struct store **out, const char *path,
			    bool new_store, struct parity_error *err);
static int open_reader(struct store **out, const char *path,
		       struct parity_error *err);

/* ---- errors ---- */

/* The SQLite connection under the store's, for what only SQLite has. */
static sqlite3 *sqlite_of(const struct store *s)
{
	return db_sqlite_handle(s->db);
}

/* The error number of the last failed system call on the store's
 * write-ahead log, or else on the store itself: which SQLite's own
 * sqlite3_system_errno() may have lost by the time it is asked. */
static int last_errno(const struct store *s)
{
	sqlite3_file *log = NULL;
	int e = 0;

	if (sqlite3_file_control(sqlite_of(s), "main",
				 SQLITE_FCNTL_JOURNAL_POINTER,
				 &log) == SQLITE_OK &&
	    log && log->pMethods && log->pMethods->xFileControl &&
	    log->pMethods->xFileControl(log, SQLITE_FCNTL_LAST_ERRNO, &e) ==
		    SQLITE_OK &&
	    e)
		return e;
	if (sqlite3_file_control(sqlite_of(s), "main", SQLITE_FCNTL_LAST_ERRNO,
				 &e) != SQLITE_OK)
		e = 0;
	return e;
}

/*
 * The connection's last error in the store's words. A disk with no room
 * (SQLITE_FULL, or a write refused for want of room) is PARITY_ERR_FULL,
 * and a store that cannot be written (SQLITE_READONLY, or a write refused
 * by a read-only file system or an immutable file) PARITY_ERR_READ_ONLY,
 * as parity_status_of_write_errno() reads the error number, so that a
 * front end can say what to put right.
 */
static int store_fail(const struct store *s, struct parity_error *err,
		      const char *what)
{
	int code = sqlite3_extended_errcode(sqlite_of(s)) & 0xFF;
	int sys = code == SQLITE_IOERR ? last_errno(s) : 0;
	enum parity_status written = parity_status_of_write_errno(sys);

	if (code == SQLITE_BUSY || code == SQLITE_LOCKED)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"%s: the store is busy: another "
					"process has been writing to it for "
					"more than 5 seconds", what);
	if (code == SQLITE_FULL)
		return parity_error_set(err, PARITY_ERR_FULL, s->path, 0, 0,
					"%s: the disk is full", what);
	if (written == PARITY_ERR_FULL)
		return parity_error_set(err, PARITY_ERR_FULL, s->path, 0, 0,
					"%s: the disk is full (%s)", what,
					strerror(sys));
	if (code == SQLITE_READONLY)
		return parity_error_set(err, PARITY_ERR_READ_ONLY, s->path, 0,
					0, "%s: the store cannot be written "
					"(%s)", what, db_error_message(s->db));
	if (written == PARITY_ERR_READ_ONLY)
		return parity_error_set(err, PARITY_ERR_READ_ONLY, s->path, 0,
					0, "%s: the store cannot be written "
					"(%s)", what, strerror(sys));
	return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0, "%s: %s",
				what, db_error_message(s->db));
}

/* FTS5 reads the portable expression as it is. */
static int practice_query(const char *expression, char *out, size_t size)
{
	int n = snprintf(out, size, "%s", expression);

	return n < 0 || (size_t)n >= size ? -1 : 0;
}

static const struct store_backend sqlite_backend = {
	.begin_sql = "BEGIN IMMEDIATE",
	.fail = store_fail,
	/* FTS5 (0009_practice.sql): the title counts ten times a word of the
	 * body, the summary and tags four times; the snippet is of the body,
	 * where the record says what was done */
	.practice_match_sql =
		"SELECT rowid, bm25(practice_text, 10.0, 4.0, 1.0, 4.0), "
		"snippet(practice_text, -1, char(1), char(2), '…', 24) "
		"FROM practice_text WHERE practice_text MATCH ? "
		"ORDER BY 2, rowid",
	.practice_query = practice_query,
};

/* ---- creating and opening ---- */

/* `path` with `suffix` added; the caller frees it. */
char *store_sql_path_with(const char *path, const char *suffix)
{
	size_t n = strlen(path) + strlen(suffix) + 1;
	char *p = xmalloc(n);

	snprintf(p, n, "%s%s", path, suffix);
	return p;
}

static char *key_path_for(const char *path)
{
	return store_sql_path_with(path, ".key");
}

void store_sql_sync_directory(const char *path)
{
	char *copy = xstrdup(path);
	int fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(copy);
}

static void remove_store_files(const char *path, const char *key_path)
{
	char *wal = store_sql_path_with(path, "-wal");
	char *shm = store_sql_path_with(path, "-shm");

	unlink(path);
	unlink(key_path);
	unlink(wal);
	unlink(shm);
	free(wal);
	free(shm);
}

int store_sqlite_create(const char *path, struct parity_error *err)
{
	char *key_path = key_path_for(path);
	struct store *s = NULL;
	struct stat st;
	int fd, status = -1;

	if (lstat(path, &st) == 0) {
		parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
				 "a file already exists here: parity init "
				 "never overwrites a store");
		goto out;
	}
	if (lstat(key_path, &st) == 0) {
		parity_error_set(err, PARITY_ERR_IO, key_path, 0, 0,
				 "a key file already exists here: move it "
				 "away if it belongs to no store");
		goto out;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		  0600);
	if (fd < 0) {
		parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
				 "cannot create the store: %s",
				 strerror(errno));
		goto out;
	}
	close(fd);
	if (pseudonym_key_create(key_path, err) < 0) {
		unlink(path);
		goto out;
	}
	if (open_for_writing(&s, path, true, err) < 0) {
		remove_store_files(path, key_path);
		goto out;
	}
	store_close(s);
	store_sql_sync_directory(path);
	status = 0;
out:
	free(key_path);
	return status;
}

/* Set a pragma and read it back: the store refuses to run without it. */
static int require_pragma(struct store *s, const char *set,
			  const char *get, long want, const char *what,
			  struct parity_error *err)
{
	long got = -1;

	if (store_sql_exec(s, set, what, err) < 0 ||
	    store_sql_query_int(s, NULL, get, &got, err) < 0)
		return -1;
	if (got != want)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"cannot turn on %s (SQLite %s)", what,
					sqlite3_libversion());
	return 0;
}

static int set_journal_wal(struct store *s, struct parity_error *err)
{
	struct db_stmt *st;
	int ok;

	if (store_sql_prepare(s, &st, "PRAGMA journal_mode=WAL", err) < 0)
		return -1;
	ok = db_step(st) == DB_ROW &&
	     db_column_text(st, 0) &&
	     strcmp(db_column_text(st, 0), "wal") == 0;
	db_finalize(st);
	if (!ok)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"cannot switch the store to WAL mode "
					"(is it on a network file system?)");
	return 0;
}

/* What every connection sets, reader or writer: extended result codes,
 * SQLite's defensive mode and a busy timeout of 5 seconds. */
static int configure_connection(struct store *s, struct parity_error *err)
{
	int on = 0;

	sqlite3_extended_result_codes(sqlite_of(s), 1);
	if (sqlite3_db_config(sqlite_of(s), SQLITE_DBCONFIG_DEFENSIVE, 1,
			      &on) != SQLITE_OK ||
	    !on)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"cannot turn on SQLite's defensive mode");
	if (sqlite3_busy_timeout(sqlite_of(s), 5000) != SQLITE_OK)
		return store_fail(s, err, "cannot set the busy timeout");
	return 0;
}

static int configure(struct store *s, struct parity_error *err)
{
	if (configure_connection(s, err) < 0)
		return -1;
	if (set_journal_wal(s, err) < 0 ||
	    require_pragma(s, "PRAGMA synchronous=FULL", "PRAGMA synchronous",
			   2, "synchronous=FULL", err) < 0 ||
	    require_pragma(s, "PRAGMA foreign_keys=ON", "PRAGMA foreign_keys",
			   1, "foreign keys", err) < 0 ||
	    require_pragma(s, "PRAGMA trusted_schema=OFF",
			   "PRAGMA trusted_schema", 0, "trusted_schema=OFF",
			   err) < 0 ||
	    require_pragma(s, "PRAGMA secure_delete=ON",
			   "PRAGMA secure_delete", 1, "secure_delete", err) < 0)
		return -1;
	/* 64 MB of page cache: imports write hundreds of MB in one
	 * transaction. Memory stays bounded by this, not by the file. */
	return store_sql_exec(s, "PRAGMA cache_size=-65536",
			      "cannot set the cache size", err);
}

/* After a migration: every record still points at a row that exists. */
static int foreign_keys_intact(struct store *s, struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	if (store_sql_prepare(s, &st, "PRAGMA foreign_key_check", err) < 0)
		return -1;
	rc = db_step(st);
	db_finalize(st);
	if (rc == DB_ROW)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"a migration left records that point "
					"at nothing: the store is unchanged");
	if (rc != DB_DONE)
		return store_fail(s, err, "cannot check the foreign keys");
	return 0;
}

static int migrate(struct store *s, struct parity_error *err)
{
	size_t count = sizeof(migrations) / sizeof(migrations[0]), k;
	long version = 0, app_id = 0, objects = 0;

	if (store_sql_query_int(s, NULL, "PRAGMA user_version", &version, err) <
	    0)
		return -1;
	if (version > STORE_SCHEMA_VERSION)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"the store has schema version %ld, but "
					"this parity knows only up to %d: use "
					"a newer parity", version,
					STORE_SCHEMA_VERSION);
	if (version == STORE_SCHEMA_VERSION)
		goto check_id;
	/* A migration may rebuild a table (SQLite's way of changing a
	 * constraint), which needs foreign keys off while it runs; the
	 * pragma cannot change inside a transaction. They are checked before
	 * the commit and turned back on after it. */
	if (store_sql_exec(s, "PRAGMA foreign_keys=OFF",
			   "cannot prepare a migration", err) < 0)
		return -1;
	if (store_begin(s, err) < 0)
		goto fail;
	/* Another process may have migrated while we waited for the lock. */
	if (store_sql_query_int(s, NULL, "PRAGMA user_version", &version, err) <
		    0 ||
	    store_sql_query_int(s, NULL, "SELECT count(*) FROM sqlite_schema",
				&objects, err) < 0)
		goto fail;
	if (version == 0 && objects > 0) {
		parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
				 "this is an SQLite database, but not a "
				 "parity store");
		goto fail;
	}
	for (k = 0; k < count; k++) {
		char sql[64];

		if (migrations[k].version <= version)
			continue;
		if (store_sql_exec(s, migrations[k].sql,
				   "cannot apply a migration", err) < 0)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d",
			 migrations[k].version);
		if (store_sql_exec(s, sql, "cannot record the schema version",
				   err) < 0)
			goto fail;
	}
	if (version == 0) {
		char sql[64];

		snprintf(sql, sizeof(sql), "PRAGMA application_id=%d",
			 STORE_APPLICATION_ID);
		if (store_sql_exec(s, sql, "cannot mark the store", err) < 0)
			goto fail;
	}
	if (foreign_keys_intact(s, err) < 0 || store_commit(s, err) < 0)
		goto fail;
	if (version > 0)
		store_sql_notice(
			s, "brought the store from schema version %ld to %d",
			version, STORE_SCHEMA_VERSION);
	if (require_pragma(s, "PRAGMA foreign_keys=ON", "PRAGMA foreign_keys",
			   1, "foreign keys", err) < 0)
		return -1;
check_id:
	if (store_sql_query_int(s, NULL, "PRAGMA application_id", &app_id,
				err) < 0)
		return -1;
	if (app_id != STORE_APPLICATION_ID)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"this SQLite database is not a parity "
					"store");
	if (store_sql_query_int(s, NULL, "PRAGMA user_version", &version, err) <
	    0)
		return -1;
	s->schema_version = (int)version;
	return 0;
fail:
	store_rollback(s);
	(void)store_sql_exec(s, "PRAGMA foreign_keys=ON", "", NULL);
	return -1;
}



/* ---- opening ---- */

/* The directory that holds `path`; the caller frees it. */
static char *directory_of(const char *path)
{
	char *copy = xstrdup(path), *dir = xstrdup(dirname(copy));

	free(copy);
	return dir;
}

/* A new handle on the store at `path`, once it is known to be a regular
 * file and its key has loaded; NULL with `err` filled otherwise. */
static struct store *open_start(const char *path, struct parity_error *err)
{
	struct store *s;
	struct stat st;

	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			parity_error_set(err, PARITY_ERR_STORE, path, 0, 0,
					 "no store here: create one with "
					 "`parity init --db %s`", path);
		else
			parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					 "cannot open the store: %s",
					 strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		parity_error_set(err, PARITY_ERR_STORE, path, 0, 0,
				 "not a store: not a regular file");
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->backend = &sqlite_backend;
	s->path = xstrdup(path);
	s->key_path = key_path_for(path);
	if (pseudonym_key_load(s->key_path, &s->key, err) < 0) {
		store_close(s);
		return NULL;
	}
	return s;
}

/* After a failed open: say plainly what SQLite's "file is not a database"
 * means, and free the handle. */
static int open_failed(struct store *s, const char *path,
		       struct parity_error *err)
{
	if (err && err->code == PARITY_ERR_STORE && err->message[0] &&
	    strstr(err->message, "file is not a database"))
		parity_error_set(err, PARITY_ERR_STORE, path, 0, 0,
				 "not a store: the file is not an SQLite "
				 "database");
	store_close(s);
	return -1;
}

/* Open the connection to `name` (a path, or a URI with `flags` saying
 * so). */
static int connect_db(struct store *s, const char *name, int flags,
		      struct parity_error *err)
{
	sqlite3 *handle = NULL;
	int rc = sqlite3_open_v2(name, &handle,
				 flags | SQLITE_OPEN_NOFOLLOW |
				 SQLITE_OPEN_NOMUTEX, NULL);

	if (handle)
		s->db = db_sqlite_adopt(handle);
	if (rc == SQLITE_OK)
		return 0;
	if (s->db)
		return store_fail(s, err, "cannot open the store");
	return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
				"cannot open the store: %s",
				sqlite3_errstr(rc));
}

static const char *const reading_still_works =
	"commands that only read it (parity returns, report, quality, "
	"publish) still work";

/*
 * The store's shared-memory file and write-ahead log, where they exist,
 * can be written. Both are left behind by a reader that could not remove
 * them, with the store's mode of the time: read-only if the store was, and
 * they then go on blocking writers after the store's own mode is put
 * right. *both_there: neither is missing (so the directory need not be
 * written to make them).
 */
static int check_side_files(const struct store *s, bool *both_there,
			    struct parity_error *err)
{
	static const char *const suffix[2] = { "-shm", "-wal" };
	static const char *const what[2] = { "shared-memory file",
					     "write-ahead log" };
	char *side[2];
	struct stat st[2];
	bool there[2], blocked[2];
	int k, first = -1, status = 0;

	for (k = 0; k < 2; k++) {
		side[k] = store_sql_path_with(s->path, suffix[k]);
		there[k] = lstat(side[k], &st[k]) == 0;
		blocked[k] = there[k] && (!S_ISREG(st[k].st_mode) ||
					  access(side[k], W_OK) < 0);
		if (blocked[k] && first < 0)
			first = k;
	}
	*both_there = there[0] && there[1];
	/* an empty log, or the -shm, can go: SQLite makes new ones; a log
	 * with data in it holds stored returns */
	if (blocked[0] && blocked[1])
		status = parity_error_set(
			err, PARITY_ERR_STORE, side[0], 0, 0,
			"the store's shared-memory file and write-ahead log "
			"'%s' cannot be written by the user running parity "
			"(modes %03o and %03o), so neither can the store, "
			"though the store itself could be: they were probably "
			"left by a reader while the store could not be "
			"written. Make them writable (chmod 600 '%s' '%s', as "
			"their owner)%s; %s", side[1],
			(unsigned)(st[0].st_mode & 0777),
			(unsigned)(st[1].st_mode & 0777), side[0], side[1],
			st[1].st_size == 0 ?
				" or, while nothing is using the store, "
				"delete them: SQLite makes new ones" :
				", and do not delete the log: it holds "
				"stored returns",
			reading_still_works);
	else if (first >= 0)
		status = parity_error_set(
			err, PARITY_ERR_STORE, side[first], 0, 0,
			"the store's %s cannot be written by the user running "
			"parity (%s %03o), so neither can the store, though the "
			"store itself could be: it was probably left by a "
			"reader while the store could not be written. Make it "
			"writable (chmod 600 '%s', as its owner)%s; %s",
			what[first],
			S_ISREG(st[first].st_mode) ? "mode" : "not a file, mode",
			(unsigned)(st[first].st_mode & 0777), side[first],
			first == 0 || st[first].st_size == 0 ?
				" or, while nothing is using the store, "
				"delete it: SQLite makes a new one" :
				", and do not delete it: it holds stored "
				"returns",
			reading_still_works);
	free(side[0]);
	free(side[1]);
	return status;
}

/*
 * A writer needs to write the store, its write-ahead log and its
 * shared-memory file, and to make the last two in the store's directory.
 * SQLite finds out only at the first write, and then says "attempt to
 * write a readonly database"; this names the file in the way and what to
 * do about it.
 */
static int check_writable(const struct store *s, struct parity_error *err)
{
	char *dir;
	struct stat st;
	bool both_there;
	int status = 0;

	if (access(s->path, W_OK) < 0) {
		if (errno == EROFS)
			return parity_error_set(
				err, PARITY_ERR_STORE, s->path, 0, 0,
				"the store is on a read-only file system, so "
				"it cannot be written: %s",
				reading_still_works);
		if (stat(s->path, &st) == 0 && st.st_uid == geteuid())
			return parity_error_set(
				err, PARITY_ERR_STORE, s->path, 0, 0,
				"the store cannot be written by the user "
				"running parity (mode %03o): %s; to write to "
				"it, make it writable (chmod 600 '%s')",
				(unsigned)(st.st_mode & 0777),
				reading_still_works, s->path);
		if (stat(s->path, &st) == 0)
			return parity_error_set(
				err, PARITY_ERR_STORE, s->path, 0, 0,
				"the store cannot be written by the user "
				"running parity (mode %03o, another user's): "
				"%s; to write to it, run parity as its owner",
				(unsigned)(st.st_mode & 0777),
				reading_still_works);
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"the store cannot be written: %s",
					strerror(errno));
	}
	if (check_side_files(s, &both_there, err) < 0)
		return -1;
	dir = directory_of(s->path);
	if (!both_there && access(dir, W_OK | X_OK) < 0) {
		char advice[600];

		if (stat(dir, &st) == 0 && st.st_uid == geteuid())
			snprintf(advice, sizeof(advice), "make the directory "
				 "writable (chmod u+w '%s')", dir);
		else
			snprintf(advice, sizeof(advice), "run parity as the "
				 "directory's owner");
		status = parity_error_set(
			err, PARITY_ERR_STORE, s->path, 0, 0,
			"the store's directory '%s' cannot be written by the "
			"user running parity, and SQLite makes the store's "
			"write-ahead log and shared-memory file there to write "
			"to it: %s; to write to it, %s", dir,
			reading_still_works, advice);
	}
	free(dir);
	return status;
}

/* Open for writing; `new_store`: made by store_create() just now. */
static int open_for_writing(struct store **out, const char *path,
			    bool new_store, struct parity_error *err)
{
	struct store *s;

	*out = NULL;
	s = open_start(path, err);
	if (!s)
		return -1;
	if (check_writable(s, err) < 0 ||
	    connect_db(s, path, SQLITE_OPEN_READWRITE, err) < 0 ||
	    configure(s, err) < 0 || migrate(s, err) < 0 ||
	    store_sql_key_settle(s, new_store, err) < 0)
		return open_failed(s, path, err);
	*out = s;
	return 0;
}

int store_sqlite_open(struct store **out, const char *path, bool read_only,
		      struct parity_error *err)
{
	return read_only ? open_reader(out, path, err)
			 : open_for_writing(out, path, false, err);
}

/* The connection settings of a reader: none of them writes the file. */
static int configure_reader(struct store *s, struct parity_error *err)
{
	if (configure_connection(s, err) < 0)
		return -1;
	if (require_pragma(s, "PRAGMA query_only=ON", "PRAGMA query_only", 1,
			   "query_only", err) < 0 ||
	    require_pragma(s, "PRAGMA trusted_schema=OFF",
			   "PRAGMA trusted_schema", 0, "trusted_schema=OFF",
			   err) < 0)
		return -1;
	return store_sql_exec(s, "PRAGMA cache_size=-65536",
			      "cannot set the cache size", err);
}

/* A reader takes the store as it is: one at the schema this parity knows,
 * or nothing. */
static int check_schema_read(struct store *s, struct parity_error *err)
{
	long version = 0, app_id = 0, objects = 0;

	if (store_sql_query_int(s, NULL, "PRAGMA user_version", &version, err) <
		    0 ||
	    store_sql_query_int(s, NULL, "PRAGMA application_id", &app_id,
				err) < 0 ||
	    store_sql_query_int(s, NULL, "SELECT count(*) FROM sqlite_schema",
				&objects, err) < 0)
		return -1;
	if (version > STORE_SCHEMA_VERSION)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"the store has schema version %ld, but "
					"this parity knows only up to %d: use "
					"a newer parity", version,
					STORE_SCHEMA_VERSION);
	if ((version == 0 && objects > 0) ||
	    (version > 0 && app_id != STORE_APPLICATION_ID))
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"this SQLite database is not a parity "
					"store");
	if (version < STORE_SCHEMA_VERSION)
		return parity_error_set(
			err, PARITY_ERR_STORE, s->path, 0, 0,
			"the store has schema version %ld, and this parity "
			"reads version %d: a command that writes must bring it "
			"up to date first (`parity init --upgrade --db %s`, or "
			"an import); nothing was changed", version,
			STORE_SCHEMA_VERSION, s->path);
	s->schema_version = (int)version;
	return 0;
}

char *store_sql_immutable_uri(const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	static const char suffix[] = "?mode=ro&immutable=1";
	size_t n = strlen(path), size = 3 * n + sizeof(suffix) + 8, o, k;
	char *uri = xmalloc(size);

	/* an absolute path after an empty authority: file:///srv/s.db */
	o = (size_t)snprintf(uri, size, "file:%s", path[0] == '/' ? "//" : "");
	for (k = 0; k < n; k++) {
		unsigned char c = (unsigned char)path[k];

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("/-._~", c)) {
			uri[o++] = (char)c;
		} else {
			uri[o++] = '%';
			uri[o++] = hex[c >> 4];
			uri[o++] = hex[c & 15];
		}
	}
	memcpy(uri + o, suffix, sizeof(suffix));
	return uri;
}

/*
 * Connect a reader and read the schema: the first read is where SQLite
 * finds out whether it can share the write-ahead log. -1 when SQLite could
 * not open or read the store, -2 when it could and the store was refused
 * (not a store, another schema version); `err` filled.
 */
static int connect_reader(struct store *s, bool immutable,
			  struct parity_error *err)
{
	char *uri = immutable ? store_sql_immutable_uri(s->path) : NULL;
	long version;
	int rc;

	db_close(s->db);
	s->db = NULL;
	rc = connect_db(s, uri ? uri : s->path,
			SQLITE_OPEN_READONLY | (uri ? SQLITE_OPEN_URI : 0),
			err);
	free(uri);
	if (rc < 0 || configure_reader(s, err) < 0 ||
	    store_sql_query_int(s, NULL, "PRAGMA user_version", &version, err) <
		    0)
		return -1;
	return check_schema_read(s, err) < 0 ? -2 : 0;
}

static int open_reader(struct store **out, const char *path,
			struct parity_error *err)
{
	char *wal, *shm, *dir;
	struct store *s;
	struct stat st;
	bool immutable;
	int rc;

	*out = NULL;
	s = open_start(path, err);
	if (!s)
		return -1;
	s->read_only = true;
	wal = store_sql_path_with(path, "-wal");
	shm = store_sql_path_with(path, "-shm");
	dir = directory_of(path);
	/* No log: no connection is open, and the file holds every commit.
	 * Where this user could not make a writable -shm, read the file as
	 * it is rather than leave a read-only -shm behind. */
	immutable = lstat(wal, &st) != 0 &&
		    (access(path, W_OK) < 0 || access(dir, W_OK | X_OK) < 0);
	rc = connect_reader(s, immutable, err);
	if (rc == -1 && !immutable &&
	    (lstat(wal, &st) != 0 || st.st_size == 0)) {
		/* SQLite could not make or share the -shm, and there is no
		 * log to read: the file alone is the whole store. */
		immutable = true;
		rc = connect_reader(s, true, err);
	}
	if (rc == -1 && !immutable && err) {
		char why[sizeof(err->message)];

		snprintf(why, sizeof(why), "%s", err->message);
		parity_error_set(err, PARITY_ERR_STORE, path, 0, 0,
				 "cannot read the store (%s): its write-ahead "
				 "log '%s' holds changes not yet in the "
				 "database, and SQLite cannot share it through "
				 "'%s' as the user running parity. Run this as "
				 "the store's owner, or have the owner run "
				 "`parity init --upgrade --db %s`, which folds "
				 "the log into the database", why, wal, shm,
				 path);
	}
	free(wal);
	free(shm);
	free(dir);
	if (rc < 0 || store_sql_key_verify(s, err) < 0)
		return open_failed(s, path, err);
	*out = s;
	return 0;
}

