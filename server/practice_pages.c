/*
 * practice_pages.c - the good-practice pool's pages, without JavaScript:
 * search for everyone with filter links that narrow the results, a
 * record with its related practice and its lead councils' published
 * figures for the measures it names and its documents (with a form to
 * attach one, and buttons to remove them, for its council while it waits
 * for moderation), a council's submission form, an analyst's moderation,
 * and the Learning Lab's sessions, coming and past.
 */
#include "practice_hub.h"

#include "page.h"
#include "published.h"

#include "domain/area.h"
#include "hub/accounts.h"
#include "practice/learning_lab.h"
#include "site/html.h"
#include "table/measure_def.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- pages ---- */

static void select_field(struct strbuf *sb, const char *name,
			 const char *label, const char *const *values,
			 const char *chosen)
{
	size_t k;

	strbuf_addf(sb, "<div class=\"govuk-form-group\"><label class=\""
			"govuk-label\" for=\"%s\">%s</label><select class=\""
			"govuk-select\" id=\"%s\" name=\"%s\"><option value="
			"\"\">Any</option>",
		    name, label, name, name);
	for (k = 0; values[k]; k++)
		strbuf_addf(sb, "<option value=\"%s\"%s>%s</option>",
			    values[k],
			    chosen && strcmp(chosen, values[k]) == 0
				    ? " selected"
				    : "",
			    values[k]);
	strbuf_addstr(sb, "</select></div>\n");
}

/* For an analyst, the versions waiting for moderation; for a council's
 * accounts, their own records in every state, and the way to send one. */
static void waiting(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct strbuf *sb = &c->res->body;
	struct practice_row *rows = NULL;
	const char *own = c->who->role == HUB_ROLE_SUBMITTER ||
					  c->who->role == HUB_ROLE_VIEWER
				  ? c->who->area_code
				  : NULL;
	size_t n = 0, k, shown = 0;

	if (!own && c->who->role != HUB_ROLE_ANALYST)
		return;
	if (practice_store_list(c->store, own, false, &rows, &n, &err) < 0)
		return;
	strbuf_addstr(sb, own ? "<h2 class=\"govuk-heading-l\">Your "
				"council's records</h2>\n"
			      : "<h2 class=\"govuk-heading-l\">Waiting for "
				"moderation</h2>\n");
	strbuf_addstr(sb, "<ul class=\"govuk-list\">\n");
	for (k = 0; k < n; k++) {
		if (!own && strcmp(rows[k].state, "submitted") != 0)
			continue;
		shown++;
		strbuf_addf(sb, "<li><a class=\"govuk-link\" href=\"/hub/"
				"practice/record?id=%lld\">",
			    (long long)rows[k].id);
		page_escape(sb, rows[k].title);
		strbuf_addf(sb, "</a> (version %d, %s)</li>\n",
			    rows[k].version, rows[k].state);
	}
	if (!shown)
		strbuf_addstr(sb, "<li>None.</li>\n");
	strbuf_addstr(sb, "</ul>\n");
	if (c->who->role == HUB_ROLE_SUBMITTER)
		strbuf_addstr(sb, "<p class=\"govuk-body\"><a class=\"govuk-"
				  "link\" href=\"/hub/practice/submit\">Share "
				  "your council's practice</a></p>\n");
	practice_rows_free(rows, n);
}

/* How a filter is headed on the page. */
static const char *facet_label(const char *filter)
{
	static const char *const labels[][2] = {
		{ "council", "Council" }, { "strand", "Strand" },
		{ "service_area", "Service area" }, { "tag", "Tag" },
		{ "status", "Status" }
	};
	size_t k;

	for (k = 0; k < sizeof(labels) / sizeof(labels[0]); k++)
		if (strcmp(labels[k][0], filter) == 0)
			return labels[k][1];
	return filter;
}

