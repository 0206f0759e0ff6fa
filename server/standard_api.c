/*
 * standard_api.c - the Racial Equality Standard (and its toolkits and
 * survey) in the JSON API: the frameworks; a council's assessment for a
 * year as the template shows it, its own figures and the level they
 * suggest pre-filled; saving a draft or submitting it (422 with every
 * problem located); London's distribution and the named levels the
 * sharing rule allows; peer review (an analyst assigns a reviewing
 * council, its reviewer records entries and signs off, the council
 * responds). Each change is audited in its transaction (standard_hub.c).
 */
#include "handlers.h"

#include "actions.h"
#include "standard_hub.h"

#include "hub/accounts.h"
#include "standard/review.h"
#include "standard/score.h"
#include "store/assessment_store.h"

#include <stdlib.h>
#include <string.h>

void api_frameworks(struct route_call *c)
{
	const struct framework_set *set = c->ctx->frameworks;
	json_t *list = json_array();
	size_t k, t;

	for (k = 0; k < set->count; k++) {
		const struct framework *f = set->items[k];
		json_t *themes = json_array();

		for (t = 0; t < f->nthemes; t++)
			json_array_append_new(themes, json_pack(
				"{s:s, s:s}", "id", f->themes[t].id, "title",
				f->themes[t].title));
		json_array_append_new(list, json_pack(
			"{s:s, s:i, s:s, s:s, s:s, s:o}", "id", f->id,
			"version", f->version, "kind",
			framework_kind_name(f->kind), "title", f->title,
			"status", f->status ? f->status : "", "themes",
			themes));
	}
	server_json(c->res, 200, json_pack("{s:o}", "frameworks", list));
}

/* The store failed: 500. */
static void store_failed(struct route_call *c)
{
	server_json_error(c->res, 500, "store", "the store failed");
}

/* An answer for a refusal of the Standard's library. */
static void refused(struct route_call *c, const struct parity_error *err)
{
	switch (err->code) {
	case PARITY_ERR_DENIED:
	case PARITY_ERR_NOT_FOUND:
		server_json_error(c->res, 404, "not_found", "%s", err->message);
		break;
	case PARITY_ERR_VALIDATION:
	case PARITY_ERR_USAGE:
		server_json_error(c->res, 409, "conflict", "%s", err->message);
		break;
	default:
		server_store_error(c->res, err);
	}
}

void api_assessment_get(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct standard_call sc;
	struct assessment current, earlier;
	bool have_earlier = false;
	json_error_t jerr;
	json_t *doc;
	char *text;
	int rc;

	if (standard_call_init(&sc, c, false) < 0)
		return;
	if (!sc.area_code[0]) {
		server_json_error(c->res, 400, "bad_parameter",
				  "area is required");
		return;
	}
	memset(&current, 0, sizeof(current));
	memset(&earlier, 0, sizeof(earlier));
	rc = assessment_get(c->store, sc.f->id, sc.area_code, sc.year, false,
			    &current, &err);
	if (rc == 0) {
		snprintf(current.framework, sizeof(current.framework), "%s",
			 sc.f->id);
		current.framework_version = sc.f->version;
		snprintf(current.area_code, sizeof(current.area_code), "%s",
			 sc.area_code);
		current.year = sc.year;
	}
	if (rc >= 0)
		rc = assessment_get(c->store, sc.f->id, sc.area_code,
				    sc.year - 1, true, &earlier, &err);
	have_earlier = rc > 0;
	if (rc < 0 || standard_evidence_fill(&sc.data, sc.f, &current,
					     &err) < 0) {
		store_failed(c);
		goto out;
	}
	if (route_audit(c, "read.unsuppressed", sc.area_code, sc.year, 0,
			"assessment") < 0)
		goto out;
	text = assessment_template(sc.f, &current,
				   have_earlier ? &earlier : NULL);
	doc = text ? json_loads(text, 0, &jerr) : NULL;
	free(text);
	if (!doc) {
		server_json_error(c->res, 500, "internal",
				  "the assessment could not be written");
		goto out;
	}
	json_object_set_new(doc, "state",
			    json_string(current.id == 0 ? "new"
					: current.submitted ? "submitted"
							    : "draft"));
	json_object_set_new(doc, "version", json_integer(current.version));
	server_json(c->res, 200, doc);
out:
	assessment_release(&current);
	assessment_release(&earlier);
}

