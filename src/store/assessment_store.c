/*
 * assessment_store.c - assessments and peer reviews in the SQLite store
 * (see assessment_store.h and migration 0008).
 *
 * Plain rows in, plain rows out. A draft is written by deleting its rows
 * and inserting them again; a submitted assessment's rows are frozen by
 * the schema's triggers, so a mistake here that tried to change one would
 * fail rather than rewrite history.
 */
#include "store/assessment_store.h"

#include "base/alloc.h"
#include "store/store_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_column(struct db_stmt *st, int col)
{
	const char *t = db_column_text(st, col);

	return xstrdup(t ? (const char *)t : "");
}

static double real_column(struct db_stmt *st, int col)
{
	if (db_column_is_null(st, col))
		return NAN;
	return db_column_double(st, col);
}

static void bind_real(struct db_stmt *st, int col, double v)
{
	if (isnan(v))
		db_bind_null(st, col);
	else
		db_bind_double(st, col, v);
}

static void bind_int_or_null(struct db_stmt *st, int col, int64_t v)
{
	if (v)
		db_bind_int64(st, col, v);
	else
		db_bind_null(st, col);
}

void assessment_release(struct assessment *a)
{
	size_t k, j;

	if (!a)
		return;
	for (k = 0; k < a->ncriteria; k++) {
		free(a->criteria[k].reason);
		free(a->criteria[k].evidence);
		for (j = 0; j < a->criteria[k].nlinks; j++)
			free(a->criteria[k].links[j]);
		free(a->criteria[k].links);
	}
	for (k = 0; k < a->nanswers; k++)
		free(a->answers[k].value);
	for (k = 0; k < a->nactions; k++)
		free(a->actions[k].description);
	free(a->criteria);
	free(a->answers);
	free(a->actions);
	memset(a, 0, sizeof(*a));
}

void assessments_free(struct assessment *a, size_t n)
{
	size_t k;

	for (k = 0; a && k < n; k++)
		assessment_release(&a[k]);
	free(a);
}

/* ---- writing ---- */

static int delete_rows(struct store *s, int64_t id, struct parity_error *err)
{
	static const char *const tables[] = {
		"DELETE FROM assessment_link WHERE assessment_id = ?",
		"DELETE FROM assessment_criterion WHERE assessment_id = ?",
		"DELETE FROM assessment_answer WHERE assessment_id = ?",
		"DELETE FROM assessment_action WHERE assessment_id = ?",
	};
	struct db_stmt *st;
	size_t k;

	for (k = 0; k < sizeof(tables) / sizeof(tables[0]); k++) {
		if (store_sql_prepare(s, &st, tables[k], err) < 0)
			return -1;
		db_bind_int64(st, 1, id);
		if (store_sql_step_done(s, st, "cannot rewrite an assessment",
					err) < 0)
			return -1;
	}
	return 0;
}

static int write_criteria(struct store *s, const struct assessment *a,
			  struct parity_error *err)
{
	struct db_stmt *st;
	size_t k, j;

	for (k = 0; k < a->ncriteria; k++) {
		const struct assessment_criterion *c = &a->criteria[k];

		if (store_sql_prepare(s, &st,
			"INSERT INTO assessment_criterion (assessment_id, "
			"criterion_id, level, suggested_level, figure, "
			"figure_low, figure_high, reason, evidence) VALUES "
			"(?, ?, ?, ?, ?, ?, ?, ?, ?)", err) < 0)
			return -1;
		db_bind_int64(st, 1, a->id);
		db_bind_text(st, 2, c->id, -1);
		bind_int_or_null(st, 3, c->level);
		bind_int_or_null(st, 4, c->suggested);
		bind_real(st, 5, c->figure);
		bind_real(st, 6, c->figure_low);
		bind_real(st, 7, c->figure_high);
		db_bind_text_or_null(st, 8, c->reason);
		db_bind_text_or_null(st, 9, c->evidence);
		if (store_sql_step_done(s, st, "cannot store an assessment",
					err) < 0)
			return -1;
		for (j = 0; j < c->nlinks; j++) {
			if (store_sql_prepare(s, &st,
				"INSERT INTO assessment_link (assessment_id, "
				"criterion_id, position, url) VALUES "
				"(?, ?, ?, ?)", err) < 0)
				return -1;
			db_bind_int64(st, 1, a->id);
			db_bind_text(st, 2, c->id, -1);
			db_bind_int64(st, 3, (int64_t)j + 1);
			db_bind_text(st, 4, c->links[j], -1);
			if (store_sql_step_done(s, st, "cannot store an "
						"assessment", err) < 0)
				return -1;
		}
	}
	return 0;
}

