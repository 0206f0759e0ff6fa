/*
 * store.c - the store's contents, whichever database holds them (see
 * store.h): submissions and their versions, staff records packed in
 * blocks, applicants, and the aggregates that reports read. Its SQL is
 * db.h's portable dialect; opening, settings, migrations and transactions
 * are the backend's (sqlite.c).
 *
 * Owns the staff records held back to be packed (struct store's packers)
 * until a commit writes them or a rollback drops them.
 */
#include "store/store.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "base/strbuf.h"
#include "store/objection.h"
#include "store/retention.h"
#include "store/staff_pack.h"
#include "store/store_internal.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Staff records held back to be packed, over every submission being
 * written: past it, the fullest packer is written. 64 blocks' worth, about
 * 30 MB, so that a file whose employers' rows are mixed (331 employers in
 * a shuffled national file) still makes blocks of over a thousand. */
#define STORE_PACK_BUDGET ((size_t)16 * STAFF_PACK_MAX)

static int prepare(struct store *s, struct db_stmt **st, const char *sql,
		   bool reused, struct parity_error *err)
{
	if (db_prepare(store_db(s), sql, reused, st) < 0)
		return store_sql_fail(s, err, "cannot prepare a query");
	return 0;
}

/* ---- opening ---- */

/* A named key for a store that is a file: refused, not ignored. */
static int key_beside(const char *path, const char *key_path,
		      struct parity_error *err)
{
	if (!key_path)
		return 0;
	return parity_error_set(err, PARITY_ERR_USAGE, key_path, 0, 0,
				"the store '%s' is a file, whose key is the "
				"file beside it ('%s.key'): a key is named "
				"only for a store in PostgreSQL (PARITY_KEY)",
				path, path);
}

int store_create_keyed(const char *where, const char *key_path,
		       struct parity_error *err)
{
	if (store_is_postgres(where))
		return store_postgres_create(where, key_path, err);
	if (key_beside(where, key_path, err) < 0)
		return -1;
	return store_sqlite_create(where, err);
}

int store_open_keyed(struct store **out, const char *where,
		     const char *key_path, struct parity_error *err)
{
	*out = NULL;
	if (store_is_postgres(where))
		return store_postgres_open(out, where, key_path, false, err);
	if (key_beside(where, key_path, err) < 0)
		return -1;
	return store_sqlite_open(out, where, false, err);
}

int store_open_readonly_keyed(struct store **out, const char *where,
			      const char *key_path,
			      struct parity_error *err)
{
	*out = NULL;
	if (store_is_postgres(where))
		return store_postgres_open(out, where, key_path, true, err);
	if (key_beside(where, key_path, err) < 0)
		return -1;
	return store_sqlite_open(out, where, true, err);
}

int store_create(const char *path, struct parity_error *err)
{
	return store_create_keyed(path, NULL, err);
}

int store_open(struct store **out, const char *path, struct parity_error *err)
{
	return store_open_keyed(out, path, NULL, err);
}

int store_open_readonly(struct store **out, const char *path,
			struct parity_error *err)
{
	return store_open_readonly_keyed(out, path, NULL, err);
}

/* ---- the handle ---- */

void store_close(struct store *s)
{
	if (!s)
		return;
	if (s->in_transaction)
		store_rollback(s);
	store_sql_free_pending(s);
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
		return parity_error_set(
			err, PARITY_ERR_INTERNAL, s->path, 0, 0,
			"the store was opened for reading only");
	if (s->in_transaction)
		return parity_error_set(err, PARITY_ERR_INTERNAL, s->path, 0, 0,
					"a transaction is already open");
	if (db_exec(s->db, s->backend->begin_sql) < 0)
		return store_sql_fail(s, err, "cannot start a transaction");
	s->in_transaction = true;
	return 0;
}

int store_commit(struct store *s, struct parity_error *err)
{
	if (!s->in_transaction)
		return parity_error_set(err, PARITY_ERR_INTERNAL, s->path, 0, 0,
					"no transaction to commit");
	if (store_sql_flush_staff(s, err) < 0)
		goto fail;
	if (db_exec(s->db, "COMMIT") < 0) {
		store_sql_fail(s, err, "cannot commit");
		goto fail;
	}
	s->in_transaction = false;
	return 0;
fail:
	store_rollback(s);
	return -1;
}

