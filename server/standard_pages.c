/*
 * standard_pages.c - the Racial Equality Standard in the hub's pages,
 * without JavaScript: the Standard's home (a council's assessments, an
 * analyst's view of every council's with the review to assign, a
 * reviewer's assigned reviews); a council's assessment as a form, one
 * question per criterion with its own figure and the level it suggests,
 * saved as a draft at each step or submitted (then read-only, with its
 * scores, its review and the council's response); London's distribution;
 * and the reviewer's form, recorded and signed off.
 */
#include "handlers.h"

#include "actions.h"
#include "page.h"
#include "standard_hub.h"

#include "domain/area.h"
#include "hub/accounts.h"
#include "site/html.h"
#include "standard/review.h"
#include "standard/score.h"
#include "store/assessment_store.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A link to a Standard page about council `area` (NULL: none). */
static void standard_link(struct strbuf *sb, const char *path,
			  const struct standard_call *sc, const char *area,
			  const char *label)
{
	strbuf_addf(sb, "<a class=\"govuk-link\" href=\"%s?framework=", path);
	page_escape(sb, sc->f->id);
	strbuf_addf(sb, "&amp;year=%d", sc->year);
	if (area) {
		strbuf_addstr(sb, "&amp;area=");
		page_escape(sb, area);
	}
	strbuf_addstr(sb, "\">");
	page_escape(sb, label);
	strbuf_addstr(sb, "</a>");
}

/* Hidden fields naming the framework, year and council of a form. */
static void hidden_about(struct strbuf *sb, const struct standard_call *sc)
{
	strbuf_addstr(sb, "<input type=\"hidden\" name=\"framework\" "
			  "value=\"");
	page_escape(sb, sc->f->id);
	strbuf_addf(sb, "\">\n<input type=\"hidden\" name=\"year\" "
			"value=\"%d\">\n<input type=\"hidden\" name=\"area\" "
			"value=\"", sc->year);
	page_escape(sb, sc->area_code);
	strbuf_addstr(sb, "\">\n");
}

static void simple_table_head(struct strbuf *sb, const char *caption,
			      const char *const *heads, size_t n)
{
	size_t k;

	strbuf_addstr(sb, "<table class=\"govuk-table\"><caption class=\""
			  "govuk-table__caption govuk-table__caption--m\">");
	page_escape(sb, caption);
	strbuf_addstr(sb, "</caption>\n<thead class=\"govuk-table__head\">"
			  "<tr class=\"govuk-table__row\">");
	for (k = 0; k < n; k++) {
		strbuf_addstr(sb, "<th scope=\"col\" class=\"govuk-table__"
				  "header\">");
		page_escape(sb, heads[k]);
		strbuf_addstr(sb, "</th>");
	}
	strbuf_addstr(sb, "</tr></thead>\n<tbody class=\"govuk-table__body\">"
			  "\n");
}

static void cell(struct strbuf *sb, const char *text, bool header)
{
	strbuf_addstr(sb, header ? "<th scope=\"row\" class=\"govuk-table__"
				   "header\">"
				 : "<td class=\"govuk-table__cell\">");
	page_escape(sb, text);
	strbuf_addstr(sb, header ? "</th>" : "</td>");
}

/* ---- the Standard's home ---- */

