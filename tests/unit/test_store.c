/*
 * test_store.c - the store: creation and the key file, the connection
 * settings it insists on, migrations, immutable versioned submissions,
 * records, aggregates pooled across submissions, and pseudonyms; the key's
 * fingerprint, symbolic links to the key, and opening for reading only;
 * the alias register's versions, the register version and labels a
 * submission records, refused labels kept and cleared, and staff blocks of
 * the first packed format (no labels) still read; the hub's accounts,
 * credentials and append-only audit log.
 *
 * On SQLite (the store a file, its key beside it), or, when
 * PARITY_TEST_PG holds a libpq conninfo (tests/pg/with-server), on
 * PostgreSQL: each test then has a database of its own on that server,
 * made in setup and dropped in teardown, named to the store by a URI, its
 * key a file in the test's directory. What a test reads of the store
 * behind its back it reads through db.h, on either backend (raw_int()).
 * The tests that are SQLite's own by nature (its file, its -wal and -shm,
 * its file modes) run on SQLite only, or do on PostgreSQL what is the
 * same there; each says which.
 *
 * The tests run as root in CI, and root writes whatever the modes say; so
 * what an ordinary user meets (a store or directory they cannot write, a
 * read-only file left beside the store, a key they cannot read) is tested
 * in a child process that becomes an ordinary user (as_ordinary_user()).
 */
#define _XOPEN_SOURCE 700 /* nftw() */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "base/alloc.h"
#include "store/accounts.h"
#include "store/backup.h"
#include "store/db_postgres.h"
#include "store/db_sqlite.h"
#include "store/objection.h"
#include "store/pseudonym.h"
#include "store/retention.h"
#include "store/service_store.h"
#include "store/store_internal.h"
#include "store/staff_pack.h"
#include "store/store.h"

#include <math.h>

