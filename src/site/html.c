/*
 * html.c - the site's HTML: escaping, the page skeleton with its landmarks
 * and skip link, and accessible tables from a tidy table (see html.h).
 *
 * The skeleton follows GOV.UK Frontend's page template (govuk-template,
 * govuk-skip-link, govuk-width-container, govuk-main-wrapper) for its
 * spacing and focus styles, but has its own header and footer: parity is
 * not a GOV.UK service, so there is no crown, no GOV.UK logo or name.
 */
#include "site/html.h"

#include "domain/attainment_def.h"
#include "table/render.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

void html_escape(struct strbuf *sb, const char *text)
{
	const char *p;

	if (!text)
		return;
	for (p = text; *p; p++) {
		switch (*p) {
		case '&': strbuf_addstr(sb, "&amp;"); break;
		case '<': strbuf_addstr(sb, "&lt;"); break;
		case '>': strbuf_addstr(sb, "&gt;"); break;
		case '"': strbuf_addstr(sb, "&quot;"); break;
		case '\'': strbuf_addstr(sb, "&#39;"); break;
		default: strbuf_addch(sb, *p); break;
		}
	}
}

void html_file_size(struct strbuf *sb, unsigned long long bytes)
{
	if (bytes < 1024)
		strbuf_addf(sb, "%llu bytes", bytes);
	else if (bytes < 1024ULL * 1024ULL)
		strbuf_addf(sb, "%llu KB", (bytes + 512) / 1024);
	else
		strbuf_addf(sb, "%.1f MB", (double)bytes / (1024.0 * 1024.0));
}

void html_heading(struct strbuf *sb, int level, const char *text)
{
	strbuf_addf(sb, "<h%d class=\"govuk-heading-%s\">", level,
		    level == 2 ? "l" : "m");
	html_escape(sb, text);
	strbuf_addf(sb, "</h%d>\n", level);
}

static void nav(struct strbuf *sb, const struct html_page *page)
{
	size_t k;

	if (page->nnav == 0)
		return;
	strbuf_addstr(sb, "<nav class=\"parity-nav\" aria-label=\"Site\">\n"
			  "<ul class=\"parity-nav__list\">\n");
	for (k = 0; k < page->nnav; k++) {
		const struct html_nav_item *n = &page->nav[k];
		int current = page->current &&
			      strcmp(page->current, n->href) == 0;

		strbuf_addstr(sb, "<li class=\"parity-nav__item\"><a "
				  "class=\"govuk-link parity-nav__link\" href=\"");
		html_escape(sb, page->root);
		html_escape(sb, n->href);
		strbuf_addstr(sb, "\"");
		if (current)
			strbuf_addstr(sb, " aria-current=\"page\"");
		strbuf_addstr(sb, ">");
		html_escape(sb, n->label);
		strbuf_addstr(sb, "</a></li>\n");
	}
	strbuf_addstr(sb, "</ul>\n</nav>\n");
}

/* An href of the page's: absolute as it is, else from the site root. */
static void page_href(struct strbuf *sb, const struct html_page *page,
		      const char *href)
{
	if (strncmp(href, "https:", 6) != 0 && strncmp(href, "mailto:", 7) != 0)
		html_escape(sb, page->root);
	html_escape(sb, href);
}

static void breadcrumbs(struct strbuf *sb, const struct html_page *page)
{
	size_t k;

	if (page->ncrumbs == 0)
		return;
	strbuf_addstr(sb, "<nav class=\"govuk-breadcrumbs\" aria-label=\""
			  "Breadcrumb\">\n<ol class=\"govuk-breadcrumbs__list\">\n");
	for (k = 0; k < page->ncrumbs; k++) {
		strbuf_addstr(sb, "<li class=\"govuk-breadcrumbs__list-item\">"
				  "<a class=\"govuk-breadcrumbs__link\" href=\"");
		page_href(sb, page, page->crumbs[k].href);
		strbuf_addstr(sb, "\">");
		html_escape(sb, page->crumbs[k].label);
		strbuf_addstr(sb, "</a></li>\n");
	}
	strbuf_addstr(sb, "</ol>\n</nav>\n");
}

