/*
 * digest.c - 'Race Matters' (see digest.h): four sections gathered from
 * the store and the published release, each written twice, as HTML for
 * mail clients and as plain text.
 */
#include "practice/digest.h"

#include "base/clock.h"
#include "practice/learning_lab.h"
#include "practice/practice.h"
#include "site/html.h"
#include "standard/score.h"
#include "store/practice_store.h"
#include "table/table_read.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INK "#0b0c0c"
#define BLUE "#1d70b8"
#define GREY "#505a5f"
#define LINE "#b1b4b6"

static void h2(struct strbuf *html, struct strbuf *text, const char *title)
{
	strbuf_addstr(html, "<tr><td style=\"padding:24px 0 8px 0;font-size:"
			    "24px;font-weight:bold;color:" INK ";border-top:"
			    "2px solid " BLUE ";\">");
	html_escape(html, title);
	strbuf_addstr(html, "</td></tr>\n");
	strbuf_addf(text, "\n%s\n", title);
	for (size_t k = 0; title[k]; k++)
		strbuf_addch(text, '=');
	strbuf_addch(text, '\n');
}

static void para(struct strbuf *html, struct strbuf *text, const char *s)
{
	strbuf_addstr(html, "<tr><td style=\"padding:4px 0;font-size:16px;"
			    "line-height:1.4;color:" INK ";\">");
	html_escape(html, s);
	strbuf_addstr(html, "</td></tr>\n");
	strbuf_addf(text, "%s\n", s);
}

/* ---- practice approved in the period ---- */

static int practice_section(const struct standard_data *d,
			    const struct digest_options *opt,
			    struct strbuf *html, struct strbuf *text,
			    size_t *count, struct parity_error *err)
{
	struct practice_row *rows = NULL;
	char day[CLOCK_DATE_SIZE];
	size_t n = 0, k;

	*count = 0;
	if (practice_store_list(d->store, NULL, true, &rows, &n, err) < 0)
		return -1;
	h2(html, text, "New and updated practice");
	for (k = 0; k < n; k++) {
		const struct practice_row *r = &rows[k];
		int a = area_find(d->areas, r->area_code);
		char line[512];

		clock_utc_date(r->moderated_at, day, sizeof(day));
		if (strcmp(day, opt->since) < 0 ||
		    (opt->until && strcmp(day, opt->until) > 0))
			continue;
		(*count)++;
		snprintf(line, sizeof(line), "%s (%s%s; %s, %s)", r->title,
			 a >= 0 ? d->areas->areas[a].name : r->area_code,
			 r->version > 1 ? ", updated" : "", r->strand,
			 r->service_area);
		strbuf_addstr(html, "<tr><td style=\"padding:6px 0;font-size:"
				    "16px;color:" INK ";\"><span style=\""
				    "font-weight:bold;color:" BLUE ";\">");
		html_escape(html, r->title);
		strbuf_addstr(html, "</span><br><span style=\"color:" GREY
				    ";font-size:14px;\">");
		html_escape(html, line + strlen(r->title) + 1);
		strbuf_addstr(html, "</span></td></tr>\n");
		strbuf_addf(text, "- %s\n", line);
	}
	if (*count == 0)
		para(html, text, "No practice was approved in this period.");
	practice_rows_free(rows, n);
	return 0;
}

/* ---- the Learning Lab ---- */

static int events_section(const struct standard_data *d,
			  const struct digest_options *opt,
			  struct strbuf *html, struct strbuf *text,
			  size_t *count, struct parity_error *err)
{
	struct learning_event_row *rows = NULL;
	size_t n = 0, k;

	if (learning_events_list(d->store, opt->today, NULL, &rows, &n, err) <
	    0)
		return -1;
	*count = n;
	h2(html, text, "Coming up in the Learning Lab");
	for (k = 0; k < n; k++) {
		char line[512];

		snprintf(line, sizeof(line), "%s: %s (%s, %s strand)",
			 rows[k].day, rows[k].title, rows[k].format,
			 rows[k].strand);
		para(html, text, line);
	}
	if (n == 0)
		para(html, text, "No sessions are planned yet.");
	learning_events_free(rows, n);
	return 0;
}

/* ---- published changes ---- */

/* Whether a published change is significant at 5%: its p-value, or the
 * bound it is published below. */
