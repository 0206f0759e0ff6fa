/*
 * sqlite.c - the store on SQLite (see store.h).
 *
 * Everything SQLite-specific lives here: pragmas, user_version,
 * application_id, last_insert_rowid. The schema itself is portable SQL in
 * src/store/migrations/, compiled into the binary.
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

/* Staff records held back to be packed, over every submission being
 * written: past it, the fullest packer is written. 64 blocks' worth, about
 * 30 MB, so that a file whose employers' rows are mixed (331 employers in
 * a shuffled national file) still makes blocks of over a thousand. */
#define STORE_PACK_BUDGET ((size_t)16 * STAFF_PACK_MAX)

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

struct store {
	struct db *db;          /* over SQLite (db_sqlite.h) */
	char *path;
	char *key_path;
	struct pseudonym_key key;
	bool read_only;         /* opened by store_open_readonly() */
	bool in_transaction;
	int schema_version;
	char notice[512];       /* what opening did, for store_notice() */
	struct db_stmt *insert_applicant; /* prepared once, reused per row */
	/* Staff records waiting to be written in blocks (staff_pack.h): a
	 * packer for each submission being written, found by a hash of its
	 * id (slot_of: index + 1, or 0), so that rows of many employers, in
	 * any order, still make full blocks at the same cost a row. */
	struct store_packing {
		int64_t submission; /* 0: free */
		struct staff_packer packer;
	} *packing;
	size_t npacking, packing_cap;
	size_t *slot_of, slot_cap; /* open addressing, a power of two */
	size_t buffered;           /* records held in every packer */
	struct db_stmt *insert_block;
};

static int flush_staff(struct store *s, struct parity_error *err);

static int open_for_writing(struct store **out, const char *path,
			    bool new_store, struct parity_error *err);

/* ---- errors and notices ---- */

/* Add a sentence to what store_notice() tells. */
__attribute__((format(printf, 2, 3)))
static void add_notice(struct store *s, const char *fmt, ...)
{
	size_t n = strlen(s->notice);
	va_list ap;

	if (n > 0 && n + 2 < sizeof(s->notice)) {
		memcpy(s->notice + n, "; ", 3);
		n += 2;
	}
	va_start(ap, fmt);
	vsnprintf(s->notice + n, sizeof(s->notice) - n, fmt, ap);
	va_end(ap);
}

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

	if (sqlite3_file_control(sqlite_of(s), "main", SQLITE_FCNTL_JOURNAL_POINTER,
				 &log) == SQLITE_OK &&
	    log && log->pMethods && log->pMethods->xFileControl &&
	    log->pMethods->xFileControl(log, SQLITE_FCNTL_LAST_ERRNO, &e) ==
		    SQLITE_OK &&
	    e)
		return e;
	if (sqlite3_file_control(sqlite_of(s), "main", SQLITE_FCNTL_LAST_ERRNO, &e) !=
	    SQLITE_OK)
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

/* Step a statement that returns no rows, once, and finalise it; fail
 * with `what` unless it ran to completion. */
static int step_done(struct store *s, struct db_stmt *st, const char *what,
		     struct parity_error *err)
{
	int rc = db_step(st);

	db_finalize(st);
	return rc == DB_DONE ? 0 : store_fail(s, err, what);
}

static int prepare(const struct store *s, struct db_stmt **st,
		   const char *sql, bool reused, struct parity_error *err)
{
	if (db_prepare(s->db, sql, reused, st) < 0)
		return store_fail(s, err, "cannot prepare a query");
	return 0;
}

static int exec(const struct store *s, const char *sql, const char *what,
		struct parity_error *err)
{
	if (db_exec(s->db, sql) < 0)
		return store_fail(s, err, what);
	return 0;
}

/* Run a one-row query returning an integer (a pragma's value). */
static int query_int(const struct store *s, const char *sql, long *out,
		     struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	if (prepare(s, &st, sql, false, err) < 0)
		return -1;
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_finalize(st);
		return store_fail(s, err, sql);
	}
	*out = (long)db_column_int64(st, 0);
	db_finalize(st);
	return 0;
}

/* ---- names ---- */

static const char *const kind_names[STORE_KIND_COUNT] = {
	"workforce", "recruitment", "service"
};

static const char *const event_names[STORE_EVENT_COUNT] = {
	"promoted", "disciplinary", "training", "left"
};

const char *store_kind_name(enum store_kind kind)
{
	return kind_names[kind];
}

int store_kind_parse(const char *name, enum store_kind *out)
{
	int k;

	for (k = 0; k < STORE_KIND_COUNT; k++)
		if (strcmp(name, kind_names[k]) == 0) {
			*out = (enum store_kind)k;
			return 0;
		}
	return -1;
}

const char *store_event_name(enum store_event event)
{
	return event_names[event];
}

static int event_parse(const char *name)
{
	int k;

	for (k = 0; k < STORE_EVENT_COUNT; k++)
		if (strcmp(name, event_names[k]) == 0)
			return k;
	return -1;
}

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

int store_create(const char *path, struct parity_error *err)
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
static int require_pragma(const struct store *s, const char *set,
			  const char *get, long want, const char *what,
			  struct parity_error *err)
{
	long got = -1;

	if (exec(s, set, what, err) < 0 || query_int(s, get, &got, err) < 0)
		return -1;
	if (got != want)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"cannot turn on %s (SQLite %s)", what,
					sqlite3_libversion());
	return 0;
}

static int set_journal_wal(const struct store *s, struct parity_error *err)
{
	struct db_stmt *st;
	int ok;

	if (prepare(s, &st, "PRAGMA journal_mode=WAL", false, err) < 0)
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
	if (sqlite3_db_config(sqlite_of(s), SQLITE_DBCONFIG_DEFENSIVE, 1, &on) !=
		    SQLITE_OK || !on)
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
	return exec(s, "PRAGMA cache_size=-65536", "cannot set the cache size",
		    err);
}