void page_practice(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct strbuf *sb = &c->res->body;
	struct practice_query q;
	struct practice_results res;
	const char *filter = "";
	size_t k;

	practice_query_from(c, &q);
	if (!q.limit)
		q.limit = 50;
	page_begin(c, "Good practice");
	waiting(c);
	strbuf_addstr(sb, "<p class=\"govuk-body-l\">What London's councils "
			  "have done to tackle racial inequality, and what "
			  "came of it. Records marked 'Example' were written "
			  "for parity to show the kind of thing the pool "
			  "holds.</p>\n<form method=\"get\" action=\"/hub/"
			  "practice\" novalidate>\n<div class=\"govuk-form-"
			  "group\"><label class=\"govuk-label\" for=\"q\">"
			  "Search</label><div id=\"q-hint\" class=\"govuk-"
			  "hint\">Words (mentoring), \"a phrase\", or the "
			  "start of a word followed by *</div><input class=\""
			  "govuk-input\" id=\"q\" name=\"q\" type=\"search\" "
			  "aria-describedby=\"q-hint\" value=\"");
	page_escape(sb, q.text);
	strbuf_addstr(sb, "\"></div>\n");
	select_field(sb, "strand", "Strand", practice_strands, q.strand);
	select_field(sb, "service_area", "Service area",
		     practice_service_areas, q.service_area);
	select_field(sb, "status", "Status", practice_statuses, q.status);
	strbuf_addstr(sb, "<button class=\"govuk-button\" type=\"submit\">"
			  "Search</button>\n</form>\n");
	if (practice_search(c->store, c->ctx->areas, &q, &res, &err) < 0) {
		c->res->status = err.code == PARITY_ERR_USAGE ? 400 : 500;
		page_error_summary(sb, err.message);
		page_end(c);
		return;
	}
	strbuf_addf(sb, "<h2 class=\"govuk-heading-l\">%zu record%s</h2>\n",
		    res.total, res.total == 1 ? "" : "s");
	for (k = 0; k < res.count; k++) {
		const struct practice_hit *h = &res.hits[k];
		const char *p;

		strbuf_addf(sb, "<div class=\"parity-result\"><h3 class=\""
				"govuk-heading-m\"><a class=\"govuk-link\" "
				"href=\"/hub/practice/record?id=%lld\">",
			    (long long)h->row.id);
		page_escape(sb, h->row.title);
		strbuf_addstr(sb, "</a>");
		if (h->row.example)
			strbuf_addstr(sb, " <strong class=\"govuk-tag govuk-"
					  "tag--grey\">Example</strong>");
		strbuf_addstr(sb, "</h3>\n<p class=\"govuk-body-s\">");
		page_escape(sb, page_area_name(c, h->row.area_code));
		strbuf_addstr(sb, " · ");
		page_escape(sb, h->row.strand);
		strbuf_addstr(sb, " · ");
		page_escape(sb, h->row.service_area);
		strbuf_addstr(sb, " · ");
		page_escape(sb, h->row.status);
		strbuf_addstr(sb, "</p>\n");
		if (h->snippet) {
			strbuf_addstr(sb, "<p class=\"govuk-body\">");
			for (p = h->snippet; *p; p++) {
				char one[2] = { *p, '\0' };

				if (*p == '\x01')
					strbuf_addstr(sb, "<mark>");
				else if (*p == '\x02')
					strbuf_addstr(sb, "</mark>");
				else
					page_escape(sb, one);
			}
			strbuf_addstr(sb, "</p>\n");
		}
		strbuf_addstr(sb, "</div>\n");
	}
	if (res.nfacets)
		strbuf_addstr(sb, "<h2 class=\"govuk-heading-m\">Narrow the "
				  "results</h2>\n");
	for (k = 0; k < res.nfacets; k++) {
		const struct practice_facet *f = &res.facets[k];
		const char *key = strcmp(f->filter, "council") == 0
					  ? "council"
					  : f->filter;

		if (strcmp(filter, f->filter) != 0) {
			if (filter[0])
				strbuf_addstr(sb, "</ul>\n");
			filter = f->filter;
			strbuf_addstr(sb, "<h3 class=\"govuk-heading-s\">");
			page_escape(sb, facet_label(filter));
			strbuf_addstr(sb, "</h3>\n<ul class=\"govuk-list\">\n");
		}
		strbuf_addf(sb, "<li><a class=\"govuk-link\" href=\"/hub/"
				"practice?%s=", key);
		page_escape(sb, f->value);
		if (q.text && q.text[0]) {
			strbuf_addstr(sb, "&amp;q=");
			page_escape(sb, q.text);
		}
		strbuf_addstr(sb, "\">");
		page_escape(sb, strcmp(f->filter, "council") == 0
					? page_area_name(c, f->value)
					: f->value);
		strbuf_addf(sb, "</a> (%zu)</li>\n", f->count);
	}
	if (filter[0])
		strbuf_addstr(sb, "</ul>\n");
	practice_results_release(&res);
	page_end(c);
}