int standard_save_text(struct standard_call *sc, const char *text,
		       size_t len, bool submit, struct diag_list *problems,
		       struct assessment *a, struct parity_error *err)
{
	if (assessment_parse(sc->c->ctx->frameworks, text, len, "assessment",
			     sc->area_code, sc->year, a, problems) < 0)
		return 1;
	if (strcmp(a->framework, sc->f->id) != 0) {
		diag_add(problems, DIAG_ERROR, "assessment", 1, 1,
			 "framework is '%s', not the '%s' asked for",
			 a->framework, sc->f->id);
		return 1;
	}
	sc->f = framework_find(sc->c->ctx->frameworks, a->framework,
			       a->framework_version);
	if (!sc->f)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"no such framework version");
	if (standard_evidence_fill(&sc->data, sc->f, a, err) < 0)
		return -1;
	if (assessment_check(sc->f, a, submit, "assessment", problems) < 0)
		return 1;
	return assessment_save(sc->c->store, sc->f, a, submit, &sc->actor,
			       err) < 0
		       ? -1
		       : 0;
}

void api_assessment_save(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list problems = DIAG_LIST_INIT;
	struct standard_call sc;
	struct assessment a;
	const char *submit_text = server_query(c->req, "submit");
	bool submit = submit_text && strcmp(submit_text, "true") == 0;
	int rc;

	if (standard_call_init(&sc, c, false) < 0)
		return;
	if (!sc.area_code[0]) {
		server_json_error(c->res, 400, "bad_parameter",
				  "area is required");
		return;
	}
	if (submit_text && !submit && strcmp(submit_text, "false") != 0) {
		server_json_error(c->res, 400, "bad_parameter",
				  "submit is true or false");
		return;
	}
	if (!c->req->content_type ||
	    strncmp(c->req->content_type, "application/json", 16) != 0) {
		server_json_error(c->res, 415, "unsupported_media_type",
				  "an assessment is sent as application/json");
		return;
	}
	memset(&a, 0, sizeof(a));
	rc = standard_save_text(&sc, c->req->body, c->req->body_len, submit,
				&problems, &a, &err);
	if (rc > 0) {
		diag_list_sort(&problems);
		server_json(c->res, 422, json_pack(
			"{s:s, s:s, s:I, s:o}", "code", "invalid_assessment",
			"message", "the assessment has problems: nothing was "
				   "saved",
			"errors", (json_int_t)problems.errors, "problems",
			server_problems_json(&problems)));
	} else if (rc < 0) {
		refused(c, &err);
	} else {
		server_json(c->res, submit ? 201 : 200, json_pack(
			"{s:I, s:s, s:s, s:i, s:i, s:s}", "id",
			(json_int_t)a.id, "framework", a.framework, "area_code",
			a.area_code, "year", a.year, "version", a.version,
			"state", a.submitted ? "submitted" : "draft"));
	}
	assessment_release(&a);
	diag_list_release(&problems);
}

void api_standard_benchmark(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct standard_call sc;
	struct standard_viewer viewer;
	struct tidy_table dist, named;

	if (standard_call_init(&sc, c, false) < 0)
		return;
	viewer.area_code = c->who->role == HUB_ROLE_SUBMITTER ||
					   c->who->role == HUB_ROLE_VIEWER
				   ? c->who->area_code
				   : NULL;
	viewer.everyone = c->who->role == HUB_ROLE_ANALYST;
	tidy_table_init(&dist);
	tidy_table_init(&named);
	if (standard_distribution_table(&sc.data, sc.f, sc.year, &dist,
					&err) < 0 ||
	    standard_named_table(&sc.data, sc.f, sc.year, &viewer, &named,
				 &err) < 0)
		store_failed(c);
	else
		server_json(c->res, 200, json_pack(
			"{s:s, s:i, s:o, s:o}", "framework", sc.f->id, "year",
			sc.year, "distribution", server_table_json(&dist),
			"named", server_table_json(&named)));
	tidy_table_free(&dist);
	tidy_table_free(&named);
}

