/*
 * search.c - finding practice (see search.h): a reader's words made into
 * an FTS5 expression that cannot be misread, matched and ranked by the
 * store, then filtered, counted by filter value, and limited here; and
 * related practice by shared tags and title words.
 */
#include "practice/search.h"

#include "base/alloc.h"
#include "base/utf8.h"
#include "practice/practice.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A byte of a word: a letter or digit, or any byte of a multi-byte
 * UTF-8 character (names such as 'Çağlar' stay whole). */
static bool word_byte(unsigned char c)
{
	return isalnum(c) || c >= 0x80;
}

/* Append `"word"` (with * for a prefix) or `"w1 w2 ..."` to out. */
static int append(char *out, size_t size, size_t *len, const char *text,
		  size_t n, bool prefix)
{
	int w = snprintf(out + *len, size - *len, "%s\"%.*s\"%s",
			 *len ? " " : "", (int)n, text, prefix ? "*" : "");

	if (w < 0 || (size_t)w >= size - *len)
		return -1;
	*len += (size_t)w;
	return 0;
}

int practice_query_compile(const char *text, char *out, size_t size,
			   struct parity_error *err)
{
	char phrase[PRACTICE_QUERY_MAX + 1];
	const char *p = text ? text : "";
	size_t len = 0, words = 0;

	out[0] = '\0';
	if (!utf8_valid(p, strlen(p), NULL))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the search is not UTF-8 text");
	if (utf8_length(p) > PRACTICE_QUERY_MAX)
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the search is longer than %d "
					"characters: shorten it",
					PRACTICE_QUERY_MAX);
	while (*p) {
		if (*p == '"') {
			/* a phrase: its words, up to the closing quote or
			 * the end */
			size_t n = 0;

			p++;
			while (*p && *p != '"') {
				const char *w = p;

				while (*p && *p != '"' &&
				       word_byte((unsigned char)*p))
					p++;
				if (p > w) {
					n += (size_t)snprintf(
						phrase + n, sizeof(phrase) - n,
						"%s%.*s", n ? " " : "",
						(int)(p - w), w);
					words++;
				}
				while (*p && *p != '"' &&
				       !word_byte((unsigned char)*p))
					p++;
			}
			if (*p == '"')
				p++;
			if (n && append(out, size, &len, phrase, n, false) < 0)
				goto too_long;
			continue;
		}
		if (word_byte((unsigned char)*p)) {
			const char *w = p;

			while (word_byte((unsigned char)*p))
				p++;
			words++;
			if (append(out, size, &len, w, (size_t)(p - w),
				   *p == '*') < 0)
				goto too_long;
			continue;
		}
		p++;  /* anything else separates words */
	}
	if (words > PRACTICE_QUERY_WORDS)
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"the search has %zu words: use at most "
					"%d", words, PRACTICE_QUERY_WORDS);
	return 0;
too_long:
	out[0] = '\0';
	return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
				"the search is too long: shorten it");
}

void practice_results_release(struct practice_results *r)
{
	size_t k;

	for (k = 0; k < r->count; k++) {
		practice_row_release(&r->hits[k].row);
		free(r->hits[k].snippet);
	}
	free(r->hits);
	free(r->facets);
	memset(r, 0, sizeof(*r));
}

/* ---- filters and their counts ---- */

struct filters {
	const struct area_set *areas;
	int area, subregion;       /* indices into areas, or -1 */
	const char *strand, *service_area, *tag, *status;
};

static bool has_lead(const struct practice_row *r, const struct filters *f,
		     int within)
{
	size_t k;

	for (k = 0; k < r->nleads; k++) {
		int a = area_find(f->areas, r->leads[k]);

		if (a >= 0 && (a == within ||
			       area_within(f->areas, a, within)))
			return true;
	}
	return false;
}

static bool has_tag(const struct practice_row *r, const char *tag)
{
	size_t k;

	for (k = 0; k < r->ntags; k++)
		if (strcasecmp(r->tags[k], tag) == 0)
			return true;
	return false;
}

static bool passes(const struct practice_row *r, const struct filters *f)
{
	return (f->area < 0 || has_lead(r, f, f->area)) &&
	       (f->subregion < 0 || has_lead(r, f, f->subregion)) &&
	       (!f->strand || strcmp(r->strand, f->strand) == 0) &&
	       (!f->service_area ||
		strcmp(r->service_area, f->service_area) == 0) &&
	       (!f->tag || has_tag(r, f->tag)) &&
	       (!f->status || strcmp(r->status, f->status) == 0);
}

