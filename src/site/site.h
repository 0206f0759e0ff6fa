/*
 * site.h - the published website: a numbered release of static pages and
 * downloads, written from the store, every figure disclosure-controlled.
 *
 * site_publish() gathers the year's tables (site_data.h), passes each
 * through sdc_protect_table() - the one way any figure leaves parity for
 * the public - and writes, for release N:
 *
 *   DIR/releases/N/            the release, complete and never rewritten:
 *     index.html               London overview
 *     boroughs/SLUG.html       one page per borough and the City (33)
 *     measures/INDEX.html       pages comparing boroughs, one per measure
 *                              (funnel plots, not league tables)
 *     services.html, services/NAME.html
 *     attainment.html, attainment/SLUG.html   attainment by ethnic group,
 *                              when the store holds returns for the
 *                              academic year ending in the data year
 *     standard.html, standard/ID.html   the Racial Equality Standard,
 *                              when a council submitted for the year
 *     practice/index.html, practice/N.html, practice/tag/SLUG.html,
 *     practice/area/SLUG.html   the approved practice, when any is
 *     methodology.html, downloads.html
 *     downloads/NAME.csv        a tidy CSV per table, each with a CSVW
 *                              NAME.csv-metadata.json beside it
 *     downloads/tables/NAME/PAGE/CAPTION-release-N.csv   the rows of one
 *                              table of a page, linked beside it
 *                              (site_tables.h)
 *     downloads/parity-YEAR.xlsx
 *     parity.css               the stylesheet (embedded in the binary)
 *   DIR/top/N/                 the same pages, linked for DIR's top level,
 *                              with corrections.html (the corrections log,
 *                              every release) and releases.json
 *   DIR/current -> top/N       the one link that makes a release live
 *   DIR/index.html -> current/index.html, DIR/boroughs -> current/boroughs,
 *   ... and DIR/releases.json -> current/releases.json: so DIR/index.html
 *                              is always the latest
 *
 * Both copies are written in staging folders, each file synced, and
 * renamed into place when complete; the site changes from one release to
 * the next with one rename of DIR/current, so a publication that fails or
 * is killed at any point leaves the live site as it was, whole. Parity
 * publishes only into an empty folder or a site it published; it deletes
 * only files it wrote (listed in a copy's manifest), never through a
 * symbolic link, and never a release releases.json lists.
 *
 * Releases are numbered 1, 2, ... across years. A year that already has a
 * release may be published again only as a correction (opt->correction
 * says what changed): the new release carries a visible correction notice
 * on every page and an entry in the log. Earlier releases stay where they
 * are. docs/publishing.md describes the site and its guarantees.
 *
 * Ownership: the caller owns the store and everything in `opt`.
 */
#ifndef PARITY_SITE_SITE_H
#define PARITY_SITE_SITE_H

#include "base/error.h"
#include "base/strbuf.h"
#include "sdc/sdc.h"

#include <stdbool.h>
#include <stddef.h>

struct service_def;
struct site_tables;

struct store;

/* The data years a site may publish (and releases.json may hold). */
#define SITE_YEAR_MIN 1900
#define SITE_YEAR_MAX 2200

struct site_options {
	const char *dir;          /* where the site lives (created if new) */
	int year;                 /* the data year: workforce at 31 March;
				   * services for the year ending then */
	struct sdc_options sdc;   /* threshold and rounding */
	const char *correction;   /* what a correction changes, or NULL;
				   * UTF-8 text (site_publish() refuses
				   * anything else before writing) */
	const char *date;         /* the publication date, YYYY-MM-DD */
	const char *next_update;  /* when the next release is due,
				   * YYYY-MM-DD; NULL: a year after `date` */
	const char *contact;      /* where readers write: an email address
				   * or an https address; NULL: London
				   * Councils' website */
	bool by_sex;              /* the workforce pages' breakdown by sex */
};

struct site_summary {
	int release;              /* the number given to this release */
	size_t pages;             /* HTML pages written in the release */
	size_t downloads;         /* CSV, metadata and workbook files */
	unsigned long long bytes; /* bytes of the release directory */
	struct sdc_summary sdc;   /* disclosure control of the workforce */
	size_t services_published;
	size_t services_held;     /* held back: see docs/publishing.md */
	/* attainment: the academic year published ('2023-24'), "" when the
	 * store holds none for it; held back whole, as a service can be */
	char attainment_period[16];
	bool attainment_held;
};

void site_options_init(struct site_options *opt);

/* Whether `date` is a date of the calendar written YYYY-MM-DD, the year
 * from 1900 to 9999. */
bool site_date_valid(const char *date);

/* Whether `contact` is an email address (one '@', a dot after it, no
 * space, quote, angle bracket, colon or slash) or an https:// address. */
bool site_contact_valid(const char *contact);

/*
 * Check `opt` before anything is opened or written: a folder, the year in
 * range, the date valid, and the correction note UTF-8 text a web page,
 * JSON and a workbook can hold (no control character but tab and line
 * breaks). Fails with PARITY_ERR_USAGE saying what is wrong (for a
 * correction, at which byte). site_publish() checks the same first.
 */
int site_options_check(const struct site_options *opt,
		       struct parity_error *err);

/*
 * Publish release N (one more than the last in DIR/releases.json). Fails
 * with PARITY_ERR_USAGE when the year has a release and no correction is
 * given, or a correction is given for a year with none, or the correction
 * or date is not valid text, or DIR is neither empty nor a site parity
 * published; with PARITY_ERR_PARSE when releases.json is damaged (the
 * file and entry named); with the error of disclosure control when it
 * refuses the release; and on I/O errors. On failure, no release is
 * recorded and the live site is as it was before.
 */
int site_publish(struct store *store, const struct site_options *opt,
		 struct site_summary *summary, struct parity_error *err);

/*
 * The workforce part of an area's page, as a borough's page of the site
 * has it: its findings in words, then who works for it, representation
 * against residents, ethnicity not recorded, pay and the relative
 * likelihoods, each a chart beside the table of its figures. From the
 * rows of area `code` in `t`, a workforce tidy table (protected for the
 * site; the hub gives a council its own unprotected). `id_prefix` makes
 * the charts' ids unique in the page. Appends to `sb`. On the site, `tt`
 * writes the CSV of each table's rows and links it beside the table
 * (site_tables.h); the hub passes NULL, for neither: its tables are
 * never written anywhere.
 */
void site_area_workforce(struct strbuf *sb, const struct tidy_table *t,
			 int year, const char *code, const char *name,
			 const char *id_prefix, struct site_tables *tt);

/*
 * The part of a service's page below its lead: its findings in words, a
 * chart and table of the relative rate index at each stage, and the
 * rates at each stage. From `t`, the service's tidy table for one area
 * (`name`, "London" on the site) and `period` ("2023-24"). `tt` as for
 * site_area_workforce().
 */
void site_area_service(struct strbuf *sb, const struct tidy_table *t,
		       const struct service_def *def, const char *period,
		       const char *name, const char *id_prefix,
		       struct site_tables *tt);

#endif
