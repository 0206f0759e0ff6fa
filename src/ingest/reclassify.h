/*
 * reclassify.h - reading a stored return's labels again under the alias
 * register as it is now (`parity returns reclassify`).
 *
 * A change to the register never changes a stored return by itself: each
 * submission records the register version its labels were read with, and
 * reclassifying is explicit. A submission is read again from what the
 * store kept of it: every record's label as given (staff in their packed
 * blocks, version 2; applicants and service counts in their rows) and how
 * each distinct label was read (store_labels_each()). Its labels are read
 * by a classifier holding the built-in labels, the register as it is now,
 * and the aliases of the import's own alias file that the submission used
 * (kept as the labels' rule "alias file"; one that the register now
 * contradicts is a reason not to reclassify, never a silent change).
 *
 * The outcome, per submission:
 *   - some records read as another category: a new version of the
 *     submission (submissions are immutable, docs/reliability.md S5),
 *     made by reclassification (origin 'reclassify'), recording the new
 *     register version, with its records, aggregates and labels, in one
 *     transaction; the version it supersedes stays, superseded;
 *   - every label reads the same: no new version (nothing about the
 *     return changed); the store records that it was checked against
 *     this register version (alias_check), so it is not read again until
 *     the register changes;
 *   - it cannot be read again, and nothing is stored: its labels were not
 *     kept (stored before they were), a label no longer reads (its alias
 *     was removed), a file alias now contradicts the register, or, for a
 *     service return, the counts read again break the return's own
 *     checks (a group counted twice at a stage).
 */
#ifndef PARITY_INGEST_RECLASSIFY_H
#define PARITY_INGEST_RECLASSIFY_H

#include "base/error.h"
#include "domain/area.h"
#include "domain/service_def.h"
#include "store/store.h"

#include <stddef.h>

struct reclassify_options {
	const char *by;                  /* who */
	const char *at;                  /* UTC ISO 8601; NULL: now */
	const struct service_defs *defs; /* for service returns */
	const struct area_set *areas;    /* for areas' names in messages;
					  * may be NULL */
};

enum reclassify_outcome {
	RECLASSIFY_NEW_VERSION,
	RECLASSIFY_UNCHANGED,
	RECLASSIFY_NOT_POSSIBLE
};

struct reclassify_result {
	enum reclassify_outcome outcome;
	struct store_submission from;   /* the submission read again */
	struct store_submission to;     /* NEW_VERSION: the version made */
	int version;                    /* the register version applied */
	long records;                   /* records (service: rows) read */
	long changed;                   /* of which read as another category */
	size_t labels_changed;          /* distinct labels read differently */
	char why[1024];                 /* NOT_POSSIBLE: why, in a sentence */
};

/*
 * Read current submission `id` again under the register as it is now, in
 * one transaction of its own. 0 with `res` filled whatever the outcome;
 * -1 with `err` set when the store fails (nothing is stored).
 */
int reclassify_submission(struct store *s, int64_t id,
			  const struct reclassify_options *opt,
			  struct reclassify_result *res,
			  struct parity_error *err);

#endif
