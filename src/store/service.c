/*
 * service.c - service returns in the SQLite store (see service_store.h).
 */
#include "store/service_store.h"

#include "store/store_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int store_service_return_add(struct store *s, int64_t submission,
			     const char *period, const char *level,
			     struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st, "INSERT INTO service_return "
			      "(submission_id, period, level) VALUES (?1, ?2, "
			      "?3)", err) < 0)
		return -1;
	db_bind_int64(st, 1, submission);
	db_bind_text(st, 2, period, -1);
	db_bind_text(st, 3, level, -1);
	return store_sql_step_done(s, st, "cannot add the service return", err);
}

int store_service_count_add(struct store *s, int64_t submission,
			    const char *stage, const char *group, double count,
			    long line, const char *label,
			    struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st, "INSERT INTO service_count "
			      "(submission_id, stage, ethnicity, count, line, "
			      "label) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
			      err) < 0)
		return -1;
	db_bind_int64(st, 1, submission);
	db_bind_text(st, 2, stage, -1);
	db_bind_text(st, 3, group, -1);
	if (isnan(count))
		db_bind_null(st, 4);
	else
		db_bind_int64(st, 4, (int64_t)count);
	db_bind_int64(st, 5, line);
	if (label)
		db_bind_text(st, 6, label, -1);
	else
		db_bind_null(st, 6);
	return store_sql_step_done(s, st, "cannot add a service count", err);
}

int store_service_current(struct store *s, const char *service,
			  const char *area_code, int year,
			  struct store_service_return *out,
			  struct parity_error *err)
{
	struct db_stmt *st;
	int found, rc;

	memset(out, 0, sizeof(*out));
	found = store_submission_current_for(s, STORE_SERVICE, service,
					     area_code, year, &out->sub, err);
	if (found <= 0)
		return found;
	if (store_sql_prepare(s, &st, "SELECT period, level FROM "
			      "service_return WHERE submission_id = ?1",
			      err) < 0)
		return -1;
	db_bind_int64(st, 1, out->sub.id);
	rc = db_step(st);
	if (rc == DB_ROW) {
		db_column_copy(st, 0, out->period, sizeof(out->period));
		db_column_copy(st, 1, out->level, sizeof(out->level));
	}
	db_finalize(st);
	if (rc != DB_ROW)
		return store_sql_fail(s, err, "cannot read the service return");
	return 1;
}

int store_service_rows_each(struct store *s, int64_t submission,
			    store_service_row_fn fn, void *ctx,
			    struct parity_error *err)
{
	struct db_stmt *st;
	int rc, stop = 0;

	if (store_sql_prepare(s, &st, "SELECT stage, ethnicity, count, line, "
			      "label FROM service_count WHERE submission_id = "
			      "?1 ORDER BY line", err) < 0)
		return -1;
	db_bind_int64(st, 1, submission);
	while ((rc = db_step(st)) == DB_ROW) {
		struct store_service_row r;
		const char *stage = db_column_text(st, 0);
		const char *group = db_column_text(st, 1);

		r.stage = stage ? (const char *)stage : "";
		r.group = group ? (const char *)group : "";
		r.count = db_column_is_null(st, 2)
			  ? NAN : (double)db_column_int64(st, 2);
		r.line = (long)db_column_int64(st, 3);
		r.label = db_column_text(st, 4);
		stop = fn(ctx, &r);
		if (stop)
			break;
	}
	db_finalize(st);
	if (stop)
		return stop;
	if (rc != DB_DONE)
		return store_sql_fail(s, err, "cannot read the service counts");
	return 0;
}

/* store_service_counts_each() through store_service_rows_each(): the
 * caller's function and its context. */
struct counts_of_rows {
	store_service_count_fn fn;
	void *ctx;
};

static int count_of_row(void *ctx, const struct store_service_row *r)
{
	struct counts_of_rows *c = ctx;

	return c->fn(c->ctx, r->stage, r->group, r->count);
}

int store_service_counts_each(struct store *s, int64_t submission,
			      store_service_count_fn fn, void *ctx,
			      struct parity_error *err)
{
	struct counts_of_rows c = { fn, ctx };

	return store_service_rows_each(s, submission, count_of_row, &c, err);
}
