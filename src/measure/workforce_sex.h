/*
 * workforce_sex.h - the workforce measures by sex: each ethnic group's
 * representation, pay, pay gaps, pay bands, glass ceiling and relative
 * likelihoods among female staff and among male staff, and the staff of
 * every group counted by sex (domain/sex.h: female, male, non-binary or
 * other, sex not known).
 *
 * The pooled aggregates of a return (store_aggregates) are by ethnicity
 * alone; the sex of each member of staff is in the return's records. So the
 * records of the current workforce returns of an area's authorities are
 * read and folded, by sex, into aggregates of the same shape, and each
 * sex's are measured by workforce_sex_measures() (workforce.h), whose rows
 * carry the sex in the breakdown. The reference of a pay gap or relative
 * likelihood is the reference group of the same sex (White British women
 * for women): docs/measures.md says why.
 *
 * Rows are appended to the caller's table; nothing else is kept.
 */
#ifndef PARITY_MEASURE_WORKFORCE_SEX_H
#define PARITY_MEASURE_WORKFORCE_SEX_H

#include "base/error.h"
#include "domain/area.h"
#include "domain/sex.h"
#include "measure/workforce.h"
#include "store/store.h"
#include "table/table.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Fold the staff records of workforce submissions `ids` into one set of
 * aggregates per sex (out[SEX_FEMALE] ...), as an import folds them by
 * ethnicity: every salary, sorted, and the yes/no/not-given counts of each
 * event. The aggregates' submission counts are those of `ids`. Release
 * each with store_aggregates_release().
 */
int workforce_sex_fold(struct store *store, const int64_t *ids, size_t n,
		       struct store_aggregates out[SEX_COUNT],
		       struct parity_error *err);

/*
 * Append area `area`'s workforce measures by sex for `year` to `out`,
 * pooled from the current workforce returns of the authorities within it,
 * as pooled_workforce_measures() pools them: counts for all four sexes,
 * the measures for female and male staff. Returns 1 when no authority
 * within the area has a workforce return for the year (nothing appended),
 * 0 when done, -1 on an error.
 */
int pooled_workforce_sex_measures(struct store *store,
				  const struct area_set *areas, int area,
				  int year,
				  const struct workforce_options *opt,
				  struct tidy_table *out,
				  struct parity_error *err);

#endif