static int write_answers(struct store *s, const struct assessment *a,
			 struct parity_error *err)
{
	struct db_stmt *st;
	size_t k;

	for (k = 0; k < a->nanswers; k++) {
		if (store_sql_prepare(s, &st,
			"INSERT INTO assessment_answer (assessment_id, "
			"question_id, service_area, value) VALUES (?, ?, ?, ?)",
			err) < 0)
			return -1;
		db_bind_int64(st, 1, a->id);
		db_bind_text(st, 2, a->answers[k].question, -1);
		db_bind_text(st, 3, a->answers[k].service_area, -1);
		db_bind_text(st, 4, a->answers[k].value, -1);
		if (store_sql_step_done(s, st, "cannot store an assessment",
					err) < 0)
			return -1;
	}
	return 0;
}

static int write_actions(struct store *s, const struct assessment *a,
			 struct parity_error *err)
{
	struct db_stmt *st;
	size_t k;

	for (k = 0; k < a->nactions; k++) {
		const struct assessment_action *x = &a->actions[k];

		if (store_sql_prepare(s, &st,
			"INSERT INTO assessment_action (assessment_id, "
			"position, criterion_id, description, owner_role, "
			"due_date, status, measure, breakdown, ethnicity, "
			"level, service, start_year, start_value, "
			"start_numerator, start_denominator) VALUES "
			"(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
			err) < 0)
			return -1;
		db_bind_int64(st, 1, a->id);
		db_bind_int64(st, 2, (int64_t)k + 1);
		db_bind_text(st, 3, x->criterion, -1);
		db_bind_text(st, 4, x->description, -1);
		db_bind_text(st, 5, x->owner_role, -1);
		db_bind_text(st, 6, x->due, -1);
		db_bind_text(st, 7, x->status, -1);
		db_bind_text_or_null(st, 8, x->measure);
		db_bind_text(st, 9, x->breakdown, -1);
		db_bind_text(st, 10, x->ethnicity, -1);
		db_bind_text(st, 11, x->level, -1);
		db_bind_text(st, 12, x->service, -1);
		bind_int_or_null(st, 13, x->start_year);
		bind_real(st, 14, x->start_value);
		bind_real(st, 15, x->start_numerator);
		bind_real(st, 16, x->start_denominator);
		if (store_sql_step_done(s, st, "cannot store an assessment",
					err) < 0)
			return -1;
	}
	return 0;
}

int store_assessment_write(struct store *s, struct assessment *a,
			   struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	if (a->id == 0) {
		if (store_sql_prepare(s, &st,
			"INSERT INTO assessment (framework_id, "
			"framework_version, area_code, year, version, state, "
			"share, named, created_at, created_by, updated_at) "
			"VALUES (?, ?, ?, ?, ?, 'draft', ?, ?, ?, ?, ?)",
			err) < 0)
			return -1;
		db_bind_text(st, 1, a->framework, -1);
		db_bind_int(st, 2, a->framework_version);
		db_bind_text(st, 3, a->area_code, -1);
		db_bind_int(st, 4, a->year);
		db_bind_int(st, 5, a->version);
		db_bind_int(st, 6, a->share);
		db_bind_int(st, 7, a->named);
		db_bind_int64(st, 8, a->created_at);
		db_bind_text(st, 9, a->created_by, -1);
		db_bind_int64(st, 10, a->updated_at);
		if (store_sql_step_done(s, st, "cannot store an assessment",
					err) < 0)
			return -1;
		a->id = db_last_insert_id(store_db(s));
	} else {
		if (store_sql_prepare(s, &st,
			"UPDATE assessment SET framework_version = ?, "
			"share = ?, named = ?, updated_at = ? WHERE id = ?",
			err) < 0)
			return -1;
		db_bind_int(st, 1, a->framework_version);
		db_bind_int(st, 2, a->share);
		db_bind_int(st, 3, a->named);
		db_bind_int64(st, 4, a->updated_at);
		db_bind_int64(st, 5, a->id);
		if (store_sql_step_done(s, st, "cannot store an assessment",
					err) < 0 ||
		    delete_rows(s, a->id, err) < 0)
			return -1;
	}
	if (write_criteria(s, a, err) < 0 || write_answers(s, a, err) < 0 ||
	    write_actions(s, a, err) < 0)
		return -1;
	if (a->submitted)
		return store_assessment_submit(s, a->id, a->submitted_by,
					       a->submitted_at, err);
	return 0;
}

