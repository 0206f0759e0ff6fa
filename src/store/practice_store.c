/*
 * practice_store.c - the practice pool's rows in SQLite (see
 * practice_store.h): versions with their lead councils and tags,
 * moderation, the FTS5 index of approved records, the documents attached
 * to versions (their bytes kept once per SHA-256), the Learning Lab's
 * events and the archive of Race Matters.
 */
#include "store/practice_store.h"

#include "base/alloc.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void practice_row_release(struct practice_row *r)
{
	size_t k;

	free(r->title);
	free(r->strand);
	free(r->service_area);
	free(r->status);
	free(r->body);
	free(r->submitted_by);
	free(r->moderated_by);
	free(r->comments);
	for (k = 0; k < r->nleads; k++)
		free(r->leads[k]);
	free(r->leads);
	for (k = 0; k < r->ntags; k++)
		free(r->tags[k]);
	free(r->tags);
	memset(r, 0, sizeof(*r));
}

void practice_rows_free(struct practice_row *rows, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		practice_row_release(&rows[k]);
	free(rows);
}

static char *column_text(struct db_stmt *st, int col)
{
	const char *t = db_column_text(st, col);

	return t ? xstrdup((const char *)t) : NULL;
}

#define ROW_COLUMNS                                                        \
	"id, record, version, area_code, state, title, strand, "          \
	"service_area, status, example, body, submitted_at, submitted_by, " \
	"moderated_at, moderated_by, comments"

static void row_read(struct db_stmt *st, struct practice_row *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_column_int64(st, 0);
	r->record = db_column_int64(st, 1);
	r->version = db_column_int(st, 2);
	snprintf(r->area_code, sizeof(r->area_code), "%s",
		 db_column_text(st, 3));
	snprintf(r->state, sizeof(r->state), "%s",
		 db_column_text(st, 4));
	r->title = column_text(st, 5);
	r->strand = column_text(st, 6);
	r->service_area = column_text(st, 7);
	r->status = column_text(st, 8);
	r->example = db_column_int(st, 9) != 0;
	r->body = column_text(st, 10);
	r->submitted_at = (long)db_column_int64(st, 11);
	r->submitted_by = column_text(st, 12);
	r->moderated_at = (long)db_column_int64(st, 13);
	r->moderated_by = column_text(st, 14);
	r->comments = column_text(st, 15);
}

/* The lead councils and tags of row `r`. */
static int row_lists(struct store *s, struct practice_row *r,
		     struct parity_error *err)
{
	static const char *const sql[2] = {
		"SELECT area_code FROM practice_lead WHERE practice_id = ? "
		"ORDER BY rowid",
		"SELECT tag FROM practice_tag WHERE practice_id = ? "
		"ORDER BY rowid"
	};
	struct db_stmt *st;
	int k, rc;

	for (k = 0; k < 2; k++) {
		char ***list = k == 0 ? &r->leads : &r->tags;
		size_t *n = k == 0 ? &r->nleads : &r->ntags, cap = 0;

		if (store_sql_prepare(s, &st, sql[k], err) < 0)
			return -1;
		db_bind_int64(st, 1, r->id);
		while ((rc = db_step(st)) == DB_ROW) {
			if (*n == cap) {
				cap = cap ? cap * 2 : 4;
				*list = xrealloc(*list, cap * sizeof(**list));
			}
			(*list)[(*n)++] = column_text(st, 0);
		}
		db_finalize(st);
		if (rc != DB_DONE)
			return store_sql_fail(s, err, "cannot read a practice "
						      "record");
	}
	return 0;
}