static void text_block(struct strbuf *sb, const char *heading,
		       json_t *doc, const char *key)
{
	json_t *v = json_object_get(doc, key);

	if (!json_is_string(v))
		return;
	strbuf_addstr(sb, "<h2 class=\"govuk-heading-m\">");
	page_escape(sb, heading);
	strbuf_addstr(sb, "</h2>\n<p class=\"govuk-body\">");
	page_escape(sb, json_string_value(v));
	strbuf_addstr(sb, "</p>\n");
}

/* Whether published group `label` is the group a record names: the
 * same, or the high-level group whose name begins with it ("Black"). */
static bool group_matches(const char *label, const char *want)
{
	size_t n = want ? strlen(want) : 0;

	return !want || !want[0] ||
	       (label && strncmp(label, want, n) == 0 &&
		(label[n] == '\0' || label[n] == ',' || label[n] == ' '));
}

/* The lead councils' published figures for each measure the record
 * names, year by year: from the latest release of each year the site
 * holds (never from the store). */
static void linked_figures(struct route_call *c,
			   const struct practice_row *row, json_t *doc)
{
	static const enum html_column cols[] = {
		HTML_COL_AREA, HTML_COL_GROUP, HTML_COL_BREAKDOWN,
		HTML_COL_VALUE, HTML_COL_INTERVAL
	};
	static const char *const heads[] = {
		"Council", "Group", "Breakdown", "Figure", "95% interval"
	};
	struct parity_error err = PARITY_ERROR_INIT;
	json_t *links = json_object_get(doc, "measures"), *releases, *rel, *l;
	json_error_t jerr;
	char path[4096];
	size_t k, j, i;

	if (!c->ctx->site_dir || !json_array_size(links))
		return;
	snprintf(path, sizeof(path), "%s/releases.json", c->ctx->site_dir);
	releases = json_load_file(path, 0, &jerr);
	if (!releases)
		return;
	strbuf_addstr(&c->res->body, "<h2 class=\"govuk-heading-m\">The "
				     "measures it aims to move</h2>\n<p class=\""
				     "govuk-body\">The lead councils' figures as "
				     "published, after disclosure control.</p>"
				     "\n");
	json_array_foreach(links, k, l) {
		const char *measure = json_string_value(
			json_object_get(l, "measure"));
		const char *breakdown = json_string_value(
			json_object_get(l, "breakdown"));
		const char *group = json_string_value(
			json_object_get(l, "group"));
		const struct measure_def *def =
			measure ? measure_def_find(measure) : NULL;

		if (!def)
			continue;
		json_array_foreach(json_object_get(releases, "releases"), j,
				   rel) {
			json_int_t number = json_integer_value(
				json_object_get(rel, "release"));
			json_int_t year = json_integer_value(
				json_object_get(rel, "year"));
			const struct tidy_table *t;
			struct tidy_table mine;
			json_t *later;
			size_t m;
			bool newest = true;
			char caption[512];

			/* the newest release of its year only */
			json_array_foreach(json_object_get(releases,
							   "releases"),
					   m, later)
				if (json_integer_value(json_object_get(
					    later, "year")) == year &&
				    json_integer_value(json_object_get(
					    later, "release")) > number)
					newest = false;
			if (!newest)
				continue;
			snprintf(path, sizeof(path),
				 "%s/releases/%lld/downloads/workforce-%lld.csv",
				 c->ctx->site_dir, (long long)number,
				 (long long)year);
			if (published_table(c->ctx->published, path, &t,
					    &err) != 0)
				continue;
			tidy_table_init(&mine);
			for (i = 0; i < t->count; i++) {
				const struct tidy_row *r = &t->rows[i];
				size_t lead;
				bool ours = false;

				for (lead = 0; lead < row->nleads; lead++)
					ours = ours || (r->area_code &&
							strcmp(r->area_code,
							       row->leads[lead]) ==
								0);
				if (ours && r->measure &&
				    strcmp(r->measure, measure) == 0 &&
				    (!breakdown || !breakdown[0] ||
				     (r->breakdown &&
				      strstr(r->breakdown, breakdown))) &&
				    group_matches(r->ethnicity, group))
					tidy_table_append_row(&mine, r);
			}
			if (mine.count) {
				struct html_table_spec spec = {
					caption, cols, heads,
					sizeof(cols) / sizeof(cols[0]), NULL
				};

				snprintf(caption, sizeof(caption), "%s, %lld",
					 def->label, (long long)year);
				html_table(&c->res->body, &mine, NULL,
					   mine.count, &spec);
			}
			tidy_table_free(&mine);
		}
	}
	json_decref(releases);
}