static void need_to_know(struct strbuf *sb, const struct html_page *page)
{
	size_t k;

	if (page->nneed_to_know == 0)
		return;
	strbuf_addstr(sb, "<details class=\"govuk-details parity-need-to-"
			  "know\">\n<summary class=\"govuk-details__summary\">"
			  "<span class=\"govuk-details__summary-text\">Things "
			  "you need to know</span></summary>\n<div class=\""
			  "govuk-details__text\">\n<ul class=\"govuk-list "
			  "govuk-list--bullet\">\n");
	for (k = 0; k < page->nneed_to_know; k++) {
		strbuf_addstr(sb, "<li>");
		html_escape(sb, page->need_to_know[k]);
		strbuf_addstr(sb, "</li>\n");
	}
	strbuf_addstr(sb, "</ul>\n</div>\n</details>\n");
}

void html_page_begin(struct strbuf *sb, const struct html_page *page)
{
	strbuf_addstr(sb, "<!DOCTYPE html>\n"
			  "<html lang=\"en-GB\" class=\"govuk-template\">\n"
			  "<head>\n<meta charset=\"utf-8\">\n"
			  "<link rel=\"icon\" href=\"data:,\">\n"
			  "<meta name=\"viewport\" content=\"width=device-width, "
			  "initial-scale=1\">\n<title>");
	html_escape(sb, page->title);
	strbuf_addstr(sb, " – " HTML_SITE_NAME "</title>\n"
			  "<link rel=\"stylesheet\" href=\"");
	html_escape(sb, page->root);
	strbuf_addstr(sb, "parity.css\">\n</head>\n"
			  "<body class=\"govuk-template__body\">\n"
			  "<a href=\"#main-content\" class=\"govuk-skip-link\">"
			  "Skip to main content</a>\n"
			  "<header class=\"parity-header\">\n"
			  "<div class=\"govuk-width-container\">\n"
			  "<a class=\"parity-header__name\" href=\"");
	html_escape(sb, page->root);
	strbuf_addstr(sb, "index.html\">" HTML_SITE_NAME "</a>\n"
			  "<p class=\"parity-header__by\">London Councils' "
			  "programme on racial inequality</p>\n");
	nav(sb, page);
	strbuf_addstr(sb, "</div>\n</header>\n"
			  "<div class=\"govuk-width-container\">\n");
	if (page->release) {
		strbuf_addstr(sb, "<p class=\"govuk-body-s parity-release\">");
		html_escape(sb, page->release);
		strbuf_addstr(sb, "</p>\n");
	}
	breadcrumbs(sb, page);
	strbuf_addstr(sb, "<main class=\"govuk-main-wrapper\" id=\"main-content\">\n");
	if (page->correction) {
		strbuf_addstr(sb, "<div class=\"govuk-notification-banner "
				  "parity-correction\" role=\"region\" "
				  "aria-labelledby=\"correction-title\">\n"
				  "<div class=\"govuk-notification-banner__header\">"
				  "<h2 class=\"govuk-notification-banner__title\" "
				  "id=\"correction-title\">Correction</h2></div>\n"
				  "<div class=\"govuk-notification-banner__content\">"
				  "<p class=\"govuk-body\">");
		html_escape(sb, page->correction);
		strbuf_addstr(sb, "</p>");
		if (page->corrections_href) {
			strbuf_addstr(sb, "<p class=\"govuk-body\"><a class=\""
					  "govuk-notification-banner__link\" href=\"");
			html_escape(sb, page->root);
			html_escape(sb, page->corrections_href);
			strbuf_addstr(sb, "\">Read the log of every correction"
					  "</a></p>");
		}
		strbuf_addstr(sb, "</div>\n</div>\n");
	}
	strbuf_addstr(sb, "<h1 class=\"govuk-heading-xl\">");
	html_escape(sb, page->title);
	strbuf_addstr(sb, "</h1>\n");
	if (page->lead) {
		strbuf_addstr(sb, "<p class=\"govuk-body-l\">");
		html_escape(sb, page->lead);
		strbuf_addstr(sb, "</p>\n");
	}
	need_to_know(sb, page);
}

#define SECTION_HEADING "<h2 class=\"govuk-heading-l\">"
#define BACK_TO_TOP                                                        \
	"<p class=\"govuk-body-s parity-back-to-top\"><a class=\"govuk-link\" " \
	"href=\"#main-content\">Back to top</a></p>\n"

/* Where a page's own content begins: after the h1, the lead and 'Things
 * you need to know' (html_page_begin()). */