static bool significant(const struct tidy_row *r)
{
	return !isnan(r->p_value) && r->p_value < 0.05 &&
	       !(r->withheld & (1u << TIDY_P_VALUE));
}

static int changes_section(const struct digest_options *opt,
			   struct strbuf *html, struct strbuf *text,
			   size_t *count, struct parity_error *err)
{
	struct tidy_table t;
	char path[4096];
	size_t k;

	*count = 0;
	if (!opt->site_dir || !opt->year)
		return 0;
	snprintf(path, sizeof(path), "%s/current/downloads/workforce-%d.csv",
		 opt->site_dir, opt->year);
	tidy_table_init(&t);
	if (tidy_table_read_csv(path, &t, NULL, NULL, err) != 0) {
		tidy_table_free(&t);
		return -1;
	}
	h2(html, text, "What changed in London's published figures");
	strbuf_addstr(html, "<tr><td><table role=\"presentation\" "
			    "cellpadding=\"0\" cellspacing=\"0\" width=\"100%\" "
			    "style=\"border-collapse:collapse;\">\n");
	for (k = 0; k < t.count; k++) {
		const struct tidy_row *r = &t.rows[k];
		char line[512];
		double before, width;
		bool share;

		if (strcmp(r->area_type ? r->area_type : "", "region") != 0 ||
		    !r->measure || !significant(r) ||
		    (strcmp(r->measure, "staff_share_change_pp") != 0 &&
		     strcmp(r->measure, "not_known_change_pp") != 0))
			continue;
		share = strcmp(r->measure, "staff_share_change_pp") == 0;
		before = r->denominator > 0
				 ? 100.0 * r->numerator / r->denominator
				 : NAN;
		(*count)++;
		if (share)
			snprintf(line, sizeof(line), "The share of %s's staff "
				 "recorded as %s %s by %.1f percentage points "
				 "since %d, from %.1f%% to %.1f%%.",
				 r->area_name, r->ethnicity,
				 r->value > 0 ? "rose" : "fell", fabs(r->value),
				 opt->year - 1, before, before + r->value);
		else
			snprintf(line, sizeof(line), "The share of %s's staff "
				 "whose ethnicity is not known %s by %.1f "
				 "percentage points since %d, from %.1f%% to "
				 "%.1f%%.", r->area_name,
				 r->value > 0 ? "rose" : "fell", fabs(r->value),
				 opt->year - 1, before, before + r->value);
		strbuf_addf(text, "- %s\n", line);
		/* the change as a bar: a cell as wide as the change (up to
		 * 5 points fills it), in the site's colours */
		width = fmin(fabs(r->value) / 5.0, 1.0) * 100.0;
		strbuf_addstr(html, "<tr><td style=\"padding:6px 8px 6px 0;"
				    "font-size:16px;color:" INK ";\">");
		html_escape(html, line);
		strbuf_addf(html, "</td><td width=\"120\" style=\"padding:6px "
				  "0;\"><table role=\"presentation\" cellpadding"
				  "=\"0\" cellspacing=\"0\" width=\"%.0f%%\"><tr>"
				  "<td style=\"background:%s;height:12px;"
				  "font-size:1px;\">&nbsp;</td></tr></table>"
				  "</td></tr>\n",
			    fmax(width, 2.0), r->value > 0 ? BLUE : GREY);
	}
	strbuf_addstr(html, "</table></td></tr>\n");
	if (*count == 0)
		para(html, text, "No change in London's published workforce "
				 "figures since the year before is larger than "
				 "chance would explain.");
	else
		para(html, text, "Only changes larger than chance would "
				 "explain (p < 0.05) are listed, from the "
				 "published figures, after disclosure control.");
	tidy_table_free(&t);
	return 0;
}

/* ---- the Standard ---- */

/* Councils at each overall level in `year`: counts[level - 1]. */
static int overall_counts(const struct standard_data *d,
			  const struct framework *f, int year, size_t *counts,
			  size_t *total, struct parity_error *err)
{
	struct tidy_table t;
	size_t k, l;

	*total = 0;
	memset(counts, 0, sizeof(*counts) * FRAMEWORK_MAX_LEVELS);
	tidy_table_init(&t);
	if (standard_distribution_table(d, f, year, &t, err) < 0) {
		tidy_table_free(&t);
		return -1;
	}
	for (k = 0; k < t.count; k++) {
		const struct tidy_row *r = &t.rows[k];

		if (strcmp(r->measure, "standard_overall_level_count") != 0)
			continue;
		for (l = 0; l < f->nlevels; l++)
			if (r->flag && strcmp(r->flag, f->levels[l].id) == 0)
				counts[l] = (size_t)r->value;
		*total = (size_t)r->denominator;
	}
	tidy_table_free(&t);
	return 0;
}

