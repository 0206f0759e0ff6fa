/*
 * html.h - HTML for the published site: escaping, the page skeleton, and
 * accessible tables drawn from a tidy table.
 *
 * Pages are written for WCAG 2.2 AA: `lang="en-GB"`, a skip link to the
 * main content, header, nav, main and footer landmarks, one h1 per page
 * (the page's title), and tables with a caption, column headers with
 * scope="col" and a row header with scope="row". A figure withheld by
 * disclosure control is shown as TIDY_WITHHELD ("[c]"), never as 0 or a
 * blank, and a table that shows one is followed by a note saying what it
 * means. The markup uses the class names of GOV.UK Frontend (govuk-*),
 * whose styles the site's stylesheet compiles; nothing needs JavaScript.
 *
 * Everything appends to a caller-owned strbuf; nothing here allocates
 * beyond it or keeps state between calls.
 */
#ifndef PARITY_SITE_HTML_H
#define PARITY_SITE_HTML_H

#include "base/strbuf.h"
#include "table/table.h"

#include <stddef.h>

/* Append `text` with &, <, >, " and ' escaped (for element content and
 * quoted attribute values alike). NULL appends nothing. */
void html_escape(struct strbuf *sb, const char *text);

/* A heading of level 2 (govuk-heading-l) or 3 and below
 * (govuk-heading-m), its text escaped. */
void html_heading(struct strbuf *sb, int level, const char *text);

/* A file's size for a reader beside its link: "512 bytes", "2 KB",
 * "1.6 MB" (KB and MB of 1,024). */
void html_file_size(struct strbuf *sb, unsigned long long bytes);

/* A link in the site's navigation. */
struct html_nav_item {
	const char *href;   /* relative to the site root */
	const char *label;
};

struct html_page {
	const char *title;       /* the h1 and, with the site name, <title> */
	const char *root;        /* the path from this page to the site root:
				  * "" or "../" (links and the stylesheet) */
	const char *current;     /* href of the nav item to mark current */
	const struct html_nav_item *nav;
	size_t nnav;
	const char *release;     /* e.g. "Release 2, 2024 data", or NULL */
	/* A correction notice shown above the h1 (plain text, escaped
	 * here), or NULL. */
	const char *correction;
	const char *corrections_href; /* where the log is, with the notice */
	const char *lead;        /* a plain-text paragraph under the h1, or
				  * NULL */
	/* Breadcrumbs: the pages above this one, from the top (hrefs from
	 * the site root); none for the front page. */
	const struct html_nav_item *crumbs;
	size_t ncrumbs;
	/* 'Things you need to know', plain-text points shown (folded) under
	 * the lead on every page; none: not shown. */
	const char *const *need_to_know;
	size_t nneed_to_know;
	/* The footer's links (an href beginning "https:" or "mailto:" is
	 * used as it is, any other is from the site root) and a plain-text
	 * line under them (e.g. the next update), or NULL. */
	const struct html_nav_item *footer_links;
	size_t nfooter_links;
	const char *footer_note;
};

/* The site's name, used in <title> and the header. */
#define HTML_SITE_NAME "London race equality data"

/* Everything up to and including the h1 (and the lead paragraph, and
 * 'Things you need to know'); then the page's content; then
 * html_page_end(). */
void html_page_begin(struct strbuf *sb, const struct html_page *page);
void html_page_end(struct strbuf *sb, const struct html_page *page);

/*
 * A contents list for a long page: when the content (after the h1, the
 * lead and 'Things you need to know') has at least `min_sections`
 * level-2 headings (html_heading(sb, 2, ...)), give each an id, list
 * them under the lead, and close each section with a 'Back to top' link.
 * Call before html_page_end(); pages with fewer sections are unchanged.
 */
void html_add_contents(struct strbuf *sb, size_t min_sections);

/* The columns an HTML table can show. */
enum html_column {
	HTML_COL_AREA,        /* area name */
	HTML_COL_GROUP,       /* ethnicity */
	HTML_COL_BREAKDOWN,
	HTML_COL_VALUE,
	HTML_COL_INTERVAL,    /* ci_low to ci_high, '95% interval' */
	HTML_COL_NUMERATOR,
	HTML_COL_DENOMINATOR,
	HTML_COL_FLAG,
	/* the row's companion figures, found in the same table by area,
	 * year, group and breakdown: the group's share of staff
	 * (staff_share) and of residents (benchmark_share), so that a ratio
	 * is read beside the shares it divides */
	HTML_COL_STAFF_SHARE,
	HTML_COL_RESIDENT_SHARE
};

/* The row whose value companion column `c` (HTML_COL_STAFF_SHARE or
 * HTML_COL_RESIDENT_SHARE) shows beside row `r` of `t`, or NULL: none in
 * `t`, or `c` is not a companion column. It points into `t`. */
const struct tidy_row *html_companion(const struct tidy_table *t,
				      const struct tidy_row *r,
				      enum html_column c);

struct html_table_spec {
	const char *caption;             /* required */
	const enum html_column *columns; /* the first is the row header */
	const char *const *headings;     /* one per column */
	size_t ncolumns;
	const char *id;                  /* id attribute, or NULL */
};

/*
 * The start of a table, up to and including its caption: a scroll region
 * (a wide table scrolls sideways inside it on a narrow screen) that a
 * keyboard can reach (tabindex="0"), with role="region" and the caption
 * as its name; the stylesheet keeps the caption in view, wrapped to the
 * screen, while the table scrolls. `table_id` is the table's id, or NULL.
 * The caller writes the head and body, then "</table>\n</div>\n".
 */
void html_table_begin(struct strbuf *sb, const char *caption,
		      const char *table_id);

/*
 * Append a table of rows `rows` (indices into `t`; NULL for all of `t`)
 * with the given columns, in its scroll region (html_table_begin()).
 * Figures are formatted for reading in their
 * units from the registry of measures (render.h: format_figure); a
 * figure published as an upper bound shows '<' and the bound
 * ("<0.001"); a withheld figure shows "[c]",
 * an interval with a withheld end "[c]", and a missing one "not
 * available" in words, never a blank cell. When any figure shown is
 * withheld, a note under the table explains "[c]".
 */
void html_table(struct strbuf *sb, const struct tidy_table *t,
		const size_t *rows, size_t nrows,
		const struct html_table_spec *spec);

/*
 * html_table() with rows nested: `depth` (one per row, or NULL for none
 * nested) gives 1 for a row that belongs under the row above it at depth 0,
 * as a detailed ethnic group under its high-level group. Such a row's row
 * header is indented (class parity-table__child) and, when the group's
 * label is "PARENT: NAME", shows NAME, with "PARENT: " kept for screen
 * readers (govuk-visually-hidden), so the table stays one table with a
 * header on every row.
 */
void html_table_nested(struct strbuf *sb, const struct tidy_table *t,
		       const size_t *rows, const unsigned char *depth,
		       size_t nrows, const struct html_table_spec *spec);

/* The note shown under a table that withholds figures. */
#define HTML_WITHHELD_NOTE                                                  \
	"[c] means the figure is confidential: it is withheld because it "  \
	"rests on fewer than 10 people, or because it would let such a "    \
	"figure be worked out from others. It may be any number, zero "     \
	"included."

/* Format one figure of a row for reading into `buf`, as format_figure()
 * (render.h) does: TIDY_WITHHELD when withheld, "" when missing, '<' before
 * an upper bound. */
void html_format_figure(const struct tidy_row *r, enum tidy_column c,
			char *buf, size_t size);

#endif
