/*
 * status.c - where each council's returns for a year stand: the current
 * version and the date of the first, against the day returns are due
 * (received, late, not yet due, overdue), and the measures its
 * data-quality report flags. The status page and GET /api/v1/status show
 * what this gives.
 */
#include "status.h"

#include "base/clock.h"
#include "ingest/quality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *return_state_name(enum return_state state)
{
	switch (state) {
	case RETURN_RECEIVED: return "received";
	case RETURN_LATE: return "late";
	case RETURN_NOT_YET_DUE: return "not yet due";
	case RETURN_OVERDUE: return "overdue";
	}
	return "received";
}

/* The date the first version of the return was sent, YYYY-MM-DD, or ""
 * when none was. */
static int first_sent(const struct route_call *c, const struct area *area,
		      enum store_kind kind, int year, char out[11],
		      struct parity_error *err)
{
	struct store_filter filter = STORE_FILTER_ALL;
	struct store_submission *subs = NULL;
	size_t n = 0, k;

	out[0] = '\0';
	filter.area_code = area->code;
	filter.year = year;
	filter.kind = (int)kind;
	if (store_submissions_list(c->store, &filter, &subs, &n, err) < 0)
		return -1;
	for (k = 0; k < n; k++)
		if (!out[0] || strncmp(subs[k].submitted_at, out, 10) < 0)
			snprintf(out, 11, "%.10s", subs[k].submitted_at);
	free(subs);
	return 0;
}

/* The current version's quality report, and the measures it flags. */
static int quality_flags(const struct route_call *c, const struct area *area,
			 struct return_status *st, struct parity_error *err)
{
	struct quality q;
	struct quality_previous prev;
	size_t k, j;

	quality_init(&q, st->current.kind, st->current.columns);
	if (quality_load(c->store, &st->current, &q, &prev, err) < 0) {
		quality_release(&q);
		return -1;
	}
	quality_table(&q, &st->current, area, &prev, &st->quality);
	quality_release(&q);
	for (k = 0; k < st->quality.count; k++) {
		const struct tidy_row *r = &st->quality.rows[k];
		bool seen = false;

		if (!r->flag || (strcmp(r->flag, "high") != 0 &&
				 strcmp(r->flag, "low") != 0 &&
				 strcmp(r->flag, "check") != 0))
			continue;
		for (j = 0; j < st->flag_count && !seen; j++)
			seen = strcmp(st->flags[j], r->measure) == 0;
		if (!seen && st->flag_count < RETURN_FLAGS_KEPT)
			st->flags[st->flag_count++] = r->measure;
	}
	return 0;
}

int return_status_load(const struct route_call *c, const struct area *area,
		       enum store_kind kind, int year,
		       struct return_status *st, struct parity_error *err)
{
	char today[CLOCK_DATE_SIZE];
	int rc;

	memset(st, 0, sizeof(*st));
	tidy_table_init(&st->quality);
	snprintf(st->due, sizeof(st->due), "%04u-%.5s", (unsigned)year % 10000u,
		 c->ctx->returns_due ? c->ctx->returns_due
				     : RETURNS_DUE_DEFAULT);
	clock_utc_date(c->now, today, sizeof(today));
	rc = store_submission_current(c->store, kind, area->code, year,
				      &st->current, err);
	if (rc < 0)
		return -1;
	st->received = rc > 0;
	if (!st->received) {
		st->state = strcmp(today, st->due) > 0 ? RETURN_OVERDUE
						       : RETURN_NOT_YET_DUE;
		return 0;
	}
	if (first_sent(c, area, kind, year, st->first_sent, err) < 0 ||
	    quality_flags(c, area, st, err) < 0) {
		return_status_release(st);
		return -1;
	}
	st->state = strcmp(st->first_sent, st->due) > 0 ? RETURN_LATE
							: RETURN_RECEIVED;
	return 0;
}

void return_status_release(struct return_status *st)
{
	tidy_table_free(&st->quality);
	st->flag_count = 0;
}
