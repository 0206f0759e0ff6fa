/*
 * attainment_store.h - attainment returns in the store: pupils, mean
 * scores, SDs and pupils reaching a threshold, by area, academic year,
 * measure and ethnic group (docs/formats/attainment.md; migration 0013).
 *
 * A return is one area and year. A new return for the same area and year
 * is a new version: the one before it is kept, marked superseded, and the
 * new one points at it. Returns have a table of their own rather than a
 * kind of submission (store.h): see the migration for why.
 *
 * Years. Attainment is by academic year ('2023-24'); `year` holds the year
 * it starts and `period` its own text.
 */
#ifndef PARITY_STORE_ATTAINMENT_STORE_H
#define PARITY_STORE_ATTAINMENT_STORE_H

#include "base/error.h"
#include "store/store.h"

#include <stdbool.h>
#include <stdint.h>

struct store_attainment_return {
	int64_t id;
	char area_code[16];
	int year;               /* the year the period starts */
	char period[16];        /* '2023-24' */
	char level[16];         /* "detailed", or "high" when some group is
				 * given only as a major group */
	int version;            /* 1, 2, ... for the same area and year */
	bool current;
	int64_t supersedes;     /* the version this one replaced, or 0 */
	char submitted_at[32];  /* UTC, ISO 8601 */
	char submitted_by[128];
	char source_name[256];  /* the file's base name */
	long rows;
	char sha256[65];        /* hex SHA-256 of the file's bytes */
};

/* Bits of store_attainment_row.suppressed: figures the source suppressed
 * ('x', 'c'), stored as not given. */
#define STORE_ATTAINMENT_MEAN_SUPPRESSED 1u
#define STORE_ATTAINMENT_SD_SUPPRESSED 2u
#define STORE_ATTAINMENT_REACHING_SUPPRESSED 4u

/* One row of a return. Strings are borrowed (valid during a call). */
struct store_attainment_row {
	const char *measure;  /* attainment_def.h's name: 'attainment8' */
	const char *group;    /* a service group code (service_def.h) */
	const char *label;    /* the group as the return gave it */
	double pupils;
	double mean;          /* NAN: not given */
	double sd;            /* NAN: not given */
	double reaching;      /* NAN: not given */
	unsigned suppressed;  /* STORE_ATTAINMENT_*_SUPPRESSED */
	long line;
};

/* The current return for an area and year: 1 and `out` filled, 0 when
 * there is none, -1 on an error. */
int store_attainment_current(struct store *s, const char *area_code, int year,
			     struct store_attainment_return *out,
			     struct parity_error *err);

/*
 * Inside a write transaction (store_begin()): add `r` as the newest
 * version of its area and year, superseding the current one. Reads
 * area_code, year, period, level, submitted_at, submitted_by,
 * source_name, rows and sha256; fills id, version, current and
 * supersedes.
 */
int store_attainment_return_add(struct store *s,
				struct store_attainment_return *r,
				struct parity_error *err);
/* Inside the same transaction: one row of return `return_id`. */
int store_attainment_row_add(struct store *s, int64_t return_id,
			     const struct store_attainment_row *row,
			     struct parity_error *err);

/*
 * Call `fn` for each row of the current returns of `area_code`, every
 * year, in order of year and then of line. `ret` has id, area_code, year,
 * period and level filled; it and the row are valid only during the call.
 * A non-zero return from `fn` stops the walk and is returned.
 */
typedef int (*store_attainment_row_fn)(
	void *ctx, const struct store_attainment_return *ret,
	const struct store_attainment_row *row);
int store_attainment_rows_each(struct store *s, const char *area_code,
			       store_attainment_row_fn fn, void *ctx,
			       struct parity_error *err);

#endif
