/*
 * retention.c - removing a return's records at the end of the retention
 * period, and telling that they went (see retention.h).
 */
#include "store/retention.h"

#include "base/clock.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int retention_last_year(int years, const char *today, int *last_year,
			struct parity_error *err)
{
	long t, y, m;

	/* a date, and only a date: "YYYY-MM-DD", checked as a day that
	 * exists; then its year and month as they are written */
	if (strlen(today) != CLOCK_DATE_SIZE - 1 ||
	    clock_utc_parse(today, &t, err) < 0)
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"'%s' is not a date (YYYY-MM-DD)",
					today);
	y = strtol(today, NULL, 10);
	m = strtol(today + 5, NULL, 10);
	/* 31 March of year Y + years gone by: Y + years < y, or that year
	 * itself once March is over */
	*last_year = (int)y - years - (m > 3 ? 0 : 1);
	return 0;
}

int store_records_removed_at(struct store *s, int64_t id, char *at,
			     size_t size, struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	if (store_sql_prepare(s, &st,
			      "SELECT removed_at FROM records_removed "
			      "WHERE submission_id = ?1", err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		snprintf(at, size, "%s",
			 db_column_text(st, 0));
	db_finalize(st);
	if (rc != DB_ROW && rc != DB_DONE)
		return store_sql_fail(s, err, "cannot read what retention "
					      "removed");
	return rc == DB_ROW;
}

int store_retention_due(struct store *s, int last_year,
			struct store_submission **out, size_t *count,
			struct parity_error *err)
{
	struct store_filter all = STORE_FILTER_ALL;
	struct store_submission *list;
	char at[32];
	size_t n, k, kept = 0;
	int removed;

	*out = NULL;
	*count = 0;
	if (store_submissions_list(s, &all, &list, &n, err) < 0)
		return -1;
	for (k = 0; k < n; k++) {
		if (list[k].year > last_year || list[k].kind == STORE_SERVICE)
			continue;
		removed = store_records_removed_at(s, list[k].id, at,
						   sizeof(at), err);
		if (removed < 0) {
			free(list);
			return -1;
		}
		if (!removed)
			list[kept++] = list[k];
	}
	*out = list;
	*count = kept;
	return 0;
}

/* The number `sql` counts for submission `id`, added to *total. */
static int add_count(struct store *s, const char *sql, int64_t id,
		     long *total, struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	if (store_sql_prepare(s, &st, sql, err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	rc = db_step(st);
	if (rc == DB_ROW)
		*total += (long)db_column_int64(st, 0);
	db_finalize(st);
	return rc == DB_ROW ? 0
				: store_sql_fail(s, err, "cannot count the "
							 "records");
}

/* Run `sql`, with submission `id` as ?1, to its end. */
static int run_for(struct store *s, const char *sql, int64_t id,
		   const char *what, struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_prepare(s, &st, sql, err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	return store_sql_step_done(s, st, what, err);
}

int store_records_remove(struct store *s, const struct store_submission *sub,
			 int years, const char *by, long *removed,
			 struct parity_error *err)
{
	char now[CLOCK_UTC_SIZE];
	struct db_stmt *st;

	*removed = 0;
	if (store_sql_need_transaction(s, err) < 0 ||
	    clock_utc_now(now, sizeof(now), err) < 0 ||
	    add_count(s, "SELECT count(*) FROM staff WHERE submission_id = ?1",
		      sub->id, removed, err) < 0 ||
	    add_count(s, "SELECT coalesce(sum(records), 0) FROM staff_block "
		      "WHERE submission_id = ?1", sub->id, removed, err) < 0 ||
	    add_count(s, "SELECT count(*) FROM applicant "
		      "WHERE submission_id = ?1", sub->id, removed, err) < 0 ||
	    run_for(s, "DELETE FROM staff WHERE submission_id = ?1", sub->id,
		    "cannot remove the staff records", err) < 0 ||
	    run_for(s, "DELETE FROM staff_block WHERE submission_id = ?1",
		    sub->id, "cannot remove the staff records", err) < 0 ||
	    run_for(s, "DELETE FROM applicant WHERE submission_id = ?1",
		    sub->id, "cannot remove the applicant records", err) < 0)
		return -1;
	if (store_sql_prepare(s, &st,
			      "INSERT INTO records_removed (submission_id, "
			      "removed_at, removed_by, retention_years, "
			      "records) VALUES (?1, ?2, ?3, ?4, ?5)",
			      err) < 0)
		return -1;
	db_bind_int64(st, 1, sub->id);
	db_bind_text(st, 2, now, -1);
	db_bind_text(st, 3, by, -1);
	db_bind_int(st, 4, years);
	db_bind_int64(st, 5, *removed);
	return store_sql_step_done(s, st, "cannot record the removal", err);
}