int practice_store_add(struct store *s, struct practice_row *row,
		       struct parity_error *err)
{
	struct db_stmt *st;
	size_t k;
	int rc;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	row->version = 1;
	/* the id the version will have: rows are never deleted, so one past
	 * the largest; a new record is numbered by its first version */
	if (store_sql_prepare(s, &st, "SELECT coalesce(max(id), 0) + 1, "
				      "(SELECT max(version) FROM practice "
				      "WHERE record = ?) FROM practice",
			      err) < 0)
		return -1;
	db_bind_int64(st, 1, row->record);
	rc = db_step(st);
	if (rc != DB_ROW) {
		db_finalize(st);
		return store_sql_fail(s, err, "cannot store a practice record");
	}
	row->id = db_column_int64(st, 0);
	if (row->record && db_column_is_null(st, 1)) {
		db_finalize(st);
		return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					"there is no practice record %lld",
					(long long)row->record);
	}
	if (row->record)
		row->version = db_column_int(st, 1) + 1;
	else
		row->record = row->id;
	db_finalize(st);
	if (store_sql_prepare(s, &st, "INSERT INTO practice (id, record, "
				      "version, area_code, state, title, strand, "
				      "service_area, status, example, body, "
				      "submitted_at, submitted_by) VALUES "
				      "(?, ?, ?, ?, 'submitted', ?, ?, ?, ?, ?, "
				      "?, ?, ?)",
			      err) < 0)
		return -1;
	db_bind_int64(st, 1, row->id);
	db_bind_int64(st, 2, row->record);
	db_bind_int(st, 3, row->version);
	db_bind_text(st, 4, row->area_code, -1);
	db_bind_text(st, 5, row->title, -1);
	db_bind_text(st, 6, row->strand, -1);
	db_bind_text(st, 7, row->service_area, -1);
	db_bind_text(st, 8, row->status, -1);
	db_bind_int(st, 9, row->example ? 1 : 0);
	db_bind_text(st, 10, row->body, -1);
	db_bind_int64(st, 11, row->submitted_at);
	db_bind_text(st, 12, row->submitted_by, -1);
	if (store_sql_step_done(s, st, "cannot store a practice record",
				err) < 0)
		return -1;
	snprintf(row->state, sizeof(row->state), "submitted");
	for (k = 0; k < row->nleads + row->ntags; k++) {
		bool lead = k < row->nleads;

		if (store_sql_prepare(
			    s, &st,
			    lead ? "INSERT INTO practice_lead "
				   "(practice_id, area_code) VALUES (?, ?) "
				   "ON CONFLICT DO NOTHING"
				 : "INSERT INTO practice_tag "
				   "(practice_id, tag) VALUES (?, ?) "
				   "ON CONFLICT DO NOTHING",
			    err) < 0)
			return -1;
		db_bind_int64(st, 1, row->id);
		db_bind_text(st, 2, lead ? row->leads[k]
					      : row->tags[k - row->nleads],
				  -1);
		if (store_sql_step_done(s, st, "cannot store a practice "
						"record", err) < 0)
			return -1;
	}
	return 0;
}

static int get_one(struct store *s, struct db_stmt *st,
		   struct practice_row *out, struct parity_error *err)
{
	int rc = db_step(st);

	if (rc == DB_DONE) {
		db_finalize(st);
		return 0;
	}
	if (rc != DB_ROW) {
		db_finalize(st);
		return store_sql_fail(s, err, "cannot read a practice record");
	}
	row_read(st, out);
	db_finalize(st);
	if (row_lists(s, out, err) < 0) {
		practice_row_release(out);
		return -1;
	}
	return 1;
}

int practice_store_get(struct store *s, int64_t id,
		       struct practice_row *out, struct parity_error *err)
{
	struct db_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_sql_prepare(s, &st, "SELECT " ROW_COLUMNS " FROM practice "
				      "WHERE id = ?", err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	return get_one(s, st, out, err);
}

int practice_store_latest(struct store *s, int64_t record, bool approved_only,
			  struct practice_row *out, struct parity_error *err)
{
	struct db_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_sql_prepare(s, &st, "SELECT " ROW_COLUMNS " FROM practice "
				      "WHERE record = ? AND (? = 0 OR state = "
				      "'approved') ORDER BY version DESC "
				      "LIMIT 1", err) < 0)
		return -1;
	db_bind_int64(st, 1, record);
	db_bind_int(st, 2, approved_only ? 1 : 0);
	return get_one(s, st, out, err);
}

