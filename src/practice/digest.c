/*
 * digest.c - 'Race Matters' (see digest.h): four sections gathered from
 * the store and the published release into one list of items, written
 * as HTML for mail clients, as plain text, and as JSON for the archive.
 */
#include "practice/digest.h"

#include "base/alloc.h"
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

#include <jansson.h>

#define INK "#0b0c0c"
#define BLUE "#1d70b8"
#define GREY "#505a5f"
#define LINE "#b1b4b6"

/* ---- the issue's items ---- */

static void add_item(struct digest_issue *issue, enum digest_item_kind kind,
		     const char *text, const char *detail, double value)
{
	struct digest_item *it;

	issue->items = xgrow(issue->items, &issue->cap, issue->count + 1,
			     sizeof(*issue->items));
	it = &issue->items[issue->count++];
	it->kind = kind;
	it->text = xstrdup(text);
	it->detail = detail ? xstrdup(detail) : NULL;
	it->value = value;
}

void digest_issue_release(struct digest_issue *issue)
{
	size_t k;

	for (k = 0; k < issue->count; k++) {
		free(issue->items[k].text);
		free(issue->items[k].detail);
	}
	free(issue->items);
	issue->items = NULL;
	issue->count = issue->cap = 0;
}

/* ---- practice approved in the period ---- */

static int practice_section(const struct standard_data *d,
			    const struct digest_options *opt,
			    struct digest_issue *issue,
			    struct parity_error *err)
{
	struct practice_row *rows = NULL;
	char day[CLOCK_DATE_SIZE];
	size_t n = 0, k, count = 0;

	if (practice_store_list(d->store, NULL, true, &rows, &n, err) < 0)
		return -1;
	add_item(issue, DIGEST_SECTION, "New and updated practice", NULL, 0);
	for (k = 0; k < n; k++) {
		const struct practice_row *r = &rows[k];
		int a = area_find(d->areas, r->area_code);
		char detail[512], strand[64], service[64];

		clock_utc_date(r->moderated_at, day, sizeof(day));
		if (strcmp(day, opt->since) < 0 ||
		    (opt->until && strcmp(day, opt->until) > 0))
			continue;
		count++;
		practice_label(r->strand, strand, sizeof(strand));
		practice_label(r->service_area, service, sizeof(service));
		snprintf(detail, sizeof(detail), "%s%s; %s strand; %s",
			 a >= 0 ? d->areas->areas[a].name : r->area_code,
			 r->version > 1 ? ", updated" : "", strand, service);
		add_item(issue, DIGEST_ENTRY, r->title, detail, 0);
	}
	if (count == 0)
		add_item(issue, DIGEST_TEXT,
			 "No practice was approved in this period.", NULL, 0);
	issue->summary.practice = count;
	practice_rows_free(rows, n);
	return 0;
}

/* ---- the Learning Lab ---- */

static int events_section(const struct standard_data *d,
			  const struct digest_options *opt,
			  struct digest_issue *issue, struct parity_error *err)
{
	struct learning_event_row *rows = NULL;
	size_t n = 0, k;

	if (learning_events_list(d->store, opt->today, NULL, &rows, &n, err) <
	    0)
		return -1;
	issue->summary.events = n;
	add_item(issue, DIGEST_SECTION, "Coming up in the Learning Lab", NULL,
		 0);
	for (k = 0; k < n; k++) {
		char line[512], day[CLOCK_WORDS_SIZE];

		clock_date_words(rows[k].day, day, sizeof(day));
		snprintf(line, sizeof(line), "%s: %s (%s, %s strand)", day,
			 rows[k].title, rows[k].format, rows[k].strand);
		add_item(issue, DIGEST_TEXT, line, NULL, 0);
	}
	if (n == 0)
		add_item(issue, DIGEST_TEXT, "No sessions are planned yet.",
			 NULL, 0);
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
			   struct digest_issue *issue,
			   struct parity_error *err)
{
	struct tidy_table t;
	char path[4096];
	size_t k, count = 0, withheld = 0;