int store_assessment_submit(struct store *s, int64_t id, const char *by,
			    long at, struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st,
		"UPDATE assessment SET state = 'submitted', submitted_at = ?, "
		"submitted_by = ?, updated_at = ? WHERE id = ?", err) < 0)
		return -1;
	db_bind_int64(st, 1, at);
	db_bind_text(st, 2, by, -1);
	db_bind_int64(st, 3, at);
	db_bind_int64(st, 4, id);
	return store_sql_step_done(s, st, "cannot submit an assessment", err);
}

/* ---- reading ---- */

#define ASSESSMENT_COLUMNS \
	"id, framework_id, framework_version, area_code, year, version, " \
	"state, share, named, created_at, created_by, updated_at, " \
	"coalesce(submitted_at, 0), coalesce(submitted_by, '') " \
	"FROM assessment "

static void read_header(struct db_stmt *st, struct assessment *a)
{
	memset(a, 0, sizeof(*a));
	a->id = db_column_int64(st, 0);
	db_column_copy(st, 1, a->framework, sizeof(a->framework));
	a->framework_version = db_column_int(st, 2);
	db_column_copy(st, 3, a->area_code, sizeof(a->area_code));
	a->year = db_column_int(st, 4);
	a->version = db_column_int(st, 5);
	a->submitted = strcmp(db_column_text(st, 6),
			      "submitted") == 0;
	a->share = db_column_int(st, 7) != 0;
	a->named = db_column_int(st, 8) != 0;
	a->created_at = (long)db_column_int64(st, 9);
	db_column_copy(st, 10, a->created_by, sizeof(a->created_by));
	a->updated_at = (long)db_column_int64(st, 11);
	a->submitted_at = (long)db_column_int64(st, 12);
	db_column_copy(st, 13, a->submitted_by, sizeof(a->submitted_by));
}

static int read_criteria(struct store *s, struct assessment *a,
			 struct parity_error *err)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	if (store_sql_prepare(s, &st,
		"SELECT criterion_id, coalesce(level, 0), "
		"coalesce(suggested_level, 0), figure, figure_low, "
		"figure_high, coalesce(reason, ''), coalesce(evidence, '') "
		"FROM assessment_criterion WHERE assessment_id = ? "
		"ORDER BY rowid", err) < 0)
		return -1;
	db_bind_int64(st, 1, a->id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct assessment_criterion *c;

		a->criteria = xgrow(a->criteria, &cap, a->ncriteria + 1,
				    sizeof(*a->criteria));
		c = &a->criteria[a->ncriteria++];
		memset(c, 0, sizeof(*c));
		db_column_copy(st, 0, c->id, sizeof(c->id));
		c->level = db_column_int(st, 1);
		c->suggested = db_column_int(st, 2);
		c->figure = real_column(st, 3);
		c->figure_low = real_column(st, 4);
		c->figure_high = real_column(st, 5);
		c->reason = dup_column(st, 6);
		c->evidence = dup_column(st, 7);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return store_sql_fail(s, err, "cannot read an assessment");
	if (store_sql_prepare(s, &st,
		"SELECT criterion_id, url FROM assessment_link WHERE "
		"assessment_id = ? ORDER BY criterion_id, position", err) < 0)
		return -1;
	db_bind_int64(st, 1, a->id);
	while ((rc = db_step(st)) == DB_ROW) {
		const char *id = db_column_text(st, 0);
		size_t k;

		for (k = 0; k < a->ncriteria; k++)
			if (strcmp(a->criteria[k].id, id) == 0) {
				struct assessment_criterion *c =
					&a->criteria[k];

				c->links = xrealloc(c->links,
						    (c->nlinks + 1) *
						    sizeof(*c->links));
				c->links[c->nlinks++] = dup_column(st, 1);
				break;
			}
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return store_sql_fail(s, err, "cannot read an assessment");
	return 0;
}

static int read_answers(struct store *s, struct assessment *a,
			struct parity_error *err)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	if (store_sql_prepare(s, &st,
		"SELECT question_id, service_area, value FROM "
		"assessment_answer WHERE assessment_id = ? ORDER BY rowid",
		err) < 0)
		return -1;
	db_bind_int64(st, 1, a->id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct assessment_answer *x;

		a->answers = xgrow(a->answers, &cap, a->nanswers + 1,
				   sizeof(*a->answers));
		x = &a->answers[a->nanswers++];
		memset(x, 0, sizeof(*x));
		db_column_copy(st, 0, x->question, sizeof(x->question));
		db_column_copy(st, 1, x->service_area, sizeof(x->service_area));
		x->value = dup_column(st, 2);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return store_sql_fail(s, err, "cannot read an assessment");
	return 0;
}

static int read_actions(struct store *s, struct assessment *a,
			struct parity_error *err)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	if (store_sql_prepare(s, &st,
		"SELECT criterion_id, description, owner_role, due_date, "
		"status, coalesce(measure, ''), breakdown, ethnicity, level, "
		"service, coalesce(start_year, 0), start_value, "
		"start_numerator, start_denominator FROM assessment_action "
		"WHERE assessment_id = ? ORDER BY position", err) < 0)
		return -1;
	db_bind_int64(st, 1, a->id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct assessment_action *x;

		a->actions = xgrow(a->actions, &cap, a->nactions + 1,
				   sizeof(*a->actions));
		x = &a->actions[a->nactions++];
		memset(x, 0, sizeof(*x));
		db_column_copy(st, 0, x->criterion, sizeof(x->criterion));
		x->description = dup_column(st, 1);
		db_column_copy(st, 2, x->owner_role, sizeof(x->owner_role));
		db_column_copy(st, 3, x->due, sizeof(x->due));
		db_column_copy(st, 4, x->status, sizeof(x->status));
		db_column_copy(st, 5, x->measure, sizeof(x->measure));
		db_column_copy(st, 6, x->breakdown, sizeof(x->breakdown));
		db_column_copy(st, 7, x->ethnicity, sizeof(x->ethnicity));
		db_column_copy(st, 8, x->level, sizeof(x->level));
		db_column_copy(st, 9, x->service, sizeof(x->service));
		x->start_year = db_column_int(st, 10);
		x->start_value = real_column(st, 11);
		x->start_numerator = real_column(st, 12);
		x->start_denominator = real_column(st, 13);
	}
	db_finalize(st);
	if (rc != DB_DONE)
		return store_sql_fail(s, err, "cannot read an assessment");
	return 0;
}