/* After a migration: every record still points at a row that exists. */
static int foreign_keys_intact(const struct store *s, struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	if (prepare(s, &st, "PRAGMA foreign_key_check", false, err) < 0)
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

	if (query_int(s, "PRAGMA user_version", &version, err) < 0)
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
	if (exec(s, "PRAGMA foreign_keys=OFF", "cannot prepare a migration",
		 err) < 0)
		return -1;
	if (store_begin(s, err) < 0)
		goto fail;
	/* Another process may have migrated while we waited for the lock. */
	if (query_int(s, "PRAGMA user_version", &version, err) < 0 ||
	    query_int(s, "SELECT count(*) FROM sqlite_schema", &objects,
		      err) < 0)
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
		if (exec(s, migrations[k].sql, "cannot apply a migration",
			 err) < 0)
			goto fail;
		snprintf(sql, sizeof(sql), "PRAGMA user_version=%d",
			 migrations[k].version);
		if (exec(s, sql, "cannot record the schema version", err) < 0)
			goto fail;
	}
	if (version == 0) {
		char sql[64];

		snprintf(sql, sizeof(sql), "PRAGMA application_id=%d",
			 STORE_APPLICATION_ID);
		if (exec(s, sql, "cannot mark the store", err) < 0)
			goto fail;
	}
	if (foreign_keys_intact(s, err) < 0 || store_commit(s, err) < 0)
		goto fail;
	if (version > 0)
		add_notice(s, "brought the store from schema version %ld to %d",
			   version, STORE_SCHEMA_VERSION);
	if (require_pragma(s, "PRAGMA foreign_keys=ON", "PRAGMA foreign_keys",
			   1, "foreign keys", err) < 0)
		return -1;
check_id:
	if (query_int(s, "PRAGMA application_id", &app_id, err) < 0)
		return -1;
	if (app_id != STORE_APPLICATION_ID)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"this SQLite database is not a parity "
					"store");
	if (query_int(s, "PRAGMA user_version", &version, err) < 0)
		return -1;
	s->schema_version = (int)version;
	return 0;
fail:
	store_rollback(s);
	(void)exec(s, "PRAGMA foreign_keys=ON", "", NULL);
	return -1;
}

/* ---- the key's fingerprint ---- */

/*
 * Compare the key with the fingerprint the store holds: 1 when it holds
 * this key's, 0 when it holds none (a store made before fingerprints were
 * kept, read before any writer recorded one), -1 with `err` filled when it
 * holds another key's.
 */
static int key_verify(struct store *s, struct parity_error *err)
{
	unsigned char mine[PSEUDONYM_FINGERPRINT_BYTES];
	struct db_stmt *st;
	int rc, same;

	if (s->schema_version < 5)
		return 0;
	if (prepare(s, &st, "SELECT fingerprint FROM key_fingerprint "
		    "WHERE id = 1", false, err) < 0)
		return -1;
	rc = db_step(st);
	if (rc == DB_DONE) {
		db_finalize(st);
		return 0;
	}
	if (rc != DB_ROW) {
		db_finalize(st);
		return store_fail(s, err, "cannot read the key's fingerprint");
	}
	pseudonym_key_fingerprint(&s->key, mine);
	same = db_column_bytes(st, 0) == (int)sizeof(mine) &&
	       sodium_memcmp(db_column_blob(st, 0), mine,
			     sizeof(mine)) == 0;
	db_finalize(st);
	if (!same)
		return parity_error_set(
			err, PARITY_ERR_STORE, s->key_path, 0, 0,
			"this key does not belong to the store '%s': its "
			"fingerprint is not the one the store recorded, and "
			"pseudonyms made with it would not match those already "
			"stored, so the store is not opened (put the store's "
			"own key back here, from its backup)", s->path);
	return 1;
}

/* A writer: record the key's fingerprint if the store has none yet. */
static int key_settle(struct store *s, bool new_store,
		      struct parity_error *err)
{
	struct db_stmt *st;
	unsigned char fp[PSEUDONYM_FINGERPRINT_BYTES];
	int rc = key_verify(s, err);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (store_begin(s, err) < 0)
		return -1;
	/* another writer may have recorded one while we waited */
	rc = key_verify(s, err);
	if (rc != 0) {
		store_rollback(s);
		return rc < 0 ? -1 : 0;
	}
	pseudonym_key_fingerprint(&s->key, fp);
	if (prepare(s, &st, "INSERT INTO key_fingerprint (id, fingerprint, "
		    "recorded_at) VALUES (1, ?1, strftime('%Y-%m-%dT%H:%M:%SZ', "
		    "'now'))", false, err) < 0) {
		store_rollback(s);
		return -1;
	}
	db_bind_blob(st, 1, fp, sizeof(fp));
	if (step_done(s, st, "cannot record the key's fingerprint", err) < 0 ||
	    store_commit(s, err) < 0) {
		store_rollback(s);
		return -1;
	}
	if (!new_store)
		add_notice(s, "the store held no fingerprint of its key (it "
			   "was made by an earlier parity): recorded that of "
			   "'%s', and from now on the store refuses any other "
			   "key", s->key_path);
	return 0;
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
	    key_settle(s, new_store, err) < 0)
		return open_failed(s, path, err);
	*out = s;
	return 0;
}

int store_open(struct store **out, const char *path, struct parity_error *err)
{
	return open_for_writing(out, path, false, err);
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
	return exec(s, "PRAGMA cache_size=-65536", "cannot set the cache size",
		    err);
}

/* A reader takes the store as it is: one at the schema this parity knows,
 * or nothing. */
static int check_schema_read(struct store *s, struct parity_error *err)
{
	long version = 0, app_id = 0, objects = 0;

	if (query_int(s, "PRAGMA user_version", &version, err) < 0 ||
	    query_int(s, "PRAGMA application_id", &app_id, err) < 0 ||
	    query_int(s, "SELECT count(*) FROM sqlite_schema", &objects,
		      err) < 0)
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
	    query_int(s, "PRAGMA user_version", &version, err) < 0)
		return -1;
	return check_schema_read(s, err) < 0 ? -2 : 0;
}

int store_open_readonly(struct store **out, const char *path,
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
	if (rc < 0 || key_verify(s, err) < 0)
		return open_failed(s, path, err);
	*out = s;
	return 0;
}

