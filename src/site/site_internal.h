/*
 * site_internal.h - what the parts of the site writer share (site.c,
 * site_pages.c, site_downloads.c, site_release.c, site_standard.c,
 * site_practice.c, site_tables.c, site_services.c, site_attainment.c).
 * Not part of the
 * library's interface: use site.h.
 *
 * struct site holds one publication while it is written: the protected
 * tables (never the raw ones: site.c frees those once disclosure control
 * has run), the release being made, and counters. A site is written as
 * two copies (struct site_copy), each into a staging folder of its own:
 * the release's own (renamed to DIR/releases/N) and the copy shown at
 * DIR's top level (renamed to DIR/top/N, then made live by one rename of
 * the link DIR/current). docs/publishing.md describes the layout.
 *
 * Every file of a copy is listed, before it is created, in the copy's
 * manifest (SITE_MANIFEST, one path a line, relative to the copy's root):
 * the only files parity ever deletes are ones a manifest lists.
 */
#ifndef PARITY_SITE_SITE_INTERNAL_H
#define PARITY_SITE_SITE_INTERNAL_H

#include "base/error.h"
#include "base/strbuf.h"
#include "domain/area.h"
#include "domain/service_def.h"
#include "sdc/sdc.h"
#include "site/site.h"
#include "site/site_data.h"
#include "site/svg.h"
#include "standard/framework.h"
#include "practice/digest.h"
#include "store/practice_store.h"
#include "table/table.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* ---- releases (site_release.c) ---- */

/* The highest release number parity gives or reads. */
#define SITE_RELEASE_MAX 999999

struct site_release_entry {
	int number;
	int year;
	char date[16];
	char *correction;   /* NULL for a first publication */
	/* DIR/releases/N as it was when the list was read: whether it was a
	 * directory, and which (so that a release rewritten is caught). */
	bool found;
	unsigned long long dev, ino;
};

struct site_releases {
	struct site_release_entry *items;
	size_t count, cap;
};

/*
 * Read the list of releases at `path` (named so in messages), checking
 * every entry: "release" a whole number from 1 to SITE_RELEASE_MAX and
 * listed once, "year" from SITE_YEAR_MIN to SITE_YEAR_MAX, "date" a date
 * (site_date_valid()), "correction" text or null, and "latest" the highest
 * release listed. A value out of range is refused with the file and the
 * entry named, never cut to fit. Each entry's `found`, `dev` and `ino`
 * describe DIR/releases/N, DIR being `dir`. A file that does not exist is
 * an empty list.
 */
int site_releases_read(const char *path, const char *dir,
		       struct site_releases *out, struct parity_error *err);
/* site_releases_read() of DIR/releases.json. */
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
/* The highest release number listed, or 0 for none. */
int site_releases_highest(const struct site_releases *r);
/*
 * The text of releases.json for `r`, or NULL when Jansson fails (then
 * `err` is set: no entry is ever left out). The caller frees it.
 */
char *site_releases_json(const struct site_releases *r,
			 struct parity_error *err);
/*
 * Read back the releases.json written at `path` and prove it: it lists
 * exactly the releases of `want`, in order, with the same year, date and
 * correction, and "latest" the highest; DIR/releases/N (DIR being `dir`)
 * is a directory for every one; and each of the first `kept` releases of
 * `want` (those published before) is the same directory it was when
 * `want` was read, so none has been deleted or rewritten.
 */
