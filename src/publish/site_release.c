/*
 * site_release.c - numbered releases: the record of them in
 * DIR/releases.json (Jansson), the rule that a year published again is a
 * correction, the corrections log page, and the one place where the
 * previous release's tables will be read back for disclosure control.
 *
 * releases.json:
 *   { "site": "...", "latest": N,
 *     "releases": [ { "release": 1, "year": 2024, "date": "2026-11-23",
 *                     "path": "releases/1/", "correction": null }, ... ] }
 * Releases are numbered across years in the order they were made.
 */
#include "publish/site_internal.h"

#include "base/alloc.h"
#include "publish/html.h"
#include "publish/table_read.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define RELEASES_JSON "releases.json"

void site_releases_free(struct site_releases *r)
{
	size_t k;

	for (k = 0; k < r->count; k++)
		free(r->items[k].correction);
	free(r->items);
	r->items = NULL;
	r->count = r->cap = 0;
}

void site_releases_add(struct site_releases *r, int number, int year,
		       const char *date, const char *correction)
{
	struct site_release_entry *e;

	r->items = xgrow(r->items, &r->cap, r->count + 1, sizeof(*r->items));
	e = &r->items[r->count++];
	e->number = number;
	e->year = year;
	snprintf(e->date, sizeof(e->date), "%s", date ? date : "");
	e->correction = correction ? xstrdup(correction) : NULL;
}

int site_releases_load(const char *dir, struct site_releases *out,
		       struct parity_error *err)
{
	char path[4096];
	json_error_t jerr;
	json_t *root, *list, *item;
	size_t k;
	FILE *f;

	memset(out, 0, sizeof(*out));
	snprintf(path, sizeof(path), "%s/%s", dir, RELEASES_JSON);
	f = fopen(path, "r");
	if (!f) {
		if (errno == ENOENT)
			return 0;
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot read: %s", strerror(errno));
	}
	root = json_loadf(f, 0, &jerr);
	fclose(f);
	if (!root)
		return parity_error_set(err, PARITY_ERR_PARSE, path, jerr.line,
					jerr.column, "%s", jerr.text);
	list = json_object_get(root, "releases");
	if (!json_is_array(list)) {
		json_decref(root);
		return parity_error_set(err, PARITY_ERR_PARSE, path, 0, 0,
					"no \"releases\" list: is this a site "
					"parity published?");
	}
	json_array_foreach(list, k, item) {
		json_t *n = json_object_get(item, "release");
		json_t *y = json_object_get(item, "year");
		json_t *d = json_object_get(item, "date");
		json_t *c = json_object_get(item, "correction");

		if (!json_is_integer(n) || !json_is_integer(y)) {
			json_decref(root);
			site_releases_free(out);
			return parity_error_set(err, PARITY_ERR_PARSE, path, 0,
						0, "release %zu has no number "
						"or year", k + 1);
		}
		site_releases_add(out, (int)json_integer_value(n),
				  (int)json_integer_value(y),
				  json_is_string(d) ? json_string_value(d) : "",
				  json_is_string(c) ? json_string_value(c)
						    : NULL);
	}
	json_decref(root);
	return 0;
}

const struct site_release_entry *
site_release_latest(const struct site_releases *r, int year)
{
	const struct site_release_entry *best = NULL;
	size_t k;

	for (k = 0; k < r->count; k++)
		if (r->items[k].year == year &&
		    (!best || r->items[k].number > best->number))
			best = &r->items[k];
	return best;
}

int site_release_next(const struct site_releases *r, int year,
		      const char *correction, int *number,
		      struct parity_error *err)
{
	const struct site_release_entry *last = site_release_latest(r, year);
	size_t k;

	if (last && !correction)
		return parity_error_set(
			err, PARITY_ERR_USAGE, NULL, 0, 0,
			"%d is already published (release %d): publishing it "
			"again makes a correction; give --correction TEXT "
			"saying what changed and why", year, last->number);
	if (!last && correction)
		return parity_error_set(
			err, PARITY_ERR_USAGE, NULL, 0, 0,
			"%d has not been published, so there is nothing to "
			"correct: publish it without --correction", year);
	if (correction && !correction[0])
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"--correction must say what changed");
	*number = 1;
	for (k = 0; k < r->count; k++)
		if (r->items[k].number >= *number)
			*number = r->items[k].number + 1;
	return 0;
}

int site_releases_write(const char *dir, const struct site_releases *r,
			struct parity_error *err)
{
	char path[4096], tmp[4200];
	json_t *root = json_object(), *list = json_array();
	size_t k;
	int latest = 0;