void store_close(struct store *s)
{
	size_t k;

	if (!s)
		return;
	if (s->in_transaction)
		store_rollback(s);
	db_finalize(s->insert_block);
	db_finalize(s->insert_applicant);
	for (k = 0; k < s->npacking; k++)
		staff_packer_free(&s->packing[k].packer);
	free(s->packing);
	free(s->slot_of);
	db_close(s->db);
	pseudonym_key_wipe(&s->key);
	free(s->key_path);
	free(s->path);
	free(s);
}

const struct pseudonym_key *store_key(const struct store *s)
{
	return &s->key;
}

int store_schema_version(struct store *s)
{
	return s->schema_version;
}

const char *store_notice(const struct store *s)
{
	return s->notice[0] ? s->notice : NULL;
}

/* ---- transactions ---- */

int store_begin(struct store *s, struct parity_error *err)
{
	if (s->read_only)
		return parity_error_set(err, PARITY_ERR_INTERNAL, s->path, 0, 0,
					"the store was opened for reading only");
	if (s->in_transaction)
		return parity_error_set(err, PARITY_ERR_INTERNAL, s->path, 0, 0,
					"a transaction is already open");
	if (exec(s, "BEGIN IMMEDIATE", "cannot start a transaction", err) < 0)
		return -1;
	s->in_transaction = true;
	return 0;
}

int store_commit(struct store *s, struct parity_error *err)
{
	if (!s->in_transaction)
		return parity_error_set(err, PARITY_ERR_INTERNAL, s->path, 0, 0,
					"no transaction to commit");
	if (flush_staff(s, err) < 0 ||
	    exec(s, "COMMIT", "cannot commit", err) < 0) {
		store_rollback(s);
		return -1;
	}
	s->in_transaction = false;
	return 0;
}

void store_rollback(struct store *s)
{
	size_t k;

	for (k = 0; k < s->npacking; k++)
		if (s->packing[k].submission) {
			staff_packer_reset(&s->packing[k].packer);
			s->packing[k].submission = 0;
		}
	s->buffered = 0;
	if (s->slot_of)
		memset(s->slot_of, 0, s->slot_cap * sizeof(*s->slot_of));
	if (!s->in_transaction)
		return;
	if (sqlite3_get_autocommit(sqlite_of(s)) == 0)
		(void)db_exec(s->db, "ROLLBACK");
	s->in_transaction = false;
}

static int need_transaction(const struct store *s, struct parity_error *err)
{
	if (!s->in_transaction)
		return parity_error_set(err, PARITY_ERR_INTERNAL, s->path, 0, 0,
					"a write outside a transaction");
	return 0;
}

/* ---- submissions ---- */

static const char submission_columns[] =
	"id, kind, area_code, year, version, status, supersedes, "
	"submitted_at, submitted_by, source_name, row_count, sha256, "
	"encoding, column_list, classification, subject, alias_version, "
	"origin, (SELECT max(c.alias_version) FROM alias_check c "
	"WHERE c.submission_id = submission.id), code_system";

static void read_submission(struct db_stmt *st, struct store_submission *out)
{
	char kind[32], status[32];
	enum store_kind k = STORE_WORKFORCE;

	memset(out, 0, sizeof(*out));
	out->id = db_column_int64(st, 0);
	db_column_copy(st, 1, kind, sizeof(kind));
	(void)store_kind_parse(kind, &k);
	out->kind = k;
	db_column_copy(st, 2, out->area_code, sizeof(out->area_code));
	out->year = db_column_int(st, 3);
	out->version = db_column_int(st, 4);
	db_column_copy(st, 5, status, sizeof(status));
	out->current = strcmp(status, "current") == 0;
	out->supersedes = db_column_int64(st, 6);
	db_column_copy(st, 7, out->submitted_at, sizeof(out->submitted_at));
	db_column_copy(st, 8, out->submitted_by, sizeof(out->submitted_by));
	db_column_copy(st, 9, out->source_name, sizeof(out->source_name));
	out->rows = (long)db_column_int64(st, 10);
	db_column_copy(st, 11, out->sha256, sizeof(out->sha256));
	db_column_copy(st, 12, out->encoding, sizeof(out->encoding));
	db_column_copy(st, 13, out->columns, sizeof(out->columns));
	out->classification = db_column_int(st, 14);
	db_column_copy(st, 15, out->subject, sizeof(out->subject));
	out->alias_version = db_column_int(st, 16);
	db_column_copy(st, 17, status, sizeof(status));
	out->reclassified = strcmp(status, "reclassify") == 0;
	out->checked_version = db_column_int(st, 18);
	db_column_copy(st, 19, out->code_system, sizeof(out->code_system));
	if (out->checked_version < out->alias_version)
		out->checked_version = out->alias_version;
}

int store_submission_current(struct store *s, enum store_kind kind,
			     const char *area_code, int year,
			     struct store_submission *out,
			     struct parity_error *err)
{
	return store_submission_current_for(s, kind, "", area_code, year, out,
					    err);
}

int store_submission_current_for(struct store *s, enum store_kind kind,
				 const char *subject, const char *area_code,
				 int year, struct store_submission *out,
				 struct parity_error *err)
{
	char sql[1024];
	struct db_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql),
		 "SELECT %s FROM submission WHERE kind = ?1 AND area_code = ?2"
		 " AND year = ?3 AND subject = ?4 AND status = 'current'",
		 submission_columns);
	if (prepare(s, &st, sql, false, err) < 0)
		return -1;
	db_bind_text(st, 1, kind_names[kind], -1);
	db_bind_text(st, 2, area_code, -1);
	db_bind_int(st, 3, year);
	db_bind_text(st, 4, subject, -1);
	rc = db_step(st);
	if (rc == DB_ROW) {
		read_submission(st, out);
		db_finalize(st);
		return 1;
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "cannot read the submissions");
	return 0;
}

int store_submission_get(struct store *s, int64_t id,
			 struct store_submission *out,
			 struct parity_error *err)
{
	char sql[1024];
	struct db_stmt *st;
	int rc;

	snprintf(sql, sizeof(sql), "SELECT %s FROM submission WHERE id = ?1",
		 submission_columns);
	if (prepare(s, &st, sql, false, err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		read_submission(st, out);
		db_finalize(st);
		return 0;
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "cannot read the submissions");
	return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				"no submission %lld (see `parity returns "
				"list`)", (long long)id);
}

