/*
 * site_practice.c - the approved good practice on the published site:
 * the newest approved version of every record in the pool
 * (store/practice_store.h; only approved records, what every reader may
 * see), a page per record, and, since a static site cannot answer a
 * search without JavaScript, a prebuilt index page per tag and per
 * service area (the hub answers full-text searches).
 *
 * Owns struct site's practice (site_practice_release()). Every text of a
 * record is escaped (html_escape()); page names are record numbers and
 * slugs (site_slug(): letters, digits and '-').
 *
 * Pages (paths from the copy's root):
 *   practice/index.html             every record, with links to the
 *                                   indexes
 *   practice/N.html                 record N, all its fields, and its
 *                                   documents with their sizes
 *   practice/documents/N-D-NAME     record N's document D, as attached
 *                                   (NAME with '-' for spaces)
 *   practice/tag/SLUG.html          the records with a tag
 *   practice/area/SLUG.html         the records of a service area
 */
#include "site/site_internal.h"

#include "base/alloc.h"
#include "practice/attachment.h"
#include "practice/search.h"
#include "site/html.h"
#include "table/measure_def.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- gathering ---- */

int site_practice_load(struct site *s, struct store *store,
		       struct parity_error *err)
{
	struct practice_results related;
	struct practice_row *rows;
	size_t n, k, j;

	if (practice_store_list(store, NULL, true, &rows, &n, err) < 0)
		return -1;
	s->practice = n > 0 ? xcalloc(n, sizeof(*s->practice)) : NULL;
	for (k = 0; k < n; k++)
		s->practice[k].row = rows[k];   /* its strings move with it */
	free(rows);
	s->npractice = n;
	for (k = 0; k < n; k++) {
		struct site_practice_pub *p = &s->practice[k];

		memset(&related, 0, sizeof(related));
		if (practice_related(store, p->row.record,
				     SITE_PRACTICE_RELATED, &related,
				     err) < 0) {
			practice_results_release(&related);
			return -1;
		}
		for (j = 0; j < related.count &&
			    p->nrelated < SITE_PRACTICE_RELATED; j++)
			p->related[p->nrelated++] = related.hits[j].row.record;
		practice_results_release(&related);
		if (practice_attachment_list(store, p->row.id, &p->docs,
					     &p->ndocs, err) < 0)
			return -1;
	}
	return 0;
}

void site_practice_release(struct site *s)
{
	size_t k;

	for (k = 0; k < s->npractice; k++) {
		practice_row_release(&s->practice[k].row);
		practice_attachment_rows_free(s->practice[k].docs,
					      s->practice[k].ndocs);
	}
	free(s->practice);
	s->practice = NULL;
	s->npractice = 0;
}

/* ---- building blocks ---- */

static const struct site_practice_pub *find_record(const struct site *s,
						   int64_t record)
{
	size_t k;

	for (k = 0; k < s->npractice; k++)
		if (s->practice[k].row.record == record)
			return &s->practice[k];
	return NULL;
}

