/*
 * site_digest.c - the archive of Race Matters on the published site:
 * every issue kept in the store (practice/digest.h, digest_keep()), the
 * newest first, each as a page of the site and as the plain text that
 * was sent. An issue holds only what was public when it was made: the
 * approved practice, the Learning Lab's sessions, changes read from a
 * published, disclosure-controlled release, and counts of councils at
 * each level of the Standard.
 *
 * Owns struct site's digest (site_digest_release()). Every text of an
 * issue is escaped (html_escape()).
 *
 * Pages (paths from the copy's root):
 *   race-matters/index.html              every issue, the newest first
 *   race-matters/SINCE-to-UNTIL.html     one issue
 *   race-matters/SINCE-to-UNTIL.txt      the same, as plain text
 */
#include "site/site_internal.h"

#include "base/clock.h"
#include "site/html.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int site_digest_load(struct site *s, struct store *store,
		     struct parity_error *err)
{
	return digest_archive(store, &s->digest, &s->ndigest, err);
}

void site_digest_release(struct site *s)
{
	size_t k;

	for (k = 0; k < s->ndigest; k++)
		digest_issue_release(&s->digest[k]);
	free(s->digest);
	s->digest = NULL;
	s->ndigest = 0;
}

/* The issue's file name without its extension: "2026-01-01-to-2026-02-28". */
static void issue_name(const struct digest_issue *d, char *buf, size_t size)
{
	snprintf(buf, size, "%s-to-%s", d->since, d->until);
}

/* What an issue holds, in words: "3 practice records, 2 sessions and 1
 * change in the published figures". */
static void issue_contents(struct strbuf *sb, const struct digest_issue *d)
{
	const struct digest_summary *m = &d->summary;

	strbuf_addf(sb, "%zu practice record%s, %zu coming session%s and %zu "
			"change%s in the published figures",
		    m->practice, m->practice == 1 ? "" : "s", m->events,
		    m->events == 1 ? "" : "s", m->changes,
		    m->changes == 1 ? "" : "s");
}

/* The published changes from item `k` on, as a table: the change in
 * points, rising or falling, and the sentence. Returns the item after
 * them. */
static size_t changes_table(struct strbuf *sb, const struct digest_issue *d,
			    size_t k)
{
	strbuf_addstr(sb, "<div class=\"parity-table-wrap\" tabindex=\"0\" "
			  "role=\"region\" aria-label=\"Changes in the "
			  "published figures\">\n<table class=\"govuk-table "
			  "parity-table\">\n<caption class=\"govuk-table__"
			  "caption govuk-table__caption--m\">Changes in the "
			  "published figures larger than chance would explain"
			  "</caption>\n<thead class=\"govuk-table__head\"><tr "
			  "class=\"govuk-table__row\"><th scope=\"col\" class=\""
			  "govuk-table__header\">What changed</th><th scope=\""
			  "col\" class=\"govuk-table__header govuk-table__"
			  "header--numeric\">Change (percentage points)</th>"
			  "</tr></thead>\n<tbody class=\"govuk-table__body\">\n");
	for (; k < d->count && d->items[k].kind == DIGEST_CHANGE; k++) {
		strbuf_addstr(sb, "<tr class=\"govuk-table__row\"><th scope=\""
				  "row\" class=\"govuk-table__header\">");
		html_escape(sb, d->items[k].text);
		strbuf_addf(sb, "</th><td class=\"govuk-table__cell govuk-"
				"table__cell--numeric\">%+.1f</td></tr>\n",
			    d->items[k].value);
	}
	strbuf_addstr(sb, "</tbody>\n</table>\n</div>\n");
	return k;
}