/* Run a statement that returns no rows, binding `a` and `b` as integers
 * (b only when the SQL has a second parameter). */
static int run_ids(struct store *s, const char *sql, int64_t a, int64_t b,
		   const char *what, struct parity_error *err)
{
	struct db_stmt *st;

	if (prepare(s, &st, sql, false, err) < 0)
		return -1;
	db_bind_int64(st, 1, a);
	if (strstr(sql, "?2"))
		db_bind_int64(st, 2, b);
	return step_done(s, st, what, err);
}

int store_submission_add(struct store *s, struct store_submission *sub,
			 struct parity_error *err)
{
	struct store_submission prev;
	struct db_stmt *st;
	int found, rc, version = 1;

	memset(&prev, 0, sizeof(prev));
	if (need_transaction(s, err) < 0)
		return -1;
	found = store_submission_current_for(s, sub->kind, sub->subject,
					     sub->area_code, sub->year, &prev,
					     err);
	if (found < 0)
		return -1;
	if (prepare(s, &st,
		    "SELECT coalesce(max(version), 0) FROM submission "
		    "WHERE kind = ?1 AND area_code = ?2 AND year = ?3 "
		    "AND subject = ?4", false, err) < 0)
		return -1;
	db_bind_text(st, 1, kind_names[sub->kind], -1);
	db_bind_text(st, 2, sub->area_code, -1);
	db_bind_int(st, 3, sub->year);
	db_bind_text(st, 4, sub->subject, -1);
	rc = db_step(st);
	if (rc == DB_ROW)
		version = db_column_int(st, 0) + 1;
	db_finalize(st);
	if (rc != DB_ROW)
		return store_fail(s, err, "cannot read the submissions");
	/* The old version stops being current first: at most one may be. */
	if (found && run_ids(s, "UPDATE submission SET status = 'superseded' "
			     "WHERE id = ?1", prev.id, 0,
			     "cannot supersede the previous version", err) < 0)
		return -1;
	if (prepare(s, &st,
		    "INSERT INTO submission (kind, area_code, year, version, "
		    "status, supersedes, submitted_at, submitted_by, "
		    "source_name, row_count, sha256, encoding, column_list, "
		    "subject, alias_version, origin, code_system) "
		    "VALUES (?1, ?2, ?3, ?4, 'current', ?5, ?6, ?7, ?8, 0, '', "
		    "?9, ?10, ?11, ?12, ?13, ?14)", false, err) < 0)
		return -1;
	db_bind_text(st, 1, kind_names[sub->kind], -1);
	db_bind_text(st, 2, sub->area_code, -1);
	db_bind_int(st, 3, sub->year);
	db_bind_int(st, 4, version);
	if (found)
		db_bind_int64(st, 5, prev.id);
	else
		db_bind_null(st, 5);
	db_bind_text(st, 6, sub->submitted_at, -1);
	db_bind_text(st, 7, sub->submitted_by, -1);
	db_bind_text(st, 8, sub->source_name, -1);
	db_bind_text(st, 9, sub->encoding, -1);
	db_bind_text(st, 10, sub->columns, -1);
	db_bind_text(st, 11, sub->subject, -1);
	db_bind_int(st, 12, sub->alias_version);
	db_bind_text(st, 13, sub->reclassified ? "reclassify" : "import",
			  -1);
	db_bind_text(st, 14, sub->code_system[0] ? sub->code_system
						       : "none", -1);
	if (step_done(s, st, "cannot add the submission", err) < 0)
		return -1;
	sub->id = db_last_insert_id(s->db);
	sub->version = version;
	sub->current = true;
	sub->supersedes = found ? prev.id : 0;
	return 0;
}

int store_submission_finish(struct store *s,
			    const struct store_submission *sub,
			    struct parity_error *err)
{
	struct db_stmt *st;

	if (need_transaction(s, err) < 0 || flush_staff(s, err) < 0 ||
	    prepare(s, &st, "UPDATE submission SET row_count = ?1, "
		    "sha256 = ?2, encoding = ?3, classification = ?5 "
		    "WHERE id = ?4", false, err) < 0)
		return -1;
	db_bind_int64(st, 1, sub->rows);
	db_bind_text(st, 2, sub->sha256, -1);
	db_bind_text(st, 3, sub->encoding, -1);
	db_bind_int64(st, 4, sub->id);
	db_bind_text(st, 5, sub->classification == 2011 ? "2011" : "2021",
			  -1);
	return step_done(s, st, "cannot record the submission", err);
}

int store_submission_discard(struct store *s,
			     const struct store_submission *sub,
			     struct parity_error *err)
{
	static const char *const deletes[] = {
		"DELETE FROM staff WHERE submission_id = ?1",
		"DELETE FROM staff_block WHERE submission_id = ?1",
		"DELETE FROM applicant WHERE submission_id = ?1",
		"DELETE FROM staff_pay WHERE submission_id = ?1",
		"DELETE FROM staff_event WHERE submission_id = ?1",
		"DELETE FROM applicant_count WHERE submission_id = ?1",
		"DELETE FROM service_count WHERE submission_id = ?1",
		"DELETE FROM service_return WHERE submission_id = ?1",
		"DELETE FROM submission_label WHERE submission_id = ?1",
		"DELETE FROM alias_check WHERE submission_id = ?1",
		"DELETE FROM submission WHERE id = ?1",
	};
	size_t k;

	if (need_transaction(s, err) < 0 || flush_staff(s, err) < 0)
		return -1;
	for (k = 0; k < sizeof(deletes) / sizeof(deletes[0]); k++)
		if (run_ids(s, deletes[k], sub->id, 0,
			    "cannot take back the submission", err) < 0)
			return -1;
	if (sub->supersedes &&
	    run_ids(s, "UPDATE submission SET status = 'current' WHERE id = ?1",
		    sub->supersedes, 0, "cannot restore the previous version",
		    err) < 0)
		return -1;
	return 0;
}

