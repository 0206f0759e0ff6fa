/*
 * site_pages.c - the pages of a release: what each page says, in what
 * order, from the protected tables in struct site.
 *
 * Every page leads with findings in plain English (measure/findings.h),
 * drawn from the same protected figures it shows, then gives each measure
 * as a chart (svg.h) beside the table of the same rows (html.h), which
 * carries every number; under each table, a link to the CSV of its rows
 * (site_tables.h: each page that draws tables opens a sink and passes
 * it down to them). Boroughs are listed alphabetically and compared
 * with funnel plots, never ranked. Groups are those of the ONS 2021
 * classification: a table of groups gives each of the 5 high-level groups
 * with its detailed groups nested beneath it (html_table_nested()), while
 * charts and findings keep to the high level, where 24 groups would be
 * unreadable; 'BAME' is never written.
 *
 * Pages (paths from the copy's root):
 *   index.html                      London overview
 *   boroughs/index.html, boroughs/SLUG.html
 *   measures/index.html, measures/representation.html,
 *   measures/not-known.html, measures/relative-likelihood.html,
 *   measures/pay-gap.html
 *   services.html, services/NAME.html, services/NAME/SLUG.html
 *   (site_services.c)
 *   methodology.html, downloads.html
 * and, when there is something to show, attainment.html and
 * attainment/SLUG.html (site_attainment.c), the Standard's pages
 * (site_standard.c) and the approved practice (site_practice.c).
 */
#include "site/site_groups.h"
#include "site/site_internal.h"

#include "base/alloc.h"
#include "base/clock.h"
#include "domain/ethnicity.h"
#include "domain/sex.h"
#include "measure/findings.h"
#include "table/measure_def.h"
#include "measure/stats.h"
#include "site/html.h"
#include "site/site_sex.h"
#include "site/site_tables.h"
#include "table/render.h"
#include "site/svg.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define REFERENCE "White"
#define REFERENCE_DETAILED "White British"
#define MAX_FINDINGS 6
/* The most groups a page compares: 5 high-level, 19 detailed, and the
 * rest (not known, groups combined for pay) with room to spare. */
#define MAX_GROUPS 64

/* ---- selecting rows ---- */

struct rowset {
	size_t *at;
	size_t n, cap;
};

static void rowset_add(struct rowset *rs, size_t row)
{
	rs->at = xgrow(rs->at, &rs->cap, rs->n + 1, sizeof(*rs->at));
	rs->at[rs->n++] = row;
}

/* Rows of `measure` (and `breakdown`, `ethnicity`, `area_code` when not
 * NULL), in table order; rows by sex only when `breakdown` names theirs
 * (the 'By sex' section, site_sex.c, shows them). */
static void select_rows(const struct tidy_table *t, const char *measure,
			const char *area_code, const char *breakdown,
			const char *ethnicity, struct rowset *rs)
{
	size_t k;

	rs->n = 0;
	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		if (strcmp(r->measure, measure) != 0 ||
		    (area_code && strcmp(r->area_code, area_code) != 0) ||
		    (breakdown && strcmp(r->breakdown, breakdown) != 0) ||
		    (!breakdown && sex_breakdown(r->breakdown, NULL, NULL)) ||
		    (ethnicity && strcmp(r->ethnicity, ethnicity) != 0))
			continue;
		rowset_add(rs, k);
	}
}

/* The distinct values of a text column among rows of `measure`, in order
 * of first appearance. */
static size_t distinct(const struct tidy_table *t, const char *measure,
		       enum tidy_column col, const char **out, size_t max)
{
	size_t k, j, n = 0;

	for (k = 0; k < t->count; k++) {
		const char *v = tidy_row_text(&t->rows[k], col);

		if (strcmp(t->rows[k].measure, measure) != 0 || !v[0] ||
		    sex_breakdown(t->rows[k].breakdown, NULL, NULL))
			continue;
		for (j = 0; j < n; j++)
			if (strcmp(out[j], v) == 0)
				break;
		if (j == n && n < max)
			out[n++] = v;
	}
	return n;
}

/* Rows ordered by area name, so that no order implies a rank (an
 * insertion sort: a few dozen rows, and stable). */
static void sort_by_area(const struct tidy_table *t, struct rowset *rs)
{
	size_t i, j, v;

	for (i = 1; i < rs->n; i++) {
		v = rs->at[i];
		for (j = i; j > 0 && strcmp(t->rows[rs->at[j - 1]].area_name,
					    t->rows[v].area_name) > 0; j--)
			rs->at[j] = rs->at[j - 1];
		rs->at[j] = v;
	}
}

/* ---- detailed groups under their high-level groups ---- */

/* Whether a row is the detailed level's: a detailed group's, or a group
 * the pay measures combine at the detailed level ("White, other than
 * Roma", or any other whose reference is White British). Charts and
 * findings leave these out. */
static bool detailed_row(const struct tidy_row *r)
{
	const char *wbri = ethnicity_level_group_label(
		ETH_LEVEL_DETAILED,
		ethnicity_level_group(ETH_WBRI, ETH_LEVEL_DETAILED));
	const char *ref = strstr(r->note ? r->note : "", "reference: ");

	return strcmp(r->ethnicity_level, "detailed") == 0 ||
	       strcmp(r->ethnicity_level, "white-british-binary") == 0 ||
	       strstr(r->ethnicity, ", other than ") != NULL ||
	       (ref && strncmp(ref + 11, wbri, strlen(wbri)) == 0);
}

/* The high-level group a detailed row's group belongs to ("White: Roma",
 * "White, other than Roma": White), or -1. */
static int parent_group(const char *label)
{
	size_t g, n;

	for (g = 0; g < ethnicity_level_group_count(ETH_LEVEL_HIGH); g++) {
		const char *p = ethnicity_level_group_label(ETH_LEVEL_HIGH, g);

		n = strlen(p);
		if (strncmp(label, p, n) == 0 &&
		    (strncmp(label + n, ": ", 2) == 0 ||
		     strncmp(label + n, ", other than ", 13) == 0))
			return (int)g;
	}
	return -1;
}

/* Whether `label` is a high-level group's. */
static bool high_group(const char *label)
{
	size_t g;

	for (g = 0; g < ethnicity_level_group_count(ETH_LEVEL_HIGH); g++)
		if (strcmp(label, ethnicity_level_group_label(ETH_LEVEL_HIGH,
							      g)) == 0)
			return true;
	return false;
}

/* Whether detailed group `label` is within high-level group `high`. */
static bool same_parent(const char *label, const char *high)
{
	int g = parent_group(label);

	return g >= 0 && strcmp(ethnicity_level_group_label(ETH_LEVEL_HIGH,
							    (size_t)g),
				high) == 0 &&
	       strstr(label, ", other than ") == NULL;
}

/*
 * The rows of `rs` for a chart: those that are not the detailed level's
 * when `rs` holds a high-level group's row; else (a table of the detailed
 * level alone, as the hub shows a council) all of them.
 */
static void high_rows(const struct tidy_table *t, const struct rowset *rs,
		      struct rowset *out)
{
	bool high = false;
	size_t k;

	out->n = 0;
	for (k = 0; k < rs->n; k++) {
		const struct tidy_row *r = &t->rows[rs->at[k]];

		if (detailed_row(r))
			continue;
		rowset_add(out, rs->at[k]);
		high = high || high_group(r->ethnicity);
	}
	if (high)
		return;
	out->n = 0;
	for (k = 0; k < rs->n; k++)
		rowset_add(out, rs->at[k]);
}

/*
 * The rows of `rs` (one area's groups) as a table nests them: each
 * high-level group, in the classification's order, followed by its
 * detailed groups at depth 1 (at depth 0, named in full, when the
 * high-level group has no row: the reference group of a pay gap); then
 * the other rows (not known, all staff, groups combined across
 * high-level groups) in table order. `depth` is grown to fit.
 */
static void nest_groups(const struct tidy_table *t, const struct rowset *rs,
			struct rowset *out, unsigned char **depth, size_t *cap)
{
	bool *used = xcalloc(rs->n ? rs->n : 1, sizeof(*used));
	size_t g, k;

	out->n = 0;
	*depth = xgrow(*depth, cap, rs->n ? rs->n : 1, sizeof(**depth));
	for (g = 0; g < ethnicity_level_group_count(ETH_LEVEL_HIGH); g++) {
		const char *label = ethnicity_level_group_label(ETH_LEVEL_HIGH,
								g);
		bool parent = false;

		for (k = 0; k < rs->n; k++) {
			const struct tidy_row *r = &t->rows[rs->at[k]];

			if (used[k] || detailed_row(r) ||
			    strcmp(r->ethnicity, label) != 0)
				continue;
			(*depth)[out->n] = 0;
			rowset_add(out, rs->at[k]);
			used[k] = parent = true;
		}
		for (k = 0; k < rs->n; k++) {
			const struct tidy_row *r = &t->rows[rs->at[k]];

			if (used[k] || !detailed_row(r) ||
			    parent_group(r->ethnicity) != (int)g)
				continue;
			(*depth)[out->n] = parent ? 1 : 0;
			rowset_add(out, rs->at[k]);
			used[k] = true;
		}
	}
	for (k = 0; k < rs->n; k++)
		if (!used[k]) {
			(*depth)[out->n] = 0;
			rowset_add(out, rs->at[k]);
		}
	free(used);
}

/* A table of `rs`, its groups nested when its first column is the
 * group, with the CSV of its rows beside it (`tt`, NULL for none: its
 * failure is kept there). */
static void group_table(struct strbuf *sb, const struct tidy_table *t,
			const struct rowset *rs,
			const struct html_table_spec *spec,
			struct site_tables *tt)
{
	struct rowset nested = { NULL, 0, 0 };
	unsigned char *depth = NULL;
	size_t cap = 0;

	if (spec->ncolumns == 0 || spec->columns[0] != HTML_COL_GROUP) {
		html_table(sb, t, rs->at, rs->n, spec);
		(void)site_tables_add(tt, sb, t, rs->at, rs->n, spec);
		return;
	}
	nest_groups(t, rs, &nested, &depth, &cap);
	html_table_nested(sb, t, nested.at, depth, nested.n, spec);
	(void)site_tables_add(tt, sb, t, nested.at, nested.n, spec);
	free(nested.at);
	free(depth);
}

/*
 * Where an area's detailed groups' staff counts are withheld, a sentence
 * saying so in words under the table, the groups named short ("Roma"):
 * "Figures for Gypsy or Irish Traveller and Roma staff in Brent are
 * withheld ([c]) because ...".
 */