#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <libpq-fe.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/*
 * The server, when the tests run on PostgreSQL: its conninfo (a
 * superuser's), and the URI that names a database on it with that
 * conninfo's socket directory or host, port and user; NULL on SQLite.
 */
static const char *pg_conninfo;
static char pg_uri_query[512]; /* "?host=...&user=..." */
static unsigned pg_tests_made; /* one database name per test */

static bool on_pg(void)
{
	return pg_conninfo != NULL;
}

struct fixture {
	char dir[64];
	char db[128];     /* SQLite: the store's file */
	char key[128];    /* the key file, in `dir` (beside the file) */
	char name[64];    /* PostgreSQL: the database */
	char where[700];  /* where the store is: the file, or a URI */
};

/* A connection to the database `name` on the test server; fails the test
 * when there is none. */
static struct db *pg_connect_to(const char *name)
{
	char conninfo[700], why[512];
	struct db *db = NULL;

	/* a keyword given twice: libpq takes the last */
	snprintf(conninfo, sizeof(conninfo), "%s dbname=%s", pg_conninfo,
		 name);
	if (db_postgres_connect(conninfo, &db, why, sizeof(why)) != 0)
		fail_msg("cannot connect to %s: %s", name, why);
	return db;
}

/* Run `sql` (no rows) as the server's superuser, outside any database of
 * a test: making and dropping them. 0, or -1 with the reason on stderr. */
static int pg_admin(const char *sql)
{
	char why[512];
	struct db *db = NULL;
	int rc;

	if (db_postgres_connect(pg_conninfo, &db, why, sizeof(why)) != 0) {
		fprintf(stderr, "test_store: %s\n", why);
		return -1;
	}
	rc = db_exec(db, sql);
	if (rc != 0)
		fprintf(stderr, "test_store: %s: %s\n", sql,
			db_error_message(db));
	db_close(db);
	return rc;
}

/*
 * Another store for a test beside the fixture's, called `name`: on SQLite
 * the file `name`.db in the test's directory, its key beside it; on
 * PostgreSQL a new database (dropped with the fixture's), its key
 * `name`.key in the test's directory. `where` and `key` get its place and
 * key file (sizes those of the fixture's).
 */
static void other_place(const struct fixture *f, const char *name,
			char *where, char *key)
{
	char db[96], sql[160];

	if (!on_pg()) {
		snprintf(where, sizeof(f->where), "%s/%s.db", f->dir, name);
		snprintf(key, sizeof(f->key), "%s/%s.db.key", f->dir, name);
		return;
	}
	snprintf(db, sizeof(db), "%s_%s", f->name, name);
	snprintf(sql, sizeof(sql), "CREATE DATABASE %s", db);
	assert_int_equal(pg_admin(sql), 0);
	snprintf(where, sizeof(f->where), "postgresql:///%s%s", db,
		 pg_uri_query);
	snprintf(key, sizeof(f->key), "%s/%s.key", f->dir, name);
}

static void remove_files(const struct fixture *f)
{
	char path[160];

	unlink(f->db);
	unlink(f->key);
	snprintf(path, sizeof(path), "%s-wal", f->db);
	unlink(path);
	snprintf(path, sizeof(path), "%s-shm", f->db);
	unlink(path);
}

static int setup(void **state)
{
	struct fixture *f = xcalloc(1, sizeof(*f));
	char sql[128];

	snprintf(f->dir, sizeof(f->dir), "/tmp/parity-test-store-XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->db, sizeof(f->db), "%s/t.db", f->dir);
	snprintf(f->key, sizeof(f->key), "%s/t.db.key", f->dir);
	snprintf(f->where, sizeof(f->where), "%s", f->db);
	if (on_pg()) {
		snprintf(f->name, sizeof(f->name), "parity_test_store_%ld_%u",
			 (long)getpid(), ++pg_tests_made);
		snprintf(sql, sizeof(sql), "CREATE DATABASE %s", f->name);
		if (pg_admin(sql) != 0) {
			rmdir(f->dir);
			free(f);
			return -1;
		}
		snprintf(f->where, sizeof(f->where), "postgresql:///%s%s",
			 f->name, pg_uri_query);
	}
	*state = f;
	return 0;
}

static int remove_entry(const char *path, const struct stat *st, int flag,
			struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

/* Drop the fixture's database and those other_place() made beside it,
 * whatever connections a failed test left open to them; 0 or -1. */
static int drop_databases(const struct fixture *f)
{
	char names[8][96], prefix[80], sql[sizeof(names) + 64], why[512];
	struct db_stmt *st = NULL;
	struct db *db = NULL;
	size_t n = 0, k;
	int rc = 0;

	if (db_postgres_connect(pg_conninfo, &db, why, sizeof(why)) != 0) {
		fprintf(stderr, "test_store: %s\n", why);
		return -1;
	}
	snprintf(prefix, sizeof(prefix), "%s_", f->name);
	if (db_prepare(db, "SELECT datname FROM pg_database WHERE datname = "
		       "?1 OR starts_with(datname, ?2)", false, &st) != 0) {
		db_close(db);
		return -1;
	}
	db_bind_text(st, 1, f->name, -1);
	db_bind_text(st, 2, prefix, -1);
	while (n < 8 && db_step(st) == DB_ROW)
		db_column_copy(st, 0, names[n++], sizeof(names[0]));
	db_finalize(st);
	for (k = 0; k < n; k++) {
		snprintf(sql, sizeof(sql), "DROP DATABASE \"%s\" WITH (FORCE)",
			 names[k]);
		if (db_exec(db, sql) != 0) {
			fprintf(stderr, "test_store: %s: %s\n", sql,
				db_error_message(db));
			rc = -1;
		}
	}
	db_close(db);
	return rc;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	int rc = 0;

	if (on_pg())
		rc = drop_databases(f);
	remove_files(f);
	nftw(f->dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return rc;
}

/* store_create(), store_open() and store_open_readonly() of the store
 * `where` with its key `key` (used on PostgreSQL only). */
static int create_at(const char *where, const char *key,
		     struct parity_error *err)
{
	return store_create_keyed(where, on_pg() ? key : NULL, err);
}

static int open_at(struct store **s, const char *where, const char *key,
		   struct parity_error *err)
{
	return store_open_keyed(s, where, on_pg() ? key : NULL, err);
}

static int open_readonly_at(struct store **s, const char *where,
			    const char *key, struct parity_error *err)
{
	return store_open_readonly_keyed(s, where, on_pg() ? key : NULL, err);
}

/* The same, of the fixture's store. */
static int create_store(const struct fixture *f, struct parity_error *err)
{
	return create_at(f->where, f->key, err);
}

static int open_store(struct store **s, const struct fixture *f,
		      struct parity_error *err)
{
	return open_at(s, f->where, f->key, err);
}

static int open_store_readonly(struct store **s, const struct fixture *f,
			       struct parity_error *err)
{
	return open_readonly_at(s, f->where, f->key, err);
}

static struct store *open_new(const struct fixture *f)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s = NULL;

	assert_int_equal(create_store(f, &err), 0);
	assert_int_equal(open_store(&s, f, &err), 0);
	return s;
}

/* Run SQL on the database directly, as another program would: on the
 * file `db` (SQLite) or in the database `db` (PostgreSQL), through db.h,
 * as the server's superuser. The first column of the first row, or -1
 * when there is none. */
static long raw_int_in(const char *db, const char *sql)
{
	sqlite3 *h;
	sqlite3_stmt *st;
	long v = -1;

	if (on_pg()) {
		struct db *pg = pg_connect_to(db);
		struct db_stmt *ps = NULL;
		int rc;

		if (db_prepare(pg, sql, false, &ps) != 0)
			fail_msg("%s: %s", sql, db_error_message(pg));
		rc = db_step(ps);
		if (rc == DB_ROW)
			v = (long)db_column_int64(ps, 0);
		else if (rc != DB_DONE)
			fail_msg("%s: %s", sql, db_error_message(pg));
		db_finalize(ps);
		db_close(pg);
		return v;
	}
	assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(h);
	return v;
}

/* The fixture's store as raw_int_in() and messages name it: its file,
 * or its database. */
static const char *store_name(const struct fixture *f)
{
	return on_pg() ? f->name : f->db;
}

/* raw_int_in() of the fixture's store. */
static long raw_int(const struct fixture *f, const char *sql)
{
	return raw_int_in(store_name(f), sql);
}

/* What the fixture's store on PostgreSQL holds, as the MD5 of its tables'
 * rows (the tables a workforce return writes to, and the schema's
 * version and key's fingerprint), into `out` (40 bytes): the same before
 * and after means nothing was written. */
static void pg_contents(const struct fixture *f, char *out)
{
	static const char *const tables[] = {
		"schema_version", "key_fingerprint", "submission",
		"staff_block", "staff_pay", "staff_event", "audit",
	};
	char sql[1024];
	size_t len, k;
	struct db *pg = pg_connect_to(f->name);
	struct db_stmt *st = NULL;

	len = (size_t)snprintf(sql, sizeof(sql), "SELECT md5(concat_ws('|'");
	for (k = 0; k < sizeof(tables) / sizeof(tables[0]); k++)
		len += (size_t)snprintf(sql + len, sizeof(sql) - len,
					", (SELECT string_agg(t::text, ',' "
					"ORDER BY t::text) FROM %s t)",
					tables[k]);
	snprintf(sql + len, sizeof(sql) - len, "))");
	if (db_prepare(pg, sql, false, &st) != 0 || db_step(st) != DB_ROW)
		fail_msg("%s: %s", sql, db_error_message(pg));
	db_column_copy(st, 0, out, 40);
	db_finalize(st);
	db_close(pg);
}

/* The tables of a database on PostgreSQL (raw_int()). */
#define TABLES_IN_PUBLIC \
	"SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"

/* The blob in the first column of the first row `sql` reads in the
 * fixture's database on PostgreSQL, its size in *n; free()d by the
 * caller. */
static unsigned char *raw_blob(const struct fixture *f, const char *sql,
			       size_t *n)
{
	struct db *pg = pg_connect_to(f->name);
	struct db_stmt *st = NULL;
	unsigned char *bytes;

	if (db_prepare(pg, sql, false, &st) != 0 || db_step(st) != DB_ROW)
		fail_msg("%s: %s", sql, db_error_message(pg));
	*n = db_column_bytes(st, 0);
	bytes = xmalloc(*n + 1);
	if (*n > 0)
		memcpy(bytes, db_column_blob(st, 0), *n);
	db_finalize(st);
	db_close(pg);
	return bytes;
}

/* What migrations 0015 (retention and objections), 0014 (groups
 * of boroughs), 0013 (attainment returns),
 * 0012 (the archive of Race Matters), 0011 (attached documents), 0010 (the Learning Lab) and 0009
 * added (the practice
 * pool), 0008 (assessments and
 * reviews), 0007 (the hub's
 * accounts and audit log), and 0006 (the alias register and the labels
 * seen), taken away again: with user_version set back, a store made now
 * is as an earlier parity made it. */
#define UNDO_0015 "DROP TABLE objection; DROP TABLE records_removed; "
#define UNDO_0014 UNDO_0015 \
	"DROP TABLE area_group_member; DROP TABLE area_group; "
#define UNDO_0013 UNDO_0014 \
	"DROP TABLE attainment_row; DROP TABLE attainment_return; "
#define UNDO_0012 UNDO_0013 "DROP TABLE digest_issue; "
#define UNDO_0011 UNDO_0012 \
	"DROP TABLE practice_attachment; DROP TABLE practice_file; "
#define UNDO_0010 UNDO_0011 \
	"DROP TABLE learning_event_material; " \
	"DROP TABLE learning_event_practice; DROP TABLE learning_event; "
#define UNDO_0009 UNDO_0010 \
	"DROP TABLE practice_text; DROP TABLE practice_tag; " \
	"DROP TABLE practice_lead; DROP TABLE practice; "
#define UNDO_0008 UNDO_0009 \
	"DROP TABLE review_entry; DROP TABLE review; " \
	"DROP TABLE assessment_action; DROP TABLE assessment_answer; " \
	"DROP TABLE assessment_link; DROP TABLE assessment_criterion; " \
	"DROP TABLE assessment; "
#define UNDO_0007 UNDO_0008 \
	"DROP TABLE audit; DROP TABLE signin_failure; " \
	"DROP TABLE credential; DROP TABLE account; "
#define UNDO_0006 UNDO_0007 \
	"DROP TABLE alias_check; DROP TABLE submission_label; " \
	"DROP TABLE refused_label; DROP INDEX alias_in_register; " \
	"DROP TABLE alias; DROP TABLE alias_version; " \
	"ALTER TABLE submission DROP COLUMN alias_version; " \
	"ALTER TABLE submission DROP COLUMN origin; " \
	"ALTER TABLE submission DROP COLUMN code_system; " \
	"ALTER TABLE applicant DROP COLUMN label; " \
	"ALTER TABLE service_count DROP COLUMN label; "

static void raw_exec(const struct fixture *f, const char *sql)
{
	sqlite3 *h;

	if (on_pg()) {
		struct db *pg = pg_connect_to(f->name);

		if (db_exec(pg, sql) != 0)
			fail_msg("%s", db_error_message(pg));
		db_close(pg);
		return;
	}
	assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
	assert_int_equal(sqlite3_exec(h, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(h);
}

/* On PostgreSQL, where the store is no file of its own: its version in
 * schema_version; never made over a store, and a key made for it then is
 * taken away again; never made with a key already in the way, and the
 * database is left as it was, empty. */
static void create_refused_on_postgres(const struct fixture *f)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char where[sizeof(f->where)], key[sizeof(f->key)], name[96];

	assert_int_equal(raw_int(f, "SELECT version FROM schema_version"),
			 STORE_SCHEMA_VERSION);
	assert_int_equal(create_store(f, &err), -1);
	assert_non_null(strstr(err.message, "key file already exists"));
	unlink(f->key);
	assert_int_equal(create_store(f, &err), -1);
	assert_non_null(strstr(err.message, "a store already exists here"));
	assert_int_equal(access(f->key, F_OK), -1);

	other_place(f, "empty", where, key);
	assert_int_equal(pseudonym_key_create(key, &err), 0);
	assert_int_equal(create_at(where, key, &err), -1);
	assert_non_null(strstr(err.message, "key file already exists"));
	assert_int_equal(access(key, F_OK), 0);
	snprintf(name, sizeof(name), "%s_empty", f->name);
	assert_int_equal(raw_int_in(name, TABLES_IN_PUBLIC), 0);
}

static void test_create_makes_private_files(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s;
	struct stat st;

	s = open_new(f);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	store_close(s);
	assert_int_equal(stat(f->key, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(st.st_size, PSEUDONYM_KEY_BYTES);
	if (on_pg()) {
		create_refused_on_postgres(f);
		return;
	}
	assert_int_equal(stat(f->db, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(raw_int(f, "PRAGMA user_version"),
			 STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM pragma_journal_mode"
				 " WHERE journal_mode = 'wal'"), 1);
	/* never over an existing store, nor an existing key */
	assert_int_equal(store_create(f->db, &err), -1);
	assert_non_null(strstr(err.message, "already exists"));
	unlink(f->db);
	assert_int_equal(store_create(f->db, &err), -1);
	assert_non_null(strstr(err.message, "key file already exists"));
	assert_int_equal(access(f->db, F_OK), -1);
}

static void test_open_refuses_missing_or_open_key(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s;
	char moved[160];

	store_close(open_new(f));
	assert_int_equal(chmod(f->key, 0640), 0);
	assert_int_equal(open_store(&s, f, &err), -1);
	assert_null(s);
	assert_int_equal(err.code, PARITY_ERR_STORE);
	assert_non_null(strstr(err.message, "read or written by others"));
	assert_int_equal(chmod(f->key, 0604), 0);
	assert_int_equal(open_store(&s, f, &err), -1);
	assert_int_equal(chmod(f->key, 0600), 0);
	snprintf(moved, sizeof(moved), "%s.moved", f->key);
	assert_int_equal(rename(f->key, moved), 0);
	assert_int_equal(open_store(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "key file is missing"));
	assert_int_equal(rename(moved, f->key), 0);
	assert_int_equal(open_store(&s, f, &err), 0);
	store_close(s);
	assert_int_equal(truncate(f->key, 31), 0);
	assert_int_equal(open_store(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "damaged"));
}

static void test_open_refuses_what_is_not_a_store(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s;
	FILE *out;

	assert_int_equal(open_store(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "parity init"));
	if (on_pg()) {
		/* an empty database with a key: no store, even to a reader;
		 * a database of another program's: not a store, and not
		 * made one */
		assert_int_equal(pseudonym_key_create(f->key, &err), 0);
		assert_int_equal(open_store(&s, f, &err), -1);
		assert_non_null(strstr(err.message, "parity init"));
		assert_int_equal(open_store_readonly(&s, f, &err), -1);
		assert_non_null(strstr(err.message, "parity init"));
		raw_exec(f, "CREATE TABLE t (x integer)");
		assert_int_equal(open_store(&s, f, &err), -1);
		assert_non_null(strstr(err.message, "not a parity store"));
		assert_int_equal(open_store_readonly(&s, f, &err), -1);
		assert_non_null(strstr(err.message, "not a parity store"));
		unlink(f->key);
		assert_int_equal(create_store(f, &err), -1);
		assert_non_null(strstr(err.message, "not a parity store"));
		assert_int_equal(raw_int(f, TABLES_IN_PUBLIC), 1);
		return;
	}
	/* a text file with a key beside it */
	store_close(open_new(f));
	unlink(f->db);
	out = fopen(f->db, "w");
	assert_non_null(out);
	fputs("staff_id,ethnicity\n1,Indian\n", out);
	fclose(out);
	assert_int_equal(open_store(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "not"));
	assert_int_equal(open_store_readonly(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "not an SQLite database"));
	/* another program's SQLite database */
	unlink(f->db);
	raw_exec(f, "CREATE TABLE t (x)");
	assert_int_equal(open_store(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "not a parity store"));
	assert_int_equal(open_store_readonly(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "not a parity store"));
}

static void test_newer_schema_is_refused(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s;

	store_close(open_new(f));
	raw_exec(f, on_pg() ? "UPDATE schema_version SET version = 99"
			    : "PRAGMA user_version = 99");
	assert_int_equal(open_store(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "newer parity"));
	assert_int_equal(open_store_readonly(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "newer parity"));
}

extern const char parity_data_0001_init_sql[];
extern const char parity_data_postgresql_0001_init_sql[];
extern const char parity_data_postgresql_0002_classification_sql[];
extern const char parity_data_postgresql_0003_services_sql[];
extern const char parity_data_postgresql_0004_staff_block_sql[];

static void fill_sub(struct store_submission *sub, enum store_kind kind,
		     const char *area, int year);

/* A store made by a parity that knew only schema version 1, holding one
 * workforce return, is migrated at open: its records keep their
 * submission, foreign keys hold, and service returns can then be added
 * beside it for the same area and year. */
static int count_white_british(void *ctx, const struct store_staff *r)
{
	size_t *n = ctx;

	assert_int_equal(r->ethnicity, ETH_WBRI);
	assert_true(r->annual_salary == 30000);
	(*n)++;
	return 0;
}

static void test_version_1_store_is_migrated(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_submission sub, got;
	struct store *s;
	size_t n = 0;
	sqlite3 *h;

	if (on_pg()) {
		/* PostgreSQL's migration 1 and the same rows: its foreign
		 * keys the server's own, held throughout */
		raw_exec(f, parity_data_postgresql_0001_init_sql);
		raw_exec(f, "INSERT INTO submission VALUES (7, 'workforce', "
			 "'E09000005', 2024, 1, 'current', NULL, "
			 "'2024-05-01T09:30:00Z', 'tester', 'f.csv', 1, 'abc', "
			 "'UTF-8', 'staff_id');"
			 "INSERT INTO staff (submission_id, person, ethnicity, "
			 "annual_salary, fte) VALUES (7, '\\x00', 'WBRI', "
			 "30000, 1)");
	} else {
		assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
		assert_int_equal(sqlite3_exec(h, parity_data_0001_init_sql,
					      NULL, NULL, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_exec(h,
			"INSERT INTO submission VALUES (7, 'workforce', "
			"'E09000005', 2024, 1, 'current', NULL, "
			"'2024-05-01T09:30:00Z', 'tester', 'f.csv', 1, 'abc', "
			"'UTF-8', 'staff_id');"
			"INSERT INTO staff (submission_id, person, ethnicity, "
			"annual_salary, fte) VALUES (7, x'00', 'WBRI', 30000, "
			"1);"
			"PRAGMA application_id = 1347572825; "
			"PRAGMA user_version = 1;",
			NULL, NULL, NULL), SQLITE_OK);
		sqlite3_close(h);
		chmod(f->db, 0600);
	}
	assert_int_equal(pseudonym_key_create(f->key, &err), 0);

	assert_int_equal(open_store(&s, f, &err), 0);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	assert_int_equal(store_submission_current(s, STORE_WORKFORCE,
						  "E09000005", 2024, &got,
						  &err), 1);
	assert_int_equal(got.id, 7);
	assert_string_equal(got.subject, "");
	/* 0002 read it as a 2021 return, and 0003's rebuild kept that */
	assert_int_equal(got.classification, 2021);
	fill_sub(&sub, STORE_SERVICE, "E09000005", 2024);
	snprintf(sub.subject, sizeof(sub.subject), "youth-justice");
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	assert_int_equal(sub.version, 1);
	assert_int_equal(sub.supersedes, 0);
	assert_int_equal(store_commit(s, &err), 0);
	/* the record stored as a row before 0004 is read as it was */
	assert_int_equal(store_staff_each(s, 7, count_white_british, &n,
					  &err), 0);
	assert_int_equal(n, 1);
	store_close(s);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM staff "
				 "JOIN submission ON submission.id = "
				 "staff.submission_id"), 1);
	if (!on_pg())
		assert_int_equal(raw_int(f, "SELECT count(*) FROM "
					 "pragma_foreign_key_check"), 0);
	assert_int_equal(raw_int(f, on_pg() ? "SELECT version FROM "
				 "schema_version" : "PRAGMA user_version"),
			 STORE_SCHEMA_VERSION);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM submission "
				 "WHERE classification = '2021'"), 2);
}

static int count_walk(void *ctx, const char *stage, const char *group,
		      double count)
{
	double *sum = ctx;

	(void)stage;
	(void)group;
	if (isnan(count))
		sum[1] += 1;
	else
		sum[0] += count;
	return 0;
}

/* Service returns are versioned per service, area and year: two services
 * for the same borough and year are both current; a second version of one
 * supersedes only it. */
static void test_service_returns(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_submission a, b, c;
	struct store_service_return got;
	struct store *s = open_new(f);
	double sum[2] = { 0, 0 };
	int k;

	fill_sub(&a, STORE_SERVICE, "E09000005", 2023);
	b = a;
	c = a;
	snprintf(a.subject, sizeof(a.subject), "youth-justice");
	snprintf(b.subject, sizeof(b.subject), "stop-and-search");
	snprintf(c.subject, sizeof(c.subject), "youth-justice");
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &a, &err), 0);
	assert_int_equal(store_service_return_add(s, a.id, "2023-24",
						  "detailed", &err), 0);
	assert_int_equal(store_service_count_add(s, a.id, "arrest", "BCRB",
						 12, 2, "Black Caribbean",
						 &err), 0);
	assert_int_equal(store_service_count_add(s, a.id, "arrest", "WBRI",
						 NAN, 3, NULL, &err), 0);
	assert_int_equal(store_submission_add(s, &b, &err), 0);
	assert_int_equal(store_service_return_add(s, b.id, "2023", "high",
						  &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(b.supersedes, 0);

	assert_int_equal(store_service_current(s, "youth-justice", "E09000005",
					       2023, &got, &err), 1);
	assert_int_equal(got.sub.id, a.id);
	assert_string_equal(got.period, "2023-24");
	assert_string_equal(got.level, "detailed");
	assert_int_equal(store_service_counts_each(s, a.id, count_walk, sum,
						   &err), 0);
	assert_true(sum[0] == 12 && sum[1] == 1);
	assert_int_equal(store_service_current(s, "stop-and-search",
					       "E09000005", 2023, &got, &err),
			 1);
	assert_string_equal(got.level, "high");
	assert_int_equal(store_service_current(s, "youth-justice", "E09000005",
					       2022, &got, &err), 0);

	/* A new version of one service; then one taken back. */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &c, &err), 0);
	assert_int_equal(c.version, 2);
	assert_int_equal(c.supersedes, a.id);
	assert_int_equal(store_service_return_add(s, c.id, "2023-24", "high",
						  &err), 0);
	assert_int_equal(store_service_count_add(s, c.id, "arrest", "B", 5, 2,
						 "Black", &err), 0);
	assert_int_equal(store_submission_discard(s, &c, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_service_current(s, "youth-justice", "E09000005",
					       2023, &got, &err), 1);
	assert_int_equal(got.sub.id, a.id);
	for (k = 0; k < 2; k++)
		assert_int_equal(store_service_current(
			s, k ? "stop-and-search" : "youth-justice",
			"E09000005", 2023, &got, &err), 1);
	store_close(s);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM service_count"),
			 2);
}

static void fill_sub(struct store_submission *sub, enum store_kind kind,
		     const char *area, int year)
{
	memset(sub, 0, sizeof(*sub));
	sub->kind = kind;
	snprintf(sub->area_code, sizeof(sub->area_code), "%s", area);
	sub->year = year;
	snprintf(sub->submitted_at, sizeof(sub->submitted_at),
		 "2024-05-01T09:30:00Z");
	snprintf(sub->submitted_by, sizeof(sub->submitted_by), "tester");
	snprintf(sub->source_name, sizeof(sub->source_name), "f.csv");
	snprintf(sub->encoding, sizeof(sub->encoding), "UTF-8");
	snprintf(sub->columns, sizeof(sub->columns), "staff_id,ethnicity");
}

/* Add a finished submission with `n` staff of group `eth` paid from
 * `pay0` upwards in steps of 1000. */
static int64_t add_workforce(struct store *s, const char *area, int year,
			     enum ethnicity_id eth, size_t n, double pay0,
			     const char *sha)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_submission sub;
	struct store_staff r;
	struct store_event_count ev = { 1, (long)n - 1, 0 };
	double *pay = xcalloc(n, sizeof(*pay));
	size_t k;

	fill_sub(&sub, STORE_WORKFORCE, area, year);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	for (k = 0; k < n; k++) {
		memset(&r, 0, sizeof(r));
		r.person[0] = (unsigned char)k;
		r.ethnicity = eth;
		r.annual_salary = pay0 + 1000.0 * (double)k;
		r.fte = 1;
		r.grade = k % 2 ? "G5" : NULL;
		r.events[0] = k == 0;
		r.events[1] = 0;
		r.events[2] = STORE_NOT_GIVEN;
		r.events[3] = 1;
		pay[k] = r.annual_salary;
		assert_int_equal(store_staff_add(s, sub.id, &r, &err), 0);
	}
	assert_int_equal(store_pay_add(s, sub.id, eth, pay, n, &err), 0);
	assert_int_equal(store_event_add(s, sub.id, eth, STORE_EVENT_PROMOTED,
					 &ev, &err), 0);
	sub.rows = (long)n;
	snprintf(sub.sha256, sizeof(sub.sha256), "%s", sha);
	assert_int_equal(store_submission_finish(s, &sub, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	free(pay);
	return sub.id;
}

static void test_versions_supersede_and_stay(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_filter all = STORE_FILTER_ALL;
	struct store_submission got, *list;
	struct store *s = open_new(f);
	int64_t v1, v2, other;
	size_t n;

	v1 = add_workforce(s, "E09000005", 2024, ETH_AIND, 3, 20000, "aa");
	other = add_workforce(s, "E09000007", 2024, ETH_AIND, 1, 20000, "bb");
	v2 = add_workforce(s, "E09000005", 2024, ETH_AIND, 2, 30000, "cc");
	assert_int_equal(store_submission_get(s, v2, &got, &err), 0);
	assert_int_equal(got.version, 2);
	assert_true(got.current);
	assert_int_equal(got.supersedes, v1);
	assert_int_equal(got.rows, 2);
	assert_string_equal(got.sha256, "cc");
	assert_string_equal(got.submitted_by, "tester");
	assert_string_equal(got.columns, "staff_id,ethnicity");
	assert_int_equal(store_submission_get(s, v1, &got, &err), 0);
	assert_false(got.current);
	assert_int_equal(got.rows, 3); /* the old version is kept whole */
	assert_int_equal(store_submission_current(s, STORE_WORKFORCE,
						  "E09000005", 2024, &got,
						  &err), 1);
	assert_int_equal(got.id, v2);
	assert_int_equal(store_submission_current(s, STORE_RECRUITMENT,
						  "E09000005", 2024, &got,
						  &err), 0);
	assert_int_equal(store_submissions_list(s, &all, &list, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(list[0].id, v1);
	assert_int_equal(list[1].id, v2);
	assert_int_equal(list[2].id, other);
	free(list);
	all.current_only = true;
	all.area_code = "E09000005";
	assert_int_equal(store_submissions_list(s, &all, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].id, v2);
	free(list);
	assert_int_equal(store_submission_get(s, 999, &got, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_NOT_FOUND);
	store_close(s);
}

static void test_rollback_and_discard_leave_no_trace(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_submission sub, got;
	struct store_staff r;
	struct store *s = open_new(f);
	int64_t v1;

	v1 = add_workforce(s, "E09000005", 2024, ETH_WBRI, 2, 25000, "aa");
	/* a rolled-back import */
	fill_sub(&sub, STORE_WORKFORCE, "E09000005", 2024);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	memset(&r, 0, sizeof(r));
	r.ethnicity = ETH_WBRI;
	r.annual_salary = 30000;
	r.fte = 1;
	assert_int_equal(store_staff_add(s, sub.id, &r, &err), 0);
	store_rollback(s);
	assert_int_equal(store_submission_current(s, STORE_WORKFORCE,
						  "E09000005", 2024, &got,
						  &err), 1);
	assert_int_equal(got.id, v1);
	/* a discarded one, in a transaction that commits */
	fill_sub(&sub, STORE_WORKFORCE, "E09000005", 2024);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	assert_int_equal(store_staff_add(s, sub.id, &r, &err), 0);
	assert_int_equal(store_submission_discard(s, &sub, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_submission_current(s, STORE_WORKFORCE,
						  "E09000005", 2024, &got,
						  &err), 1);
	assert_int_equal(got.id, v1);
	assert_true(got.current);
	store_close(s);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM submission"), 1);
	/* packed in one block, none left as rows */
	assert_int_equal(raw_int(f, "SELECT sum(records) FROM staff_block"),
			 2);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM staff"), 0);
	/* writes outside a transaction are refused */
	assert_int_equal(open_store(&s, f, &err), 0);
	assert_int_equal(store_staff_add(s, v1, &r, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_INTERNAL);
	store_close(s);
}

/* Salaries in the order the records were added. */
struct salaries {
	double v[STAFF_PACK_MAX + 20];
	size_t n;
};

static int collect_salary(void *ctx, const struct store_staff *r)
{
	struct salaries *c = ctx;

	c->v[c->n++] = r->annual_salary;
	return 0;
}

/* Records of two returns added in turn, and more than a block of one of
 * them, come back to each return in the order they were added; a rolled
 * back import leaves no blocks. */
static void test_records_interleaved_and_in_order(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s = open_new(f);
	struct store_submission a, b;
	struct store_staff r;
	struct salaries *got = xcalloc(1, sizeof(*got));
	size_t k, n = 3 * STAFF_PACK_MAX / 2 + 10;

	fill_sub(&a, STORE_WORKFORCE, "E09000005", 2024);
	fill_sub(&b, STORE_WORKFORCE, "E09000007", 2024);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &a, &err), 0);
	assert_int_equal(store_submission_add(s, &b, &err), 0);
	memset(&r, 0, sizeof(r));
	r.ethnicity = ETH_AIND;
	r.fte = 1;
	for (k = 0; k < n; k++) {
		r.annual_salary = 20000 + (double)k;
		assert_int_equal(store_staff_add(s, k % 3 ? a.id : b.id, &r,
						 &err), 0);
	}
	/* read inside the transaction: what is waiting is written first */
	assert_int_equal(store_staff_each(s, b.id, collect_salary, got, &err),
			 0);
	assert_int_equal(got->n, (n + 2) / 3);
	for (k = 0; k < got->n; k++)
		assert_true(got->v[k] == 20000 + 3.0 * (double)k);
	assert_int_equal(store_commit(s, &err), 0);
	got->n = 0;
	assert_int_equal(store_staff_each(s, a.id, collect_salary, got, &err),
			 0);
	assert_int_equal(got->n, n - (n + 2) / 3);
	for (k = 1; k < got->n; k++)
		assert_true(got->v[k] > got->v[k - 1]);
	/* an import rolled back, with records still waiting, adds nothing */
	fill_sub(&a, STORE_WORKFORCE, "E09000008", 2024);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &a, &err), 0);
	assert_int_equal(store_staff_add(s, a.id, &r, &err), 0);
	store_rollback(s);
	store_close(s);
	assert_int_equal(raw_int(f, "SELECT sum(records) FROM staff_block"),
			 (long long)n);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM staff_block "
				 "WHERE submission_id = 1"), 2);
	free(got);
}

struct walk {
	size_t count;
	double total;
	size_t with_grade;
	int promoted, training;
};

static int walk_staff(void *ctx, const struct store_staff *r)
{
	struct walk *w = ctx;

	w->count++;
	w->total += r->annual_salary;
	if (r->grade) {
		assert_string_equal(r->grade, "G5");
		w->with_grade++;
	}
	assert_null(r->sex);
	w->promoted += r->events[STORE_EVENT_PROMOTED] == 1;
	w->training += r->events[STORE_EVENT_TRAINING] == STORE_NOT_GIVEN;
	assert_int_equal(r->ethnicity, ETH_BCRB);
	return 0;
}

static void test_records_round_trip(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s = open_new(f);
	struct walk w = { 0, 0, 0, 0, 0 };
	int64_t id = add_workforce(s, "E09000005", 2024, ETH_BCRB, 4, 21000,
				   "aa");

	assert_int_equal(store_staff_each(s, id, walk_staff, &w, &err), 0);
	assert_int_equal(w.count, 4);
	assert_true(w.total == 21000 + 22000 + 23000 + 24000);
	assert_int_equal(w.with_grade, 2);
	assert_int_equal(w.promoted, 1);
	assert_int_equal(w.training, 4);
	store_close(s);
	assert_int_equal(raw_int(f, "SELECT records FROM staff_block WHERE "
				 "seq = 0"), 4);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM staff"), 0);
}

static void test_aggregates_pool_current_submissions(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s = open_new(f);
	struct store_aggregates agg;
	const char *areas[] = { "E09000005", "E09000007", "E09000009" };
	struct store_submission sub;
	struct store_applicant_count ac = { 10, 4, 1 };
	size_t k;

	add_workforce(s, "E09000005", 2024, ETH_AIND, 3, 20000, "a");
	add_workforce(s, "E09000005", 2024, ETH_AIND, 2, 20500, "b");
	add_workforce(s, "E09000007", 2024, ETH_AIND, 3, 19000, "c");
	add_workforce(s, "E09000007", 2023, ETH_AIND, 5, 50000, "d");
	fill_sub(&sub, STORE_RECRUITMENT, "E09000007", 2024);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	assert_int_equal(store_applicant_count_add(s, sub.id, ETH_AIND, &ac,
						   &err), 0);
	assert_int_equal(store_commit(s, &err), 0);

	assert_int_equal(store_aggregates_load(s, areas, 3, 2024, &agg, &err), 0);
	assert_int_equal(agg.workforce_count, 2);
	assert_int_equal(agg.recruitment_count, 1);
	assert_int_equal(agg.submission_count, 3);
	/* the current Brent version (20500, 21500) and Camden (19000..21000),
	 * merged in order; the superseded version and 2023 left out */
	assert_int_equal(agg.pay_count[ETH_AIND], 5);
	assert_true(agg.pay[ETH_AIND][0] == 19000);
	assert_true(agg.pay[ETH_AIND][1] == 20000);
	assert_true(agg.pay[ETH_AIND][2] == 20500);
	assert_true(agg.pay[ETH_AIND][3] == 21000);
	assert_true(agg.pay[ETH_AIND][4] == 21500);
	for (k = 0; k < ETH_COUNT; k++)
		if (k != ETH_AIND)
			assert_int_equal(agg.pay_count[k], 0);
	assert_int_equal(agg.events[STORE_EVENT_PROMOTED][ETH_AIND].yes, 2);
	assert_int_equal(agg.events[STORE_EVENT_PROMOTED][ETH_AIND].no, 3);
	assert_int_equal(agg.applicants[ETH_AIND].applied, 10);
	assert_int_equal(agg.applicants[ETH_AIND].appointed, 1);
	assert_int_equal(agg.classification_2011_count, 0);
	store_aggregates_release(&agg);

	/* Camden's 2023 return in 2011 categories: recorded, read back and
	 * counted when pooled */
	assert_int_equal(store_submission_current(s, STORE_WORKFORCE,
						  "E09000007", 2023, &sub,
						  &err), 1);
	assert_int_equal(sub.classification, 2021);
	sub.classification = 2011;
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_finish(s, &sub, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_submission_get(s, sub.id, &sub, &err), 0);
	assert_int_equal(sub.classification, 2011);
	assert_int_equal(store_aggregates_load(s, areas, 3, 2023, &agg, &err), 0);
	assert_int_equal(agg.classification_2011_count, 1);
	store_aggregates_release(&agg);
	store_close(s);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM submission "
				 "WHERE classification = '2011'"), 1);
}