int store_submissions_list(struct store *s, const struct store_filter *filter,
			   struct store_submission **out, size_t *count,
			   struct parity_error *err)
{
	struct store_submission *list = NULL;
	size_t n = 0, cap = 0;
	char sql[1024];
	struct db_stmt *st;
	int rc;

	*out = NULL;
	*count = 0;
	snprintf(sql, sizeof(sql),
		 "SELECT %s FROM submission WHERE (?1 IS NULL OR area_code = ?1)"
		 " AND (?2 = 0 OR year = ?2) AND (?3 IS NULL OR kind = ?3)"
		 " AND (?4 = 0 OR status = 'current')"
		 " ORDER BY area_code, year, kind, subject, version",
		 submission_columns);
	if (prepare(s, &st, sql, false, err) < 0)
		return -1;
	if (filter->area_code)
		db_bind_text(st, 1, filter->area_code, -1);
	db_bind_int(st, 2, filter->year);
	if (filter->kind >= 0 && filter->kind < STORE_KIND_COUNT)
		db_bind_text(st, 3, kind_names[filter->kind], -1);
	db_bind_int(st, 4, filter->current_only ? 1 : 0);
	while ((rc = db_step(st)) == DB_ROW) {
		list = xgrow(list, &cap, n + 1, sizeof(*list));
		read_submission(st, &list[n++]);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(list);
		return store_fail(s, err, "cannot list the submissions");
	}
	*out = list;
	*count = n;
	return 0;
}

/* ---- records ---- */

static void bind_text_or_null(struct db_stmt *st, int col, const char *text)
{
	if (text)
		db_bind_text(st, col, text, -1);
	else
		db_bind_null(st, col);
}

/* Step a reused insert and make it ready for the next row; every
 * parameter is bound afresh before the next step. */
static int step_insert(struct store *s, struct db_stmt *st, const char *what,
		       struct parity_error *err)
{
	int rc = db_step(st);

	db_reset(st);
	if (rc != DB_DONE)
		return store_fail(s, err, what);
	return 0;
}

/* Write packer k's records as one block, the next of their submission,
 * and free the packer. */
static int flush_packer(struct store *s, size_t k, struct parity_error *err)
{
	struct staff_packer *p = &s->packing[k].packer;
	const unsigned char *blob;
	size_t len;
	struct db_stmt *st;

	if (!s->packing[k].submission || p->n == 0)
		return 0;
	if (!s->insert_block &&
	    prepare(s, &s->insert_block,
		    "INSERT INTO staff_block (submission_id, seq, records, "
		    "data) VALUES (?1, (SELECT coalesce(max(seq) + 1, 0) FROM "
		    "staff_block WHERE submission_id = ?1), ?2, ?3)",
		    true, err) < 0)
		return -1;
	st = s->insert_block;
	blob = staff_packer_encode(p, &len);
	db_bind_int64(st, 1, s->packing[k].submission);
	db_bind_int64(st, 2, (int64_t)p->n);
	db_bind_blob(st, 3, blob, len);
	if (step_insert(s, st, "cannot add staff records", err) < 0)
		return -1;
	s->buffered -= p->n;
	/* the packer stays the submission's, empty, for its next rows; its
	 * memory goes, so that what is held stays within the budget however
	 * many returns are being written */
	staff_packer_free(p);
	staff_packer_init(p);
	return 0;
}

/* Write every waiting record. */
static int flush_staff(struct store *s, struct parity_error *err)
{
	size_t k;

	for (k = 0; k < s->npacking; k++) {
		if (flush_packer(s, k, err) < 0)
			return -1;
		s->packing[k].submission = 0;
	}
	/* every packer is free again: forget which was whose */
	if (s->slot_of)
		memset(s->slot_of, 0, s->slot_cap * sizeof(*s->slot_of));
	return 0;
}

static size_t submission_hash(int64_t submission, size_t cap)
{
	uint64_t h = (uint64_t)submission * 0x9E3779B97F4A7C15u;

	return (size_t)(h >> 32) & (cap - 1);
}

/* The packer of `submission`: found, or a free one (kept or new) made
 * its. */
static size_t packer_for(struct store *s, int64_t submission)
{
	size_t i, k;

	if (s->slot_cap == 0 || (s->npacking + 1) * 2 > s->slot_cap) {
		size_t cap = s->slot_cap ? s->slot_cap * 2 : 64;

		free(s->slot_of);
		s->slot_of = xcalloc(cap, sizeof(*s->slot_of));
		s->slot_cap = cap;
		for (k = 0; k < s->npacking; k++) {
			if (!s->packing[k].submission)
				continue;
			i = submission_hash(s->packing[k].submission, cap);
			while (s->slot_of[i])
				i = (i + 1) & (cap - 1);
			s->slot_of[i] = k + 1;
		}
	}
	i = submission_hash(submission, s->slot_cap);
	while (s->slot_of[i]) {
		k = s->slot_of[i] - 1;
		if (s->packing[k].submission == submission)
			return k;
		i = (i + 1) & (s->slot_cap - 1);
	}
	for (k = 0; k < s->npacking && s->packing[k].submission; k++)
		;
	if (k == s->npacking) {
		s->packing = xgrow(s->packing, &s->packing_cap,
				   s->npacking + 1, sizeof(*s->packing));
		staff_packer_init(&s->packing[k].packer);
		s->npacking++;
	}
	s->packing[k].submission = submission;
	s->slot_of[i] = k + 1;
	return k;
}

int store_staff_add(struct store *s, int64_t submission,
		    const struct store_staff *r, struct parity_error *err)
{
	size_t k, slot;

	if (need_transaction(s, err) < 0)
		return -1;
	if (s->buffered >= STORE_PACK_BUDGET) {
		/* held back as much as it may: write the fullest */
		size_t fullest = 0;

		for (k = 1; k < s->npacking; k++)
			if (s->packing[k].packer.n >
			    s->packing[fullest].packer.n)
				fullest = k;
		if (flush_packer(s, fullest, err) < 0)
			return -1;
	}
	slot = packer_for(s, submission);
	staff_packer_add(&s->packing[slot].packer, r);
	s->buffered++;
	if (staff_packer_full(&s->packing[slot].packer))
		return flush_packer(s, slot, err);
	return 0;
}