static int read_body(struct store *s, struct assessment *a,
		     struct parity_error *err)
{
	if (read_criteria(s, a, err) < 0 || read_answers(s, a, err) < 0 ||
	    read_actions(s, a, err) < 0) {
		assessment_release(a);
		return -1;
	}
	return 0;
}

/* Run `st` (already bound) for at most one assessment. */
static int read_one(struct store *s, struct db_stmt *st, struct assessment *out,
		    struct parity_error *err)
{
	int rc = db_step(st);

	if (rc == DB_DONE) {
		db_finalize(st);
		return 0;
	}
	if (rc != DB_ROW) {
		db_finalize(st);
		return store_sql_fail(s, err, "cannot read an assessment");
	}
	read_header(st, out);
	db_finalize(st);
	return read_body(s, out, err) < 0 ? -1 : 1;
}

int store_assessment_find(struct store *s, const char *framework,
			  const char *area_code, int year, bool submitted_only,
			  struct assessment *out, struct parity_error *err)
{
	struct db_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_sql_prepare(s, &st, "SELECT " ASSESSMENT_COLUMNS
		"WHERE framework_id = ? AND area_code = ? AND year = ? AND "
		"(? = 0 OR state = 'submitted') ORDER BY version DESC LIMIT 1",
		err) < 0)
		return -1;
	db_bind_text(st, 1, framework, -1);
	db_bind_text(st, 2, area_code, -1);
	db_bind_int(st, 3, year);
	db_bind_int(st, 4, submitted_only);
	return read_one(s, st, out, err);
}

int store_assessment_get(struct store *s, int64_t id, struct assessment *out,
			 struct parity_error *err)
{
	struct db_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_sql_prepare(s, &st, "SELECT " ASSESSMENT_COLUMNS
			      "WHERE id = ?", err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	return read_one(s, st, out, err);
}

int store_assessments_list(struct store *s, const struct assessment_filter *f,
			   struct assessment **out, size_t *count,
			   struct parity_error *err)
{
	struct assessment *all = NULL;
	size_t n = 0, cap = 0, k;
	struct db_stmt *st;
	int rc;

