/*
 * labels.c - the ethnicity labels the returns carried, in the SQLite store
 * (see store.h, "labels seen", and migration 0006): how each distinct
 * label of a submission was read (submission_label), and the labels that
 * failed imports refused (refused_label), kept without their rows.
 */
#include "store/store.h"

#include "base/alloc.h"
#include "base/strbuf.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int store_labels_add(struct store *s, int64_t submission,
		     const struct store_label *labels, size_t count,
		     struct parity_error *err)
{
	struct db_stmt *st;
	size_t k;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	if (count == 0)
		return 0;
	if (store_sql_prepare(s, &st, "INSERT INTO submission_label "
			      "(submission_id, label, records, category, rule) "
			      "VALUES (?1, ?2, ?3, ?4, ?5)", err) < 0)
		return -1;
	for (k = 0; k < count; k++) {
		db_bind_int64(st, 1, submission);
		db_bind_text(st, 2, labels[k].label, -1);
		db_bind_int64(st, 3, labels[k].records);
		db_bind_text(st, 4, labels[k].category, -1);
		db_bind_text(st, 5, labels[k].rule, -1);
		if (db_step(st) != DB_DONE) {
			store_sql_fail(s, err, "cannot record the labels");
			db_finalize(st);
			return -1;
		}
		db_reset(st);
	}
	db_finalize(st);
	return 0;
}

int store_labels_each(struct store *s, int64_t submission, store_label_fn fn,
		      void *ctx, struct parity_error *err)
{
	struct db_stmt *st;
	int rc, stop = 0;

	if (store_sql_prepare(s, &st, "SELECT label, records, category, rule "
			      "FROM submission_label WHERE submission_id = ?1 "
			      "ORDER BY label", err) < 0)
		return -1;
	db_bind_int64(st, 1, submission);
	while ((rc = db_step(st)) == DB_ROW) {
		struct store_label l;

		l.label = db_column_text(st, 0);
		l.records = (long)db_column_int64(st, 1);
		l.category = db_column_text(st, 2);
		l.rule = db_column_text(st, 3);
		if (!l.label)
			l.label = "";
		if (!l.category)
			l.category = "";
		if (!l.rule)
			l.rule = "";
		stop = fn(ctx, &l);
		if (stop)
			break;
	}
	db_finalize(st);
	if (stop)
		return stop;
	if (rc != DB_DONE)
		return store_sql_fail(s, err, "cannot read the labels");
	return 0;
}

/*
 * The conditions of a label filter on a table with columns kind, area_code
 * and year (prefixed by `table`): parameters ?1 the year, ?2 the kind,
 * ?3... the areas.
 */
static void filter_sql(struct strbuf *sql, const char *table,
		       const struct store_label_filter *f)
{
	size_t k;

	strbuf_addf(
		sql,
		" (?1 = 0 OR %s.year = ?1) AND (CAST(?2 AS TEXT) IS NULL OR "
		"%s.kind = ?2)",
		table, table);
	if (!f->area_codes)
		return;
	strbuf_addf(sql, " AND %s.area_code IN (", table);
	for (k = 0; k < f->area_count; k++)
		strbuf_addf(sql, "%s?%zu", k ? ", " : "", k + 3);
	if (f->area_count == 0)
		strbuf_addf(sql, "NULL");
	strbuf_addf(sql, ")");
}

static void filter_bind(struct db_stmt *st, const struct store_label_filter *f)
{
	size_t k;

	db_bind_int(st, 1, f->year);
	if (f->kind >= 0 && f->kind < STORE_KIND_COUNT)
		db_bind_text(st, 2, store_kind_name((enum store_kind)
							 f->kind), -1);
	if (f->area_codes)
		for (k = 0; k < f->area_count; k++)
			db_bind_text(st, (int)k + 3, f->area_codes[k], -1);
}

int store_label_totals(struct store *s, const struct store_label_filter *f,
		       struct store_label_total **out, size_t *count,
		       struct parity_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	struct store_label_total *list = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st;
	int rc;

	*out = NULL;
	*count = 0;
	strbuf_addf(&sql, "SELECT l.label, sum(l.records), count(*), "
		    "l.category, l.rule FROM submission_label l "
		    "JOIN submission s ON s.id = l.submission_id "
		    "WHERE s.status = 'current' AND");
	filter_sql(&sql, "s", f);
	strbuf_addf(&sql, " GROUP BY l.label, l.category, l.rule "
		    "ORDER BY sum(l.records) DESC, l.label, l.category, l.rule");
	rc = store_sql_prepare(s, &st, sql.buf, err);
	strbuf_release(&sql);
	if (rc < 0)
		return -1;
	filter_bind(st, f);
	while ((rc = db_step(st)) == DB_ROW) {
		struct store_label_total *t;

		list = xgrow(list, &cap, n + 1, sizeof(*list));
		t = &list[n++];
		memset(t, 0, sizeof(*t));
		db_column_copy(st, 0, t->label, sizeof(t->label));
		t->records = (long)db_column_int64(st, 1);
		t->returns = (long)db_column_int64(st, 2);
		db_column_copy(st, 3, t->category, sizeof(t->category));
		db_column_copy(st, 4, t->rule, sizeof(t->rule));
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(list);
		return store_sql_fail(s, err, "cannot read the labels");
	}
	*out = list;
	*count = n;
	return 0;
}