void page_standard(struct route_call *c)
{
	static const char *const heads[] = { "Council", "Assessment",
					     "Review" };
	struct parity_error err = PARITY_ERROR_INIT;
	struct strbuf *sb = &c->res->body;
	struct standard_call sc;
	size_t k;

	if (standard_call_init(&sc, c, true) < 0)
		return;
	page_begin(c, "Racial Equality Standard");
	strbuf_addstr(sb, "<p class=\"govuk-body-l\">");
	page_escape(sb, sc.f->title);
	strbuf_addf(sb, ", %d. Councils assess themselves against it, with "
			"their own figures beside each criterion; a council "
			"named by London Councils reviews each submitted "
			"assessment.</p>\n<p class=\"govuk-body\">", sc.year);
	standard_link(sb, "/hub/standard/benchmark", &sc, NULL,
		      "Where London's councils stand");
	strbuf_addstr(sb, "</p>\n");
	if (c->who->role == HUB_ROLE_SUBMITTER ||
	    c->who->role == HUB_ROLE_VIEWER) {
		strbuf_addstr(sb, "<p class=\"govuk-body\">");
		standard_link(sb, "/hub/assessment", &sc, c->who->area_code,
			      c->who->role == HUB_ROLE_SUBMITTER
				      ? "Your council's assessment: fill it in "
					"or read it"
				      : "Your council's assessment");
		strbuf_addstr(sb, "</p>\n");
	}
	if (c->who->role == HUB_ROLE_REVIEWER) {
		struct review *all = NULL;
		size_t n = 0;

		strbuf_addstr(sb, "<h2 class=\"govuk-heading-l\">Reviews "
				  "assigned to your council</h2>\n");
		if (store_reviews_list(c->store, c->who->area_code, &all, &n,
				       &err) < 0)
			n = 0;
		if (n == 0)
			strbuf_addstr(sb, "<p class=\"govuk-body\">None yet."
					  "</p>\n");
		strbuf_addstr(sb, "<ul class=\"govuk-list\">\n");
		for (k = 0; k < n; k++) {
			struct assessment a;
			struct standard_call one = sc;
			char label[256];

			if (store_assessment_get(c->store,
						 all[k].assessment_id, &a,
						 &err) <= 0)
				continue;
			one.f = framework_find(c->ctx->frameworks, a.framework,
					       a.framework_version);
			one.year = a.year;
			snprintf(label, sizeof(label), "%s, %d%s",
				 page_area_name(c, a.area_code), a.year,
				 all[k].signed_off_at ? " (signed off)" : "");
			strbuf_addstr(sb, "<li>");
			if (one.f)
				standard_link(sb, "/hub/review", &one,
					      a.area_code, label);
			strbuf_addstr(sb, "</li>\n");
			assessment_release(&a);
			review_release(&all[k]);
		}
		strbuf_addstr(sb, "</ul>\n");
		free(all);
	}
	if (c->who->role == HUB_ROLE_ANALYST) {
		simple_table_head(sb, "Every council's assessment", heads, 3);
		for (k = 0; k < c->ctx->areas->count; k++) {
			const struct area *ar = &c->ctx->areas->areas[k];
			struct assessment a;
			struct review r;
			int rc;

			if (ar->type != AREA_BOROUGH)
				continue;
			strbuf_addstr(sb, "<tr class=\"govuk-table__row\">");
			cell(sb, ar->name, true);
			rc = assessment_get(c->store, sc.f->id, ar->code,
					    sc.year, false, &a, &err);
			strbuf_addstr(sb, "<td class=\"govuk-table__cell\">");
			if (rc > 0)
				standard_link(sb, "/hub/assessment", &sc,
					      ar->code,
					      a.submitted ? "submitted"
							  : "draft");
			else
				strbuf_addstr(sb, "none");
			strbuf_addstr(sb, "</td><td class=\"govuk-table__"
					  "cell\">");
			if (rc > 0 && a.submitted &&
			    review_get(c->store, sc.f->id, ar->code, sc.year,
				       &r, NULL, &err) > 0) {
				strbuf_addf(sb, "by %s%s",
					    page_area_name(c, r.reviewer_area),
					    r.signed_off_at ? ", signed off"
							    : "");
				review_release(&r);
			} else if (rc > 0 && a.submitted) {
				strbuf_addstr(sb, "<form method=\"post\" "
						  "action=\"/hub/review/"
						  "assign\" class=\"parity-"
						  "inline-form\">\n");
				page_hidden_csrf(sb, c->who);
				strbuf_addstr(sb, "<input type=\"hidden\" "
						  "name=\"framework\" value=\"");
				page_escape(sb, sc.f->id);
				strbuf_addf(sb, "\"><input type=\"hidden\" "
						"name=\"year\" value=\"%d\">"
						"<input type=\"hidden\" name="
						"\"area\" value=\"%s\">"
						"<label class=\"govuk-label\" "
						"for=\"reviewer-%s\">Reviewing "
						"council</label><select class="
						"\"govuk-select\" id=\"reviewer-"
						"%s\" name=\"reviewer\">",
					    sc.year, ar->code, ar->code,
					    ar->code);
				{
					size_t j;

					for (j = 0; j < c->ctx->areas->count;
					     j++) {
						const struct area *o =
							&c->ctx->areas
								 ->areas[j];

						if (o->type != AREA_BOROUGH ||
						    o == ar)
							continue;
						strbuf_addf(sb, "<option "
								"value=\"%s\">",
							    o->code);
						page_escape(sb, o->name);
						strbuf_addstr(sb, "</option>");
					}
				}
				strbuf_addstr(sb, "</select> <button class=\""
						  "govuk-button govuk-button--"
						  "secondary\" type=\"submit\">"
						  "Assign</button></form>");
			} else {
				strbuf_addstr(sb, "-");
			}
			strbuf_addstr(sb, "</td></tr>\n");
			if (rc > 0)
				assessment_release(&a);
		}
		strbuf_addstr(sb, "</tbody></table>\n");
	}
	page_end(c);
}

/* ---- a council's assessment ---- */

/* What the form shows for a criterion: the form's own values when it is
 * shown again after problems, else the assessment's. */
static const char *form_value(const struct route_call *c, const char *kind,
			      const char *criterion)
{
	char name[128];

	snprintf(name, sizeof(name), "%s:%s", kind, criterion);
	return page_field_text(c, name);
}