	*out = NULL;
	*count = 0;
	if (store_sql_prepare(
		    s, &st,
		    "SELECT " ASSESSMENT_COLUMNS "a "
		    "WHERE (CAST(?1 AS TEXT) IS NULL OR framework_id = ?1) "
		    "AND (CAST(?2 AS TEXT) IS NULL OR area_code = ?2) "
		    "AND (?3 = 0 OR year = ?3) "
		    "AND (?4 = 0 OR state = 'submitted') AND (?5 = 0 OR "
		    "version = (SELECT max(b.version) FROM assessment b "
		    "WHERE b.framework_id = a.framework_id "
		    "AND b.area_code = a.area_code AND b.year = a.year "
		    "AND (?4 = 0 OR b.state = 'submitted'))) "
		    "ORDER BY framework_id, area_code, year, version",
		    err) < 0)
		return -1;
	db_bind_text_or_null(st, 1, f->framework);
	db_bind_text_or_null(st, 2, f->area_code);
	db_bind_int(st, 3, f->year);
	db_bind_int(st, 4, f->submitted_only);
	db_bind_int(st, 5, f->newest_only);
	while ((rc = db_step(st)) == DB_ROW) {
		all = xgrow(all, &cap, n + 1, sizeof(*all));
		read_header(st, &all[n++]);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(all);
		return store_sql_fail(s, err, "cannot list assessments");
	}
	for (k = 0; k < n; k++)
		if (read_body(s, &all[k], err) < 0) {
			assessments_free(all, n);
			return -1;
		}
	*out = all;
	*count = n;
	return 0;
}

/* ---- reviews ---- */

void review_release(struct review *r)
{
	size_t k;

	if (!r)
		return;
	for (k = 0; k < r->nentries; k++)
		free(r->entries[k].comment);
	free(r->entries);
	free(r->response);
	memset(r, 0, sizeof(*r));
}

int store_review_add(struct store *s, struct review *r,
		     struct parity_error *err)
{
	struct review old;
	struct db_stmt *st;
	int rc;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	rc = store_review_for(s, r->assessment_id, &old, err);
	if (rc < 0)
		return -1;
	if (rc > 0) {
		review_release(&old);
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"the assessment has a reviewer "
					"already: a review is never replaced");
	}
	if (store_sql_prepare(s, &st,
		"INSERT INTO review (assessment_id, reviewer_area, "
		"assigned_at, assigned_by) VALUES (?, ?, ?, ?)", err) < 0)
		return -1;
	db_bind_int64(st, 1, r->assessment_id);
	db_bind_text(st, 2, r->reviewer_area, -1);
	db_bind_int64(st, 3, r->assigned_at);
	db_bind_text(st, 4, r->assigned_by, -1);
	if (store_sql_step_done(s, st, "cannot assign a review", err) < 0)
		return -1;
	r->id = db_last_insert_id(store_db(s));
	return 0;
}

#define REVIEW_COLUMNS \
	"id, assessment_id, reviewer_area, assigned_at, assigned_by, " \
	"coalesce(signed_off_at, 0), coalesce(signed_off_by, ''), " \
	"response, coalesce(responded_at, 0), coalesce(responded_by, '') " \
	"FROM review "

static void read_review(struct db_stmt *st, struct review *r)
{
	memset(r, 0, sizeof(*r));
	r->id = db_column_int64(st, 0);
	r->assessment_id = db_column_int64(st, 1);
	db_column_copy(st, 2, r->reviewer_area, sizeof(r->reviewer_area));
	r->assigned_at = (long)db_column_int64(st, 3);
	db_column_copy(st, 4, r->assigned_by, sizeof(r->assigned_by));
	r->signed_off_at = (long)db_column_int64(st, 5);
	db_column_copy(st, 6, r->signed_off_by, sizeof(r->signed_off_by));
	if (!db_column_is_null(st, 7))
		r->response = dup_column(st, 7);
	r->responded_at = (long)db_column_int64(st, 8);
	db_column_copy(st, 9, r->responded_by, sizeof(r->responded_by));
}

static int read_entries(struct store *s, struct review *r,
			struct parity_error *err)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	if (store_sql_prepare(s, &st,
		"SELECT criterion_id, agree, level, comment, recorded_at, "
		"recorded_by FROM review_entry WHERE review_id = ? ORDER BY "
		"rowid", err) < 0)
		return -1;
	db_bind_int64(st, 1, r->id);
	while ((rc = db_step(st)) == DB_ROW) {
		struct review_entry *e;

		r->entries = xgrow(r->entries, &cap, r->nentries + 1,
				   sizeof(*r->entries));
		e = &r->entries[r->nentries++];
		memset(e, 0, sizeof(*e));
		db_column_copy(st, 0, e->criterion, sizeof(e->criterion));
		e->agree = db_column_int(st, 1) != 0;
		e->level = db_column_int(st, 2);
		e->comment = dup_column(st, 3);
		e->recorded_at = (long)db_column_int64(st, 4);
		db_column_copy(st, 5, e->recorded_by, sizeof(e->recorded_by));
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		review_release(r);
		return store_sql_fail(s, err, "cannot read a review");
	}
	return 0;
}