static void test_pseudonyms(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct pseudonym_key k1, k2;
	unsigned char a[PSEUDONYM_BYTES], b[PSEUDONYM_BYTES];

	assert_int_equal(pseudonym_key_create(f->key, &err), 0);
	assert_int_equal(pseudonym_key_load(f->key, &k1, &err), 0);
	unlink(f->key);
	assert_int_equal(pseudonym_key_create(f->key, &err), 0);
	assert_int_equal(pseudonym_key_load(f->key, &k2, &err), 0);
	assert_memory_not_equal(k1.bytes, k2.bytes, PSEUDONYM_KEY_BYTES);
	pseudonym_make(&k1, "staff", "E09000005", "10023", 5, a);
	pseudonym_make(&k1, "staff", "E09000005", "10023", 5, b);
	assert_memory_equal(a, b, PSEUDONYM_BYTES);
	pseudonym_make(&k1, "staff", "E09000007", "10023", 5, b);
	assert_memory_not_equal(a, b, PSEUDONYM_BYTES);
	pseudonym_make(&k1, "applicant", "E09000005", "10023", 5, b);
	assert_memory_not_equal(a, b, PSEUDONYM_BYTES);
	pseudonym_make(&k2, "staff", "E09000005", "10023", 5, b);
	assert_memory_not_equal(a, b, PSEUDONYM_BYTES);
	pseudonym_make(&k1, "staff", "E09000005", "1002", 4, b);
	assert_memory_not_equal(a, b, PSEUDONYM_BYTES);
	pseudonym_key_wipe(&k1);
	pseudonym_key_wipe(&k2);
}