int practice_store_moderate(struct store *s, int64_t id, const char *state,
			    const char *by, long at, const char *comments,
			    struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	if (store_sql_prepare(s, &st, "UPDATE practice SET state = ?, "
				      "moderated_by = ?, moderated_at = ?, "
				      "comments = ? WHERE id = ? AND state = "
				      "'submitted'", err) < 0)
		return -1;
	db_bind_text(st, 1, state, -1);
	db_bind_text(st, 2, by, -1);
	db_bind_int64(st, 3, at);
	if (comments)
		db_bind_text(st, 4, comments, -1);
	db_bind_int64(st, 5, id);
	if (store_sql_step_done(s, st, "cannot moderate a practice record",
				err) < 0)
		return -1;
	if (db_changes(store_db(s)) == 0)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"version %lld is not waiting for "
					"moderation (it is not there, or was "
					"approved or returned already)",
					(long long)id);
	return 0;
}

int practice_store_list(struct store *s, const char *area_code,
			bool approved_only, struct practice_row **out,
			size_t *n, struct parity_error *err)
{
	struct db_stmt *st;
	size_t cap = 0, k;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_sql_prepare(
		    s, &st,
		    "SELECT " ROW_COLUMNS " FROM practice p "
		    "WHERE (CAST(?1 AS TEXT) IS NULL OR area_code = ?1) AND "
		    "(?2 = 0 OR state = 'approved') AND "
		    "version = (SELECT max(version) FROM "
		    "practice q WHERE q.record = p.record AND "
		    "(?2 = 0 OR q.state = 'approved')) "
		    "ORDER BY record",
		    err) < 0)
		return -1;
	if (area_code)
		db_bind_text(st, 1, area_code, -1);
	db_bind_int(st, 2, approved_only ? 1 : 0);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		row_read(st, &(*out)[(*n)++]);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		practice_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_sql_fail(s, err, "cannot list practice records");
	}
	for (k = 0; k < *n; k++)
		if (row_lists(s, &(*out)[k], err) < 0) {
			practice_rows_free(*out, *n);
			*out = NULL;
			*n = 0;
			return -1;
		}
	return 0;
}

int practice_store_index(struct store *s, int64_t record, const char *title,
			 const char *summary, const char *body,
			 const char *tags, struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	if (store_sql_prepare(s, &st, "DELETE FROM practice_text WHERE "
				      "rowid = ?", err) < 0)
		return -1;
	db_bind_int64(st, 1, record);
	if (store_sql_step_done(s, st, "cannot index a practice record",
				err) < 0)
		return -1;
	if (store_sql_prepare(s, &st, "INSERT INTO practice_text (rowid, "
				      "title, summary, body, tags) VALUES "
				      "(?, ?, ?, ?, ?)", err) < 0)
		return -1;
	db_bind_int64(st, 1, record);
	db_bind_text(st, 2, title, -1);
	db_bind_text(st, 3, summary, -1);
	db_bind_text(st, 4, body, -1);
	db_bind_text(st, 5, tags, -1);
	return store_sql_step_done(s, st, "cannot index a practice record",
				   err);
}

int practice_store_match(struct store *s, const char *match,
			 struct practice_match **out, size_t *n,
			 struct parity_error *err)
{
	char query[4096];
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (s->backend->practice_query(match, query, sizeof(query)) < 0)
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the search is too long: shorten it");
	if (store_sql_prepare(s, &st, s->backend->practice_match_sql,
			      err) < 0)
		return -1;
	db_bind_text(st, 1, query, -1);
	while ((rc = db_step(st)) == DB_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		(*out)[*n].record = db_column_int64(st, 0);
		(*out)[*n].rank = db_column_double(st, 1);
		(*out)[*n].snippet = column_text(st, 2);
		(*n)++;
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		practice_matches_free(*out, *n);
		*out = NULL;
		*n = 0;
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"the search could not be read: %s",
					db_error_message(store_db(s)));
	}
	return 0;
}

