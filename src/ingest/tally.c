/*
 * tally.c - a return's aggregates made from its records (see tally.h).
 */
#include "ingest/tally.h"

#include "base/alloc.h"
#include "measure/stats.h"

#include <stdlib.h>
#include <string.h>

void return_tally_init(struct return_tally *t)
{
	memset(t, 0, sizeof(*t));
}

void return_tally_staff(struct return_tally *t, const struct store_staff *r)
{
	struct tally_pay *p = &t->pay[r->ethnicity];
	int e;

	if (p->n == p->cap)
		p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->v[p->n++] = r->annual_salary;
	for (e = 0; e < STORE_EVENT_COUNT; e++)
		store_event_count_add(&t->events[e][r->ethnicity],
				      r->events[e]);
	t->roma = t->roma || r->ethnicity == ETH_WROM;
	t->rows++;
}

void return_tally_applicant(struct return_tally *t,
			    const struct store_applicant *r)
{
	struct store_applicant_count *c = &t->applicants[r->ethnicity];

	c->applied++;
	c->shortlisted += r->shortlisted;
	c->appointed += r->appointed;
	t->roma = t->roma || r->ethnicity == ETH_WROM;
	t->rows++;
}

int return_tally_write(struct store *s, int64_t submission,
		       struct return_tally *t, struct parity_error *err)
{
	int eth, k;

	for (eth = 0; eth < ETH_COUNT; eth++) {
		struct tally_pay *p = &t->pay[eth];
		struct store_applicant_count *a = &t->applicants[eth];

		if (p->n) {
			stats_sort_salaries(p->v, p->n);
			if (store_pay_add(s, submission, (enum ethnicity_id)eth,
					  p->v, p->n, err) < 0)
				return -1;
			for (k = 0; k < STORE_EVENT_COUNT; k++)
				if (store_event_add(s, submission,
						    (enum ethnicity_id)eth,
						    (enum store_event)k,
						    &t->events[k][eth], err) < 0)
					return -1;
		}
		if (a->applied &&
		    store_applicant_count_add(s, submission,
					      (enum ethnicity_id)eth, a,
					      err) < 0)
			return -1;
	}
	return 0;
}

void return_tally_release(struct return_tally *t)
{
	int eth;

	for (eth = 0; eth < ETH_COUNT; eth++)
		free(t->pay[eth].v);
	memset(t, 0, sizeof(*t));
}
