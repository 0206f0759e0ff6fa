/*
 * site_standard.c - the Racial Equality Standard on the published site:
 * for each framework with levels (the Standard, the toolkits) that some
 * council submitted an assessment of for the year published, how many
 * councils sit at each level per theme and overall (score.h:
 * standard_distribution_table), and the levels of the councils whose
 * assessment opted to share them (standard_named_table, as the public
 * sees it). Counts of councils are not personal data, so they do not pass
 * through disclosure control; a council that did not opt to share is
 * counted, never named. Surveys are left out: their answers are the
 * hub's.
 *
 * Owns struct site's frameworks and standards (site_standard_release()).
 *
 * Pages (paths from the copy's root):
 *   standard.html                   the frameworks, with how many councils
 *                                   submitted
 *   standard/ID.html                one framework's distribution and its
 *                                   named councils
 * and downloads/standard-ID-YEAR.csv, both tables as tidy rows.
 */
#include "site/site_internal.h"

#include "base/diag.h"
#include "site/html.h"
#include "standard/assessment.h"
#include "standard/score.h"
#include "store/assessment_store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- gathering ---- */

/* How many councils submitted an assessment of `f` for `year` (the
 * newest version of each, of f's version: those the distribution counts). */
static int count_submitted(struct store *store, const struct framework *f,
			   int year, size_t *out, struct parity_error *err)
{
	struct assessment_filter filter;
	struct assessment *all;
	size_t n, k;

	memset(&filter, 0, sizeof(filter));
	filter.framework = f->id;
	filter.year = year;
	filter.submitted_only = true;
	filter.newest_only = true;
	if (store_assessments_list(store, &filter, &all, &n, err) < 0)
		return -1;
	*out = 0;
	for (k = 0; k < n; k++)
		if (all[k].framework_version == f->version)
			(*out)++;
	assessments_free(all, n);
	return 0;
}

/* Whether framework `k` is the newest version of its id in the set (an
 * older version is left out: the distribution counts one version). */
static bool newest_of_id(const struct framework_set *set, size_t k)
{
	return framework_find(set, set->items[k]->id, 0) == set->items[k];
}

int site_standard_load(struct site *s, struct store *store,
		       struct parity_error *err)
{
	struct diag_list problems = DIAG_LIST_INIT;
	struct standard_viewer public_viewer = { NULL, false };
	struct standard_data d;
	size_t k, submitted;

	if (framework_set_load(&s->frameworks, &problems) < 0) {
		diag_list_release(&problems);
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"the built-in frameworks do not load");
	}
	diag_list_release(&problems);
	memset(&d, 0, sizeof(d));
	d.store = store;
	d.areas = s->areas;
	for (k = 0; k < s->frameworks->count; k++) {
		const struct framework *f = s->frameworks->items[k];
		struct site_standard_pub *p;

		if (f->kind == FRAMEWORK_SURVEY || f->nlevels == 0 ||
		    !newest_of_id(s->frameworks, k) ||
		    s->nstandards == SITE_MAX_FRAMEWORKS)
			continue;
		if (count_submitted(store, f, s->opt->year, &submitted,
				    err) < 0)
			return -1;
		if (submitted == 0)
			continue;
		p = &s->standards[s->nstandards++];
		p->framework = f;
		p->submitted = submitted;
		tidy_table_init(&p->distribution);
		tidy_table_init(&p->named);
		if (standard_distribution_table(&d, f, s->opt->year,
						&p->distribution, err) < 0 ||
		    standard_named_table(&d, f, s->opt->year, &public_viewer,
					 &p->named, err) < 0)
			return -1;
	}
	return 0;
}

void site_standard_release(struct site *s)
{
	size_t k;

	for (k = 0; k < s->nstandards; k++) {
		tidy_table_free(&s->standards[k].distribution);
		tidy_table_free(&s->standards[k].named);
	}
	s->nstandards = 0;
	framework_set_free(s->frameworks);
	s->frameworks = NULL;
}

void site_standard_download_name(const struct site *s, size_t k, char *buf,
				 size_t size)
{
	char slug[128];

	site_slug(s->standards[k].framework->id, slug, sizeof(slug));
	snprintf(buf, size, "standard-%s-%d", slug, s->opt->year);
}

/* ---- building blocks ---- */

static void para(struct strbuf *sb, const char *text)
{
	strbuf_addstr(sb, "<p class=\"govuk-body\">");
	html_escape(sb, text);
	strbuf_addstr(sb, "</p>\n");
}

static void table_begin(struct strbuf *sb, const char *caption)
{
	html_table_begin(sb, caption, NULL);
	strbuf_addstr(sb, "<thead class=\"govuk-table__head\">"
			  "<tr class=\"govuk-table__row\">");
}

