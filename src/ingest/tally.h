/*
 * tally.h - a return's aggregates made from its records, as an import
 * makes them: each ethnic group's salaries (sorted when written), its
 * counts of each yes/no event, and its applicants' counts. Used where a
 * return's records are read again from the store: reclassifying
 * (reclassify.c) and objections (objection.c).
 *
 * Ownership: a struct return_tally owns its salary arrays; release it
 * with return_tally_release().
 */
#ifndef PARITY_INGEST_TALLY_H
#define PARITY_INGEST_TALLY_H

#include "base/error.h"
#include "domain/ethnicity.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>

struct return_tally {
	struct tally_pay {
		double *v;
		size_t n, cap;
	} pay[ETH_COUNT];
	struct store_event_count events[STORE_EVENT_COUNT][ETH_COUNT];
	struct store_applicant_count applicants[ETH_COUNT];
	long rows;
	bool roma;   /* a record in the Roma group: 2021 categories */
};

void return_tally_init(struct return_tally *t);
/* Count one record in. */
void return_tally_staff(struct return_tally *t, const struct store_staff *r);
void return_tally_applicant(struct return_tally *t,
			    const struct store_applicant *r);
/* Inside a transaction: write the tally as submission `submission`'s
 * aggregates (its salaries sorted first). */
int return_tally_write(struct store *s, int64_t submission,
		       struct return_tally *t, struct parity_error *err);
void return_tally_release(struct return_tally *t);

#endif