/* ---- the key's fingerprint ---- */

/* `path` in the fixture's directory. */
static void in_dir(const struct fixture *f, const char *name, char *out,
		   size_t size)
{
	snprintf(out, size, "%s/%s", f->dir, name);
}

/* Copy a key file's bytes over another's, keeping the other's mode, as
 * `cp b.db.key a.db.key` does. */
static void copy_key(const char *from, const char *to)
{
	unsigned char bytes[PSEUDONYM_KEY_BYTES];
	int in = open(from, O_RDONLY), out = open(to, O_WRONLY | O_TRUNC);

	assert_true(in >= 0 && out >= 0);
	assert_int_equal(read(in, bytes, sizeof(bytes)), sizeof(bytes));
	assert_int_equal(write(out, bytes, sizeof(bytes)), sizeof(bytes));
	close(in);
	close(out);
}

/* Whether `needle` occurs in `hay`. */
static bool contains(const unsigned char *hay, size_t n,
		     const unsigned char *needle, size_t len)
{
	size_t k;

	for (k = 0; k + len <= n; k++)
		if (memcmp(hay + k, needle, len) == 0)
			return true;
	return false;
}

/* The whole of a file, for comparing before and after; free()d by the
 * caller. */
static unsigned char *slurp(const char *path, size_t *size)
{
	FILE *in = fopen(path, "rb");
	unsigned char *bytes;
	long n;

	assert_non_null(in);
	assert_int_equal(fseek(in, 0, SEEK_END), 0);
	n = ftell(in);
	assert_true(n > 0);
	rewind(in);
	bytes = xmalloc((size_t)n);
	assert_int_equal(fread(bytes, 1, (size_t)n, in), (size_t)n);
	fclose(in);
	*size = (size_t)n;
	return bytes;
}

/* Another store's key, copied over this store's, is refused by writers
 * and readers alike; the store's own key opens it again. */
static void test_key_of_another_store_is_refused(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	char other[sizeof(f->where)], other_key[sizeof(f->key)], saved[170];
	struct store *s;

	store_close(open_new(f));
	other_place(f, "other", other, other_key);
	in_dir(f, "saved.key", saved, sizeof(saved));
	assert_int_equal(create_at(other, other_key, &err), 0);
	assert_int_equal(rename(f->key, saved), 0);
	assert_int_equal(pseudonym_key_create(f->key, &err), 0);
	copy_key(other_key, f->key);

	assert_int_equal(open_store(&s, f, &err), -1);
	assert_null(s);
	assert_int_equal(err.code, PARITY_ERR_STORE);
	assert_string_equal(err.file, f->key);
	assert_non_null(strstr(err.message, "does not belong to the store"));
	assert_non_null(strstr(err.message, store_name(f)));
	parity_error_clear(&err);
	assert_int_equal(open_store_readonly(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "does not belong to the store"));

	assert_int_equal(rename(saved, f->key), 0);
	assert_int_equal(open_store(&s, f, &err), 0);
	assert_null(store_notice(s));
	store_close(s);
	assert_int_equal(open_store_readonly(&s, f, &err), 0);
	store_close(s);
	assert_int_equal(open_at(&s, other, other_key, &err), 0);
	store_close(s);
}

/* A store made before fingerprints were kept (schema version 4) is not
 * changed by a reader, which asks for a writing command; the first writer
 * migrates it, records its key's fingerprint and says so; from then on
 * another key is refused. The store holds the fingerprint, never the key. */
static void test_store_made_before_fingerprints_records_its_key(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct pseudonym_key key;
	unsigned char fp[PSEUDONYM_FINGERPRINT_BYTES], *bytes, *before = NULL;
	char saved[170];
	size_t n, n_before;
	struct store *s;

	if (on_pg()) {
		/* PostgreSQL's migrations 1 to 4, as a parity of version 4
		 * left a store */
		raw_exec(f, parity_data_postgresql_0001_init_sql);
		raw_exec(f, parity_data_postgresql_0002_classification_sql);
		raw_exec(f, parity_data_postgresql_0003_services_sql);
		raw_exec(f, parity_data_postgresql_0004_staff_block_sql);
		assert_int_equal(pseudonym_key_create(f->key, &err), 0);
		n_before = (size_t)raw_int(f, TABLES_IN_PUBLIC);
	} else {
		store_close(open_new(f));
		raw_exec(f, UNDO_0006 "DROP TABLE key_fingerprint; "
			 "PRAGMA user_version = 4");
		before = slurp(f->db, &n_before);
	}

	assert_int_equal(open_store_readonly(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "schema version 4"));
	assert_non_null(strstr(err.message, "parity init --upgrade"));
	assert_non_null(strstr(err.message, "nothing was changed"));
	if (on_pg()) {
		assert_int_equal(raw_int(f, "SELECT version FROM "
					 "schema_version"), 4);
		assert_int_equal(raw_int(f, TABLES_IN_PUBLIC), n_before);
	} else {
		bytes = slurp(f->db, &n);
		assert_int_equal(n, n_before);
		assert_memory_equal(bytes, before, n);
		free(bytes);
		free(before);
	}

	assert_int_equal(open_store(&s, f, &err), 0);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	assert_non_null(store_notice(s));
	assert_non_null(strstr(store_notice(s), "from schema version 4 to"));
	assert_non_null(strstr(store_notice(s), "no fingerprint of its key"));
	assert_non_null(strstr(store_notice(s), f->key));
	store_close(s);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM key_fingerprint"),
			 1);
	/* the fingerprint is stored, and the key is nowhere in the file (on
	 * PostgreSQL: the fingerprint is what the store holds of the key) */
	assert_int_equal(pseudonym_key_load(f->key, &key, &err), 0);
	pseudonym_key_fingerprint(&key, fp);
	if (on_pg())
		bytes = raw_blob(f, "SELECT fingerprint FROM key_fingerprint",
				 &n);
	else
		bytes = slurp(f->db, &n);
	assert_true(contains(bytes, n, fp, sizeof(fp)));
	assert_false(contains(bytes, n, key.bytes, sizeof(key.bytes)));
	free(bytes);
	pseudonym_key_wipe(&key);

	/* recorded once: the next writer has nothing to say */
	assert_int_equal(open_store(&s, f, &err), 0);
	assert_null(store_notice(s));
	store_close(s);
	/* and now another key is refused */
	in_dir(f, "saved.key", saved, sizeof(saved));
	assert_int_equal(rename(f->key, saved), 0);
	assert_int_equal(pseudonym_key_create(f->key, &err), 0);
	assert_int_equal(open_store(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "does not belong to the store"));
}

/* ---- the key file ---- */

/* The key may be kept elsewhere and linked to: the link is followed and
 * the file itself is checked. A link to a key others can read, to nothing,
 * or to itself is refused, each with its own message. */