static const struct assessment_criterion *
criterion_in(const struct assessment *a, const char *id)
{
	size_t k;

	for (k = 0; a && k < a->ncriteria; k++)
		if (strcmp(a->criteria[k].id, id) == 0)
			return &a->criteria[k];
	return NULL;
}

static void textarea(struct strbuf *sb, const char *kind, const char *cid,
		     const char *label, const char *value)
{
	strbuf_addf(sb, "<div class=\"govuk-form-group\">\n<label class=\""
			"govuk-label\" for=\"%s-%s\">", kind, cid);
	page_escape(sb, label);
	strbuf_addf(sb, "</label>\n<textarea class=\"govuk-textarea\" id=\""
			"%s-%s\" name=\"%s:%s\" rows=\"3\">", kind, cid, kind,
		    cid);
	page_escape(sb, value ? value : "");
	strbuf_addstr(sb, "</textarea>\n</div>\n");
}

static void assessment_form(struct standard_call *sc,
			    const struct assessment *a, bool again,
			    const struct diag_list *problems)
{
	struct route_call *c = sc->c;
	struct strbuf *sb = &c->res->body;
	const struct framework *f = sc->f;
	size_t t, k, l;
	char title[256];

	snprintf(title, sizeof(title), "%s: %s, %d",
		 page_area_name(c, sc->area_code), f->title, sc->year);
	page_begin(c, title);
	if (problems && problems->count) {
		strbuf_addstr(sb, "<div class=\"govuk-error-summary\" data-"
				  "module=\"govuk-error-summary\">\n<div role="
				  "\"alert\">\n<h2 class=\"govuk-error-summary__"
				  "title\">There is a problem: nothing was "
				  "saved</h2>\n<div class=\"govuk-error-summary"
				  "__body\"><ul class=\"govuk-list govuk-error-"
				  "summary__list\">\n");
		for (k = 0; k < problems->count; k++) {
			strbuf_addstr(sb, "<li>");
			page_escape(sb, problems->items[k].message);
			strbuf_addstr(sb, "</li>\n");
		}
		strbuf_addstr(sb, "</ul></div>\n</div>\n</div>\n");
	}
	strbuf_addstr(sb, "<p class=\"govuk-body\">Choose a level for each "
			  "criterion. Where parity has your council's figures "
			  "for it, they are shown with the level they suggest; "
			  "if you choose another level, say why. Save as you "
			  "go: a draft is kept until you submit.</p>\n"
			  "<form method=\"post\" action=\"/hub/assessment\" "
			  "novalidate>\n");
	page_hidden_csrf(sb, c->who);
	hidden_about(sb, sc);
	for (t = 0; t < f->nthemes; t++) {
		const struct framework_theme *th = &f->themes[t];

		strbuf_addstr(sb, "<h2 class=\"govuk-heading-l\">");
		page_escape(sb, th->title);
		strbuf_addstr(sb, "</h2>\n");
		for (k = th->first; k < th->first + th->count &&
				    k < f->ncriteria; k++) {
			const struct framework_criterion *cr = &f->criteria[k];
			const struct assessment_criterion *ac =
				criterion_in(a, cr->id);
			const char *chosen = again
						     ? form_value(c, "level",
								  cr->id)
						     : NULL;

			strbuf_addf(sb, "<div class=\"govuk-form-group\">\n"
					"<fieldset class=\"govuk-fieldset\" "
					"aria-describedby=\"hint-%s\">\n<legend "
					"class=\"govuk-fieldset__legend govuk-"
					"fieldset__legend--m\">", cr->id);
			page_escape(sb, cr->title);
			strbuf_addf(sb, "</legend>\n<div id=\"hint-%s\" class="
					"\"govuk-hint\">", cr->id);
			if (ac && ac->suggested > 0 && !isnan(ac->figure))
				strbuf_addf(sb, "Your council's figure: %.3g "
						"(95%% interval %.3g to %.3g), "
						"which suggests '%s'.",
					    ac->figure, ac->figure_low,
					    ac->figure_high,
					    f->levels[ac->suggested - 1].title);
			else if (cr->nlinks)
				strbuf_addstr(sb, "parity has no figure of "
						  "your council's for this "
						  "yet.");
			else
				strbuf_addstr(sb, "Your own evidence.");
			strbuf_addstr(sb, "</div>\n<div class=\"govuk-radios\">"
					  "\n");
			for (l = 0; l < f->nlevels; l++) {
				bool on = again ? chosen && strcmp(chosen,
								  f->levels[l]
									  .id) ==
								   0
						: ac && ac->level == (int)l + 1;

				strbuf_addf(sb, "<div class=\"govuk-radios__"
						"item\"><input class=\"govuk-"
						"radios__input\" id=\"level-%s-"
						"%zu\" name=\"level:%s\" type=\""
						"radio\" value=\"%s\"%s aria-"
						"describedby=\"level-%s-%zu-hint"
						"\"><label class=\"govuk-label "
						"govuk-radios__label\" for=\""
						"level-%s-%zu\">",
					    cr->id, l, cr->id, f->levels[l].id,
					    on ? " checked" : "", cr->id, l,
					    cr->id, l);
				page_escape(sb, f->levels[l].title);
				strbuf_addf(sb, "</label><div id=\"level-%s-"
						"%zu-hint\" class=\"govuk-hint "
						"govuk-radios__hint\">",
					    cr->id, l);
				page_escape(sb, cr->levels[l].description);
				strbuf_addstr(sb, "</div></div>\n");
			}
			strbuf_addstr(sb, "</div>\n</fieldset>\n</div>\n");
			textarea(sb, "reason", cr->id,
				 "If you chose another level than the figures "
				 "suggest, why",
				 again ? form_value(c, "reason", cr->id)
				       : ac ? ac->reason : NULL);
			textarea(sb, "evidence", cr->id, "Your evidence",
				 again ? form_value(c, "evidence", cr->id)
				       : ac ? ac->evidence : NULL);
		}
	}
	strbuf_addf(sb, "<div class=\"govuk-form-group\"><div class=\""
			"govuk-checkboxes\"><div class=\"govuk-checkboxes__"
			"item\"><input class=\"govuk-checkboxes__input\" id=\""
			"share\" name=\"share\" type=\"checkbox\" value=\""
			"true\"%s><label class=\"govuk-label govuk-checkboxes__"
			"label\" for=\"share\">Let other councils see our "
			"levels under our name</label></div></div></div>\n",
		    (again ? page_field_text(c, "share") != NULL
			   : a && a->share)
			    ? " checked"
			    : "");
	strbuf_addstr(sb, "<div class=\"govuk-button-group\"><button class="
			  "\"govuk-button govuk-button--secondary\" type=\""
			  "submit\" name=\"action\" value=\"save\">Save draft"
			  "</button><button class=\"govuk-button\" type=\""
			  "submit\" name=\"action\" value=\"submit\">Submit"
			  "</button></div>\n</form>\n");
	page_end(c);
}