void practice_matches_free(struct practice_match *m, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		free(m[k].snippet);
	free(m);
}

/* ---- documents attached to versions ---- */

void practice_attachment_row_release(struct practice_attachment_row *r)
{
	free(r->name);
	free(r->added_by);
	free(r->bytes);
	memset(r, 0, sizeof(*r));
}

void practice_attachment_rows_free(struct practice_attachment_row *rows,
				   size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		practice_attachment_row_release(&rows[k]);
	free(rows);
}

/* 0 when version `id` waits for moderation; else -1 with
 * PARITY_ERR_VALIDATION (moderated), PARITY_ERR_NOT_FOUND (not there)
 * or the store's error. */
static int waiting_version(struct store *s, int64_t id,
			   struct parity_error *err)
{
	struct db_stmt *st;
	int rc, waiting;

	if (store_sql_prepare(s, &st, "SELECT state = 'submitted' FROM "
				      "practice WHERE id = ?", err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	waiting = rc == DB_ROW ? db_column_int(st, 0) : 0;
	db_finalize(st);
	if (rc == DB_DONE)
		return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					"there is no practice version %lld",
					(long long)id);
	if (rc != DB_ROW)
		return store_sql_fail(s, err, "cannot read a practice record");
	if (!waiting)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"version %lld was moderated already: "
					"its documents never change; send a "
					"new version to change them",
					(long long)id);
	return 0;
}

int practice_attachment_store(struct store *s,
			      struct practice_attachment_row *row,
			      const void *bytes, struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	if (waiting_version(s, row->practice_id, err) < 0)
		return -1;
	if (store_sql_prepare(s, &st, "INSERT INTO practice_file "
				      "(sha256, type, size, bytes) VALUES (?, "
				      "?, ?, ?) ON CONFLICT DO NOTHING",
			      err) < 0)
		return -1;
	db_bind_text(st, 1, row->sha256, -1);
	db_bind_text(st, 2, row->type, -1);
	db_bind_int64(st, 3, row->size);
	db_bind_blob(st, 4, bytes, (size_t)row->size);
	if (store_sql_step_done(s, st, "cannot store a document", err) < 0)
		return -1;
	if (store_sql_prepare(s, &st, "SELECT coalesce(max(n), 0) + 1 FROM "
				      "practice_attachment WHERE practice_id = ?",
			      err) < 0)
		return -1;
	db_bind_int64(st, 1, row->practice_id);
	rc = db_step(st);
	row->n = rc == DB_ROW ? db_column_int(st, 0) : 0;
	db_finalize(st);
	if (rc != DB_ROW)
		return store_sql_fail(s, err, "cannot store a document");
	if (store_sql_prepare(s, &st, "INSERT INTO practice_attachment "
				      "(practice_id, n, name, sha256, added_at, "
				      "added_by) VALUES (?, ?, ?, ?, ?, ?)",
			      err) < 0)
		return -1;
	db_bind_int64(st, 1, row->practice_id);
	db_bind_int(st, 2, row->n);
	db_bind_text(st, 3, row->name, -1);
	db_bind_text(st, 4, row->sha256, -1);
	db_bind_int64(st, 5, row->added_at);
	db_bind_text(st, 6, row->added_by, -1);
	return store_sql_step_done(s, st, "cannot store a document", err);
}