static void withheld_groups(struct strbuf *sb, const struct tidy_table *t,
			    const struct rowset *rs, const char *name)
{
	const char *groups[ETHNICITY_DETAILED_COUNT];
	size_t k, n = 0;

	for (k = 0; k < rs->n; k++) {
		const struct tidy_row *r = &t->rows[rs->at[k]];

		if (strcmp(r->ethnicity_level, "detailed") == 0 &&
		    tidy_row_withheld(r, TIDY_VALUE) &&
		    n < ETHNICITY_DETAILED_COUNT)
			groups[n++] = findings_group_name(r->ethnicity);
	}
	if (n == 0)
		return;
	strbuf_addstr(sb, "<p class=\"govuk-body parity-withheld-groups\">"
			  "Figures for ");
	for (k = 0; k < n; k++) {
		if (k > 0)
			strbuf_addstr(sb, k + 1 == n ? " and " : ", ");
		html_escape(sb, groups[k]);
	}
	strbuf_addstr(sb, " staff in ");
	html_escape(sb, name);
	strbuf_addstr(sb, " are withheld ([c]) because there are fewer than "
			  "10 such staff, or because they would let a "
			  "withheld figure be worked out.</p>\n");
}

/* ---- page frame ---- */

void site_slug(const char *name, char *buf, size_t size)
{
	size_t n = 0;
	bool dash = false;

	for (; *name && n + 2 < size; name++) {
		if (isalnum((unsigned char)*name)) {
			if (dash && n > 0)
				buf[n++] = '-';
			buf[n++] = (char)tolower((unsigned char)*name);
			dash = false;
		} else {
			dash = true;
		}
	}
	buf[n] = '\0';
}

void site_rows_select(const struct tidy_table *t, const char *measure,
		      int year, const char *area, const char *breakdown,
		      const char *group, struct site_rows *rs)
{
	size_t k;

	rs->n = 0;
	for (k = 0; k < t->count; k++) {
		const struct tidy_row *r = &t->rows[k];

		if (strcmp(r->measure, measure) != 0 ||
		    (year != SITE_ANY_YEAR && r->year != year) ||
		    (area && strcmp(r->area_code, area) != 0) ||
		    (breakdown && strcmp(r->breakdown, breakdown) != 0) ||
		    (group && strcmp(r->ethnicity, group) != 0))
			continue;
		rs->at = xgrow(rs->at, &rs->cap, rs->n + 1, sizeof(*rs->at));
		rs->at[rs->n++] = k;
	}
}

void site_area_table(const struct tidy_table *t, const char *code,
		     struct tidy_table *out)
{
	size_t k;

	tidy_table_init(out);
	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].area_code, code) == 0)
			tidy_table_append_row(out, &t->rows[k]);
}

void site_place_spec(struct html_table_spec *spec, const char *caption)
{
	static const enum html_column columns[] = {
		HTML_COL_BREAKDOWN, HTML_COL_GROUP, HTML_COL_VALUE,
		HTML_COL_NUMERATOR, HTML_COL_INTERVAL, HTML_COL_FLAG,
	};
	static const char *const headings[] = {
		"Measure", "Group", "Borough", "London",
		"Expected range (95%) at the borough's precision", "Position",
	};

	spec->caption = caption;
	spec->columns = columns;
	spec->headings = headings;
	spec->ncolumns = sizeof(columns) / sizeof(columns[0]);
	spec->id = NULL;
}

bool site_table_has_area(const struct tidy_table *t, const char *code,
			 const char *measure, int year)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if ((year == SITE_ANY_YEAR || t->rows[k].year == year) &&
		    strcmp(t->rows[k].area_code, code) == 0 &&
		    strcmp(t->rows[k].measure, measure) == 0)
			return true;
	return false;
}

size_t site_boroughs_in(const struct site *s, const struct tidy_table *t,
			const char *measure, int year,
			const struct area **out)
{
	size_t k, n = 0, i;

	for (k = 0; k < s->areas->count; k++) {
		const struct area *a = &s->areas->areas[k];

		if (a->type != AREA_BOROUGH ||
		    !site_table_has_area(t, a->code, measure, year))
			continue;
		for (i = n; i > 0 && strcmp(out[i - 1]->name, a->name) > 0;
		     i--)
			out[i] = out[i - 1];
		out[i] = a;
		n++;
	}
	return n;
}

void site_next_update(const struct site *s, char *buf, size_t size)
{
	const char *d = s->opt->date;

	if (s->opt->next_update) {
		snprintf(buf, size, "%s", s->opt->next_update);
		return;
	}
	snprintf(buf, size, "%04ld-%.2s-%.2s",
		 (strtol(d, NULL, 10) + 1) % 10000, d + 5,
		 strcmp(d + 5, "02-29") == 0 ? "28" : d + 8);
}

void site_contact_href(const struct site *s, char *buf, size_t size)
{
	const char *contact = s->opt->contact;

	if (!contact)
		snprintf(buf, size, "https://www.londoncouncils.gov.uk/");
	else
		snprintf(buf, size, "%s%s",
			 strncmp(contact, "https:", 6) == 0 ? "" : "mailto:",
			 contact);
}

/* What every page's reader needs to know, written once for the site. */
struct site_frame {
	char year_text[200], residents[160], withheld[200], groups[256];
	const char *points[4];
	char release[160], note[160], contact_href[320];
	struct html_nav_item footer[5];
};

static void frame_init(const struct site *s, struct site_frame *f)
{
	char date[CLOCK_WORDS_SIZE], next[CLOCK_WORDS_SIZE], due[32];
	snprintf(f->year_text, sizeof(f->year_text),
		 "Staff are those in post at 31 March %d, as each council "
		 "returned them: one record per member of staff, with their "
		 "ethnic group, pay and what happened to them in the year.",
		 s->opt->year);
	snprintf(f->residents, sizeof(f->residents),
		 "Residents' figures are from Census 2021 (Office for National "
		 "Statistics, table TS021), the benchmark for staff.");
	snprintf(f->groups, sizeof(f->groups),
		 "Ethnic groups follow the Office for National Statistics' "
		 "2021 classification: 19 groups in 5 high-level groups, each "
		 "shown under its high-level group. Staff whose ethnic group is "
		 "not recorded are shown as 'not known'.");
	snprintf(f->withheld, sizeof(f->withheld),
		 "A figure that rests on fewer than %g people is withheld and "
		 "shown as [c], with any other figure that would reveal it.",
		 s->opt->sdc.k);
	f->points[0] = f->year_text;
	f->points[1] = f->residents;
	f->points[2] = f->groups;
	f->points[3] = f->withheld;
	clock_date_words(s->opt->date, date, sizeof(date));
	snprintf(f->release, sizeof(f->release),
		 "Release %d: %d data, published %s", s->release, s->opt->year,
		 date);
	site_next_update(s, due, sizeof(due));
	clock_date_words(due, next, sizeof(next));
	snprintf(f->note, sizeof(f->note), "Next update: %s. Figures are "
		 "published under the Open Government Licence v3.0.", next);
	site_contact_href(s, f->contact_href, sizeof(f->contact_href));
	f->footer[0] = (struct html_nav_item){ f->contact_href, "Contact" };
	f->footer[1] = (struct html_nav_item){ "accessibility.html",
					       "Accessibility statement" };
	f->footer[2] = (struct html_nav_item){ SITE_OGL_URL,
					       "Open Government Licence v3.0" };
	f->footer[3] = (struct html_nav_item){ "methodology.html",
					       "Methodology" };
	f->footer[4] = (struct html_nav_item){ "glossary.html", "Glossary" };
}

/* Whether the page titled `title` under nav item `item` is a page below
 * the section's own (a borough under Boroughs): sections with pages
 * below them are those in a folder, Services, Attainment and the
 * Standard. */
static bool below_section(const struct html_nav_item *item,
			  const char *title)
{
	return strcmp(title, item->label) != 0 &&
	       (strchr(item->href, '/') ||
		strcmp(item->href, "services.html") == 0 ||
		strcmp(item->href, "attainment.html") == 0 ||
		strcmp(item->href, "standard.html") == 0);
}

void site_page_begin(const struct site *s, const struct site_copy *c,
		     struct strbuf *sb, const char *title, const char *root,
		     const char *current, const char *lead)
{
	site_page_begin_points(s, c, sb, title, root, current, lead, NULL, 0);
}

void site_page_begin_points(const struct site *s, const struct site_copy *c,
			    struct strbuf *sb, const char *title,
			    const char *root, const char *current,
			    const char *lead, const char *const *points,
			    size_t npoints)
{
	char corrections[64];
	struct html_nav_item nav[11], crumbs[2];
	struct site_frame f;
	struct html_page page;
	size_t n = 0, ncrumbs = 0, k;

	snprintf(corrections, sizeof(corrections), "%scorrections.html",
		 c->top);
	nav[n++] = (struct html_nav_item){ "index.html", "London overview" };
	nav[n++] = (struct html_nav_item){ "boroughs/index.html", "Boroughs" };
	nav[n++] = (struct html_nav_item){ "measures/index.html",
					   "Comparing boroughs" };
	nav[n++] = (struct html_nav_item){ "services.html", "Services" };
	/* attainment, the Standard and practice only when there is
	 * something to show */
	if (s->attainment.present)
		nav[n++] = (struct html_nav_item){ "attainment.html",
						   "Attainment" };
	if (s->nstandards > 0)
		nav[n++] = (struct html_nav_item){ "standard.html",
						   "Racial Equality Standard" };
	if (s->npractice > 0)
		nav[n++] = (struct html_nav_item){ "practice/index.html",
						   "Good practice" };
	if (s->ndigest > 0)
		nav[n++] = (struct html_nav_item){ "race-matters/index.html",
						   "Race Matters" };
	nav[n++] = (struct html_nav_item){ "methodology.html", "Methodology" };
	nav[n++] = (struct html_nav_item){ "downloads.html", "Downloads" };
	nav[n++] = (struct html_nav_item){ corrections, "Corrections" };
	/* breadcrumbs: the overview, and the section above a page below it */
	if (strcmp(current, "index.html") != 0)
		crumbs[ncrumbs++] = nav[0];
	for (k = 1; k < n; k++)
		if (strcmp(current, nav[k].href) == 0 &&
		    below_section(&nav[k], title))
			crumbs[ncrumbs++] = nav[k];
	memset(&f, 0, sizeof(f));
	frame_init(s, &f);
	memset(&page, 0, sizeof(page));
	page.title = title;
	page.root = root;
	page.current = current;
	page.nav = nav;
	page.nnav = n;
	page.release = f.release;
	page.correction = s->correction;
	page.corrections_href = corrections;
	page.lead = lead;
	page.crumbs = crumbs;
	page.ncrumbs = ncrumbs;
	page.need_to_know = points ? points : f.points;
	page.nneed_to_know = points ? npoints
				    : sizeof(f.points) / sizeof(f.points[0]);
	html_page_begin(sb, &page);
}