/* A submitted assessment, read-only: levels, scores, the review. */
static void assessment_view(struct standard_call *sc,
			    const struct assessment *a)
{
	static const char *const heads[] = { "Criterion", "Level",
					     "Figures suggest", "Reason",
					     "Evidence" };
	static const char *const rheads[] = { "Criterion", "Reviewer",
					      "Comment" };
	struct parity_error err = PARITY_ERROR_INIT;
	struct route_call *c = sc->c;
	struct strbuf *sb = &c->res->body;
	const struct framework *f = sc->f;
	struct standard_score score;
	struct review r;
	char title[256];
	size_t k, t;
	int rc;

	snprintf(title, sizeof(title), "%s: %s, %d",
		 page_area_name(c, sc->area_code), f->title, sc->year);
	page_begin(c, title);
	strbuf_addf(sb, "<p class=\"govuk-body\">Version %d, %s.</p>\n",
		    a->version, a->submitted ? "submitted" : "a draft");
	standard_score(f, a, &score);
	simple_table_head(sb, "Levels", heads, 5);
	for (k = 0; k < f->ncriteria; k++) {
		const struct assessment_criterion *ac =
			criterion_in(a, f->criteria[k].id);

		strbuf_addstr(sb, "<tr class=\"govuk-table__row\">");
		cell(sb, f->criteria[k].title, true);
		cell(sb, ac && ac->level > 0 ? f->levels[ac->level - 1].title
					     : "not chosen", false);
		cell(sb, ac && ac->suggested > 0
				 ? f->levels[ac->suggested - 1].title
				 : "-", false);
		cell(sb, ac && ac->reason ? ac->reason : "", false);
		cell(sb, ac && ac->evidence ? ac->evidence : "", false);
		strbuf_addstr(sb, "</tr>\n");
	}
	strbuf_addstr(sb, "</tbody></table>\n<ul class=\"govuk-list\">\n");
	for (t = 0; t < score.nthemes; t++) {
		strbuf_addstr(sb, "<li>");
		page_escape(sb, f->themes[t].title);
		strbuf_addf(sb, ": %s</li>\n",
			    score.theme_level[t] > 0
				    ? f->levels[score.theme_level[t] - 1].title
				    : "not scored");
	}
	strbuf_addf(sb, "<li><strong>Overall: %s</strong></li>\n</ul>\n",
		    score.overall_level > 0
			    ? f->levels[score.overall_level - 1].title
			    : "not scored");
	standard_score_release(&score);
	rc = a->submitted ? review_get(c->store, f->id, sc->area_code,
				       sc->year, &r, NULL, &err)
			  : 0;
	if (rc > 0) {
		strbuf_addf(sb, "<h2 class=\"govuk-heading-l\">Peer review by "
				"%s</h2>\n",
			    page_area_name(c, r.reviewer_area));
		if (!r.signed_off_at)
			strbuf_addstr(sb, "<p class=\"govuk-body\">Not yet "
					  "signed off.</p>\n");
		simple_table_head(sb, "The reviewer's view", rheads, 3);
		for (k = 0; k < r.nentries; k++) {
			const struct review_entry *e = &r.entries[k];
			int fc = framework_criterion_find(f, e->criterion);

			strbuf_addstr(sb, "<tr class=\"govuk-table__row\">");
			cell(sb, fc >= 0 ? f->criteria[fc].title
					 : e->criterion, true);
			cell(sb, e->agree ? "agrees"
				 : e->level > 0
					 ? f->levels[e->level - 1].title
					 : "-", false);
			cell(sb, e->comment ? e->comment : "", false);
			strbuf_addstr(sb, "</tr>\n");
		}
		strbuf_addstr(sb, "</tbody></table>\n");
		if (r.response) {
			strbuf_addstr(sb, "<h3 class=\"govuk-heading-m\">The "
					  "council's response</h3>\n<p class="
					  "\"govuk-body\">");
			page_escape(sb, r.response);
			strbuf_addstr(sb, "</p>\n");
		} else if (r.signed_off_at &&
			   c->who->role == HUB_ROLE_SUBMITTER) {
			strbuf_addstr(sb, "<form method=\"post\" action=\"/hub/"
					  "review/respond\" novalidate>\n");
			page_hidden_csrf(sb, c->who);
			hidden_about(sb, sc);
			textarea(sb, "response", "text", "Your council's "
				 "response to the review", NULL);
			strbuf_addstr(sb, "<button class=\"govuk-button\" type="
					  "\"submit\">Respond</button>\n</form>"
					  "\n");
		}
		review_release(&r);
	}
	page_end(c);
}

