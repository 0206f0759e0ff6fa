/*
 * site_data.c - gathering a publication's tables from the store (see
 * site_data.h). The same pooling as `parity report workforce --all-areas
 * --level both` (pooled_workforce_both_levels()) and `parity report service
 * --all-areas`, through the same functions (measure/pooled.h): an area's
 * figures come from the pooled returns of its boroughs, never from
 * averages, and a borough without a return for the year is left out
 * rather than shown empty. The workforce table holds both levels, each
 * area's high-level rows then its detailed rows, so that disclosure
 * control sees them together (a high-level group is the sum of its
 * detailed groups); after the boroughs, London's partnerships and any
 * groups of boroughs defined in the store; then every area's measures by
 * sex. Attainment is pooled as `parity report attainment --all-areas
 * --year` pools it (measure/pooled.h), with the years before kept for the
 * trend. Nothing here is disclosure-controlled yet; site.c does that.
 */
#include "site/site_data.h"

#include "base/alloc.h"
#include "domain/ethnicity.h"
#include "measure/pooled.h"
#include "measure/service.h"
#include "measure/workforce_sex.h"
#include "store/attainment_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
	/* London's high-level rows: the centre of the funnel plots */
	tidy_table_init(&london);
	rc = pooled_workforce_measures(store, areas, london_at, year, &opt,
				       &london, err);
	if (rc == 0)
		rc = pooled_workforce_both_levels(store, areas, london_at,
						  year, &opt, NULL, out, err);
	if (rc != 0) {
		tidy_table_free(&london);
		if (rc > 0)
			return parity_error_set(
				err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
				"no workforce returns for %d are in the store "
				"(see `parity returns list`)", year);
		return -1;
	}
	/* Inner and Outer London, then the boroughs, in the areas' order:
	 * each area's high-level rows (a borough's placed on London's
	 * funnel plots), then its detailed ones. */
	for (k = 0; k < areas->count && rc >= 0; k++) {
		if ((int)k == london_at ||
		    !area_within(areas, (int)k, london_at))
			continue;
		rc = pooled_workforce_both_levels(store, areas, (int)k, year,
						  &opt, &london, out, err);
	}
	/* then the partnerships and groups of boroughs, pooled alike, but
	 * for any whose figures would repeat another area's (its page says
	 * whose) */
	if (rc >= 0) {
		bool *has = xcalloc(areas->count, sizeof(*has));

		rc = pooled_workforce_returns(store, areas, year, has, err);
		for (k = 0; k < areas->count && rc >= 0; k++)
			if (area_is_group(areas, (int)k) &&
			    area_group_repeats(areas, (int)k, has) == -1)
				rc = pooled_workforce_both_levels(
					store, areas, (int)k, year, &opt, NULL,
					out, err);
		free(has);
	}
	tidy_table_free(&london);
	return rc < 0 ? -1 : 0;
}

/*
 * The workforce measures by sex (measure/workforce_sex.h) of London and of
 * every area within it with a return, in the order of load_workforce(),
 * appended after all of its rows: the same rows as `parity report
 * workforce --all-areas --level high --by-sex`, and protected in the same
 * sdc_protect_table() call as the rest (site.c), so that subtraction
 * across sex reveals nothing withheld.
 */
static int load_workforce_by_sex(struct store *store,
				 const struct area_set *areas,
				 const struct benchmark *census, int year,
				 struct tidy_table *out,
				 struct parity_error *err)
{
	struct workforce_options opt;
	int london_at = area_london(areas);
	size_t k;
	int rc;

	workforce_options_init(&opt);
	opt.level = ETH_LEVEL_HIGH;
	opt.benchmark = census;
	rc = pooled_workforce_sex_measures(store, areas, london_at, year, &opt,
					   out, err);
	for (k = 0; k < areas->count && rc >= 0; k++) {
		if ((int)k == london_at ||
		    !area_within(areas, (int)k, london_at))
			continue;
		rc = pooled_workforce_sex_measures(store, areas, (int)k, year,
						   &opt, out, err);
	}
	return rc < 0 ? -1 : 0;
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
	for (k = 0; k < areas->count && rc >= 0; k++) {
		struct service_area sa;

		if (!area_within(areas, (int)k, london_at))
			continue;
		sa.code = areas->areas[k].code;
		sa.name = areas->areas[k].name;
		sa.type = area_type_name(areas->areas[k].type);
		sa.index = (int)k;
		rc = pooled_service_measures(store, areas, s->def, &sa, year,
					     &opt, &s->table, err);
	}
	if (rc >= 0)
		service_funnel(&s->table, areas->areas[london_at].code);
	return rc < 0 ? -1 : 0;
}

