/*
 * store_postgres.c - the store on PostgreSQL (see store.h), for a hub that
 * several processes share: creating and opening it over a connection
 * (db_postgres.c), its migrations, its key, how a write transaction
 * starts, its errors in the store's words, and the council it acts for.
 * What the store holds, and the SQL that reads and writes that, are
 * store.c's and the other store files', the same as on SQLite.
 *
 * Where it is: a connection URI, postgresql://... or postgres://... Its
 * key file cannot sit beside it as an SQLite store's does, so the caller
 * names it (store_create_keyed() and the others); the store keeps the
 * key's fingerprint and refuses any other key, as on SQLite.
 *
 * The schema is src/store/migrations/postgresql/: the same fifteen
 * numbered migrations as SQLite's, each the equivalent of its namesake,
 * then rls.sql (row-level security, forced, on every table that holds a
 * council's data). The version is the one row of `schema_version`.
 * Migrations run in one transaction, under the same lock as every write,
 * so two hubs opening a new database together migrate it once.
 *
 * Writes. A write transaction takes a transaction-scoped advisory lock
 * before anything else: one writer at a time over the whole database,
 * whichever process it is in, as SQLite's BEGIN IMMEDIATE gives. So a
 * return's version is the one after the last committed, and two uploads
 * of the same return never make the same version. Readers never wait.
 * Then each table's next id is set to one more than its largest
 * (parity_align_ids(), rls.sql), as SQLite gives ids, so an id drawn by a
 * write that was rolled back is given again.
 * synchronous_commit is set on for the connection: a commit is on disk
 * when store_commit() returns.
 *
 * Tenancy. The policies read the acting council from the setting
 * `parity.council` (rls.sql). A store opened here acts London-wide ('*')
 * until store_act_for() says otherwise; a connection that is a superuser
 * or has BYPASSRLS is not held to the policies at all.
 *
 * Reading only. store_open_readonly_keyed() sets the session's
 * transactions read-only: the server refuses every write.
 */
#include "store/store.h"

#include "base/alloc.h"
#include "store/db_postgres.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern const char parity_data_postgresql_0001_init_sql[];
extern const char parity_data_postgresql_0002_classification_sql[];
extern const char parity_data_postgresql_0003_services_sql[];
extern const char parity_data_postgresql_0004_staff_block_sql[];
extern const char parity_data_postgresql_0005_key_fingerprint_sql[];
extern const char parity_data_postgresql_0006_alias_register_sql[];
extern const char parity_data_postgresql_0007_accounts_sql[];
extern const char parity_data_postgresql_0008_standard_sql[];
extern const char parity_data_postgresql_0009_practice_sql[];
extern const char parity_data_postgresql_0010_learning_lab_sql[];
extern const char parity_data_postgresql_0011_practice_attachment_sql[];
extern const char parity_data_postgresql_0012_digest_archive_sql[];
extern const char parity_data_postgresql_0013_attainment_sql[];
extern const char parity_data_postgresql_0014_area_groups_sql[];
extern const char parity_data_postgresql_0015_privacy_sql[];
extern const char parity_data_postgresql_rls_sql[];

static const struct {
	int version;
	const char *sql;
} migrations[] = {
	{ 1, parity_data_postgresql_0001_init_sql },
	{ 2, parity_data_postgresql_0002_classification_sql },
	{ 3, parity_data_postgresql_0003_services_sql },
	{ 4, parity_data_postgresql_0004_staff_block_sql },
	{ 5, parity_data_postgresql_0005_key_fingerprint_sql },
	{ 6, parity_data_postgresql_0006_alias_register_sql },
	{ 7, parity_data_postgresql_0007_accounts_sql },
	{ 8, parity_data_postgresql_0008_standard_sql },
	{ 9, parity_data_postgresql_0009_practice_sql },
	{ 10, parity_data_postgresql_0010_learning_lab_sql },
	{ 11, parity_data_postgresql_0011_practice_attachment_sql },
	{ 12, parity_data_postgresql_0012_digest_archive_sql },
	{ 13, parity_data_postgresql_0013_attainment_sql },
	{ 14, parity_data_postgresql_0014_area_groups_sql },
	{ 15, parity_data_postgresql_0015_privacy_sql },
};

/* The advisory lock every write transaction takes ("PRTY"). */
#define STORE_WRITE_LOCK "1347573849"