static void count(struct practice_results *res, size_t *cap,
		  const char *filter, const char *value)
{
	size_t k;

	for (k = 0; k < res->nfacets; k++)
		if (strcmp(res->facets[k].filter, filter) == 0 &&
		    strcmp(res->facets[k].value, value) == 0) {
			res->facets[k].count++;
			return;
		}
	if (res->nfacets == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		res->facets = xrealloc(res->facets,
				       *cap * sizeof(*res->facets));
	}
	res->facets[res->nfacets].filter = filter;
	snprintf(res->facets[res->nfacets].value,
		 sizeof(res->facets[res->nfacets].value), "%s", value);
	res->facets[res->nfacets].count = 1;
	res->nfacets++;
}

static void count_row(struct practice_results *res, size_t *cap,
		      const struct practice_row *r)
{
	size_t k;

	for (k = 0; k < r->nleads; k++)
		count(res, cap, "council", r->leads[k]);
	count(res, cap, "strand", r->strand);
	count(res, cap, "service_area", r->service_area);
	for (k = 0; k < r->ntags; k++)
		count(res, cap, "tag", r->tags[k]);
	count(res, cap, "status", r->status);
}

static int facet_order(const void *a, const void *b)
{
	const struct practice_facet *x = a, *y = b;
	int c = strcmp(x->filter, y->filter);

	if (c)
		return c;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->value, y->value);
}

/* A word of `list` (NULL: none asked), or -1 after setting `err`. */
static int word_filter(const char *given, const char *const *list,
		       const char *what, const char **out,
		       struct parity_error *err)
{
	size_t k;

	*out = NULL;
	if (!given || !given[0])
		return 0;
	for (k = 0; list[k]; k++)
		if (strcmp(list[k], given) == 0) {
			*out = list[k];
			return 0;
		}
	return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
				"'%.60s' is not a %s parity knows", given,
				what);
}

static int filters_make(const struct area_set *areas,
			const struct practice_query *q, struct filters *f,
			struct parity_error *err)
{
	memset(f, 0, sizeof(*f));
	f->areas = areas;
	f->area = f->subregion = -1;
	if (q->area_code && q->area_code[0]) {
		f->area = area_find(areas, q->area_code);
		if (f->area < 0 || areas->areas[f->area].type != AREA_BOROUGH)
			return parity_error_set(err, PARITY_ERR_USAGE, NULL,
						0, 0, "'%.60s' is not one of "
						"London's 33 councils",
						q->area_code);
	}
	if (q->subregion && q->subregion[0]) {
		f->subregion = area_find(areas, q->subregion);
		if (f->subregion < 0 ||
		    areas->areas[f->subregion].type == AREA_BOROUGH)
			return parity_error_set(err, PARITY_ERR_USAGE, NULL,
						0, 0, "'%.60s' is not a "
						"sub-region of London",
						q->subregion);
	}
	if (word_filter(q->strand, practice_strands, "strand", &f->strand,
			err) < 0 ||
	    word_filter(q->service_area, practice_service_areas,
			"service area", &f->service_area, err) < 0 ||
	    word_filter(q->status, practice_statuses, "status", &f->status,
			err) < 0)
		return -1;
	f->tag = q->tag && q->tag[0] ? q->tag : NULL;
	return 0;
}

/* The approved row of `record` among `rows` (by record), or NULL. */
static struct practice_row *row_of(struct practice_row *rows, size_t n,
				   int64_t record)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (rows[mid].record == record)
			return &rows[mid];
		if (rows[mid].record < record)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Move row `r` into hit slot of `res`. */
static void take(struct practice_results *res, size_t *cap,
		 struct practice_row *r, double rank, const char *snippet)
{
	struct practice_hit *h;

	if (res->count == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		res->hits = xrealloc(res->hits, *cap * sizeof(*res->hits));
	}
	h = &res->hits[res->count++];
	h->row = *r;
	memset(r, 0, sizeof(*r));
	h->rank = rank;
	h->snippet = snippet ? xstrdup(snippet) : NULL;
}