int store_applicant_add(struct store *s, int64_t submission,
			const struct store_applicant *r,
			struct parity_error *err)
{
	struct db_stmt *st;

	if (need_transaction(s, err) < 0)
		return -1;
	if (!s->insert_applicant &&
	    prepare(s, &s->insert_applicant,
		    "INSERT INTO applicant (submission_id, person, ethnicity, "
		    "shortlisted, appointed, vacancy_id, pay_band, label) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
		    true, err) < 0)
		return -1;
	st = s->insert_applicant;
	db_bind_int64(st, 1, submission);
	db_bind_blob(st, 2, r->person, PSEUDONYM_BYTES);
	db_bind_text(st, 3, ethnicity_category(r->ethnicity)->code, -1);
	db_bind_int(st, 4, r->shortlisted ? 1 : 0);
	db_bind_int(st, 5, r->appointed ? 1 : 0);
	bind_text_or_null(st, 6, r->vacancy_id);
	bind_text_or_null(st, 7, r->pay_band);
	bind_text_or_null(st, 8, r->label);
	return step_insert(s, st, "cannot add an applicant record", err);
}

static const char *column_text(struct db_stmt *st, int col)
{
	return db_column_text(st, col);
}

static int column_flag(struct db_stmt *st, int col)
{
	if (db_column_is_null(st, col))
		return STORE_NOT_GIVEN;
	return db_column_int(st, col) ? 1 : 0;
}

/* The id of a stored ethnicity code; a code this build does not know is
 * damage, reported as such. */
static int ethnicity_of(const struct store *s, struct db_stmt *st, int col,
			enum ethnicity_id *out, struct parity_error *err)
{
	const char *code = column_text(st, col);
	int id = code ? ethnicity_find_code(code) : -1;

	if (id < 0)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"the store holds an unknown ethnicity "
					"code '%s'", code ? code : "");
	*out = (enum ethnicity_id)id;
	return 0;
}

static void copy_person(struct db_stmt *st, int col,
			unsigned char out[PSEUDONYM_BYTES])
{
	const void *blob = db_column_blob(st, col);

	memset(out, 0, PSEUDONYM_BYTES);
	if (blob && db_column_bytes(st, col) == PSEUDONYM_BYTES)
		memcpy(out, blob, PSEUDONYM_BYTES);
}

/* Records stored one row each, before the store packed them (schema
 * versions 1 to 3). */
static int staff_rows_each(struct store *s, int64_t submission,
			   store_staff_fn fn, void *ctx,
			   struct parity_error *err)
{
	struct store_staff r;
	struct db_stmt *st;
	int rc, k, stop = 0;

	if (prepare(s, &st,
		    "SELECT person, ethnicity, annual_salary, fte, pay_band, "
		    "grade, job_family, sex, age_band, disability, "
		    "contract_type, start_date, leaving_date, promoted, "
		    "disciplinary, training, leaver FROM staff "
		    "WHERE submission_id = ?1 ORDER BY rowid", false, err) < 0)
		return -1;
	db_bind_int64(st, 1, submission);
	while ((rc = db_step(st)) == DB_ROW) {
		memset(&r, 0, sizeof(r));
		copy_person(st, 0, r.person);
		if (ethnicity_of(s, st, 1, &r.ethnicity, err) < 0) {
			db_finalize(st);
			return -1;
		}
		r.annual_salary = db_column_double(st, 2);
		r.fte = db_column_double(st, 3);
		r.pay_band = column_text(st, 4);
		r.grade = column_text(st, 5);
		r.job_family = column_text(st, 6);
		r.sex = column_text(st, 7);
		r.age_band = column_text(st, 8);
		r.disability = column_text(st, 9);
		r.contract_type = column_text(st, 10);
		r.start_date = column_text(st, 11);
		r.leaving_date = column_text(st, 12);
		for (k = 0; k < STORE_EVENT_COUNT; k++)
			r.events[k] = column_flag(st, 13 + k);
		stop = fn(ctx, &r);
		if (stop)
			break;
	}
	db_finalize(st);
	if (!stop && rc != DB_DONE)
		return store_fail(s, err, "cannot read the staff records");
	return stop;
}

/* -1 with `err` filled when the records of `submission` were removed at
 * the end of their retention period (retention.h): what needs them is
 * refused, never answered from none. */
static int records_held(struct store *s, int64_t submission,
			struct parity_error *err)
{
	char at[32];
	int removed = store_records_removed_at(s, submission, at, sizeof(at),
					       err);

	if (removed <= 0)
		return removed;
	return parity_error_set(err, PARITY_ERR_NOT_FOUND, s->path, 0, 0,
				"the records of submission %lld were removed "
				"at the end of their retention period (%s): "
				"only its aggregates remain",
				(long long)submission, at);
}

/* Every stored staff record of `submission`, objectors' too. */
static int staff_each_stored(struct store *s, int64_t submission,
			     store_staff_fn fn, void *ctx,
			     struct parity_error *err)
{
	struct db_stmt *st;
	int rc, stop;

	stop = staff_rows_each(s, submission, fn, ctx, err);
	if (stop)
		return stop;
	if (prepare(s, &st,
		    "SELECT data FROM staff_block WHERE submission_id = ?1 "
		    "ORDER BY seq", false, err) < 0)
		return -1;
	db_bind_int64(st, 1, submission);
	while ((rc = db_step(st)) == DB_ROW) {
		stop = staff_pack_each(db_column_blob(st, 0),
				       (size_t)db_column_bytes(st, 0),
				       s->path, fn, ctx, err);
		if (stop)
			break;
	}
	db_finalize(st);
	if (stop)
		return stop;
	if (rc != DB_DONE)
		return store_fail(s, err, "cannot read the staff records");
	return 0;
}

/* A staff walk that leaves out the records of those who object. */
struct unless_objecting {
	const struct objection_set *set;
	store_staff_fn fn;
	void *ctx;
};

static int staff_unless_objecting(void *ctx, const struct store_staff *r)
{
	const struct unless_objecting *u = ctx;

	return objection_set_has(u->set, r->person) ? 0 : u->fn(u->ctx, r);
}

