/*
 * digest_page.c - 'Race Matters' for analysts in the hub: a form for the
 * days, and the digest (practice/digest.h) for them as HTML or text to
 * download, its figures from the latest release the hub serves; and a
 * second form that keeps the issue in the archive the published site
 * shows (audited as digest.keep).
 */
#include "handlers.h"

#include "page.h"
#include "practice_hub.h"

#include "base/clock.h"
#include "practice/digest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void page_digest(struct route_call *c)
{
	struct strbuf *sb = &c->res->body;
	char today[CLOCK_DATE_SIZE];

	clock_utc_date(c->now, today, sizeof(today));
	page_begin(c, "Race Matters");
	strbuf_addstr(sb, "<p class=\"govuk-body\">The digest for borough "
			  "staff: the practice approved in the period, the "
			  "Learning Lab's coming sessions, the changes in "
			  "London's published figures larger than chance "
			  "would explain, and where councils stand on the "
			  "Standard. The HTML is ready to send by email.</p>\n"
			  "<form method=\"get\" action=\"/hub/digest/issue\" "
			  "novalidate>\n<div class=\"govuk-form-group\"><label "
			  "class=\"govuk-label\" for=\"since\">From (YYYY-MM-DD)"
			  "</label><input class=\"govuk-input govuk-input--"
			  "width-10\" id=\"since\" name=\"since\" type=\"text\" "
			  "value=\"");
	strbuf_addf(sb, "%.4s-01-01\"></div>\n<div class=\"govuk-form-group"
			"\"><label class=\"govuk-label\" for=\"until\">To "
			"(YYYY-MM-DD)</label><input class=\"govuk-input govuk-"
			"input--width-10\" id=\"until\" name=\"until\" type=\""
			"text\" value=\"%s\"></div>\n", today, today);
	strbuf_addstr(sb, "<div class=\"govuk-form-group\"><fieldset class=\""
			  "govuk-fieldset\"><legend class=\"govuk-fieldset__"
			  "legend\">As</legend><div class=\"govuk-radios\">"
			  "<div class=\"govuk-radios__item\"><input class=\""
			  "govuk-radios__input\" id=\"as-html\" name=\"as\" "
			  "type=\"radio\" value=\"html\" checked><label class="
			  "\"govuk-label govuk-radios__label\" for=\"as-html\">"
			  "HTML, for email</label></div><div class=\"govuk-"
			  "radios__item\"><input class=\"govuk-radios__input\" "
			  "id=\"as-text\" name=\"as\" type=\"radio\" value=\""
			  "text\"><label class=\"govuk-label govuk-radios__"
			  "label\" for=\"as-text\">Plain text</label></div>"
			  "</div></fieldset></div>\n<button class=\"govuk-"
			  "button\" type=\"submit\">Make the digest</button>\n"
			  "</form>\n");
	strbuf_addstr(sb, "<h2 class=\"govuk-heading-m\">Keep an issue for "
			  "the published site</h2>\n<p class=\"govuk-body\">"
			  "Once an issue is sent, keep it: the next "
			  "publication puts it on the site with the issues "
			  "before it. An issue kept again for the same days "
			  "replaces the one kept.</p>\n<form method=\"post\" "
			  "action=\"/hub/digest/keep\" novalidate>\n");
	page_hidden_csrf(sb, c->who);
	strbuf_addf(sb, "<div class=\"govuk-form-group\"><label class=\""
			"govuk-label\" for=\"keep-since\">From (YYYY-MM-DD)"
			"</label><input class=\"govuk-input govuk-input--"
			"width-10\" id=\"keep-since\" name=\"since\" type=\""
			"text\" value=\"%.4s-01-01\"></div>\n<div class=\""
			"govuk-form-group\"><label class=\"govuk-label\" for="
			"\"keep-until\">To (YYYY-MM-DD)</label><input class=\""
			"govuk-input govuk-input--width-10\" id=\"keep-until\""
			" name=\"until\" type=\"text\" value=\"%s\"></div>\n"
			"<button class=\"govuk-button govuk-button--"
			"secondary\" type=\"submit\">Keep the issue</button>\n"
			"</form>\n", today, today);
	page_end(c);
}