void store_rollback(struct store *s)
{
	store_sql_discard_pending(s);
	if (!s->in_transaction)
		return;
	if (db_in_transaction(s->db))
		(void)db_exec(s->db, "ROLLBACK");
	s->in_transaction = false;
}

int store_act_for(struct store *s, const char *council,
		  struct parity_error *err)
{
	struct db_stmt *st;

	if (!s->backend->act_for_sql)
		return 0;
	if (prepare(s, &st, s->backend->act_for_sql, false, err) < 0)
		return -1;
	db_bind_text(st, 1, council ? council : "", -1);
	if (db_step(st) != DB_ROW) {
		db_finalize(st);
		return store_sql_fail(s, err, "cannot set the acting council");
	}
	db_finalize(st);
	return 0;
}

int store_check_held_to_tenancy(struct store *s, struct parity_error *err)
{
	long unheld = 0;

	if (!s->backend->unheld_sql)
		return 0;
	if (store_sql_query_int(s, "cannot read the connection's role",
				s->backend->unheld_sql, &unheld, err) < 0)
		return -1;
	if (unheld)
		return parity_error_set(
			err, PARITY_ERR_USAGE, s->path, 0, 0,
			"the hub's connection is not held to the store's "
			"row-level security: it is a superuser, bypasses it, "
			"or owns the store's tables; connect as a role "
			"granted parity_hub (docs/deployment.md)");
	return 0;
}

/* ---- for the other store files (store_internal.h) ---- */

struct db *store_db(struct store *s)
{
	return s->db;
}

int store_sql_prepare(struct store *s, struct db_stmt **st, const char *sql,
		      struct parity_error *err)
{
	return prepare(s, st, sql, false, err);
}

int store_sql_fail(struct store *s, struct parity_error *err,
		   const char *what)
{
	return s->backend->fail(s, err, what);
}

int store_sql_exec(struct store *s, const char *sql, const char *what,
		   struct parity_error *err)
{
	if (db_exec(s->db, sql) < 0)
		return store_sql_fail(s, err, what);
	return 0;
}

int store_sql_query_int(struct store *s, const char *what, const char *sql,
			long *out, struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	if (prepare(s, &st, sql, false, err) < 0)
		return -1;
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_finalize(st);
		return store_sql_fail(s, err, what ? what : sql);
	}
	*out = (long)db_column_int64(st, 0);
	db_finalize(st);
	return 0;
}

int store_sql_step_done(struct store *s, struct db_stmt *st, const char *what,
			struct parity_error *err)
{
	int rc = db_step(st);

	db_finalize(st);
	return rc == DB_DONE ? 0 : store_sql_fail(s, err, what);
}

int store_sql_need_transaction(struct store *s, struct parity_error *err)
{
	if (!s->in_transaction)
		return parity_error_set(err, PARITY_ERR_INTERNAL, s->path, 0, 0,
					"a write outside a transaction");
	return 0;
}

/* ---- notices ---- */

void store_sql_notice(struct store *s, const char *fmt, ...)
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

/* ---- the key's fingerprint ---- */

/*
 * Compare the key with the fingerprint the store holds: 1 when it holds
 * this key's, 0 when it holds none (a store made before fingerprints were
 * kept, read before any writer recorded one), -1 with `err` filled when it
 * holds another key's.
 */
int store_sql_key_verify(struct store *s, struct parity_error *err)
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
		return store_sql_fail(s, err,
				      "cannot read the key's fingerprint");
	}
	pseudonym_key_fingerprint(&s->key, mine);
	same = db_column_bytes(st, 0) == sizeof(mine) &&
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
int store_sql_key_settle(struct store *s, bool new_store,
		      struct parity_error *err)
{
	struct db_stmt *st;
	unsigned char fp[PSEUDONYM_FINGERPRINT_BYTES];
	char now[32];
	int rc = store_sql_key_verify(s, err);

