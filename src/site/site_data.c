/*
 * site_data.c - gathering a publication's tables from the store (see
 * site_data.h). The same pooling as `parity report workforce --all-areas
 * --level high` and `parity report service --all-areas`: an area's figures
 * come from the pooled returns of its boroughs, never from averages, and a
 * borough without a return for the year is left out rather than shown
 * empty. Nothing here is disclosure-controlled yet; site.c does that.
 */
#include "site/site_data.h"

#include "base/alloc.h"
#include "domain/ethnicity.h"
#include "measure/service.h"
#include "measure/workforce.h"
#include "store/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One area's workforce measures: 1 when no borough of it has a return,
 * 0 done, -1 on error. */
static int workforce_area(struct store *store, const struct area_set *areas,
			  int area, int year,
			  const struct workforce_options *opt,
			  struct tidy_table *out, struct parity_error *err)
{
	struct store_aggregates now, before;
	struct store_submission sub;
	const char **codes = xcalloc(areas->count, sizeof(*codes));
	int *leaves = xcalloc(areas->count, sizeof(*leaves));
	int *covered = xcalloc(areas->count, sizeof(*covered));
	size_t n, k, ncovered = 0;
	int rc = -1, has;

	memset(&now, 0, sizeof(now));
	memset(&before, 0, sizeof(before));
	n = area_leaves(areas, area, leaves);
	for (k = 0; k < n; k++) {
		codes[k] = areas->areas[leaves[k]].code;
		has = store_submission_current(store, STORE_WORKFORCE, codes[k],
					       year, &sub, err);
		if (has < 0)
			goto out;
		if (has)
			covered[ncovered++] = leaves[k];
	}
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
	free(leaves);
	free(codes);
	return rc;
}

static int load_workforce(struct store *store, const struct area_set *areas,
			  const struct benchmark *census, int year,
			  struct tidy_table *out, struct parity_error *err)
{
	struct workforce_options opt;
	struct tidy_table london;
	int london_at = area_london(areas);
	size_t k;
	int rc;

	workforce_options_init(&opt);
	opt.level = ETH_LEVEL_HIGH;
	opt.benchmark = census;
	tidy_table_init(&london);
	rc = workforce_area(store, areas, london_at, year, &opt, &london, err);
	if (rc != 0) {
		tidy_table_free(&london);
		if (rc > 0)
			return parity_error_set(
				err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				"no workforce returns for %d are in the store "
				"(see `parity returns list`)", year);
		return -1;
	}
	tidy_table_append(out, &london);
	/* Inner and Outer London, then the boroughs, in the areas' order. */
	for (k = 0; k < areas->count && rc >= 0; k++) {
		size_t from = out->count;

		if ((int)k == london_at ||
		    !area_within(areas, (int)k, london_at))
			continue;
		rc = workforce_area(store, areas, (int)k, year, &opt, out, err);
		if (rc == 0 && areas->areas[k].type == AREA_BOROUGH)
			workforce_funnel(&london, out, from);
	}
	tidy_table_free(&london);
	return rc < 0 ? -1 : 0;
}

/* One area's service measures; 1 when it has no return. */
static int service_area(struct store *store, const struct area_set *areas,
			const struct service_def *def, int area, int year,
			const struct service_options *opt,
			struct tidy_table *out, struct parity_error *err)
{
	struct service_counts now, before;
	struct service_area sa;
	const char **codes = xcalloc(areas->count, sizeof(*codes));
	int *leaves = xcalloc(areas->count, sizeof(*leaves));
	size_t n, k;
	int rc = -1;

	memset(&now, 0, sizeof(now));
	memset(&before, 0, sizeof(before));
	n = area_leaves(areas, area, leaves);
	for (k = 0; k < n; k++)
		codes[k] = areas->areas[leaves[k]].code;
	if (service_counts_load(store, def, codes, n, year, &now, err) < 0 ||
	    service_counts_load(store, def, codes, n, year - 1, &before,
				err) < 0)
		goto out;
	if (now.returns == 0) {
		rc = 1;
		goto out;
	}
	sa.code = areas->areas[area].code;
	sa.name = areas->areas[area].name;
	sa.type = area_type_name(areas->areas[area].type);
	sa.index = area;
	rc = service_measures(&now, before.returns ? &before : NULL, &sa, opt,
			      out, err);
out:
	service_counts_release(&now);
	service_counts_release(&before);
	free(leaves);
	free(codes);
	return rc;
}

static int load_service(struct store *store, const struct area_set *areas,
			const struct benchmark *census,
			struct site_service_data *s, int year,
			struct parity_error *err)
{
	struct service_options opt;
	int london_at = area_london(areas);
	size_t k;
	int rc = 0;

	service_options_init(&opt);
	opt.census = census;
	for (k = 0; k < areas->count && rc >= 0; k++)
		if (area_within(areas, (int)k, london_at))
			rc = service_area(store, areas, s->def, (int)k, year,
					  &opt, &s->table, err);
	return rc < 0 ? -1 : 0;
}

int site_data_load(struct store *store, const struct area_set *areas,
		   const struct benchmark *census,
		   const struct service_defs *defs, int year,
		   struct site_data *out, struct parity_error *err)
{
	size_t k;

	memset(out, 0, sizeof(*out));
	out->year = year;
	tidy_table_init(&out->workforce);
	for (k = 0; k < defs->count && k < SITE_MAX_SERVICES; k++) {
		struct site_service_data *s = &out->services[out->nservices++];

		s->def = &defs->defs[k];
		/* The financial or academic year that ends in `year`. */
		snprintf(s->period, sizeof(s->period), "%d-%02d", year - 1,
			 year % 100);
		tidy_table_init(&s->table);
	}
	if (load_workforce(store, areas, census, year, &out->workforce,
			   err) < 0)
		return -1;
	for (k = 0; k < out->nservices; k++)
		if (load_service(store, areas, census, &out->services[k],
				 year - 1, err) < 0)
			return -1;
	return 0;
}

void site_data_release(struct site_data *d)
{
	size_t k;

	tidy_table_free(&d->workforce);
	for (k = 0; k < d->nservices; k++)
		tidy_table_free(&d->services[k].table);
	d->nservices = 0;
}
