/*
 * summary.h - the workforce summary: for one employer (or any pooled
 * aggregates), per ethnic group, staff_count, mean_hourly_pay and
 * median_hourly_pay, and per pay band and group, band_count.
 *
 * It is what `parity analyse` gives from a file and `parity report
 * summary` from the store: the same function turns the same aggregates
 * into the same rows, so the two agree byte for byte. The full workforce
 * measures (workforce.h) follow from the same aggregates.
 *
 * Rows are given only for groups with staff (and bands with staff of the
 * group), at the detailed level, with 'Not known' and 'Prefer not to
 * say' as groups of their own. Hourly pay is annual full-time-equivalent
 * salary / (52.143 weeks x opt->full_time_hours); bands are opt's.
 */
#ifndef PARITY_MEASURE_SUMMARY_H
#define PARITY_MEASURE_SUMMARY_H

#include "domain/area.h"
#include "measure/workforce.h"
#include "table/table.h"
#include "store/store.h"

/* Append the summary of `agg` for `area` (an index into `areas`) and
 * `year` (0: none) to `out`. */
void workforce_summary(const struct store_aggregates *agg,
		       const struct area_set *areas, int area, int year,
		       const struct workforce_options *opt,
		       struct tidy_table *out);

#endif
