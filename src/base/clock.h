/*
 * clock.h - the time as parity records it: now, in UTC, ISO 8601 to the
 * second ("2024-05-01T09:30:00Z"), for submissions, refused labels and the
 * alias register's versions.
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

#endif