/* Load the council's assessment with its evidence: 1, 0 (a new one, its
 * evidence filled), -1 (c->res set). */
static int load(struct standard_call *sc, struct assessment *a)
{
	struct parity_error err = PARITY_ERROR_INIT;
	int rc = assessment_get(sc->c->store, sc->f->id, sc->area_code,
				sc->year, false, a, &err);

	if (rc == 0) {
		memset(a, 0, sizeof(*a));
		snprintf(a->framework, sizeof(a->framework), "%s", sc->f->id);
		a->framework_version = sc->f->version;
		snprintf(a->area_code, sizeof(a->area_code), "%s",
			 sc->area_code);
		a->year = sc->year;
	} else if (rc > 0) {
		sc->f = framework_find(sc->c->ctx->frameworks, a->framework,
				       a->framework_version);
	}
	if (rc < 0 || !sc->f ||
	    standard_evidence_fill(&sc->data, sc->f, a, &err) < 0) {
		sc->c->res->status = 500;
		page_begin(sc->c, "The assessment could not be read");
		page_end(sc->c);
		return -1;
	}
	return rc;
}

void page_assessment(struct route_call *c)
{
	struct standard_call sc;
	struct assessment a;

	if (standard_call_init(&sc, c, true) < 0)
		return;
	if (!sc.area_code[0]) {
		c->res->status = 400;
		page_begin(c, "Choose a council");
		page_end(c);
		return;
	}
	if (load(&sc, &a) < 0)
		return;
	if (route_audit(c, "read.unsuppressed", sc.area_code, sc.year, 0,
			"assessment page") == 0) {
		if (a.submitted || (c->who->role != HUB_ROLE_SUBMITTER &&
				    c->who->role != HUB_ROLE_ANALYST))
			assessment_view(&sc, &a);
		else
			assessment_form(&sc, &a, false, NULL);
	}
	assessment_release(&a);
}

/* The assessment the form gives, as docs/formats/assessment.md's JSON:
 * the saved one's template (so its actions are kept), with the levels,
 * reasons and evidence of the form. A string to free, or NULL. */
static char *form_json(struct standard_call *sc, const struct assessment *a)
{
	struct route_call *c = sc->c;
	const struct framework *f = sc->f;
	char *text = assessment_template(f, a, NULL), *out;
	json_error_t jerr;
	json_t *doc = text ? json_loads(text, 0, &jerr) : NULL;
	json_t *criteria = json_object();
	size_t k;

	free(text);
	if (!doc) {
		json_decref(criteria);
		return NULL;
	}
	for (k = 0; k < f->ncriteria; k++) {
		const char *id = f->criteria[k].id;
		const char *level = form_value(c, "level", id);
		const char *reason = form_value(c, "reason", id);
		const char *evidence = form_value(c, "evidence", id);
		json_t *one = json_object();

		json_object_set_new(one, "level",
				    level && level[0] ? json_string(level)
						      : json_null());
		if (reason && reason[0])
			json_object_set_new(one, "reason", json_string(reason));
		if (evidence && evidence[0])
			json_object_set_new(one, "evidence",
					    json_string(evidence));
		json_object_set_new(criteria, id, one);
	}
	json_object_set_new(doc, "criteria", criteria);
	json_object_set_new(doc, "share",
			    json_boolean(page_field_text(c, "share") != NULL));
	json_object_del(doc, "area_code");
	json_object_del(doc, "year");
	out = json_dumps(doc, JSON_PRESERVE_ORDER);
	json_decref(doc);
	return out;
}