void site_page_end(const struct site *s, const struct site_copy *c,
		   struct strbuf *sb, const char *root)
{
	struct site_frame f;
	struct html_page page;

	(void)c;
	memset(&f, 0, sizeof(f));
	frame_init(s, &f);
	memset(&page, 0, sizeof(page));
	page.root = root;
	page.footer_links = f.footer;
	page.nfooter_links = sizeof(f.footer) / sizeof(f.footer[0]);
	page.footer_note = f.note;
	html_page_end(sb, &page);
}

int site_page_finish(struct site *s, const struct site_copy *c,
		     struct strbuf *sb, const char *root, const char *rel,
		     struct parity_error *err)
{
	/* a contents list on pages of three sections or more */
	html_add_contents(sb, 3);
	site_page_end(s, c, sb, root);
	return site_write_file(s, c, rel, sb->buf, sb->len, err);
}

static int finish(struct site *s, const struct site_copy *c,
		  struct strbuf *sb, const char *root, const char *rel,
		  struct parity_error *err)
{
	return site_page_finish(s, c, sb, root, rel, err);
}

/* ---- building blocks ---- */

/* The size of COPY/REL, written before the pages; 0 when it cannot be
 * read (then no size is shown rather than a wrong one). */
static unsigned long long copy_file_size(const struct site_copy *c,
					 const char *rel)
{
	char path[4400];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", c->dir, rel);
	return stat(path, &st) == 0 ? (unsigned long long)st.st_size : 0;
}


/* The key findings, headed; `id` is the heading's, unique in the page. */
static void findings_block(struct strbuf *sb, const struct findings *f,
			   const char *id, const char *none)
{
	size_t k;

	strbuf_addstr(sb, "<section class=\"parity-findings\" "
			  "aria-labelledby=\"");
	html_escape(sb, id);
	strbuf_addstr(sb, "\">\n<h2 class=\"govuk-heading-m\" id=\"");
	html_escape(sb, id);
	strbuf_addstr(sb, "\">Key findings</h2>\n");
	if (f->count == 0) {
		strbuf_addstr(sb, "<p class=\"govuk-body\">");
		html_escape(sb, none);
		strbuf_addstr(sb, "</p>\n</section>\n");
		return;
	}
	strbuf_addstr(sb, "<ul class=\"govuk-list govuk-list--bullet\">\n");
	for (k = 0; k < f->count && k < MAX_FINDINGS; k++) {
		strbuf_addstr(sb, "<li>");
		html_escape(sb, f->items[k].text);
		strbuf_addstr(sb, "</li>\n");
	}
	strbuf_addstr(sb, "</ul>\n</section>\n");
}

/* Findings on one area's workforce rows. */
static void area_findings(struct strbuf *sb, const struct tidy_table *t,
			  const char *code, const char *id)
{
	struct rowset all = { NULL, 0, 0 }, high = { NULL, 0, 0 };
	struct tidy_table sub;
	struct findings f;
	size_t k;

	tidy_table_init(&sub);
	memset(&f, 0, sizeof(f));
	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].area_code, code) == 0)
			rowset_add(&all, k);
	/* findings on the high-level groups, against White staff, when the
	 * area has them (high_rows()) */
	high_rows(t, &all, &high);
	for (k = 0; k < high.n; k++)
		tidy_table_append_row(&sub, &t->rows[high.at[k]]);
	free(all.at);
	free(high.at);
	findings_build_styled(&sub, REFERENCE, FINDINGS_PLAIN, &f);
	findings_block(sb, &f, id, "No figure here differs from its "
				   "comparison by more than chance would "
				   "explain, or the figures that would are "
				   "withheld.");
	findings_free(&f);
	tidy_table_free(&sub);
}

static void legend(struct strbuf *sb, const char *above, const char *below)
{
	strbuf_addstr(sb, "<ul class=\"parity-legend\" aria-label=\"How to "
			  "read the chart\">\n<li>&#9650; (pointing up, orange-red): ");
	html_escape(sb, above);
	strbuf_addstr(sb, "</li>\n<li>&#9660; (pointing down, blue): ");
	html_escape(sb, below);
	strbuf_addstr(sb, "</li>\n<li>&#9679; (circle, black): no clear "
			  "difference</li>\n<li>Lines show the 95% "
			  "interval; [c] marks a withheld figure.</li>\n</ul>\n");
}

static const enum html_column RATIO_COLUMNS[] = {
	HTML_COL_GROUP, HTML_COL_STAFF_SHARE, HTML_COL_RESIDENT_SHARE,
	HTML_COL_VALUE, HTML_COL_INTERVAL, HTML_COL_NUMERATOR,
	HTML_COL_DENOMINATOR, HTML_COL_FLAG,
};

/* A chart beside the table of the same rows. */
static void dot_figure(struct strbuf *sb, const struct tidy_table *t,
		       const struct rowset *rs, const char *id,
		       const char *title, const char *desc, const char *axis,
		       double reference, enum svg_label label,
		       const enum html_column *cols, const char *const *heads,
		       size_t ncols, const char *above, const char *below,
		       struct site_tables *tt)
{
	struct svg_chart chart = { id, title, desc, axis, reference, label,
				   false, NULL, false };
	struct html_table_spec spec = { title, cols, heads, ncols, NULL };
	struct rowset drawn = { NULL, 0, 0 };

	if (rs->n == 0)
		return;
	/* a chart of groups keeps to the high level; its table nests */
	if (label == SVG_LABEL_GROUP)
		high_rows(t, rs, &drawn);
	strbuf_addstr(sb, "<div class=\"parity-figure\">\n");
	if (label == SVG_LABEL_GROUP)
		svg_dot_whisker(sb, t, drawn.at, drawn.n, &chart);
	else
		svg_dot_whisker(sb, t, rs->at, rs->n, &chart);
	legend(sb, above, below);
	group_table(sb, t, rs, &spec, tt);
	strbuf_addstr(sb, "</div>\n");
	free(drawn.at);
}

static void table_only(struct strbuf *sb, const struct tidy_table *t,
		       const struct rowset *rs, const char *caption,
		       const enum html_column *cols, const char *const *heads,
		       size_t ncols, struct site_tables *tt)
{
	struct html_table_spec spec = { caption, cols, heads, ncols, NULL };

	if (rs->n == 0)
		return;
	group_table(sb, t, rs, &spec, tt);
}

static void para(struct strbuf *sb, const char *text)
{
	strbuf_addstr(sb, "<p class=\"govuk-body\">");
	html_escape(sb, text);
	strbuf_addstr(sb, "</p>\n");
}

/*
 * A column heading from a label of the registry of measures: capitalised,
 * with the reference group named ("reference group's median hourly pay"
 * as "White staff's median hourly pay", `group` being "White").
 */
static void label_heading(const char *label, const char *group, char *buf,
			  size_t size)
{
	static const char reference[] = "reference group";
	const char *at = strstr(label, reference);

	if (at)
		snprintf(buf, size, "%.*s%s staff%s", (int)(at - label), label,
			 group, at + sizeof(reference) - 1);
	else
		snprintf(buf, size, "%s", label);
	buf[0] = (char)toupper((unsigned char)buf[0]);
}

/*
 * A median pay gap table: the first column (the group, or the area), the
 * gap, then its numerator, the group's median hourly pay, and its
 * denominator, the reference group's, headed by the registry's labels of
 * the two (measure_def.h), so the headings follow the columns. The
 * reference is `reference` (White, or White British for a table of areas
 * for one detailed group); a table of groups holds both, and says so.
 */
struct pay_gap_table {
	enum html_column columns[4];
	char numerator[128], denominator[128];
	const char *headings[4];
};

static void pay_gap_table(struct pay_gap_table *g, enum html_column first,
			  const char *first_heading, const char *reference)
{
	const struct measure_def *def = measure_def_find("median_pay_gap");

	g->columns[0] = first;
	g->columns[1] = HTML_COL_VALUE;
	g->columns[2] = HTML_COL_NUMERATOR;
	g->columns[3] = HTML_COL_DENOMINATOR;
	label_heading(def ? def->numerator_label : "group's median hourly pay",
		      reference, g->numerator, sizeof(g->numerator));
	label_heading(def ? def->denominator_label
			  : "reference group's median hourly pay",
		      reference, g->denominator, sizeof(g->denominator));
	if (first == HTML_COL_GROUP)
		snprintf(g->denominator + strlen(g->denominator),
			 sizeof(g->denominator) - strlen(g->denominator),
			 " (White British staff's, for a detailed group, and "
			 "for White staff other than White British)");
	g->headings[0] = first_heading;
	g->headings[1] = "Median pay gap";
	g->headings[2] = g->numerator;
	g->headings[3] = g->denominator;
}

/* A text alternative for a dot-and-whisker chart: each line in words. */
static void describe(const struct tidy_table *t, const struct rowset *rs,
		     enum svg_label label, const char *what, char *buf,
		     size_t size)
{
	struct rowset drawn = { NULL, 0, 0 };
	size_t k, n;
	char v[64];

	/* the rows the chart draws (dot_figure()) */
	if (label == SVG_LABEL_GROUP)
		high_rows(t, rs, &drawn);
	else
		for (k = 0; k < rs->n; k++)
			rowset_add(&drawn, rs->at[k]);
	n = (size_t)snprintf(buf, size, "%s. ", what);
	for (k = 0; k < drawn.n && n < size; k++) {
		const struct tidy_row *r = &t->rows[drawn.at[k]];

		html_format_figure(r, TIDY_VALUE, v, sizeof(v));
		n += (size_t)snprintf(buf + n, size - n, "%s: %s; ",
				      label == SVG_LABEL_AREA ? r->area_name
				      : label == SVG_LABEL_SHORT_GROUP
					      ? ethnicity_short_name(
							r->ethnicity)
					      : r->ethnicity,
				      v[0] ? v : "not available");
	}
	free(drawn.at);
}

/* ---- the workforce sections of an area ---- */

/* An event of the relative likelihoods as readers say it: its heading
 * ("Disciplinary action") and what happens to a person ("facing
 * disciplinary action"). An event not listed reads as it is written. */
static void event_words(const char *event, const char **heading,
			const char **happening)
{
	static const struct { const char *event, *heading, *happening; }
	words[] = {
		{ "promoted", "Promotion", "being promoted" },
		{ "disciplinary", "Disciplinary action",
		  "facing disciplinary action" },
		{ "training", "Training", "being trained" },
		{ "left", "Leaving", "leaving" },
		{ "shortlisted from applying", "Shortlisting",
		  "being shortlisted after applying" },
		{ "appointed from shortlisting", "Appointment",
		  "being appointed after shortlisting" },
	};
	size_t k;

	*heading = event;
	*happening = event;
	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (strcmp(event, words[k].event) == 0) {
			*heading = words[k].heading;
			*happening = words[k].happening;
		}
}

