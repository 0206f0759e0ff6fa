/*
 * site_tables.c - a CSV beside every table of the published site (see
 * site_tables.h): the rows a table shows, written as a tidy CSV in the
 * release's downloads, and the link to it under the table.
 *
 * It owns only the sink's list of the names given on a page; the rows
 * are copied, for the length of one call, from the table they are drawn
 * from, which is always one of struct site's protected tables.
 */
#include "site/site_tables.h"

#include "base/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The longest slug taken from a caption: a file name stays readable and
 * well within any file system's limit. */
#define CAPTION_SLUG_MAX 160

void site_tables_begin(struct site_tables *tt, struct site *s,
		       const struct site_copy *c, const char *page_rel,
		       const char *root, size_t service,
		       struct parity_error *err)
{
	size_t n = strlen(page_rel);

	memset(tt, 0, sizeof(*tt));
	tt->site = s;
	tt->copy = c;
	tt->err = err;
	site_download_name(s, service, tt->dataset, sizeof(tt->dataset));
	if (n > 5 && strcmp(page_rel + n - 5, ".html") == 0)
		n -= 5;
	snprintf(tt->page, sizeof(tt->page), "%.*s", (int)n, page_rel);
	snprintf(tt->root, sizeof(tt->root), "%s", root);
}

static bool name_taken(const struct site_tables *tt, const char *name)
{
	size_t k;

	for (k = 0; k < tt->nnames; k++)
		if (strcmp(tt->names[k], name) == 0)
			return true;
	return false;
}

/*
 * The file of the table captioned `caption`, from the copy's root, into
 * `buf`: the caption as a slug, cut to CAPTION_SLUG_MAX at a word, and
 * "-2", "-3", ... when the page already has a table of that name. The
 * name is taken.
 */
static void table_rel(struct site_tables *tt, const char *caption,
		      char *buf, size_t size)
{
	char slug[CAPTION_SLUG_MAX + 2], name[CAPTION_SLUG_MAX + 16];
	size_t n, k;

	site_slug(caption, slug, sizeof(slug));
	n = strlen(slug);
	if (n + 3 >= sizeof(slug)) {
		/* cut: end at a whole word */
		while (n > 0 && slug[n - 1] != '-')
			n--;
		while (n > 0 && slug[n - 1] == '-')
			n--;
		slug[n] = '\0';
	}
	if (!slug[0])
		snprintf(slug, sizeof(slug), "table");
	snprintf(name, sizeof(name), "%s", slug);
	for (k = 2; name_taken(tt, name); k++)
		snprintf(name, sizeof(name), "%s-%zu", slug, k);
	tt->names = xgrow(tt->names, &tt->cap, tt->nnames + 1,
			  sizeof(*tt->names));
	tt->names[tt->nnames++] = xstrdup(name);
	snprintf(buf, size, SITE_TABLES_DIR "/%s/%s/%s-release-%d.csv",
		 tt->dataset, tt->page, name, tt->site->release);
}

/* The rows shown, in order, each followed by the rows its companion
 * columns show beside it. */
static void shown_rows(const struct tidy_table *t, const size_t *rows,
		       size_t nrows, const struct html_table_spec *spec,
		       struct tidy_table *out)
{
	size_t k, c;

	for (k = 0; k < nrows; k++) {
		const struct tidy_row *r = &t->rows[rows[k]];

		tidy_table_append_row(out, r);
		for (c = 0; c < spec->ncolumns; c++) {
			const struct tidy_row *o =
				html_companion(t, r, spec->columns[c]);

			if (o)
				tidy_table_append_row(out, o);
		}
	}
}

int site_tables_add(struct site_tables *tt, struct strbuf *sb,
		    const struct tidy_table *t, const size_t *rows,
		    size_t nrows, const struct html_table_spec *spec)
{
	struct tidy_table out;
	unsigned long long size = 0;
	char rel[768];
	int rc;

	if (!tt || nrows == 0)
		return 0;
	if (tt->status < 0)
		return -1;
	table_rel(tt, spec->caption, rel, sizeof(rel));
	tidy_table_init(&out);
	shown_rows(t, rows, nrows, spec, &out);
	rc = site_write_csv(tt->site, tt->copy, rel, &out, &size, tt->err);
	tidy_table_free(&out);
	if (rc < 0) {
		tt->status = -1;
		return -1;
	}
	strbuf_addstr(sb, "<p class=\"govuk-body-s parity-table-download\">"
			  "<a class=\"govuk-link\" href=\"");
	html_escape(sb, tt->root);
	html_escape(sb, rel);
	strbuf_addstr(sb, "\">Download this table (CSV, ");
	html_file_size(sb, size);
	strbuf_addstr(sb, ")<span class=\"govuk-visually-hidden\">: ");
	html_escape(sb, spec->caption);
	strbuf_addstr(sb, "</span></a></p>\n");
	return 0;
}

int site_tables_end(struct site_tables *tt)
{
	size_t k;

	for (k = 0; k < tt->nnames; k++)
		free(tt->names[k]);
	free(tt->names);
	tt->names = NULL;
	tt->nnames = tt->cap = 0;
	return tt->status;
}
