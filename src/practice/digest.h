/*
 * digest.h - 'Race Matters', the programme's digest for borough staff
 * (digest.c): practice approved in the period, the Learning Lab's coming
 * sessions, the significant changes in London's published,
 * disclosure-controlled workforce figures (read from the site's latest
 * release, never from the store), and where London's councils stand on
 * the Racial Equality Standard against the year before. Written as
 * email-ready HTML (inline styles, table layout, no script, no external
 * file, no image) and as plain text, into the caller's buffers: the
 * caller writes them where it will.
 */
#ifndef PARITY_PRACTICE_DIGEST_H
#define PARITY_PRACTICE_DIGEST_H

#include "base/error.h"
#include "base/strbuf.h"
#include "standard/assessment.h"
#include "standard/framework.h"

struct digest_options {
	const char *since, *until;  /* YYYY-MM-DD, both days included;
				     * until NULL: today */
	const char *today;          /* YYYY-MM-DD: sessions from this day
				     * are 'coming' */
	const char *site_dir;       /* the published site, or NULL: no
				     * figures */
	int year;                   /* the workforce year whose published
				     * changes are reported; 0: none */
	const struct framework *standard;  /* NULL: no Standard section */
};

/* Counts of what the digest holds, for the caller to report. */
struct digest_summary {
	size_t practice, events, changes, standard_councils;
};

/*
 * Build the digest from `d`'s store (and the site's release) into `html`
 * and `text` (appended). 0, or -1 with `err` set (a site whose release
 * cannot be read is an error, named).
 */
int digest_build(const struct standard_data *d,
		 const struct digest_options *opt, struct strbuf *html,
		 struct strbuf *text, struct digest_summary *summary,
		 struct parity_error *err);

#endif