int practice_attachment_delete(struct store *s, int64_t practice_id, int n,
			       struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	if (waiting_version(s, practice_id, err) < 0)
		return -1;
	if (store_sql_prepare(s, &st, "DELETE FROM practice_attachment WHERE "
				      "practice_id = ? AND n = ?", err) < 0)
		return -1;
	db_bind_int64(st, 1, practice_id);
	db_bind_int(st, 2, n);
	if (store_sql_step_done(s, st, "cannot remove a document", err) < 0)
		return -1;
	if (db_changes(store_db(s)) == 0)
		return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					"version %lld has no document %d",
					(long long)practice_id, n);
	/* the bytes go when no version names them */
	if (store_sql_prepare(s, &st, "DELETE FROM practice_file WHERE NOT "
				      "EXISTS (SELECT 1 FROM practice_attachment "
				      "a WHERE a.sha256 = practice_file.sha256)",
			      err) < 0)
		return -1;
	return store_sql_step_done(s, st, "cannot remove a document", err);
}

int practice_attachment_carry(struct store *s, int64_t from, int64_t to,
			      struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	if (store_sql_prepare(s, &st, "INSERT INTO practice_attachment "
				      "(practice_id, n, name, sha256, added_at, "
				      "added_by) SELECT ?, n, name, sha256, "
				      "added_at, added_by FROM "
				      "practice_attachment WHERE practice_id = "
				      "? ORDER BY n", err) < 0)
		return -1;
	db_bind_int64(st, 1, to);
	db_bind_int64(st, 2, from);
	return store_sql_step_done(s, st, "cannot carry documents over", err);
}

#define ATTACHMENT_COLUMNS                                                 \
	"a.practice_id, a.n, a.name, f.type, f.size, a.sha256, a.added_at, " \
	"a.added_by"

static void attachment_read(struct db_stmt *st,
			    struct practice_attachment_row *r)
{
	memset(r, 0, sizeof(*r));
	r->practice_id = db_column_int64(st, 0);
	r->n = db_column_int(st, 1);
	r->name = column_text(st, 2);
	snprintf(r->type, sizeof(r->type), "%s",
		 db_column_text(st, 3));
	r->size = db_column_int64(st, 4);
	snprintf(r->sha256, sizeof(r->sha256), "%s",
		 db_column_text(st, 5));
	r->added_at = (long)db_column_int64(st, 6);
	r->added_by = column_text(st, 7);
}

int practice_attachment_list(struct store *s, int64_t practice_id,
			     struct practice_attachment_row **out, size_t *n,
			     struct parity_error *err)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_sql_prepare(s, &st, "SELECT " ATTACHMENT_COLUMNS " FROM "
				      "practice_attachment a JOIN practice_file "
				      "f USING (sha256) WHERE a.practice_id = ? "
				      "ORDER BY a.n", err) < 0)
		return -1;
	db_bind_int64(st, 1, practice_id);
	while ((rc = db_step(st)) == DB_ROW) {
		*out = xgrow(*out, &cap, *n + 1, sizeof(**out));
		attachment_read(st, &(*out)[(*n)++]);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		practice_attachment_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_sql_fail(s, err, "cannot list documents");
	}
	return 0;
}

int practice_attachment_get(struct store *s, int64_t practice_id, int n,
			    struct practice_attachment_row *out,
			    struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_sql_prepare(s, &st, "SELECT " ATTACHMENT_COLUMNS ", f.bytes "
				      "FROM practice_attachment a JOIN "
				      "practice_file f USING (sha256) WHERE "
				      "a.practice_id = ? AND a.n = ?", err) < 0)
		return -1;
	db_bind_int64(st, 1, practice_id);
	db_bind_int(st, 2, n);
	rc = db_step(st);
	if (rc == DB_DONE) {
		db_finalize(st);
		return 0;
	}
	if (rc != DB_ROW) {
		db_finalize(st);
		return store_sql_fail(s, err, "cannot read a document");
	}
	attachment_read(st, out);
	if (out->size < 0 || db_column_bytes(st, 8) != (size_t)out->size) {
		db_finalize(st);
		practice_attachment_row_release(out);
		return parity_error_set(err, PARITY_ERR_STORE, NULL, 0, 0,
					"a document's bytes are not its size");
	}
	out->bytes = xmalloc((size_t)out->size);
	memcpy(out->bytes, db_column_blob(st, 8), (size_t)out->size);
	db_finalize(st);
	return 1;
}

