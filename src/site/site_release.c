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
 *
 * The list is the record of what is published, so it is read strictly:
 * a number out of range, listed twice, or a "latest" that no entry holds
 * is refused with the file and the entry named (never cut to fit an int,
 * never skipped), and every Jansson call that builds it is checked, so an
 * entry can never be dropped in writing. site_releases_verify() reads the
 * list back after it is written and before it is made live.
 */
#include "site/site_internal.h"

#include "base/alloc.h"
#include "site/html.h"
#include "table/table_read.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	memset(e, 0, sizeof(*e));
	e->number = number;
	e->year = year;
	snprintf(e->date, sizeof(e->date), "%s", date ? date : "");
	e->correction = correction ? xstrdup(correction) : NULL;
}

/* Note what DIR/releases/N is now, to tell later whether it changed. */
static void note_directory(const char *dir, struct site_release_entry *e)
{
	char path[4200];
	struct stat st;

	snprintf(path, sizeof(path), "%s/releases/%d", dir, e->number);
	e->found = lstat(path, &st) == 0 && S_ISDIR(st.st_mode);
	e->dev = e->found ? (unsigned long long)st.st_dev : 0;
	e->ino = e->found ? (unsigned long long)st.st_ino : 0;
}

/* A whole number from `min` to `max` in `v`, or -1. */
static int whole(const json_t *v, long min, long max, int *out)
{
	json_int_t n;

	if (!json_is_integer(v))
		return -1;
	n = json_integer_value(v);
	if (n < min || n > max)
		return -1;
	*out = (int)n;
	return 0;
}

/* What `v` is, for a message: its number, or what kind of value. */
static void describe(const json_t *v, char *buf, size_t size)
{
	if (!v)
		snprintf(buf, size, "missing");
	else if (json_is_integer(v))
		snprintf(buf, size, "%" JSON_INTEGER_FORMAT,
			 json_integer_value(v));
	else if (json_is_real(v))
		snprintf(buf, size, "%g, not a whole number",
			 json_real_value(v));
	else
		snprintf(buf, size, "not a number");
}

static int read_entry(const char *path, const char *dir, size_t k,
		      const json_t *item, struct site_releases *out,
		      struct parity_error *err)
{
	const json_t *n = json_object_get(item, "release");
	const json_t *y = json_object_get(item, "year");
	const json_t *d = json_object_get(item, "date");
	const json_t *c = json_object_get(item, "correction");
	char what[64];
	int number, year;
	size_t j;

	if (!json_is_object(item))
		return parity_error_set(err, PARITY_ERR_PARSE, path, 0, 0,
					"entry %zu of \"releases\" is not an "
					"object", k + 1);
	if (whole(n, 1, SITE_RELEASE_MAX, &number) < 0) {
		describe(n, what, sizeof(what));
		return parity_error_set(err, PARITY_ERR_PARSE, path, 0, 0,
					"entry %zu of \"releases\": \"release\" "
					"is %s; a release is a whole number "
					"from 1 to %d", k + 1, what,
					SITE_RELEASE_MAX);
	}
	if (whole(y, SITE_YEAR_MIN, SITE_YEAR_MAX, &year) < 0) {
		describe(y, what, sizeof(what));
		return parity_error_set(err, PARITY_ERR_PARSE, path, 0, 0,
					"entry %zu of \"releases\" (release %d): "
					"\"year\" is %s; a year is a whole "
					"number from %d to %d", k + 1, number,
					what, SITE_YEAR_MIN, SITE_YEAR_MAX);
	}
	if (!json_is_string(d) || !site_date_valid(json_string_value(d)))
		return parity_error_set(err, PARITY_ERR_PARSE, path, 0, 0,
					"entry %zu of \"releases\" (release %d): "
					"\"date\" is not a date written "
					"YYYY-MM-DD", k + 1, number);
	if (c && !json_is_null(c) && !json_is_string(c))
		return parity_error_set(err, PARITY_ERR_PARSE, path, 0, 0,
					"entry %zu of \"releases\" (release %d): "
					"\"correction\" is neither text nor null",
					k + 1, number);
	for (j = 0; j < out->count; j++)
		if (out->items[j].number == number)
			return parity_error_set(
				err, PARITY_ERR_PARSE, path, 0, 0,
				"entry %zu of \"releases\": release %d is "
				"listed twice (entries %zu and %zu)", k + 1,
				number, j + 1, k + 1);
	site_releases_add(out, number, year, json_string_value(d),
			  json_is_string(c) ? json_string_value(c) : NULL);
	note_directory(dir, &out->items[out->count - 1]);
	return 0;
}

int site_releases_read(const char *path, const char *dir,
		       struct site_releases *out, struct parity_error *err)
{
	json_error_t jerr;
	json_t *root, *list, *item, *latest;
	int highest = 0, said = 0, rc = 0;
	size_t k;
	FILE *f;

	memset(out, 0, sizeof(*out));
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
		rc = read_entry(path, dir, k, item, out, err);
		if (rc < 0)
			break;
		if (out->count > 0 && out->items[out->count - 1].number > highest)
			highest = out->items[out->count - 1].number;
	}
	latest = json_object_get(root, "latest");
	if (rc == 0 && latest) {
		char what[64];

		if (whole(latest, 0, SITE_RELEASE_MAX, &said) < 0) {
			describe(latest, what, sizeof(what));
			rc = parity_error_set(err, PARITY_ERR_PARSE, path, 0, 0,
					      "\"latest\" is %s; it must be the "
					      "highest release listed", what);
		} else if (said != highest) {
			rc = parity_error_set(
				err, PARITY_ERR_PARSE, path, 0, 0,
				"\"latest\" is %d, but the highest release "
				"listed is %d: the list has lost a release, or "
				"was edited; parity will not number a release "
				"from it", said, highest);
		}
	}
	json_decref(root);
	if (rc < 0)
		site_releases_free(out);
	return rc;
}