int store_review_for(struct store *s, int64_t assessment_id,
		     struct review *out, struct parity_error *err)
{
	struct db_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_sql_prepare(s, &st, "SELECT " REVIEW_COLUMNS
			      "WHERE assessment_id = ?", err) < 0)
		return -1;
	db_bind_int64(st, 1, assessment_id);
	rc = db_step(st);
	if (rc == DB_DONE) {
		db_finalize(st);
		return 0;
	}
	if (rc != DB_ROW) {
		db_finalize(st);
		return store_sql_fail(s, err, "cannot read a review");
	}
	read_review(st, out);
	db_finalize(st);
	return read_entries(s, out, err) < 0 ? -1 : 1;
}

int store_review_entry_put(struct store *s, int64_t review_id,
			   const struct review_entry *e,
			   struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st,
		"INSERT INTO review_entry (review_id, criterion_id, agree, "
		"level, comment, recorded_at, recorded_by) VALUES (?, ?, ?, "
		"?, ?, ?, ?) ON CONFLICT (review_id, criterion_id) DO UPDATE "
		"SET agree = excluded.agree, level = excluded.level, "
		"comment = excluded.comment, recorded_at = "
		"excluded.recorded_at, recorded_by = excluded.recorded_by",
		err) < 0)
		return -1;
	db_bind_int64(st, 1, review_id);
	db_bind_text(st, 2, e->criterion, -1);
	db_bind_int(st, 3, e->agree);
	db_bind_int(st, 4, e->level);
	db_bind_text(st, 5, e->comment ? e->comment : "", -1);
	db_bind_int64(st, 6, e->recorded_at);
	db_bind_text(st, 7, e->recorded_by, -1);
	return store_sql_step_done(s, st, "cannot record a review", err);
}

int store_review_sign_off(struct store *s, int64_t id, const char *by,
			  long at, struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st,
		"UPDATE review SET signed_off_at = ?, signed_off_by = ? "
		"WHERE id = ?", err) < 0)
		return -1;
	db_bind_int64(st, 1, at);
	db_bind_text(st, 2, by, -1);
	db_bind_int64(st, 3, id);
	return store_sql_step_done(s, st, "cannot sign a review off", err);
}

int store_review_respond(struct store *s, int64_t id, const char *text,
			 const char *by, long at, struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_need_transaction(s, err) < 0 ||
	    store_sql_prepare(s, &st,
		"UPDATE review SET response = ?, responded_at = ?, "
		"responded_by = ? WHERE id = ?", err) < 0)
		return -1;
	db_bind_text(st, 1, text, -1);
	db_bind_int64(st, 2, at);
	db_bind_text(st, 3, by, -1);
	db_bind_int64(st, 4, id);
	return store_sql_step_done(s, st, "cannot record a response", err);
}

int store_reviews_list(struct store *s, const char *reviewer_area,
		       struct review **out, size_t *count,
		       struct parity_error *err)
{
	struct review *all = NULL;
	size_t n = 0, cap = 0, k;
	struct db_stmt *st;
	int rc;

	*out = NULL;
	*count = 0;
	if (store_sql_prepare(s, &st, "SELECT " REVIEW_COLUMNS
		"WHERE CAST(?1 AS TEXT) IS NULL OR reviewer_area = ?1 "
		"ORDER BY id", err) < 0)
		return -1;
	db_bind_text_or_null(st, 1, reviewer_area);
	while ((rc = db_step(st)) == DB_ROW) {
		all = xgrow(all, &cap, n + 1, sizeof(*all));
		read_review(st, &all[n++]);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		for (k = 0; k < n; k++)
			review_release(&all[k]);
		free(all);
		return store_sql_fail(s, err, "cannot list reviews");
	}
	for (k = 0; k < n; k++)
		if (read_entries(s, &all[k], err) < 0) {
			size_t j;

			for (j = 0; j < n; j++)
				review_release(&all[j]);
			free(all);
			return -1;
		}
	*out = all;
	*count = n;
	return 0;
}
