/*
 * search.h - finding practice (search.c): a reader's words turned into a
 * safe full-text query (SQLite FTS5: porter stemming, "phrases", prefix*),
 * ranked by bm25 with the title over the summary over the rest, combined
 * with filters (lead council, sub-region, strand, service area, tag,
 * status) and the count of results for each value of each filter; and
 * the practice related to a record, by shared tags and words.
 *
 * Only approved records are searched: what every reader may see.
 *
 * Ownership: practice_search() and practice_related() fill a struct
 * practice_results the caller releases with practice_results_release().
 */
#ifndef PARITY_PRACTICE_SEARCH_H
#define PARITY_PRACTICE_SEARCH_H

#include "base/error.h"
#include "domain/area.h"
#include "store/practice_store.h"
#include "store/store.h"

#include <stddef.h>

/* The longest search a reader may type, and the most words used. */
#define PRACTICE_QUERY_MAX 500
#define PRACTICE_QUERY_WORDS 32

struct practice_query {
	const char *text;          /* what the reader typed; NULL or blank:
				    * every record */
	const char *area_code;     /* a lead council (code or name) */
	const char *subregion;     /* an area (code or name) that holds a
				    * lead council: Inner London, ... */
	const char *strand, *service_area, *tag, *status;
	size_t limit;              /* 0: every result */
};

struct practice_hit {
	struct practice_row row;   /* the newest approved version */
	double rank;               /* bm25 (lower is better); 0 without
				    * words */
	char *snippet;             /* words matched between \x01 and \x02;
				    * NULL without words */
};

/* How many results hold a value of a filter. */
struct practice_facet {
	const char *filter;        /* "council", "strand", "service_area",
				    * "tag", "status" */
	char value[128];
	size_t count;
};

struct practice_results {
	struct practice_hit *hits;
	size_t count;              /* shown (at most the limit) */
	size_t total;              /* before the limit */
	struct practice_facet *facets;
	size_t nfacets;
};

/*
 * Turn what a reader typed into an FTS5 expression that FTS5 cannot
 * misread: each word quoted (so AND, OR, NOT, NEAR, brackets, colons and
 * carets are words or nothing), "phrases" kept, a word ending in * kept as
 * a prefix, an unbalanced quote read as if closed at the end. `out` ""
 * when there are no words. PARITY_ERR_USAGE, with a message for the
 * reader, when it is longer than PRACTICE_QUERY_MAX characters or has
 * more than PRACTICE_QUERY_WORDS words.
 */
int practice_query_compile(const char *text, char *out, size_t size,
			   struct parity_error *err);

/* The approved records matching `q`, best first (by record number when
 * there are no words), with counts per filter value. PARITY_ERR_USAGE
 * for a search that cannot be made (too long; an unknown council,
 * sub-region, strand, service area or status). */
int practice_search(struct store *s, const struct area_set *areas,
		    const struct practice_query *q,
		    struct practice_results *out, struct parity_error *err);

/* Up to `max` approved records related to record `record`: sharing its
 * tags (each counts most), its service area and strand, and the words of
 * its title; best first. */
int practice_related(struct store *s, int64_t record, size_t max,
		     struct practice_results *out, struct parity_error *err);

void practice_results_release(struct practice_results *r);

#endif