static void header_cell(struct strbuf *sb, const char *text, bool numeric)
{
	strbuf_addstr(sb, numeric ? "<th scope=\"col\" class=\"govuk-table__"
				    "header govuk-table__header--numeric\">"
				  : "<th scope=\"col\" class=\"govuk-table__"
				    "header\">");
	html_escape(sb, text);
	strbuf_addstr(sb, "</th>");
}

static void row_header(struct strbuf *sb, const char *text)
{
	strbuf_addstr(sb, "<tr class=\"govuk-table__row\"><th scope=\"row\" "
			  "class=\"govuk-table__header\">");
	html_escape(sb, text);
	strbuf_addstr(sb, "</th>");
}

static void cell(struct strbuf *sb, const char *text, bool numeric)
{
	strbuf_addstr(sb, numeric ? "<td class=\"govuk-table__cell "
				    "govuk-table__cell--numeric\">"
				  : "<td class=\"govuk-table__cell\">");
	html_escape(sb, text);
	strbuf_addstr(sb, "</td>");
}

static void table_end(struct strbuf *sb)
{
	strbuf_addstr(sb, "</tbody>\n</table>\n</div>\n");
}

/* The row of `t` of `measure`, `breakdown` and level `level_id`, or
 * NULL. */
static const struct tidy_row *find_row(const struct tidy_table *t,
				       const char *measure,
				       const char *area_code,
				       const char *breakdown,
				       const char *level_id)
{
	size_t k;

	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		if (strcmp(r->measure, measure) == 0 &&
		    (!area_code || strcmp(r->area_code, area_code) == 0) &&
		    strcmp(r->breakdown, breakdown) == 0 &&
		    (!level_id || strcmp(r->flag, level_id) == 0))
			return r;
	}
	return NULL;
}

/* One row of the distribution: a theme's (or, `theme` "", the overall)
 * counts at each level and how many councils have a level there. */
static void distribution_row(struct strbuf *sb, const struct framework *f,
			     const struct tidy_table *t, const char *measure,
			     const char *theme, const char *label)
{
	char num[32];
	double total = 0;
	size_t m;

	row_header(sb, label);
	for (m = 0; m < f->nlevels; m++) {
		const struct tidy_row *r =
			find_row(t, measure, NULL, theme, f->levels[m].id);

		snprintf(num, sizeof(num), "%.0f", r ? r->value : 0.0);
		if (r)
			total = r->denominator;
		cell(sb, num, true);
	}
	snprintf(num, sizeof(num), "%.0f", total);
	cell(sb, num, true);
	strbuf_addstr(sb, "</tr>\n");
}

static void distribution_table(struct strbuf *sb, const struct site *s,
			       const struct site_standard_pub *p)
{
	const struct framework *f = p->framework;
	char caption[512];
	size_t m, j;

	snprintf(caption, sizeof(caption), "London councils at each level of "
		 "%s, by theme and overall, %d", f->title, s->opt->year);
	table_begin(sb, caption);
	header_cell(sb, "Theme", false);
	for (m = 0; m < f->nlevels; m++)
		header_cell(sb, f->levels[m].title, true);
	header_cell(sb, "Councils with a level", true);
	strbuf_addstr(sb, "</tr></thead>\n<tbody class=\"govuk-table__body\">"
			  "\n");
	for (j = 0; j < f->nthemes; j++)
		distribution_row(sb, f, &p->distribution,
				 "standard_theme_level_count",
				 f->themes[j].id, f->themes[j].title);
	distribution_row(sb, f, &p->distribution,
			 "standard_overall_level_count", "", "Overall");
	table_end(sb);
}

/* A level's title from its id, or "not scored". */
static const char *level_title(const struct framework *f, const char *id)
{
	int k = framework_level_find(f, id);

	return k < 0 ? "not scored" : f->levels[k].title;
}

/* The councils of the named table, by name (listed, never ranked). */
static size_t named_councils(const struct tidy_table *t,
			     const struct tidy_row **out, size_t max)
{
	size_t k, j, n = 0;

	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		if (strcmp(r->measure, "standard_overall_level") != 0)
			continue;
		if (n == max)
			break;
		for (j = n; j > 0 && strcmp(out[j - 1]->area_name,
					    r->area_name) > 0; j--)
			out[j] = out[j - 1];
		out[j] = r;
		n++;
	}
	return n;
}

static void named_table(struct strbuf *sb, const struct site *s,
			const struct site_standard_pub *p)
{
	const struct framework *f = p->framework;
	const struct tidy_row *councils[64];
	char caption[512];
	size_t n, k, j;

	n = named_councils(&p->named, councils, 64);
	if (n == 0) {
		para(sb, "No council that submitted chose to be named.");
		return;
	}
	snprintf(caption, sizeof(caption), "Levels of the councils that chose "
		 "to be named, %s, %d", f->title, s->opt->year);
	table_begin(sb, caption);
	header_cell(sb, "Council", false);
	for (j = 0; j < f->nthemes; j++)
		header_cell(sb, f->themes[j].title, false);
	header_cell(sb, "Overall", false);
	strbuf_addstr(sb, "</tr></thead>\n<tbody class=\"govuk-table__body\">"
			  "\n");
	for (k = 0; k < n; k++) {
		const char *code = councils[k]->area_code;

		row_header(sb, councils[k]->area_name);
		for (j = 0; j < f->nthemes; j++) {
			const struct tidy_row *r =
				find_row(&p->named, "standard_theme_level",
					 code, f->themes[j].id, NULL);

			cell(sb, level_title(f, r ? r->flag : ""), false);
		}
		cell(sb, level_title(f, councils[k]->flag), false);
		strbuf_addstr(sb, "</tr>\n");
	}
	table_end(sb);
}