/* Area `k`'s attainment rows for the academic year starting in
 * opt->year and the years before, appended to `out`; 1 when it has no
 * return. */
static int attainment_area(struct store *store, const struct area_set *areas,
			   size_t k, const struct attainment_options *opt,
			   struct tidy_table *out, struct parity_error *err)
{
	const struct area *a = &areas->areas[k];
	struct attainment_area aa = { a->code, a->name,
				      area_type_name(a->type) };

	return pooled_attainment_measures(store, areas, (int)k, &aa, opt, out,
					  err);
}

/* Which boroughs have a current attainment return for the academic year
 * starting in `year` (`has`, by area index); -1 on an error, else how
 * many. */
static int attainment_returns(struct store *store,
			      const struct area_set *areas, int year,
			      bool *has, struct parity_error *err)
{
	struct store_attainment_return ret;
	size_t k;
	int n = 0, rc;

	for (k = 0; k < areas->count; k++) {
		if (areas->areas[k].type != AREA_BOROUGH)
			continue;
		rc = store_attainment_current(store, areas->areas[k].code, year,
					      &ret, err);
		if (rc < 0)
			return -1;
		has[k] = rc > 0;
		n += rc > 0;
	}
	return n;
}

/*
 * Attainment for the academic year that starts in `year` (and the years
 * before it): London first, then Inner and Outer London and every
 * borough with a return (a borough placed on funnel plots around
 * London's figures), then the partnerships and groups of boroughs whose
 * figures are their own. Nothing when no borough has a return for the
 * year: earlier years feed its trend, and are not published for
 * themselves.
 */
static int load_attainment(struct store *store, const struct area_set *areas,
			   int year, struct tidy_table *out,
			   struct parity_error *err)
{
	struct attainment_options opt;
	struct tidy_table london;
	int london_at = area_london(areas);
	bool *has = xcalloc(areas->count ? areas->count : 1, sizeof(*has));
	size_t k;
	int rc = attainment_returns(store, areas, year, has, err);

	if (rc <= 0) {
		free(has);
		return rc;
	}
	attainment_options_init(&opt);
	opt.year = year;
	opt.years_before = true;
	tidy_table_init(&london);
	rc = attainment_area(store, areas, (size_t)london_at, &opt, &london,
			     err);
	if (rc >= 0)
		tidy_table_append(out, &london);
	opt.london = &london;
	for (k = 0; k < areas->count && rc >= 0; k++)
		if ((int)k != london_at &&
		    area_within(areas, (int)k, london_at))
			rc = attainment_area(store, areas, k, &opt, out, err);
	opt.london = NULL;
	for (k = 0; k < areas->count && rc >= 0; k++)
		if (area_is_group(areas, (int)k) &&
		    area_group_repeats(areas, (int)k, has) == -1)
			rc = attainment_area(store, areas, k, &opt, out, err);
	free(has);
	tidy_table_free(&london);
	return rc < 0 ? -1 : 0;
}

int site_data_load(struct store *store, const struct area_set *areas,
		   const struct benchmark *census,
		   const struct service_defs *defs, int year, bool by_sex,
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
	snprintf(out->attainment.period, sizeof(out->attainment.period),
		 "%d-%02d", year - 1, year % 100);
	tidy_table_init(&out->attainment.table);
	if (load_workforce(store, areas, census, year, &out->workforce,
			   err) < 0 ||
	    (by_sex && load_workforce_by_sex(store, areas, census, year,
					     &out->workforce, err) < 0))
		return -1;
	for (k = 0; k < out->nservices; k++)
		if (load_service(store, areas, census, &out->services[k],
				 year - 1, err) < 0)
			return -1;
	return load_attainment(store, areas, year - 1, &out->attainment.table,
			       err);
}

void site_data_release(struct site_data *d)
{
	size_t k;

	tidy_table_free(&d->workforce);
	for (k = 0; k < d->nservices; k++)
		tidy_table_free(&d->services[k].table);
	d->nservices = 0;
	tidy_table_free(&d->attainment.table);
}