	if (rc != 0)
		return rc < 0 ? -1 : 0;
	if (store_begin(s, err) < 0)
		return -1;
	/* another writer may have recorded one while we waited */
	rc = store_sql_key_verify(s, err);
	if (rc != 0) {
		store_rollback(s);
		return rc < 0 ? -1 : 0;
	}
	pseudonym_key_fingerprint(&s->key, fp);
	if (clock_utc_now(now, sizeof(now), err) < 0 ||
	    prepare(s, &st, "INSERT INTO key_fingerprint (id, fingerprint, "
		    "recorded_at) VALUES (1, ?1, ?2)", false, err) < 0) {
		store_rollback(s);
		return -1;
	}
	db_bind_blob(st, 1, fp, sizeof(fp));
	db_bind_text(st, 2, now, -1);
	if (store_sql_step_done(s, st, "cannot record the key's fingerprint",
				err) < 0 ||
	    store_commit(s, err) < 0) {
		store_rollback(s);
		return -1;
	}
	if (!new_store)
		store_sql_notice(
			s,
			"the store held no fingerprint of its key (it "
			"was made by an earlier parity): recorded that of "
			"'%s', and from now on the store refuses any other "
			"key",
			s->key_path);
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
		return store_sql_fail(s, err, "cannot read the submissions");
	return 0;
}

static int compare_current(const void *a, const void *b)
{
	return strcmp(((const struct store_current_return *)a)->area_code,
		      ((const struct store_current_return *)b)->area_code);
}

int store_current_load(struct store *s, enum store_kind kind, int year,
		       struct store_current *out, struct parity_error *err)
{
	struct db_stmt *st;
	size_t size = 64;
	int rc;

	memset(out, 0, sizeof(*out));
	if (prepare(s, &st,
		    "SELECT area_code, id FROM submission WHERE kind = ?1 "
		    "AND year = ?2 AND subject = '' AND status = 'current'",
		    false, err) < 0)
		return -1;
	db_bind_text(st, 1, kind_names[kind], -1);
	db_bind_int(st, 2, year);
	out->returns = xcalloc(size, sizeof(*out->returns));
	while ((rc = db_step(st)) == DB_ROW) {
		struct store_current_return *r;

		if (out->count == size) {
			size *= 2;
			out->returns = xrealloc(out->returns,
						size * sizeof(*out->returns));
		}
		r = &out->returns[out->count++];
		db_column_copy(st, 0, r->area_code, sizeof(r->area_code));
		r->id = db_column_int64(st, 1);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		store_current_release(out);
		return store_sql_fail(s, err, "cannot read the submissions");
	}
	qsort(out->returns, out->count, sizeof(*out->returns),
	      compare_current);
	return 0;
}

int64_t store_current_id(const struct store_current *c,
			 const char *area_code)
{
	struct store_current_return key = { "", 0 };
	const struct store_current_return *found;

	if (strlen(area_code) >= sizeof(key.area_code))
		return 0;
	snprintf(key.area_code, sizeof(key.area_code), "%s", area_code);
	found = bsearch(&key, c->returns, c->count, sizeof(*c->returns),
			compare_current);
	return found ? found->id : 0;
}

void store_current_release(struct store_current *c)
{
	free(c->returns);
	c->returns = NULL;
	c->count = 0;
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
		return store_sql_fail(s, err, "cannot read the submissions");
	return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				"no submission %lld (see `parity returns "
				"list`)", (long long)id);
}

/* Run a statement that returns no rows, binding `id` as its one
 * parameter. */