static void test_symlinked_key_is_followed(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	char keys[160], kept[180];
	struct store *s;

	store_close(open_new(f));
	in_dir(f, "keys", keys, sizeof(keys));
	snprintf(kept, sizeof(kept), "%s/t.db.key", keys);
	assert_int_equal(mkdir(keys, 0700), 0);
	assert_int_equal(rename(f->key, kept), 0);
	assert_int_equal(symlink("keys/t.db.key", f->key), 0);

	assert_int_equal(open_store(&s, f, &err), 0);
	store_close(s);
	assert_int_equal(open_store_readonly(&s, f, &err), 0);
	store_close(s);

	assert_int_equal(chmod(kept, 0644), 0);
	assert_int_equal(open_store(&s, f, &err), -1);
	assert_string_equal(err.file, f->key);
	assert_non_null(strstr(err.message, "the key file 'keys/t.db.key' "
			       "(which it links to) can be read or written by "
			       "others (mode 644)"));
	assert_int_equal(chmod(kept, 0600), 0);

	assert_int_equal(unlink(kept), 0);
	assert_int_equal(open_store(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "symbolic link to 'keys/t.db.key', "
			       "which is missing"));
	assert_non_null(strstr(err.message, "restore the key"));

	assert_int_equal(unlink(f->key), 0);
	assert_int_equal(symlink("t.db.key", f->key), 0);
	assert_int_equal(open_store(&s, f, &err), -1);
	assert_non_null(strstr(err.message, "loop of symbolic links"));
	unlink(f->key);
	rmdir(keys);
}

/* A missing key's message names the file and says what to do; so does
 * that of a key owned by another user (which only root can meet: another
 * user's private key cannot be opened at all). */
static void test_key_messages_name_the_file(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	char want[400];
	struct store *s;

	store_close(open_new(f));
	unlink(f->key);
	assert_int_equal(open_store(&s, f, &err), -1);
	assert_string_equal(err.file, f->key);
	snprintf(want, sizeof(want), "restore the key from its backup to "
		 "'%s', or make '%s' a symbolic link to where the key is "
		 "kept", f->key, f->key);
	assert_non_null(strstr(err.message, want));
	assert_int_equal(pseudonym_key_create(f->key, &err), 0);
	if (geteuid() == 0) {
		assert_int_equal(chown(f->key, 65534, 65534), 0);
		assert_int_equal(open_store_readonly(&s, f, &err), -1);
		assert_non_null(strstr(err.message, "belongs to uid 65534, "
				       "not to the user running parity"));
	}
}

/* ---- reading only ---- */

/* A reader writes nothing: the file is byte for byte the same, and writes
 * through its connection are refused by SQLite itself. */
static void test_readonly_open_writes_nothing(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_filter all = STORE_FILTER_ALL;
	struct store_submission *list;
	unsigned char *before = NULL, *after;
	size_t n_before = 0, n_after, n;
	struct store *s = open_new(f);
	char state_before[40] = "", state_after[40];

	add_workforce(s, "E09000005", 2024, ETH_AIND, 3, 20000, "aa");
	store_close(s);
	if (on_pg())
		pg_contents(f, state_before);
	else
		before = slurp(f->db, &n_before);

	assert_int_equal(open_store_readonly(&s, f, &err), 0);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	assert_int_equal(store_submissions_list(s, &all, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	free(list);
	assert_int_equal(store_begin(s, &err), -1);
	assert_non_null(strstr(err.message, "reading only"));
	assert_int_equal(db_exec(store_db(s), "DELETE FROM submission"), -1);
	assert_int_equal(db_failure(store_db(s)), DB_FAILURE_READ_ONLY);
	assert_int_equal(db_exec(store_db(s), on_pg() ?
			 "UPDATE schema_version SET version = 9" :
			 "PRAGMA user_version = 9"), -1);
	assert_int_equal(db_failure(store_db(s)), DB_FAILURE_READ_ONLY);
	/* not only query_only: the connection itself cannot write (on
	 * PostgreSQL the session's transactions are read-only, which is the
	 * server's to enforce: nothing the connection could be shown not
	 * to do) */
	if (!on_pg())
		assert_int_equal(sqlite3_db_readonly(
			db_sqlite_handle(store_db(s)), "main"), 1);
	store_close(s);

	if (on_pg()) {
		pg_contents(f, state_after);
		assert_string_equal(state_after, state_before);
		return;
	}
	after = slurp(f->db, &n_after);
	assert_int_equal(n_after, n_before);
	assert_memory_equal(after, before, n_after);
	free(before);
	free(after);
}

/* Where SQLite cannot use its shared-memory file (here a FIFO is in its
 * place, which stops root too), a reader reads the database file as it is
 * (immutable), since no log holds anything beyond it; a writer names the
 * file in the way. */
static void test_reader_needs_no_shared_memory_file(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_filter all = STORE_FILTER_ALL;
	struct store_submission *list;
	char shm[200], wal[170], odd[160], odd_db[180];
	struct store *s;
	struct stat st;
	size_t n;

	/* SQLite's own: its -shm file and immutable open; a store in
	 * PostgreSQL has no file beside it for a reader to need */
	if (on_pg()) {
		skip();
		return;
	}
	s = open_new(f);
	add_workforce(s, "E09000005", 2024, ETH_AIND, 3, 20000, "aa");
	store_close(s);
	snprintf(shm, sizeof(shm), "%s-shm", f->db);
	snprintf(wal, sizeof(wal), "%s-wal", f->db);
	assert_int_equal(mkfifo(shm, 0600), 0);

	assert_int_equal(open_store_readonly(&s, f, &err), 0);
	assert_int_equal(store_submissions_list(s, &all, &list, &n, &err), 0);
	assert_int_equal(n, 1);
	free(list);
	store_close(s);
	/* SQLite's first try may leave an empty log, never one with data */
	assert_true(stat(wal, &st) < 0 || st.st_size == 0);

	assert_int_equal(open_store(&s, f, &err), -1);
	assert_string_equal(err.file, shm);
	assert_non_null(strstr(err.message, "shared-memory file cannot be "
			       "written by the user running parity (not a "
			       "file, mode 600)"));
	assert_int_equal(unlink(shm), 0);
	assert_int_equal(open_store(&s, f, &err), 0);
	store_close(s);

	/* the immutable open names the file by URI: a path with characters
	 * that mean something in a URI is still the same file */
	in_dir(f, "odd ?#%& name", odd, sizeof(odd));
	assert_int_equal(mkdir(odd, 0700), 0);
	snprintf(odd_db, sizeof(odd_db), "%s/s.db", odd);
	assert_int_equal(store_create(odd_db, &err), 0);
	snprintf(shm, sizeof(shm), "%s-shm", odd_db);
	assert_int_equal(mkfifo(shm, 0600), 0);
	assert_int_equal(store_open_readonly(&s, odd_db, &err), 0);
	assert_int_equal(store_schema_version(s), STORE_SCHEMA_VERSION);
	store_close(s);
}

/* ---- as an ordinary user ---- */

/* In a child process: a check that failed is reported on stderr and ends
 * the child with status 1 (cmocka's asserts belong to the parent). */
#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "%s:%d: check failed: %s\n",         \
				__FILE__, __LINE__, #cond);                  \
			return 1;                                            \
		}                                                            \
	} while (0)

static int chown_entry(const char *path, const struct stat *st, int flag,
		       struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return lchown(path, 65534, 65534);
}

/* When the tests run as root: give the fixture's files to nobody, the
 * ordinary user as_ordinary_user() becomes. */
static void give_to_ordinary_user(const struct fixture *f)
{
	if (geteuid() == 0)
		assert_int_equal(nftw(f->dir, chown_entry, 16, FTW_PHYS), 0);
}

/*
 * Run `fn` in a child process as an ordinary user: as nobody (uid 65534)
 * when the tests run as root, as the user running them otherwise. Asserts
 * that every check in `fn` held.
 */
static void as_ordinary_user(const struct fixture *f,
			     int (*fn)(const struct fixture *f))
{
	int status = -1;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (geteuid() == 0 &&
		    (setgroups(0, NULL) < 0 || setgid(65534) < 0 ||
		     setuid(65534) < 0))
			_exit(2);
		_exit(fn(f));
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

static size_t count_submissions(const char *db)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_filter all = STORE_FILTER_ALL;
	struct store_submission *list;
	struct store *s;
	size_t n = 0;

	if (store_open_readonly(&s, db, &err) < 0) {
		fprintf(stderr, "%s\n", err.message);
		return 0;
	}
	if (store_submissions_list(s, &all, &list, &n, &err) == 0)
		free(list);
	store_close(s);
	return n;
}

static bool exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* A store in a directory the user cannot write: it reads, and makes no
 * file beside the store; a writer says which directory is in the way. */
static int read_only_directory(const struct fixture *f)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char shm[170], wal[170];
	struct store *s;
	int rc;

	snprintf(shm, sizeof(shm), "%s-shm", f->db);
	snprintf(wal, sizeof(wal), "%s-wal", f->db);
	CHECK(chmod(f->dir, 0555) == 0);
	CHECK(count_submissions(f->db) == 1);
	CHECK(!exists(shm) && !exists(wal));
	rc = open_store(&s, f, &err);
	CHECK(chmod(f->dir, 0700) == 0);
	CHECK(rc == -1);
	CHECK(strstr(err.message, "the store's directory") != NULL);
	CHECK(strstr(err.message, "cannot be written by the user running "
		     "parity") != NULL);
	CHECK(strstr(err.message, "commands that only read it") != NULL);
	return 0;
}

/* A store file the user cannot write: it reads, and leaves no read-only
 * shared-memory file behind to block writers later; a writer gives the
 * store's mode. */
static int read_only_store(const struct fixture *f)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char shm[170];
	struct store *s;
	int rc;

	snprintf(shm, sizeof(shm), "%s-shm", f->db);
	CHECK(chmod(f->db, 0444) == 0);
	CHECK(count_submissions(f->db) == 1);
	CHECK(!exists(shm));
	rc = open_store(&s, f, &err);
	CHECK(chmod(f->db, 0600) == 0);
	CHECK(rc == -1);
	CHECK(strstr(err.message, "the store cannot be written by the user "
		     "running parity (mode 444)") != NULL);
	/* writable again: a writer opens it */
	CHECK(open_store(&s, f, &err) == 0);
	store_close(s);
	return 0;
}

/* What happened before: another program's reader of the read-only store
 * left a read-only -shm (and -wal); the store was made writable again but
 * writes still failed, "attempt to write a readonly database". Now the
 * writer names the files and what to do, readers still read, and once
 * they are gone writers write. */
static int left_read_only_shm(const struct fixture *f)
{
	struct parity_error err = PARITY_ERROR_INIT;
	char shm[170], wal[170];
	struct stat st;
	struct store *s;
	sqlite3 *h;

	snprintf(shm, sizeof(shm), "%s-shm", f->db);
	snprintf(wal, sizeof(wal), "%s-wal", f->db);
	CHECK(chmod(f->db, 0444) == 0);
	CHECK(sqlite3_open_v2(f->db, &h, SQLITE_OPEN_READONLY, NULL) ==
	      SQLITE_OK);
	CHECK(sqlite3_exec(h, "SELECT count(*) FROM submission", NULL, NULL,
			   NULL) == SQLITE_OK);
	sqlite3_close(h);
	CHECK(stat(shm, &st) == 0 && (st.st_mode & 0777) == 0444);
	CHECK(chmod(f->db, 0600) == 0);

	CHECK(open_store(&s, f, &err) == -1);
	CHECK(strcmp(err.file, shm) == 0);
	CHECK(strstr(err.message, "the store's shared-memory file and "
		     "write-ahead log") != NULL);
	CHECK(strstr(err.message, "(modes 444 and 444)") != NULL);
	CHECK(count_submissions(f->db) == 1);
	/* the log made writable, the -shm alone still keeps writers out:
	 * what the store's users met */
	CHECK(chmod(wal, 0600) == 0);
	CHECK(open_store(&s, f, &err) == -1);
	CHECK(strcmp(err.file, shm) == 0);
	CHECK(strstr(err.message, "the store's shared-memory file cannot be "
		     "written by the user running parity (mode 444)") != NULL);
	CHECK(strstr(err.message, "chmod 600") != NULL);
	CHECK(strstr(err.message, "delete it") != NULL);
	CHECK(count_submissions(f->db) == 1);
	CHECK(unlink(shm) == 0);
	CHECK(open_store(&s, f, &err) == 0);
	store_close(s);
	return 0;
}

/* A key file the user cannot read: the message names it, its owner and
 * mode, and what to do. */