	if (!opt->site_dir || !opt->year)
		return 0;
	snprintf(path, sizeof(path), "%s/current/downloads/workforce-%d.csv",
		 opt->site_dir, opt->year);
	tidy_table_init(&t);
	if (tidy_table_read_csv(path, &t, NULL, NULL, err) != 0) {
		tidy_table_free(&t);
		return -1;
	}
	add_item(issue, DIGEST_SECTION,
		 "What changed in London's published figures", NULL, 0);
	for (k = 0; k < t.count; k++) {
		const struct tidy_row *r = &t.rows[k];
		char line[512];
		double before;
		bool share;

		if (strcmp(r->area_type ? r->area_type : "", "region") != 0 ||
		    !r->measure ||
		    (strcmp(r->measure, "staff_share_change_pp") != 0 &&
		     strcmp(r->measure, "not_known_change_pp") != 0))
			continue;
		if (tidy_row_withheld(r, TIDY_VALUE)) {
			withheld++;
			continue;
		}
		if (!significant(r))
			continue;
		share = strcmp(r->measure, "staff_share_change_pp") == 0;
		before = r->denominator > 0
				 ? 100.0 * r->numerator / r->denominator
				 : NAN;
		count++;
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
		add_item(issue, DIGEST_CHANGE, line, NULL, r->value);
	}
	issue->summary.changes = count;
	if (withheld > 0) {
		char line[256];

		snprintf(line, sizeof(line), "%zu of London's changes since "
			 "the year before %s withheld ([c]) to protect "
			 "confidentiality, so %s not reported here.", withheld,
			 withheld == 1 ? "is" : "are",
			 withheld == 1 ? "it is" : "they are");
		add_item(issue, DIGEST_TEXT, line, NULL, 0);
	}
	if (count == 0)
		add_item(issue, DIGEST_TEXT,
			 withheld > 0
			 ? "No published change in London's workforce figures "
			   "since the year before is larger than chance would "
			   "explain."
			 : "No change in London's published workforce figures "
			   "since the year before is larger than chance would "
			   "explain.", NULL, 0);
	else
		add_item(issue, DIGEST_NOTE,
			 "Only changes larger than chance would explain "
			 "(p < 0.05) are listed, from the published figures, "
			 "after disclosure control.", NULL, 0);
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
			    struct digest_issue *issue,
			    struct parity_error *err)
{
	size_t now[FRAMEWORK_MAX_LEVELS], before[FRAMEWORK_MAX_LEVELS];
	size_t total_now, total_before, l;
	char line[512];
	int year;
	int rc;

	if (!opt->standard)
		return 0;
	rc = standard_latest_year(d->store, opt->standard, NULL, &year, err);
	if (rc < 0)
		return -1;
	add_item(issue, DIGEST_SECTION, opt->standard->title, NULL, 0);
	if (rc == 0) {
		add_item(issue, DIGEST_TEXT,
			 "No council has submitted an assessment yet.", NULL,
			 0);
		return 0;
	}
	if (overall_counts(d, opt->standard, year, now, &total_now, err) < 0 ||
	    overall_counts(d, opt->standard, year - 1, before, &total_before,
			   err) < 0)
		return -1;
	issue->summary.standard_councils = total_now;
	snprintf(line, sizeof(line), "%zu council%s submitted an assessment "
		 "for %d (%zu for %d). Councils at each level overall:",
		 total_now, total_now == 1 ? "" : "s", year, total_before,
		 year - 1);
	add_item(issue, DIGEST_TEXT, line, NULL, 0);
	for (l = 0; l < opt->standard->nlevels; l++) {
		snprintf(line, sizeof(line), "%s: %zu (%zu the year before)",
			 opt->standard->levels[l].title, now[l], before[l]);
		add_item(issue, DIGEST_TEXT, line, NULL, 0);
	}
	return 0;
}

int digest_build(const struct standard_data *d,
		 const struct digest_options *opt, struct digest_issue *out,
		 struct parity_error *err)
{
	memset(out, 0, sizeof(*out));
	snprintf(out->since, sizeof(out->since), "%s", opt->since);
	snprintf(out->until, sizeof(out->until), "%s",
		 opt->until ? opt->until : opt->today);
	if (practice_section(d, opt, out, err) < 0 ||
	    events_section(d, opt, out, err) < 0 ||
	    changes_section(opt, out, err) < 0 ||
	    standard_section(d, opt, out, err) < 0)
		return -1;
	return 0;
}

void digest_title(const struct digest_issue *issue, char *buf, size_t size)
{
	char since[CLOCK_WORDS_SIZE], until[CLOCK_WORDS_SIZE];

	clock_date_words(issue->since, since, sizeof(since));
	clock_date_words(issue->until, until, sizeof(until));
	snprintf(buf, size, "Race Matters: %s to %s", since, until);
}

static const char digest_lead[] =
	"The digest of London Councils' programme on racial inequality, for "
	"borough staff.";
static const char digest_footer[] =
	"Figures are those published, after disclosure control; practice "
	"marked as an example was written for parity.";

/* ---- as email ---- */

static void email_row(struct strbuf *html, const char *style,
		      const char *text)
{
	strbuf_addf(html, "<tr><td style=\"%s\">", style);
	html_escape(html, text);
	strbuf_addstr(html, "</td></tr>\n");
}

#define EMAIL_PARA "padding:4px 0;font-size:16px;line-height:1.4;color:" INK ";"

/* A change as a line and a bar as wide as the change (up to 5 points
 * fills it), in the site's colours. */