static size_t content_start(const struct strbuf *sb)
{
	static const char *const skips[][2] = {
		{ "<p class=\"govuk-body-l\">", "</p>\n" },
		{ "<details class=\"govuk-details parity-need-to-know\">",
		  "</details>\n" },
	};
	const char *at = strstr(sb->buf, "</h1>\n");
	size_t k;

	if (!at)
		return sb->len;
	at += strlen("</h1>\n");
	for (k = 0; k < sizeof(skips) / sizeof(skips[0]); k++)
		if (strncmp(at, skips[k][0], strlen(skips[k][0])) == 0) {
			const char *end = strstr(at, skips[k][1]);

			if (end)
				at = end + strlen(skips[k][1]);
		}
	return (size_t)(at - sb->buf);
}

void html_add_contents(struct strbuf *sb, size_t min_sections)
{
	struct strbuf out = STRBUF_INIT, list = STRBUF_INIT;
	size_t start = content_start(sb), n = 0;
	const char *p, *h, *end;

	for (p = sb->buf + start; (h = strstr(p, SECTION_HEADING)) != NULL;
	     p = h + 1)
		n++;
	if (n < min_sections)
		return;
	strbuf_add(&out, sb->buf, start);
	strbuf_addstr(&list, "<nav class=\"parity-contents\" aria-labelledby="
			     "\"contents-title\">\n<h2 class=\"govuk-heading-s\" "
			     "id=\"contents-title\">Contents</h2>\n<ol class=\""
			     "govuk-list parity-contents__list\">\n");
	n = 0;
	for (p = sb->buf + start; (h = strstr(p, SECTION_HEADING)) != NULL;
	     p = end) {
		const char *text = h + strlen(SECTION_HEADING);

		end = strstr(text, "</h2>");
		if (!end)
			break;
		strbuf_add(&out, p, (size_t)(h - p));
		if (n > 0)
			strbuf_addstr(&out, BACK_TO_TOP);
		n++;
		strbuf_addf(&out, "<h2 class=\"govuk-heading-l\" id=\"section-"
				  "%zu\">", n);
		strbuf_add(&out, text, (size_t)(end - text));
		strbuf_addf(&list, "<li><a class=\"govuk-link\" href=\"#section-"
				   "%zu\">", n);
		/* the heading's text, escaped already */
		strbuf_add(&list, text, (size_t)(end - text));
		strbuf_addstr(&list, "</a></li>\n");
	}
	strbuf_addstr(&out, p);
	strbuf_addstr(&out, BACK_TO_TOP);
	strbuf_addstr(&list, "</ol>\n</nav>\n");
	/* the list goes where the content begins */
	strbuf_reset(sb);
	strbuf_add(sb, out.buf, start);
	strbuf_add(sb, list.buf, list.len);
	strbuf_add(sb, out.buf + start, out.len - start);
	strbuf_release(&out);
	strbuf_release(&list);
}

void html_page_end(struct strbuf *sb, const struct html_page *page)
{
	strbuf_addstr(sb, "</main>\n</div>\n"
			  "<footer class=\"govuk-footer parity-footer\">\n"
			  "<div class=\"govuk-width-container\">\n"
			  "<p class=\"govuk-body-s\">Published by London "
			  "Councils' programme on racial inequality with parity. "
			  "Every figure is disclosure-controlled: ");
	strbuf_addstr(sb, "see <a class=\"govuk-footer__link\" href=\"");
	html_escape(sb, page->root);
	strbuf_addstr(sb, "methodology.html\">how the figures are made and "
			  "protected</a>.</p>\n");
	if (page->nfooter_links > 0) {
		size_t k;

		strbuf_addstr(sb, "<ul class=\"govuk-footer__inline-list "
				  "parity-footer__links\">\n");
		for (k = 0; k < page->nfooter_links; k++) {
			strbuf_addstr(sb, "<li class=\"govuk-footer__inline-"
					  "list-item\"><a class=\"govuk-footer__"
					  "link\" href=\"");
			page_href(sb, page, page->footer_links[k].href);
			strbuf_addstr(sb, "\">");
			html_escape(sb, page->footer_links[k].label);
			strbuf_addstr(sb, "</a></li>\n");
		}
		strbuf_addstr(sb, "</ul>\n");
	}
	if (page->footer_note) {
		strbuf_addstr(sb, "<p class=\"govuk-body-s\">");
		html_escape(sb, page->footer_note);
		strbuf_addstr(sb, "</p>\n");
	}
	strbuf_addstr(sb, "</div>\n</footer>\n</body>\n</html>\n");
}