/* The workforce year of the site's latest release, or 0. */
static int latest_year(const struct route_call *c)
{
	char path[4096];
	json_error_t jerr;
	json_t *doc, *rel;
	size_t k;
	json_int_t latest, year = 0;

	if (!c->ctx->site_dir)
		return 0;
	snprintf(path, sizeof(path), "%s/releases.json", c->ctx->site_dir);
	doc = json_load_file(path, 0, &jerr);
	latest = json_integer_value(json_object_get(doc, "latest"));
	json_array_foreach(json_object_get(doc, "releases"), k, rel)
		if (json_integer_value(json_object_get(rel, "release")) ==
		    latest)
			year = json_integer_value(json_object_get(rel, "year"));
	json_decref(doc);
	return (int)year;
}

static bool day_text(const char *d)
{
	int k;

	if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-')
		return false;
	for (k = 0; k < 10; k++)
		if (k != 4 && k != 7 && (d[k] < '0' || d[k] > '9'))
			return false;
	return true;
}

/* The digest for the days the request names (`since` and `until` from
 * its query or form): 0 and `issue` filled, or -1 after answering. */
static int digest_for(struct route_call *c, const char *title,
		      struct digest_issue *issue)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct digest_options opt;
	struct standard_data data;
	char today[CLOCK_DATE_SIZE];

	memset(&opt, 0, sizeof(opt));
	memset(issue, 0, sizeof(*issue));
	clock_utc_date(c->now, today, sizeof(today));
	opt.since = server_param(c->req, "since");
	opt.until = server_param(c->req, "until");
	opt.today = today;
	if (!day_text(opt.since) || (opt.until && !day_text(opt.until))) {
		c->res->status = 400;
		page_begin(c, title);
		page_error_summary(&c->res->body, "Give the days as YYYY-MM-DD");
		page_end(c);
		return -1;
	}
	opt.year = latest_year(c);
	opt.site_dir = opt.year ? c->ctx->site_dir : NULL;
	opt.standard = framework_find(c->ctx->frameworks,
				      "racial-equality-standard", 0);
	memset(&data, 0, sizeof(data));
	data.store = c->store;
	data.areas = c->ctx->areas;
	data.census = c->ctx->census;
	data.services = c->ctx->services;
	if (digest_build(&data, &opt, issue, &err) < 0) {
		digest_issue_release(issue);
		c->res->status = 500;
		page_begin(c, "The digest could not be made");
		page_error_summary(&c->res->body, err.message);
		page_end(c);
		return -1;
	}
	return 0;
}

void page_digest_issue(struct route_call *c)
{
	struct digest_issue issue;
	const char *as = server_query(c->req, "as");
	bool plain = as && strcmp(as, "text") == 0;

	if (digest_for(c, "Race Matters", &issue) < 0)
		return;
	c->res->content_type = plain ? "text/plain; charset=utf-8"
				     : "text/html; charset=utf-8";
	server_response_header(c->res, "Content-Disposition",
			       plain ? "attachment; filename=\""
				       "race-matters.txt\""
				     : "attachment; filename=\""
				       "race-matters.html\"");
	strbuf_reset(&c->res->body);
	if (plain)
		digest_write_text(&issue, &c->res->body);
	else
		digest_write_email(&issue, &c->res->body);
	digest_issue_release(&issue);
}

void page_digest_keep(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct digest_issue issue;
	struct practice_call pc;
	char title[128];

	if (digest_for(c, "Not kept", &issue) < 0)
		return;
	practice_actor_init(&pc, c);
	if (digest_keep(c->store, &issue, &pc.actor, &err) < 0) {
		digest_issue_release(&issue);
		c->res->status = err.code == PARITY_ERR_DENIED
					 ? 403
					 : server_store_status(&err);
		page_begin(c, "Not kept");
		page_error_summary(&c->res->body, err.message);
		page_end(c);
		return;
	}
	digest_title(&issue, title, sizeof(title));
	page_begin(c, "Issue kept");
	strbuf_addstr(&c->res->body, "<div class=\"govuk-panel govuk-panel--"
				     "confirmation\"><h2 class=\"govuk-panel__"
				     "title\">");
	page_escape(&c->res->body, title);
	strbuf_addstr(&c->res->body, "</h2><div class=\"govuk-panel__body\">"
				     "is kept in the archive</div></div>\n<p "
				     "class=\"govuk-body\">The next publication "
				     "puts it on the site, with the issues "
				     "before it.</p>\n<p class=\"govuk-body\">"
				     "<a class=\"govuk-link\" href=\"/hub/"
				     "digest\">Back to Race Matters</a></p>\n");
	page_end(c);
	digest_issue_release(&issue);
}