static void workforce_sections(struct strbuf *sb, const struct tidy_table *t,
			       int year, const char *code, const char *name,
			       const char *idp, struct site_tables *tt)
{
	static const enum html_column count_cols[] = { HTML_COL_GROUP,
						       HTML_COL_VALUE };
	static const char *const count_heads[] = { "Group", "Staff" };
	static const char *const ratio_heads[] = {
		"Group", "Share of staff", "Share of residents", "Ratio",
		"95% interval", "Staff in group", "Staff with a recorded group",
		"Compared with residents",
	};
	static const enum html_column nk_cols[] = {
		HTML_COL_GROUP, HTML_COL_VALUE, HTML_COL_INTERVAL,
		HTML_COL_NUMERATOR, HTML_COL_DENOMINATOR,
	};
	static const char *const nk_heads[] = {
		"Recorded as", "Share of staff", "95% interval", "Staff",
		"All staff",
	};
	static const enum html_column rl_cols[] = {
		HTML_COL_GROUP, HTML_COL_VALUE, HTML_COL_INTERVAL,
		HTML_COL_NUMERATOR, HTML_COL_DENOMINATOR, HTML_COL_FLAG,
	};
	static const char *const rl_heads[] = {
		"Group", "Relative likelihood", "95% interval",
		"Rate in group",
		"Rate in White group (White British, for a detailed group)",
		"Difference",
	};
	struct rowset rs = { NULL, 0, 0 };
	struct pay_gap_table gap;
	const char *events[16], *event_heading, *happening;
	char title[256], desc[4096], id[64];
	size_t k, nevents;

	html_heading(sb, 2, "Who works for the council");
	select_rows(t, "staff_count", code, "", NULL, &rs);
	snprintf(title, sizeof(title), "Staff by ethnic group, %s, %d", name,
		 year);
	table_only(sb, t, &rs, title, count_cols, count_heads, 2, tt);
	withheld_groups(sb, t, &rs, name);

	html_heading(sb, 2, "Staff compared with residents");
	para(sb, "The representation ratio is a group's share of staff "
		 "divided by its share of residents (Census 2021). 1 means "
		 "the same share; below 1, fewer staff than residents would "
		 "suggest. Only staff whose ethnic group is recorded count.");
	select_rows(t, "representation_ratio", code, NULL, NULL, &rs);
	snprintf(title, sizeof(title), "Representation ratio by ethnic group, "
		 "%s, %d", name, year);
	describe(t, &rs, SVG_LABEL_GROUP, "Ratio of each group's share of "
		 "staff to its share of residents, with 95% intervals, "
		 "against a line at 1", desc, sizeof(desc));
	snprintf(id, sizeof(id), "%s-representation", idp);
	dot_figure(sb, t, &rs, id, title, desc,
		   "Representation ratio (1 = same share as residents)", 1,
		   SVG_LABEL_GROUP, RATIO_COLUMNS, ratio_heads, 8,
		   "more staff than residents would suggest",
		   "fewer staff than residents would suggest", tt);

	html_heading(sb, 2, "Ethnicity not recorded");
	select_rows(t, "not_known_rate", code, NULL, NULL, &rs);
	snprintf(title, sizeof(title), "Staff whose ethnic group is not "
		 "known, %s, %d", name, year);
	table_only(sb, t, &rs, title, nk_cols, nk_heads, 5, tt);

	html_heading(sb, 2, "Pay");
	para(sb, "The median pay gap is the difference between White staff's "
		 "median hourly pay and the group's, as a percentage of White "
		 "staff's. A positive gap means the group is paid less. Each "
		 "detailed group, under its high-level group, is compared with "
		 "White British staff instead.");
	select_rows(t, "median_pay_gap", code, NULL, NULL, &rs);
	snprintf(title, sizeof(title), "Median hourly pay gap with White "
		 "staff, %s, %d", name, year);
	pay_gap_table(&gap, HTML_COL_GROUP, "Group", REFERENCE);
	table_only(sb, t, &rs, title, gap.columns, gap.headings, 4, tt);

	html_heading(sb, 2, "Progression, discipline and leaving");
	para(sb, "A relative likelihood compares how often something happens "
		 "to staff in a group with how often it happens to White "
		 "staff: 1 means equally often, 2 twice as often. Each "
		 "detailed group, under its high-level group, is compared with "
		 "White British staff instead; the charts show the high-level "
		 "groups.");
	nevents = distinct(t, "relative_likelihood", TIDY_BREAKDOWN, events,
			   16);
	for (k = 0; k < nevents; k++) {
		select_rows(t, "relative_likelihood", code, events[k], NULL,
			    &rs);
		if (rs.n == 0)
			continue;
		event_words(events[k], &event_heading, &happening);
		snprintf(title, sizeof(title), "Relative likelihood of %s, "
			 "compared with White staff, %s, %d", happening, name,
			 year);
		describe(t, &rs, SVG_LABEL_GROUP, title, desc, sizeof(desc));
		snprintf(id, sizeof(id), "%s-rl-%zu", idp, k);
		html_heading(sb, 3, event_heading);
		dot_figure(sb, t, &rs, id, title, desc,
			   "Relative likelihood (1 = as likely as White staff)",
			   1, SVG_LABEL_GROUP, rl_cols, rl_heads, 6,
			   "more likely than White staff (significant)",
			   "less likely than White staff (significant)", tt);
	}
	free(rs.at);
	site_sex_section(sb, t, year, code, name, idp, tt);
}

void site_area_workforce(struct strbuf *sb, const struct tidy_table *t,
			 int year, const char *code, const char *name,
			 const char *id_prefix, struct site_tables *tt)
{
	char id[96];

	snprintf(id, sizeof(id), "%s-findings", id_prefix);
	area_findings(sb, t, code, id);
	workforce_sections(sb, t, year, code, name, id_prefix, tt);
}

/* ---- overview ---- */

static int overview(struct site *s, const struct site_copy *c,
		    struct parity_error *err)
{
	const struct area *london =
		&s->areas->areas[area_london(s->areas)];
	struct strbuf sb = STRBUF_INIT;
	struct site_tables tt;
	char lead[512];
	size_t k;
	int rc;

	site_tables_begin(&tt, s, c, "index.html", "", SITE_WORKFORCE, err);
	snprintf(lead, sizeof(lead), "How the 32 London boroughs and the City "
		 "of London compare, as employers, with the people they serve, "
		 "and how their services treat people of each ethnic group: "
		 "figures for %d, from councils' own returns.", s->opt->year);
	site_page_begin(s, c, &sb, "London overview", "", "index.html", lead);
	area_findings(&sb, &s->workforce, london->code, "findings");
	workforce_sections(&sb, &s->workforce, s->opt->year, london->code,
			   "London", "london", &tt);
	html_heading(&sb, 2, "Each borough");
	para(&sb, "Every borough has its own page, and boroughs are compared "
		  "with what their size allows on funnel plots, not ranked.");
	strbuf_addstr(&sb, "<ul class=\"govuk-list parity-area-list\">\n");
	for (k = 0; k < s->areas->count; k++) {
		char slug[128];

		if (s->areas->areas[k].type != AREA_BOROUGH)
			continue;
		site_slug(s->areas->areas[k].name, slug, sizeof(slug));
		strbuf_addf(&sb, "<li><a class=\"govuk-link\" href=\"boroughs/"
				 "%s.html\">", slug);
		html_escape(&sb, s->areas->areas[k].name);
		strbuf_addstr(&sb, "</a></li>\n");
	}
	strbuf_addstr(&sb, "</ul>\n");
	html_heading(&sb, 2, "Services");
	strbuf_addstr(&sb, "<ul class=\"govuk-list\">\n");
	for (k = 0; k < s->nservices; k++) {
		strbuf_addf(&sb, "<li><a class=\"govuk-link\" href=\"services/"
				 "%s.html\">", s->services[k].def->name);
		html_escape(&sb, s->services[k].def->title);
		strbuf_addstr(&sb, ", ");
		html_escape(&sb, s->services[k].period);
		strbuf_addstr(&sb, "</a></li>\n");
	}
	strbuf_addstr(&sb, "</ul>\n");
	if (s->attainment.present) {
		html_heading(&sb, 2, "Attainment");
		strbuf_addstr(&sb, "<p class=\"govuk-body\">How pupils of each "
				   "ethnic group do at school in London, "
				   "against White British pupils: <a class=\""
				   "govuk-link\" href=\"attainment.html\">"
				   "attainment, ");
		html_escape(&sb, s->attainment.period);
		strbuf_addstr(&sb, "</a>.</p>\n");
	}
	rc = site_tables_end(&tt);
	if (rc == 0)
		rc = finish(s, c, &sb, "", "index.html", err);
	strbuf_release(&sb);
	return rc;
}

/* ---- boroughs ---- */

static bool has_rows(const struct tidy_table *t, const char *code)
{
	size_t k;

	for (k = 0; k < t->count; k++)
		if (strcmp(t->rows[k].area_code, code) == 0)
			return true;
	return false;
}

/* What a funnel plot places: shares (by size), ratios or differences
 * (by precision). */
enum funnel_kind { FUNNEL_PROPORTION, FUNNEL_RATIO, FUNNEL_DIFFERENCE };

static void funnel_figure(struct strbuf *sb, const struct tidy_table *t,
			  struct rowset *rs, const char *id,
			  const char *title, const char *axis,
			  enum funnel_kind kind, const char *highlight,
			  struct site_tables *tt);

/* The share of staff not recorded on a funnel plot of every borough,
 * with this one picked out. */
static void borough_funnel(struct strbuf *sb, const struct site *s,
			   const char *code, struct site_tables *tt)
{
	struct rowset all = { NULL, 0, 0 };
	char title[256];

	select_rows(&s->workforce, "funnel_position", NULL, "not_known_rate",
		    "Not known or prefer not to say", &all);
	if (all.n > 0) {
		snprintf(title, sizeof(title), "Staff with no recorded ethnic "
			 "group, this borough (ringed) among London's, %d",
			 s->opt->year);
		html_heading(sb, 3, "Where the borough sits: ethnicity not "
				    "recorded");
		funnel_figure(sb, &s->workforce, &all,
			      "funnel-borough-not-known", title,
			      "Share of staff with no recorded group (%)",
			      FUNNEL_PROPORTION, code, tt);
	}
	free(all.at);
}

