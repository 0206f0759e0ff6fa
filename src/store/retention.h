/*
 * retention.h - record-level data removed at the end of its retention
 * period (docs/privacy.md), keeping what reports need.
 *
 * A workforce or recruitment return's records (one per member of staff or
 * applicant) are personal data, ethnicity special category data among
 * them; its aggregates (salary vectors, event and applicant counts by
 * ethnic group) are not records of anyone. Once a return is past the
 * retention period its records are deleted (with secure_delete, their
 * bytes overwritten) and the removal is recorded (table records_removed,
 * migration 0015): the submission and its aggregates stay, so reports of
 * that year still read. What needs the records themselves (ethnicity by
 * sex, the data-quality report, `returns records`, reclassifying) is then
 * refused with the date they went, never answered from nothing.
 *
 * The period runs from the end of the return's year: a return for year Y
 * (staff in post at 31 March Y) is past a period of N years once 31 March
 * of year Y + N has gone by.
 *
 * Ownership: arrays returned are the caller's to free().
 */
#ifndef PARITY_STORE_RETENTION_H
#define PARITY_STORE_RETENTION_H

#include "base/error.h"
#include "store/store.h"

#include <stddef.h>

/* The latest year whose returns are past a period of `years` on `today`
 * ("YYYY-MM-DD"): returns of this year and earlier are due. -1 with `err`
 * filled when `today` is not a date. */
int retention_last_year(int years, const char *today, int *last_year,
			struct parity_error *err);

/*
 * The workforce and recruitment submissions, superseded versions too, of
 * `last_year` or earlier whose records are still held, ordered as
 * store_submissions_list() orders them, into *out (the caller frees it).
 */
int store_retention_due(struct store *s, int last_year,
			struct store_submission **out, size_t *count,
			struct parity_error *err);

/*
 * Inside a transaction: delete the records of `sub`, keeping it and its
 * aggregates, and record that they went, when, who removed them
 * (`by`) and under what period (`years`). *removed is how many records
 * went.
 */
int store_records_remove(struct store *s, const struct store_submission *sub,
			 int years, const char *by, long *removed,
			 struct parity_error *err);

/* Whether submission `id`'s records were removed: 1 with `at` (at least
 * 32 bytes) set to when, 0 when they are held, -1 on a failure. */
int store_records_removed_at(struct store *s, int64_t id, char *at,
			     size_t size, struct parity_error *err);

#endif
