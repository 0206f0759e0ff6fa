/*
 * standard_hub.h - what the hub's Standard routes share (standard_hub.c):
 * who acts (the signed-in account, audited through hub_audit_within() in
 * the change's transaction), the figures' sources, and the framework,
 * council and year a request names. Private to server/.
 */
#ifndef PARITY_SERVER_STANDARD_HUB_H
#define PARITY_SERVER_STANDARD_HUB_H

#include "handlers.h"

#include "standard/assessment.h"
#include "standard/framework.h"
#include "store/assessment_store.h"

struct standard_call {
	struct route_call *c;
	struct standard_data data;
	struct standard_actor actor;
	const struct framework *f;
	char area_code[16];  /* the council the request is about; "" none */
	int year;
};

/*
 * Read ?framework= (an id; the newest version), ?area= (or the form's, or
 * the account's own council) and ?year= (or the form's; default: this
 * year), and set who acts: for a change, the council the account belongs
 * to ("" for analysts). 0, or -1 with c->res set (400 for a framework or
 * year that is not one, as JSON or a page as `page` says).
 */
int standard_call_init(struct standard_call *sc, struct route_call *c,
		       bool page);

/*
 * For a reviewer: whether the assessment of sc->area_code for sc->year is
 * assigned for review to the reviewer's council. 1, 0, or -1 on a store
 * error.
 */
int standard_review_assigned(struct standard_call *sc);

/*
 * Read, check and save the assessment in `text` (JSON, as
 * docs/formats/assessment.md gives it) for sc's council and year, as a
 * draft or (`submit`) submitted: 0 saved (*a filled; release it), 1
 * refused with its problems in `problems`, -1 with `err` set.
 */
int standard_save_text(struct standard_call *sc, const char *text,
		       size_t len, bool submit, struct diag_list *problems,
		       struct assessment *a, struct parity_error *err);

#endif