static int standard_section(const struct standard_data *d,
			    const struct digest_options *opt,
			    struct strbuf *html, struct strbuf *text,
			    size_t *councils, struct parity_error *err)
{
	size_t now[FRAMEWORK_MAX_LEVELS], before[FRAMEWORK_MAX_LEVELS];
	size_t total_now, total_before, l;
	char line[512];
	int year;
	int rc;

	*councils = 0;
	if (!opt->standard)
		return 0;
	rc = standard_latest_year(d->store, opt->standard, NULL, &year, err);
	if (rc < 0)
		return -1;
	h2(html, text, opt->standard->title);
	if (rc == 0) {
		para(html, text, "No council has submitted an assessment yet.");
		return 0;
	}
	if (overall_counts(d, opt->standard, year, now, &total_now, err) < 0 ||
	    overall_counts(d, opt->standard, year - 1, before, &total_before,
			   err) < 0)
		return -1;
	*councils = total_now;
	snprintf(line, sizeof(line), "%zu council%s submitted an assessment "
		 "for %d (%zu for %d). Councils at each level overall:",
		 total_now, total_now == 1 ? "" : "s", year, total_before,
		 year - 1);
	para(html, text, line);
	for (l = 0; l < opt->standard->nlevels; l++) {
		snprintf(line, sizeof(line), "%s: %zu (%zu the year before)",
			 opt->standard->levels[l].title, now[l], before[l]);
		para(html, text, line);
	}
	return 0;
}

int digest_build(const struct standard_data *d,
		 const struct digest_options *opt, struct strbuf *html,
		 struct strbuf *text, struct digest_summary *summary,
		 struct parity_error *err)
{
	char title[128];

	memset(summary, 0, sizeof(*summary));
	snprintf(title, sizeof(title), "Race Matters: %s to %s", opt->since,
		 opt->until ? opt->until : opt->today);
	strbuf_addstr(html, "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n"
			    "<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
			    "content=\"width=device-width, initial-scale=1\">\n"
			    "<title>");
	html_escape(html, title);
	strbuf_addstr(html, "</title>\n</head>\n<body style=\"margin:0;padding:"
			    "0;background:#f3f2f1;font-family:Arial,"
			    "Helvetica,sans-serif;\">\n<table role=\""
			    "presentation\" cellpadding=\"0\" cellspacing=\"0\" "
			    "width=\"100%\" style=\"background:#f3f2f1;\"><tr>"
			    "<td align=\"center\" style=\"padding:16px;\">\n"
			    "<table role=\"presentation\" cellpadding=\"0\" "
			    "cellspacing=\"0\" width=\"640\" style=\"max-width:"
			    "640px;background:#ffffff;padding:24px;\">\n<tr><td "
			    "style=\"background:" INK ";color:#ffffff;padding:"
			    "16px;font-size:28px;font-weight:bold;\">");
	html_escape(html, title);
	strbuf_addstr(html, "</td></tr>\n");
	strbuf_addf(text, "%s\n", title);
	para(html, text, "The digest of London Councils' programme on racial "
			 "inequality, for borough staff.");
	if (practice_section(d, opt, html, text, &summary->practice, err) < 0 ||
	    events_section(d, opt, html, text, &summary->events, err) < 0 ||
	    changes_section(opt, html, text, &summary->changes, err) < 0 ||
	    standard_section(d, opt, html, text, &summary->standard_councils,
			     err) < 0)
		return -1;
	strbuf_addstr(html, "<tr><td style=\"padding:24px 0 0 0;font-size:"
			    "14px;color:" GREY ";border-top:1px solid " LINE
			    ";\">Figures are those published, after disclosure "
			    "control; practice marked as an example was "
			    "written for parity.</td></tr>\n</table>\n</td>"
			    "</tr></table>\n</body>\n</html>\n");
	strbuf_addstr(text, "\nFigures are those published, after disclosure "
			    "control; practice marked as an example was written "
			    "for parity.\n");
	return 0;
}
