/*
 * review.h - peer review of a submitted assessment (assurance): an analyst
 * assigns a reviewing council; that council's reviewer records, for each
 * criterion, agreement with the council's level or the level they would
 * give, with a comment, and signs the review off; the assessed council
 * may then respond, once. Both stay on record: nothing of a review is
 * ever deleted, its entries are fixed once signed off, and the response
 * closes it (migration 0008's triggers).
 *
 * Rules kept here (docs/frameworks.md, Peer review): only a submitted
 * assessment is reviewed, and only its newest submitted version; a
 * council never reviews itself; only the assigned council records and
 * signs off (the actor's area_code must be it: a reviewer account's
 * council); a review is signed off only when it has an entry for every
 * criterion the assessment gives a level; only the assessed council
 * responds, and only after sign-off. Who may call each function at all
 * (an analyst assigns; a reviewer records and signs off; a submitter
 * responds) is the front ends' rule table. Every change is audited in
 * its transaction: "standard.review.assign", "standard.review.record",
 * "standard.review.signoff", "standard.review.respond".
 *
 * Ownership: a struct review filled here is released with
 * review_release() (store/assessment_store.h); parsed entries are freed
 * with review_entries_free().
 */
#ifndef PARITY_STANDARD_REVIEW_H
#define PARITY_STANDARD_REVIEW_H

#include "base/diag.h"
#include "base/error.h"
#include "standard/assessment.h"
#include "standard/framework.h"
#include "store/assessment_store.h"
#include "store/store.h"

#include <stddef.h>

/*
 * Assign council `reviewer_area` to review the newest submitted
 * assessment of `framework_id` by `area_code` for `year`. *out (may be
 * NULL) is given the review (release it).
 */
int review_assign(struct store *s, const char *framework_id,
		  const char *area_code, int year, const char *reviewer_area,
		  const struct standard_actor *who, struct review *out,
		  struct parity_error *err);

/*
 * Read a reviewer's entries from JSON text named `where`:
 * {"criteria": {"ID": {"agree": true, "comment": "..."},
 *               "ID": {"level": "developing", "comment": "..."}}}
 * (docs/formats/assessment.md). Levels are read against `f`. Problems
 * are appended, located; 0 and *out, *count (free with
 * review_entries_free()), or -1.
 */
int review_parse(const struct framework *f, const char *text, size_t len,
		 const char *where, struct review_entry **out, size_t *count,
		 struct diag_list *problems);
void review_entries_free(struct review_entry *e, size_t n);

/*
 * Record `entries` in the review of the newest submitted assessment of
 * `framework_id` by `area_code` for `year`, as the reviewing council
 * (who->area_code). An entry that agrees takes the council's level; one
 * for a criterion the assessment gives no level is refused. An earlier
 * entry for the same criterion is replaced until sign-off.
 */
int review_record(struct store *s, const struct framework *f,
		  const char *area_code, int year,
		  const struct review_entry *entries, size_t count,
		  const struct standard_actor *who, struct parity_error *err);
/* Sign the review off, as the reviewing council. */
int review_sign_off(struct store *s, const struct framework *f,
		    const char *area_code, int year,
		    const struct standard_actor *who, struct parity_error *err);
/* Record the assessed council's response (who->area_code must be
 * `area_code`, or "" for a London-wide role acting for it). */
int review_respond(struct store *s, const char *framework_id,
		   const char *area_code, int year, const char *text,
		   const struct standard_actor *who, struct parity_error *err);

/*
 * The review of the newest submitted assessment of `framework_id` by
 * `area_code` for `year`: 1 and *out filled (and *assessment, when not
 * NULL: release both), 0 when there is no such assessment or review,
 * -1.
 */
int review_get(struct store *s, const char *framework_id,
	       const char *area_code, int year, struct review *out,
	       struct assessment *assessment, struct parity_error *err);

#endif