static void issue_body(struct strbuf *sb, const struct digest_issue *d)
{
	size_t k = 0;
	bool in_list = false;

	while (k < d->count) {
		const struct digest_item *it = &d->items[k];

		if (in_list && it->kind != DIGEST_ENTRY) {
			strbuf_addstr(sb, "</ul>\n");
			in_list = false;
		}
		switch (it->kind) {
		case DIGEST_SECTION:
			html_heading(sb, 2, it->text);
			break;
		case DIGEST_ENTRY:
			if (!in_list)
				strbuf_addstr(sb, "<ul class=\"govuk-list "
						  "govuk-list--bullet\">\n");
			in_list = true;
			strbuf_addstr(sb, "<li><strong>");
			html_escape(sb, it->text);
			strbuf_addstr(sb, "</strong>: ");
			html_escape(sb, it->detail);
			strbuf_addstr(sb, "</li>\n");
			break;
		case DIGEST_CHANGE:
			k = changes_table(sb, d, k);
			continue;
		case DIGEST_TEXT:
			strbuf_addstr(sb, "<p class=\"govuk-body\">");
			html_escape(sb, it->text);
			strbuf_addstr(sb, "</p>\n");
			break;
		case DIGEST_NOTE:
			strbuf_addstr(sb, "<p class=\"govuk-body-s\">");
			html_escape(sb, it->text);
			strbuf_addstr(sb, "</p>\n");
			break;
		}
		k++;
	}
	if (in_list)
		strbuf_addstr(sb, "</ul>\n");
}

static int issue_page(struct site *s, const struct site_copy *c,
		      const struct digest_issue *d, struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT, text = STRBUF_INIT;
	char name[32], rel[64], title[128];
	int rc;

	issue_name(d, name, sizeof(name));
	digest_title(d, title, sizeof(title));
	digest_write_text(d, &text);
	snprintf(rel, sizeof(rel), "race-matters/%s.txt", name);
	if (site_write_file(s, c, rel, text.buf, text.len, err) < 0) {
		strbuf_release(&text);
		return -1;
	}
	site_page_begin(s, c, &sb, title, "../", "race-matters/index.html",
			"The digest of London Councils' programme on racial "
			"inequality, for borough staff.");
	issue_body(&sb, d);
	strbuf_addf(&sb, "<p class=\"govuk-body\"><a class=\"govuk-link\" "
			 "href=\"%s.txt\" download>This issue as plain text</a> "
			 "(", name);
	html_file_size(&sb, text.len);
	strbuf_addstr(&sb, ")</p>\n<p class=\"govuk-body\"><a class=\"govuk-"
			   "link\" href=\"index.html\">Every issue</a></p>\n");
	snprintf(rel, sizeof(rel), "race-matters/%s.html", name);
	rc = site_page_finish(s, c, &sb, "../", rel, err);
	strbuf_release(&sb);
	strbuf_release(&text);
	return rc;
}

static int archive_index(struct site *s, const struct site_copy *c,
			 struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	char name[32], title[128];
	size_t k;
	int rc;

	site_page_begin(s, c, &sb, "Race Matters", "../",
			"race-matters/index.html",
			"Race Matters is the digest of London Councils' "
			"programme on racial inequality, sent to borough staff: "
			"new practice, coming Learning Lab sessions, changes "
			"in the published figures and the Racial Equality "
			"Standard. Every issue, the newest first.");
	strbuf_addstr(&sb, "<ul class=\"govuk-list\">\n");
	for (k = 0; k < s->ndigest; k++) {
		const struct digest_issue *d = &s->digest[k];

		issue_name(d, name, sizeof(name));
		digest_title(d, title, sizeof(title));
		strbuf_addf(&sb, "<li><a class=\"govuk-link\" href=\"%s.html\">",
			    name);
		html_escape(&sb, title);
		strbuf_addstr(&sb, "</a><br><span class=\"govuk-body-s\">");
		issue_contents(&sb, d);
		strbuf_addstr(&sb, "</span></li>\n");
	}
	strbuf_addstr(&sb, "</ul>\n");
	rc = site_page_finish(s, c, &sb, "../", "race-matters/index.html", err);
	strbuf_release(&sb);
	return rc;
}

int site_write_digest(struct site *s, const struct site_copy *c,
		      struct parity_error *err)
{
	size_t k;

	if (s->ndigest == 0)
		return 0;
	if (archive_index(s, c, err) < 0)
		return -1;
	for (k = 0; k < s->ndigest; k++)
		if (issue_page(s, c, &s->digest[k], err) < 0)
			return -1;
	return 0;
}