bool store_is_postgres(const char *where)
{
	return strncmp(where, "postgresql://", 13) == 0 ||
	       strncmp(where, "postgres://", 11) == 0;
}

/* The connection's last error in the store's words (see sqlite.c's). */
static int postgres_fail(const struct store *s, struct parity_error *err,
			 const char *what)
{
	const char *why = db_error_message(s->db);

	switch (db_failure(s->db)) {
	case DB_FAILURE_BUSY:
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"%s: the store is busy: %s", what,
					why);
	case DB_FAILURE_FULL:
		return parity_error_set(err, PARITY_ERR_FULL, s->path, 0, 0,
					"%s: the database has no room (%s)",
					what, why);
	case DB_FAILURE_READ_ONLY:
		return parity_error_set(err, PARITY_ERR_READ_ONLY, s->path, 0,
					0, "%s: the store cannot be written "
					"(%s)", what, why);
	default:
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"%s: %s", what, why);
	}
}

/*
 * The portable expression as to_tsquery() text: a quoted word stays a
 * word (`"word"*`, a prefix: `word:*`), a quoted phrase's words follow
 * each other (`a <-> b`), a space is "and" (`&`) and OR is "or" (`|`).
 * Words hold only letters, digits and the bytes of UTF-8 characters
 * (practice_query_compile()), never tsquery's own syntax.
 */
static int practice_query(const char *expression, char *out, size_t size)
{
	const char *p = expression;
	size_t len = 0;
	bool next_or = false;

#define PUT(...)                                                         \
	do {                                                             \
		int w_ = snprintf(out + len, size - len, __VA_ARGS__);   \
		if (w_ < 0 || (size_t)w_ >= size - len)                  \
			return -1;                                       \
		len += (size_t)w_;                                       \
	} while (0)
	out[0] = '\0';
	while (*p) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (strncmp(p, "OR ", 3) == 0) {
			next_or = true;
			p += 3;
			continue;
		}
		if (*p != '"')
			return -1;
		if (len)
			PUT(" %s ", next_or ? "|" : "&");
		next_or = false;
		PUT("(");
		for (p++; *p && *p != '"'; p++)
			if (*p == ' ')
				PUT(" <-> ");
			else
				PUT("%c", *p);
		if (*p != '"')
			return -1;
		p++;
		if (*p == '*') {
			PUT(":*");
			p++;
		}
		PUT(")");
	}
#undef PUT
	return 0;
}

static const struct store_backend postgres_backend = {
	/* the write lock, then ids as SQLite gives them (rls.sql) */
	.begin_sql = "BEGIN; SELECT pg_advisory_xact_lock(" STORE_WRITE_LOCK
		     "); SELECT parity_align_ids()",
	.fail = postgres_fail,
	/* the tsvector of postgresql/0009_practice.sql: the title weighs
	 * most (A), the summary and tags next (B), the body least (D); the
	 * snippet is of the body, its matches between bytes 1 and 2 */
	.practice_match_sql =
		"SELECT t.rowid, -ts_rank('{0.1, 0.2, 0.4, 1.0}', t.search, "
		"q.q), ts_headline('english', coalesce(t.body, ''), q.q, "
		"format('StartSel=%s, StopSel=%s, MaxWords=24, MinWords=8, "
		"MaxFragments=1, FragmentDelimiter=…', chr(1), chr(2))) "
		"FROM practice_text t, (SELECT to_tsquery('english', ?) AS q) "
		"q WHERE t.search @@ q.q ORDER BY 2, t.rowid",
	.practice_query = practice_query,
	/* the setting rls.sql's policies read */
	.act_for_sql = "SELECT set_config('parity.council', ?1, false)",
	/* a superuser or BYPASSRLS skips the policies; the tables' owner
	 * (or a member of it) may switch them off */
	.unheld_sql =
		"SELECT (SELECT count(*) FROM pg_roles WHERE rolname = "
		"current_user AND (rolsuper OR rolbypassrls)) + (SELECT "
		"count(*) FROM pg_tables WHERE schemaname = current_schema() "
		"AND pg_has_role(current_user, tableowner, 'MEMBER'))",
};

/* The schema's version: 0 for a database without parity's schema, which
 * must then hold no table at all in the schema it would be made in. */