/* Inside a transaction: run `sql` with a return's key bound as ?1 kind,
 * ?2 subject, ?3 area, ?4 year. */
static int for_return(struct store *s, const char *sql, enum store_kind kind,
		      const char *subject, const char *area_code, int year,
		      const char *what, struct parity_error *err)
{
	struct db_stmt *st;

	if (store_sql_prepare(s, &st, sql, err) < 0)
		return -1;
	db_bind_text(st, 1, store_kind_name(kind), -1);
	db_bind_text(st, 2, subject ? subject : "", -1);
	db_bind_text(st, 3, area_code, -1);
	db_bind_int(st, 4, year);
	return store_sql_step_done(s, st, what, err);
}

int store_refused_labels_clear(struct store *s, enum store_kind kind,
			       const char *subject, const char *area_code,
			       int year, struct parity_error *err)
{
	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	return for_return(s, "DELETE FROM refused_label WHERE kind = ?1 AND "
			  "subject = ?2 AND area_code = ?3 AND year = ?4",
			  kind, subject, area_code, year,
			  "cannot clear the refused labels", err);
}

static bool same_return(const struct store_refused_label *a,
			const struct store_refused_label *b)
{
	return a->kind == b->kind && a->year == b->year &&
	       strcmp(a->subject, b->subject) == 0 &&
	       strcmp(a->area_code, b->area_code) == 0;
}

int store_refused_labels_keep(struct store *s,
			      const struct store_refused_label *labels,
			      size_t count, struct parity_error *err)
{
	struct db_stmt *st = NULL;
	size_t k, j;

	if (count == 0)
		return 0;
	if (store_begin(s, err) < 0)
		return -1;
	/* each return's earlier refused labels go, once */
	for (k = 0; k < count; k++) {
		for (j = 0; j < k && !same_return(&labels[j], &labels[k]); j++)
			;
		if (j < k)
			continue;
		if (store_refused_labels_clear(s, labels[k].kind,
					       labels[k].subject,
					       labels[k].area_code,
					       labels[k].year, err) < 0)
			goto fail;
	}
	if (store_sql_prepare(
		    s, &st,
		    "INSERT INTO refused_label (kind, "
		    "subject, area_code, year, label, records, "
		    "refused_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) "
		    "ON CONFLICT (kind, subject, area_code, year, "
		    "label) DO UPDATE SET records = refused_label.records + "
		    "excluded.records",
		    err) < 0)
		goto fail;
	for (k = 0; k < count; k++) {
		const struct store_refused_label *l = &labels[k];

		if (l->records <= 0)
			continue; /* a return that refused none: cleared */
		db_bind_text(st, 1, store_kind_name(l->kind), -1);
		db_bind_text(st, 2, l->subject, -1);
		db_bind_text(st, 3, l->area_code, -1);
		db_bind_int(st, 4, l->year);
		db_bind_text(st, 5, l->label, -1);
		db_bind_int64(st, 6, l->records);
		db_bind_text(st, 7, l->refused_at, -1);
		if (db_step(st) != DB_DONE) {
			store_sql_fail(s, err, "cannot keep the refused labels");
			goto fail;
		}
		db_reset(st);
	}
	db_finalize(st);
	return store_commit(s, err);
fail:
	db_finalize(st);
	store_rollback(s);
	return -1;
}

int store_refused_labels_list(struct store *s,
			      const struct store_label_filter *f,
			      struct store_refused_label **out, size_t *count,
			      struct parity_error *err)
{
	struct strbuf sql = STRBUF_INIT;
	struct store_refused_label *list = NULL;
	size_t n = 0, cap = 0;
	struct db_stmt *st;
	int rc;

	*out = NULL;
	*count = 0;
	strbuf_addf(&sql, "SELECT r.kind, r.subject, r.area_code, r.year, "
		    "r.label, r.records, r.refused_at FROM refused_label r "
		    "WHERE");
	filter_sql(&sql, "r", f);
	strbuf_addf(&sql, " ORDER BY r.records DESC, r.label, r.kind, "
		    "r.subject, r.area_code, r.year");
	rc = store_sql_prepare(s, &st, sql.buf, err);
	strbuf_release(&sql);
	if (rc < 0)
		return -1;
	filter_bind(st, f);
	while ((rc = db_step(st)) == DB_ROW) {
		struct store_refused_label *l;
		char kind[32];
		enum store_kind k = STORE_WORKFORCE;

		list = xgrow(list, &cap, n + 1, sizeof(*list));
		l = &list[n++];
		memset(l, 0, sizeof(*l));
		db_column_copy(st, 0, kind, sizeof(kind));
		(void)store_kind_parse(kind, &k);
		l->kind = k;
		db_column_copy(st, 1, l->subject, sizeof(l->subject));
		db_column_copy(st, 2, l->area_code, sizeof(l->area_code));
		l->year = db_column_int(st, 3);
		db_column_copy(st, 4, l->label, sizeof(l->label));
		l->records = (long)db_column_int64(st, 5);
		db_column_copy(st, 6, l->refused_at, sizeof(l->refused_at));
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(list);
		return store_sql_fail(s, err, "cannot read the refused labels");
	}
	*out = list;
	*count = n;
	return 0;
}
