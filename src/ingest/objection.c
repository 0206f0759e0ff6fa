/*
 * objection.c - recording an objection, and the aggregates made again
 * without the objector (see objection.h).
 */
#include "ingest/objection.h"

#include "base/alloc.h"
#include "base/utf8.h"
#include "ingest/check.h"
#include "ingest/tally.h"
#include "store/objection.h"
#include "store/retention.h"
#include "store/pseudonym.h"

#include <stdlib.h>
#include <string.h>

/* Whether a walk of a return's records met `person`. */
struct finding {
	const unsigned char *person;
	bool found;
};

static int find_staff(void *ctx, const struct store_staff *r)
{
	struct finding *f = ctx;

	f->found = memcmp(r->person, f->person, PSEUDONYM_BYTES) == 0;
	return f->found;
}

static int find_applicant(void *ctx, const struct store_applicant *r)
{
	struct finding *f = ctx;

	f->found = memcmp(r->person, f->person, PSEUDONYM_BYTES) == 0;
	return f->found;
}

static int tally_staff(void *ctx, const struct store_staff *r)
{
	return_tally_staff(ctx, r);
	return 0;
}

static int tally_applicant(void *ctx, const struct store_applicant *r)
{
	return_tally_applicant(ctx, r);
	return 0;
}

int objection_remake(struct store *s, const struct store_submission *sub,
		     struct parity_error *err)
{
	struct return_tally t;
	int rc;

	return_tally_init(&t);
	rc = sub->kind == STORE_WORKFORCE
		     ? store_staff_each(s, sub->id, tally_staff, &t, err)
		     : store_applicant_each(s, sub->id, tally_applicant, &t,
					    err);
	if (rc == 0 && (store_aggregates_remove(s, sub->id, err) < 0 ||
			return_tally_write(s, sub->id, &t, err) < 0))
		rc = -1;
	return_tally_release(&t);
	return rc < 0 ? -1 : 0;
}

/* The id as an import reads a field (checker_trim()), as a string. */
static char *trim_id(const char *id)
{
	const char *start = id, *end = id + strlen(id);
	char *out;

	checker_trim(&start, &end);
	out = xmalloc((size_t)(end - start) + 1);
	memcpy(out, start, (size_t)(end - start));
	out[end - start] = '\0';
	return out;
}

/* Into res->remade: the returns of the council and kind that hold a
 * record of `person` (read before the objection leaves it out). */
static int returns_holding(struct store *s, const char *area_code,
			   enum store_kind kind,
			   const unsigned char *person,
			   struct objection_result *res,
			   struct parity_error *err)
{
	struct store_filter filter = { area_code, 0, (int)kind, false };
	struct store_submission *list;
	size_t n, k;
	int rc = 0;

	if (store_submissions_list(s, &filter, &list, &n, err) < 0)
		return -1;
	res->remade = xcalloc(n + 1, sizeof(*res->remade));
	for (k = 0; k < n && rc == 0; k++) {
		struct finding f = { person, false };
		char at[32];

		/* a return whose records went under retention holds none */
		rc = store_records_removed_at(s, list[k].id, at, sizeof(at),
					      err);
		if (rc != 0) {
			rc = rc < 0 ? -1 : 0;
			continue;
		}
		rc = kind == STORE_WORKFORCE
			     ? store_staff_each(s, list[k].id, find_staff, &f,
						err)
			     : store_applicant_each(s, list[k].id,
						    find_applicant, &f, err);
		if (rc >= 0) {
			rc = 0;
			if (f.found)
				res->remade[res->nremade++] = list[k];
		}
	}
	free(list);
	return rc;
}

int objection_record(struct store *s, const char *area_code,
		     enum store_kind kind, const char *id, const char *by,
		     struct objection_result *res, struct parity_error *err)
{
	unsigned char person[PSEUDONYM_BYTES];
	char *trimmed = trim_id(id);
	size_t k;

	memset(res, 0, sizeof(*res));
	if (!trimmed[0]) {
		free(trimmed);
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the id is blank");
	}
	if (utf8_length(trimmed) > PSEUDONYM_ID_MAX) {
		free(trimmed);
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the id is longer than any a return "
					"may give (%d characters)",
					PSEUDONYM_ID_MAX);
	}
	checker_person(store_key(s), kind, area_code, trimmed, person);
	free(trimmed);
	if (store_begin(s, err) < 0)
		return -1;
	if (returns_holding(s, area_code, kind, person, res, err) < 0 ||
	    store_objection_add(s, area_code, kind, person, by, &res->added,
				err) < 0)
		goto fail;
	if (!res->added) {
		res->nremade = 0;
		store_rollback(s);
		return 0;
	}
	for (k = 0; k < res->nremade; k++)
		if (objection_remake(s, &res->remade[k], err) < 0)
			goto fail;
	if (store_commit(s, err) < 0)
		goto fail;
	return 0;
fail:
	store_rollback(s);
	objection_result_release(res);
	return -1;
}

void objection_result_release(struct objection_result *r)
{
	free(r->remade);
	memset(r, 0, sizeof(*r));
}