int site_releases_load(const char *dir, struct site_releases *out,
		       struct parity_error *err)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", dir, RELEASES_JSON);
	return site_releases_read(path, dir, out, err);
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

int site_releases_highest(const struct site_releases *r)
{
	int highest = 0;
	size_t k;

	for (k = 0; k < r->count; k++)
		if (r->items[k].number > highest)
			highest = r->items[k].number;
	return highest;
}

int site_release_next(const struct site_releases *r, int year,
		      const char *correction, int *number,
		      struct parity_error *err)
{
	const struct site_release_entry *last = site_release_latest(r, year);
	int highest = site_releases_highest(r);

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
	if (highest >= SITE_RELEASE_MAX)
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"release %d is the last number parity "
					"gives: no release can follow it",
					highest);
	*number = highest + 1;
	return 0;
}

/* Set obj[key] to `v` (whose reference it takes, NULL or not); -1 when
 * Jansson fails. */
static int put(json_t *obj, const char *key, json_t *v)
{
	return v ? json_object_set_new(obj, key, v) : -1;
}

/* One entry of releases.json, or NULL when Jansson fails. */
static json_t *entry_json(const struct site_release_entry *e)
{
	char where[64];
	json_t *item = json_object();

	snprintf(where, sizeof(where), "releases/%d/", e->number);
	if (!item ||
	    put(item, "release", json_integer(e->number)) < 0 ||
	    put(item, "year", json_integer(e->year)) < 0 ||
	    put(item, "date", json_string(e->date)) < 0 ||
	    put(item, "path", json_string(where)) < 0 ||
	    put(item, "correction", e->correction ? json_string(e->correction)
						   : json_null()) < 0) {
		json_decref(item);
		return NULL;
	}
	return item;
}

char *site_releases_json(const struct site_releases *r,
			 struct parity_error *err)
{
	json_t *root = json_object(), *list = json_array();
	char *text = NULL;
	int latest = 0;
	size_t k;

	if (!root || !list)
		goto fail;
	for (k = 0; k < r->count; k++) {
		const struct site_release_entry *e = &r->items[k];

		if (json_array_append_new(list, entry_json(e)) < 0) {
			parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					 "cannot write release %d into the list "
					 "of releases (is its text UTF-8?)",
					 e->number);
			goto out;
		}
		if (e->number > latest)
			latest = e->number;
	}
	if (put(root, "site", json_string(HTML_SITE_NAME)) < 0 ||
	    put(root, "latest", json_integer(latest)) < 0)
		goto fail;
	if (put(root, "releases", list) < 0) {
		list = NULL;   /* taken, even on failure */
		goto fail;
	}
	list = NULL;
	text = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text)
		goto out;
fail:
	parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
			 "cannot write the list of releases (JSON)");
out:
	json_decref(root);
	json_decref(list);
	return text;
}

static bool same_text(const char *a, const char *b)
{
	return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

int site_releases_verify(const char *path, const char *dir,
			 const struct site_releases *want, size_t kept,
			 struct parity_error *err)
{
	struct site_releases got;
	int rc = 0;
	size_t k;

	/* site_releases_read() proves "latest" the highest release listed */
	if (site_releases_read(path, dir, &got, err) < 0)
		return -1;
	if (got.count != want->count)
		rc = parity_error_set(err, PARITY_ERR_INTERNAL, path, 0, 0,
				      "read back, the list holds %zu releases, "
				      "not %zu: the release is not made live",
				      got.count, want->count);
	for (k = 0; rc == 0 && k < got.count; k++) {
		const struct site_release_entry *g = &got.items[k];
		const struct site_release_entry *w = &want->items[k];

		if (g->number != w->number || g->year != w->year ||
		    strcmp(g->date, w->date) != 0 ||
		    !same_text(g->correction, w->correction))
			rc = parity_error_set(
				err, PARITY_ERR_INTERNAL, path, 0, 0,
				"read back, entry %zu is not release %d as it "
				"was written: the release is not made live",
				k + 1, w->number);
		else if (!g->found)
			rc = parity_error_set(
				err, PARITY_ERR_INTERNAL, path, 0, 0,
				"the list names release %d, but %s/releases/%d "
				"is not a directory: the release is not made "
				"live", g->number, dir, g->number);
		else if (k < kept && (g->dev != w->dev || g->ino != w->ino ||
				      !w->found))
			rc = parity_error_set(
				err, PARITY_ERR_INTERNAL, path, 0, 0,
				"%s/releases/%d is not the directory it was "
				"when this publication began: a published "
				"release was replaced; the release is not "
				"made live", dir, g->number);
	}
	site_releases_free(&got);
	return rc;
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
		html_table_begin(&sb, "Corrections, newest first", NULL);
		strbuf_addstr(&sb, "<thead class=\""
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
		strbuf_addstr(&sb, "</tbody>\n</table>\n</div>\n");
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
