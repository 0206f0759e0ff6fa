/*
 * clock.h - the time as parity records it: now, in UTC, ISO 8601 to the
 * second ("2024-05-01T09:30:00Z"), for submissions, refused labels and the
 * alias register's versions; and seconds since 1970-01-01 UTC (the hub's
 * accounts and audit log) written and read in the same form.
 */
#ifndef PARITY_BASE_CLOCK_H
#define PARITY_BASE_CLOCK_H

#include "base/error.h"

#include <stddef.h>

/* The length of a recorded time, with its NUL. */
#define CLOCK_UTC_SIZE 21

/* Now, into `out` (at least CLOCK_UTC_SIZE bytes). -1 when the clock
 * cannot be read (PARITY_ERR_INTERNAL). */
int clock_utc_now(char *out, size_t size, struct parity_error *err);
/* `t`, seconds since 1970-01-01 UTC, as a recorded time into `out` (at
 * least CLOCK_UTC_SIZE bytes); "" when it cannot be written (a year past
 * 9999). */
void clock_utc_format(long t, char *out, size_t size);
/* The length of a date, "2024-05-01", with its NUL. */
#define CLOCK_DATE_SIZE 11
/* The date (UTC) of `t`, seconds since 1970-01-01 UTC, into `out` (at
 * least CLOCK_DATE_SIZE bytes); "" when it cannot be written. */
void clock_utc_date(long t, char *out, size_t size);
/*
 * A date, "2024-05-01" (its first second, UTC), or a recorded time,
 * "2024-05-01T09:30:00Z", as seconds since 1970-01-01 UTC: 0 and *out
 * set, or -1 (PARITY_ERR_PARSE) for anything else, an impossible date
 * (2023-02-29) included. Years 1970 to 9999.
 */
int clock_utc_parse(const char *text, long *out, struct parity_error *err);
/*
 * A date, "2026-12-05", as its readers write it, "5 December 2026", into
 * `out` (CLOCK_WORDS_SIZE bytes is room for any). Anything that is not a
 * possible date is copied as it is.
 */
#define CLOCK_WORDS_SIZE 24
void clock_date_words(const char *date, char *out, size_t size);

#endif
