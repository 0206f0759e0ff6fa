/*
 * sdc.c - the suppression method of sdc.h: cells and relations, primary
 * and secondary suppression, and the loop that extends suppression until
 * the audit (sdc_audit.c) finds every suppressed cell protected.
 */
#include "sdc/sdc_private.h"

#include "base/alloc.h"
#include "base/hash.h"
#include "base/strbuf.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The audit and extension loop stops after this many rounds. */
#define SDC_MAX_ROUNDS 200

void sdc_options_init(struct sdc_options *opt)
{
	opt->k = SDC_K_DEFAULT;
	opt->protection = SDC_K_DEFAULT;
	opt->round_to = 0;
	opt->npriors = 0;
}

void sdc_problem_init(struct sdc_problem *p)
{
	memset(p, 0, sizeof(*p));
}

void sdc_problem_free(struct sdc_problem *p)
{
	size_t k;

	for (k = 0; k < p->ncells; k++)
		free(p->cells[k].key);
	for (k = 0; k < p->nrelations; k++)
		free(p->relations[k].parts);
	free(p->cells);
	free(p->relations);
	free(p->index);
	memset(p, 0, sizeof(*p));
}

/* ---- cells ---- */

static size_t *slot_for(const struct sdc_problem *p, const char *key)
{
	size_t mask = p->index_cap - 1;
	size_t at = (size_t)hash_string(key) & mask;

	while (p->index[at] &&
	       strcmp(p->cells[p->index[at] - 1].key, key) != 0)
		at = (at + 1) & mask;
	return &p->index[at];
}

static void index_grow(struct sdc_problem *p)
{
	size_t k, cap = p->index_cap ? p->index_cap * 2 : 1024;

	free(p->index);
	p->index = xcalloc(cap, sizeof(*p->index));
	p->index_cap = cap;
	for (k = 0; k < p->ncells; k++)
		*slot_for(p, p->cells[k].key) = k + 1;
}

size_t sdc_cell_find(const struct sdc_problem *p, const char *key)
{
	size_t *slot;

	if (!p->index_cap)
		return (size_t)-1;
	slot = slot_for(p, key);
	return *slot ? *slot - 1 : (size_t)-1;
}

int sdc_cell_add(struct sdc_problem *p, const char *key, double value,
		 size_t *out, struct parity_error *err)
{
	size_t *slot;
	struct sdc_cell *c;

	if (!isfinite(value) || value < 0)
		return parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
					"disclosure control: the count %s is "
					"not a non-negative number", key);
	if ((p->ncells + 1) * 2 > p->index_cap)
		index_grow(p);
	slot = slot_for(p, key);
	if (*slot) {
		*out = *slot - 1;
		p->cells[*out].uses++;
		if (fabs(p->cells[*out].value - value) > 1e-9)
			return parity_error_set(
				err, PARITY_ERR_VALIDATION, NULL, 0, 0,
				"disclosure control: two figures for one count "
				"(%s): %.17g and %.17g", key,
				p->cells[*out].value, value);
		return 0;
	}
	p->cells = xgrow(p->cells, &p->cells_cap, p->ncells + 1,
			 sizeof(*p->cells));
	c = &p->cells[p->ncells];
	c->key = xstrdup(key);
	c->value = value;
	c->uses = 1;
	c->state = SDC_PUBLISHED;
	c->known = false;
	c->slack = 0;
	c->gap = false;
	*out = p->ncells++;
	*slot = *out + 1;
	return 0;
}

/* ---- relations ---- */

