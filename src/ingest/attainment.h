/*
 * attainment.h - attainment returns: pupils, mean scores (with SDs where
 * known) and pupils reaching a threshold, by area, academic year, measure
 * and ethnic group, checked whole and stored as versioned returns.
 *
 * The format is in docs/formats/attainment.md: a CSV file with the
 * columns area_code, year, ethnic_group, measure, pupils, and mean_score
 * and/or reaching_threshold, and optionally sd (header names match as for
 * service returns). One file may hold several areas and years; each area
 * and year becomes one return, a new version of any earlier one. Every
 * line is checked and every problem listed as FILE:LINE:COLUMN; a file
 * with any error stores nothing; the rest is stored in one transaction; a
 * file identical to the current versions changes nothing.
 *
 * Checks beyond the values themselves: a row with more or fewer fields
 * than the header; a mean outside the measure's range, or an SD larger
 * than scores in that range can have; more pupils reaching a threshold
 * than pupils; a group given twice for an area, year and measure; a major
 * group and a group inside it both given; one area and year given as two
 * periods.
 */
#ifndef PARITY_INGEST_ATTAINMENT_H
#define PARITY_INGEST_ATTAINMENT_H

#include "base/diag.h"
#include "base/error.h"
#include "domain/area.h"
#include "domain/ethnicity.h"
#include "store/attainment_store.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>

struct attainment_import_options {
	const char *path;         /* "-" for standard input */
	const char *submitted_by;
	const char *submitted_at; /* UTC ISO 8601; NULL for now */
	const struct ethnicity_classifier *classifier;
	const struct area_set *areas;
	/* When set (an area's code), every row must be that area's. NULL:
	 * any area. */
	const char *only_area;
};

/* One return made (or found unchanged) from the file. */
struct attainment_import_item {
	struct store_attainment_return ret;
	char area_name[128];
	bool unchanged;
};

struct attainment_import_result {
	struct attainment_import_item *items; /* in order of first appearance */
	size_t count;
	long rows;
	bool unchanged; /* nothing was stored */
};

/*
 * Check and import an attainment return. 0 when it was accepted
 * (committed, or found unchanged); -1 otherwise, with `err` saying why
 * (PARITY_ERR_VALIDATION with the problems in `diags`, or another code
 * when the file or the store failed). The caller releases `result` with
 * attainment_import_result_release() either way.
 */
int attainment_import(struct store *s,
		      const struct attainment_import_options *opt,
		      struct diag_list *diags,
		      struct attainment_import_result *result,
		      struct parity_error *err);
void attainment_import_result_release(struct attainment_import_result *result);

#endif
