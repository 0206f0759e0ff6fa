/*
 * status.h - where each council's returns for a year stand (status.c):
 * received, late or overdue against the day they are due, and what their
 * data-quality report flags. What the analysts' status page and
 * GET /api/v1/status both show. Private to server/.
 */
#ifndef PARITY_SERVER_STATUS_H
#define PARITY_SERVER_STATUS_H

#include "handlers.h"

#include "base/error.h"
#include "domain/area.h"
#include "table/table.h"

#include <stdbool.h>

/* Returns for staff at 31 March of year Y are due by this day of year Y
 * unless `parity serve --returns-due MM-DD` says otherwise. */
#define RETURNS_DUE_DEFAULT "09-30"

enum return_state {
	RETURN_RECEIVED,     /* first sent by the day it was due */
	RETURN_LATE,         /* first sent after it */
	RETURN_NOT_YET_DUE,  /* not sent, and not yet due */
	RETURN_OVERDUE       /* not sent, and past the day it was due */
};

/* "received", "late", "not yet due", "overdue". */
const char *return_state_name(enum return_state state);

/* The quality report's flagged rows, by measure: the most kept. */
#define RETURN_FLAGS_KEPT 8

struct return_status {
	enum return_state state;
	bool received;
	struct store_submission current;  /* when received */
	char first_sent[11];              /* the first version's date,
					   * YYYY-MM-DD; "" when not sent */
	char due[11];                     /* YYYY-MM-DD */
	/* rows of the current version's quality report flagged high, low
	 * or check, by measure ("not_known_rate", "records_change", ...) */
	const char *flags[RETURN_FLAGS_KEPT];
	size_t flag_count;
	struct tidy_table quality;        /* owns the flags' text */
};

/*
 * Where council `area`'s return of `kind` (workforce or recruitment) for
 * `year` stands, today being c->now. 0 with `st` filled (release it with
 * return_status_release()), or -1 with `err` set.
 */
int return_status_load(const struct route_call *c, const struct area *area,
		       enum store_kind kind, int year,
		       struct return_status *st, struct parity_error *err);
void return_status_release(struct return_status *st);

#endif