int site_releases_verify(const char *path, const char *dir,
			 const struct site_releases *want, size_t kept,
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

/* ---- text and files (site.c) ---- */

/*
 * Check text bound for the site's JSON, XML and HTML (the correction
 * note): well-formed UTF-8 (utf8.h), with no control character but tab
 * and line feed and no noncharacter U+FFFE or U+FFFF (XML 1.0 allows
 * neither). `what` names it in the message ("--correction").
 */
int site_text_check(const char *what, const char *text,
		    struct parity_error *err);

/* The name of a copy's manifest, in the copy's root. */
#define SITE_MANIFEST ".parity-manifest"
/* What a file is called while it is written, before it is renamed. */
#define SITE_TEMP_SUFFIX ".tmp"

/*
 * The manifest of the copy being written: each file is listed (and the
 * list flushed) before the file is created, so that even a publication
 * killed part way leaves a list of everything it wrote.
 */
struct site_journal {
	FILE *file;
	char **dirs;        /* the copy's directories, to sync at the end */
	size_t ndirs, cap;
};

/*
 * Remove the copy of the site at `path`: each file its manifest lists
 * (and the same name with SITE_TEMP_SUFFIX), only if it is a regular file
 * and reached without passing through a symbolic link; then its folders,
 * where they are left empty; then the manifest and `path` itself. Nothing
 * else is touched, nothing is followed through a link, and nothing is
 * removed when `path` has no manifest. Returns 0 when `path` is gone (or
 * never was), 1 when something parity did not write is left in it, -1 on
 * an error.
 */
int site_remove_listed(const char *path, struct parity_error *err);

/* ---- one publication ---- */

struct site_service_pub {
	const struct service_def *def;
	char period[16];
	struct tidy_table table;  /* protected; empty when held back */
	char held[512];           /* why it is held back, or "" */
};

/* Attainment (site_attainment.c): the academic year that ends in the
 * data year, with the years before it that its trend rests on; London,
 * Inner and Outer London, every borough with a return, the partnerships
 * and groups of boroughs, protected together. `present` is false when the
 * store holds no attainment return for the year: then there is no page,
 * no link and no download. */
struct site_attainment_pub {
	bool present;
	char period[16];          /* '2023-24' */
	struct tidy_table table;  /* protected; empty when held back */
	char held[512];           /* why it is held back, or "" */
};

/* Room for the frameworks built in, and the related practice a record's
 * page lists. */
#define SITE_MAX_FRAMEWORKS 8
#define SITE_PRACTICE_RELATED 5

/* A framework's place in the release (site_standard.c): London's
 * distribution (counts of councils, not personal data, so not through
 * disclosure control) and the levels of the councils that opted to
 * share. Only frameworks some council submitted for the year. */
struct site_standard_pub {
	const struct framework *framework;  /* in struct site's set */
	size_t submitted;                   /* councils that submitted */
	struct tidy_table distribution;
	struct tidy_table named;
};

/* An approved practice record (site_practice.c): its newest approved
 * version, and the records related to it. */
struct site_practice_pub {
	struct practice_row row;
	int64_t related[SITE_PRACTICE_RELATED];
	size_t nrelated;
	struct practice_attachment_row *docs;  /* its documents, without
						* their bytes */
	size_t ndocs;
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
	struct site_attainment_pub attainment;
	struct sdc_summary sdc;
	/* the Standard and the approved practice; none when nothing was
	 * submitted or approved */
	struct framework_set *frameworks;
	struct site_standard_pub standards[SITE_MAX_FRAMEWORKS];
	size_t nstandards;
	struct site_practice_pub *practice;
	size_t npractice;
	/* the archive of Race Matters, the newest first (site_digest.c) */
	struct digest_issue *digest;
	size_t ndigest;
	/* the store, borrowed: the approved practice's documents are read
	 * from it as each copy is written, one at a time */
	struct store *store;
	/* what the release's own copy holds */
	size_t pages, downloads;
	unsigned long long bytes;
	/* the manifest of the copy being written, or NULL for none */
	struct site_journal *journal;
};

/* Where a copy of the site is written (its staging folder), and the path
 * from where it is served to DIR (for the corrections log and the
 * releases): "" for the top level's copy, "../../" for DIR/releases/N. */
struct site_copy {
	const char *dir;
	const char *top;
	bool counted;   /* count its pages and bytes in the summary */
};


/* Create `path` and its parents. */
int site_mkdirs(const char *path, struct parity_error *err);
/*
 * Write `len` bytes to COPY/REL atomically: listed in the manifest, then
 * written to a temporary file, synced, and renamed.
 */
int site_write_file(struct site *s, const struct site_copy *c,
		    const char *rel, const char *data, size_t len,
		    struct parity_error *err);
/*
 * For a file written by another writer (the workbook): list COPY/REL in
 * the manifest and make its folder; then, once the writer has written
 * COPY/REL + SITE_TEMP_SUFFIX, site_file_commit() syncs and renames it.
 */
int site_file_begin(struct site *s, const struct site_copy *c,
		    const char *rel, struct parity_error *err);
int site_file_commit(struct site *s, const struct site_copy *c,
		     const char *rel, struct parity_error *err);

/* The licence every figure is published under. */
#define SITE_OGL_URL                                                       \
	"https://www.nationalarchives.gov.uk/doc/open-government-licence/" \
	"version/3/"

/* The release's next update, YYYY-MM-DD: --next-update, or a year after
 * the publication date (28 February for 29 February). */
void site_next_update(const struct site *s, char *buf, size_t size);
/* Where readers write: the https address, or mailto: and the address of
 * --contact; London Councils' website by default. */
void site_contact_href(const struct site *s, char *buf, size_t size);
/* Where the CSV of area `a`'s workforce rows alone is, from the release's
 * top ("downloads/areas/workforce-2024/brent-workforce-2024.csv": the
 * folder names the dataset, for `parity check-disclosure`); written only
 * for an area with rows. */
void site_area_download_rel(const struct site *s, const struct area *a,
			    char *buf, size_t size);
/* Where a reader of area `a`'s page (one folder below the release's top)
 * finds its figures: the CSV of its rows alone, with its size, when it
 * has rows, and the downloads of all London's. */
void site_area_download(struct strbuf *sb, const struct site *s,
			const struct site_copy *c, const struct area *a);
/* The workbook's file name, for the year and release
 * ("london-race-equality-2024-release-2.xlsx"). */
void site_workbook_name(const struct site *s, char *buf, size_t size);

/* The glossary (site_glossary.c): its page; the anchor of the term that
 * defines registry measure `measure`, or NULL; and a link to a term,
 * `root` the path from the page to the release's top. */
int site_write_glossary(struct site *s, const struct site_copy *c,
			struct parity_error *err);
const char *site_glossary_anchor(const char *measure);
void site_glossary_link(struct strbuf *sb, const char *root,
			const char *anchor, const char *text);

/* The pages (site_pages.c) and the downloads (site_downloads.c). */
int site_write_pages(struct site *s, const struct site_copy *c,
		     struct parity_error *err);
int site_write_downloads(struct site *s, const struct site_copy *c,
			 struct parity_error *err);
/* The corrections log from every release, in the top level's copy. */
int site_write_corrections(struct site *s, const struct site_copy *top,
			   struct parity_error *err);

/*
 * The Standard's part of the release (site_standard.c): gather it from
 * `store` for the year published, write its pages (standard.html and
 * standard/ID.html) and its downloads (downloads/standard-ID-YEAR.csv),
 * and free it. Nothing is written when no council submitted.
 */
int site_standard_load(struct site *s, struct store *store,
		       struct parity_error *err);
int site_write_standard(struct site *s, const struct site_copy *c,
			struct parity_error *err);
int site_write_standard_downloads(struct site *s, const struct site_copy *c,
				  struct parity_error *err);
void site_standard_release(struct site *s);
/* The base name of framework `k`'s download: "standard-ID-YEAR". */
void site_standard_download_name(const struct site *s, size_t k, char *buf,
				 size_t size);

/*
 * The approved practice (site_practice.c): gather it from `store`, write
 * practice/index.html, practice/N.html and the prebuilt indexes
 * practice/tag/SLUG.html and practice/area/SLUG.html, and free it.
 * Nothing is written when no record is approved.
 */
int site_practice_load(struct site *s, struct store *store,
		       struct parity_error *err);
int site_write_practice(struct site *s, const struct site_copy *c,
			struct parity_error *err);
void site_practice_release(struct site *s);

/*
 * The archive of Race Matters (site_digest.c): gather every issue kept
 * from `store`, write race-matters/index.html and each issue's page and
 * plain text, and free them. Nothing is written when none is kept.
 */
int site_digest_load(struct site *s, struct store *store,
		     struct parity_error *err);
int site_write_digest(struct site *s, const struct site_copy *c,
		      struct parity_error *err);
void site_digest_release(struct site *s);

/* Write table `t` as a tidy CSV to COPY/REL (site_downloads.c); its size
 * in bytes to *size when `size` is not NULL. */
int site_write_csv(struct site *s, const struct site_copy *c,
		   const char *rel, const struct tidy_table *t,
		   unsigned long long *size, struct parity_error *err);

/*
 * Begin and end a page of copy `c` whose path to the copy's root is `root`
 * ("" or "../"): the skeleton (html.h) with the site's navigation, the
 * release and, in a correction, its notice. `current` is the page's path
 * from the root, to mark in the navigation.
 */
void site_page_begin(const struct site *s, const struct site_copy *c,
		     struct strbuf *sb, const char *title, const char *root,
		     const char *current, const char *lead);
/* The same with a page's own 'Things you need to know' (`npoints`
 * sentences, borrowed until the call returns) in place of the
 * workforce's, as the attainment pages have. */
void site_page_begin_points(const struct site *s, const struct site_copy *c,
			    struct strbuf *sb, const char *title,
			    const char *root, const char *current,
			    const char *lead, const char *const *points,
			    size_t npoints);
void site_page_end(const struct site *s, const struct site_copy *c,
		   struct strbuf *sb, const char *root);
/* site_page_end(), then the page written to COPY/REL. */
int site_page_finish(struct site *s, const struct site_copy *c,
		     struct strbuf *sb, const char *root, const char *rel,
		     struct parity_error *err);

/* The base names of the downloads: "workforce-2024",
 * "youth-justice-2023-24", "attainment-2023-24"; `service` an index into
 * s->services, SITE_WORKFORCE or SITE_ATTAINMENT. */
void site_download_name(const struct site *s, size_t service, char *buf,
			size_t size);
#define SITE_WORKFORCE ((size_t)-1)
#define SITE_ATTAINMENT ((size_t)-2)

/* A borough's page name: its name in lower case, words joined by '-'. */
void site_slug(const char *name, char *buf, size_t size);

/* Row numbers of a table, chosen by site_rows_select(); `at` is the
 * caller's to free. */
struct site_rows {
	size_t *at;
	size_t n, cap;
};

/* No year asked for: site_rows_select() takes rows of every year. */
#define SITE_ANY_YEAR 0

/* Rows of `measure` in `year` (SITE_ANY_YEAR: any), and of `area`,
 * `breakdown` and `group` when not NULL, into `rs` (emptied first). */
void site_rows_select(const struct tidy_table *t, const char *measure,
		      int year, const char *area, const char *breakdown,
		      const char *group, struct site_rows *rs);

/* The rows of area `code` of `t`, copied into `out` (initialised here;
 * the caller frees it with tidy_table_free()). */
void site_area_table(const struct tidy_table *t, const char *code,
		     struct tidy_table *out);

/* The columns and headings of a borough's own places against London on
 * its funnel plots (each funnel_position row: the measure, the group,
 * the borough's figure, London's, the range expected at the borough's
 * precision, and where it lies): the service and attainment pages',
 * captioned `caption` (not copied), into `spec`. */
struct html_table_spec;
void site_place_spec(struct html_table_spec *spec, const char *caption);

/* Whether `t` has a row of `measure` for area `code` in `year`
 * (SITE_ANY_YEAR: any). */
bool site_table_has_area(const struct tidy_table *t, const char *code,
			 const char *measure, int year);

/* The boroughs with such a row in `t`, by name, into `out` (room for
 * every area); returns how many. */
size_t site_boroughs_in(const struct site *s, const struct tidy_table *t,
			const char *measure, int year,
			const struct area **out);

/* ---- the building blocks of site_pages.c, for the other page files ---- */

struct findings;
struct html_table_spec;
struct site_tables;

/* Key findings, headed (id: the heading's); `none` when there are none. */
void site_findings_block(struct strbuf *sb, const struct findings *f,
			 const char *id, const char *none);
/* A paragraph of text, escaped. */
void site_para(struct strbuf *sb, const char *text);
/* A chart's text alternative: `what`, then each row's figure in words. */
void site_describe(const struct tidy_table *t, size_t *rows, size_t n,
		   enum svg_label label, const char *what, char *buf,
		   size_t size);
/* Each table below is followed by the link to the CSV of its rows, which
 * `tt` writes (site_tables.h; NULL: neither, as in the hub). */
/* A dot and whisker chart with its legend, beside the table of the same
 * rows. */
void site_dot_figure(struct strbuf *sb, const struct tidy_table *t,
		     size_t *rows, size_t n, const struct svg_chart *chart,
		     const struct html_table_spec *spec, const char *above,
		     const char *below, struct site_tables *tt);
/* A table alone, in its scrolling wrapper. */
void site_table_only(struct strbuf *sb, const struct tidy_table *t,
		     size_t *rows, size_t n,
		     const struct html_table_spec *spec,
		     struct site_tables *tt);
/* A funnel plot of ratios (funnel_position rows of `t`) against London's,
 * the finding in words first and the table after; `highlight` the code of
 * the area whose page it is, or NULL. Sorts `rows` by area name. */
void site_funnel_figure(struct strbuf *sb, const struct tidy_table *t,
			size_t *rows, size_t n, const char *id,
			const char *title, const char *axis,
			const char *highlight, struct site_tables *tt);
/* The same of differences (attainment gaps, in points): each placed by
 * the precision of its difference, the limits London's figure -/+ z / that
 * precision. */
void site_funnel_gap_figure(struct strbuf *sb, const struct tidy_table *t,
			    size_t *rows, size_t n, const char *id,
			    const char *title, const char *axis,
			    const char *highlight, struct site_tables *tt);

/* ---- services (site_services.c) ---- */

/* services.html, each service's London page and its boroughs' pages. */
int site_write_services(struct site *s, const struct site_copy *c,
			struct parity_error *err);
/* A borough page's section linking to the borough's service pages (none
 * when no service has figures for it). */
void site_borough_services(struct strbuf *sb, const struct site *s,
			   const struct area *a);

/* ---- attainment (site_attainment.c) ---- */

/* attainment.html and attainment/SLUG.html for each borough with a
 * return; nothing when the store holds no attainment for the year. */
int site_write_attainment(struct site *s, const struct site_copy *c,
			  struct parity_error *err);
/* A borough page's section linking to its attainment page (none when it
 * has no figures). */
void site_borough_attainment(struct strbuf *sb, const struct site *s,
			     const struct area *a);

#endif