/* Whether the asker may change version `row`'s documents from the page:
 * its council's submitters and analysts, while it waits. */
static bool may_attach(const struct route_call *c,
		       const struct practice_row *row)
{
	return strcmp(row->state, "submitted") == 0 &&
	       (c->who->role == HUB_ROLE_ANALYST ||
		(c->who->role == HUB_ROLE_SUBMITTER &&
		 strcmp(c->who->area_code, row->area_code) == 0));
}

/* The version's documents, with a form to attach one and a button to
 * remove each for those who may. */
static void documents(struct route_call *c, struct practice_call *pc,
		      const struct practice_row *row)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct strbuf *sb = &c->res->body;
	struct practice_attachment_row *docs = NULL;
	const size_t MB = (size_t)1024 * 1024;
	bool change = may_attach(c, row);
	bool whole_mb = c->ctx->max_attachment % MB == 0;
	size_t n = 0, k;

	if (practice_attachments(c->store, row->id, &pc->actor, &docs, &n,
				 &err) < 0 || (n == 0 && !change)) {
		practice_attachment_rows_free(docs, n);
		return;
	}
	strbuf_addstr(sb, "<h2 class=\"govuk-heading-m\">Documents</h2>\n"
			  "<ul class=\"govuk-list\">\n");
	for (k = 0; k < n; k++) {
		strbuf_addf(sb, "<li><a class=\"govuk-link\" href=\"/hub/"
				"practice/%lld/attachments/%d\">",
			    (long long)row->id, docs[k].n);
		page_escape(sb, docs[k].name);
		strbuf_addf(sb, "</a> (%s, %lld bytes)",
			    attachment_type_label(
				    attachment_type_parse(docs[k].type)),
			    (long long)docs[k].size);
		if (change) {
			strbuf_addf(sb, " <form method=\"post\" action=\"/hub/practice/"
					"%lld/attachments/%d/remove\">",
				    (long long)row->id, docs[k].n);
			page_hidden_csrf(sb, c->who);
			strbuf_addstr(sb, "<button class=\"govuk-button govuk-"
					  "button--warning govuk-!-margin-"
					  "bottom-0\" type=\"submit\">Remove "
					  "<span class=\"govuk-visually-hidden"
					  "\">");
			page_escape(sb, docs[k].name);
			strbuf_addstr(sb, "</span></button></form>");
		}
		strbuf_addstr(sb, "</li>\n");
	}
	if (n == 0)
		strbuf_addstr(sb, "<li>None yet.</li>\n");
	strbuf_addstr(sb, "</ul>\n");
	practice_attachment_rows_free(docs, n);
	if (!change)
		return;
	strbuf_addf(sb, "<form method=\"post\" action=\"/hub/practice/%lld/"
			"attachments\" enctype=\"multipart/form-data\" "
			"novalidate>\n", (long long)row->id);
	page_hidden_csrf(sb, c->who);
	strbuf_addf(sb, "<div class=\"govuk-form-group\"><label class=\""
			"govuk-label\" for=\"file\">Attach a document</label>"
			"<div id=\"file-hint\" class=\"govuk-hint\">A PDF, "
			"Word document (.docx) or Excel workbook (.xlsx) of at "
			"most %zu %s, without macros, scripts or a password"
			"</div><input class=\"govuk-file-upload\" id=\"file\" "
			"name=\"file\" type=\"file\" aria-describedby=\""
			"file-hint\" accept=\".pdf,.docx,.xlsx\"></div>\n"
			"<button class=\"govuk-button govuk-button--secondary"
			"\" type=\"submit\">Attach</button>\n</form>\n",
		    whole_mb ? c->ctx->max_attachment / MB
			     : c->ctx->max_attachment / 1024,
		    whole_mb ? "MB" : "KB");
}

