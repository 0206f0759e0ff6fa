/*
 * pooled.h - an area's figures from the pooled returns of its boroughs:
 * the one place where `parity report` and the published site gather an
 * area's counts, so that the two can never give different figures for the
 * same store.
 *
 * An area's figures come from the pooled counts of the authorities within
 * it (a borough: itself), never from averages of their figures. For the
 * workforce, only authorities with a current return for the year are
 * pooled, and the change in 'not known' from the year before is given only
 * when every one of them has a return for that year too.
 *
 * Rows are appended to the caller's table; nothing else is kept.
 */
#ifndef PARITY_MEASURE_POOLED_H
#define PARITY_MEASURE_POOLED_H

#include "base/error.h"
#include "domain/area.h"
#include "measure/attainment.h"
#include "measure/service.h"
#include "measure/workforce.h"
#include "table/table.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct store;

/*
 * Which areas have a current workforce return for `year`: out[k] (room
 * for areas->count) is true for each borough or local authority with
 * one. 0, or -1 on an error.
 */
int pooled_workforce_returns(struct store *store,
			     const struct area_set *areas, int year,
			     bool *out, struct parity_error *err);
/*
 * The authorities within area `area` that have a current workforce return
 * for `year`: their indexes in `covered` and, when `ids` is not NULL, their
 * submissions' ids in `ids` (each with room for areas->count), in the
 * order of area_leaves(); their number in *count. 0, or -1 on an error.
 */
int pooled_workforce_covered(struct store *store,
			     const struct area_set *areas, int area, int year,
			     int *covered, int64_t *ids, size_t *count,
			     struct parity_error *err);

/*
 * Append area `area`'s workforce measures for `year` to `out`. Returns 1
 * when no authority within the area has a workforce return for the year
 * (nothing appended), 0 when done, -1 on an error.
 */
int pooled_workforce_measures(struct store *store,
			      const struct area_set *areas, int area, int year,
			      const struct workforce_options *opt,
			      struct tidy_table *out, struct parity_error *err);

/*
 * Append area `area`'s workforce measures at both levels of the ONS 2021
 * classification, as the published site gives them: the 5 high-level
 * groups' rows (whatever opt->level says), a borough's placed on the
 * funnel plots around `london` (London's rows; NULL: none,
 * workforce_funnel()), then the 19 detailed groups' rows, less any that
 * repeats one of the area's high-level rows (the same measure, year, group
 * and breakdown: all staff, not known, a high-level group whose pay the
 * detailed level gives whole), so that no figure is given twice. Returns
 * as pooled_workforce_measures().
 */
int pooled_workforce_both_levels(struct store *store,
				 const struct area_set *areas, int area,
				 int year, const struct workforce_options *opt,
				 const struct tidy_table *london,
				 struct tidy_table *out,
				 struct parity_error *err);

/*
 * Append `area`'s measures of service `def` for `year` (the financial or
 * academic year ending in it) to `out`, with the year before's counts for
 * the change. An area of the hierarchy (area->index >= 0) pools its
 * authorities; another (index -1, such as a police force area) is looked
 * up by its code alone. Returns 1 when there is no return for the area
 * (nothing appended), 0 when done, -1 on an error.
 */
int pooled_service_measures(struct store *store, const struct area_set *areas,
			    const struct service_def *def,
			    const struct service_area *area, int year,
			    const struct service_options *opt,
			    struct tidy_table *out, struct parity_error *err);

/*
 * Append the attainment measures of area `index` of `areas` (pooled from
 * its authorities' returns, year by year), or with `index` -1 of the area
 * with `area->code` alone (England), to `out`. Returns 1 when there is no
 * return for the area (nothing appended), 0 when done, -1 on an error.
 */
int pooled_attainment_measures(struct store *store,
			       const struct area_set *areas, int index,
			       const struct attainment_area *area,
			       const struct attainment_options *opt,
			       struct tidy_table *out,
			       struct parity_error *err);

#endif