static int run_id(struct store *s, const char *sql, int64_t id,
		  const char *what, struct parity_error *err)
{
	struct db_stmt *st;

	if (prepare(s, &st, sql, false, err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	return store_sql_step_done(s, st, what, err);
}

int store_submission_add(struct store *s, struct store_submission *sub,
			 struct parity_error *err)
{
	struct store_submission prev;
	struct db_stmt *st;
	int found, rc, version = 1;

	memset(&prev, 0, sizeof(prev));
	if (store_sql_need_transaction(s, err) < 0)
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
		return store_sql_fail(s, err, "cannot read the submissions");
	/* The old version stops being current first: at most one may be. */
	if (found && run_id(s, "UPDATE submission SET status = 'superseded' "
			    "WHERE id = ?1", prev.id,
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
	if (store_sql_step_done(s, st, "cannot add the submission", err) < 0)
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

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_flush_staff(s, err) < 0 ||
	    prepare(s, &st,
		    "UPDATE submission SET row_count = ?1, "
		    "sha256 = ?2, encoding = ?3, classification = ?5 "
		    "WHERE id = ?4",
		    false, err) < 0)
		return -1;
	db_bind_int64(st, 1, sub->rows);
	db_bind_text(st, 2, sub->sha256, -1);
	db_bind_text(st, 3, sub->encoding, -1);
	db_bind_int64(st, 4, sub->id);
	db_bind_text(st, 5, sub->classification == 2011 ? "2011" : "2021",
			  -1);
	return store_sql_step_done(s, st, "cannot record the submission", err);
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

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_flush_staff(s, err) < 0)
		return -1;
	for (k = 0; k < sizeof(deletes) / sizeof(deletes[0]); k++)
		if (run_id(s, deletes[k], sub->id,
			   "cannot take back the submission", err) < 0)
			return -1;
	if (sub->supersedes &&
	    run_id(s, "UPDATE submission SET status = 'current' WHERE id = ?1",
		   sub->supersedes, "cannot restore the previous version",
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
		 "SELECT %s FROM submission "
		 "WHERE (CAST(?1 AS TEXT) IS NULL OR area_code = ?1)"
		 " AND (?2 = 0 OR year = ?2)"
		 " AND (CAST(?3 AS TEXT) IS NULL OR kind = ?3)"
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
		return store_sql_fail(s, err, "cannot list the submissions");
	}
	*out = list;
	*count = n;
	return 0;
}

/* ---- records ---- */

/* `text` as it is, empty included, or NULL. */
static int bulk_text_or_null(struct db_bulk *b, const char *text)
{
	return text ? db_bulk_text(b, text, -1) : db_bulk_null(b);
}

/* Step a reused insert and make it ready for the next row; every
 * parameter is bound afresh before the next step. */
static int step_insert(struct store *s, struct db_stmt *st, const char *what,
		       struct parity_error *err)
{
	int rc = db_step(st);

	db_reset(st);
	if (rc != DB_DONE)
		return store_sql_fail(s, err, what);
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

static int flush_applicants(struct store *s, struct parity_error *err);

/* Write every waiting record. */
int store_sql_flush_staff(struct store *s, struct parity_error *err)
{
	size_t k;

	if (flush_applicants(s, err) < 0)
		return -1;
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

	if (store_sql_need_transaction(s, err) < 0)
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

/* Applicant records wait, and are written in one bulk load, in batches
 * of this many (and whenever the store next writes or reads records). */
#define APPLICANTS_WAITING_MAX 8192

static void applicant_release(struct store_waiting_applicant *w)
{
	free(w->label);
	free(w->vacancy_id);
	free(w->pay_band);
}

/* Write the waiting applicant records. */
static int flush_applicants(struct store *s, struct parity_error *err)
{
	struct db_bulk *b;
	size_t k;
	int rc = 0;

	if (s->napplicants == 0)
		return 0;
	if (db_bulk_begin(s->db, "applicant", "submission_id, person, "
			  "ethnicity, shortlisted, appointed, vacancy_id, "
			  "pay_band, label", &b) < 0)
		return store_sql_fail(s, err, "cannot add applicant records");
	for (k = 0; k < s->napplicants && rc == 0; k++) {
		const struct store_waiting_applicant *w = &s->applicants[k];

		rc = db_bulk_int64(b, w->submission) |
		     db_bulk_blob(b, w->person, PSEUDONYM_BYTES) |
		     db_bulk_text(b, ethnicity_category(w->ethnicity)->code,
				  -1) |
		     db_bulk_int64(b, w->shortlisted ? 1 : 0) |
		     db_bulk_int64(b, w->appointed ? 1 : 0) |
		     bulk_text_or_null(b, w->vacancy_id) |
		     bulk_text_or_null(b, w->pay_band) |
		     bulk_text_or_null(b, w->label);
		if (rc == 0)
			rc = db_bulk_row(b);
	}
	if (db_bulk_end(b) < 0)
		rc = -1;
	for (k = 0; k < s->napplicants; k++)
		applicant_release(&s->applicants[k]);
	s->napplicants = 0;
	return rc < 0 ? store_sql_fail(s, err, "cannot add applicant records")
		      : 0;
}

int store_applicant_add(struct store *s, int64_t submission,
			const struct store_applicant *r,
			struct parity_error *err)
{
	struct store_waiting_applicant *w;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	if (s->napplicants == s->applicants_cap) {
		s->applicants_cap = s->applicants_cap ? s->applicants_cap * 2
						      : 256;
		s->applicants = xrealloc(s->applicants,
					 s->applicants_cap *
						 sizeof(*s->applicants));
	}
	w = &s->applicants[s->napplicants++];
	w->submission = submission;
	memcpy(w->person, r->person, PSEUDONYM_BYTES);
	w->ethnicity = r->ethnicity;
	w->shortlisted = r->shortlisted;
	w->appointed = r->appointed;
	w->label = r->label ? xstrdup(r->label) : NULL;
	w->vacancy_id = r->vacancy_id ? xstrdup(r->vacancy_id) : NULL;
	w->pay_band = r->pay_band ? xstrdup(r->pay_band) : NULL;
	if (s->napplicants >= APPLICANTS_WAITING_MAX)
		return flush_applicants(s, err);
	return 0;
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
		return store_sql_fail(s, err, "cannot read the staff records");
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
		return store_sql_fail(s, err, "cannot read the staff records");
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
	if (s->in_transaction && store_sql_flush_staff(s, err) < 0)
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
		    "WHERE submission_id = ?1 ORDER BY rowid",
		    false, err) < 0) {
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
		return store_sql_fail(s, err,
				      "cannot read the applicant records");
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
			out[k * 8 + (size_t)b] =
				(unsigned char)(bits >> (8 * b));
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

	if (store_sql_need_transaction(s, err) < 0)
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
		return store_sql_fail(s, err, "cannot add the pay aggregates");
	return 0;
}

int store_event_add(struct store *s, int64_t submission,
		    enum ethnicity_id eth, enum store_event event,
		    const struct store_event_count *count,
		    struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    prepare(s, &st,
		    "INSERT INTO staff_event (submission_id, ethnicity, "
		    "event, yes_count, no_count, missing_count) "
		    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
		    false, err) < 0)
		return -1;
	db_bind_int64(st, 1, submission);
	db_bind_text(st, 2, ethnicity_category(eth)->code, -1);
	db_bind_text(st, 3, event_names[event], -1);
	db_bind_int64(st, 4, count->yes);
	db_bind_int64(st, 5, count->no);
	db_bind_int64(st, 6, count->missing);
	return store_sql_step_done(s, st, "cannot add the event aggregates",
				   err);
}

int store_applicant_count_add(struct store *s, int64_t submission,
			      enum ethnicity_id eth,
			      const struct store_applicant_count *count,
			      struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    prepare(s, &st, "INSERT INTO applicant_count (submission_id, "
		    "ethnicity, applied, shortlisted, appointed) VALUES (?1, "
		    "?2, ?3, ?4, ?5)", false, err) < 0)
		return -1;
	db_bind_int64(st, 1, submission);
	db_bind_text(st, 2, ethnicity_category(eth)->code, -1);
	db_bind_int64(st, 3, count->applied);
	db_bind_int64(st, 4, count->shortlisted);
	db_bind_int64(st, 5, count->appointed);
	return store_sql_step_done(s, st, "cannot add the applicant aggregates",
				   err);
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
		merged[k++] =
			a->pay[e][i] <= add[j] ? a->pay[e][i++] : add[j++];
	while (i < have)
		merged[k++] = a->pay[e][i++];
	while (j < n)
		merged[k++] = add[j++];
	free(a->pay[e]);
	a->pay[e] = merged;
	a->pay_count[e] = have + n;
}

/* `sql` (ending in "IN (") with the submissions `ids` as its list, in
 * `st`: one read for them all, where one each would cost a round trip
 * each on PostgreSQL. */
static int prepare_for_ids(struct store *s, struct db_stmt **st,
			   const char *sql, const int64_t *ids, size_t count,
			   struct parity_error *err)
{
	struct strbuf q = STRBUF_INIT;
	size_t k;
	int rc;

	strbuf_addf(&q, "%s", sql);
	for (k = 0; k < count; k++)
		strbuf_addf(&q, "%s?%zu", k ? ", " : "", k + 1);
	strbuf_addf(&q, "%s)", count ? "" : "NULL");
	rc = prepare(s, st, q.buf, false, err);
	strbuf_release(&q);
	if (rc < 0)
		return -1;
	for (k = 0; k < count; k++)
		db_bind_int64(*st, (int)k + 1, ids[k]);
	return 0;
}

static int load_pay(struct store *s, const int64_t *ids, size_t count,
		    struct store_aggregates *a, struct parity_error *err)
{
	struct db_stmt *st;
	double *buf = NULL;
	size_t cap = 0;
	int rc, status = 0;

	if (prepare_for_ids(s, &st, "SELECT ethnicity, salaries FROM "
			    "staff_pay WHERE submission_id IN (", ids, count,
			    err) < 0)
		return -1;
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
		status = store_sql_fail(s, err,
					"cannot read the pay aggregates");
	db_finalize(st);
	free(buf);
	return status;
}

static int load_counts(struct store *s, const int64_t *ids, size_t count,
		       struct store_aggregates *a, struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	if (prepare_for_ids(s, &st, "SELECT ethnicity, event, yes_count, "
			    "no_count, missing_count FROM staff_event WHERE "
			    "submission_id IN (", ids, count, err) < 0)
		return -1;
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
		return store_sql_fail(s, err,
				      "cannot read the event aggregates");
	if (prepare_for_ids(s, &st, "SELECT ethnicity, applied, shortlisted, "
			    "appointed FROM applicant_count WHERE "
			    "submission_id IN (", ids, count, err) < 0)
		return -1;
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
		return store_sql_fail(s, err,
				      "cannot read the applicant aggregates");
	return 0;
}

int store_aggregates_load_submissions(struct store *s, const int64_t *ids,
				      size_t count,
				      struct store_aggregates *out,
				      struct parity_error *err)
{
	struct db_stmt *st;
	size_t found = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	out->submissions =
		xcalloc(count ? count : 1, sizeof(*out->submissions));
	if (prepare_for_ids(s, &st, "SELECT kind, classification FROM "
			    "submission WHERE id IN (", ids, count, err) < 0)
		goto fail;
	while ((rc = db_step(st)) == DB_ROW) {
		const char *kind = column_text(st, 0);

		found++;
		if (kind && strcmp(kind, "workforce") == 0)
			out->workforce_count++;
		else
			out->recruitment_count++;
		if (db_column_int(st, 1) == 2011)
			out->classification_2011_count++;
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		store_sql_fail(s, err, "cannot read the submissions");
		goto fail;
	}
	if (found != count) {
		parity_error_set(err, PARITY_ERR_NOT_FOUND, s->path, 0, 0,
				 "a submission asked for is not in the store");
		goto fail;
	}
	if (load_pay(s, ids, count, out, err) < 0 ||
	    load_counts(s, ids, count, out, err) < 0)
		goto fail;
	memcpy(out->submissions, ids, count * sizeof(*ids));
	out->submission_count = count;
	return 0;
fail:
	store_aggregates_release(out);
	return -1;
}

int store_aggregates_load(struct store *s, const char *const *area_codes,
			  size_t area_count, int year,
			  struct store_aggregates *out,
			  struct parity_error *err)
{
	struct store_current current[STORE_KIND_COUNT];
	int64_t *ids = xcalloc(area_count * STORE_KIND_COUNT + 1, sizeof(*ids));
	size_t n = 0, k;
	int kind, rc = -1;

	memset(out, 0, sizeof(*out));
	memset(current, 0, sizeof(current));
	for (kind = 0; kind < STORE_KIND_COUNT; kind++)
		if (store_current_load(s, (enum store_kind)kind, year,
				       &current[kind], err) < 0)
			goto out;
	/* area by area, each kind in turn, as the ids were always given */
	for (k = 0; k < area_count; k++)
		for (kind = 0; kind < STORE_KIND_COUNT; kind++) {
			int64_t id = store_current_id(&current[kind],
						      area_codes[k]);

			if (id)
				ids[n++] = id;
		}
	rc = store_aggregates_load_submissions(s, ids, n, out, err);
out:
	for (kind = 0; kind < STORE_KIND_COUNT; kind++)
		store_current_release(&current[kind]);
	free(ids);
	return rc;
}

/* ---- held back (store_internal.h) ---- */

void store_sql_discard_pending(struct store *s)
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
	for (k = 0; k < s->napplicants; k++)
		applicant_release(&s->applicants[k]);
	s->napplicants = 0;
}

void store_sql_free_pending(struct store *s)
{
	size_t k;

	store_sql_discard_pending(s);
	db_finalize(s->insert_block);
	s->insert_block = NULL;
	free(s->applicants);
	s->applicants = NULL;
	s->applicants_cap = 0;
	for (k = 0; k < s->npacking; k++)
		staff_packer_free(&s->packing[k].packer);
	free(s->packing);
	free(s->slot_of);
	s->packing = NULL;
	s->slot_of = NULL;
	s->npacking = s->packing_cap = s->slot_cap = s->buffered = 0;
}