void html_format_figure(const struct tidy_row *r, enum tidy_column c,
			char *buf, size_t size)
{
	format_figure(r, c, buf, size);
}

static bool figure_withheld(const struct tidy_row *r, enum html_column c)
{
	switch (c) {
	case HTML_COL_VALUE: return tidy_row_withheld(r, TIDY_VALUE);
	case HTML_COL_NUMERATOR: return tidy_row_withheld(r, TIDY_NUMERATOR);
	case HTML_COL_DENOMINATOR:
		return tidy_row_withheld(r, TIDY_DENOMINATOR);
	case HTML_COL_INTERVAL:
		return tidy_row_withheld(r, TIDY_CI_LOW) ||
		       tidy_row_withheld(r, TIDY_CI_HIGH);
	default: return false;
	}
}

/* A flag in words. */
static const char *flag_words(const char *flag)
{
	static const struct { const char *flag, *words; } words[] = {
		{ "over", "higher than residents" },
		{ "under", "lower than residents" },
		{ "significant", "significant" },
		{ "suppressed", "withheld" },
		{ "within", "within the expected range" },
		{ "above_95", "above the 95% limit" },
		{ "above_99.8", "above the 99.8% limit" },
		{ "below_95", "below the 95% limit" },
		{ "below_99.8", "below the 99.8% limit" },
		{ "not_calculable", "cannot be placed" },
		{ "ceiling", "glass ceiling" },
		{ "weak_base", "residents used as base" },
		{ "significant_weak_base",
		  "significant, with residents used as base" },
		/* attainment's gaps, rate ratios and trends */
		{ "higher", "higher (significant)" },
		{ "lower", "lower (significant)" },
		{ "narrowed", "narrowed (significant)" },
		{ "widened", "widened (significant)" },
	};
	size_t k;

	for (k = 0; k < sizeof(words) / sizeof(words[0]); k++)
		if (strcmp(flag, words[k].flag) == 0)
			return words[k].words;
	return flag;
}

/* A breakdown for reading: a funnel position's names the measure it
 * places, by its code. */
static void breakdown_text(struct strbuf *sb, const struct tidy_row *r)
{
	static const char rl[] = "relative_likelihood: ";

	if (strcmp(r->measure, "funnel_position") != 0) {
		html_escape(sb, r->breakdown);
		return;
	}
	if (strcmp(r->breakdown, "not_known_rate") == 0) {
		strbuf_addstr(sb, "Share of staff not recorded");
		return;
	}
	if (strncmp(r->breakdown, rl, sizeof(rl) - 1) == 0) {
		strbuf_addstr(sb, "Relative likelihood: ");
		html_escape(sb, r->breakdown + sizeof(rl) - 1);
		return;
	}
	if (strncmp(r->breakdown, "rri: ", 5) == 0) {
		strbuf_addstr(sb, "Relative rate index: ");
		html_escape(sb, r->breakdown + 5);
		return;
	}
	/* attainment's: the measure placed, then the attainment measure by
	 * its title ("Gap in mean score: Attainment 8") */
	if (strncmp(r->breakdown, "attainment_", 11) == 0 &&
	    strstr(r->breakdown, ": ")) {
		const char *colon = strstr(r->breakdown, ": ");
		const struct attainment_measure *m =
			attainment_measure_find(colon + 2);

		strbuf_addstr(sb, strncmp(r->breakdown, "attainment_gap", 14) ==
						  0
					  ? "Gap in mean score: "
					  : "Threshold rate ratio: ");
		html_escape(sb, m ? m->title : colon + 2);
		return;
	}
	html_escape(sb, r->breakdown);
}

static void cell_text(struct strbuf *sb, const struct tidy_row *r,
		      enum html_column c)
{
	char a[64], b[64];