void page_assessment_save(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list problems = DIAG_LIST_INIT;
	struct standard_call sc;
	struct assessment saved, a;
	const char *action = page_field_text(c, "action");
	bool submit = action && strcmp(action, "submit") == 0;
	char *json;
	int rc;

	if (standard_call_init(&sc, c, true) < 0)
		return;
	if (!sc.area_code[0]) {
		c->res->status = 400;
		page_begin(c, "Choose a council");
		page_end(c);
		return;
	}
	if (load(&sc, &saved) < 0)
		return;
	json = form_json(&sc, &saved);
	memset(&a, 0, sizeof(a));
	rc = json ? standard_save_text(&sc, json, strlen(json), submit,
				       &problems, &a, &err)
		  : -1;
	free(json);
	if (rc > 0) {
		c->res->status = 422;
		assessment_form(&sc, &saved, true, &problems);
	} else if (rc < 0) {
		c->res->status = err.code == PARITY_ERR_DENIED ? 404 : 409;
		page_begin(c, "The assessment was not saved");
		strbuf_addstr(&c->res->body, "<p class=\"govuk-body\">");
		page_escape(&c->res->body, err.message);
		strbuf_addstr(&c->res->body, "</p>\n");
		page_end(c);
	} else {
		char location[256];

		snprintf(location, sizeof(location),
			 "/hub/assessment?framework=%s&year=%d&area=%s%s",
			 sc.f->id, sc.year, sc.area_code,
			 submit ? "" : "&saved=1");
		page_redirect(c, location);
	}
	assessment_release(&a);
	assessment_release(&saved);
	diag_list_release(&problems);
}

/* ---- London's distribution ---- */

void page_standard_benchmark(struct route_call *c)
{
	static const char *const heads[] = { "Theme", "Level", "Councils" };
	struct parity_error err = PARITY_ERROR_INIT;
	struct strbuf *sb = &c->res->body;
	struct standard_call sc;
	struct standard_viewer viewer;
	struct tidy_table dist, named;
	char title[256];
	size_t k;

	if (standard_call_init(&sc, c, true) < 0)
		return;
	viewer.area_code = c->who->role == HUB_ROLE_SUBMITTER ||
					   c->who->role == HUB_ROLE_VIEWER
				   ? c->who->area_code
				   : NULL;
	viewer.everyone = c->who->role == HUB_ROLE_ANALYST;
	tidy_table_init(&dist);
	tidy_table_init(&named);
	snprintf(title, sizeof(title), "Where London's councils stand, %d",
		 sc.year);
	page_begin(c, title);
	if (standard_distribution_table(&sc.data, sc.f, sc.year, &dist,
					&err) < 0 ||
	    standard_named_table(&sc.data, sc.f, sc.year, &viewer, &named,
				 &err) < 0) {
		strbuf_addstr(sb, "<p class=\"govuk-body\">The figures could "
				  "not be read.</p>\n");
	} else {
		strbuf_addstr(sb, "<p class=\"govuk-body\">How many councils "
				  "sit at each level, by theme and overall, "
				  "among those that submitted an assessment. "
				  "Councils are named only where they chose "
				  "to share.</p>\n");
		simple_table_head(sb, "Councils at each level", heads, 3);
		for (k = 0; k < dist.count; k++) {
			const struct tidy_row *r = &dist.rows[k];
			char n[32];

			if (strcmp(r->measure,
				   "standard_theme_level_count") != 0 &&
			    strcmp(r->measure,
				   "standard_overall_level_count") != 0)
				continue;
			snprintf(n, sizeof(n), "%.0f of %.0f", r->value,
				 r->denominator);
			strbuf_addstr(sb, "<tr class=\"govuk-table__row\">");
			cell(sb, r->breakdown && r->breakdown[0]
					 ? r->breakdown
					 : "Overall", true);
			cell(sb, r->flag ? r->flag : "", false);
			cell(sb, n, false);
			strbuf_addstr(sb, "</tr>\n");
		}
		strbuf_addstr(sb, "</tbody></table>\n");
		if (named.count) {
			static const char *const nheads[] = {
				"Council", "Theme", "Level"
			};

			simple_table_head(sb, "Named councils", nheads, 3);
			for (k = 0; k < named.count; k++) {
				const struct tidy_row *r = &named.rows[k];

				strbuf_addstr(sb, "<tr class=\"govuk-table__"
						  "row\">");
				cell(sb, r->area_name, true);
				cell(sb, r->breakdown && r->breakdown[0]
						 ? r->breakdown
						 : "Overall", false);
				cell(sb, r->flag ? r->flag : "", false);
				strbuf_addstr(sb, "</tr>\n");
			}
			strbuf_addstr(sb, "</tbody></table>\n");
		}
	}
	tidy_table_free(&dist);
	tidy_table_free(&named);
	page_end(c);
}

