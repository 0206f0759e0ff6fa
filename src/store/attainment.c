/*
 * attainment.c - attainment returns in the SQLite store (see
 * attainment_store.h): versions per area and year, and their rows.
 */
#include "store/attainment_store.h"

#include "store/sqlite_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static void copy_column(sqlite3_stmt *st, int col, char *out, size_t size)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	snprintf(out, size, "%s", t ? (const char *)t : "");
}

int store_attainment_current(struct store *s, const char *area_code, int year,
			     struct store_attainment_return *out,
			     struct parity_error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_sql_prepare(s, &st, "SELECT id, period, level, version, "
			      "supersedes, submitted_at, submitted_by, "
			      "source_name, row_count, sha256 FROM "
			      "attainment_return WHERE area_code = ?1 AND "
			      "year = ?2 AND status = 'current'", err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, area_code, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, year);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		snprintf(out->area_code, sizeof(out->area_code), "%s",
			 area_code);
		out->year = year;
		copy_column(st, 1, out->period, sizeof(out->period));
		copy_column(st, 2, out->level, sizeof(out->level));
		out->version = sqlite3_column_int(st, 3);
		out->current = true;
		out->supersedes = sqlite3_column_int64(st, 4);
		copy_column(st, 5, out->submitted_at, sizeof(out->submitted_at));
		copy_column(st, 6, out->submitted_by, sizeof(out->submitted_by));
		copy_column(st, 7, out->source_name, sizeof(out->source_name));
		out->rows = (long)sqlite3_column_int64(st, 8);
		copy_column(st, 9, out->sha256, sizeof(out->sha256));
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, err, "cannot read the attainment return");
	return 0;
}

int store_attainment_return_add(struct store *s,
				struct store_attainment_return *r,
				struct parity_error *err)
{
	struct store_attainment_return prev;
	sqlite3_stmt *st;
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
		sqlite3_bind_int64(st, 1, prev.id);
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
	sqlite3_bind_text(st, 1, r->area_code, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, r->year);
	sqlite3_bind_text(st, 3, r->period, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, r->level, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, r->version);
	if (r->supersedes)
		sqlite3_bind_int64(st, 6, r->supersedes);
	else
		sqlite3_bind_null(st, 6);
	sqlite3_bind_text(st, 7, r->submitted_at, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 8, r->submitted_by, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, r->source_name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 10, r->rows);
	sqlite3_bind_text(st, 11, r->sha256, -1, SQLITE_STATIC);
	if (store_sql_step_done(s, st, "cannot add the attainment return",
				err) < 0)
		return -1;
	r->id = sqlite3_last_insert_rowid(store_sql_db(s));
	return 0;
}

static void bind_number(sqlite3_stmt *st, int col, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, col);
	else
		sqlite3_bind_double(st, col, v);
}

int store_attainment_row_add(struct store *s, int64_t return_id,
			     const struct store_attainment_row *row,
			     struct parity_error *err)
{
	sqlite3_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st, "INSERT INTO attainment_row (return_id, "
			      "measure, ethnicity, label, pupils, mean_score, "
			      "sd, reaching, suppressed, line) VALUES (?1, ?2, "
			      "?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)", err) < 0)
		return -1;
	sqlite3_bind_int64(st, 1, return_id);
	sqlite3_bind_text(st, 2, row->measure, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, row->group, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, row->label, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, (sqlite3_int64)row->pupils);
	bind_number(st, 6, row->mean);
	bind_number(st, 7, row->sd);
	if (isnan(row->reaching))
		sqlite3_bind_null(st, 8);
	else
		sqlite3_bind_int64(st, 8, (sqlite3_int64)row->reaching);
	sqlite3_bind_int(st, 9, (int)row->suppressed);
	sqlite3_bind_int64(st, 10, row->line);
	return store_sql_step_done(s, st, "cannot add an attainment row", err);
}

static double column_number(sqlite3_stmt *st, int col)
{
	return sqlite3_column_type(st, col) == SQLITE_NULL
		       ? NAN
		       : sqlite3_column_double(st, col);
}

static const char *column_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);

	return t ? (const char *)t : "";
}

int store_attainment_rows_each(struct store *s, const char *area_code,
			       store_attainment_row_fn fn, void *ctx,
			       struct parity_error *err)
{
	sqlite3_stmt *st;
	int rc, stop = 0;

	if (store_sql_prepare(s, &st, "SELECT r.id, r.year, r.period, "
			      "r.level, a.measure, a.ethnicity, a.label, "
			      "a.pupils, a.mean_score, a.sd, a.reaching, "
			      "a.suppressed, a.line FROM attainment_return r "
			      "JOIN attainment_row a ON a.return_id = r.id "
			      "WHERE r.area_code = ?1 AND r.status = 'current' "
			      "ORDER BY r.year, a.line", err) < 0)
		return -1;
	sqlite3_bind_text(st, 1, area_code, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_attainment_return ret;
		struct store_attainment_row row;

		memset(&ret, 0, sizeof(ret));
		ret.id = sqlite3_column_int64(st, 0);
		snprintf(ret.area_code, sizeof(ret.area_code), "%s", area_code);
		ret.year = sqlite3_column_int(st, 1);
		copy_column(st, 2, ret.period, sizeof(ret.period));
		copy_column(st, 3, ret.level, sizeof(ret.level));
		ret.current = true;
		row.measure = column_text(st, 4);
		row.group = column_text(st, 5);
		row.label = column_text(st, 6);
		row.pupils = (double)sqlite3_column_int64(st, 7);
		row.mean = column_number(st, 8);
		row.sd = column_number(st, 9);
		row.reaching = column_number(st, 10);
		row.suppressed = (unsigned)sqlite3_column_int(st, 11);
		row.line = (long)sqlite3_column_int64(st, 12);
		stop = fn(ctx, &ret, &row);
		if (stop)
			break;
	}
	sqlite3_finalize(st);
	if (stop)
		return stop;
	if (rc != SQLITE_DONE)
		return store_sql_fail(s, err, "cannot read the attainment rows");
	return 0;
}