static int schema_version(struct store *s, long *out,
			  struct parity_error *err)
{
	static const char what[] = "cannot read the store's schema";
	long there = 0, tables = 0;

	if (store_sql_query_int(s, what, "SELECT to_regclass("
				"'schema_version') IS NOT NULL", &there,
				err) < 0)
		return -1;
	if (there)
		return store_sql_query_int(s, what, "SELECT version FROM "
					   "schema_version", out, err);
	if (store_sql_query_int(s, what, "SELECT count(*) FROM pg_tables "
				"WHERE schemaname = current_schema()",
				&tables, err) < 0)
		return -1;
	if (tables > 0)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"this database already holds %ld "
					"tables, and is not a parity store",
					tables);
	*out = 0;
	return 0;
}

/* Inside the caller's transaction, under the write lock: the migrations
 * after version `from`, then row-level security (rls.sql, which can run
 * again), then the version checked and kept. */
static int apply_migrations(struct store *s, long from,
			    struct parity_error *err)
{
	size_t k, count = sizeof(migrations) / sizeof(migrations[0]);
	long version = 0;

	for (k = 0; k < count; k++)
		if (migrations[k].version > from &&
		    store_sql_exec(s, migrations[k].sql,
				   "cannot apply a migration", err) < 0)
			return -1;
	if (store_sql_exec(s, parity_data_postgresql_rls_sql,
			   "cannot set the store's row-level security",
			   err) < 0 ||
	    schema_version(s, &version, err) < 0)
		return -1;
	if (version != STORE_SCHEMA_VERSION)
		return parity_error_set(err, PARITY_ERR_INTERNAL, s->path, 0, 0,
					"the migrations left the schema at "
					"version %ld, not %d", version,
					STORE_SCHEMA_VERSION);
	s->schema_version = (int)version;
	return 0;
}

/* Bring the schema up to date, in one transaction under the write lock,
 * then row-level security. */
static int migrate(struct store *s, struct parity_error *err)
{
	long version = 0, before;

	if (schema_version(s, &version, err) < 0)
		return -1;
	if (version > STORE_SCHEMA_VERSION)
		return parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					"the store has schema version %ld, but "
					"this parity knows only up to %d: use "
					"a newer parity", version,
					STORE_SCHEMA_VERSION);
	if (version == STORE_SCHEMA_VERSION) {
		s->schema_version = (int)version;
		return 0;
	}
	/* the write lock, but not yet the ids of rls.sql, which may not be
	 * there yet */
	if (store_sql_exec(
		    s,
		    "BEGIN; SELECT pg_advisory_xact_lock(" STORE_WRITE_LOCK ")",
		    "cannot start a migration", err) < 0)
		return -1;
	s->in_transaction = true;
	/* another process may have migrated while this one waited */
	if (schema_version(s, &version, err) < 0)
		goto fail;
	before = version;
	if (apply_migrations(s, version, err) < 0)
		goto fail;
	if (store_commit(s, err) < 0)
		return -1;
	if (before > 0)
		store_sql_notice(s, "brought the store from schema version %ld "
				 "to %d", before, STORE_SCHEMA_VERSION);
	return 0;
fail:
	store_rollback(s);
	return -1;
}

/*
 * A handle on the database `where`, its key to be at `key_path` (not yet
 * loaded), and the connection set up: synchronous commits, London-wide,
 * and for a reader, read-only transactions. NULL with `err` filled
 * otherwise.
 */
static struct store *connect_store(const char *where, const char *key_path,
				   bool read_only, struct parity_error *err)
{
	struct store *s;
	char why[512];

	if (!key_path || !key_path[0]) {
		parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
				 "a store in PostgreSQL keeps its key in a "
				 "file of its own: name it (PARITY_KEY)");
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->backend = &postgres_backend;
	s->path = db_postgres_describe(where);
	s->key_path = xstrdup(key_path);
	s->read_only = read_only;
	if (db_postgres_connect(where, &s->db, why, sizeof(why)) < 0) {
		parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
				 "cannot open the store: %s", why);
		goto fail;
	}
	if (store_sql_exec(s, "SET synchronous_commit = on",
			   "cannot set up the store", err) < 0 ||
	    store_act_for(s, "*", err) < 0 ||
	    (read_only &&
	     store_sql_exec(s, "SET default_transaction_read_only = on",
			    "cannot set up the store", err) < 0))
		goto fail;
	return s;