/* ---- the Learning Lab's events ---- */

int learning_event_store(struct store *s, struct learning_event_row *row,
			 struct parity_error *err)
{
	struct db_stmt *st;
	size_t k;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	if (store_sql_prepare(s, &st, "INSERT INTO learning_event (title, "
				      "day, format, strand, description, "
				      "created_at, created_by) VALUES (?, ?, "
				      "?, ?, ?, ?, ?)", err) < 0)
		return -1;
	db_bind_text(st, 1, row->title, -1);
	db_bind_text(st, 2, row->day, -1);
	db_bind_text(st, 3, row->format, -1);
	db_bind_text(st, 4, row->strand, -1);
	db_bind_text(st, 5, row->description ? row->description : "",
			  -1);
	db_bind_int64(st, 6, row->created_at);
	db_bind_text(st, 7, row->created_by, -1);
	if (store_sql_step_done(s, st, "cannot store an event", err) < 0)
		return -1;
	row->id = db_last_insert_id(store_db(s));
	for (k = 0; k < row->nrecords + row->nmaterials; k++) {
		bool rec = k < row->nrecords;

		if (store_sql_prepare(s, &st, rec
				      ? "INSERT INTO "
					"learning_event_practice (event_id, "
					"record) VALUES (?, ?) "
					"ON CONFLICT DO NOTHING"
				      : "INSERT INTO learning_event_material "
					"(event_id, title, url) VALUES (?, ?, "
					"?)", err) < 0)
			return -1;
		db_bind_int64(st, 1, row->id);
		if (rec) {
			db_bind_int64(st, 2, row->records[k]);
		} else {
			const struct learning_material *m =
				&row->materials[k - row->nrecords];

			db_bind_text(st, 2, m->title, -1);
			db_bind_text(st, 3, m->url, -1);
		}
		if (store_sql_step_done(s, st, "cannot store an event", err) <
		    0)
			return -1;
	}
	return 0;
}

static int event_lists(struct store *s, struct learning_event_row *r,
		       struct parity_error *err)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	if (store_sql_prepare(s, &st, "SELECT record FROM "
				      "learning_event_practice WHERE event_id "
				      "= ? ORDER BY record", err) < 0)
		return -1;
	db_bind_int64(st, 1, r->id);
	while ((rc = db_step(st)) == DB_ROW) {
		r->records = xgrow(r->records, &cap, r->nrecords + 1,
				   sizeof(*r->records));
		r->records[r->nrecords++] = db_column_int64(st, 0);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return store_sql_fail(s, err, "cannot read an event");
	cap = 0;
	if (store_sql_prepare(s, &st, "SELECT title, url FROM "
				      "learning_event_material WHERE event_id "
				      "= ? ORDER BY rowid", err) < 0)
		return -1;
	db_bind_int64(st, 1, r->id);
	while ((rc = db_step(st)) == DB_ROW) {
		r->materials = xgrow(r->materials, &cap, r->nmaterials + 1,
				     sizeof(*r->materials));
		r->materials[r->nmaterials].title = column_text(st, 0);
		r->materials[r->nmaterials].url = column_text(st, 1);
		r->nmaterials++;
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return store_sql_fail(s, err, "cannot read an event");
	return 0;
}

int learning_events_list(struct store *s, const char *from, const char *until,
			 struct learning_event_row **out, size_t *n,
			 struct parity_error *err)
{
	struct db_stmt *st;
	size_t cap = 0, k;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_sql_prepare(
		    s, &st,
		    "SELECT id, day, title, format, strand, "
		    "description, created_at, created_by FROM "
		    "learning_event WHERE (CAST(?1 AS TEXT) IS NULL OR day "
		    ">= ?1) AND (CAST(?2 AS TEXT) IS NULL OR day <= ?2) "
		    "ORDER BY day, id",
		    err) < 0)
		return -1;
	if (from)
		db_bind_text(st, 1, from, -1);
	if (until)
		db_bind_text(st, 2, until, -1);
	while ((rc = db_step(st)) == DB_ROW) {
		struct learning_event_row *r;

		*out = xgrow(*out, &cap, *n + 1, sizeof(**out));
		r = &(*out)[(*n)++];
		memset(r, 0, sizeof(*r));
		r->id = db_column_int64(st, 0);
		snprintf(r->day, sizeof(r->day), "%s",
			 db_column_text(st, 1));
		r->title = column_text(st, 2);
		r->format = column_text(st, 3);
		r->strand = column_text(st, 4);
		r->description = column_text(st, 5);
		r->created_at = (long)db_column_int64(st, 6);
		r->created_by = column_text(st, 7);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		learning_events_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_sql_fail(s, err, "cannot list events");
	}
	for (k = 0; k < *n; k++)
		if (event_lists(s, &(*out)[k], err) < 0) {
			learning_events_free(*out, *n);
			*out = NULL;
			*n = 0;
			return -1;
		}
	return 0;
}