int store_staff_each(struct store *s, int64_t submission, store_staff_fn fn,
		     void *ctx, struct parity_error *err)
{
	struct objection_set set;
	struct unless_objecting u;
	int rc;

	if (records_held(s, submission, err) < 0)
		return -1;
	if (s->in_transaction && flush_staff(s, err) < 0)
		return -1;
	if (store_objection_set(s, submission, &set, err) < 0)
		return -1;
	u.set = &set;
	u.fn = fn;
	u.ctx = ctx;
	rc = set.count ? staff_each_stored(s, submission,
					   staff_unless_objecting, &u, err)
		       : staff_each_stored(s, submission, fn, ctx, err);
	objection_set_release(&set);
	return rc;
}

int store_applicant_each(struct store *s, int64_t submission,
			 store_applicant_fn fn, void *ctx,
			 struct parity_error *err)
{
	struct store_applicant r;
	struct objection_set set;
	struct db_stmt *st;
	int rc, stop = 0;

	if (records_held(s, submission, err) < 0 ||
	    store_objection_set(s, submission, &set, err) < 0)
		return -1;
	if (prepare(s, &st,
		    "SELECT person, ethnicity, shortlisted, appointed, "
		    "vacancy_id, pay_band, label FROM applicant "
		    "WHERE submission_id = ?1 ORDER BY rowid", false, err) < 0) {
		objection_set_release(&set);
		return -1;
	}
	db_bind_int64(st, 1, submission);
	while ((rc = db_step(st)) == DB_ROW) {
		memset(&r, 0, sizeof(r));
		copy_person(st, 0, r.person);
		if (objection_set_has(&set, r.person))
			continue;
		if (ethnicity_of(s, st, 1, &r.ethnicity, err) < 0) {
			db_finalize(st);
			objection_set_release(&set);
			return -1;
		}
		r.shortlisted = db_column_int(st, 2) != 0;
		r.appointed = db_column_int(st, 3) != 0;
		r.vacancy_id = column_text(st, 4);
		r.pay_band = column_text(st, 5);
		r.label = column_text(st, 6);
		stop = fn(ctx, &r);
		if (stop)
			break;
	}
	db_finalize(st);
	objection_set_release(&set);
	if (!stop && rc != DB_DONE)
		return store_fail(s, err, "cannot read the applicant records");
	return stop;
}

/* ---- aggregates ---- */

/* Salaries travel as little-endian IEEE 754 doubles, whatever the host. */
static void encode_doubles(const double *v, size_t n, unsigned char *out)
{
	size_t k;
	int b;

	for (k = 0; k < n; k++) {
		uint64_t bits;

		memcpy(&bits, &v[k], sizeof(bits));
		for (b = 0; b < 8; b++)
			out[k * 8 + (size_t)b] = (unsigned char)(bits >> (8 * b));
	}
}

static void decode_doubles(const unsigned char *in, size_t n, double *out)
{
	size_t k;
	int b;

	for (k = 0; k < n; k++) {
		uint64_t bits = 0;

		for (b = 0; b < 8; b++)
			bits |= (uint64_t)in[k * 8 + (size_t)b] << (8 * b);
		memcpy(&out[k], &bits, sizeof(bits));
	}
}

int store_pay_add(struct store *s, int64_t submission, enum ethnicity_id eth,
		  const double *salaries, size_t count,
		  struct parity_error *err)
{
	unsigned char *blob;
	struct db_stmt *st;
	int rc;

	if (need_transaction(s, err) < 0)
		return -1;
	if (count > (size_t)0x7FFFFFFF / 8)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"too many salaries in one group");
	if (prepare(s, &st, "INSERT INTO staff_pay (submission_id, ethnicity, "
		    "staff_count, salaries) VALUES (?1, ?2, ?3, ?4)", 0,
		    err) < 0)
		return -1;
	blob = xmalloc(count * 8);
	encode_doubles(salaries, count, blob);
	db_bind_int64(st, 1, submission);
	db_bind_text(st, 2, ethnicity_category(eth)->code, -1);
	db_bind_int64(st, 3, (int64_t)count);
	db_bind_blob(st, 4, blob, (int)(count * 8));
	rc = db_step(st);
	db_finalize(st);
	free(blob);
	if (rc != DB_DONE)
		return store_fail(s, err, "cannot add the pay aggregates");
	return 0;
}

int store_event_add(struct store *s, int64_t submission,
		    enum ethnicity_id eth, enum store_event event,
		    const struct store_event_count *count,
		    struct parity_error *err)
{
	struct db_stmt *st;

	if (need_transaction(s, err) < 0 ||
	    prepare(s, &st, "INSERT INTO staff_event (submission_id, ethnicity, "
		    "event, yes_count, no_count, missing_count) VALUES (?1, ?2, "
		    "?3, ?4, ?5, ?6)", false, err) < 0)
		return -1;
	db_bind_int64(st, 1, submission);
	db_bind_text(st, 2, ethnicity_category(eth)->code, -1);
	db_bind_text(st, 3, event_names[event], -1);
	db_bind_int64(st, 4, count->yes);
	db_bind_int64(st, 5, count->no);
	db_bind_int64(st, 6, count->missing);
	return step_done(s, st, "cannot add the event aggregates", err);
}

int store_applicant_count_add(struct store *s, int64_t submission,
			      enum ethnicity_id eth,
			      const struct store_applicant_count *count,
			      struct parity_error *err)
{
	struct db_stmt *st;

	if (need_transaction(s, err) < 0 ||
	    prepare(s, &st, "INSERT INTO applicant_count (submission_id, "
		    "ethnicity, applied, shortlisted, appointed) VALUES (?1, "
		    "?2, ?3, ?4, ?5)", false, err) < 0)
		return -1;
	db_bind_int64(st, 1, submission);
	db_bind_text(st, 2, ethnicity_category(eth)->code, -1);
	db_bind_int64(st, 3, count->applied);
	db_bind_int64(st, 4, count->shortlisted);
	db_bind_int64(st, 5, count->appointed);
	return step_done(s, st, "cannot add the applicant aggregates", err);
}