static void email_change(struct strbuf *html, const struct digest_item *it)
{
	double width = fmin(fabs(it->value) / 5.0, 1.0) * 100.0;

	strbuf_addstr(html, "<tr><td style=\"padding:6px 8px 6px 0;"
			    "font-size:16px;color:" INK ";\">");
	html_escape(html, it->text);
	strbuf_addf(html, "</td><td width=\"120\" style=\"padding:6px 0;\">"
			  "<table role=\"presentation\" cellpadding=\"0\" "
			  "cellspacing=\"0\" width=\"%.0f%%\"><tr><td style="
			  "\"background:%s;height:12px;font-size:1px;\">"
			  "&nbsp;</td></tr></table></td></tr>\n",
		    fmax(width, 2.0), it->value > 0 ? BLUE : GREY);
}

void digest_write_email(const struct digest_issue *issue,
			struct strbuf *html)
{
	char title[128];
	bool in_changes = false;
	size_t k;

	digest_title(issue, title, sizeof(title));
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
			    "640px;background:#ffffff;padding:24px;\">\n");
	email_row(html, "background:" INK ";color:#ffffff;padding:16px;"
			"font-size:28px;font-weight:bold;", title);
	email_row(html, EMAIL_PARA, digest_lead);
	for (k = 0; k < issue->count; k++) {
		const struct digest_item *it = &issue->items[k];

		if (in_changes && it->kind != DIGEST_CHANGE) {
			strbuf_addstr(html, "</table></td></tr>\n");
			in_changes = false;
		}
		switch (it->kind) {
		case DIGEST_SECTION:
			email_row(html, "padding:24px 0 8px 0;font-size:24px;"
					"font-weight:bold;color:" INK ";"
					"border-top:2px solid " BLUE ";",
				  it->text);
			break;
		case DIGEST_ENTRY:
			strbuf_addstr(html, "<tr><td style=\"padding:6px 0;"
					    "font-size:16px;color:" INK ";\">"
					    "<span style=\"font-weight:bold;"
					    "color:" BLUE ";\">");
			html_escape(html, it->text);
			strbuf_addstr(html, "</span><br><span style=\"color:"
					    GREY ";font-size:14px;\">");
			html_escape(html, it->detail ? it->detail : "");
			strbuf_addstr(html, "</span></td></tr>\n");
			break;
		case DIGEST_CHANGE:
			if (!in_changes)
				strbuf_addstr(html, "<tr><td><table role=\""
						    "presentation\" cellpadding"
						    "=\"0\" cellspacing=\"0\" "
						    "width=\"100%\" style=\""
						    "border-collapse:collapse;"
						    "\">\n");
			in_changes = true;
			email_change(html, it);
			break;
		case DIGEST_TEXT:
		case DIGEST_NOTE:
			email_row(html, EMAIL_PARA, it->text);
			break;
		}
	}
	if (in_changes)
		strbuf_addstr(html, "</table></td></tr>\n");
	email_row(html, "padding:24px 0 0 0;font-size:14px;color:" GREY ";"
			"border-top:1px solid " LINE ";", digest_footer);
	strbuf_addstr(html, "</table>\n</td></tr></table>\n</body>\n</html>\n");
}

/* ---- as plain text ---- */

void digest_write_text(const struct digest_issue *issue,
		       struct strbuf *text)
{
	char title[128];
	size_t k, j;

	digest_title(issue, title, sizeof(title));
	strbuf_addf(text, "%s\n%s\n", title, digest_lead);
	for (k = 0; k < issue->count; k++) {
		const struct digest_item *it = &issue->items[k];

		switch (it->kind) {
		case DIGEST_SECTION:
			strbuf_addf(text, "\n%s\n", it->text);
			for (j = 0; it->text[j]; j++)
				strbuf_addch(text, '=');
			strbuf_addch(text, '\n');
			break;
		case DIGEST_ENTRY:
			strbuf_addf(text, "- %s (%s)\n", it->text,
				    it->detail ? it->detail : "");
			break;
		case DIGEST_CHANGE:
			strbuf_addf(text, "- %s\n", it->text);
			break;
		case DIGEST_TEXT:
		case DIGEST_NOTE:
			strbuf_addf(text, "%s\n", it->text);
			break;
		}
	}
	strbuf_addf(text, "\n%s\n", digest_footer);
}

/* ---- the archive's JSON ---- */

static const char *const kind_names[] = {
	[DIGEST_SECTION] = "section", [DIGEST_TEXT] = "text",
	[DIGEST_ENTRY] = "entry", [DIGEST_CHANGE] = "change",
	[DIGEST_NOTE] = "note"
};