/* ---- peer review ---- */

/* Back to the Standard's home for the framework and year acted on. */
static void standard_redirect_home(const struct standard_call *sc)
{
	char location[256];

	snprintf(location, sizeof(location),
		 "/hub/standard?framework=%s&year=%d", sc->f->id, sc->year);
	page_redirect(sc->c, location);
}

void page_review_assign(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct standard_call sc;
	const char *reviewer = page_field_text(c, "reviewer");
	int a = reviewer ? area_find(c->ctx->areas, reviewer) : -1;
	struct review r;

	if (standard_call_init(&sc, c, true) < 0)
		return;
	if (a < 0 || !sc.area_code[0] ||
	    review_assign(c->store, sc.f->id, sc.area_code, sc.year,
			  c->ctx->areas->areas[a].code, &sc.actor, &r,
			  &err) < 0) {
		c->res->status = 409;
		page_begin(c, "The review was not assigned");
		strbuf_addstr(&c->res->body, "<p class=\"govuk-body\">");
		page_escape(&c->res->body,
			    a < 0 ? "Choose the reviewing council."
				  : err.message);
		strbuf_addstr(&c->res->body, "</p>\n");
		page_end(c);
		return;
	}
	review_release(&r);
	standard_redirect_home(&sc);
}

static void review_form(struct standard_call *sc, const struct assessment *a,
			const struct review *r, const char *problem)
{
	struct route_call *c = sc->c;
	struct strbuf *sb = &c->res->body;
	const struct framework *f = sc->f;
	char title[256];
	size_t k, l, e;

	snprintf(title, sizeof(title), "Review: %s, %s, %d",
		 page_area_name(c, sc->area_code), f->title, sc->year);
	page_begin(c, title);
	if (problem)
		page_error_summary(sb, problem);
	if (r->signed_off_at) {
		strbuf_addstr(sb, "<p class=\"govuk-body\">Signed off. The "
				  "council may respond.</p>\n");
		page_end(c);
		return;
	}
	strbuf_addstr(sb, "<form method=\"post\" action=\"/hub/review\" "
			  "novalidate>\n");
	page_hidden_csrf(sb, c->who);
	hidden_about(sb, sc);
	for (k = 0; k < f->ncriteria; k++) {
		const struct framework_criterion *cr = &f->criteria[k];
		const struct assessment_criterion *ac = criterion_in(a, cr->id);
		const struct review_entry *was = NULL;

		if (!ac || ac->level <= 0)
			continue;
		for (e = 0; e < r->nentries; e++)
			if (strcmp(r->entries[e].criterion, cr->id) == 0)
				was = &r->entries[e];
		strbuf_addstr(sb, "<div class=\"govuk-form-group\">\n"
				  "<fieldset class=\"govuk-fieldset\">\n"
				  "<legend class=\"govuk-fieldset__legend "
				  "govuk-fieldset__legend--m\">");
		page_escape(sb, cr->title);
		strbuf_addstr(sb, ": the council chose '");
		page_escape(sb, f->levels[ac->level - 1].title);
		strbuf_addstr(sb, "'</legend>\n<div class=\"govuk-radios\">\n");
		strbuf_addf(sb, "<div class=\"govuk-radios__item\"><input "
				"class=\"govuk-radios__input\" id=\"view-%s-"
				"agree\" name=\"view:%s\" type=\"radio\" value="
				"\"agree\"%s><label class=\"govuk-label govuk-"
				"radios__label\" for=\"view-%s-agree\">Agree"
				"</label></div>\n",
			    cr->id, cr->id, was && was->agree ? " checked" : "",
			    cr->id);
		for (l = 0; l < f->nlevels; l++) {
			if ((int)l + 1 == ac->level)
				continue;
			strbuf_addf(sb, "<div class=\"govuk-radios__item\">"
					"<input class=\"govuk-radios__input\" "
					"id=\"view-%s-%zu\" name=\"view:%s\" "
					"type=\"radio\" value=\"%s\"%s><label "
					"class=\"govuk-label govuk-radios__"
					"label\" for=\"view-%s-%zu\">Would give "
					"'",
				    cr->id, l, cr->id, f->levels[l].id,
				    was && !was->agree &&
						    was->level == (int)l + 1
					    ? " checked"
					    : "",
				    cr->id, l);
			page_escape(sb, f->levels[l].title);
			strbuf_addstr(sb, "'</label></div>\n");
		}
		strbuf_addstr(sb, "</div>\n</fieldset>\n</div>\n");
		textarea(sb, "comment", cr->id, "Comment",
			 was ? was->comment : NULL);
	}
	strbuf_addstr(sb, "<div class=\"govuk-button-group\"><button class="
			  "\"govuk-button govuk-button--secondary\" type=\""
			  "submit\" name=\"action\" value=\"save\">Save</button>"
			  "<button class=\"govuk-button\" type=\"submit\" name="
			  "\"action\" value=\"sign-off\">Save and sign off"
			  "</button></div>\n</form>\n");
	page_end(c);
}