	switch (c) {
	case HTML_COL_AREA: html_escape(sb, r->area_name); return;
	case HTML_COL_GROUP: html_escape(sb, r->ethnicity); return;
	case HTML_COL_BREAKDOWN: breakdown_text(sb, r); return;
	case HTML_COL_FLAG:
		html_escape(sb, r->flag[0] ? flag_words(r->flag)
				   : "no clear difference");
		return;
	case HTML_COL_VALUE:
		html_format_figure(r, TIDY_VALUE, a, sizeof(a));
		break;
	case HTML_COL_NUMERATOR:
		html_format_figure(r, TIDY_NUMERATOR, a, sizeof(a));
		break;
	case HTML_COL_DENOMINATOR:
		html_format_figure(r, TIDY_DENOMINATOR, a, sizeof(a));
		break;
	case HTML_COL_INTERVAL:
		if (figure_withheld(r, c)) {
			snprintf(a, sizeof(a), "%s", TIDY_WITHHELD);
			break;
		}
		html_format_figure(r, TIDY_CI_LOW, a, sizeof(a));
		html_format_figure(r, TIDY_CI_HIGH, b, sizeof(b));
		if (a[0] && b[0]) {
			html_escape(sb, a);
			strbuf_addstr(sb, " to ");
			html_escape(sb, b);
			return;
		}
		a[0] = '\0';
		break;
	case HTML_COL_STAFF_SHARE:
	case HTML_COL_RESIDENT_SHARE:
		/* from another row: html_table() finds it */
		a[0] = '\0';
		break;
	}
	html_escape(sb, a[0] ? a : "not available");
}

static bool numeric(enum html_column c)
{
	return c == HTML_COL_VALUE || c == HTML_COL_INTERVAL ||
	       c == HTML_COL_NUMERATOR || c == HTML_COL_DENOMINATOR ||
	       c == HTML_COL_STAFF_SHARE || c == HTML_COL_RESIDENT_SHARE;
}

static bool same_text(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "") == 0;
}

/* The row of `t` measuring `measure` for `r`'s area, year, group and
 * breakdown, or NULL. */
static const struct tidy_row *companion(const struct tidy_table *t,
					const struct tidy_row *r,
					const char *measure)
{
	size_t k;

	if (!measure)
		return NULL;
	for (k = 0; k < t->count; k++) {
		const struct tidy_row *o = &t->rows[k];

		if (same_text(o->measure, measure) && o->year == r->year &&
		    same_text(o->area_code, r->area_code) &&
		    same_text(o->ethnicity, r->ethnicity) &&
		    same_text(o->breakdown, r->breakdown))
			return o;
	}
	return NULL;
}

const struct tidy_row *html_companion(const struct tidy_table *t,
				      const struct tidy_row *r,
				      enum html_column c)
{
	return companion(t, r,
			 c == HTML_COL_STAFF_SHARE      ? "staff_share"
			 : c == HTML_COL_RESIDENT_SHARE ? "benchmark_share"
							: NULL);
}

/* A companion column's figure: its value, "[c]" when withheld, "not
 * available" when the table has none. *withheld is set when it is. */
static void companion_text(struct strbuf *sb, const struct tidy_table *t,
			   const struct tidy_row *r, enum html_column c,
			   bool *withheld)
{
	const struct tidy_row *o = html_companion(t, r, c);

	if (!o) {
		strbuf_addstr(sb, "not available");
		return;
	}
	if (figure_withheld(o, HTML_COL_VALUE))
		*withheld = true;
	cell_text(sb, o, HTML_COL_VALUE);
}

/* An id for a table's caption, unique in its page: from the caption's
 * words and the number of tables in `sb` before it (a page's tables may
 * be built apart and joined, so the words keep two apart). */
static void caption_id(const struct strbuf *sb, const char *caption,
		       char *buf, size_t size)
{
	size_t n = 0, k, len;
	const char *p;

	for (p = sb->buf; p && (p = strstr(p, "<table")) != NULL; p++)
		n++;
	len = (size_t)snprintf(buf, size, "table-%zu-", n + 1);
	for (k = 0; caption[k] && len + 1 < size && len < 48; k++) {
		char c = caption[k];

		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
			buf[len++] = c;
		else if (c >= 'A' && c <= 'Z')
			buf[len++] = (char)(c - 'A' + 'a');
		else if (buf[len - 1] != '-')
			buf[len++] = '-';
	}
	while (len > 0 && buf[len - 1] == '-')
		len--;
	buf[len] = '\0';
}