void page_practice_record(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct strbuf *sb = &c->res->body;
	struct practice_call pc;
	struct practice_row row;
	struct practice_results rel;
	json_error_t jerr;
	json_t *doc, *v;
	size_t k;

	practice_actor_init(&pc, c);
	if (practice_visible_row(&pc, &row, true) <= 0)
		return;
	doc = json_loads(row.body, 0, &jerr);
	page_begin(c, row.title);
	strbuf_addstr(sb, "<p class=\"govuk-body\">");
	for (k = 0; k < row.nleads; k++) {
		if (k)
			strbuf_addstr(sb, ", ");
		page_escape(sb, page_area_name(c, row.leads[k]));
	}
	strbuf_addstr(sb, " · ");
	page_escape(sb, row.strand);
	strbuf_addstr(sb, " · ");
	page_escape(sb, row.service_area);
	strbuf_addstr(sb, " · ");
	page_escape(sb, row.status);
	strbuf_addf(sb, " · version %d", row.version);
	if (strcmp(row.state, "approved") != 0) {
		strbuf_addstr(sb, " · <strong class=\"govuk-tag govuk-tag--"
				  "yellow\">");
		page_escape(sb, row.state);
		strbuf_addstr(sb, "</strong>");
	}
	strbuf_addstr(sb, "</p>\n");
	if (row.comments) {
		strbuf_addstr(sb, "<div class=\"govuk-inset-text\">Returned "
				  "with: ");
		page_escape(sb, row.comments);
		strbuf_addstr(sb, "</div>\n");
	}
	text_block(sb, "Summary", doc, "summary");
	text_block(sb, "What was done", doc, "what_was_done");
	text_block(sb, "Outcomes", doc, "outcomes");
	text_block(sb, "Evidence", doc, "evidence");
	text_block(sb, "Contact", doc, "contact_role");
	v = json_object_get(doc, "resources");
	if (json_array_size(v)) {
		json_t *r;

		strbuf_addstr(sb, "<h2 class=\"govuk-heading-m\">Resources"
				  "</h2>\n<ul class=\"govuk-list\">\n");
		json_array_foreach(v, k, r) {
			strbuf_addstr(sb, "<li><a class=\"govuk-link\" href=\"");
			page_escape(sb, json_string_value(
						json_object_get(r, "url")));
			strbuf_addstr(sb, "\" rel=\"noopener noreferrer\">");
			page_escape(sb, json_string_value(
						json_object_get(r, "title")));
			strbuf_addstr(sb, "</a></li>\n");
		}
		strbuf_addstr(sb, "</ul>\n");
	}
	documents(c, &pc, &row);
	linked_figures(c, &row, doc);
	json_decref(doc);
	if (strcmp(row.state, "approved") == 0 &&
	    practice_related(c->store, row.record, 5, &rel, &err) == 0) {
		if (rel.count)
			strbuf_addstr(sb, "<h2 class=\"govuk-heading-m\">"
					  "Related practice</h2>\n<ul class=\""
					  "govuk-list\">\n");
		for (k = 0; k < rel.count; k++) {
			strbuf_addf(sb, "<li><a class=\"govuk-link\" href=\""
					"/hub/practice/record?id=%lld\">",
				    (long long)rel.hits[k].row.id);
			page_escape(sb, rel.hits[k].row.title);
			strbuf_addstr(sb, "</a></li>\n");
		}
		if (rel.count)
			strbuf_addstr(sb, "</ul>\n");
		practice_results_release(&rel);
	}
	if (c->who->role == HUB_ROLE_ANALYST &&
	    strcmp(row.state, "submitted") == 0) {
		strbuf_addf(sb, "<h2 class=\"govuk-heading-m\">Moderate</h2>\n"
				"<form method=\"post\" action=\"/hub/practice/"
				"moderate\" novalidate>\n<input type=\"hidden\" "
				"name=\"id\" value=\"%lld\">\n",
			    (long long)row.id);
		page_hidden_csrf(sb, c->who);
		strbuf_addstr(sb, "<div class=\"govuk-form-group\"><label class="
				  "\"govuk-label\" for=\"comments\">Comments, "
				  "to return it</label><textarea class=\"govuk-"
				  "textarea\" id=\"comments\" name=\"comments\" "
				  "rows=\"3\"></textarea></div>\n<div class=\""
				  "govuk-button-group\"><button class=\"govuk-"
				  "button\" type=\"submit\" name=\"decision\" "
				  "value=\"approve\">Approve</button><button "
				  "class=\"govuk-button govuk-button--secondary"
				  "\" type=\"submit\" name=\"decision\" value=\""
				  "return\">Return with comments</button></div>"
				  "\n</form>\n");
	}
	practice_row_release(&row);
	page_end(c);
}

