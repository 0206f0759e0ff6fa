/*
 * site_internal.h - what the parts of the site writer share (site.c,
 * site_pages.c, site_downloads.c, site_release.c). Not part of the
 * library's interface: use site.h.
 *
 * struct site holds one publication while it is written: the protected
 * tables (never the raw ones: site.c frees those once disclosure control
 * has run), the release being made, and counters. A site is written as
 * one or more copies (struct site_copy): the release's own directory,
 * then DIR's top level.
 */
#ifndef PARITY_PUBLISH_SITE_INTERNAL_H
#define PARITY_PUBLISH_SITE_INTERNAL_H

#include "base/error.h"
#include "base/strbuf.h"
#include "domain/area.h"
#include "domain/service_def.h"
#include "publish/sdc.h"
#include "publish/site.h"
#include "publish/site_data.h"
#include "publish/table.h"

#include <stdbool.h>
#include <stddef.h>

/* ---- releases (site_release.c) ---- */

struct site_release_entry {
	int number;
	int year;
	char date[16];
	char *correction;   /* NULL for a first publication */
};

struct site_releases {
	struct site_release_entry *items;
	size_t count, cap;
};

/* Read DIR/releases.json; none there is an empty list. */
int site_releases_load(const char *dir, struct site_releases *out,
		       struct parity_error *err);
void site_releases_free(struct site_releases *r);
/* Check the rules for a new release of `year` and give its number. */
int site_release_next(const struct site_releases *r, int year,
		      const char *correction, int *number,
		      struct parity_error *err);
void site_releases_add(struct site_releases *r, int number, int year,
		       const char *date, const char *correction);
/* The latest release of `year`, or NULL. */
const struct site_release_entry *
site_release_latest(const struct site_releases *r, int year);
int site_releases_write(const char *dir, const struct site_releases *r,
			struct parity_error *err);

/*
 * The protected table called `name` (a download's base name, e.g.
 * "workforce-2024") as release `number` published it, read back from
 * DIR/releases/N/downloads/NAME.csv, for disclosure control to take into
 * account (struct sdc_options.priors), so that differencing across
 * releases cannot reveal a suppressed count. NULL on an error (then `err`
 * is set). The caller owns the table returned and frees it with
 * tidy_table_free() and free().
 */
struct tidy_table *site_release_table(const char *dir, int number,
				      const char *name,
				      struct parity_error *err);

/* ---- one publication ---- */

struct site_service_pub {
	const struct service_def *def;
	char period[16];
	struct tidy_table table;  /* protected; empty when held back */
	char held[512];           /* why it is held back, or "" */
};

struct site {
	const struct site_options *opt;
	const struct area_set *areas;
	const struct site_releases *releases; /* this release included */
	int release;
	const char *correction;    /* this release's, or NULL */
	struct tidy_table workforce;          /* protected */
	struct site_service_pub services[SITE_MAX_SERVICES];
	size_t nservices;
	struct sdc_summary sdc;
	/* what the release's own copy holds */
	size_t pages, downloads;
	unsigned long long bytes;
};

/* Where a copy of the site is written, and the path from its root to
 * DIR (for the corrections log and the releases): "" or "../../". */
struct site_copy {
	const char *dir;
	const char *top;
	bool counted;   /* count its pages and bytes in the summary */
};


/* Create `path` and its parents. */
int site_mkdirs(const char *path, struct parity_error *err);
/* Write `len` bytes to COPY/REL atomically (a temporary file renamed). */
int site_write_file(struct site *s, const struct site_copy *c,
		    const char *rel, const char *data, size_t len,
		    struct parity_error *err);

/* The pages (site_pages.c) and the downloads (site_downloads.c). */
int site_write_pages(struct site *s, const struct site_copy *c,
		     struct parity_error *err);
int site_write_downloads(struct site *s, const struct site_copy *c,
			 struct parity_error *err);
/* DIR/corrections.html from every release. */
int site_write_corrections(struct site *s, const struct site_copy *top,
			   struct parity_error *err);

/*
 * Begin and end a page of copy `c` whose path to the copy's root is `root`
 * ("" or "../"): the skeleton (html.h) with the site's navigation, the
 * release and, in a correction, its notice. `current` is the page's path
 * from the root, to mark in the navigation.
 */
void site_page_begin(const struct site *s, const struct site_copy *c,
		     struct strbuf *sb, const char *title, const char *root,
		     const char *current, const char *lead);
void site_page_end(const struct site *s, const struct site_copy *c,
		   struct strbuf *sb, const char *root);

/* The base names of the downloads: "workforce-2024",
 * "youth-justice-2023-24". */
void site_download_name(const struct site *s, size_t service, char *buf,
			size_t size);
#define SITE_WORKFORCE ((size_t)-1)

/* A borough's page name: its name in lower case, words joined by '-'. */
void site_slug(const char *name, char *buf, size_t size);

#endif
