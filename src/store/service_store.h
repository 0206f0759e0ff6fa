/*
 * service_store.h - service returns in the store: counts by stage and
 * ethnic group (docs/formats/service-return.md).
 *
 * A service return is a submission (store.h) of kind STORE_SERVICE whose
 * subject is the service's name, for one area and year; a new version of
 * the same service, area and year supersedes the old one, as for any
 * return. Its counts are few (stages times groups), so they are the
 * aggregates: reports read them directly and pool them across areas.
 *
 * Years. Services count by financial or academic year ('2023-24') or by
 * calendar year ('2023'). submission.year holds the year the period
 * starts, and the period's own text is kept beside it.
 */
#ifndef PARITY_STORE_SERVICE_STORE_H
#define PARITY_STORE_SERVICE_STORE_H

#include "base/error.h"
#include "store/store.h"

#include <stdint.h>

/* Inside the transaction that added submission `submission`: what the
 * return is for. `level` is "detailed" or "high". */
int store_service_return_add(struct store *s, int64_t submission,
			     const char *period, const char *level,
			     struct parity_error *err);
/* Inside the same transaction: one count. `group` is a service group code
 * (service_def.h); a NAN count was suppressed in the source. `label` is
 * the ethnicity label the row gave, or NULL. */
int store_service_count_add(struct store *s, int64_t submission,
			    const char *stage, const char *group, double count,
			    long line, const char *label,
			    struct parity_error *err);

struct store_service_return {
	struct store_submission sub;
	char period[16];
	char level[16];
};

/* The current return for a service, area and year (the year the period
 * starts): 1 and `out` filled, 0 when there is none, -1 on error. */
int store_service_current(struct store *s, const char *service,
			  const char *area_code, int year,
			  struct store_service_return *out,
			  struct parity_error *err);

/*
 * Call `fn` for each count of a submission; the strings are valid only
 * during the call. A non-zero return from `fn` stops the walk and is
 * returned.
 */
typedef int (*store_service_count_fn)(void *ctx, const char *stage,
				      const char *group, double count);
int store_service_counts_each(struct store *s, int64_t submission,
			      store_service_count_fn fn, void *ctx,
			      struct parity_error *err);

/* One stored count as it was given, to be read again under a newer
 * alias register: the strings are valid only during the call. */
struct store_service_row {
	const char *stage;
	const char *group;
	double count;       /* NAN: suppressed */
	long line;
	const char *label;  /* NULL: stored before labels were kept */
};
typedef int (*store_service_row_fn)(void *ctx,
				    const struct store_service_row *r);
/* Each count of a submission, in the order of its lines. */
int store_service_rows_each(struct store *s, int64_t submission,
			    store_service_row_fn fn, void *ctx,
			    struct parity_error *err);

#endif