static int unreadable_key(const struct fixture *f)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s;
	int rc;

	CHECK(chmod(f->key, 0200) == 0);
	rc = open_store_readonly(&s, f, &err);
	CHECK(chmod(f->key, 0600) == 0);
	CHECK(rc == -1);
	CHECK(strcmp(err.file, f->key) == 0);
	CHECK(strstr(err.message, "the key file cannot be read, even by its "
		     "owner, the user running parity (mode 200)") != NULL);
	CHECK(strstr(err.message, "chmod 600") != NULL);
	return 0;
}

/* Another user's key (root's, here) cannot be opened: the message names
 * its owner and says to run parity as them. */
static int key_of_another_user(const struct fixture *f)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s;

	CHECK(open_store_readonly(&s, f, &err) == -1);
	CHECK(strcmp(err.file, f->key) == 0);
	CHECK(strstr(err.message, "the key file cannot be read by the user "
		     "running parity (uid 65534): it belongs to uid 0, with "
		     "mode 600") != NULL);
	CHECK(strstr(err.message, "run parity as the key's owner") != NULL);
	return 0;
}

static void test_read_only_for_an_ordinary_user(void **state)
{
	struct fixture *f = *state;
	struct store *s;

	/* On PostgreSQL the key is read once the server has said that a
	 * store is there, and nobody cannot reach the throwaway server's
	 * socket (tests/pg/README.md): as root, nothing here can run */
	if (on_pg() && geteuid() == 0) {
		skip();
		return;
	}
	s = open_new(f);
	add_workforce(s, "E09000005", 2024, ETH_AIND, 3, 20000, "aa");
	store_close(s);
	give_to_ordinary_user(f);
	/* the store's file and directory, and SQLite's -shm and -wal beside
	 * it, are SQLite's own; on PostgreSQL, the key file only */
	if (!on_pg()) {
		as_ordinary_user(f, read_only_directory);
		as_ordinary_user(f, read_only_store);
		as_ordinary_user(f, left_read_only_shm);
	}
	as_ordinary_user(f, unreadable_key);
	if (geteuid() == 0) {
		/* only root can give the user a key that is not theirs */
		assert_int_equal(chown(f->key, 0, 0), 0);
		as_ordinary_user(f, key_of_another_user);
	}
}

/* ---- the alias register, labels seen, and labels refused ---- */

static void make_alias(struct store_alias *a, const char *label,
		       const char *key, const char *code, const char *note)
{
	memset(a, 0, sizeof(*a));
	snprintf(a->label, sizeof(a->label), "%s", label);
	snprintf(a->key, sizeof(a->key), "%s", key);
	snprintf(a->category, sizeof(a->category), "%s", code);
	snprintf(a->note, sizeof(a->note), "%s", note ? note : "");
}

/* Every change is a version with who and when; a removal keeps the alias
 * (marked with the version that removed it); at most one alias in the
 * register reads a label; nothing is written outside a transaction. */
static void test_alias_register_versions(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s = open_new(f);
	struct store_alias a, removed, *list;
	struct store_alias_version *versions;
	size_t n;
	int v = -1;

	assert_int_equal(store_alias_version(s, &v, &err), 0);
	assert_int_equal(v, 0);
	/* outside a transaction: refused */
	assert_int_equal(store_alias_version_add(s, "add", "2024-05-01T09:30:00Z",
						 "ana", NULL, &v, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_INTERNAL);
	/* version 1: one alias added */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_alias_version_add(s, "add", "2024-05-01T09:30:00Z",
						 "ana", NULL, &v, &err), 0);
	assert_int_equal(v, 1);
	make_alias(&a, "Other (please specify)", "other please specify",
		   "OOTH", "under Other");
	assert_int_equal(store_alias_add(s, v, &a, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	/* version 2: a file of two, one of them for a label the register
	 * already reads: the store refuses it (the unique index) */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_alias_version_add(s, "import",
						 "2024-05-02T10:00:00Z", "ben",
						 "aliases.csv", &v, &err), 0);
	assert_int_equal(v, 2);
	make_alias(&a, "Carribean", "carribean", "BCRB", NULL);
	a.line = 2;
	assert_int_equal(store_alias_add(s, v, &a, &err), 0);
	make_alias(&a, "OTHER (please specify)", "other please specify",
		   "WOTH", NULL);
	assert_int_equal(store_alias_add(s, v, &a, &err), -1);
	store_rollback(s);
	assert_int_equal(store_alias_version(s, &v, &err), 0);
	assert_int_equal(v, 1);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_alias_version_add(s, "import",
						 "2024-05-02T10:00:00Z", "ben",
						 "aliases.csv", &v, &err), 0);
	make_alias(&a, "Carribean", "carribean", "BCRB", NULL);
	a.line = 2;
	assert_int_equal(store_alias_add(s, v, &a, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	/* version 3: one removed; a label the register does not hold */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_alias_version_add(s, "remove",
						 "2024-05-03T11:00:00Z", "cy",
						 NULL, &v, &err), 0);
	assert_int_equal(v, 3);
	assert_int_equal(store_alias_remove(s, v, "no such label", &removed,
					    &err), 0);
	assert_int_equal(store_alias_remove(s, v, "other please specify",
					    &removed, &err), 1);
	assert_string_equal(removed.category, "OOTH");
	assert_int_equal(removed.added_in, 1);
	assert_int_equal(store_commit(s, &err), 0);
	/* version 4: the label read again, as another category */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_alias_version_add(s, "add", "2024-05-04T12:00:00Z",
						 "cy", NULL, &v, &err), 0);
	make_alias(&a, "Other (please specify)", "other please specify",
		   "WOTH", NULL);
	assert_int_equal(store_alias_add(s, v, &a, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);

	/* the register now: two aliases, by label */
	assert_int_equal(store_aliases_list(s, false, &list, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(list[0].label, "Carribean");
	assert_int_equal(list[0].added_in, 2);
	assert_string_equal(list[0].added_by, "ben");
	assert_string_equal(list[0].added_at, "2024-05-02T10:00:00Z");
	assert_string_equal(list[0].source_name, "aliases.csv");
	assert_int_equal(list[0].line, 2);
	assert_string_equal(list[1].category, "WOTH");
	assert_int_equal(list[1].added_in, 4);
	assert_int_equal(list[1].removed_in, 0);
	free(list);
	/* every alias ever added, the removed one too, with who removed it */
	assert_int_equal(store_aliases_list(s, true, &list, &n, &err), 0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].category, "OOTH");
	assert_string_equal(list[0].note, "under Other");
	assert_int_equal(list[0].removed_in, 3);
	assert_string_equal(list[0].removed_by, "cy");
	assert_string_equal(list[0].removed_at, "2024-05-03T11:00:00Z");
	free(list);
	assert_int_equal(store_alias_versions(s, &versions, &n, &err), 0);
	assert_int_equal(n, 4);
	assert_string_equal(versions[1].action, "import");
	assert_string_equal(versions[1].source_name, "aliases.csv");
	assert_int_equal(versions[1].added, 1);
	assert_string_equal(versions[2].action, "remove");
	assert_int_equal(versions[2].removed, 1);
	assert_int_equal(versions[2].added, 0);
	free(versions);
	store_close(s);
	/* nothing is deleted: three rows, one of them removed */
	assert_int_equal(raw_int(f, "SELECT count(*) FROM alias"), 3);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM alias "
				 "WHERE removed_in IS NOT NULL"), 1);
}

struct label_seen {
	size_t n;
	long records;
	char rules[256];
};

static int see_label(void *ctx, const struct store_label *l)
{
	struct label_seen *seen = ctx;
	size_t len = strlen(seen->rules);

	seen->n++;
	seen->records += l->records;
	snprintf(seen->rules + len, sizeof(seen->rules) - len, "%s%s=%s/%s",
		 len ? ";" : "", l->label, l->category, l->rule);
	return 0;
}

/* A submission records the register version its labels were read with,
 * whether a reclassification made it, and the newest version it was
 * checked against; its labels are kept with it, and only current
 * submissions' labels are counted. */
static void test_submission_records_register_version(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s = open_new(f);
	struct store_submission sub, got;
	struct store_label labels[2] = {
		{ "Other (please specify)", 2, "OOTH", "register" },
		{ "White British", 3, "WBRI", "built-in" },
	};
	struct store_label_filter all = { NULL, 0, 0, -1 };
	struct store_label_total *t;
	struct label_seen seen;
	const char *brent[] = { "E09000005" };
	size_t n;
	int v;

	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_alias_version_add(s, "add", "2024-05-01T09:30:00Z",
						 "ana", NULL, &v, &err), 0);
	fill_sub(&sub, STORE_WORKFORCE, "E09000005", 2024);
	sub.alias_version = 1;
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	assert_int_equal(store_labels_add(s, sub.id, labels, 2, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_submission_get(s, sub.id, &got, &err), 0);
	assert_int_equal(got.alias_version, 1);
	assert_false(got.reclassified);
	assert_int_equal(got.checked_version, 1);
	memset(&seen, 0, sizeof(seen));
	assert_int_equal(store_labels_each(s, sub.id, see_label, &seen, &err),
			 0);
	assert_int_equal(seen.n, 2);
	assert_string_equal(seen.rules, "Other (please specify)=OOTH/register;"
			    "White British=WBRI/built-in");

	/* checked against version 2: the submission itself is untouched */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_alias_version_add(s, "add", "2024-05-02T09:30:00Z",
						 "ana", NULL, &v, &err), 0);
	assert_int_equal(store_alias_check_add(s, sub.id, 2,
					       "2024-05-02T10:00:00Z", "ben",
					       &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_submission_get(s, sub.id, &got, &err), 0);
	assert_int_equal(got.alias_version, 1);
	assert_int_equal(got.checked_version, 2);

	/* a reclassified version supersedes it */
	assert_int_equal(store_begin(s, &err), 0);
	fill_sub(&sub, STORE_WORKFORCE, "E09000005", 2024);
	sub.alias_version = 2;
	sub.reclassified = true;
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	labels[0].category = "WOTH";
	assert_int_equal(store_labels_add(s, sub.id, labels, 2, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_submission_get(s, sub.id, &got, &err), 0);
	assert_true(got.reclassified);
	assert_int_equal(got.alias_version, 2);
	assert_int_equal(got.supersedes, 1);

	/* the labels of current submissions only */
	assert_int_equal(store_label_totals(s, &all, &t, &n, &err), 0);
	assert_int_equal(n, 2);
	assert_string_equal(t[0].label, "White British");
	assert_int_equal(t[0].records, 3);
	assert_int_equal(t[0].returns, 1);
	assert_string_equal(t[1].category, "WOTH");
	free(t);
	all.area_codes = brent;
	all.area_count = 1;
	all.kind = STORE_RECRUITMENT;
	assert_int_equal(store_label_totals(s, &all, &t, &n, &err), 0);
	assert_int_equal(n, 0);
	free(t);
	store_close(s);
}

static struct store_refused_label refused(enum store_kind kind,
					  const char *area, int year,
					  const char *label, long records)
{
	struct store_refused_label l;

	memset(&l, 0, sizeof(l));
	l.kind = kind;
	snprintf(l.area_code, sizeof(l.area_code), "%s", area);
	l.year = year;
	snprintf(l.label, sizeof(l.label), "%s", label);
	l.records = records;
	snprintf(l.refused_at, sizeof(l.refused_at), "2024-05-01T09:30:00Z");
	return l;
}

/* Refused labels are kept with their counts (never rows); a return
 * refused again replaces its own, not another's; a return that refused
 * none, or a later import of it that succeeds, clears them. */
static void test_refused_labels_kept_and_cleared(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s = open_new(f);
	struct store_label_filter all = { NULL, 0, 0, -1 };
	struct store_refused_label *list, first[3], again[1], none[1];
	size_t n;

	first[0] = refused(STORE_WORKFORCE, "E09000005", 2024, "Carribean", 2);
	first[1] = refused(STORE_WORKFORCE, "E09000005", 2024, "Bangaldeshi", 1);
	first[2] = refused(STORE_RECRUITMENT, "E09000007", 2024, "Martian", 4);
	assert_int_equal(store_refused_labels_keep(s, first, 3, &err), 0);
	assert_int_equal(store_refused_labels_list(s, &all, &list, &n, &err),
			 0);
	assert_int_equal(n, 3);
	assert_string_equal(list[0].label, "Martian"); /* most records first */
	assert_int_equal(list[0].records, 4);
	assert_int_equal(list[0].kind, STORE_RECRUITMENT);
	assert_string_equal(list[1].label, "Carribean");
	assert_string_equal(list[1].refused_at, "2024-05-01T09:30:00Z");
	free(list);
	/* the same Brent return refused again: its labels replaced, counted
	 * once; Camden's stay */
	again[0] = refused(STORE_WORKFORCE, "E09000005", 2024, "Carribean", 2);
	assert_int_equal(store_refused_labels_keep(s, again, 1, &err), 0);
	all.year = 2024;
	all.kind = STORE_WORKFORCE;
	assert_int_equal(store_refused_labels_list(s, &all, &list, &n, &err),
			 0);
	assert_int_equal(n, 1);
	assert_int_equal(list[0].records, 2);
	free(list);
	all.kind = -1;
	assert_int_equal(store_refused_labels_list(s, &all, &list, &n, &err),
			 0);
	assert_int_equal(n, 2);
	free(list);
	/* Camden refused again, for something else: its labels go */
	none[0] = refused(STORE_RECRUITMENT, "E09000007", 2024, "", 0);
	assert_int_equal(store_refused_labels_keep(s, none, 1, &err), 0);
	/* Brent imports: cleared in the import's transaction */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_refused_labels_clear(s, STORE_WORKFORCE, "",
						    "E09000005", 2024, &err),
			 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_refused_labels_list(s, &all, &list, &n, &err),
			 0);
	assert_int_equal(n, 0);
	free(list);
	store_close(s);
	assert_int_equal(raw_int(f, "SELECT count(*) FROM refused_label"),
			 0);
}

