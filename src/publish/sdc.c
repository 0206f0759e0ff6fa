/*
 * sdc.c - the suppression method of sdc.h: cells and relations, primary
 * and secondary suppression, and the loop that extends suppression until
 * the audit (sdc_audit.c) finds every suppressed cell protected.
 */
#include "publish/sdc.h"

#include "base/alloc.h"
#include "base/hash.h"
#include "base/strbuf.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* The audit and extension loop stops after this many rounds. */
#define SDC_MAX_ROUNDS 200

void sdc_options_init(struct sdc_options *opt)
{
	opt->k = SDC_K_DEFAULT;
	opt->protection = SDC_K_DEFAULT;
	opt->round_to = 0;
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

int sdc_relation_add(struct sdc_problem *p, size_t total, const size_t *parts,
		     size_t count)
{
	double sum = 0;
	size_t k, *sorted;
	struct sdc_relation *r;

	if (count < 2 || total >= p->ncells)
		return 0;
	for (k = 0; k < count; k++) {
		if (parts[k] >= p->ncells || parts[k] == total)
			return 0;
		sum += p->cells[parts[k]].value;
	}
	if (fabs(sum - p->cells[total].value) >
	    1e-9 * fmax(1.0, p->cells[total].value))
		return 0;
	sorted = xmalloc(count * sizeof(*sorted));
	memcpy(sorted, parts, count * sizeof(*sorted));
	qsort(sorted, count, sizeof(*sorted), compare_size);
	for (k = 1; k < count; k++)
		if (sorted[k] == sorted[k - 1]) {
			free(sorted);
			return 0;
		}
	for (k = 0; k < p->nrelations; k++)
		if (same_relation(&p->relations[k], total, sorted, count)) {
			free(sorted);
			return 0;
		}
	p->relations = xgrow(p->relations, &p->relations_cap,
			     p->nrelations + 1, sizeof(*p->relations));
	r = &p->relations[p->nrelations++];
	r->total = total;
	r->parts = sorted;
	r->count = count;
	return 1;
}

/* ---- suppression ---- */

static bool hidden(const struct sdc_problem *p, size_t cell)
{
	return p->cells[cell].state != SDC_PUBLISHED;
}

/* How many of a relation's cells (total and parts) are suppressed. */
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
 * Suppress one more cell of relation `r`: the published non-zero cell of
 * least cost, a part before the total on equal cost, then the earliest.
 * Returns false when every cell is suppressed or zero.
 */
static bool complement(struct sdc_problem *p, const struct sdc_relation *r)
{
	size_t k, best = (size_t)-1;

	for (k = 0; k <= r->count; k++) {
		size_t cell = k < r->count ? r->parts[k] : r->total;
		const struct sdc_cell *c = &p->cells[cell];

		if (c->state != SDC_PUBLISHED || c->value <= 0)
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

/* Secondary suppression until no relation has exactly one suppressed
 * cell (or such a relation has nothing left to suppress). */
static void secondary(struct sdc_problem *p)
{
	bool changed = true;
	size_t k;

	while (changed) {
		changed = false;
		for (k = 0; k < p->nrelations; k++)
			if (hidden_in(p, &p->relations[k]) == 1 &&
			    complement(p, &p->relations[k]))
				changed = true;
	}
}

static bool member_of(const struct sdc_relation *r, size_t cell)
{
	size_t j;

	if (r->total == cell)
		return true;
	for (j = 0; j < r->count; j++)
		if (r->parts[j] == cell)
			return true;
	return false;
}

/* Whether relation `r` still has a non-zero published cell to give. */
static bool open_relation(const struct sdc_problem *p,
			  const struct sdc_relation *r)
{
	size_t j;

	for (j = 0; j < r->count; j++)
		if (!hidden(p, r->parts[j]) && p->cells[r->parts[j]].value > 0)
			return true;
	return !hidden(p, r->total) && p->cells[r->total].value > 0;
}

/*
 * For an under-protected cell: one more suppression in the relation
 * containing it with the fewest suppressed cells that still has one to
 * give. When every relation containing it is fully suppressed, the cell is
 * pinned through the suppressed cells it is summed with, so the search
 * moves out to their relations, nearest first. `extended` marks the
 * relations extended this round: a cell next to one of them waits for the
 * next audit, which may find it protected already. Returns 1 when a cell
 * was suppressed, 0 when the cell waits, -1 when nothing can be done.
 */
static int extend(struct sdc_problem *p, size_t cell, bool *extended)
{
	bool *seen = xcalloc(p->ncells, sizeof(*seen));
	size_t *queue = xmalloc(p->ncells * sizeof(*queue));
	size_t head = 0, tail = 0, level_end, k, j, c;
	int rc = -1;

	queue[tail++] = cell;
	seen[cell] = true;
	while (head < tail && rc < 0) {
		size_t best = (size_t)-1, fewest = SIZE_MAX, start = head;

		level_end = tail;
		for (k = 0; k < p->nrelations && rc < 0; k++) {
			const struct sdc_relation *r = &p->relations[k];
			bool near = false;

			for (c = start; c < level_end && !near; c++)
				near = member_of(r, queue[c]);
			if (!near)
				continue;
			if (extended[k])
				rc = 0;
			else if (hidden_in(p, r) < fewest &&
				 open_relation(p, r)) {
				fewest = hidden_in(p, r);
				best = k;
			}
		}
		if (rc == 0)
			break;
		if (best != (size_t)-1 && complement(p, &p->relations[best])) {
			extended[best] = true;
			rc = 1;
			break;
		}
		/* the suppressed cells summed with this level's, next */
		for (k = 0; k < p->nrelations; k++) {
			const struct sdc_relation *r = &p->relations[k];
			bool near = false;

			for (c = start; c < level_end && !near; c++)
				near = member_of(r, queue[c]);
			for (j = 0; near && j <= r->count; j++) {
				size_t m = j < r->count ? r->parts[j] : r->total;

				if (hidden(p, m) && !seen[m]) {
					seen[m] = true;
					queue[tail++] = m;
				}
			}
		}
		head = level_end;
	}
	free(seen);
	free(queue);
	return rc;
}

static bool protected_enough(const struct sdc_interval *iv, double width)
{
	return iv->high - iv->low >= width;
}

int sdc_protect(struct sdc_problem *p, const struct sdc_options *opt,
		struct sdc_summary *summary, struct parity_error *err)
{
	struct sdc_interval *iv;
	bool *touched;
	size_t k, round;
	int rc = 0;

	memset(summary, 0, sizeof(*summary));
	summary->narrowest = INFINITY;
	if (!(opt->k >= 1) || !(opt->protection >= 0))
		return parity_error_set(err, PARITY_ERR_USAGE, NULL, 0, 0,
					"disclosure control: the threshold must "
					"be at least 1");
	for (k = 0; k < p->ncells; k++)
		if (p->cells[k].value > 0 && p->cells[k].value < opt->k)
			p->cells[k].state = SDC_PRIMARY;
	secondary(p);
	iv = xcalloc(p->ncells ? p->ncells : 1, sizeof(*iv));
	touched = xcalloc(p->nrelations ? p->nrelations : 1, sizeof(*touched));
	for (round = 0;; round++) {
		bool extended = false, failed = false;

		if (round == SDC_MAX_ROUNDS) {
			rc = parity_error_set(err, PARITY_ERR_VALIDATION, NULL,
					      0, 0, "disclosure control: no "
					      "protection found after %d "
					      "rounds", SDC_MAX_ROUNDS);
			break;
		}
		if (sdc_audit(p, iv, err) < 0) {
			rc = -1;
			break;
		}
		summary->audit_rounds++;
		memset(touched, 0, (p->nrelations ? p->nrelations : 1) *
				   sizeof(*touched));
		for (k = 0; k < p->ncells; k++) {
			int got;

			if (!hidden(p, k) || protected_enough(&iv[k],
							      opt->protection))
				continue;
			got = extend(p, k, touched);
			if (got != 0)
				extended = extended || got > 0;
			if (got < 0)
				failed = true;
		}
		if (extended) {
			secondary(p);
			continue;
		}
		if (failed) {
			struct strbuf sb = STRBUF_INIT;
			size_t named = 0;

			for (k = 0; k < p->ncells && named < 5; k++)
				if (hidden(p, k) &&
				    !protected_enough(&iv[k], opt->protection))
					strbuf_addf(&sb, "%s%s (between %g and "
						    "%g)", named++ ? "; " : "",
						    p->cells[k].key, iv[k].low,
						    iv[k].high);
			rc = parity_error_set(err, PARITY_ERR_VALIDATION, NULL,
					      0, 0, "disclosure control: "
					      "refused: these suppressed cells "
					      "can be narrowed to less than %g "
					      "by what is published: %s",
					      opt->protection, sb.buf);
			strbuf_release(&sb);
		}
		break;
	}
	for (k = 0; k < p->ncells; k++) {
		if (p->cells[k].state == SDC_PRIMARY)
			summary->primary++;
		else if (p->cells[k].state == SDC_SECONDARY)
			summary->secondary++;
		if (hidden(p, k) && iv[k].high - iv[k].low < summary->narrowest)
			summary->narrowest = iv[k].high - iv[k].low;
	}
	free(iv);
	free(touched);
	return rc;
}