void page_practice_moderate(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_call pc;
	char location[96];

	practice_actor_init(&pc, c);
	if (practice_moderate(&pc, server_param(c->req, "decision"), server_param(c->req, "comments"),
		     &err) < 0) {
		c->res->status = err.code == PARITY_ERR_VALIDATION ? 409 : 422;
		page_begin(c, "Not moderated");
		page_error_summary(&c->res->body, err.message);
		page_end(c);
		return;
	}
	snprintf(location, sizeof(location), "/hub/practice/record?id=%s",
		 server_param(c->req, "id"));
	page_redirect(c, location);
}

/* A document sent from the record's page: attached, then back to the
 * page; refused, a page saying why (4xx), with the way back. */
void page_practice_attach(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct attachment_verdict v;
	struct practice_call pc;
	const char *data, *name, *code;
	char message[256] = "", location[96];
	size_t len;
	int status = 500, n;

	practice_actor_init(&pc, c);
	snprintf(location, sizeof(location), "/hub/practice/record?id=%lld",
		 (long long)c->id);
	if (practice_document_of(c, &data, &len, &name, &status,
				 &code, message, sizeof(message)) == 0 &&
	    practice_document_attach(&pc, data, len, name, &v, &n,
				     &status, &code, &err) == 0) {
		page_redirect(c, location);
		return;
	}
	if (status == 404) {
		page_refusal(c, 404);
		return;
	}
	c->res->status = status;
	page_begin(c, "The document was not attached");
	page_error_summary(&c->res->body, err.message[0] ? err.message
							 : message);
	strbuf_addf(&c->res->body, "<p class=\"govuk-body\"><a class=\""
				   "govuk-link\" href=\"%s\">Back to the "
				   "record</a></p>\n", location);
	page_end(c);
}

void page_practice_attachment(struct route_call *c)
{
	struct practice_call pc;
	bool failed;

	practice_actor_init(&pc, c);
	if (practice_document_send(&pc, &failed) < 0 && !failed)
		page_refusal(c, 404);
}

void page_practice_detach(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct practice_call pc;
	char location[96];

	practice_actor_init(&pc, c);
	snprintf(location, sizeof(location), "/hub/practice/record?id=%lld",
		 (long long)c->id);
	if (practice_detach(c->store, c->id, c->n, &pc.actor, &err) == 0) {
		page_redirect(c, location);
		return;
	}
	if (err.code == PARITY_ERR_NOT_FOUND || err.code == PARITY_ERR_DENIED) {
		page_refusal(c, 404);
		return;
	}
	c->res->status = err.code == PARITY_ERR_VALIDATION
				 ? 409
				 : server_store_status(&err);
	page_begin(c, "The document was not removed");
	page_error_summary(&c->res->body, err.message);
	page_end(c);
}

/* The form's fields that make the record's JSON. */
static const char *const form_texts[] = {
	"title", "strand", "service_area", "summary", "what_was_done",
	"outcomes", "evidence", "contact_role", "status", "started", NULL
};

