/*
 * site_tables.h - a CSV beside every table of the published site: where
 * a page's tables go as they are drawn (site_tables.c). Like
 * site_internal.h, not part of the library's interface.
 *
 * A page that draws tables of figures opens a struct site_tables for
 * itself (site_tables_begin()) and passes it down to whatever draws its
 * tables; each table, once drawn, is handed to site_tables_add() with the
 * rows it shows. That writes those rows, and nothing else, as a tidy CSV
 * (render.c's, as every download: "[c]" where a figure is withheld) to
 *
 *   downloads/tables/DATASET/PAGE/CAPTION-release-N.csv
 *
 * in the copy being written: DATASET the download the rows come from
 * ("workforce-2024", "youth-justice-2023-24"; `parity check-disclosure`
 * reads a file under tables/DATASET/ as a part of that dataset), PAGE
 * the page's path less ".html" ("boroughs/brent", "index"), CAPTION the
 * table's caption as a slug, and N the release; and it appends a link
 * to it under the table, naming the table, the format and the size. The
 * rows come only from the site's protected tables, so the file holds
 * only published figures.
 *
 * Errors are values: site_tables_add() returns -1 and fills the error
 * given to site_tables_begin(); the sink keeps that first failure, draws
 * no further link and writes no further file, and site_tables_end()
 * returns it, so a page whose tables could not all be written is never
 * written either. Code drawing tables for the hub passes NULL: no file,
 * no link.
 *
 * Ownership: the sink borrows the site, the copy and the error, and owns
 * its list of the file names given on the page (freed by
 * site_tables_end()).
 */
#ifndef PARITY_SITE_SITE_TABLES_H
#define PARITY_SITE_SITE_TABLES_H

#include "base/error.h"
#include "base/strbuf.h"
#include "site/html.h"
#include "site/site_internal.h"
#include "table/table.h"

#include <stddef.h>

/* The folder of the per-table CSVs, from the copy's root. */
#define SITE_TABLES_DIR "downloads/tables"

struct site_tables {
	struct site *site;
	const struct site_copy *copy;
	char dataset[128];      /* "workforce-2024" */
	char page[192];         /* "boroughs/brent" */
	char root[16];          /* from the page to the copy's root: "../" */
	char **names;           /* the file names given on the page */
	size_t nnames, cap;
	int status;             /* 0, or -1 after the first failure */
	struct parity_error *err;
};

/*
 * Open the sink of the page at `page_rel` ("boroughs/brent.html") of copy
 * `c`, whose path to the copy's root is `root`, for tables of rows of
 * `service` (an index into s->services, or SITE_WORKFORCE): its download
 * (site_download_name(), "workforce-2024") names the folder. Failures
 * are told in `err`.
 */
void site_tables_begin(struct site_tables *tt, struct site *s,
		       const struct site_copy *c, const char *page_rel,
		       const char *root, size_t service,
		       struct parity_error *err);

/*
 * The table just drawn into `sb` from rows `rows` (indices into `t`, in
 * the order shown) under `spec`: write them as a CSV, with the rows its
 * companion columns show beside each (html_companion(): a ratio's shares
 * of staff and residents), and append the link to it. `spec` gives the
 * caption and columns; its columns may be none. Nothing when `tt` is NULL
 * or `nrows` is 0. Returns 0, or -1 with the error told (and kept).
 */
int site_tables_add(struct site_tables *tt, struct strbuf *sb,
		    const struct tidy_table *t, const size_t *rows,
		    size_t nrows, const struct html_table_spec *spec);

/* Free what the sink owns; returns its status: 0, or -1 when a table's
 * file could not be written (the error was told then). */
int site_tables_end(struct site_tables *tt);

#endif