static int compare_size(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

static bool same_relation(const struct sdc_relation *r, size_t total,
			  const size_t *sorted, size_t count)
{
	return r->total == total && r->count == count &&
	       memcmp(r->parts, sorted, count * sizeof(*sorted)) == 0;
}

/* Whether total = sum of parts may hold: exactly (to within the slack of
 * figures published rounded), when every cell is known (`partial`:
 * published); else the known parts must not exceed a known total. */
static bool may_hold(const struct sdc_problem *p, size_t total,
		     const size_t *parts, size_t count, bool partial)
{
	double sum = 0, slack = p->cells[total].slack;
	bool all = true;
	size_t k;

	for (k = 0; k < count; k++) {
		if (partial && p->cells[parts[k]].state != SDC_PUBLISHED) {
			all = false;
		} else {
			sum += p->cells[parts[k]].value;
			slack += p->cells[parts[k]].slack;
		}
	}
	if (partial && p->cells[total].state != SDC_PUBLISHED)
		return true;
	slack += 1e-9 * fmax(1.0, p->cells[total].value);
	if (!all)
		return sum <= p->cells[total].value + slack;
	return fabs(sum - p->cells[total].value) <= slack;
}

int sdc_relation_add(struct sdc_problem *p, size_t total, const size_t *parts,
		     size_t count)
{
	return sdc__relation_add(p, total, parts, count, false);
}

/* A relation's hash: its total and its sorted parts. */
static uint64_t relation_hash(size_t total, const size_t *sorted,
			      size_t count)
{
	uint64_t h = 14695981039346656037ULL;
	size_t k;

	h = (h ^ (uint64_t)total) * 1099511628211ULL;
	for (k = 0; k < count; k++)
		h = (h ^ (uint64_t)sorted[k]) * 1099511628211ULL;
	return h ^ (h >> 29);
}

/* The slot of `ix` holding the relation equal to (total, sorted), or the
 * empty slot where it would go. */
static size_t *relation_slot(const struct sdc_problem *p,
			     const struct sdc_relation_index *ix, size_t total,
			     const size_t *sorted, size_t count)
{
	size_t mask = ix->cap - 1;
	size_t at = (size_t)relation_hash(total, sorted, count) & mask;

	while (ix->slot[at] &&
	       !same_relation(&p->relations[ix->slot[at] - 1], total, sorted,
			      count))
		at = (at + 1) & mask;
	return &ix->slot[at];
}

/* Bring `ix` up to every relation of `p`, with room for one more. */
static void relation_index_update(const struct sdc_problem *p,
				  struct sdc_relation_index *ix)
{
	size_t k;

	if ((p->nrelations + 1) * 2 > ix->cap) {
		size_t cap = ix->cap ? ix->cap : 1024;

		while ((p->nrelations + 1) * 2 > cap)
			cap *= 2;
		free(ix->slot);
		ix->slot = xcalloc(cap, sizeof(*ix->slot));
		ix->cap = cap;
		ix->count = 0;
	}
	for (k = ix->count; k < p->nrelations; k++) {
		const struct sdc_relation *r = &p->relations[k];
		size_t *slot = relation_slot(p, ix, r->total, r->parts,
					     r->count);

		if (!*slot)
			*slot = k + 1;
	}
	ix->count = p->nrelations;
}

void sdc__relation_index_free(struct sdc_relation_index *ix)
{
	free(ix->slot);
	memset(ix, 0, sizeof(*ix));
}

/* sdc__relation_add(), with duplicates found through `ix` when it is not
 * NULL, else by comparing with every relation. With `ix`, *at is the
 * relation's index, added or equal to one already there, or SDC_NONE when
 * it was refused. */
static int relation_add(struct sdc_problem *p, struct sdc_relation_index *ix,
			size_t total, const size_t *parts, size_t count,
			bool partial, size_t *at)
{
	size_t k, *sorted, *slot = NULL;
	struct sdc_relation *r;

	if (at)
		*at = SDC_NONE;
	if (count < 2 || total >= p->ncells)
		return 0;
	for (k = 0; k < count; k++)
		if (parts[k] >= p->ncells || parts[k] == total)
			return 0;
	if (!may_hold(p, total, parts, count, partial))
		return 0;
	sorted = xmalloc(count * sizeof(*sorted));
	memcpy(sorted, parts, count * sizeof(*sorted));
	qsort(sorted, count, sizeof(*sorted), compare_size);
	for (k = 1; k < count; k++)
		if (sorted[k] == sorted[k - 1]) {
			free(sorted);
			return 0;
		}
	if (ix) {
		relation_index_update(p, ix);
		slot = relation_slot(p, ix, total, sorted, count);
		if (*slot) {
			if (at)
				*at = *slot - 1;
			free(sorted);
			return 0;
		}
	} else {
		for (k = 0; k < p->nrelations; k++)
			if (same_relation(&p->relations[k], total, sorted,
					  count)) {
				free(sorted);
				return 0;
			}
	}
	p->relations = xgrow(p->relations, &p->relations_cap,
			     p->nrelations + 1, sizeof(*p->relations));
	r = &p->relations[p->nrelations++];
	r->total = total;
	r->parts = sorted;
	r->count = count;
	r->implied = false;
	r->nesting = false;
	if (slot) {
		*slot = p->nrelations;
		ix->count = p->nrelations;
	}
	if (at)
		*at = p->nrelations - 1;
	return 1;
}

int sdc__relation_add(struct sdc_problem *p, size_t total,
		      const size_t *parts, size_t count, bool partial)
{
	return relation_add(p, NULL, total, parts, count, partial, NULL);
}

int sdc__relation_add_indexed(struct sdc_problem *p,
			      struct sdc_relation_index *ix, size_t total,
			      const size_t *parts, size_t count, bool partial,
			      size_t *at)
{
	return relation_add(p, ix, total, parts, count, partial, at);
}

/* ---- nesting ---- */

int sdc__nesting_add(struct sdc_problem *p, size_t earlier, size_t later,
		     bool partial, struct parity_error *err)
{
	const struct sdc_cell *e, *l;
	struct sdc_relation *r;
	char *key;
	size_t len, gap, before;
	double v = 0;
	int rc;

	if (earlier >= p->ncells || later >= p->ncells || earlier == later)
		return 0;
	e = &p->cells[earlier];
	l = &p->cells[later];
	if (!partial || (e->state == SDC_PUBLISHED &&
			 l->state == SDC_PUBLISHED)) {
		v = e->value - l->value;
		if (v < -(e->slack + l->slack + 1e-9))
			return 0; /* the later stage exceeds the earlier */
	}
	if (partial)
		v = 0; /* the checker: unknown, like any withheld count */
	len = strlen(e->key) + strlen(l->key) + sizeof("gap||within|");
	key = xmalloc(len);
	snprintf(key, len, "gap|%s|within|%s", l->key, e->key);
	before = p->ncells;
	rc = sdc_cell_add(p, key, fmax(v, 0), &gap, err);
	free(key);
	if (rc < 0)
		return -1;
	if (p->ncells == before)
		return 0; /* there already */
	p->cells[gap].gap = true;
	p->cells[gap].state = SDC_SECONDARY;
	p->cells[gap].uses = 0;
	p->relations = xgrow(p->relations, &p->relations_cap,
			     p->nrelations + 1, sizeof(*p->relations));
	r = &p->relations[p->nrelations++];
	r->total = earlier;
	r->parts = xmalloc(2 * sizeof(*r->parts));
	r->parts[0] = later < gap ? later : gap;
	r->parts[1] = later < gap ? gap : later;
	r->count = 2;
	r->implied = false;
	r->nesting = true;
	return 1;
}

int sdc_nesting_add(struct sdc_problem *p, size_t earlier, size_t later,
		    struct parity_error *err)
{
	return sdc__nesting_add(p, earlier, later, false, err);
}

/* ---- incidence ---- */

void sdc__incidence_build(const struct sdc_problem *p,
			  struct sdc_incidence *inc)
{
	size_t k, j, *fill;

	inc->start = xcalloc(p->ncells + 1, sizeof(*inc->start));
	for (k = 0; k < p->nrelations; k++) {
		inc->start[p->relations[k].total + 1]++;
		for (j = 0; j < p->relations[k].count; j++)
			inc->start[p->relations[k].parts[j] + 1]++;
	}
	for (k = 0; k < p->ncells; k++)
		inc->start[k + 1] += inc->start[k];
	inc->rel = xmalloc((inc->start[p->ncells] ? inc->start[p->ncells] : 1) *
			   sizeof(*inc->rel));
	fill = xmalloc((p->ncells ? p->ncells : 1) * sizeof(*fill));
	memcpy(fill, inc->start, p->ncells * sizeof(*fill));
	/* relations in rising order, so each cell's list rises */
	for (k = 0; k < p->nrelations; k++) {
		inc->rel[fill[p->relations[k].total]++] = k;
		for (j = 0; j < p->relations[k].count; j++)
			inc->rel[fill[p->relations[k].parts[j]]++] = k;
	}
	free(fill);
}

void sdc__incidence_free(struct sdc_incidence *inc)
{
	free(inc->start);
	free(inc->rel);
	memset(inc, 0, sizeof(*inc));
}

bool sdc__unknown(const struct sdc_problem *p, size_t k)
{
	return p->cells[k].state != SDC_PUBLISHED && !p->cells[k].known;
}

/* ---- suppression ---- */

/* Whether a cell hides anything: suppressed and not known before. */
static bool hidden(const struct sdc_problem *p, size_t cell)
{
	return sdc__unknown(p, cell);
}

/* Whether a cell may be suppressed to protect another: published now and
 * before (or changed since), and not zero. */
static bool candidate(const struct sdc_problem *p, size_t cell)
{
	const struct sdc_cell *c = &p->cells[cell];

	return c->state == SDC_PUBLISHED && !c->known && c->value > 0;
}

/* How many of a relation's cells (total and parts) are hidden. */
static size_t hidden_in(const struct sdc_problem *p,
			const struct sdc_relation *r)
{
	size_t k, n = hidden(p, r->total);

	for (k = 0; k < r->count; k++)
		n += hidden(p, r->parts[k]);
	return n;
}

static double cost(const struct sdc_problem *p, size_t cell)
{
	return p->cells[cell].value * (double)p->cells[cell].uses;
}

/*
 * Suppress one more cell of relation `r`: the candidate of least cost, a
 * part before the total on equal cost, then the earliest. Returns false
 * when there is no candidate.
 */
static bool complement(struct sdc_problem *p, const struct sdc_relation *r)
{
	size_t k, best = (size_t)-1;

	for (k = 0; k <= r->count; k++) {
		size_t cell = k < r->count ? r->parts[k] : r->total;

		if (!candidate(p, cell))
			continue;
		if (best == (size_t)-1 || cost(p, cell) < cost(p, best) ||
		    (cost(p, cell) == cost(p, best) && k < r->count &&
		     cell < best))
			best = cell;
	}
	if (best == (size_t)-1)
		return false;
	p->cells[best].state = SDC_SECONDARY;
	return true;
}

/* Secondary suppression until no relation has exactly one hidden cell
 * (or such a relation has nothing left to suppress). */
static void secondary(struct sdc_problem *p)
{
	bool changed = true;
	size_t k;

	while (changed) {
		changed = false;
		for (k = 0; k < p->nrelations; k++)
			if (!p->relations[k].nesting &&
			    hidden_in(p, &p->relations[k]) == 1 &&
			    complement(p, &p->relations[k]))
				changed = true;
	}
}

/* Whether relation `r` still has a candidate to give. */
static bool open_relation(const struct sdc_problem *p,
			  const struct sdc_relation *r)
{
	size_t j;

	for (j = 0; j < r->count; j++)
		if (candidate(p, r->parts[j]))
			return true;
	return candidate(p, r->total);
}

/* Scratch space for extend(), kept across calls: marks are cleared by
 * the call that set them. */
struct extend_scratch {
	bool *seen;       /* per cell */
	bool *near;       /* per relation */
	size_t *queue;    /* cells, level by level */
	size_t *rels;     /* the relations near one level */
	size_t rels_cap;
};

static int compare_size_t(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;

	return (x > y) - (x < y);
}

/* The relations holding a cell of queue[from .. to), rising; returns how
 * many. */
static size_t near_relations(const struct sdc_incidence *inc,
			     struct extend_scratch *s, size_t from, size_t to)
{
	size_t c, e, n = 0;

	for (c = from; c < to; c++)
		for (e = inc->start[s->queue[c]];
		     e < inc->start[s->queue[c] + 1]; e++)
			if (!s->near[inc->rel[e]]) {
				s->near[inc->rel[e]] = true;
				s->rels = xgrow(s->rels, &s->rels_cap, n + 1,
						sizeof(*s->rels));
				s->rels[n++] = inc->rel[e];
			}
	for (e = 0; e < n; e++)
		s->near[s->rels[e]] = false;
	if (n > 1)
		qsort(s->rels, n, sizeof(*s->rels), compare_size_t);
	return n;
}

/*
 * For an under-protected cell: one more suppression in the relation
 * containing it with the fewest hidden cells that still has one to
 * give. When every relation containing it is fully suppressed, the cell is
 * pinned through the hidden cells it is summed with, so the search moves
 * out to their relations, nearest first. `extended` marks the relations
 * extended this round: a cell next to one of them waits for the next
 * audit, which may find it protected already. Returns 1 when a cell was
 * suppressed, 0 when the cell waits, -1 when nothing can be done.
 */
static int extend(struct sdc_problem *p, const struct sdc_incidence *inc,
		  struct extend_scratch *s, size_t cell, bool *extended)
{
	size_t head = 0, tail = 0, level_end, k, j, n;
	int rc = -1;

	s->queue[tail++] = cell;
	s->seen[cell] = true;
	while (head < tail && rc < 0) {
		size_t best = (size_t)-1, fewest = SIZE_MAX;

		level_end = tail;
		n = near_relations(inc, s, head, level_end);
		for (k = 0; k < n && rc < 0; k++) {
			const struct sdc_relation *r = &p->relations[s->rels[k]];

			if (extended[s->rels[k]])
				rc = 0;
			else if (hidden_in(p, r) < fewest &&
				 open_relation(p, r)) {
				fewest = hidden_in(p, r);
				best = s->rels[k];
			}
		}
		if (rc == 0)
			break;
		if (best != (size_t)-1 && complement(p, &p->relations[best])) {
			extended[best] = true;
			rc = 1;
			break;
		}
		/* the hidden cells summed with this level's, next */
		for (k = 0; k < n; k++) {
			const struct sdc_relation *r = &p->relations[s->rels[k]];

			for (j = 0; j <= r->count; j++) {
				size_t m = j < r->count ? r->parts[j] : r->total;

				if (hidden(p, m) && !s->seen[m]) {
					s->seen[m] = true;
					s->queue[tail++] = m;
				}
			}
		}
		head = level_end;
	}
	for (k = 0; k < tail; k++)
		s->seen[s->queue[k]] = false;
	return rc;
}

static bool protected_enough(const struct sdc_interval *iv, double width)
{
	return iv->high - iv->low >= width;
}

/*
 * Whether an interval narrower than the width still reveals no small
 * count: it holds only counts of k or more, or only 0 (as
 * check-disclosure judges a withheld count, and as docs/disclosure.md
 * states the rule). A complement is a count of k or more, so its exact
 * value worked out says nothing a published count would not; a primary
 * count (1 to k - 1) lies in its own interval, so this is never true of
 * one.
 */
static bool reveals_no_small_count(const struct sdc_interval *iv, double k)
{
	return iv->low >= k || iv->high < 1;
}

/*
 * Whether a cell that reveals no small count stays so whatever more is
 * withheld. Withholding more only widens an interval, so one from 10 to 12
 * might become one from 8 to 12; but once its top is at least k + width,
 * any interval holding it that reaches below k is at least the width
 * wide. Other such cells (a zero, a complement just above k) are audited
 * again in the next round.
 */
static bool stays_unrevealing(const struct sdc_interval *iv, double k,
			      double width)
{
	return iv->low >= k && iv->high >= k + width;
}

/* The error refusing a release: the first five cells still exposed. */
/*
 * Whether suppressed cell k needs an interval of its own. A count the
 * previous release withheld that is k or more, or 0, was withheld beside
 * a suppressed figure: it stays withheld, and unknown in every audit, so
 * it still protects the counts beside it; worked out, it would reveal no
 * small count (a count of 0 reveals no one: check-disclosure agrees), so
 * it needs no interval of its own. Without the zeros, publishing the
 * same counts again as a correction was refused.
 */
static bool needs_interval(const struct sdc_problem *p, size_t k,
			   const struct sdc_options *opt)
{
	return hidden(p, k) && !p->cells[k].gap &&
	       !(p->cells[k].state == SDC_PRIOR &&
		 (p->cells[k].value >= opt->k || p->cells[k].value == 0));
}

static int refuse(const struct sdc_problem *p, const struct sdc_interval *iv,
		  const struct sdc_options *opt, struct parity_error *err)
{
	struct strbuf sb = STRBUF_INIT;
	size_t k, named = 0, exposed = 0;
	double width = opt->protection;
	int rc;

	for (k = 0; k < p->ncells; k++) {
		if (!needs_interval(p, k, opt) ||
		    protected_enough(&iv[k], width) ||
		    reveals_no_small_count(&iv[k], opt->k))
			continue;
		if (named < 5)
			strbuf_addf(&sb, "%s%s (between %g and %g)",
				    named++ ? "; " : "", p->cells[k].key,
				    iv[k].low, iv[k].high);
		exposed++;
	}
	if (exposed > named)
		strbuf_addf(&sb, "; and %zu more", exposed - named);
	rc = parity_error_set(err, PARITY_ERR_VALIDATION, NULL, 0, 0,
			      "disclosure control: refused: these suppressed "
			      "cells can be narrowed to less than %g by what "
			      "is published: %s", width, sb.buf);
	strbuf_release(&sb);
	return rc;
}

static void summarise(const struct sdc_problem *p,
		      struct sdc_summary *summary)
{
	size_t k;

	for (k = 0; k < p->ncells; k++) {
		const struct sdc_cell *c = &p->cells[k];

		if (c->gap) {
			summary->cells--;
			continue;
		}
		summary->primary += c->state == SDC_PRIMARY;
		summary->secondary += c->state == SDC_SECONDARY;
		summary->prior += c->state == SDC_PRIOR;
		summary->known += c->known;
	}
}

/*
 * The audit and extension loop: audit, extend every under-protected cell,
 * suppress secondarily, and again, until every hidden cell is protected
 * (its interval at least the width, or holding no count from 1 to k - 1:
 * reveals_no_small_count()) or nothing more helps. Suppressing more never
 * narrows an interval, so a cell shown wide enough is settled and not
 * audited again, and the audit only needs to show that each interval
 * reaches the width; the narrowest interval of a count that may be small
 * is then found exactly.
 */
static int audit_loop(struct sdc_problem *p, const struct sdc_options *opt,
		      struct sdc_interval *iv, struct sdc_summary *summary,
		      struct parity_error *err)
{
	struct sdc_incidence inc;
	struct sdc_audit_memo memo;
	struct sdc_audit_stats st;
	struct extend_scratch s;
	bool *touched, *settled, *exact;
	size_t k, round;
	int rc = 0;

	memset(&memo, 0, sizeof(memo));
	memset(&s, 0, sizeof(s));
	sdc__incidence_build(p, &inc);
	touched = xcalloc(p->nrelations ? p->nrelations : 1, sizeof(*touched));
	settled = xcalloc(p->ncells ? p->ncells : 1, sizeof(*settled));
	exact = xcalloc(p->ncells ? p->ncells : 1, sizeof(*exact));
	s.seen = xcalloc(p->ncells ? p->ncells : 1, sizeof(*s.seen));
	s.near = xcalloc(p->nrelations ? p->nrelations : 1, sizeof(*s.near));
	s.queue = xmalloc((p->ncells ? p->ncells : 1) * sizeof(*s.queue));
	for (round = 0;; round++) {
		bool extended = false, failed = false;

		if (round == SDC_MAX_ROUNDS) {
			rc = parity_error_set(err, PARITY_ERR_VALIDATION, NULL,
					      0, 0, "disclosure control: no "
					      "protection found after %d "
					      "rounds", SDC_MAX_ROUNDS);
			break;
		}
		if (sdc__audit(p, &inc, opt->protection, settled, &memo, iv,
			       exact, &st, err) < 0) {
			rc = -1;
			break;
		}
		summary->audit_rounds++;
		summary->lps += st.lps;
		summary->blocks = st.blocks;
		summary->largest_block = st.largest;
		memset(touched, 0, (p->nrelations ? p->nrelations : 1) *
				   sizeof(*touched));
		for (k = 0; k < p->ncells; k++) {
			int got;

			if (!hidden(p, k))
				continue;
			if (!needs_interval(p, k, opt) ||
			    protected_enough(&iv[k], opt->protection)) {
				settled[k] = true;
				continue;
			}
			if (reveals_no_small_count(&iv[k], opt->k)) {
				/* kept as it is, it may grow in later rounds:
				 * no longer exact, for the narrowest */
				settled[k] = stays_unrevealing(
					&iv[k], opt->k, opt->protection);
				if (settled[k])
					exact[k] = false;
				continue;
			}
			got = extend(p, &inc, &s, k, touched);
			if (got > 0)
				extended = true;
			if (got < 0)
				failed = true;
		}
		if (extended) {
			secondary(p);
			continue;
		}
		if (failed)
			rc = refuse(p, iv, opt, err);
		break;
	}
	if (rc == 0)
		rc = sdc__narrowest(p, &inc, iv, exact, opt->k, opt->k,
				    &summary->narrowest, err);
	sdc__audit_memo_free(&memo);
	sdc__incidence_free(&inc);
	free(touched);
	free(settled);
	free(exact);
	free(s.seen);
	free(s.near);
	free(s.queue);
	free(s.rels);
	return rc;
}

int sdc_protect(struct sdc_problem *p, const struct sdc_options *opt,
		struct sdc_summary *summary, struct parity_error *err)
{
	struct sdc_interval *iv;
	size_t k;
	int rc;

	memset(summary, 0, sizeof(*summary));
	summary->narrowest = INFINITY;
	summary->cells = p->ncells;
	summary->relations = p->nrelations;
	if (!(opt->k >= 1) || !(opt->protection >= 0))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"disclosure control: the threshold must "
					"be at least 1");
	for (k = 0; k < p->ncells; k++)
		if (!p->cells[k].gap && p->cells[k].value > 0 &&
		    p->cells[k].value < opt->k)
			p->cells[k].state = SDC_PRIMARY;
	secondary(p);
	iv = xcalloc(p->ncells ? p->ncells : 1, sizeof(*iv));
	rc = audit_loop(p, opt, iv, summary, err);
	summarise(p, summary);
	free(iv);
	return rc;
}
