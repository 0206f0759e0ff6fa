/*
 * objection.c - the objections a store keeps, and the sets that leave
 * objectors' records out of every reading (see objection.h).
 */
#include "store/objection.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "store/store_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int compare_person(const void *a, const void *b)
{
	return memcmp(a, b, PSEUDONYM_BYTES);
}

/* The rows of `st` (one column: a person), sorted into *out; `st` is
 * finalised. */
static int read_set(struct store *s, struct db_stmt *st,
		    struct objection_set *out, struct parity_error *err)
{
	size_t cap = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	while ((rc = db_step(st)) == DB_ROW) {
		if (db_column_bytes(st, 0) != PSEUDONYM_BYTES)
			continue;
		out->person = xgrow(out->person, &cap, out->count + 1,
				    sizeof(*out->person));
		memcpy(out->person[out->count++], db_column_blob(st, 0),
		       PSEUDONYM_BYTES);
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		objection_set_release(out);
		return store_sql_fail(s, err, "cannot read the objections");
	}
	if (out->count > 1)
		qsort(out->person, out->count, sizeof(*out->person),
		      compare_person);
	return 0;
}

int store_objection_set(struct store *s, int64_t id,
			struct objection_set *out, struct parity_error *err)
{
	struct db_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_sql_prepare(s, &st,
			      "SELECT o.person FROM objection o "
			      "JOIN submission s ON s.area_code = o.area_code "
			      "AND s.kind = o.kind WHERE s.id = ?1", err) < 0)
		return -1;
	db_bind_int64(st, 1, id);
	return read_set(s, st, out, err);
}

int store_objection_set_for(struct store *s, const char *area_code,
			    enum store_kind kind, struct objection_set *out,
			    struct parity_error *err)
{
	struct db_stmt *st;

	memset(out, 0, sizeof(*out));
	if (store_sql_prepare(s, &st,
			      "SELECT person FROM objection "
			      "WHERE area_code = ?1 AND kind = ?2", err) < 0)
		return -1;
	db_bind_text(st, 1, area_code, -1);
	db_bind_text(st, 2, store_kind_name(kind), -1);
	return read_set(s, st, out, err);
}

bool objection_set_has(const struct objection_set *set,
		       const unsigned char person[PSEUDONYM_BYTES])
{
	return set->count &&
	       bsearch(person, set->person, set->count, sizeof(*set->person),
		       compare_person) != NULL;
}

void objection_set_release(struct objection_set *set)
{
	free(set->person);
	memset(set, 0, sizeof(*set));
}

int store_objection_add(struct store *s, const char *area_code,
			enum store_kind kind,
			const unsigned char person[PSEUDONYM_BYTES],
			const char *by, bool *added,
			struct parity_error *err)
{
	char now[CLOCK_UTC_SIZE];
	struct db_stmt *st;

	*added = false;
	if (kind != STORE_WORKFORCE && kind != STORE_RECRUITMENT)
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"an objection is to a workforce or "
					"recruitment return's records");
	if (store_sql_need_transaction(s, err) < 0 ||
	    clock_utc_now(now, sizeof(now), err) < 0 ||
	    store_sql_prepare(s, &st,
			      "INSERT INTO objection (area_code, kind, person, "
			      "made_at, made_by) VALUES (?1, ?2, ?3, ?4, ?5) "
			      "ON CONFLICT DO NOTHING", err) < 0)
		return -1;
	db_bind_text(st, 1, area_code, -1);
	db_bind_text(st, 2, store_kind_name(kind), -1);
	db_bind_blob(st, 3, person, PSEUDONYM_BYTES);
	db_bind_text(st, 4, now, -1);
	db_bind_text(st, 5, by, -1);
	if (store_sql_step_done(s, st, "cannot record the objection", err) < 0)
		return -1;
	*added = db_changes(store_db(s)) > 0;
	return 0;
}

int store_objections_count(struct store *s,
			   struct store_objection_count **out, size_t *n,
			   struct parity_error *err)
{
	struct db_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_sql_prepare(s, &st,
			      "SELECT area_code, kind, count(*), max(made_at) "
			      "FROM objection GROUP BY area_code, kind "
			      "ORDER BY area_code, kind", err) < 0)
		return -1;
	while ((rc = db_step(st)) == DB_ROW) {
		struct store_objection_count *c;

		*out = xgrow(*out, &cap, *n + 1, sizeof(**out));
		c = &(*out)[(*n)++];
		memset(c, 0, sizeof(*c));
		snprintf(c->area_code, sizeof(c->area_code), "%s",
			 db_column_text(st, 0));
		if (store_kind_parse(db_column_text(st, 1),
				     &c->kind) < 0)
			c->kind = STORE_WORKFORCE;
		c->count = (long)db_column_int64(st, 2);
		snprintf(c->latest, sizeof(c->latest), "%s",
			 db_column_text(st, 3));
	}
	db_finalize(st);
	if (rc != DB_DONE) {
		free(*out);
		*out = NULL;
		*n = 0;
		return store_sql_fail(s, err, "cannot read the objections");
	}
	return 0;
}

int store_aggregates_remove(struct store *s, int64_t id,
			    struct parity_error *err)
{
	static const char *const sql[] = {
		"DELETE FROM staff_pay WHERE submission_id = ?1",
		"DELETE FROM staff_event WHERE submission_id = ?1",
		"DELETE FROM applicant_count WHERE submission_id = ?1",
	};
	struct db_stmt *st;
	size_t k;

	if (store_sql_need_transaction(s, err) < 0)
		return -1;
	for (k = 0; k < sizeof(sql) / sizeof(sql[0]); k++) {
		if (store_sql_prepare(s, &st, sql[k], err) < 0)
			return -1;
		db_bind_int64(st, 1, id);
		if (store_sql_step_done(s, st, "cannot remove the aggregates",
					err) < 0)
			return -1;
	}
	return 0;
}
