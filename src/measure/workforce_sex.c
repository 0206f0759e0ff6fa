/*
 * workforce_sex.c - the workforce measures by sex (see workforce_sex.h):
 * the staff records of an area's returns folded by sex and ethnicity, then
 * measured one sex at a time.
 */
#include "measure/workforce_sex.h"

#include "base/alloc.h"
#include "measure/pooled.h"
#include "measure/stats.h"

#include <stdlib.h>
#include <string.h>

struct folding {
	struct store_aggregates *out; /* SEX_COUNT of them */
	size_t cap[SEX_COUNT][ETH_COUNT];
};

static int fold_one(void *ctx, const struct store_staff *r)
{
	struct folding *f = ctx;
	enum sex s = sex_of(r->sex);
	struct store_aggregates *a = &f->out[s];
	size_t e = (size_t)r->ethnicity, k;

	if (e >= ETH_COUNT)
		return 0;
	a->pay[e] = xgrow(a->pay[e], &f->cap[s][e],
			  a->pay_count[e] + 1, sizeof(*a->pay[e]));
	a->pay[e][a->pay_count[e]++] = r->annual_salary;
	for (k = 0; k < STORE_EVENT_COUNT; k++)
		store_event_count_add(&a->events[k][e], r->events[k]);
	return 0;
}

int workforce_sex_fold(struct store *store, const int64_t *ids, size_t n,
		       struct store_aggregates out[SEX_COUNT],
		       struct parity_error *err)
{
	struct folding f;
	struct store_submission sub;
	size_t k, s, e;
	int rc = 0;

	memset(out, 0, SEX_COUNT * sizeof(*out));
	memset(&f, 0, sizeof(f));
	f.out = out;
	for (k = 0; k < n && rc == 0; k++) {
		rc = store_submission_get(store, ids[k], &sub, err);
		if (rc < 0 || sub.kind != STORE_WORKFORCE)
			continue;
		for (s = 0; s < SEX_COUNT; s++) {
			out[s].submission_count++;
			out[s].workforce_count++;
			if (sub.classification == 2011)
				out[s].classification_2011_count++;
		}
		rc = store_staff_each(store, ids[k], fold_one, &f, err);
	}
	if (rc != 0) {
		for (s = 0; s < SEX_COUNT; s++)
			store_aggregates_release(&out[s]);
		return -1;
	}
	for (s = 0; s < SEX_COUNT; s++)
		for (e = 0; e < ETH_COUNT; e++)
			if (out[s].pay_count[e] > 1)
				stats_sort_salaries(out[s].pay[e],
						    out[s].pay_count[e]);
	return 0;
}

int pooled_workforce_sex_measures(struct store *store,
				  const struct area_set *areas, int area,
				  int year,
				  const struct workforce_options *opt,
				  struct tidy_table *out,
				  struct parity_error *err)
{
	struct store_aggregates by_sex[SEX_COUNT];
	int *covered = xcalloc(areas->count, sizeof(*covered));
	int64_t *ids = xcalloc(areas->count, sizeof(*ids));
	size_t k, ncovered = 0;
	int rc = -1;

	memset(by_sex, 0, sizeof(by_sex));
	if (pooled_workforce_covered(store, areas, area, year, covered, ids,
				     &ncovered, err) < 0)
		goto out;
	if (ncovered == 0) {
		rc = 1;
		goto out;
	}
	if (workforce_sex_fold(store, ids, ncovered, by_sex, err) < 0)
		goto out;
	rc = 0;
	for (k = 0; k < SEX_COUNT && rc >= 0; k++)
		rc = workforce_sex_measures(&by_sex[k], areas, area, covered,
					    ncovered, year, opt,
					    sex_label((enum sex)k),
					    k >= SEX_OTHER, out, err);
	if (rc > 0)
		rc = 0; /* a sex with no staff: no rows of it */
	for (k = 0; k < SEX_COUNT; k++)
		store_aggregates_release(&by_sex[k]);
out:
	free(ids);
	free(covered);
	return rc;
}