static void funnel_section(struct strbuf *sb, const struct site *s,
			   const char *code, struct site_tables *tt)
{
	static const enum html_column cols[] = {
		HTML_COL_BREAKDOWN, HTML_COL_GROUP, HTML_COL_VALUE,
		HTML_COL_NUMERATOR, HTML_COL_INTERVAL, HTML_COL_FLAG,
	};
	static const char *const heads[] = {
		"Measure", "Group", "Borough", "London",
		"Expected range (95%) at the borough's size", "Position",
	};
	struct rowset rs = { NULL, 0, 0 };

	select_rows(&s->workforce, "funnel_position", code, NULL, NULL, &rs);
	if (rs.n == 0) {
		free(rs.at);
		return;
	}
	html_heading(sb, 2, "Compared with London");
	para(sb, "Each figure is compared with London's, allowing for the "
		 "borough's size: a small borough's figures vary more by "
		 "chance. 'Within the expected range' means the difference "
		 "could be chance. The funnel plots on the 'Comparing "
		 "boroughs' pages show every borough together.");
	table_only(sb, &s->workforce, &rs, "The borough's figures against "
		   "London's, with the range expected at its size", cols,
		   heads, 6, tt);
	borough_funnel(sb, s, code, tt);
	free(rs.at);
}

void site_area_download(struct strbuf *sb, const struct site *s,
			const struct site_copy *c, const struct area *a)
{
	char rel[256];
	unsigned long long size;

	site_area_download_rel(s, a, rel, sizeof(rel));
	size = has_rows(&s->workforce, a->code) ? copy_file_size(c, rel) : 0;
	strbuf_addstr(sb, "<p class=\"govuk-body parity-downloads-only\">");
	if (size) {
		strbuf_addf(sb, "<a class=\"govuk-link\" href=\"../%s\">", rel);
		strbuf_addstr(sb, "Every figure for ");
		html_escape(sb, a->name);
		strbuf_addstr(sb, " as a spreadsheet</a> (CSV, ");
		html_file_size(sb, size);
		strbuf_addstr(sb, "). ");
	}
	strbuf_addstr(sb, "London's figures, every area's, and the workbook "
			  "are in the <a class=\"govuk-link\" "
			  "href=\"../downloads.html\">downloads</a>.</p>\n");
}

static int borough_page(struct site *s, const struct site_copy *c,
			const struct area *a, struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct site_tables tt;
	char slug[128], rel[192], lead[512], idp[160];
	int rc;

	site_slug(a->name, slug, sizeof(slug));
	snprintf(rel, sizeof(rel), "boroughs/%s.html", slug);
	site_tables_begin(&tt, s, c, rel, "../", SITE_WORKFORCE, err);
	snprintf(lead, sizeof(lead), "%s as an employer in %d: who works for "
		 "the council, compared with the borough's residents and with "
		 "London.", a->name, s->opt->year);
	snprintf(idp, sizeof(idp), "b-%s", slug);
	site_page_begin(s, c, &sb, a->name, "../", "boroughs/index.html",
			lead);
	if (!has_rows(&s->workforce, a->code)) {
		para(&sb, "The store holds no workforce return from this "
			  "council for this year, so there are no figures for "
			  "it here. London's figures pool the councils that "
			  "made a return.");
	} else {
		site_area_workforce(&sb, &s->workforce, s->opt->year, a->code,
				    a->name, idp, &tt);
		funnel_section(&sb, s, a->code, &tt);
	}
	site_borough_services(&sb, s, a);
	site_borough_attainment(&sb, s, a);
	site_area_download(&sb, s, c, a);
	rc = site_tables_end(&tt);
	if (rc == 0)
		rc = finish(s, c, &sb, "../", rel, err);
	strbuf_release(&sb);
	return rc;
}

static int by_area_name(const void *a, const void *b)
{
	const struct area *x = *(const struct area *const *)a;
	const struct area *y = *(const struct area *const *)b;

	return strcmp(x->name, y->name);
}

static int boroughs_index(struct site *s, const struct site_copy *c,
			  struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	const struct area **boroughs =
		xcalloc(s->areas->count, sizeof(const struct area *));
	size_t k, n = 0;
	int rc;

	for (k = 0; k < s->areas->count; k++)
		if (s->areas->areas[k].type == AREA_BOROUGH)
			boroughs[n++] = &s->areas->areas[k];
	qsort(boroughs, n, sizeof(const struct area *), by_area_name);
	site_page_begin(s, c, &sb, "Boroughs", "../", "boroughs/index.html",
			"A page for each of the 32 London boroughs and the City "
			"of London, in alphabetical order.");
	strbuf_addstr(&sb, "<ul class=\"govuk-list parity-area-list\">\n");
	for (k = 0; k < n; k++) {
		char slug[128];

		site_slug(boroughs[k]->name, slug, sizeof(slug));
		strbuf_addf(&sb, "<li><a class=\"govuk-link\" href=\"%s.html\">",
			    slug);
		html_escape(&sb, boroughs[k]->name);
		strbuf_addstr(&sb, "</a></li>\n");
	}
	strbuf_addstr(&sb, "</ul>\n");
	free(boroughs);
	site_groups_list(s, &sb, "../");
	rc = finish(s, c, &sb, "../", "boroughs/index.html", err);
	strbuf_release(&sb);
	return rc;
}

/* ---- measures compared across boroughs ---- */

/* London's value of the row the funnel rows compare with. */
static double funnel_target(const struct tidy_table *t,
			    const struct rowset *rs)
{
	size_t k;

	for (k = 0; k < rs->n; k++)
		if (!isnan(t->rows[rs->at[k]].numerator) &&
		    !tidy_row_withheld(&t->rows[rs->at[k]], TIDY_NUMERATOR))
			return t->rows[rs->at[k]].numerator;
	return NAN;
}

static void funnel_figure(struct strbuf *sb, const struct tidy_table *t,
			  struct rowset *rs, const char *id,
			  const char *title, const char *axis,
			  enum funnel_kind kind, const char *highlight,
			  struct site_tables *tt)
{
	const bool proportion = kind == FUNNEL_PROPORTION;
	const bool difference = kind == FUNNEL_DIFFERENCE;
	static const enum html_column cols[] = {
		HTML_COL_AREA, HTML_COL_VALUE, HTML_COL_DENOMINATOR,
		HTML_COL_INTERVAL, HTML_COL_FLAG,
	};
	static const char *const heads[] = {
		"Borough", "Figure", "Size", "Expected range (95%)", "Position",
	};
	double target = funnel_target(t, rs), max_n = 0;
	double x[64], lo95[64], hi95[64], lo998[64], hi998[64];
	struct svg_funnel_curves curves = { x, lo95, hi95, lo998, hi998, 0 };
	struct svg_chart chart;
	static const enum html_column ratio_cols[] = {
		HTML_COL_AREA, HTML_COL_VALUE, HTML_COL_INTERVAL, HTML_COL_FLAG,
	};
	static const char *const ratio_heads[] = {
		"Borough", "Figure", "Expected range (95%)", "Position",
	};
	struct html_table_spec spec = { title, proportion ? cols : ratio_cols,
					proportion ? heads : ratio_heads,
					proportion ? 5 : 4, NULL };
	char desc[4096], above[1024] = "", below[1024] = "";
	size_t k, nabove = 0, nbelow = 0, n = 0, shown = 0;

	for (k = 0; k < rs->n; k++) {
		const struct tidy_row *r = &t->rows[rs->at[k]];
		double width = r->ci_high - r->ci_low;
		double size = proportion ? r->denominator
			      : difference
				      ? (width > 0 ? 2 * 1.959964 / width
						   : NAN)
			      : r->ci_low > 0 && r->ci_high > r->ci_low
				      ? 2 * 1.959964 / log(r->ci_high / r->ci_low)
				      : NAN;

		/* A withheld figure is neither drawn (svg.c) nor placed. */
		if (isnan(r->value) || tidy_row_withheld(r, TIDY_VALUE))
			continue;
		shown++;
		if (size > max_n && !tidy_row_withheld(r, TIDY_DENOMINATOR) &&
		    !tidy_row_withheld(r, TIDY_CI_LOW) &&
		    !tidy_row_withheld(r, TIDY_CI_HIGH))
			max_n = size;
		if (strncmp(r->flag, "above", 5) == 0) {
			nabove++;
			snprintf(above + strlen(above),
				 sizeof(above) - strlen(above), "%s%s",
				 nabove > 1 ? ", " : "", r->area_name);
		} else if (strncmp(r->flag, "below", 5) == 0) {
			nbelow++;
			snprintf(below + strlen(below),
				 sizeof(below) - strlen(below), "%s%s",
				 nbelow > 1 ? ", " : "", r->area_name);
		}
	}
	/* Proportions: the control limits as curves over the sizes drawn. */
	if (proportion && !isnan(target) && max_n > 0)
		for (k = 0; k < 64; k++) {
			struct interval i95, i998;
			double size = 5 + (max_n * 1.1 - 5) * (double)k / 63.0;

			if (stats_funnel_proportion(target / 100, size, 0.95,
						    &i95) != STATS_OK ||
			    stats_funnel_proportion(target / 100, size, 0.998,
						    &i998) != STATS_OK)
				continue;
			x[n] = size;
			lo95[n] = i95.low * 100;
			hi95[n] = i95.high * 100;
			lo998[n] = i998.low * 100;
			hi998[n] = i998.high * 100;
			n++;
		}
	/* Differences: target -/+ z / precision over the precisions drawn. */
	if (difference && !isnan(target) && max_n > 0)
		for (k = 0; k < 64; k++) {
			double p = max_n * 1.1 * (double)(k + 1) / 64.0;

			x[n] = p;
			lo95[n] = target - 1.959964 / p;
			hi95[n] = target + 1.959964 / p;
			lo998[n] = target - 3.090232 / p;
			hi998[n] = target + 3.090232 / p;
			n++;
		}
	/* Ratios: target x exp(-/+ z / precision) over the precisions drawn. */
	if (kind == FUNNEL_RATIO && !isnan(target) && max_n > 0)
		for (k = 0; k < 64; k++) {
			double p = max_n * 1.1 * (double)(k + 1) / 64.0;

			x[n] = p;
			lo95[n] = target * exp(-1.959964 / p);
			hi95[n] = target * exp(1.959964 / p);
			lo998[n] = target * exp(-3.090232 / p);
			hi998[n] = target * exp(3.090232 / p);
			n++;
		}
	curves.n = n;
	snprintf(desc, sizeof(desc), "Funnel plot of %zu boroughs around "
		 "London's figure. %zu above the expected range%s%s. %zu below "
		 "it%s%s. The rest are within it, or withheld.", rs->n, nabove,
		 nabove ? ": " : "", above, nbelow, nbelow ? ": " : "", below);
	/* The finding in words first: who lies outside the expected range. */
	strbuf_addf(sb, "<p class=\"govuk-body parity-findings\">Of the %zu "
			"boroughs whose figure is published (%zu are withheld "
			"or cannot be calculated), %zu %s above the range "
			"London's figure would give by chance at their size",
		    shown, rs->n - shown, nabove, nabove == 1 ? "is" : "are");
	if (nabove) {
		strbuf_addstr(sb, " (");
		html_escape(sb, above);
		strbuf_addstr(sb, ")");
	}
	strbuf_addf(sb, ", and %zu below it", nbelow);
	if (nbelow) {
		strbuf_addstr(sb, " (");
		html_escape(sb, below);
		strbuf_addstr(sb, ")");
	}
	strbuf_addstr(sb, ".</p>\n");
	chart.id = id;
	chart.title = title;
	chart.desc = desc;
	chart.axis = axis;
	chart.reference = target;
	chart.label = SVG_LABEL_AREA;
	chart.x_precision = !proportion;
	chart.highlight = highlight;
	chart.difference = difference;
	strbuf_addstr(sb, "<div class=\"parity-figure\">\n");
	svg_funnel_highlight(sb, t, rs->at, rs->n, n ? &curves : NULL, &chart,
			     highlight);
	legend(sb, "above the expected range (filled: beyond the 99.8% limit)",
	       "below the expected range (filled: beyond the 99.8% limit)");
	para(sb, "The solid line is London's figure; grey bars show each "
		 "borough's 95% expected range at its size; the dashed and "
		 "dotted curves, the 95% and 99.8% limits.");
	sort_by_area(t, rs);
	html_table(sb, t, rs->at, rs->n, &spec);
	(void)site_tables_add(tt, sb, t, rs->at, rs->n, &spec);
	strbuf_addstr(sb, "</div>\n");
}

