/*
 * pooled.c - an area's figures from the pooled returns of its boroughs
 * (see pooled.h): the gathering that `parity report` and the site share.
 */
#include "measure/pooled.h"

#include "base/alloc.h"
#include "store/store.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

int pooled_workforce_returns(struct store *store,
			     const struct area_set *areas, int year,
			     bool *out, struct parity_error *err)
{
	struct store_current current;
	size_t k;

	if (store_current_load(store, STORE_WORKFORCE, year, &current,
			       err) < 0)
		return -1;
	for (k = 0; k < areas->count; k++)
		out[k] = (areas->areas[k].type == AREA_BOROUGH ||
			  areas->areas[k].type == AREA_LOCAL_AUTHORITY) &&
			 store_current_id(&current, areas->areas[k].code) != 0;
	store_current_release(&current);
	return 0;
}

int pooled_workforce_covered(struct store *store,
			     const struct area_set *areas, int area, int year,
			     int *covered, int64_t *ids, size_t *count,
			     struct parity_error *err)
{
	struct store_current current;
	int *leaves;
	size_t n, k;

	*count = 0;
	if (store_current_load(store, STORE_WORKFORCE, year, &current,
			       err) < 0)
		return -1;
	leaves = xcalloc(areas->count, sizeof(*leaves));
	n = area_leaves(areas, area, leaves);
	for (k = 0; k < n; k++) {
		int64_t id = store_current_id(&current,
					      areas->areas[leaves[k]].code);

		if (!id)
			continue;
		if (ids)
			ids[*count] = id;
		covered[(*count)++] = leaves[k];
	}
	free(leaves);
	store_current_release(&current);
	return 0;
}

int pooled_workforce_measures(struct store *store,
			      const struct area_set *areas, int area, int year,
			      const struct workforce_options *opt,
			      struct tidy_table *out, struct parity_error *err)
{
	struct store_aggregates now, before;
	const char **codes = xcalloc(areas->count, sizeof(*codes));
	int *covered = xcalloc(areas->count, sizeof(*covered));
	size_t k, ncovered = 0;
	int rc = -1;

	memset(&now, 0, sizeof(now));
	memset(&before, 0, sizeof(before));
	if (pooled_workforce_covered(store, areas, area, year, covered, NULL,
				     &ncovered, err) < 0)
		goto out;
	if (ncovered == 0) {
		rc = 1;
		goto out;
	}
	for (k = 0; k < ncovered; k++)
		codes[k] = areas->areas[covered[k]].code;
	if (store_aggregates_load(store, codes, ncovered, year, &now, err) < 0 ||
	    store_aggregates_load(store, codes, ncovered, year - 1, &before,
				  err) < 0)
		goto out;
	rc = workforce_measures(&now,
				before.workforce_count == ncovered ? &before
								   : NULL,
				areas, area, covered, ncovered, year, opt, out,
				err);
out:
	store_aggregates_release(&now);
	store_aggregates_release(&before);
	free(covered);
	free(codes);
	return rc;
}

/* Whether `r` measures the same thing as a row of `t` from `from` on:
 * the same measure, area, year, group and breakdown. */
static bool already_given(const struct tidy_table *t, size_t from,
			  const struct tidy_row *r)
{
	size_t k;

	for (k = from; k < t->count; k++) {
		const struct tidy_row *o = &t->rows[k];

		if (o->year == r->year && strcmp(o->measure, r->measure) == 0 &&
		    strcmp(o->ethnicity, r->ethnicity) == 0 &&
		    strcmp(o->breakdown, r->breakdown) == 0 &&
		    strcmp(o->area_code, r->area_code) == 0)
			return true;
	}
	return false;
}

int pooled_workforce_both_levels(struct store *store,
				 const struct area_set *areas, int area,
				 int year, const struct workforce_options *opt,
				 const struct tidy_table *london,
				 struct tidy_table *out,
				 struct parity_error *err)
{
	struct workforce_options level = *opt;
	struct tidy_table detailed;
	size_t from = out->count, k;
	int rc;

	level.level = ETH_LEVEL_HIGH;
	rc = pooled_workforce_measures(store, areas, area, year, &level, out,
				       err);
	if (rc != 0)
		return rc;
	if (london && areas->areas[area].type == AREA_BOROUGH)
		workforce_funnel(london, out, from);
	level.level = ETH_LEVEL_DETAILED;
	tidy_table_init(&detailed);
	rc = pooled_workforce_measures(store, areas, area, year, &level,
				       &detailed, err);
	for (k = 0; rc == 0 && k < detailed.count; k++)
		if (!already_given(out, from, &detailed.rows[k]))
			tidy_table_append_row(out, &detailed.rows[k]);
	tidy_table_free(&detailed);
	return rc < 0 ? -1 : 0;
}

int pooled_service_measures(struct store *store, const struct area_set *areas,
			    const struct service_def *def,
			    const struct service_area *area, int year,
			    const struct service_options *opt,
			    struct tidy_table *out, struct parity_error *err)
{
	struct service_counts now, before;
	const char **codes = xcalloc(areas->count + 1, sizeof(*codes));
	int *leaves = xcalloc(areas->count + 1, sizeof(*leaves));
	size_t n, k;
	int rc = -1;

	memset(&now, 0, sizeof(now));
	memset(&before, 0, sizeof(before));
	if (area->index < 0) {
		codes[0] = area->code;
		n = 1;
	} else {
		n = area_leaves(areas, area->index, leaves);
		for (k = 0; k < n; k++)
			codes[k] = areas->areas[leaves[k]].code;
	}
	if (service_counts_load(store, def, codes, n, year, &now, err) < 0 ||
	    service_counts_load(store, def, codes, n, year - 1, &before,
				err) < 0)
		goto out;
	if (now.returns == 0) {
		rc = 1;
		goto out;
	}
	rc = service_measures(&now, before.returns ? &before : NULL, area, opt,
			      out, err);
out:
	service_counts_release(&now);
	service_counts_release(&before);
	free(leaves);
	free(codes);
	return rc;
}

int pooled_attainment_measures(struct store *store,
			       const struct area_set *areas, int index,
			       const struct attainment_area *area,
			       const struct attainment_options *opt,
			       struct tidy_table *out,
			       struct parity_error *err)
{
	struct attainment_data data;
	const char **codes = xcalloc(areas->count + 1, sizeof(*codes));
	int *leaves = xcalloc(areas->count + 1, sizeof(*leaves));
	size_t n, k;
	int rc = -1;

	if (index < 0) {
		codes[0] = area->code;
		n = 1;
	} else {
		n = area_leaves(areas, index, leaves);
		for (k = 0; k < n; k++)
			codes[k] = areas->areas[leaves[k]].code;
	}
	if (attainment_data_load(store, codes, n, &data, err) < 0)
		goto out;
	rc = data.nyears == 0 ? 1
			      : attainment_measures(&data, area, opt, out, err);
out:
	attainment_data_release(&data);
	free(leaves);
	free(codes);
	return rc;
}