char *digest_issue_json(const struct digest_issue *issue)
{
	json_t *items = json_array(), *doc;
	char *out;
	size_t k;

	for (k = 0; k < issue->count; k++) {
		const struct digest_item *it = &issue->items[k];
		json_t *o = json_pack("{s:s, s:s}", "kind",
				      kind_names[it->kind], "text", it->text);

		if (it->detail)
			json_object_set_new(o, "detail",
					    json_string(it->detail));
		if (it->kind == DIGEST_CHANGE)
			json_object_set_new(o, "value", json_real(it->value));
		json_array_append_new(items, o);
	}
	doc = json_pack("{s:s, s:s, s:{s:I, s:I, s:I, s:I}, s:o}", "since",
			issue->since, "until", issue->until, "summary",
			"practice", (json_int_t)issue->summary.practice,
			"events", (json_int_t)issue->summary.events, "changes",
			(json_int_t)issue->summary.changes, "standard_councils",
			(json_int_t)issue->summary.standard_councils, "items",
			items);
	out = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	return out;
}

static int kind_of(const char *name, enum digest_item_kind *kind)
{
	size_t k;

	for (k = 0; k < sizeof(kind_names) / sizeof(kind_names[0]); k++)
		if (strcmp(name, kind_names[k]) == 0) {
			*kind = (enum digest_item_kind)k;
			return 0;
		}
	return -1;
}

int digest_issue_read(const char *json, struct digest_issue *out,
		      struct parity_error *err)
{
	json_error_t jerr;
	json_t *doc = json_loads(json, 0, &jerr), *items, *it;
	json_int_t practice = 0, events = 0, changes = 0, councils = 0;
	const char *since = NULL, *until = NULL;
	size_t k;

	memset(out, 0, sizeof(*out));
	if (!doc || json_unpack(doc, "{s:s, s:s, s:{s:I, s:I, s:I, s:I}, s:o}",
				"since", &since, "until", &until, "summary",
				"practice", &practice, "events", &events,
				"changes", &changes, "standard_councils",
				&councils, "items", &items) < 0 ||
	    !json_is_array(items))
		goto bad;
	snprintf(out->since, sizeof(out->since), "%s", since);
	snprintf(out->until, sizeof(out->until), "%s", until);
	out->summary.practice = (size_t)practice;
	out->summary.events = (size_t)events;
	out->summary.changes = (size_t)changes;
	out->summary.standard_councils = (size_t)councils;
	json_array_foreach(items, k, it) {
		const char *kind = NULL, *text = NULL, *detail = NULL;
		enum digest_item_kind kd;
		double value = 0;

		if (json_unpack(it, "{s:s, s:s, s?s, s?F}", "kind", &kind,
				"text", &text, "detail", &detail, "value",
				&value) < 0 ||
		    kind_of(kind, &kd) < 0)
			goto bad;
		add_item(out, kd, text, detail, value);
	}
	json_decref(doc);
	return 0;
bad:
	json_decref(doc);
	digest_issue_release(out);
	return parity_error_set(err, PARITY_ERR_PARSE, NULL, 0, 0,
				"an issue of Race Matters in the archive could "
				"not be read");
}

/* ---- the archive ---- */

int digest_keep(struct store *s, const struct digest_issue *issue,
		const struct practice_actor *who, struct parity_error *err)
{
	char detail[64], *content;
	int rc;

	if (who->area_code && who->area_code[0])
		return parity_error_set(err, PARITY_ERR_DENIED, NULL, 0, 0,
					"London Councils' analysts keep issues "
					"of Race Matters, not councils");
	content = digest_issue_json(issue);
	if (!content)
		return parity_error_set(err, PARITY_ERR_INTERNAL, NULL, 0, 0,
					"the issue could not be written as "
					"JSON");
	if (store_begin(s, err) < 0) {
		free(content);
		return -1;
	}
	rc = digest_store_keep(s, issue->since, issue->until, content,
			       who->now, who->by, err);
	snprintf(detail, sizeof(detail), "Race Matters %s to %s",
		 issue->since, issue->until);
	if (rc == 0 && who->audit)
		rc = who->audit(who->audit_ctx, "digest.keep", "", 0, detail,
				err);
	free(content);
	if (rc < 0) {
		store_rollback(s);
		return -1;
	}
	return store_commit(s, err);
}

int digest_archive(struct store *s, struct digest_issue **out, size_t *n,
		   struct parity_error *err)
{
	struct digest_kept *kept = NULL;
	size_t nkept = 0, k;

	*out = NULL;
	*n = 0;
	if (digest_store_list(s, &kept, &nkept, err) < 0)
		return -1;
	if (nkept > 0)
		*out = xcalloc(nkept, sizeof(**out));
	for (k = 0; k < nkept; k++) {
		if (digest_issue_read(kept[k].content, &(*out)[k], err) < 0) {
			while (k-- > 0)
				digest_issue_release(&(*out)[k]);
			free(*out);
			*out = NULL;
			digest_kept_free(kept, nkept);
			return -1;
		}
	}
	*n = nkept;
	digest_kept_free(kept, nkept);
	return 0;
}