/* Little-endian helpers for a blob written by hand. */
static void put_le(unsigned char *out, size_t *at, uint64_t v, int bytes)
{
	int i;

	for (i = 0; i < bytes; i++)
		out[(*at)++] = (unsigned char)(v >> (8 * i));
}

struct label_check {
	size_t n;
	size_t null_labels;
	const char *want_label; /* NULL: every label NULL */
};

static int check_labels(void *ctx, const struct store_staff *r)
{
	struct label_check *c = ctx;

	c->n++;
	if (!r->label)
		c->null_labels++;
	else
		assert_string_equal(r->label, c->want_label);
	assert_int_equal(r->ethnicity, c->n == 1 ? ETH_WBRI : ETH_BAFR);
	assert_true(r->annual_salary == (c->n == 1 ? 30000 : 41000));
	assert_string_equal(r->grade, "G5");
	return 0;
}

/* A block of staff records in the first packed format (version 1, before
 * labels were kept), written byte by byte as that parity wrote it, still
 * reads: every value as it was, and every label NULL. New blocks keep
 * each record's label. */
static void test_version_1_blocks_still_read(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store *s = open_new(f);
	struct store_submission sub;
	struct store_staff r;
	struct label_check c = { 0, 0, NULL };
	unsigned char blob[512];
	size_t at = 0, k;
	double pay[2] = { 30000, 41000 };
	sqlite3 *h;
	sqlite3_stmt *st;
	int col;

	/* the header, 2 records, pseudonyms, salaries, fte, events */
	put_le(blob, &at, 1, 1);
	put_le(blob, &at, 0, 3);
	put_le(blob, &at, 2, 4);
	memset(blob + at, 0xAB, (size_t)2 * PSEUDONYM_BYTES);
	at += (size_t)2 * PSEUDONYM_BYTES;
	for (k = 0; k < 2; k++) {
		uint64_t u;

		memcpy(&u, &pay[k], sizeof(u));
		put_le(blob, &at, u, 8);
	}
	for (k = 0; k < 2; k++) {
		double one = 1.0;
		uint64_t u;

		memcpy(&u, &one, sizeof(u));
		put_le(blob, &at, u, 8);
	}
	put_le(blob, &at, 0xAA, 1); /* every event not given */
	put_le(blob, &at, 0xAA, 1);
	/* ten text columns: ethnicity codes, then nine columns of which
	 * only grade has a value */
	for (col = 0; col < 10; col++) {
		if (col == 0) {
			put_le(blob, &at, 2, 4);
			memcpy(blob + at, "WBRI\0BAFR", 10);
			at += 10;
			put_le(blob, &at, 1, 2);
			put_le(blob, &at, 2, 2);
		} else if (col == 2) {
			put_le(blob, &at, 1, 4);
			memcpy(blob + at, "G5", 3);
			at += 3;
			put_le(blob, &at, 1, 2);
			put_le(blob, &at, 1, 2);
		} else {
			put_le(blob, &at, 0, 4);
			put_le(blob, &at, 0, 4); /* two indices of 0 */
		}
	}
	fill_sub(&sub, STORE_WORKFORCE, "E09000005", 2024);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	store_close(s);
	if (on_pg()) {
		struct db *pg = pg_connect_to(f->name);
		struct db_stmt *ps = NULL;

		assert_int_equal(db_prepare(pg, "INSERT INTO staff_block "
					    "(submission_id, seq, records, "
					    "data) VALUES (?1, 0, 2, ?2)",
					    false, &ps), 0);
		db_bind_int64(ps, 1, sub.id);
		db_bind_blob(ps, 2, blob, at);
		assert_int_equal(db_step(ps), DB_DONE);
		db_finalize(ps);
		db_close(pg);
	} else {
		assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
		assert_int_equal(sqlite3_prepare_v2(
			h, "INSERT INTO staff_block VALUES (?1, 0, 2, ?2)", -1,
			&st, NULL), SQLITE_OK);
		sqlite3_bind_int64(st, 1, sub.id);
		sqlite3_bind_blob(st, 2, blob, (int)at, SQLITE_STATIC);
		assert_int_equal(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
		sqlite3_close(h);
	}

	assert_int_equal(open_store(&s, f, &err), 0);
	assert_int_equal(store_staff_each(s, sub.id, check_labels, &c, &err),
			 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.null_labels, 2);

	/* a new block keeps the labels */
	fill_sub(&sub, STORE_WORKFORCE, "E09000007", 2024);
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_submission_add(s, &sub, &err), 0);
	for (k = 0; k < 2; k++) {
		memset(&r, 0, sizeof(r));
		r.ethnicity = k ? ETH_BAFR : ETH_WBRI;
		r.label = "Somali or White British";
		r.annual_salary = pay[k];
		r.fte = 1;
		r.grade = "G5";
		assert_int_equal(store_staff_add(s, sub.id, &r, &err), 0);
	}
	assert_int_equal(store_commit(s, &err), 0);
	memset(&c, 0, sizeof(c));
	c.want_label = "Somali or White British";
	assert_int_equal(store_staff_each(s, sub.id, check_labels, &c, &err),
			 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(c.null_labels, 0);
	store_close(s);
	assert_int_equal(raw_int(f, on_pg() ? "SELECT get_byte(data, 0) FROM "
				 "staff_block WHERE submission_id = 2" :
				 "SELECT unicode(data) FROM staff_block "
				 "WHERE submission_id = 2"), STAFF_PACK_VERSION);
}

/* The hub's tables (migration 0007): one account per email whatever its
 * case, a council only for a submitter or viewer, credentials found by
 * their hash, and an audit log that the store refuses to change or
 * delete, through any connection. A reader opens a store of this
 * version. */
static int count_entry(void *ctx, const struct store_audit_entry *e)
{
	int *n = ctx;

	assert_string_equal(e->action, "account.invite");
	assert_string_equal(e->target_email, "jo@brent.gov.uk");
	(*n)++;
	return 0;
}

static void test_accounts_and_audit_tables(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_account a, got;
	struct store_credential c, found;
	struct store_audit_entry e;
	struct store_audit_filter all = { 0, NULL, 0, NULL };
	struct store *s = open_new(f);
	sqlite3 *h;
	char *msg = NULL;
	int n = 0;

	memset(&a, 0, sizeof(a));
	snprintf(a.email, sizeof(a.email), "jo@brent.gov.uk");
	snprintf(a.role, sizeof(a.role), "submitter");
	snprintf(a.area_code, sizeof(a.area_code), "E09000005");
	snprintf(a.state, sizeof(a.state), "invited");
	a.created_at = 1700000000;
	snprintf(a.created_by, sizeof(a.created_by), "cli:tester");
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_account_add(s, &a, &err), 0);
	assert_true(a.id > 0);
	/* the same email in another case */
	got = a;
	snprintf(got.email, sizeof(got.email), "JO@Brent.gov.uk");
	assert_int_equal(store_account_add(s, &got, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_VALIDATION);
	assert_string_equal(err.message,
			    "an account for 'jo@brent.gov.uk' already exists");
	memset(&c, 0, sizeof(c));
	snprintf(c.kind, sizeof(c.kind), "invitation");
	c.account_id = a.id;
	memset(c.secret_hash, 7, sizeof(c.secret_hash));
	c.created_at = a.created_at;
	c.expires_at = a.created_at + 60;
	snprintf(c.created_by, sizeof(c.created_by), "cli:tester");
	assert_int_equal(store_credential_add(s, &c, &err), 0);
	memset(&e, 0, sizeof(e));
	e.at = a.created_at;
	e.actor = "cli:tester";
	e.action = "account.invite";
	e.outcome = "ok";
	e.target_account_id = a.id;
	assert_int_equal(store_audit_add(s, &e, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	/* a submitter without a council: the schema refuses it (in a
	 * transaction of its own: on PostgreSQL a statement that fails ends
	 * the transaction it is in, db_postgres.h) */
	got = a;
	snprintf(got.email, sizeof(got.email), "ann@brent.gov.uk");
	got.area_code[0] = '\0';
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_account_add(s, &got, &err), -1);
	assert_int_equal(err.code, PARITY_ERR_STORE);
	store_rollback(s);

	assert_int_equal(store_account_find(s, "Jo@BRENT.gov.uk", &got, &err),
			 1);
	assert_int_equal(got.id, a.id);
	assert_string_equal(got.area_code, "E09000005");
	assert_int_equal(store_account_find(s, "no@one.uk", &got, &err), 0);
	assert_int_equal(store_credential_find(s, "invitation", c.secret_hash,
					       &found, &err), 1);
	assert_int_equal(found.expires_at, c.expires_at);
	assert_string_equal(found.email, "jo@brent.gov.uk");
	/* the same hash is not a session */
	assert_int_equal(store_credential_find(s, "session", c.secret_hash,
					       &found, &err), 0);
	store_close(s);

	/* append-only, whoever asks: on PostgreSQL the server's superuser
	 * too, and the entry's constraint failure is the trigger's */
	if (on_pg()) {
		struct db *pg = pg_connect_to(f->name);

		assert_int_equal(db_exec(pg, "UPDATE audit SET outcome = "
					 "'denied'"), -1);
		assert_non_null(strstr(db_error_message(pg), "append-only"));
		assert_int_equal(db_failure(pg), DB_FAILURE_CONSTRAINT);
		assert_int_equal(db_exec(pg, "DELETE FROM audit"), -1);
		assert_non_null(strstr(db_error_message(pg),
				       "cannot be deleted"));
		db_close(pg);
		assert_int_equal(raw_int(f, "SELECT count(*) FROM audit WHERE "
					 "outcome = 'ok'"), 1);
		goto read_back;
	}
	assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(h, "UPDATE audit SET outcome = "
					  "'denied'", NULL, NULL, &msg),
			     SQLITE_OK);
	assert_non_null(strstr(msg, "append-only"));
	sqlite3_free(msg);
	assert_int_not_equal(sqlite3_exec(h, "DELETE FROM audit", NULL, NULL,
					  &msg), SQLITE_OK);
	assert_non_null(strstr(msg, "cannot be deleted"));
	sqlite3_free(msg);
	sqlite3_close(h);
read_back:
	assert_int_equal(open_store_readonly(&s, f, &err), 0);
	assert_int_equal(store_audit_each(s, &all, count_entry, &n, &err), 0);
	assert_int_equal(n, 1);
	store_close(s);
}


/* A backup is a whole copy without the key, with its checksum beside it;
 * a restore puts it back, and refuses a changed backup or another key,
 * changing nothing. */
static void test_backup_and_restore(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_backup_info info;
	char backup[192], sum[200], other[192], changed[192], line[128];
	unsigned char key[PSEUDONYM_KEY_BYTES];
	unsigned char *bytes;
	struct store *s = open_new(f), *restored;
	struct stat st;
	size_t n;
	int fd;

	add_workforce(s, "E09000005", 2024, ETH_AIND, 40, 30000,
		      "aa");
	in_dir(f, "b.db", backup, sizeof(backup));
	snprintf(sum, sizeof(sum), "%s.sha256", backup);
	if (on_pg()) {
		/* a store in PostgreSQL is PostgreSQL's to back up and
		 * restore (tests/pg/backup-restore): both refuse it, saying
		 * so, and change nothing */
		assert_int_equal(store_backup(s, backup, &info, &err), -1);
		assert_int_equal(err.code, PARITY_ERR_USAGE);
		assert_non_null(strstr(err.message, "pg_dump"));
		assert_false(exists(backup) || exists(sum));
		store_close(s);
		assert_int_equal(store_restore(f->where, backup, &restored,
					       &info, &err), -1);
		assert_null(restored);
		assert_int_equal(err.code, PARITY_ERR_USAGE);
		assert_non_null(strstr(err.message, "pg_restore"));
		assert_int_equal(raw_int(f, "SELECT count(*) FROM submission"),
				 1);
		return;
	}
	assert_int_equal(store_backup(s, backup, &info, &err), 0);
	assert_int_equal(info.submissions, 1);
	assert_int_equal(info.schema_version, STORE_SCHEMA_VERSION);
	assert_int_equal(stat(backup, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_true(exists(sum));
	/* never over a file */
	assert_int_equal(store_backup(s, backup, &info, &err), -1);
	assert_non_null(strstr(err.message, "never overwrites"));
	/* the key is not in it */
	fd = open(f->key, O_RDONLY);
	assert_int_equal(read(fd, key, sizeof(key)), sizeof(key));
	close(fd);
	bytes = slurp(backup, &n);
	assert_false(contains(bytes, n, key, sizeof(key)));
	free(bytes);

	add_workforce(s, "E09000007", 2024, ETH_AIND, 40, 30000,
		      "bb");
	store_close(s);
	assert_int_equal(count_submissions(f->db), 2);
	assert_int_equal(store_restore(f->db, backup, &restored, &info, &err),
			 0);
	store_close(restored);
	assert_true(info.checksum_checked);
	assert_int_equal(count_submissions(f->db), 1);

	/* a byte changed after the backup was made, its checksum the
	 * backup's */
	in_dir(f, "c.db", changed, sizeof(changed));
	bytes = slurp(backup, &n);
	bytes[n / 2] ^= 1;
	fd = open(changed, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_int_equal(write(fd, bytes, n), (ssize_t)n);
	close(fd);
	free(bytes);
	bytes = slurp(sum, &n);
	snprintf(line, sizeof(line), "%.64s  c.db\n", (const char *)bytes);
	free(bytes);
	snprintf(sum, sizeof(sum), "%s.sha256", changed);
	fd = open(sum, O_WRONLY | O_CREAT | O_EXCL, 0600);
	assert_int_equal(write(fd, line, strlen(line)),
			 (ssize_t)strlen(line));
	close(fd);
	assert_int_equal(store_backup_check(changed, f->key, &info, &err), -1);
	assert_non_null(strstr(err.message, "checksum"));
	assert_int_equal(store_restore(f->db, changed, &restored, &info, &err),
			 -1);
	assert_null(restored);
	assert_int_equal(count_submissions(f->db), 1);

	/* another store's key */
	in_dir(f, "o.db", other, sizeof(other));
	assert_int_equal(store_create(other, &err), 0);
	assert_int_equal(store_restore(other, backup, &restored, &info, &err),
			 -1);
	assert_non_null(strstr(err.message, "not the one"));
	assert_int_equal(count_submissions(other), 0);
}

static int count_record(void *ctx, const struct store_staff *r)
{
	(void)r;
	(*(size_t *)ctx)++;
	return 0;
}

/* The period runs from 31 March of the return's year; removing a return's
 * records keeps it and its aggregates, and reading its records is then
 * refused, saying when they went. */
static void test_retention_removes_records_keeps_aggregates(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_aggregates agg;
	struct store_submission *due, sub;
	const char *areas[] = { "E09000005" };
	struct store *s = open_new(f);
	int64_t old_id, new_id;
	char at[32];
	size_t n, records = 0;
	long removed;
	int last;

	assert_int_equal(retention_last_year(6, "2026-03-31", &last, &err), 0);
	assert_int_equal(last, 2019);
	assert_int_equal(retention_last_year(6, "2026-04-01", &last, &err), 0);
	assert_int_equal(last, 2020);
	assert_int_equal(retention_last_year(6, "2026-02-30", &last, &err),
			 -1);

	old_id = add_workforce(s, "E09000005", 2019, ETH_AIND, 30, 20000,
			       "aa");
	new_id = add_workforce(s, "E09000005", 2024, ETH_AIND, 5, 20000,
			       "bb");
	assert_int_equal(store_retention_due(s, 2019, &due, &n, &err), 0);
	assert_int_equal(n, 1);
	assert_true(due[0].id == old_id);
	sub = due[0];
	free(due);

	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_records_remove(s, &sub, 6, "cli:test",
					      &removed, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(removed, 30);
	assert_int_equal(store_records_removed_at(s, old_id, at, sizeof(at),
						  &err), 1);
	assert_int_equal(store_records_removed_at(s, new_id, at, sizeof(at),
						  &err), 0);
	assert_int_equal(store_staff_each(s, old_id, count_record, &records,
					  &err), -1);
	assert_non_null(strstr(err.message, "retention"));
	assert_int_equal(store_staff_each(s, new_id, count_record, &records,
					  &err), 0);
	assert_int_equal(records, 5);
	/* the aggregates of 2019 stay whole */
	assert_int_equal(store_aggregates_load(s, areas, 1, 2019, &agg, &err),
			 0);
	assert_int_equal(agg.pay_count[ETH_AIND], 30);
	store_aggregates_release(&agg);
	/* nothing more is due */
	assert_int_equal(store_retention_due(s, 2019, &due, &n, &err), 0);
	assert_int_equal(n, 0);
	free(due);
	store_close(s);
}

/* An objection leaves the person's records out of every reading of their
 * council's returns of that kind, and of no other council's; recording it
 * twice adds nothing; removing aggregates leaves the records. */
static void test_objection_leaves_records_out(void **state)
{
	struct fixture *f = *state;
	struct parity_error err = PARITY_ERROR_INIT;
	struct store_aggregates agg;
	struct objection_set set;
	const char *areas[] = { "E09000005" };
	unsigned char person[PSEUDONYM_BYTES];
	struct store *s = open_new(f);
	int64_t brent, camden;
	size_t records = 0;
	bool added;

	brent = add_workforce(s, "E09000005", 2024, ETH_AIND, 4, 20000, "aa");
	camden = add_workforce(s, "E09000007", 2024, ETH_AIND, 4, 20000, "bb");
	/* add_workforce's records carry person[0] = 0, 1, 2, 3 */
	memset(person, 0, sizeof(person));
	person[0] = 2;
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_objection_add(s, "E09000005", STORE_WORKFORCE,
					     person, "cli:test", &added, &err),
			 0);
	assert_true(added);
	assert_int_equal(store_objection_add(s, "E09000005", STORE_WORKFORCE,
					     person, "cli:test", &added, &err),
			 0);
	assert_false(added);
	assert_int_equal(store_objection_add(s, "E09000005", STORE_SERVICE,
					     person, "cli:test", &added, &err),
			 -1);
	assert_int_equal(store_commit(s, &err), 0);

	assert_int_equal(store_objection_set(s, brent, &set, &err), 0);
	assert_int_equal(set.count, 1);
	assert_true(objection_set_has(&set, person));
	objection_set_release(&set);
	assert_int_equal(store_objection_set(s, camden, &set, &err), 0);
	assert_int_equal(set.count, 0);
	objection_set_release(&set);

	assert_int_equal(store_staff_each(s, brent, count_record, &records,
					  &err), 0);
	assert_int_equal(records, 3);
	records = 0;
	assert_int_equal(store_staff_each(s, camden, count_record, &records,
					  &err), 0);
	assert_int_equal(records, 4);

	/* the aggregates go, the records stay, until they are made again */
	assert_int_equal(store_begin(s, &err), 0);
	assert_int_equal(store_aggregates_remove(s, brent, &err), 0);
	assert_int_equal(store_commit(s, &err), 0);
	assert_int_equal(store_aggregates_load(s, areas, 1, 2024, &agg, &err),
			 0);
	assert_int_equal(agg.pay_count[ETH_AIND], 0);
	store_aggregates_release(&agg);
	records = 0;
	assert_int_equal(store_staff_each(s, brent, count_record, &records,
					  &err), 0);
	assert_int_equal(records, 3);
	store_close(s);
}

/*
 * The query of a URI that names a database on the server PARITY_TEST_PG
 * names: its host (or socket directory), port and user, percent-encoded,
 * into pg_uri_query. 0, or -1 when the conninfo cannot be read.
 */
static int pg_uri_from_conninfo(void)
{
	static const char *const keep[] = { "host", "port", "user" };
	PQconninfoOption *opts = PQconninfoParse(pg_conninfo, NULL), *o;
	size_t len = 0, k;
	const char *p;

	if (!opts)
		return -1;
	for (k = 0; k < sizeof(keep) / sizeof(keep[0]); k++) {
		for (o = opts; o->keyword; o++)
			if (strcmp(o->keyword, keep[k]) == 0)
				break;
		if (!o->keyword || !o->val || !o->val[0])
			continue;
		len += (size_t)snprintf(pg_uri_query + len,
					sizeof(pg_uri_query) - len, "%c%s=",
					len ? '&' : '?', keep[k]);
		for (p = o->val; *p && len + 4 < sizeof(pg_uri_query); p++)
			if (strchr("-._~/", *p) ||
			    (*p >= '0' && *p <= '9') ||
			    (*p >= 'a' && *p <= 'z') ||
			    (*p >= 'A' && *p <= 'Z'))
				pg_uri_query[len++] = *p;
			else
				len += (size_t)snprintf(
					pg_uri_query + len,
					sizeof(pg_uri_query) - len, "%%%02X",
					(unsigned)(unsigned char)*p);
		pg_uri_query[len] = '\0';
	}
	PQconninfoFree(opts);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_create_makes_private_files,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_backup_and_restore,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_retention_removes_records_keeps_aggregates, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_objection_leaves_records_out, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_refuses_missing_or_open_key,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_refuses_what_is_not_a_store,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_newer_schema_is_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_versions_supersede_and_stay,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rollback_and_discard_leave_no_trace,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_records_interleaved_and_in_order,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_records_round_trip,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_aggregates_pool_current_submissions,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_pseudonyms, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_1_store_is_migrated,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_service_returns, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_key_of_another_store_is_refused,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_store_made_before_fingerprints_records_its_key,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinked_key_is_followed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_key_messages_name_the_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_readonly_open_writes_nothing,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_needs_no_shared_memory_file,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_alias_register_versions,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_submission_records_register_version,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_refused_labels_kept_and_cleared,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_version_1_blocks_still_read,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_accounts_and_audit_tables,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_only_for_an_ordinary_user,
						setup, teardown),
	};

	pg_conninfo = getenv("PARITY_TEST_PG");
	if (!pg_conninfo) {
		printf("test_store: PARITY_TEST_PG not set: SQLite only\n");
		return cmocka_run_group_tests_name("store on SQLite", tests,
						   NULL, NULL);
	}
	/* PARITY_TEST_PG set is a promise of a server (unit/store runs the
	 * suite on SQLite) */
	if (pg_uri_from_conninfo() != 0 || pg_admin("SELECT 1") != 0) {
		fprintf(stderr, "test_store: PARITY_TEST_PG is set, but names "
			"no server that can be used: '%s'\n", pg_conninfo);
		return 1;
	}
	return cmocka_run_group_tests_name("store on PostgreSQL", tests, NULL,
					   NULL);
}
