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
 *     methodology.html, downloads.html
 *     downloads/NAME.csv        a tidy CSV per table, each with a CSVW
 *                              NAME.csv-metadata.json beside it
 *     downloads/parity-YEAR.xlsx
 *     parity.css               the stylesheet (embedded in the binary)
 *   DIR/                       the same pages of the latest release, so
 *                              DIR/index.html is always the latest
 *   DIR/corrections.html       the corrections log, every release
 *   DIR/releases.json          every release, machine-readable
 *
 * Releases are numbered 1, 2, ... across years. A year that already has a
 * release may be published again only as a correction (opt->correction
 * says what changed): the new release carries a visible correction notice
 * on every page and an entry in the log. Earlier releases stay where they
 * are. docs/publishing.md describes the site and its guarantees.
 *
 * Ownership: the caller owns the store and everything in `opt`.
 */
#ifndef PARITY_PUBLISH_SITE_H
#define PARITY_PUBLISH_SITE_H

#include "base/error.h"
#include "publish/sdc.h"

#include <stddef.h>

struct store;

struct site_options {
	const char *dir;          /* where the site lives (created if new) */
	int year;                 /* the data year: workforce at 31 March;
				   * services for the year ending then */
	struct sdc_options sdc;   /* threshold and rounding */
	const char *correction;   /* what a correction changes, or NULL */
	const char *date;         /* the publication date, YYYY-MM-DD */
};

struct site_summary {
	int release;              /* the number given to this release */
	size_t pages;             /* HTML pages written in the release */
	size_t downloads;         /* CSV, metadata and workbook files */
	unsigned long long bytes; /* bytes of the release directory */
	struct sdc_summary sdc;   /* disclosure control of the workforce */
	size_t services_published;
	size_t services_held;     /* held back: see docs/publishing.md */
};

void site_options_init(struct site_options *opt);

/*
 * Publish release N (one more than the last in DIR/releases.json). Fails
 * with PARITY_ERR_USAGE when the year has a release and no correction is
 * given, or a correction is given for a year with none; with the error of
 * disclosure control when it refuses the release; and on I/O errors. On
 * failure, no release is recorded and DIR's top level is as it was before
 * unless the failure came while it was being rewritten.
 */
int site_publish(struct store *store, const struct site_options *opt,
		 struct site_summary *summary, struct parity_error *err);

#endif
