/*
 * attainment.c - attainment returns in the SQLite store (see
 * attainment_store.h): versions per area and year, and their rows.
 */
#include "store/attainment_store.h"

#include "store/store_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

int store_attainment_current(struct store *s, const char *area_code, int year,
			     struct store_attainment_return *out,
			     struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_sql_prepare(s, &st, "SELECT id, period, level, version, "
			      "supersedes, submitted_at, submitted_by, "
			      "source_name, row_count, sha256 FROM "
			      "attainment_return WHERE area_code = ?1 AND "
			      "year = ?2 AND status = 'current'", err) < 0)
		return -1;
	db_bind_text(st, 1, area_code, -1);
	db_bind_int(st, 2, year);
	rc = db_step(st);
	if (rc == DB_ROW) {
		out->id = db_column_int64(st, 0);
		snprintf(out->area_code, sizeof(out->area_code), "%s",
			 area_code);
		out->year = year;
		db_column_copy(st, 1, out->period, sizeof(out->period));
		db_column_copy(st, 2, out->level, sizeof(out->level));
		out->version = db_column_int(st, 3);
		out->current = true;
		out->supersedes = db_column_int64(st, 4);
		db_column_copy(st, 5, out->submitted_at,
			       sizeof(out->submitted_at));
		db_column_copy(st, 6, out->submitted_by,
			       sizeof(out->submitted_by));
		db_column_copy(st, 7, out->source_name,
			       sizeof(out->source_name));
		out->rows = (long)db_column_int64(st, 8);
		db_column_copy(st, 9, out->sha256, sizeof(out->sha256));
	}
	db_finalize(st);
	if (rc == DB_ROW)
		return 1;
	if (rc != DB_DONE)
		return store_sql_fail(s, err, "cannot read the attainment return");
	return 0;
}

int store_attainment_return_add(struct store *s,
				struct store_attainment_return *r,
				struct parity_error *err)
{
	struct store_attainment_return prev;
	struct db_stmt *st;
	int found;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	found = store_attainment_current(s, r->area_code, r->year, &prev, err);
	if (found < 0)
		return -1;
	if (found) {
		if (store_sql_prepare(s, &st, "UPDATE attainment_return SET "
				      "status = 'superseded' WHERE id = ?1",
				      err) < 0)
			return -1;
		db_bind_int64(st, 1, prev.id);
		if (store_sql_step_done(s, st, "cannot supersede the "
					"attainment return", err) < 0)
			return -1;
	}
	r->version = found ? prev.version + 1 : 1;
	r->supersedes = found ? prev.id : 0;
	r->current = true;
	if (store_sql_prepare(s, &st, "INSERT INTO attainment_return "
			      "(area_code, year, period, level, version, "
			      "status, supersedes, submitted_at, submitted_by, "
			      "source_name, row_count, sha256) VALUES (?1, ?2, "
			      "?3, ?4, ?5, 'current', ?6, ?7, ?8, ?9, ?10, "
			      "?11)", err) < 0)
		return -1;
	db_bind_text(st, 1, r->area_code, -1);
	db_bind_int(st, 2, r->year);
	db_bind_text(st, 3, r->period, -1);
	db_bind_text(st, 4, r->level, -1);
	db_bind_int(st, 5, r->version);
	if (r->supersedes)
		db_bind_int64(st, 6, r->supersedes);
	else
		db_bind_null(st, 6);
	db_bind_text(st, 7, r->submitted_at, -1);
	db_bind_text(st, 8, r->submitted_by, -1);
	db_bind_text(st, 9, r->source_name, -1);
	db_bind_int64(st, 10, r->rows);
	db_bind_text(st, 11, r->sha256, -1);
	if (store_sql_step_done(s, st, "cannot add the attainment return",
				err) < 0)
		return -1;
	r->id = db_last_insert_id(store_db(s));
	return 0;
}

static void bind_number(struct db_stmt *st, int col, double v)
{
	if (isnan(v))
		db_bind_null(st, col);
	else
		db_bind_double(st, col, v);
}

int store_attainment_row_add(struct store *s, int64_t return_id,
			     const struct store_attainment_row *row,
			     struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st, "INSERT INTO attainment_row (return_id, "
			      "measure, ethnicity, label, pupils, mean_score, "
			      "sd, reaching, suppressed, line) VALUES (?1, ?2, "
			      "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", err) < 0)
		return -1;
	db_bind_int64(st, 1, return_id);
	db_bind_text(st, 2, row->measure, -1);
	db_bind_text(st, 3, row->group, -1);
	db_bind_text(st, 4, row->label, -1);
	db_bind_int64(st, 5, (int64_t)row->pupils);
	bind_number(st, 6, row->mean);
	bind_number(st, 7, row->sd);
	if (isnan(row->reaching))
		db_bind_null(st, 8);
	else
		db_bind_int64(st, 8, (int64_t)row->reaching);
	db_bind_int(st, 9, (int)row->suppressed);
	db_bind_int64(st, 10, row->line);
	return store_sql_step_done(s, st, "cannot add an attainment row", err);
}

static double column_number(struct db_stmt *st, int col)
{
	return db_column_is_null(st, col)
		       ? NAN
		       : db_column_double(st, col);
}

static const char *column_text(struct db_stmt *st, int col)
{
	const char *t = db_column_text(st, col);

	return t ? (const char *)t : "";
}

int store_attainment_rows_each(struct store *s, const char *area_code,
			       store_attainment_row_fn fn, void *ctx,
			       struct parity_error *err)
{
	struct db_stmt *st;
	int rc, stop = 0;

	if (store_sql_prepare(s, &st, "SELECT r.id, r.year, r.period, "
			      "r.level, a.measure, a.ethnicity, a.label, "
			      "a.pupils, a.mean_score, a.sd, a.reaching, "
			      "a.suppressed, a.line FROM attainment_return r "
			      "JOIN attainment_row a ON a.return_id = r.id "
			      "WHERE r.area_code = ?1 AND r.status = 'current' "
			      "ORDER BY r.year, a.line", err) < 0)
		return -1;
	db_bind_text(st, 1, area_code, -1);
	while ((rc = db_step(st)) == DB_ROW) {
		struct store_attainment_return ret;
		struct store_attainment_row row;

		memset(&ret, 0, sizeof(ret));
		ret.id = db_column_int64(st, 0);
		snprintf(ret.area_code, sizeof(ret.area_code), "%s", area_code);
		ret.year = db_column_int(st, 1);
		db_column_copy(st, 2, ret.period, sizeof(ret.period));
		db_column_copy(st, 3, ret.level, sizeof(ret.level));
		ret.current = true;
		row.measure = column_text(st, 4);
		row.group = column_text(st, 5);
		row.label = column_text(st, 6);
		row.pupils = (double)db_column_int64(st, 7);
		row.mean = column_number(st, 8);
		row.sd = column_number(st, 9);
		row.reaching = column_number(st, 10);
		row.suppressed = (unsigned)db_column_int(st, 11);
		row.line = (long)db_column_int64(st, 12);
		stop = fn(ctx, &ret, &row);
		if (stop)
			break;
	}
	db_finalize(st);
	if (stop)
		return stop;
	if (rc != DB_DONE)
		return store_sql_fail(s, err, "cannot read the attainment rows");
	return 0;
}