static void submit_form(struct route_call *c, const struct diag_list *p)
{
	struct strbuf *sb = &c->res->body;
	size_t k;

	page_begin(c, "Share your council's practice");
	if (p && p->count) {
		strbuf_addstr(sb, "<div class=\"govuk-error-summary\" data-"
				  "module=\"govuk-error-summary\"><div role=\""
				  "alert\"><h2 class=\"govuk-error-summary__"
				  "title\">There is a problem: nothing was "
				  "sent</h2><div class=\"govuk-error-summary__"
				  "body\"><ul class=\"govuk-list govuk-error-"
				  "summary__list\">\n");
		for (k = 0; k < p->count; k++) {
			strbuf_addstr(sb, "<li>");
			page_escape(sb, p->items[k].message);
			strbuf_addstr(sb, "</li>\n");
		}
		strbuf_addstr(sb, "</ul></div></div></div>\n");
	}
	strbuf_addstr(sb, "<p class=\"govuk-body\">London Councils' analysts "
			  "read each record before it is shared beyond your "
			  "council. Give a contact by role, never a person's "
			  "name.</p>\n<form method=\"post\" action=\"/hub/"
			  "practice/submit\" novalidate>\n");
	page_hidden_csrf(sb, c->who);
	for (k = 0; form_texts[k]; k++) {
		const char *name = form_texts[k];
		const char *value = p ? page_field_text(c, name) : NULL;
		bool long_text = strcmp(name, "summary") == 0 ||
				 strcmp(name, "what_was_done") == 0 ||
				 strcmp(name, "outcomes") == 0 ||
				 strcmp(name, "evidence") == 0;

		if (strcmp(name, "strand") == 0) {
			select_field(sb, "strand", "Strand", practice_strands,
				     value);
			continue;
		}
		if (strcmp(name, "service_area") == 0) {
			select_field(sb, "service_area", "Service area",
				     practice_service_areas, value);
			continue;
		}
		if (strcmp(name, "status") == 0) {
			select_field(sb, "status", "Status",
				     practice_statuses, value);
			continue;
		}
		strbuf_addf(sb, "<div class=\"govuk-form-group\"><label class="
				"\"govuk-label\" for=\"%s\">%s</label>", name,
			    strcmp(name, "what_was_done") == 0
				    ? "What was done"
			    : strcmp(name, "contact_role") == 0
				    ? "Contact (a role)"
			    : strcmp(name, "started") == 0
				    ? "Started (YYYY-MM)"
				    : name);
		if (long_text) {
			strbuf_addf(sb, "<textarea class=\"govuk-textarea\" "
					"id=\"%s\" name=\"%s\" rows=\"4\">",
				    name, name);
			page_escape(sb, value);
			strbuf_addstr(sb, "</textarea>");
		} else {
			strbuf_addf(sb, "<input class=\"govuk-input\" id=\"%s\" "
					"name=\"%s\" type=\"text\" value=\"",
				    name, name);
			page_escape(sb, value);
			strbuf_addstr(sb, "\">");
		}
		strbuf_addstr(sb, "</div>\n");
	}
	strbuf_addstr(sb, "<div class=\"govuk-form-group\"><label class=\""
			  "govuk-label\" for=\"tags\">Tags, separated by "
			  "commas</label><input class=\"govuk-input\" id=\""
			  "tags\" name=\"tags\" type=\"text\" value=\"");
	page_escape(sb, p ? page_field_text(c, "tags") : NULL);
	strbuf_addstr(sb, "\"></div>\n<button class=\"govuk-button\" type=\""
			  "submit\">Send for moderation</button>\n</form>\n");
	page_end(c);
}

void page_practice_submit_form(struct route_call *c)
{
	submit_form(c, NULL);
}