void api_review_assign(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct standard_call sc;
	const char *reviewer = server_param(c->req, "reviewer");
	struct review r;
	int a;

	if (standard_call_init(&sc, c, false) < 0)
		return;
	a = reviewer ? area_find(c->ctx->areas, reviewer) : -1;
	if (!sc.area_code[0] || a < 0 ||
	    c->ctx->areas->areas[a].type != AREA_BOROUGH) {
		server_json_error(c->res, 400, "bad_parameter",
				  "area and reviewer must be London councils");
		return;
	}
	if (review_assign(c->store, sc.f->id, sc.area_code, sc.year,
			  c->ctx->areas->areas[a].code, &sc.actor, &r,
			  &err) < 0) {
		refused(c, &err);
		return;
	}
	server_json(c->res, 201, json_pack(
		"{s:I, s:s, s:s, s:i, s:s}", "id", (json_int_t)r.id,
		"framework", sc.f->id, "area_code", sc.area_code, "year",
		sc.year, "reviewer", r.reviewer_area));
	review_release(&r);
}

void api_review_record(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list problems = DIAG_LIST_INIT;
	struct standard_call sc;
	struct review_entry *entries = NULL;
	const char *sign = server_query(c->req, "sign_off");
	size_t n = 0;
	int rc;

	if (standard_call_init(&sc, c, false) < 0)
		return;
	rc = standard_review_assigned(&sc);
	if (rc < 0) {
		store_failed(c);
		return;
	}
	if (rc == 0) {
		server_json_error(c->res, 404, "not_found",
				  "no review of that assessment is assigned "
				  "to your council");
		return;
	}
	if (c->req->body_len > 0 &&
	    review_parse(sc.f, c->req->body, c->req->body_len, "review",
			 &entries, &n, &problems) < 0) {
		diag_list_sort(&problems);
		server_json(c->res, 422, json_pack(
			"{s:s, s:s, s:I, s:o}", "code", "invalid_review",
			"message", "the review has problems: nothing was "
				   "recorded",
			"errors", (json_int_t)problems.errors, "problems",
			server_problems_json(&problems)));
		diag_list_release(&problems);
		return;
	}
	diag_list_release(&problems);
	rc = n ? review_record(c->store, sc.f, sc.area_code, sc.year, entries,
			       n, &sc.actor, &err)
	       : 0;
	review_entries_free(entries, n);
	if (rc == 0 && sign && strcmp(sign, "true") == 0)
		rc = review_sign_off(c->store, sc.f, sc.area_code, sc.year,
				     &sc.actor, &err);
	if (rc < 0) {
		refused(c, &err);
		return;
	}
	server_json(c->res, 200, json_pack(
		"{s:s, s:s, s:i, s:I, s:b}", "framework", sc.f->id,
		"area_code", sc.area_code, "year", sc.year, "recorded",
		(json_int_t)n, "signed_off", sign && strcmp(sign, "true") == 0));
}

void api_review_respond(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct standard_call sc;
	json_error_t jerr;
	json_t *body, *text;

	if (standard_call_init(&sc, c, false) < 0)
		return;
	body = json_loadb(c->req->body, c->req->body_len, 0, &jerr);
	text = body ? json_object_get(body, "text") : NULL;
	if (!json_is_string(text) || !json_string_value(text)[0]) {
		json_decref(body);
		server_json_error(c->res, 400, "bad_json",
				  "the body is {\"text\": \"the council's "
				  "response\"}");
		return;
	}
	if (review_respond(c->store, sc.f->id, sc.area_code, sc.year,
			   json_string_value(text), &sc.actor, &err) < 0)
		refused(c, &err);
	else
		server_json(c->res, 200, json_pack(
			"{s:s, s:s, s:i, s:b}", "framework", sc.f->id,
			"area_code", sc.area_code, "year", sc.year,
			"responded", 1));
	json_decref(body);
}