static int measure_not_known(struct site *s, const struct site_copy *c,
			     struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct rowset rs = { NULL, 0, 0 };
	struct site_tables tt;
	char title[256];
	int rc;

	site_tables_begin(&tt, s, c, "measures/not-known.html", "../",
			  SITE_WORKFORCE, err);
	site_page_begin(s, c, &sb, "Ethnicity not recorded, by borough",
			"../", "measures/index.html",
			"How many staff have no recorded ethnic group (not "
			"known, or prefer not to say), borough by borough, "
			"against London's rate.");
	select_rows(&s->workforce, "funnel_position", NULL, "not_known_rate",
		    "Not known or prefer not to say", &rs);
	snprintf(title, sizeof(title), "Staff with no recorded ethnic group, "
		 "each borough against London, %d", s->opt->year);
	funnel_figure(&sb, &s->workforce, &rs, "funnel-not-known", title,
		      "Share of staff with no recorded group (%)",
		      FUNNEL_PROPORTION, NULL, &tt);
	free(rs.at);
	rc = site_tables_end(&tt);
	if (rc == 0)
		rc = finish(s, c, &sb, "../", "measures/not-known.html", err);
	strbuf_release(&sb);
	return rc;
}

static int measure_likelihood(struct site *s, const struct site_copy *c,
			      struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct rowset rs = { NULL, 0, 0 };
	struct site_tables tt;
	const char *breakdowns[32], *groups[MAX_GROUPS], *event_heading, *happening;
	char title[512], id[64];
	size_t b, g, nb, ng;
	int rc;

	site_tables_begin(&tt, s, c, "measures/relative-likelihood.html",
			  "../", SITE_WORKFORCE, err);
	site_page_begin(s, c, &sb, "Progression, discipline and leaving, by "
			"borough", "../", "measures/index.html",
			"How much more or less likely staff of each group are "
			"than White staff to be shortlisted, appointed, "
			"promoted, trained, disciplined or to leave, borough by "
			"borough, against London.");
	nb = distinct(&s->workforce, "funnel_position", TIDY_BREAKDOWN,
		      breakdowns, 32);
	ng = distinct(&s->workforce, "relative_likelihood", TIDY_ETHNICITY,
		      groups, MAX_GROUPS);
	for (b = 0; b < nb; b++) {
		const char *event = breakdowns[b];

		if (strncmp(event, "relative_likelihood: ", 21) != 0)
			continue;
		event_words(event + 21, &event_heading, &happening);
		html_heading(&sb, 2, event_heading);
		for (g = 0; g < ng; g++) {
			select_rows(&s->workforce, "funnel_position", NULL,
				    event, groups[g], &rs);
			if (rs.n == 0)
				continue;
			snprintf(title, sizeof(title), "%s: relative "
				 "likelihood of %s, each borough against "
				 "London, %d", findings_group_name(groups[g]),
				 happening, s->opt->year);
			snprintf(id, sizeof(id), "funnel-rl-%zu-%zu", b, g);
			html_heading(&sb, 3, findings_group_name(groups[g]));
			funnel_figure(&sb, &s->workforce, &rs, id, title,
				      "Relative likelihood (1 = as White staff)",
				      FUNNEL_RATIO, NULL, &tt);
		}
	}
	free(rs.at);
	rc = site_tables_end(&tt);
	if (rc == 0)
		rc = finish(s, c, &sb, "../",
			    "measures/relative-likelihood.html", err);
	strbuf_release(&sb);
	return rc;
}

/*
 * The finding of a page comparing boroughs, in words: for representation
 * ratios, in how many boroughs the group is clearly over or under
 * represented (its interval excludes 1); for pay gaps, in how many the gap
 * is 5% or more either way. Only boroughs count, and only figures shown.
 */
static void borough_summary(struct strbuf *sb, const struct tidy_table *t,
			    const struct rowset *rs, const char *group,
			    bool ratio)
{
	size_t k, up = 0, down = 0, shown = 0, boroughs = 0;

	for (k = 0; k < rs->n; k++) {
		const struct tidy_row *r = &t->rows[rs->at[k]];

		if (strcmp(r->area_type, "borough") != 0)
			continue;
		boroughs++;
		if (isnan(r->value))
			continue;
		shown++;
		if (ratio ? strcmp(r->flag, "over") == 0 : r->value <= -5)
			up++;
		else if (ratio ? strcmp(r->flag, "under") == 0 : r->value >= 5)
			down++;
	}
	strbuf_addstr(sb, "<p class=\"govuk-body parity-findings\">");
	html_escape(sb, findings_group_name(group));
	if (ratio)
		strbuf_addf(sb, ": staff are a clearly larger share of staff than "
				"of residents in %zu of the %zu %s whose figure is "
				"published, and a clearly smaller share in %zu",
			    up, shown, shown == 1 ? "borough" : "boroughs", down);
	else
		strbuf_addf(sb, ": staff are paid at least 5%% less than White "
				"staff, at the median, in %zu of the %zu %s whose "
				"gap is published, and at least 5%% more in %zu",
			    down, shown, shown == 1 ? "borough" : "boroughs", up);
	strbuf_addf(sb, "%s.</p>\n", shown < boroughs
				       ? "; the rest are withheld or cannot be "
					 "calculated"
				       : "");
}

static int measure_representation(struct site *s, const struct site_copy *c,
				  struct parity_error *err)
{
	static const enum html_column cols[] = {
		HTML_COL_AREA, HTML_COL_STAFF_SHARE, HTML_COL_RESIDENT_SHARE,
		HTML_COL_VALUE, HTML_COL_INTERVAL, HTML_COL_NUMERATOR,
		HTML_COL_DENOMINATOR, HTML_COL_FLAG,
	};
	static const char *const heads[] = {
		"Area", "Share of staff", "Share of residents", "Ratio",
		"95% interval", "Staff in group", "Staff with a recorded group",
		"Compared with residents",
	};
	struct strbuf sb = STRBUF_INIT;
	struct rowset rs = { NULL, 0, 0 };
	struct site_tables tt;
	const char *groups[MAX_GROUPS];
	char title[512], id[64], desc[8192];
	size_t g, d, ng;
	int rc;

	site_tables_begin(&tt, s, c, "measures/representation.html", "../",
			  SITE_WORKFORCE, err);
	site_page_begin(s, c, &sb, "Staff compared with residents, by borough",
			"../", "measures/index.html",
			"Each group's representation ratio (its share of staff "
			"over its share of residents) in every borough, in "
			"alphabetical order: each high-level group, then the "
			"detailed groups within it. Intervals that cross 1 show "
			"no clear difference.");
	ng = distinct(&s->workforce, "representation_ratio", TIDY_ETHNICITY,
		      groups, MAX_GROUPS);
	for (g = 0; g < ng; g++) {
		if (!high_group(groups[g]))
			continue;
		select_rows(&s->workforce, "representation_ratio", NULL, NULL,
			    groups[g], &rs);
		sort_by_area(&s->workforce, &rs);
		snprintf(title, sizeof(title), "%s: representation ratio by "
			 "area, %d", findings_group_name(groups[g]),
			 s->opt->year);
		describe(&s->workforce, &rs, SVG_LABEL_AREA, title, desc,
			 sizeof(desc));
		snprintf(id, sizeof(id), "rep-%zu", g);
		html_heading(&sb, 2, groups[g]);
		borough_summary(&sb, &s->workforce, &rs, groups[g], true);
		dot_figure(&sb, &s->workforce, &rs, id, title, desc,
			   "Representation ratio (1 = same share as residents)",
			   1, SVG_LABEL_AREA, cols, heads, 8,
			   "more staff than residents would suggest",
			   "fewer staff than residents would suggest", &tt);
		/* its detailed groups: a table each */
		for (d = 0; d < ng; d++) {
			if (high_group(groups[d]) ||
			    !same_parent(groups[d], groups[g]))
				continue;
			select_rows(&s->workforce, "representation_ratio",
				    NULL, NULL, groups[d], &rs);
			sort_by_area(&s->workforce, &rs);
			snprintf(title, sizeof(title), "%s: representation "
				 "ratio by area, %d",
				 findings_group_name(groups[d]), s->opt->year);
			html_heading(&sb, 3, findings_group_name(groups[d]));
			borough_summary(&sb, &s->workforce, &rs, groups[d],
					true);
			table_only(&sb, &s->workforce, &rs, title, cols,
				   heads, 8, &tt);
		}
	}
	free(rs.at);
	rc = site_tables_end(&tt);
	if (rc == 0)
		rc = finish(s, c, &sb, "../", "measures/representation.html",
			    err);
	strbuf_release(&sb);
	return rc;
}

static int measure_pay_gap(struct site *s, const struct site_copy *c,
			   struct parity_error *err)
{
	struct pay_gap_table gap, gap_detailed;
	struct strbuf sb = STRBUF_INIT;
	struct rowset rs = { NULL, 0, 0 };
	struct site_tables tt;
	const char *groups[MAX_GROUPS];
	char title[512];
	size_t g, h, ng;
	int rc;