/* A value of the record's JSON as text, or NULL. */
static const char *member(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* An id ("youth-justice") for reading, escaped: "Youth justice". */
static void humanise(struct strbuf *sb, const char *id)
{
	char text[256];

	practice_label(id ? id : "", text, sizeof(text));
	html_escape(sb, text);
}

/* Text with line breaks as paragraphs, each escaped. */
static void paragraphs(struct strbuf *sb, const char *text)
{
	const char *p = text, *end;
	char *line;

	while (p && *p) {
		end = strchr(p, '\n');
		if (!end)
			end = p + strlen(p);
		if (end > p) {
			line = xstrndup(p, (size_t)(end - p));
			strbuf_addstr(sb, "<p class=\"govuk-body\">");
			html_escape(sb, line);
			strbuf_addstr(sb, "</p>\n");
			free(line);
		}
		p = *end ? end + 1 : end;
	}
}

/* The lead councils by name, joined with commas. */
static void council_names(struct strbuf *sb, const struct site *s,
			  const struct practice_row *row)
{
	size_t k;
	int at;

	for (k = 0; k < row->nleads; k++) {
		at = area_find(s->areas, row->leads[k]);
		if (k > 0)
			strbuf_addstr(sb, ", ");
		html_escape(sb, at >= 0 ? s->areas->areas[at].name
					: row->leads[k]);
	}
}

static void summary_row_begin(struct strbuf *sb, const char *key)
{
	strbuf_addstr(sb, "<div class=\"govuk-summary-list__row\">"
			  "<dt class=\"govuk-summary-list__key\">");
	html_escape(sb, key);
	strbuf_addstr(sb, "</dt><dd class=\"govuk-summary-list__value\">");
}

static void summary_row_end(struct strbuf *sb)
{
	strbuf_addstr(sb, "</dd></div>\n");
}

static void summary_row(struct strbuf *sb, const char *key, const char *id)
{
	summary_row_begin(sb, key);
	humanise(sb, id);
	summary_row_end(sb);
}

static void example_tag(struct strbuf *sb, const struct practice_row *row)
{
	if (row->example)
		strbuf_addstr(sb, "<p class=\"govuk-body\"><strong class=\""
				  "govuk-tag\">Example</strong> written for "
				  "parity, not a council's own account</p>\n");
}

/* A record as a list shows it: its title (a heading of `level`, linked
 * to `prefix`N.html), lead councils, strand, service area, status and
 * summary, and whether it is an example. */
static void record_item(struct strbuf *sb, const struct site *s,
			const struct site_practice_pub *p, const char *prefix,
			int level)
{
	const struct practice_row *row = &p->row;
	json_t *body = json_loads(row->body ? row->body : "{}", 0, NULL);

	strbuf_addf(sb, "<h%d class=\"govuk-heading-m\"><a class=\"govuk-link\" "
			"href=\"%s%lld.html\">", level, prefix,
		    (long long)row->record);
	html_escape(sb, row->title);
	strbuf_addf(sb, "</a></h%d>\n", level);
	example_tag(sb, row);
	strbuf_addstr(sb, "<dl class=\"govuk-summary-list\">\n");
	summary_row_begin(sb, "Lead councils");
	council_names(sb, s, row);
	summary_row_end(sb);
	summary_row(sb, "Strand", row->strand);
	summary_row(sb, "Service area", row->service_area);
	summary_row(sb, "Status", row->status);
	strbuf_addstr(sb, "</dl>\n");
	paragraphs(sb, member(body, "summary"));
	json_decref(body);
}

/* Whether `row` has a tag whose slug is `slug`. */
static bool has_tag_slug(const struct practice_row *row, const char *slug)
{
	char t[128];
	size_t k;

	for (k = 0; k < row->ntags; k++) {
		site_slug(row->tags[k], t, sizeof(t));
		if (t[0] && strcmp(t, slug) == 0)
			return true;
	}
	return false;
}

/* ---- the indexes by tag and by service area ---- */

/* The distinct slugs of the records' tags (`area` false) or service areas
 * (true), in order, each with the text of its first; the caller frees
 * them with free_slugs() (not the texts, which are the records'). */
static size_t distinct_slugs(const struct site *s, bool area, char ***slugs,
			     const char ***texts)
{
	char slug[128];
	size_t k, t, j, n = 0, cap = 0, ntexts;

	*slugs = NULL;
	*texts = NULL;
	for (k = 0; k < s->npractice; k++) {
		const struct practice_row *row = &s->practice[k].row;

		ntexts = area ? 1 : row->ntags;
		for (t = 0; t < ntexts; t++) {
			const char *text = area ? row->service_area
						: row->tags[t];

			site_slug(text ? text : "", slug, sizeof(slug));
			if (!slug[0])
				continue;
			for (j = 0; j < n; j++)
				if (strcmp((*slugs)[j], slug) == 0)
					break;
			if (j < n)
				continue;
			*slugs = xgrow(*slugs, &cap, n + 1, sizeof(**slugs));
			*texts = xrealloc(*texts, cap * sizeof(**texts));
			/* in order of slug, so that the lists read A to Z */
			for (j = n; j > 0 && strcmp((*slugs)[j - 1], slug) > 0;
			     j--) {
				(*slugs)[j] = (*slugs)[j - 1];
				(*texts)[j] = (*texts)[j - 1];
			}
			(*slugs)[j] = xstrdup(slug);
			(*texts)[j] = text;
			n++;
		}
	}
	return n;
}

static void free_slugs(char **slugs, const char **texts, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		free(slugs[k]);
	free(slugs);
	free((void *)texts);
}

static void index_links(struct strbuf *sb, const char *folder,
			char *const *slugs, const char *const *texts,
			size_t n, bool area)
{
	size_t k;

	strbuf_addstr(sb, "<ul class=\"govuk-list\">\n");
	for (k = 0; k < n; k++) {
		strbuf_addf(sb, "<li><a class=\"govuk-link\" href=\"%s/%s.html\">",
			    folder, slugs[k]);
		if (area)
			humanise(sb, texts[k]);
		else
			html_escape(sb, texts[k]);
		strbuf_addstr(sb, "</a></li>\n");
	}
	strbuf_addstr(sb, "</ul>\n");
}

/* practice/FOLDER/SLUG.html: the records with that tag or service area. */
static int slug_page(struct site *s, const struct site_copy *c, bool area,
		     const char *slug, const char *text,
		     struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT, title = STRBUF_INIT;
	char rel[256], own[128];
	size_t k, n = 0;
	int rc;

	if (area) {
		char label[256];

		practice_label(text, label, sizeof(label));
		strbuf_addf(&title, "Practice in service area: %s", label);
	} else {
		strbuf_addf(&title, "Practice tagged '%s'", text);
	}
	snprintf(rel, sizeof(rel), "practice/%s/%s.html",
		 area ? "area" : "tag", slug);
	site_page_begin(s, c, &sb, title.buf, "../../", "practice/index.html",
			"Approved good practice from London's councils. The "
			"hub searches the words of every record.");
	strbuf_addstr(&sb, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
			   "href=\"../index.html\">All practice</a></p>\n");
	for (k = 0; k < s->npractice; k++) {
		const struct practice_row *row = &s->practice[k].row;

		site_slug(row->service_area ? row->service_area : "", own,
			  sizeof(own));
		if (area ? strcmp(own, slug) != 0 : !has_tag_slug(row, slug))
			continue;
		record_item(&sb, s, &s->practice[k], "../", 2);
		n++;
	}
	strbuf_addf(&sb, "<p class=\"govuk-body\">%zu record%s.</p>\n", n,
		    n == 1 ? "" : "s");
	rc = site_page_finish(s, c, &sb, "../../", rel, err);
	strbuf_release(&title);
	strbuf_release(&sb);
	return rc;
}

static int slug_pages(struct site *s, const struct site_copy *c, bool area,
		      struct parity_error *err)
{
	char **slugs;
	const char **texts;
	size_t k, n = distinct_slugs(s, area, &slugs, &texts);
	int rc = 0;

	for (k = 0; k < n && rc == 0; k++)
		rc = slug_page(s, c, area, slugs[k], texts[k], err);
	free_slugs(slugs, texts, n);
	return rc;
}

/* ---- a record's page ---- */

static void text_section(struct strbuf *sb, const json_t *body,
			 const char *key, const char *title)
{
	const char *text = member(body, key);

	if (!text || !text[0])
		return;
	html_heading(sb, 2, title);
	paragraphs(sb, text);
}

static void resources_section(struct strbuf *sb, const json_t *body)
{
	const json_t *list = json_object_get(body, "resources");
	size_t k, n = json_array_size(list);

	if (n == 0)
		return;
	html_heading(sb, 2, "Resources");
	strbuf_addstr(sb, "<ul class=\"govuk-list govuk-list--bullet\">\n");
	for (k = 0; k < n; k++) {
		const json_t *r = json_array_get(list, k);
		const char *title = member(r, "title"), *url = member(r, "url");

		strbuf_addstr(sb, "<li>");
		/* only https links (the pool accepts nothing else) */
		if (url && strncmp(url, "https://", 8) == 0) {
			strbuf_addstr(sb, "<a class=\"govuk-link\" href=\"");
			html_escape(sb, url);
			strbuf_addstr(sb, "\">");
			html_escape(sb, title ? title : url);
			strbuf_addstr(sb, "</a>");
		} else {
			html_escape(sb, title);
		}
		strbuf_addstr(sb, "</li>\n");
	}
	strbuf_addstr(sb, "</ul>\n");
}

static void measures_section(struct strbuf *sb, const json_t *body)
{
	const json_t *list = json_object_get(body, "measures");
	size_t k, n = json_array_size(list);

	if (n == 0)
		return;
	html_heading(sb, 2, "Measures it aims to move");
	strbuf_addstr(sb, "<ul class=\"govuk-list govuk-list--bullet\">\n");
	for (k = 0; k < n; k++) {
		const json_t *m = json_array_get(list, k);
		const char *name = member(m, "measure");
		const char *group = member(m, "group");
		const char *breakdown = member(m, "breakdown");
		const struct measure_def *def = name ? measure_def_find(name)
						     : NULL;

		strbuf_addstr(sb, "<li>");
		humanise(sb, def ? def->label : name);
		if (group) {
			strbuf_addstr(sb, ", ");
			html_escape(sb, group);
		}
		if (breakdown) {
			strbuf_addstr(sb, " (");
			html_escape(sb, breakdown);
			strbuf_addstr(sb, ")");
		}
		strbuf_addstr(sb, "</li>\n");
	}
	strbuf_addstr(sb, "</ul>\n");
}

static void related_section(struct strbuf *sb, const struct site *s,
			    const struct site_practice_pub *p)
{
	size_t k;

	if (p->nrelated == 0)
		return;
	html_heading(sb, 2, "Related practice");
	strbuf_addstr(sb, "<ul class=\"govuk-list\">\n");
	for (k = 0; k < p->nrelated; k++) {
		const struct site_practice_pub *r = find_record(s, p->related[k]);

		if (!r)
			continue;
		strbuf_addf(sb, "<li><a class=\"govuk-link\" href=\"%lld.html\">",
			    (long long)r->row.record);
		html_escape(sb, r->row.title);
		strbuf_addstr(sb, "</a></li>\n");
	}
	strbuf_addstr(sb, "</ul>\n");
}

/* Where document `d` of a record is, from practice/: its name is plain
 * (letters, digits, '.', '-', '_', spaces: attachment.h), with '-' for
 * each space. */
static void document_path(char *out, size_t size, int64_t record,
			  const struct practice_attachment_row *d)
{
	size_t k;

	snprintf(out, size, "documents/%lld-%d-%s", (long long)record, d->n,
		 d->name);
	for (k = 0; out[k]; k++)
		if (out[k] == ' ')
			out[k] = '-';
}

static void documents_section(struct strbuf *sb,
			      const struct site_practice_pub *p)
{
	char path[256];
	size_t k;

	if (p->ndocs == 0)
		return;
	html_heading(sb, 2, "Documents");
	strbuf_addstr(sb, "<ul class=\"govuk-list\">\n");
	for (k = 0; k < p->ndocs; k++) {
		const struct practice_attachment_row *d = &p->docs[k];

		document_path(path, sizeof(path), p->row.record, d);
		strbuf_addstr(sb, "<li><a class=\"govuk-link\" href=\"");
		html_escape(sb, path);
		strbuf_addstr(sb, "\" download>");
		html_escape(sb, d->name);
		strbuf_addstr(sb, "</a> (");
		html_escape(sb, attachment_type_label(
					attachment_type_parse(d->type)));
		strbuf_addstr(sb, ", ");
		html_file_size(sb, (unsigned long long)d->size);
		strbuf_addstr(sb, ")</li>\n");
	}
	strbuf_addstr(sb, "</ul>\n");
}

/* Copy the record's documents into the site, read from the store one at
 * a time. */
static int documents_write(struct site *s, const struct site_copy *c,
			   const struct site_practice_pub *p,
			   struct parity_error *err)
{
	struct practice_attachment_row one;
	char path[256], rel[300];
	size_t k;
	int rc;

	for (k = 0; k < p->ndocs; k++) {
		rc = practice_attachment_get(s->store, p->row.id, p->docs[k].n,
					     &one, err);
		if (rc == 0)
			rc = parity_error_set(err, PARITY_ERR_STORE, NULL, 0, 0,
					      "document %d of practice version "
					      "%lld has gone", p->docs[k].n,
					      (long long)p->row.id);
		if (rc < 0)
			return -1;
		document_path(path, sizeof(path), p->row.record, &p->docs[k]);
		snprintf(rel, sizeof(rel), "practice/%s", path);
		rc = site_write_file(s, c, rel, (const char *)one.bytes,
				     (size_t)one.size, err);
		practice_attachment_row_release(&one);
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* The list rows of a record's page: who, what kind, since when, tags. */
static void record_details(struct strbuf *sb, const struct site *s,
			   const struct practice_row *row, const json_t *body)
{
	const json_t *partners = json_object_get(body, "partners");
	char slug[128];
	size_t k;

	strbuf_addstr(sb, "<dl class=\"govuk-summary-list\">\n");
	summary_row_begin(sb, "Lead councils");
	council_names(sb, s, row);
	summary_row_end(sb);
	if (json_array_size(partners) > 0) {
		summary_row_begin(sb, "Partners");
		for (k = 0; k < json_array_size(partners); k++) {
			if (k > 0)
				strbuf_addstr(sb, ", ");
			html_escape(sb, json_string_value(
					json_array_get(partners, k)));
		}
		summary_row_end(sb);
	}
	summary_row(sb, "Strand", row->strand);
	summary_row_begin(sb, "Service area");
	site_slug(row->service_area ? row->service_area : "", slug,
		  sizeof(slug));
	strbuf_addf(sb, "<a class=\"govuk-link\" href=\"area/%s.html\">", slug);
	humanise(sb, row->service_area);
	strbuf_addstr(sb, "</a>");
	summary_row_end(sb);
	summary_row(sb, "Status", row->status);
	if (member(body, "started")) {
		summary_row_begin(sb, "Started");
		html_escape(sb, member(body, "started"));
		summary_row_end(sb);
	}
	summary_row_begin(sb, "Contact");
	html_escape(sb, member(body, "contact_role"));
	summary_row_end(sb);
	if (row->ntags > 0) {
		summary_row_begin(sb, "Tags");
		for (k = 0; k < row->ntags; k++) {
			site_slug(row->tags[k], slug, sizeof(slug));
			if (k > 0)
				strbuf_addstr(sb, ", ");
			if (slug[0])
				strbuf_addf(sb, "<a class=\"govuk-link\" "
						"href=\"tag/%s.html\">", slug);
			html_escape(sb, row->tags[k]);
			if (slug[0])
				strbuf_addstr(sb, "</a>");
		}
		summary_row_end(sb);
	}
	strbuf_addstr(sb, "</dl>\n");
}

static int record_page(struct site *s, const struct site_copy *c,
		       const struct site_practice_pub *p,
		       struct parity_error *err)
{
	const struct practice_row *row = &p->row;
	json_t *body = json_loads(row->body ? row->body : "{}", 0, NULL);
	struct strbuf sb = STRBUF_INIT;
	char rel[64];
	int rc;

	if (documents_write(s, c, p, err) < 0) {
		json_decref(body);
		return -1;
	}
	snprintf(rel, sizeof(rel), "practice/%lld.html",
		 (long long)row->record);
	site_page_begin(s, c, &sb, row->title, "../", "practice/index.html",
			member(body, "summary"));
	example_tag(&sb, row);
	record_details(&sb, s, row, body);
	text_section(&sb, body, "what_was_done", "What was done");
	text_section(&sb, body, "outcomes", "Outcomes");
	text_section(&sb, body, "evidence", "Evidence");
	resources_section(&sb, body);
	documents_section(&sb, p);
	measures_section(&sb, body);
	related_section(&sb, s, p);
	strbuf_addstr(&sb, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
			   "href=\"index.html\">All practice</a></p>\n");
	rc = site_page_finish(s, c, &sb, "../", rel, err);
	json_decref(body);
	strbuf_release(&sb);
	return rc;
}

/* ---- the index ---- */

static int practice_index(struct site *s, const struct site_copy *c,
			  struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char **slugs;
	const char **texts;
	size_t k, n;
	int rc;

	site_page_begin(s, c, &sb, "Good practice", "../",
			"practice/index.html",
			"What London's councils have done to tackle racial "
			"inequality, approved for sharing by London Councils, "
			"so that what works in one borough can be repeated "
			"elsewhere.");
	strbuf_addf(&sb, "<p class=\"govuk-body\">%zu approved record%s. "
			 "Browse them by tag or service area below; the hub "
			 "searches the words of every record.</p>\n",
		    s->npractice, s->npractice == 1 ? "" : "s");
	html_heading(&sb, 2, "Browse by service area");
	n = distinct_slugs(s, true, &slugs, &texts);
	index_links(&sb, "area", slugs, texts, n, true);
	free_slugs(slugs, texts, n);
	html_heading(&sb, 2, "Browse by tag");
	n = distinct_slugs(s, false, &slugs, &texts);
	index_links(&sb, "tag", slugs, texts, n, false);
	free_slugs(slugs, texts, n);
	html_heading(&sb, 2, "All practice");
	for (k = 0; k < s->npractice; k++)
		record_item(&sb, s, &s->practice[k], "", 3);
	rc = site_page_finish(s, c, &sb, "../", "practice/index.html", err);
	strbuf_release(&sb);
	return rc;
}

int site_write_practice(struct site *s, const struct site_copy *c,
			struct parity_error *err)
{
	size_t k;

	if (s->npractice == 0)
		return 0;
	if (practice_index(s, c, err) < 0)
		return -1;
	for (k = 0; k < s->npractice; k++)
		if (record_page(s, c, &s->practice[k], err) < 0)
			return -1;
	if (slug_pages(s, c, false, err) < 0 || slug_pages(s, c, true, err) < 0)
		return -1;
	return 0;
}