/* ---- pages ---- */

static void submitted_text(const struct site *s,
			   const struct site_standard_pub *p, char *buf,
			   size_t size)
{
	snprintf(buf, size, "%zu London council%s submitted an assessment "
		 "of %s for %d.", p->submitted, p->submitted == 1 ? "" : "s",
		 p->framework->title, s->opt->year);
}

static int framework_page(struct site *s, const struct site_copy *c,
			  size_t k, struct parity_error *err)
{
	const struct site_standard_pub *p = &s->standards[k];
	struct strbuf sb = STRBUF_INIT;
	char slug[128], rel[192], text[512], name[192];
	int rc;

	site_slug(p->framework->id, slug, sizeof(slug));
	snprintf(rel, sizeof(rel), "standard/%s.html", slug);
	submitted_text(s, p, text, sizeof(text));
	site_page_begin(s, c, &sb, p->framework->title, "../", "standard.html",
			text);
	para(&sb, "Each council assesses itself against the framework's "
		  "criteria, at one level of maturity each. A theme's level "
		  "is the mean of its criteria's levels, rounded down; the "
		  "overall level is the mean of the themes' scores, rounded "
		  "down.");
	html_heading(&sb, 2, "How many councils sit at each level");
	distribution_table(&sb, s, p);
	para(&sb, "These are counts of councils, not of people, so they are "
		  "shown in full: disclosure control protects figures about "
		  "people, and none is shown here.");
	html_heading(&sb, 2, "Councils that chose to be named");
	para(&sb, "A council is named only when its assessment opted to "
		  "share its levels. Every council that submitted is counted "
		  "above.");
	named_table(&sb, s, p);
	site_standard_download_name(s, k, name, sizeof(name));
	strbuf_addstr(&sb, "<p class=\"govuk-body\">Both tables as tidy data: "
			   "<a class=\"govuk-link\" href=\"../downloads/");
	html_escape(&sb, name);
	strbuf_addstr(&sb, ".csv\">");
	html_escape(&sb, name);
	strbuf_addstr(&sb, ".csv</a>.</p>\n");
	if (p->framework->status && p->framework->status[0])
		para(&sb, p->framework->status);
	rc = site_page_finish(s, c, &sb, "../", rel, err);
	strbuf_release(&sb);
	return rc;
}

int site_write_standard(struct site *s, const struct site_copy *c,
			struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char slug[128], text[512];
	size_t k;
	int rc;

	if (s->nstandards == 0)
		return 0;
	site_page_begin(s, c, &sb, "Racial Equality Standard", "",
			"standard.html",
			"How London's councils assess themselves against the "
			"Racial Equality Standard and its toolkits: how many "
			"sit at each level, and the levels of those that chose "
			"to be named.");
	for (k = 0; k < s->nstandards; k++) {
		const struct site_standard_pub *p = &s->standards[k];

		html_heading(&sb, 2, p->framework->title);
		submitted_text(s, p, text, sizeof(text));
		para(&sb, text);
		site_slug(p->framework->id, slug, sizeof(slug));
		strbuf_addf(&sb, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
				 "href=\"standard/%s.html\">Councils at each level "
				 "of ", slug);
		html_escape(&sb, p->framework->title);
		strbuf_addstr(&sb, "</a></p>\n");
	}
	rc = site_page_finish(s, c, &sb, "", "standard.html", err);
	strbuf_release(&sb);
	for (k = 0; k < s->nstandards && rc == 0; k++)
		rc = framework_page(s, c, k, err);
	return rc;
}

int site_write_standard_downloads(struct site *s, const struct site_copy *c,
				  struct parity_error *err)
{
	struct tidy_table all;
	char name[192], rel[256];
	size_t k;
	int rc = 0;

	for (k = 0; k < s->nstandards && rc == 0; k++) {
		tidy_table_init(&all);
		tidy_table_append(&all, &s->standards[k].distribution);
		tidy_table_append(&all, &s->standards[k].named);
		site_standard_download_name(s, k, name, sizeof(name));
		snprintf(rel, sizeof(rel), "downloads/%s.csv", name);
		rc = site_write_csv(s, c, rel, &all, NULL, err);
		tidy_table_free(&all);
	}
	return rc;
}