void store_aggregates_release(struct store_aggregates *a)
{
	int e;

	for (e = 0; e < ETH_COUNT; e++)
		free(a->pay[e]);
	free(a->submissions);
	memset(a, 0, sizeof(*a));
}

/* Merge the sorted vector `add` into the sorted vector of group `e`. */
static void merge_pay(struct store_aggregates *a, int e, const double *add,
		      size_t n)
{
	size_t have = a->pay_count[e], i = 0, j = 0, k = 0;
	double *merged;

	if (n == 0)
		return;
	merged = xmalloc((have + n) * sizeof(*merged));
	while (i < have && j < n)
		merged[k++] = a->pay[e][i] <= add[j] ? a->pay[e][i++] : add[j++];
	while (i < have)
		merged[k++] = a->pay[e][i++];
	while (j < n)
		merged[k++] = add[j++];
	free(a->pay[e]);
	a->pay[e] = merged;
	a->pay_count[e] = have + n;
}

static int load_pay(struct store *s, int64_t id, struct store_aggregates *a,
		    struct parity_error *err)
{
	struct db_stmt *st;
	double *buf = NULL;
	size_t cap = 0;
	int rc, status = 0;

	if (prepare(s, &st, "SELECT ethnicity, salaries FROM staff_pay "
		    "WHERE submission_id = ?1", false, err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		enum ethnicity_id e = ETH_NOT_KNOWN;
		const unsigned char *blob;
		size_t n;

		if (ethnicity_of(s, st, 0, &e, err) < 0) {
			status = -1;
			break;
		}
		blob = db_column_blob(st, 1);
		n = (size_t)db_column_bytes(st, 1) / 8;
		if (n == 0 || !blob)
			continue;
		buf = xgrow(buf, &cap, n, sizeof(*buf));
		decode_doubles(blob, n, buf);
		merge_pay(a, (int)e, buf, n);
	}
	if (status == 0 && rc != DB_ROW && rc != DB_DONE)
		status = store_fail(s, err, "cannot read the pay aggregates");
	db_finalize(st);
	free(buf);
	return status;
}

static int load_counts(struct store *s, int64_t id, struct store_aggregates *a,
		       struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	if (prepare(s, &st, "SELECT ethnicity, event, yes_count, no_count, "
		    "missing_count FROM staff_event WHERE submission_id = ?1",
		    0, err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		enum ethnicity_id e = ETH_NOT_KNOWN;
		const char *name = column_text(st, 1);
		int ev = name ? event_parse(name) : -1;

		if (ethnicity_of(s, st, 0, &e, err) < 0 || ev < 0) {
			db_finalize(st);
			if (ev < 0)
				return parity_error_set(
					err, PARITY_ERR_STORE, s->path, 0, 0,
					"the store holds an unknown event");
			return -1;
		}
		a->events[ev][e].yes += (long)db_column_int64(st, 2);
		a->events[ev][e].no += (long)db_column_int64(st, 3);
		a->events[ev][e].missing += (long)db_column_int64(st, 4);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "cannot read the event aggregates");
	if (prepare(s, &st, "SELECT ethnicity, applied, shortlisted, appointed "
		    "FROM applicant_count WHERE submission_id = ?1", 0,
		    err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	while ((rc = db_step(st)) == DB_ROW) {
		enum ethnicity_id e = ETH_NOT_KNOWN;

		if (ethnicity_of(s, st, 0, &e, err) < 0) {
			db_finalize(st);
			return -1;
		}
		a->applicants[e].applied += (long)db_column_int64(st, 1);
		a->applicants[e].shortlisted += (long)db_column_int64(st, 2);
		a->applicants[e].appointed += (long)db_column_int64(st, 3);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return store_fail(s, err, "cannot read the applicant aggregates");
	return 0;
}

int store_aggregates_load_submissions(struct store *s, const int64_t *ids,
				      size_t count,
				      struct store_aggregates *out,
				      struct parity_error *err)
{
	size_t k;

	memset(out, 0, sizeof(*out));
	out->submissions = xcalloc(count ? count : 1, sizeof(*out->submissions));
	for (k = 0; k < count; k++) {
		struct store_submission sub;

		memset(&sub, 0, sizeof(sub));
		if (store_submission_get(s, ids[k], &sub, err) < 0 ||
		    load_pay(s, ids[k], out, err) < 0 ||
		    load_counts(s, ids[k], out, err) < 0) {
			store_aggregates_release(out);
			return -1;
		}
		out->submissions[out->submission_count++] = ids[k];
		if (sub.kind == STORE_WORKFORCE)
			out->workforce_count++;
		else
			out->recruitment_count++;
		if (sub.classification == 2011)
			out->classification_2011_count++;
	}
	return 0;
}

int store_aggregates_load(struct store *s, const char *const *area_codes,
			  size_t area_count, int year,
			  struct store_aggregates *out,
			  struct parity_error *err)
{
	int64_t *ids = xcalloc(area_count * STORE_KIND_COUNT + 1, sizeof(*ids));
	size_t n = 0, k;
	int kind, rc;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < area_count; k++)
		for (kind = 0; kind < STORE_KIND_COUNT; kind++) {
			struct store_submission sub = { 0 };
			int found = store_submission_current(
				s, (enum store_kind)kind, area_codes[k], year,
				&sub, err);

			if (found < 0) {
				free(ids);
				return -1;
			}
			if (found)
				ids[n++] = sub.id;
		}
	rc = store_aggregates_load_submissions(s, ids, n, out, err);
	free(ids);
	return rc;
}

/* ---- for the other store files (store_internal.h) ---- */

struct db *store_db(struct store *s)
{
	return s->db;
}

int store_sql_prepare(struct store *s, struct db_stmt **st, const char *sql,
		      struct parity_error *err)
{
	return prepare(s, st, sql, 0, err);
}

int store_sql_fail(struct store *s, struct parity_error *err,
		   const char *what)
{
	return store_fail(s, err, what);
}

int store_sql_step_done(struct store *s, struct db_stmt *st, const char *what,
			struct parity_error *err)
{
	return step_done(s, st, what, err);
}

int store_sql_need_transaction(struct store *s, struct parity_error *err)
{
	return need_transaction(s, err);
}
