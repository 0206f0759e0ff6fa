/*
 * objection.h - members of staff and applicants who object to the
 * processing of their data (UK GDPR Article 21; docs/privacy.md), kept by
 * the store as the pseudonym their council's returns give them (table
 * objection, migration 0015), never by their id.
 *
 * From the moment an objection is recorded, the store leaves the person's
 * records out of every reading of a return's records (store_staff_each(),
 * store_applicant_each()), for every return of their council and kind,
 * stored before or after. The aggregates, made at import, are made again
 * without them by the caller (ingest/objection.h).
 *
 * Ownership: a struct objection_set is the caller's, released with
 * objection_set_release().
 */
#ifndef PARITY_STORE_OBJECTION_H
#define PARITY_STORE_OBJECTION_H

#include "base/error.h"
#include "store/pseudonym.h"
#include "store/store.h"

#include <stdbool.h>
#include <stddef.h>

/* The pseudonyms objecting for one council and kind, sorted. */
struct objection_set {
	unsigned char (*person)[PSEUDONYM_BYTES];
	size_t count;
};

/* The objections that apply to the records of submission `id`. */
int store_objection_set(struct store *s, int64_t id,
			struct objection_set *out, struct parity_error *err);
/* The objections of a council's returns of `kind` (workforce or
 * recruitment). */
int store_objection_set_for(struct store *s, const char *area_code,
			    enum store_kind kind, struct objection_set *out,
			    struct parity_error *err);
bool objection_set_has(const struct objection_set *set,
		       const unsigned char person[PSEUDONYM_BYTES]);
void objection_set_release(struct objection_set *set);

/*
 * Inside a transaction: record that `person` objects, for council
 * `area_code` and kind `kind`, by `by`. *added is false (and nothing
 * changes) when the objection was recorded already.
 */
int store_objection_add(struct store *s, const char *area_code,
			enum store_kind kind,
			const unsigned char person[PSEUDONYM_BYTES],
			const char *by, bool *added,
			struct parity_error *err);

/* How many objections each council's returns of each kind are under. */
struct store_objection_count {
	char area_code[16];
	enum store_kind kind;
	long count;
	char latest[32];      /* when the latest was recorded */
};
int store_objections_count(struct store *s,
			   struct store_objection_count **out, size_t *n,
			   struct parity_error *err);

/* Inside a transaction: delete the aggregates of submission `id`
 * (salaries, event and applicant counts by ethnic group), to be made
 * again. */
int store_aggregates_remove(struct store *s, int64_t id,
			    struct parity_error *err);

#endif