void html_table_begin(struct strbuf *sb, const char *caption,
		      const char *table_id)
{
	char id[96];

	if (table_id)
		snprintf(id, sizeof(id), "%s-caption", table_id);
	else
		caption_id(sb, caption, id, sizeof(id));
	strbuf_addstr(sb, "<div class=\"parity-table-wrap\" role=\"region\" "
			  "tabindex=\"0\" aria-labelledby=\"");
	html_escape(sb, id);
	strbuf_addstr(sb, "\">\n<table class=\"govuk-table parity-table\"");
	if (table_id) {
		strbuf_addstr(sb, " id=\"");
		html_escape(sb, table_id);
		strbuf_addstr(sb, "\"");
	}
	strbuf_addstr(sb, ">\n<caption class=\"govuk-table__caption "
			  "govuk-table__caption--m parity-table-caption\" id=\"");
	html_escape(sb, id);
	strbuf_addstr(sb, "\">");
	html_escape(sb, caption);
	strbuf_addstr(sb, "</caption>\n");
}

/* A nested row's group: "PARENT: NAME" as NAME, with "PARENT: " kept
 * for screen readers only; any other label whole. */
static void child_group_text(struct strbuf *sb, const struct tidy_row *r)
{
	const char *sep = strrchr(r->ethnicity, ':');
	struct strbuf parent = STRBUF_INIT;

	if (!sep || sep[1] != ' ') {
		html_escape(sb, r->ethnicity);
		return;
	}
	strbuf_add(&parent, r->ethnicity, (size_t)(sep - r->ethnicity) + 2);
	strbuf_addstr(sb, "<span class=\"govuk-visually-hidden\">");
	html_escape(sb, parent.buf);
	strbuf_addstr(sb, "</span>");
	html_escape(sb, sep + 2);
	strbuf_release(&parent);
}

void html_table(struct strbuf *sb, const struct tidy_table *t,
		const size_t *rows, size_t nrows,
		const struct html_table_spec *spec)
{
	html_table_nested(sb, t, rows, NULL, nrows, spec);
}

void html_table_nested(struct strbuf *sb, const struct tidy_table *t,
		       const size_t *rows, const unsigned char *depth,
		       size_t nrows, const struct html_table_spec *spec)
{
	size_t k, c, n = rows ? nrows : t->count;
	bool any_withheld = false;

	html_table_begin(sb, spec->caption, spec->id);
	strbuf_addstr(sb, "<thead class=\"govuk-table__head\">"
			  "<tr class=\"govuk-table__row\">");
	for (c = 0; c < spec->ncolumns; c++) {
		strbuf_addstr(sb, numeric(spec->columns[c])
				  ? "<th scope=\"col\" class=\"govuk-table__header "
				    "govuk-table__header--numeric\">"
				  : "<th scope=\"col\" class=\"govuk-table__header\">");
		html_escape(sb, spec->headings[c]);
		strbuf_addstr(sb, "</th>");
	}
	strbuf_addstr(sb, "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
	for (k = 0; k < n; k++) {
		const struct tidy_row *r = &t->rows[rows ? rows[k] : k];
		bool child = depth && depth[k] > 0;

		strbuf_addstr(sb, child ? "<tr class=\"govuk-table__row "
					  "parity-table__row--child\">"
					: "<tr class=\"govuk-table__row\">");
		for (c = 0; c < spec->ncolumns; c++) {
			enum html_column col = spec->columns[c];

			if (figure_withheld(r, col))
				any_withheld = true;
			if (c == 0 && child)
				strbuf_addstr(sb, "<th scope=\"row\" "
						  "class=\"govuk-table__header "
						  "parity-table__child\">");
			else if (c == 0)
				strbuf_addstr(sb, "<th scope=\"row\" "
						  "class=\"govuk-table__header\">");
			else if (numeric(col))
				strbuf_addstr(sb, "<td class=\"govuk-table__cell "
						  "govuk-table__cell--numeric\">");
			else
				strbuf_addstr(sb, "<td class=\"govuk-table__cell\">");
			if (col == HTML_COL_STAFF_SHARE ||
			    col == HTML_COL_RESIDENT_SHARE)
				companion_text(sb, t, r, col, &any_withheld);
			else if (child && col == HTML_COL_GROUP)
				child_group_text(sb, r);
			else
				cell_text(sb, r, col);
			strbuf_addstr(sb, c == 0 ? "</th>" : "</td>");
		}
		strbuf_addstr(sb, "</tr>\n");
	}
	strbuf_addstr(sb, "</tbody>\n</table>\n</div>\n");
	if (any_withheld)
		strbuf_addstr(sb, "<p class=\"govuk-body-s parity-table-note\">"
				  HTML_WITHHELD_NOTE "</p>\n");
}