void learning_events_free(struct learning_event_row *rows, size_t n)
{
	size_t k, j;

	for (k = 0; k < n; k++) {
		free(rows[k].title);
		free(rows[k].format);
		free(rows[k].strand);
		free(rows[k].description);
		free(rows[k].created_by);
		free(rows[k].records);
		for (j = 0; j < rows[k].nmaterials; j++) {
			free(rows[k].materials[j].title);
			free(rows[k].materials[j].url);
		}
		free(rows[k].materials);
	}
	free(rows);
}

/* ---- the archive of Race Matters ---- */

int digest_store_keep(struct store *s, const char *since, const char *until,
		      const char *content, long made_at, const char *made_by,
		      struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	if (store_sql_prepare(s, &st, "INSERT INTO digest_issue (since, "
				      "until, content, made_at, made_by) "
				      "VALUES (?, ?, ?, ?, ?) ON CONFLICT "
				      "(since, until) DO UPDATE SET content = "
				      "excluded.content, made_at = "
				      "excluded.made_at, made_by = "
				      "excluded.made_by", err) < 0)
		return -1;
	db_bind_text(st, 1, since, -1);
	db_bind_text(st, 2, until, -1);
	db_bind_text(st, 3, content, -1);
	db_bind_int64(st, 4, made_at);
	db_bind_text(st, 5, made_by, -1);
	return store_sql_step_done(s, st, "cannot keep the issue of Race "
					  "Matters", err);
}

int digest_store_list(struct store *s, struct digest_kept **out, size_t *n,
		      struct parity_error *err)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_sql_prepare(s, &st, "SELECT since, until, content, made_at, "
				      "made_by FROM digest_issue ORDER BY "
				      "until DESC, since DESC", err) < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct digest_kept *r;

		*out = xgrow(*out, &cap, *n + 1, sizeof(**out));
		r = &(*out)[(*n)++];
		snprintf(r->since, sizeof(r->since), "%s",
			 db_column_text(st, 0));
		snprintf(r->until, sizeof(r->until), "%s",
			 db_column_text(st, 1));
		r->content = column_text(st, 2);
		r->made_at = (long)db_column_int64(st, 3);
		r->made_by = column_text(st, 4);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		digest_kept_free(*out, *n);
		*out = NULL;
		*n = 0;
		return store_sql_fail(s, err, "cannot read the archive of "
					      "Race Matters");
	}
	return 0;
}

void digest_kept_free(struct digest_kept *rows, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++) {
		free(rows[k].content);
		free(rows[k].made_by);
	}
	free(rows);
}