void page_practice_submit(struct route_call *c)
{
	struct parity_error err = PARITY_ERROR_INIT;
	struct diag_list problems = DIAG_LIST_INIT;
	struct practice_call pc;
	json_t *doc = json_object(), *tags = json_array(), *leads;
	const char *t;
	char *text, location[96];
	int64_t id = 0;
	size_t k;
	int rc;

	practice_actor_init(&pc, c);
	if (!c->area_code) {
		json_decref(doc);
		json_decref(tags);
		page_refusal(c, 404);
		return;
	}
	for (k = 0; form_texts[k]; k++) {
		const char *v = page_field_text(c, form_texts[k]);

		if (v && v[0])
			json_object_set_new(doc, form_texts[k],
					    json_string(v));
	}
	leads = json_pack("[s]", c->area_code);
	json_object_set_new(doc, "lead_councils", leads);
	t = page_field_text(c, "tags");
	while (t && *t) {
		size_t n = strcspn(t, ",");
		size_t skip = strspn(t, " ");

		if (n > skip) {
			char one[201];

			snprintf(one, sizeof(one), "%.*s", (int)(n - skip),
				 t + skip);
			while (one[0] && one[strlen(one) - 1] == ' ')
				one[strlen(one) - 1] = '\0';
			if (one[0])
				json_array_append_new(tags, json_string(one));
		}
		t += n;
		if (*t == ',')
			t++;
	}
	json_object_set_new(doc, "tags", tags);
	text = json_dumps(doc, JSON_INDENT(1));
	json_decref(doc);
	rc = text ? practice_submit_text(&pc, text, strlen(text), 0, &problems, &id,
				&err)
		  : -1;
	free(text);
	if (rc > 0) {
		c->res->status = 422;
		submit_form(c, &problems);
	} else if (rc < 0) {
		c->res->status = server_store_status(&err);
		page_begin(c, "The record was not sent");
		page_error_summary(&c->res->body, err.message);
		page_end(c);
	} else {
		snprintf(location, sizeof(location),
			 "/hub/practice/record?id=%lld", (long long)id);
		page_redirect(c, location);
	}
	diag_list_release(&problems);
}

static void event_list(struct route_call *c, const char *heading,
		       bool upcoming)
{
	struct strbuf *sb = &c->res->body;
	struct learning_event_row *rows;
	size_t n, k, j;

	strbuf_addstr(sb, "<h2 class=\"govuk-heading-l\">");
	page_escape(sb, heading);
	strbuf_addstr(sb, "</h2>\n");
	if (practice_events_of(c, upcoming, &rows, &n) < 0) {
		strbuf_addstr(sb, "<p class=\"govuk-body\">The events could "
				  "not be read.</p>\n");
		return;
	}
	if (n == 0)
		strbuf_addstr(sb, "<p class=\"govuk-body\">None.</p>\n");
	for (k = 0; k < n; k++) {
		const struct learning_event_row *e =
			&rows[upcoming ? k : n - 1 - k];

		strbuf_addstr(sb, "<h3 class=\"govuk-heading-m\">");
		page_escape(sb, e->title);
		strbuf_addstr(sb, "</h3>\n<p class=\"govuk-body-s\">");
		page_escape(sb, e->day);
		strbuf_addstr(sb, " · ");
		page_escape(sb, e->format);
		strbuf_addstr(sb, " · ");
		page_escape(sb, e->strand);
		strbuf_addstr(sb, "</p>\n");
		if (e->description && e->description[0]) {
			strbuf_addstr(sb, "<p class=\"govuk-body\">");
			page_escape(sb, e->description);
			strbuf_addstr(sb, "</p>\n");
		}
		if (e->nrecords || e->nmaterials)
			strbuf_addstr(sb, "<ul class=\"govuk-list\">\n");
		for (j = 0; j < e->nrecords; j++) {
			struct parity_error err = PARITY_ERROR_INIT;
			struct practice_row row;

			if (practice_store_latest(c->store, e->records[j],
						  true, &row, &err) <= 0)
				continue;
			strbuf_addf(sb, "<li>Practice: <a class=\"govuk-link\" "
					"href=\"/hub/practice/record?id=%lld\">",
				    (long long)row.id);
			page_escape(sb, row.title);
			strbuf_addstr(sb, "</a></li>\n");
			practice_row_release(&row);
		}
		for (j = 0; j < e->nmaterials; j++) {
			strbuf_addstr(sb, "<li>Material: <a class=\"govuk-link\" "
					  "rel=\"noopener noreferrer\" href=\"");
			page_escape(sb, e->materials[j].url);
			strbuf_addstr(sb, "\">");
			page_escape(sb, e->materials[j].title);
			strbuf_addstr(sb, "</a></li>\n");
		}
		if (e->nrecords || e->nmaterials)
			strbuf_addstr(sb, "</ul>\n");
	}
	learning_events_free(rows, n);
}

void page_learning_lab(struct route_call *c)
{
	page_begin(c, "Learning Lab");
	strbuf_addstr(&c->res->body,
		      "<p class=\"govuk-body-l\">Sessions where councils "
		      "learn from each other's practice: symposia, training, "
		      "workshops and 'doing group' meetings.</p>\n");
	event_list(c, "Coming up", true);
	event_list(c, "Past sessions", false);
	page_end(c);
}

