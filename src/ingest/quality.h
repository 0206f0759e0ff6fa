/*
 * quality.h - the data-quality report on a return: what a council uses to
 * improve how it collects its data.
 *
 * For one submission it reports, as rows of the tidy table:
 *   - how complete each column is (the share of rows with a value), for the
 *     columns the return supplied, flagged `low` under 90%;
 *   - the share of records whose ethnicity is not known, and the share who
 *     preferred not to say, flagged `high` over 10%;
 *   - values of coded columns (sex, age_band, disability, contract_type)
 *     that parity does not recognise, with how many rows hold each;
 *   - salary outliers: annual salaries outside Tukey's far-out fences,
 *     Q1 - 3 x IQR and Q3 + 3 x IQR;
 *   - the change from the previous year's current return of the same kind:
 *     in the number of records, flagged `check` beyond +/-10%, and in the
 *     not-known rate, flagged `check` beyond +/-3 percentage points.
 * The thresholds are the QUALITY_* constants below; docs/formats/ explains
 * them.
 *
 * The same accumulator serves the importer (fed row by row while a file is
 * read) and `parity quality` (fed from the store), so both give the same
 * report. It owns its strings; release it with quality_release().
 */
#ifndef PARITY_INGEST_QUALITY_H
#define PARITY_INGEST_QUALITY_H

#include "base/error.h"
#include "domain/area.h"
#include "table/table.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>

#define QUALITY_COMPLETENESS_LOW 90.0  /* percent */
#define QUALITY_NOT_KNOWN_HIGH 10.0    /* percent */
#define QUALITY_CHANGE_ROWS 10.0       /* percent change in records */
#define QUALITY_CHANGE_NOT_KNOWN 3.0   /* percentage points */
#define QUALITY_OUTLIER_IQR 3.0        /* fences at Q1/Q3 -/+ 3 x IQR */
/* Distinct unrecognised values kept per column; the rest are counted. */
#define QUALITY_UNRECOGNISED_KEEP 20
/* The most columns a kind of return has in the report. */
#define QUALITY_MAX_COLUMNS 16

/* Values of one coded column already found recognised, so that the
 * common values are looked up once, not on every row. */
#define QUALITY_MEMO_VALUES 16
struct quality_memo {
	char values[QUALITY_MEMO_VALUES][48];
	size_t count;
};

struct quality_unrecognised {
	size_t column;  /* index into the kind's report columns */
	char *value;
	long count;
};

struct quality {
	enum store_kind kind;
	long rows;
	bool supplied[QUALITY_MAX_COLUMNS];
	long present[QUALITY_MAX_COLUMNS];
	long ethnicity[ETH_COUNT];
	struct quality_unrecognised *unrecognised;
	size_t unrecognised_count;
	size_t unrecognised_cap;
	long unrecognised_more[QUALITY_MAX_COLUMNS]; /* rows beyond the kept */
	size_t unrecognised_kept[QUALITY_MAX_COLUMNS];
	bool pay_known;     /* quality_set_pay() was called */
	double fence_low, fence_high;
	long outliers_low, outliers_high;
	long shortlisted, appointed;
	struct quality_memo memo[4]; /* sex, age_band, disability, contract_type */
};

/* The previous year's return, for the change rows. */
struct quality_previous {
	bool found;
	int year;
	long rows;
	long not_known;
};

/* The report columns of a kind of return ("ethnicity", "pay_band", ...). */
size_t quality_columns(enum store_kind kind, const char *const **names);

/*
 * Start a report for a return of `kind` whose recognised columns are
 * `columns` ("staff_id,ethnicity,..."; as kept with the submission).
 */
void quality_init(struct quality *q, enum store_kind kind,
		  const char *columns);
void quality_release(struct quality *q);
void quality_add_staff(struct quality *q, const struct store_staff *r);
void quality_add_applicant(struct quality *q, const struct store_applicant *r);
/* All the return's annual salaries, sorted ascending: finds outliers. */
void quality_set_pay(struct quality *q, const double *sorted, size_t n);

/*
 * Whether `value` of coded column `column` ("sex", "age_band",
 * "disability", "contract_type") is one parity recognises. Other columns
 * recognise everything.
 */
bool quality_value_recognised(const char *column, const char *value);
/* The same, remembering recognised values in `memo` (one per column). */
bool quality_memo_recognised(struct quality_memo *memo, const char *column,
			     const char *value);

/* Fill `q` and `prev` for a stored submission, reading the store. */
int quality_load(struct store *s, const struct store_submission *sub,
		 struct quality *q, struct quality_previous *prev,
		 struct parity_error *err);
/* Only the previous year's figures (the importer has `q` already). */
int quality_previous_load(struct store *s, const struct store_submission *sub,
			  struct quality_previous *prev,
			  struct parity_error *err);

/* Append the report's rows for `sub` (in `area`) to `out`. */
void quality_table(const struct quality *q, const struct store_submission *sub,
		   const struct area *area, const struct quality_previous *prev,
		   struct tidy_table *out);

#endif
