/*
 * service.h - service returns: counts by area, year, service, stage and
 * ethnic group, checked whole and stored as versioned submissions.
 *
 * The format is in docs/formats/service-return.md: a CSV file with the
 * columns area_code, year, service, stage, ethnicity, count (header names
 * match as for workforce returns). One file may hold several areas, years
 * and services; each (service, area, year) becomes one submission, a new
 * version of any earlier one. The rules are those of workforce returns:
 * every line is checked and every problem listed as FILE:LINE:COLUMN; a file
 * with any error stores nothing; the rest is stored in one transaction; a
 * file identical to the current version changes nothing.
 *
 * Checks beyond the values themselves: a row with more or fewer fields
 * than the header (an unquoted '1,250' is two fields); a group counted
 * twice at a stage; a high-level group and categories inside it both
 * counted at a stage (their people would be counted twice); one service,
 * area and year given as two different periods ('2023' and '2023-24'); and
 * where the service's definition says a stage is within an earlier one, a
 * group counting more at it than at that stage (both positions named).
 */
#ifndef PARITY_INGEST_SERVICE_H
#define PARITY_INGEST_SERVICE_H

#include "base/diag.h"
#include "base/error.h"
#include "domain/area.h"
#include "domain/ethnicity.h"
#include "domain/service_def.h"
#include "ingest/alias_register.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * Parse a service year: 'YYYY', or a financial or academic year 'YYYY-YY'
 * or 'YYYY/YY' (or 'YYYY-YYYY', or the DfE's 'YYYYYY') whose second year
 * follows the first. `*start` gets the first year and `period` (16 bytes)
 * the canonical text, 'YYYY' or 'YYYY-YY'. -1 when not a year.
 */
int service_year_parse(const char *text, int *start, char period[16]);

struct service_import_options {
	const char *path;         /* "-" for standard input */
	const char *submitted_by;
	const char *submitted_at; /* UTC ISO 8601; NULL for now */
	const struct ethnicity_classifier *classifier;
	/* the alias register the classifier holds, whose version each
	 * submission records; NULL: none */
	const struct alias_register *aliases;
	const struct area_set *areas;
	const struct service_defs *defs;
	/* When set (an area's code), every row must be that area's: a row
	 * of another area is a problem of its line. The hub sets it for a
	 * council's own account. NULL: any area. */
	const char *only_area;
};

/* One submission made (or found unchanged) from the file. */
struct service_import_item {
	struct store_submission sub;
	char area_name[128];
	char period[16];
	const char *level;  /* "detailed" or "high" */
	long rows;
	bool unchanged;
};

struct service_import_result {
	struct service_import_item *items; /* in order of first appearance */
	size_t count;
	long rows;
	bool unchanged; /* nothing was stored */
};

/*
 * Check and import a service return. 0 when it was accepted (committed, or
 * found unchanged); -1 otherwise, with `err` saying why
 * (PARITY_ERR_VALIDATION with the problems in `diags`, or another code when
 * the file or the store failed). The caller releases `result` with
 * service_import_result_release() either way.
 */
int service_import(struct store *s, const struct service_import_options *opt,
		   struct diag_list *diags,
		   struct service_import_result *result,
		   struct parity_error *err);
void service_import_result_release(struct service_import_result *result);

/*
 * Inside the transaction reclassify_submission() opened (reclassify.h):
 * read service submission res->from again with `cls` (the built-in
 * labels, the register `reg` and the import's own file aliases), row by
 * row from the labels kept, and store a new version when some row reads
 * as another group; the return's own checks run on the counts as they
 * read now. 0 with `res` filled, or -1 when the store fails.
 */
struct reclassify_options;
struct reclassify_result;
int service_reclassify(struct store *s, const struct reclassify_options *opt,
		       const struct ethnicity_classifier *cls,
		       const struct alias_register *reg, const char *at,
		       struct reclassify_result *res, struct parity_error *err);

#endif
