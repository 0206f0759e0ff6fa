/*
 * site_data.h - the tables a publication draws from the store, before
 * disclosure control.
 *
 * A publication for year Y gathers, from the current returns in the store:
 *   - the workforce measures (measure/workforce.h) for London, Inner and
 *     Outer London and every borough with a return for Y, compared with
 *     Census 2021 residents, in one table at both levels of the ONS 2021
 *     classification: each area's rows for the 5 high-level groups
 *     (ethnicity_level "high"), then those for the 19 detailed groups
 *     ("detailed"; a figure the high level gives already is not repeated),
 *     with each borough's high-level figures placed on funnel plots around
 *     London (workforce_funnel()); then London's partnerships and the
 *     store's groups of boroughs; then, after them all, the same areas'
 *     measures by sex (measure/workforce_sex.h; only with `by_sex`), in the same table, so
 *     that one sdc_protect_table() call protects them all;
 *   - for each built-in service (youth justice, school exclusions, stop and
 *     search), its measures (measure/service.h) for London and every area
 *     with a return for the financial or academic year that ends in Y
 *     ('2023-24' for 2024);
 *   - attainment (measure/attainment.h): for the academic year that ends
 *     in Y and every year before it in the store (the gap's trend rests
 *     on them all, and disclosure control protects a trend only beside
 *     the gaps of every year it spans), for London, Inner and Outer
 *     London, every borough with a return (placed on funnel plots around
 *     London), then the partnerships and the store's groups of boroughs
 *     whose figures are their own; empty when the store holds no
 *     attainment return for the year.
 * These tables are NOT safe to publish: every figure in them goes through
 * sdc_protect_table() (site.c) before any page or download shows it.
 *
 * Ownership: struct site_data owns its tables; site_data_release() frees
 * them. The service definitions and areas it points into are the caller's
 * and must outlive it.
 */
#ifndef PARITY_SITE_SITE_DATA_H
#define PARITY_SITE_SITE_DATA_H

#include "base/error.h"
#include "domain/area.h"
#include "domain/benchmark.h"
#include "domain/service_def.h"
#include "table/table.h"

#include <stddef.h>

struct store;

/* Room for the built-in services. */
#define SITE_MAX_SERVICES 8

struct site_service_data {
	const struct service_def *def;  /* not owned */
	char period[16];                /* '2023-24' */
	struct tidy_table table;        /* empty when the store has none */
};

/* Attainment: the academic year that ends in the data year. */
struct site_attainment_data {
	char period[16];                /* '2023-24' */
	struct tidy_table table;        /* empty when the store has none */
};

struct site_data {
	int year;
	struct tidy_table workforce;
	struct site_service_data services[SITE_MAX_SERVICES];
	size_t nservices;
	struct site_attainment_data attainment;
};

/*
 * Fill `out` for `year` from `store`. Fails (PARITY_ERR_NOT_FOUND) when
 * the store holds no workforce return for the year; a service with no
 * returns is kept with an empty table, so its page can say so, and so is
 * attainment.
 */
int site_data_load(struct store *store, const struct area_set *areas,
		   const struct benchmark *census,
		   const struct service_defs *defs, int year, bool by_sex,
		   struct site_data *out, struct parity_error *err);
void site_data_release(struct site_data *d);

#endif
