/*
 * standard_hub.c - what the hub's Standard routes share (see
 * standard_hub.h).
 */
#include "standard_hub.h"

#include "page.h"

#include "base/number.h"
#include "domain/area.h"
#include "hub/accounts.h"
#include "ingest/returns.h"
#include "store/assessment_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The audit entry of a change, in its transaction. */
static int audit(void *ctx, const char *action, const char *area_code,
		 int year, const char *detail, struct parity_error *err)
{
	struct standard_call *sc = ctx;

	return hub_audit_within(sc->c->store, sc->c->who, action, area_code,
				year, 0, "ok", detail, sc->c->now, err);
}

static int refuse(struct route_call *c, bool page, const char *message)
{
	if (!page) {
		server_json_error(c->res, 400, "bad_parameter", "%s", message);
		return -1;
	}
	c->res->status = 400;
	page_begin(c, "Not a framework or year");
	strbuf_addstr(&c->res->body, "<p class=\"govuk-body\">");
	page_escape(&c->res->body, message);
	strbuf_addstr(&c->res->body, "</p>\n");
	page_end(c);
	return -1;
}

int standard_call_init(struct standard_call *sc, struct route_call *c,
		       bool page)
{
	const char *id = server_param(c->req, "framework");
	const char *year = server_param(c->req, "year");
	const char *area = server_param(c->req, "area");
	long y;
	int a;

	memset(sc, 0, sizeof(*sc));
	sc->c = c;
	sc->data.store = c->store;
	sc->data.areas = c->ctx->areas;
	sc->data.census = c->ctx->census;
	sc->data.services = c->ctx->services;
	sc->f = framework_find(c->ctx->frameworks,
			       id ? id : "racial-equality-standard", 0);
	if (!sc->f)
		return refuse(c, page, "framework must be one of the "
				       "frameworks (GET /api/v1/frameworks)");
	if (year) {
		if (number_parse_int(year, RETURN_YEAR_MIN, RETURN_YEAR_MAX,
				     &y) < 0)
			return refuse(c, page, "year must be a year from 2000 "
					       "to 2100");
		sc->year = (int)y;
	} else {
		sc->year = (int)page_year(c, NULL);
	}
	if (c->area_code) {
		snprintf(sc->area_code, sizeof(sc->area_code), "%s",
			 c->area_code);
	} else if (area) {
		a = area_find(c->ctx->areas, area);
		if (a >= 0 && c->ctx->areas->areas[a].type == AREA_BOROUGH)
			snprintf(sc->area_code, sizeof(sc->area_code), "%s",
				 c->ctx->areas->areas[a].code);
	}
	sc->actor.by = c->who->email;
	/* a council's accounts act for their council; a reviewer for the
	 * reviewing council; analysts London-wide */
	sc->actor.area_code = c->who->role == HUB_ROLE_ANALYST
				      ? ""
				      : c->who->area_code;
	sc->actor.now = c->now;
	sc->actor.audit = audit;
	sc->actor.audit_ctx = sc;
	return 0;
}

int standard_review_assigned(struct standard_call *sc)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct review *all = NULL;
	struct assessment a;
	size_t n = 0, k;
	int found = 0;

	if (!sc->area_code[0])
		return 0;
	if (store_reviews_list(sc->c->store, sc->c->who->area_code, &all, &n,
			       &err) < 0)
		return -1;
	for (k = 0; k < n && !found; k++) {
		if (store_assessment_get(sc->c->store, all[k].assessment_id, &a,
					 &err) <= 0)
			continue;
		found = strcmp(a.framework, sc->f->id) == 0 &&
			strcmp(a.area_code, sc->area_code) == 0 &&
			a.year == sc->year;
		assessment_release(&a);
	}
	for (k = 0; k < n; k++)
		review_release(&all[k]);
	free(all);
	return found;
}