	site_tables_begin(&tt, s, c, "measures/pay-gap.html", "../",
			  SITE_WORKFORCE, err);
	site_page_begin(s, c, &sb, "Pay gaps, by borough", "../",
			"measures/index.html",
			"The median hourly pay gap between White staff and each "
			"high-level group, and between White British staff and "
			"each detailed group, in every borough, in alphabetical "
			"order. A positive gap means the group is paid less.");
	pay_gap_table(&gap, HTML_COL_AREA, "Area", REFERENCE);
	pay_gap_table(&gap_detailed, HTML_COL_AREA, "Area",
		      REFERENCE_DETAILED);
	ng = distinct(&s->workforce, "median_pay_gap", TIDY_ETHNICITY, groups,
		      MAX_GROUPS);
	/* each high-level group (White, the reference, has no gap of its
	 * own), then its detailed groups, against White British staff */
	for (h = 0; h < ethnicity_level_group_count(ETH_LEVEL_HIGH); h++) {
		const char *high = ethnicity_level_group_label(ETH_LEVEL_HIGH,
							       h);
		bool shown = false;

		for (g = 0; g < ng; g++) {
			if (strcmp(groups[g], high) != 0)
				continue;
			select_rows(&s->workforce, "median_pay_gap", NULL,
				    NULL, groups[g], &rs);
			sort_by_area(&s->workforce, &rs);
			snprintf(title, sizeof(title), "%s: median hourly pay "
				 "gap with White staff, by area, %d",
				 groups[g], s->opt->year);
			html_heading(&sb, 2, groups[g]);
			borough_summary(&sb, &s->workforce, &rs, groups[g],
					false);
			table_only(&sb, &s->workforce, &rs, title,
				   gap.columns, gap.headings, 4, &tt);
			shown = true;
		}
		for (g = 0; g < ng; g++) {
			if (high_group(groups[g]) ||
			    strstr(groups[g], ", other than ") ||
			    parent_group(groups[g]) != (int)h)
				continue;
			if (!shown)
				html_heading(&sb, 2, high);
			shown = true;
			select_rows(&s->workforce, "median_pay_gap", NULL,
				    NULL, groups[g], &rs);
			sort_by_area(&s->workforce, &rs);
			snprintf(title, sizeof(title), "%s: median hourly pay "
				 "gap with White British staff, by area, %d",
				 findings_group_name(groups[g]), s->opt->year);
			html_heading(&sb, 3, findings_group_name(groups[g]));
			borough_summary(&sb, &s->workforce, &rs, groups[g],
					false);
			table_only(&sb, &s->workforce, &rs, title,
				   gap_detailed.columns, gap_detailed.headings,
				   4, &tt);
		}
	}
	free(rs.at);
	rc = site_tables_end(&tt);
	if (rc == 0)
		rc = finish(s, c, &sb, "../", "measures/pay-gap.html", err);
	strbuf_release(&sb);
	return rc;
}

static int measures_index(struct site *s, const struct site_copy *c,
			  struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	site_page_begin(s, c, &sb, "Comparing boroughs", "../",
			"measures/index.html",
			"Each measure across every borough. Boroughs differ in "
			"size, so they are compared with funnel plots, which show "
			"the range each borough's size allows, not ranked in "
			"league tables.");
	strbuf_addstr(&sb,
		"<ul class=\"govuk-list govuk-list--bullet\">\n"
		"<li><a class=\"govuk-link\" href=\"representation.html\">Staff "
		"compared with residents</a></li>\n"
		"<li><a class=\"govuk-link\" href=\"not-known.html\">Ethnicity "
		"not recorded</a> (funnel plot)</li>\n"
		"<li><a class=\"govuk-link\" href=\"relative-likelihood.html\">"
		"Progression, discipline and leaving</a> (funnel plots)</li>\n"
		"<li><a class=\"govuk-link\" href=\"pay-gap.html\">Pay gaps</a>"
		"</li>\n</ul>\n");
	rc = finish(s, c, &sb, "../", "measures/index.html", err);
	strbuf_release(&sb);
	return rc;
}

/* ---- the accessibility statement ---- */

static int accessibility(struct site *s, const struct site_copy *c,
			 struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	struct site_frame f;
	int rc;

	memset(&f, 0, sizeof(f));
	frame_init(s, &f);
	site_page_begin(s, c, &sb, "Accessibility statement", "",
			"accessibility.html",
			"This statement applies to this website of London "
			"Councils' programme on racial inequality. We want as "
			"many people as possible to be able to use it.");
	html_heading(&sb, 2, "Using this website");
	strbuf_addstr(&sb, "<p class=\"govuk-body\">You should be able to:</p>"
			   "\n<ul class=\"govuk-list govuk-list--bullet\">\n"
			   "<li>zoom in up to 400% without the text spilling "
			   "off the screen;</li>\n<li>use the whole site with a "
			   "keyboard alone, with a visible focus and a link to "
			   "skip to the main content;</li>\n<li>use it with a "
			   "screen reader: every chart has a table of the same "
			   "figures beside it, and every table a caption and "
			   "headers;</li>\n<li>use it without JavaScript, which "
			   "the site does not use;</li>\n<li>print a borough's "
			   "page as a report.</li>\n</ul>\n");
	html_heading(&sb, 2, "How accessible this website is");
	strbuf_addstr(&sb, "<p class=\"govuk-body\">Each release is checked "
			   "before it is published: its pages are opened in a "
			   "browser and tested with axe-core against the Web "
			   "Content Accessibility Guidelines (WCAG) 2.2 at "
			   "levels A and AA.</p>\n<p class=\"govuk-body\">We know "
			   "of these limits:</p>\n<ul class=\"govuk-list govuk-"
			   "list--bullet\">\n<li>charts are pictures of the "
			   "figures in the tables beside them; read the tables "
			   "for exact values;</li>\n<li>the downloads are data "
			   "files (CSV and an Excel workbook) for analysts.</li>"
			   "\n</ul>\n");
	html_heading(&sb, 2, "Reporting problems and asking for another format");
	strbuf_addstr(&sb, "<p class=\"govuk-body\">If you find a problem, or "
			   "need the figures in another format, <a class=\""
			   "govuk-link\" href=\"");
	html_escape(&sb, f.contact_href);
	strbuf_addstr(&sb, "\">contact us</a>. We will reply within 10 working "
			   "days.</p>\n");
	html_heading(&sb, 2, "Enforcement procedure");
	strbuf_addstr(&sb, "<p class=\"govuk-body\">The Equality and Human "
			   "Rights Commission (EHRC) is responsible for "
			   "enforcing the Public Sector Bodies (Websites and "
			   "Mobile Applications) (No. 2) Accessibility "
			   "Regulations 2018. If you are not happy with how we "
			   "respond to your complaint, contact the Equality "
			   "Advisory and Support Service (EASS).</p>\n");
	rc = finish(s, c, &sb, "", "accessibility.html", err);
	strbuf_release(&sb);
	return rc;
}

/* ---- methodology and downloads ---- */

static int methodology(struct site *s, const struct site_copy *c,
		       struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	size_t h, d;
	int rc;

	site_page_begin(s, c, &sb, "Methodology", "", "methodology.html",
			"Where the figures come from, what they mean, and how "
			"they are protected so that no one can be identified.");
	html_heading(&sb, 2, "Sources");
	strbuf_addstr(&sb, "<ul class=\"govuk-list govuk-list--bullet\">\n"
		"<li>Workforce: each council's return of its staff in post at "
		"31 March, with ethnic group, pay and events (shortlisting, "
		"appointment, promotion, training, discipline, leaving). "
		"Staff identifiers are replaced by keyed pseudonyms before "
		"anything is stored.</li>\n"
		"<li>Residents: Census 2021, table TS021 (ethnic group), Office "
		"for National Statistics.</li>\n"
		"<li>Services: counts by ethnic group at each stage, sent by "
		"youth justice services, schools and the police through "
		"partners; counts, never records.</li>\n");
	if (s->attainment.present)
		strbuf_addstr(&sb, "<li>Attainment: each borough's return of "
			"its pupils by the ethnic group the school census "
			"records, with their mean score (Attainment 8) and its "
			"spread, and the number reaching grade 5 or grade 4 in "
			"English and maths; totals, never pupils' records. "
			"London's figures pool the boroughs' returns.</li>\n");
	strbuf_addstr(&sb, "</ul>\n");
	html_heading(&sb, 2, "The ethnic groups");
	para(&sb, "Groups follow the Office for National Statistics' 2021 "
		  "classification for England: 19 groups in 5 high-level "
		  "groups. This site reports all of them: every table of "
		  "groups gives each high-level group with its detailed groups "
		  "beneath it, while charts and key findings keep to the 5 "
		  "high-level groups. High-level groups are compared with White "
		  "staff, and detailed groups with White British staff. Groups "
		  "are always named; they are never merged into a single "
		  "'minority' category.");
	strbuf_addstr(&sb, "<dl class=\"govuk-summary-list\">\n");
	for (h = 0; h < ethnicity_level_group_count(ETH_LEVEL_HIGH); h++) {
		bool first = true;

		strbuf_addstr(&sb, "<div class=\"govuk-summary-list__row\">"
				   "<dt class=\"govuk-summary-list__key\">");
		html_escape(&sb, ethnicity_level_group_label(ETH_LEVEL_HIGH, h));
		strbuf_addstr(&sb, "</dt><dd class=\"govuk-summary-list__value\">");
		for (d = 0; d < ETHNICITY_DETAILED_COUNT; d++) {
			if (ethnicity_level_group((enum ethnicity_id)d,
						  ETH_LEVEL_HIGH) != h)
				continue;
			if (!first)
				strbuf_addstr(&sb, "; ");
			html_escape(&sb, findings_group_name(
					 ethnicity_level_group_label(
						 ETH_LEVEL_DETAILED, d)));
			first = false;
		}
		strbuf_addstr(&sb, "</dd></div>\n");
	}
	strbuf_addstr(&sb, "</dl>\n");
	html_heading(&sb, 2, "Definitions");
	strbuf_addstr(&sb, "<ul class=\"govuk-list govuk-list--bullet\">\n"
		"<li>Representation ratio: a group's share of staff whose group "
		"is recorded, divided by its share of residents. Wilson 95% "
		"interval.</li>\n"
		"<li>Not known: staff recorded as not known or prefer not to "
		"say, as a share of all staff. They are left out of every other "
		"share.</li>\n"
		"<li>Median pay gap: (White median hourly pay minus the group's) "
		"divided by White median hourly pay. Hourly pay is full-time "
		"equivalent annual pay over 52.143 weeks of 36 hours. Groups of "
		"fewer than 50 staff are combined, and the notes say how.</li>\n"
		"<li>Relative likelihood: the rate of an event in a group over "
		"the rate among White staff, with Katz 95% interval.</li>\n"
		"<li>Relative rate index (services): a group's rate at a stage "
		"over White people's rate at the same stage.</li>\n"
		"<li>Funnel plot: each borough's figure against its size, with "
		"the range London's figure would give by chance at that size "
		"(95% and 99.8% limits). A borough outside the limits differs "
		"from London by more than chance explains.</li>\n");
	if (s->attainment.present)
		strbuf_addstr(&sb, "<li>Attainment gap: a group's mean score "
			"minus White British pupils', with Welch's 95% "
			"interval (a normal one, said so in the notes, where a "
			"return gives no spread). Threshold rate ratio: the "
			"share of a group's pupils reaching a threshold over "
			"White British pupils' share, with Katz 95% interval. "
			"The trend of a gap is the slope of a line fitted to "
			"each year's gap, the more precise years counting for "
			"more; it narrowed when the test of narrowing is "
			"significant.</li>\n");
	strbuf_addstr(&sb, "</ul>\n");
	html_heading(&sb, 2, "Disclosure control");
	strbuf_addf(&sb, "<p class=\"govuk-body\">Ethnicity is special category "
			 "data, and a figure about a few people in one council "
			 "could identify someone. Every figure on this site and "
			 "in its downloads passes through disclosure control "
			 "first. Counts from 1 to %g are withheld, and so is any "
			 "share, rate, ratio or interval that rests on them. "
			 "Further figures are withheld where the first could "
			 "otherwise be worked out by subtraction from totals, "
			 "across ethnic groups (a high-level group is the sum "
			 "of its detailed groups), pay bands and areas; a "
			 "linear programming audit checks that no withheld "
			 "count can be narrowed to fewer than %g possible values. Withheld "
			 "figures are shown as [c], never as 0 or a blank: a "
			 "withheld figure may be any number, zero included.</p>\n",
		    s->opt->sdc.k - 1, s->opt->sdc.protection);
	strbuf_addf(&sb, "<p class=\"govuk-body\">In this release, %zu counts "
			 "were withheld because they were small and %zu more so "
			 "that those cannot be worked out.%s</p>\n",
		    s->sdc.primary, s->sdc.secondary,
		    s->opt->sdc.round_to > 1
			    ? " Counts shown are rounded; shares and rates are "
			      "computed from the exact counts."
			    : "");
	html_heading(&sb, 2, "Releases and corrections");
	strbuf_addf(&sb, "<p class=\"govuk-body\">Each publication is a "
			 "numbered release and stays available. A correction is "
			 "a new release, with a notice on every page and an "
			 "entry in the <a class=\"govuk-link\" "
			 "href=\"%scorrections.html\">corrections log</a>.</p>\n",
		    c->top);
	rc = finish(s, c, &sb, "", "methodology.html", err);
	strbuf_release(&sb);
	return rc;
}

