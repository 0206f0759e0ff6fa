/*
 * objection.h - a member of staff's or an applicant's objection to the
 * processing of their data (UK GDPR Article 21; docs/privacy.md):
 * recorded by the pseudonym their council's returns give them, and from
 * then on their records left out of every measure.
 *
 * The store leaves their records out of every reading of the records
 * (store/objection.h). The aggregates an import made are made again here,
 * from the records as the store now reads them: for every return of their
 * council that held their record when the objection is recorded, and for
 * every return imported after (import_return() calls objection_remake()
 * before it commits).
 *
 * Ownership: a struct objection_result owns its array; release it with
 * objection_result_release().
 */
#ifndef PARITY_INGEST_OBJECTION_H
#define PARITY_INGEST_OBJECTION_H

#include "base/error.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>

struct objection_result {
	bool added;                      /* false: recorded already */
	struct store_submission *remade; /* the returns that held their
					  * record, their aggregates made
					  * again */
	size_t nremade;
};

/*
 * Record, in one transaction, that the person with id `id` in council
 * `area_code`'s returns of `kind` (workforce: staff; recruitment:
 * applicants) objects, as `by`; then make again the aggregates of every
 * return of that council and kind, superseded versions too, that holds
 * their record. Nothing changes when the objection was recorded already.
 */
int objection_record(struct store *s, const char *area_code,
		     enum store_kind kind, const char *id, const char *by,
		     struct objection_result *res, struct parity_error *err);

/* Inside a transaction: make the aggregates of `sub` again from its
 * records as the store reads them now, objectors' left out. */
int objection_remake(struct store *s, const struct store_submission *sub,
		     struct parity_error *err);

void objection_result_release(struct objection_result *r);

#endif