/* The assessment under review and its review, for an assigned reviewer:
 * 1, 0 (not assigned: 404 set), -1 (500 set). */
static int review_load(struct standard_call *sc, struct review *r,
		       struct assessment *a)
{
	struct parity_error err = PARITY_ERROR_INIT;
	int rc = standard_review_assigned(sc);

	if (rc > 0)
		rc = review_get(sc->c->store, sc->f->id, sc->area_code,
				sc->year, r, a, &err);
	if (rc > 0)
		sc->f = framework_find(sc->c->ctx->frameworks, a->framework,
				       a->framework_version);
	if (rc == 0 || (rc > 0 && !sc->f)) {
		if (rc > 0) {
			review_release(r);
			assessment_release(a);
		}
		page_refusal(sc->c, 404);
		return 0;
	}
	if (rc < 0) {
		sc->c->res->status = 500;
		page_begin(sc->c, "The review could not be read");
		page_end(sc->c);
	}
	return rc;
}

void page_review(struct route_call *c)
{
	struct standard_call sc;
	struct review r;
	struct assessment a;

	if (standard_call_init(&sc, c, true) < 0)
		return;
	if (review_load(&sc, &r, &a) <= 0)
		return;
	review_form(&sc, &a, &r, NULL);
	review_release(&r);
	assessment_release(&a);
}

/* The reviewer's form as the review's JSON (docs/formats/assessment.md):
 * a string to free. */
static char *review_json(const struct route_call *c,
			 const struct framework *f)
{
	json_t *doc = json_object(), *criteria = json_object();
	char *out;
	size_t k;

	for (k = 0; k < f->ncriteria; k++) {
		const char *id = f->criteria[k].id;
		const char *view = form_value(c, "view", id);
		const char *comment = form_value(c, "comment", id);
		json_t *one;

		if (!view || !view[0])
			continue;
		one = json_object();
		if (strcmp(view, "agree") == 0)
			json_object_set_new(one, "agree", json_true());
		else
			json_object_set_new(one, "level", json_string(view));
		if (comment && comment[0])
			json_object_set_new(one, "comment",
					    json_string(comment));
		json_object_set_new(criteria, id, one);
	}
	json_object_set_new(doc, "criteria", criteria);
	out = json_dumps(doc, 0);
	json_decref(doc);
	return out;
}

void page_review_record(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list problems = DIAG_LIST_INIT;
	struct standard_call sc;
	struct review r;
	struct assessment a;
	struct review_entry *entries = NULL;
	const char *action = page_field_text(c, "action");
	char *json;
	size_t n = 0;
	int rc;

	if (standard_call_init(&sc, c, true) < 0)
		return;
	if (review_load(&sc, &r, &a) <= 0)
		return;
	json = review_json(c, sc.f);
	rc = json ? review_parse(sc.f, json, strlen(json), "review", &entries,
				 &n, &problems)
		  : -1;
	free(json);
	if (rc == 0 && n)
		rc = review_record(c->store, sc.f, sc.area_code, sc.year,
				   entries, n, &sc.actor, &err);
	if (rc == 0 && action && strcmp(action, "sign-off") == 0)
		rc = review_sign_off(c->store, sc.f, sc.area_code, sc.year,
				     &sc.actor, &err);
	review_entries_free(entries, n);
	if (rc < 0) {
		c->res->status = 422;
		review_form(&sc, &a, &r,
			    problems.count ? problems.items[0].message
					   : err.message);
	} else {
		standard_redirect_home(&sc);
	}
	diag_list_release(&problems);
	review_release(&r);
	assessment_release(&a);
}

void page_review_respond(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct standard_call sc;
	const char *text = page_field_text(c, "response:text");
	char location[256];

	if (standard_call_init(&sc, c, true) < 0)
		return;
	if (!text || !text[0] ||
	    review_respond(c->store, sc.f->id, sc.area_code, sc.year, text,
			   &sc.actor, &err) < 0) {
		c->res->status = 422;
		page_begin(c, "The response was not recorded");
		strbuf_addstr(&c->res->body, "<p class=\"govuk-body\">");
		page_escape(&c->res->body, text && text[0]
						   ? err.message
						   : "Write the response.");
		strbuf_addstr(&c->res->body, "</p>\n");
		page_end(c);
		return;
	}
	snprintf(location, sizeof(location),
		 "/hub/assessment?framework=%s&year=%d&area=%s", sc.f->id,
		 sc.year, sc.area_code);
	page_redirect(c, location);
}