static void download_item(struct strbuf *sb, const struct site_copy *c,
			  const char *name, const char *what, bool metadata)
{
	char rel[256];
	unsigned long long size;

	snprintf(rel, sizeof(rel), "downloads/%s", name);
	size = copy_file_size(c, rel);
	strbuf_addf(sb, "<li><a class=\"govuk-link\" href=\"downloads/%s\">", name);
	html_escape(sb, what);
	strbuf_addstr(sb, "</a> (");
	strbuf_addstr(sb, metadata ? "CSV" : strstr(name, ".xlsx") ? "Excel"
								: "CSV");
	if (size) {
		strbuf_addstr(sb, ", ");
		html_file_size(sb, size);
	}
	if (metadata)
		strbuf_addf(sb, "; <a class=\"govuk-link\" href=\"downloads/"
				"%s-metadata.json\">its metadata, CSVW</a>", name);
	strbuf_addstr(sb, ")</li>\n");
}

static int downloads(struct site *s, const struct site_copy *c,
		     struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char name[160], file[192], what[256];
	size_t k;
	int rc;

	site_page_begin(s, c, &sb, "Downloads", "", "downloads.html",
			"Every table on this site as tidy data, with the same "
			"disclosure control: one row per figure, with its "
			"interval, counts, flag and notes.");
	strbuf_addstr(&sb, "<ul class=\"govuk-list govuk-list--bullet\">\n");
	site_download_name(s, SITE_WORKFORCE, name, sizeof(name));
	snprintf(file, sizeof(file), "%s.csv", name);
	snprintf(what, sizeof(what), "Council workforce by ethnic group, every "
		 "area, %d", s->opt->year);
	download_item(&sb, c, file, what, true);
	for (k = 0; k < s->nservices; k++) {
		if (s->services[k].held[0])
			continue;
		site_download_name(s, k, name, sizeof(name));
		snprintf(file, sizeof(file), "%s.csv", name);
		snprintf(what, sizeof(what), "%s, London, %s",
			 s->services[k].def->title, s->services[k].period);
		download_item(&sb, c, file, what, true);
	}
	if (s->attainment.table.count > 0) {
		site_download_name(s, SITE_ATTAINMENT, name, sizeof(name));
		snprintf(file, sizeof(file), "%s.csv", name);
		snprintf(what, sizeof(what), "Attainment by ethnic group, "
			 "every area, %s, with the years before it for the "
			 "trend", s->attainment.period);
		download_item(&sb, c, file, what, true);
	}
	for (k = 0; k < s->nstandards; k++) {
		site_standard_download_name(s, k, name, sizeof(name));
		snprintf(file, sizeof(file), "%s.csv", name);
		snprintf(what, sizeof(what), "%s: councils at each level, and "
			 "the councils that chose to be named, %d",
			 s->standards[k].framework->title, s->opt->year);
		download_item(&sb, c, file, what, false);
	}
	site_workbook_name(s, file, sizeof(file));
	snprintf(what, sizeof(what), "Every table in one Excel workbook, "
		 "release %d: a cover sheet with the contents, a sheet per "
		 "measure, and a Notes sheet", s->release);
	download_item(&sb, c, file, what, false);
	strbuf_addstr(&sb, "</ul>\n");
	para(&sb, "Beside every table on this site is a link to a CSV file of "
		  "that table's rows alone, as the table shows them: the same "
		  "columns as the files here, and the same figures withheld.");
	html_heading(&sb, 2, "Each area's figures");
	para(&sb, "The workforce figures of one area at a time: London, Inner "
		  "and Outer London, and each borough with a return.");
	strbuf_addstr(&sb, "<ul class=\"govuk-list govuk-list--bullet\">\n");
	for (k = 0; k < s->areas->count; k++) {
		const struct area *a = &s->areas->areas[k];
		char rel[256];

		if (!has_rows(&s->workforce, a->code))
			continue;
		site_area_download_rel(s, a, rel, sizeof(rel));
		snprintf(what, sizeof(what), "%s, %d", a->name, s->opt->year);
		download_item(&sb, c, rel + strlen("downloads/"), what, false);
	}
	strbuf_addstr(&sb, "</ul>\n");
	para(&sb, "In the CSV files, [c] marks a withheld figure and an empty "
		  "field a figure that cannot be calculated; the note column "
		  "says why. Each metadata file gives the source, date, release "
		  "and columns.");
	html_heading(&sb, 2, "Earlier releases");
	strbuf_addf(&sb, "<p class=\"govuk-body\">Every release stays available: "
			 "see the <a class=\"govuk-link\" href=\"%scorrections.html\">"
			 "list of releases and corrections</a>, or <a class=\""
			 "govuk-link\" href=\"%sreleases.json\">releases.json</a>."
			 "</p>\n", c->top, c->top);
	rc = finish(s, c, &sb, "", "downloads.html", err);
	strbuf_release(&sb);
	return rc;
}

int site_write_pages(struct site *s, const struct site_copy *c,
		     struct parity_error *err)
{
	size_t k;

	if (overview(s, c, err) < 0 || boroughs_index(s, c, err) < 0)
		return -1;
	for (k = 0; k < s->areas->count; k++)
		if (s->areas->areas[k].type == AREA_BOROUGH &&
		    borough_page(s, c, &s->areas->areas[k], err) < 0)
			return -1;
	if (site_write_groups(s, c, err) < 0 ||
	    measures_index(s, c, err) < 0 ||
	    measure_representation(s, c, err) < 0 ||
	    measure_not_known(s, c, err) < 0 ||
	    measure_likelihood(s, c, err) < 0 ||
	    measure_pay_gap(s, c, err) < 0 ||
	    site_write_services(s, c, err) < 0 ||
	    site_write_attainment(s, c, err) < 0 ||
	    site_write_standard(s, c, err) < 0 ||
	    site_write_practice(s, c, err) < 0 ||
	    site_write_digest(s, c, err) < 0 ||
	    methodology(s, c, err) < 0 || downloads(s, c, err) < 0 ||
	    accessibility(s, c, err) < 0 ||
	    site_write_glossary(s, c, err) < 0)
		return -1;
	return 0;
}

/* ---- the building blocks, for the other page files (site_internal.h) ---- */

void site_findings_block(struct strbuf *sb, const struct findings *f,
			 const char *id, const char *none)
{
	findings_block(sb, f, id, none);
}

void site_para(struct strbuf *sb, const char *text)
{
	para(sb, text);
}

void site_describe(const struct tidy_table *t, size_t *rows, size_t n,
		   enum svg_label label, const char *what, char *buf,
		   size_t size)
{
	struct rowset rs = { rows, n, n };

	describe(t, &rs, label, what, buf, size);
}

void site_dot_figure(struct strbuf *sb, const struct tidy_table *t,
		     size_t *rows, size_t n, const struct svg_chart *chart,
		     const struct html_table_spec *spec, const char *above,
		     const char *below, struct site_tables *tt)
{
	struct rowset rs = { rows, n, n };

	dot_figure(sb, t, &rs, chart->id, chart->title, chart->desc,
		   chart->axis, chart->reference, chart->label, spec->columns,
		   spec->headings, spec->ncolumns, above, below, tt);
}

void site_table_only(struct strbuf *sb, const struct tidy_table *t,
		     size_t *rows, size_t n,
		     const struct html_table_spec *spec,
		     struct site_tables *tt)
{
	struct rowset rs = { rows, n, n };

	table_only(sb, t, &rs, spec->caption, spec->columns, spec->headings,
		   spec->ncolumns, tt);
}

void site_funnel_figure(struct strbuf *sb, const struct tidy_table *t,
			size_t *rows, size_t n, const char *id,
			const char *title, const char *axis,
			const char *highlight, struct site_tables *tt)
{
	struct rowset rs = { rows, n, n };

	funnel_figure(sb, t, &rs, id, title, axis, FUNNEL_RATIO, highlight, tt);
}

void site_funnel_gap_figure(struct strbuf *sb, const struct tidy_table *t,
			    size_t *rows, size_t n, const char *id,
			    const char *title, const char *axis,
			    const char *highlight, struct site_tables *tt)
{
	struct rowset rs = { rows, n, n };

	funnel_figure(sb, t, &rs, id, title, axis, FUNNEL_DIFFERENCE,
		      highlight, tt);
}
