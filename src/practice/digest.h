/*
 * digest.h - 'Race Matters', the programme's digest for borough staff
 * (digest.c): practice approved in the period, the Learning Lab's coming
 * sessions, the significant changes in London's published,
 * disclosure-controlled workforce figures (read from the site's latest
 * release, never from the store), and where London's councils stand on
 * the Racial Equality Standard against the year before.
 *
 * An issue is gathered once into a struct digest_issue, a list of
 * headings, paragraphs, entries and changes, and then written as
 * email-ready HTML (inline styles, table layout, no script, no external
 * file, no image) and as plain text, into the caller's buffers. An issue
 * kept in the archive is stored as JSON (digest_issue_json()) and read
 * back (digest_issue_read()) to be published as a page of the site.
 *
 * Ownership: a struct digest_issue owns its items and their strings,
 * freed with digest_issue_release().
 */
#ifndef PARITY_PRACTICE_DIGEST_H
#define PARITY_PRACTICE_DIGEST_H

#include "base/error.h"
#include "base/strbuf.h"
#include "practice/practice.h"
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

enum digest_item_kind {
	DIGEST_SECTION,   /* a section's heading: text */
	DIGEST_TEXT,      /* a paragraph: text */
	DIGEST_ENTRY,     /* a practice record: text (its title), detail */
	DIGEST_CHANGE,    /* a published change: text, value (points) */
	DIGEST_NOTE       /* a note under a section: text */
};

struct digest_item {
	enum digest_item_kind kind;
	char *text;
	char *detail;     /* DIGEST_ENTRY only; NULL otherwise */
	double value;     /* DIGEST_CHANGE only */
};

struct digest_issue {
	char since[11], until[11];   /* YYYY-MM-DD */
	struct digest_item *items;
	size_t count, cap;
	struct digest_summary summary;
};

/*
 * Gather the digest from `d`'s store (and the site's release) into
 * `out` (empty on entry; the caller releases it). 0, or -1 with `err`
 * set (a site whose release cannot be read is an error, named).
 */
int digest_build(const struct standard_data *d,
		 const struct digest_options *opt, struct digest_issue *out,
		 struct parity_error *err);
void digest_issue_release(struct digest_issue *issue);

/* "Race Matters: 1 January 2026 to 28 February 2026", into `buf`. */
void digest_title(const struct digest_issue *issue, char *buf, size_t size);

/* The issue as email-ready HTML and as plain text, appended. */
void digest_write_email(const struct digest_issue *issue,
			struct strbuf *html);
void digest_write_text(const struct digest_issue *issue,
		       struct strbuf *text);

/* The issue as JSON, for the archive (the caller frees it); NULL only
 * when Jansson runs out of memory. */
char *digest_issue_json(const struct digest_issue *issue);
/* An issue from the archive's JSON: 0, or -1 (PARITY_ERR_PARSE) when it
 * is not an issue. `out` is empty on entry. */
int digest_issue_read(const char *json, struct digest_issue *out,
		      struct parity_error *err);

/*
 * Keep `issue` in the store's archive (its own transaction), replacing
 * the issue kept for the same period; audited as digest.keep. Only
 * London Councils' roles and the command line keep issues
 * (PARITY_ERR_DENIED for a council's account).
 */
int digest_keep(struct store *s, const struct digest_issue *issue,
		const struct practice_actor *who, struct parity_error *err);
/* Every issue kept, the newest period first, into `out` (the caller
 * releases each and frees the array). */
int digest_archive(struct store *s, struct digest_issue **out, size_t *n,
		   struct parity_error *err);

#endif
