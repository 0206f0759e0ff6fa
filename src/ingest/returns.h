/*
 * returns.h - councils' workforce and recruitment returns: their columns,
 * the checking of every line, and the import into the store.
 *
 * The formats are described for councils in docs/formats/. In short: a CSV
 * file (UTF-8 with or without a byte-order mark, or Windows-1252, which is
 * converted with a warning) with one header row. Header names match
 * without regard to case, surrounding spaces, or the difference between
 * spaces, hyphens and underscores. Columns that carry direct identifiers
 * (names, identity numbers, dates of birth, contact details, addresses:
 * return_identifier_kind()) are refused; unknown columns are ignored with a
 * warning and never stored. A header that is one field holding semicolons
 * or tabs is refused with a message saying what separates the file (a
 * first line 'sep=;' makes the reader use that delimiter: base/csv.h).
 *
 * An import is one streaming pass in one store transaction: each row is
 * read, checked, its ethnicity classified, its id pseudonymised, and
 * inserted. Every problem found is added to a diag_list as FILE:LINE:COLUMN.
 * If there is any error, the transaction is rolled back and the store is
 * exactly as it was but for the labels the file refused, kept afterwards
 * with their counts (store_refused_labels_keep()); otherwise the
 * aggregates are written, with each distinct label's count, category and
 * rule (store_labels_add()) and the alias register's version, the
 * previous version of each return is marked superseded, its refused
 * labels are cleared, and the transaction commits. A file identical (by
 * SHA-256) to the current version of its return changes nothing.
 *
 * Labels are read by the classifier given, which holds the built-in
 * labels, the alias register (import_options.aliases, whose version each
 * submission records) and the import's own alias file; each record keeps
 * its label as given, so that it can be read again under a newer register
 * (ingest/reclassify.h).
 *
 * Memory is bounded by the number of rows only through 24 bytes per row
 * (the duplicate-id check and the salary vectors), and by the distinct
 * labels (their text and a count per employer), not by the file's size.
 */
#ifndef PARITY_INGEST_RETURNS_H
#define PARITY_INGEST_RETURNS_H

#include "base/diag.h"
#include "base/error.h"
#include "domain/area.h"
#include "domain/ethnicity.h"
#include "ingest/alias_register.h"
#include "ingest/quality.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Annual salary bounds, in pounds (full-time-equivalent basic pay). */
#define RETURN_SALARY_MIN 5000.0
#define RETURN_SALARY_MAX 1000000.0
/*
 * The London Living Wage used for the below-living-wage warning: £13.85 an
 * hour, the 2024-25 rate announced by the Living Wage Foundation in October
 * 2024, for a 36-hour week (RETURN_FULL_TIME_HOURS) and 52.143 weeks a year:
 * £25,998.50 a year.
 */
#define RETURN_LONDON_LIVING_WAGE 13.85
#define RETURN_LONDON_LIVING_WAGE_YEAR "2024-25"
#define RETURN_FULL_TIME_HOURS 36.0
#define RETURN_WEEKS_PER_YEAR 52.143
/* weekly_hours above this are refused. */
#define RETURN_MAX_WEEKLY_HOURS 48.0
/* The longest value kept for a text column, in bytes. */
#define RETURN_TEXT_MAX 200
/* Returns are for years in this range. */
#define RETURN_YEAR_MIN 2000
#define RETURN_YEAR_MAX 2100

/* ---- value parsing, exposed for the tests ---- */

/* yes/no: 'yes', 'y', 'true', '1' give 1; 'no', 'n', 'false', '0' give 0
 * (any case); blank gives STORE_NOT_GIVEN. -1 when not a yes/no. */
int return_parse_flag(const char *text, int *out);
/* A real date as 'YYYY-MM-DD' or 'DD/MM/YYYY' (day and month may have one
 * digit), written to `out` as 'YYYY-MM-DD'. -1 when not one. */
int return_parse_date(const char *text, char out[11]);
/*
 * What a column of this header name would hold if it is a direct
 * identifier ("a name", "an email address", ...), or NULL. Headers are
 * matched as they are on import: case, spaces, hyphens, underscores and
 * dots do not matter. The patterns are listed in
 * docs/formats/workforce-return.md.
 */
const char *return_identifier_kind(const char *header);

/* ---- importing ---- */

/* Progress: rows read so far, bytes read and the file's size (0 when not
 * known). Called every few thousand rows and once at the end. */
typedef void (*import_progress_fn)(void *ctx, long rows, uint64_t bytes,
				   uint64_t size);

struct import_options {
	enum store_kind kind;
	const char *path;          /* the file; "-" for standard input */
	const char *area;          /* code or name; NULL when the file has an
				    * employer column */
	int year;
	const char *submitted_by;  /* who is importing */
	const char *submitted_at;  /* UTC ISO 8601; NULL for now */
	const struct ethnicity_classifier *classifier;
	/* the alias register the classifier holds (alias_register_load()),
	 * whose version each submission records; NULL: none */
	const struct alias_register *aliases;
	const struct area_set *areas;
	import_progress_fn progress; /* may be NULL */
	void *progress_ctx;
};

/* What happened to one return (one employer) in the file. */
struct import_submission {
	struct store_submission sub; /* as stored (or as found, if unchanged) */
	int area;                    /* index in the area set */
	bool unchanged;              /* identical to the current version */
	struct quality quality;      /* the data-quality report's figures */
	struct quality_previous previous;
};

struct import_result {
	struct import_submission *subs; /* one per employer, in file order */
	size_t count;
	long rows;
	char sha256[65];
	bool unchanged;                 /* nothing was stored */
};

/*
 * Check and import a return. Returns 0 when the file was accepted (and
 * committed, or found unchanged); -1 otherwise, with `err` saying why:
 * PARITY_ERR_VALIDATION when the file has errors (listed in `diags`), or
 * another code when the command line, the file or the store failed.
 * Warnings are added to `diags` in both cases. The caller releases
 * `result` with import_result_release() either way.
 */
int import_return(struct store *s, const struct import_options *opt,
		  struct diag_list *diags, struct import_result *result,
		  struct parity_error *err);
void import_result_release(struct import_result *result);

/* ---- analysing without a store ---- */

struct analyse_options {
	const char *path;          /* a workforce return; "-" for stdin */
	const char *area;          /* as import's --area; NULL when the
				    * file has an employer column */
	int year;
	int threads;               /* 0: one per core */
	const struct ethnicity_classifier *classifier;
	const struct area_set *areas;
};

/* The aggregates of each employer in the file, as the store would hold
 * them after an import: salaries sorted ascending. */
struct analyse_result {
	int *areas;                     /* the employers, in area order */
	struct store_aggregates *aggs;  /* one per employer */
	size_t count;
	long rows;
	bool single_pass;               /* the one-thread path was taken */
};

/*
 * Check a workforce return exactly as import_return() does (the same
 * checks, classification, warnings and messages, FILE:LINE:COLUMN) and
 * aggregate it by employer and ethnicity in memory, without a store,
 * reading the file once with every core (see ingest/parallel.c). Returns 0
 * with `res` filled, or -1 with `err` set (PARITY_ERR_VALIDATION when the
 * file has errors, listed in `diags`). Warnings go to `diags` either way.
 * Release `res` with analyse_result_release() either way.
 */
int analyse_return(const struct analyse_options *opt, struct diag_list *diags,
		   struct analyse_result *res, struct parity_error *err);
void analyse_result_release(struct analyse_result *res);

#endif