int practice_search(struct store *s, const struct area_set *areas,
		    const struct practice_query *q,
		    struct practice_results *out, struct parity_error *err)
{
	char match[PRACTICE_QUERY_MAX * 4 + 64];
	struct practice_row *rows = NULL;
	struct practice_match *m = NULL;
	struct filters f;
	size_t nrows = 0, nm = 0, k, hcap = 0, fcap = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (filters_make(areas, q, &f, err) < 0 ||
	    practice_query_compile(q->text, match, sizeof(match), err) < 0)
		return -1;
	if (practice_store_list(s, NULL, true, &rows, &nrows, err) < 0)
		return -1;
	if (match[0]) {
		if (practice_store_match(s, match, &m, &nm, err) < 0)
			goto out;
		for (k = 0; k < nm; k++) {
			struct practice_row *r = row_of(rows, nrows,
							m[k].record);

			if (r && r->id && passes(r, &f))
				take(out, &hcap, r, m[k].rank, m[k].snippet);
		}
	} else {
		for (k = 0; k < nrows; k++)
			if (passes(&rows[k], &f))
				take(out, &hcap, &rows[k], 0, NULL);
	}
	out->total = out->count;
	for (k = 0; k < out->count; k++)
		count_row(out, &fcap, &out->hits[k].row);
	if (out->nfacets)
		qsort(out->facets, out->nfacets, sizeof(*out->facets),
		      facet_order);
	if (q->limit && out->count > q->limit) {
		for (k = q->limit; k < out->count; k++) {
			practice_row_release(&out->hits[k].row);
			free(out->hits[k].snippet);
		}
		out->count = q->limit;
	}
	rc = 0;
out:
	practice_matches_free(m, nm);
	practice_rows_free(rows, nrows);
	if (rc < 0)
		practice_results_release(out);
	return rc;
}

/* ---- related practice ---- */

struct scored {
	size_t row;
	double score;
};

static int by_score(const void *a, const void *b)
{
	const struct scored *x = a, *y = b;

	if (x->score != y->score)
		return x->score > y->score ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

int practice_related(struct store *s, int64_t record, size_t max,
		     struct practice_results *out, struct parity_error *err)
{
	struct practice_row *rows = NULL, *self;
	struct practice_match *m = NULL;
	struct scored *sc = NULL;
	char match[2048];
	size_t nrows = 0, nm = 0, k, j, n = 0, len = 0, hcap = 0;
	int rc = -1;

	memset(out, 0, sizeof(*out));
	if (practice_store_list(s, NULL, true, &rows, &nrows, err) < 0)
		return -1;
	self = row_of(rows, nrows, record);
	if (!self) {
		practice_rows_free(rows, nrows);
		return parity_error_set(err, PARITY_ERR_NOT_FOUND, NULL, 0, 0,
					"there is no approved practice record "
					"%lld", (long long)record);
	}
	/* the title's longer words, any of them */
	match[0] = '\0';
	{
		const char *p = self->title;

		while (*p) {
			const char *w = p;

			while (word_byte((unsigned char)*p))
				p++;
			if (p - w >= 5 && len + (size_t)(p - w) + 8 <
					  sizeof(match))
				len += (size_t)snprintf(
					match + len, sizeof(match) - len,
					"%s\"%.*s\"", len ? " OR " : "",
					(int)(p - w), w);
			while (*p && !word_byte((unsigned char)*p))
				p++;
		}
	}
	if (match[0] && practice_store_match(s, match, &m, &nm, err) < 0)
		goto out;
	sc = xcalloc(nrows ? nrows : 1, sizeof(*sc));
	for (k = 0; k < nrows; k++) {
		const struct practice_row *r = &rows[k];
		double score = 0;

		if (r->record == record)
			continue;
		for (j = 0; j < r->ntags; j++)
			score += has_tag(self, r->tags[j]) ? 2 : 0;
		score += strcmp(r->service_area, self->service_area) == 0;
		score += 0.5 * (strcmp(r->strand, self->strand) == 0);
		for (j = 0; j < nm; j++)
			if (m[j].record == r->record)
				score += 1;
		if (score >= 1.5)
			sc[n++] = (struct scored){ k, score };
	}
	qsort(sc, n, sizeof(*sc), by_score);
	for (k = 0; k < n && (!max || k < max); k++)
		take(out, &hcap, &rows[sc[k].row], -sc[k].score, NULL);
	out->total = n;
	rc = 0;
out:
	free(sc);
	practice_matches_free(m, nm);
	practice_rows_free(rows, nrows);
	return rc;
}