fail:
	store_close(s);
	return NULL;
}

int store_postgres_open(struct store **out, const char *where,
			const char *key_path, bool read_only,
			struct parity_error *err)
{
	struct store *s = connect_store(where, key_path, read_only, err);
	long version = 0;

	*out = NULL;
	if (!s)
		return -1;
	/* an empty database is no store: only store_create() makes one; so
	 * it is said before anything of a key, which a database that never
	 * held a store has none of (as SQLite's missing file is) */
	if (schema_version(s, &version, err) < 0)
		goto fail;
	if (version == 0) {
		parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
				 "no store here: create one with `parity "
				 "init --db %s`", s->path);
		goto fail;
	}
	if (pseudonym_key_load(s->key_path, &s->key, err) < 0)
		goto fail;
	if (read_only) {
		/* as on SQLite (sqlite.c): the store named, since on
		 * PostgreSQL `parity init --upgrade` alone would bring the
		 * default store file up to date, not this one */
		if (version < STORE_SCHEMA_VERSION) {
			parity_error_set(
				err, PARITY_ERR_STORE, s->path, 0, 0,
				"the store has schema version %ld, and this "
				"parity reads version %d: a command that "
				"writes must bring it up to date first "
				"(`parity init --upgrade --db %s`, or an "
				"import); nothing was changed", version,
				STORE_SCHEMA_VERSION, s->path);
			goto fail;
		}
		if (version > STORE_SCHEMA_VERSION) {
			parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
					 "the store has schema version %ld, "
					 "but this parity knows only up to %d: "
					 "use a newer parity", version,
					 STORE_SCHEMA_VERSION);
			goto fail;
		}
		s->schema_version = (int)version;
		if (store_sql_key_verify(s, err) < 0)
			goto fail;
	} else if (migrate(s, err) < 0 ||
		   store_sql_key_settle(s, false, err) < 0) {
		goto fail;
	}
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}

int store_postgres_create(const char *where, const char *key_path,
			  struct parity_error *err)
{
	struct store *s;
	struct stat st;
	long version = 0;

	if (key_path && lstat(key_path, &st) == 0)
		return parity_error_set(err, PARITY_ERR_IO, key_path, 0, 0,
					"a key file already exists here: move "
					"it away if it belongs to no store");
	if (key_path && pseudonym_key_create(key_path, err) < 0)
		return -1;
	s = connect_store(where, key_path, false, err);
	if (!s || pseudonym_key_load(s->key_path, &s->key, err) < 0 ||
	    schema_version(s, &version, err) < 0)
		goto fail;
	if (version > 0) {
		parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
				 "a store already exists here: parity init "
				 "never overwrites a store");
		goto fail;
	}
	if (migrate(s, err) < 0 || store_sql_key_settle(s, true, err) < 0)
		goto fail;
	store_close(s);
	return 0;
fail:
	store_close(s);
	if (key_path)
		unlink(key_path);
	return -1;
}

int store_postgres_create_open(struct store **out, const char *where,
			       const char *key_path, struct parity_error *err)
{
	struct store *s = connect_store(where, key_path, false, err);
	long tables = 0;

	*out = NULL;
	if (!s)
		return -1;
	if (pseudonym_key_load(s->key_path, &s->key, err) < 0 ||
	    store_sql_exec(
		    s,
		    "BEGIN; SELECT pg_advisory_xact_lock(" STORE_WRITE_LOCK ")",
		    "cannot start a transaction", err) < 0)
		goto fail;
	s->in_transaction = true;
	/* as schema_version() tells an empty database: no table at all in
	 * the schema the store would be made in */
	if (store_sql_query_int(s, "cannot read the target's tables",
				"SELECT count(*) FROM pg_tables WHERE "
				"schemaname = current_schema()", &tables,
				err) < 0)
		goto fail;
	if (tables > 0) {
		parity_error_set(err, PARITY_ERR_STORE, s->path, 0, 0,
				 "the target database is not empty: it holds "
				 "%ld table%s; give an empty database", tables,
				 tables == 1 ? "" : "s");
		goto fail;
	}
	if (apply_migrations(s, 0, err) < 0)
		goto fail;
	*out = s;
	return 0;
fail:
	store_close(s);
	return -1;
}