	for (k = 0; k < r->count; k++) {
		const struct site_release_entry *e = &r->items[k];
		char where[64];

		snprintf(where, sizeof(where), "releases/%d/", e->number);
		json_array_append_new(
			list,
			json_pack("{s:i, s:i, s:s, s:s, s:o}", "release",
				  e->number, "year", e->year, "date", e->date,
				  "path", where, "correction",
				  e->correction ? json_string(e->correction)
						: json_null()));
		if (e->number > latest)
			latest = e->number;
	}
	json_object_set_new(root, "site", json_string(HTML_SITE_NAME));
	json_object_set_new(root, "latest", json_integer(latest));
	json_object_set_new(root, "releases", list);
	snprintf(path, sizeof(path), "%s/%s", dir, RELEASES_JSON);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	if (json_dump_file(root, tmp, JSON_INDENT(2) | JSON_PRESERVE_ORDER) <
		    0 ||
	    rename(tmp, path) < 0) {
		json_decref(root);
		return parity_error_set(err, PARITY_ERR_IO, path, 0, 0,
					"cannot write the list of releases");
	}
	json_decref(root);
	return 0;
}

struct tidy_table *site_release_table(const char *dir, int number,
				      const char *name,
				      struct parity_error *err)
{
	struct tidy_table *t;
	char path[4096];
	int rc;

	snprintf(path, sizeof(path), "%s/releases/%d/downloads/%s.csv", dir,
		 number, name);
	t = xcalloc(1, sizeof(*t));
	tidy_table_init(t);
	rc = tidy_table_read_csv(path, t, NULL, NULL, err);
	if (rc != 0) {
		if (rc > 0)
			parity_error_set(err, PARITY_ERR_STORE, path, 0, 0,
					 "release %d's download is not a tidy "
					 "table: the earlier release cannot "
					 "be taken into account", number);
		tidy_table_free(t);
		free(t);
		return NULL;
	}
	return t;
}

int site_write_corrections(struct site *s, const struct site_copy *top,
			   struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	size_t k, any = 0;
	int rc;

	site_page_begin(s, top, &sb, "Corrections and releases", "",
			"corrections.html",
			"Every release of these statistics stays available. A "
			"release that corrects an earlier one says so on every "
			"page, and is listed here with what it changed.");
	strbuf_addstr(&sb, "<h2 class=\"govuk-heading-l\">Corrections</h2>\n");
	for (k = 0; k < s->releases->count; k++)
		if (s->releases->items[k].correction)
			any++;
	if (!any)
		strbuf_addstr(&sb, "<p class=\"govuk-body\">No release has been "
				   "corrected.</p>\n");
	else {
		strbuf_addstr(&sb, "<table class=\"govuk-table\">\n<caption "
				   "class=\"govuk-table__caption "
				   "govuk-table__caption--m\">Corrections, "
				   "newest first</caption>\n<thead class=\""
				   "govuk-table__head\"><tr class=\"govuk-table__row\">"
				   "<th scope=\"col\" class=\"govuk-table__header\">"
				   "Release</th><th scope=\"col\" class=\""
				   "govuk-table__header\">Data year</th><th "
				   "scope=\"col\" class=\"govuk-table__header\">"
				   "Published</th><th scope=\"col\" class=\""
				   "govuk-table__header\">What changed</th></tr>"
				   "</thead>\n<tbody class=\"govuk-table__body\">\n");
		for (k = s->releases->count; k-- > 0;) {
			const struct site_release_entry *e =
				&s->releases->items[k];

			if (!e->correction)
				continue;
			strbuf_addf(&sb, "<tr class=\"govuk-table__row\"><th "
					 "scope=\"row\" class=\"govuk-table__header\">"
					 "<a class=\"govuk-link\" href=\"releases/%d/"
					 "index.html\">Release %d</a></th><td class=\""
					 "govuk-table__cell\">%d</td><td class=\""
					 "govuk-table__cell\">",
				    e->number, e->number, e->year);
			html_escape(&sb, e->date);
			strbuf_addstr(&sb, "</td><td class=\"govuk-table__cell\">");
			html_escape(&sb, e->correction);
			strbuf_addstr(&sb, "</td></tr>\n");
		}
		strbuf_addstr(&sb, "</tbody>\n</table>\n");
	}
	strbuf_addstr(&sb, "<h2 class=\"govuk-heading-l\">Every release</h2>\n"
			   "<ul class=\"govuk-list govuk-list--bullet\">\n");
	for (k = s->releases->count; k-- > 0;) {
		const struct site_release_entry *e = &s->releases->items[k];

		strbuf_addf(&sb, "<li><a class=\"govuk-link\" href=\"releases/%d/"
				 "index.html\">Release %d: %d data</a>, published ",
			    e->number, e->number, e->year);
		html_escape(&sb, e->date);
		strbuf_addstr(&sb, e->correction ? " (a correction)" : "");
		strbuf_addstr(&sb, "</li>\n");
	}
	strbuf_addstr(&sb, "</ul>\n<p class=\"govuk-body\">The same list, for "
			   "machines: <a class=\"govuk-link\" href=\""
			   "releases.json\">releases.json</a>.</p>\n");
	site_page_end(s, top, &sb, "");
	rc = site_write_file(s, top, "corrections.html", sb.buf, sb.len, err);
	strbuf_release(&sb);
	return rc;
}
