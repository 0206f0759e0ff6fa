/*
 * sdc_private.h - what the files of disclosure control (sdc.c,
 * sdc_audit.c, sdc_table.c) share and nothing else calls.
 *
 * The incidence lists every relation a cell belongs to, so that the audit
 * can split the problem into blocks and the extension can look at a cell's
 * relations without scanning them all. The audit memo remembers, between
 * the rounds of sdc_protect(), which block each suppressed cell was in, so
 * that a block nothing has changed is not solved again.
 *
 * Ownership: each struct owns its arrays; the *_free() functions release
 * them and are safe on a zeroed struct.
 */
#ifndef PARITY_SDC_SDC_PRIVATE_H
#define PARITY_SDC_SDC_PRIVATE_H

#include "sdc/sdc.h"

#include <stdbool.h>
#include <stddef.h>

#define SDC_NONE ((size_t)-1)

/* Cell k belongs to relations rel[start[k]] .. rel[start[k + 1] - 1], in
 * rising order. */
struct sdc_incidence {
	size_t *start;
	size_t *rel;
};

void sdc__incidence_build(const struct sdc_problem *p,
			  struct sdc_incidence *inc);
void sdc__incidence_free(struct sdc_incidence *inc);

/*
 * sdc_relation_add(), or with `partial` for a published table whose
 * suppressed cells' values are not known: a relation holds when its
 * published cells allow it (all published: exactly; otherwise the
 * published parts do not exceed a published total).
 */
int sdc__relation_add(struct sdc_problem *p, size_t total,
		      const size_t *parts, size_t count, bool partial);

/*
 * An index of a problem's relations by total and parts, so that adding a
 * relation finds an equal one already there in constant time:
 * sdc__relation_add() compares it with every relation so far, which is
 * quadratic in the relations. It indexes p->relations[0 .. count);
 * relations added without it are taken in on the next call. Zero it
 * before first use; sdc__relation_index_free() releases it (safe on a
 * zeroed one).
 */
struct sdc_relation_index {
	size_t *slot;   /* open addressing: relation + 1, or 0 */
	size_t cap;     /* a power of two, or 0 */
	size_t count;   /* relations indexed */
};

/* sdc__relation_add(), finding duplicates through `ix`; *at is the
 * relation's index, added or equal to one already there, or SDC_NONE when
 * it does not hold. */
int sdc__relation_add_indexed(struct sdc_problem *p,
			      struct sdc_relation_index *ix, size_t total,
			      const size_t *parts, size_t count, bool partial,
			      size_t *at);
void sdc__relation_index_free(struct sdc_relation_index *ix);

/* sdc_nesting_add(), or with `partial` for a published table (the
 * checker): the gap is unknown, and the nesting holds unless both stages
 * are shown and the later exceeds the earlier. */
int sdc__nesting_add(struct sdc_problem *p, size_t earlier, size_t later,
		     bool partial, struct parity_error *err);

/* Whether the audit treats cell k as unknown: suppressed, and not known
 * from an earlier release. */
bool sdc__unknown(const struct sdc_problem *p, size_t k);

struct sdc_audit_memo {
	size_t *block;  /* per cell: its block in the last audit, or
			 * SDC_NONE */
	size_t *size;   /* per block of the last audit: its cells */
	size_t nblocks, size_cap;
	/* the final basis of the last audit's programs, to start the next
	 * from: GLPK's status of each cell's column and each relation's row
	 * (0 when it had none) */
	int *col_stat, *row_stat;
};

void sdc__audit_memo_free(struct sdc_audit_memo *memo);

/* What one audit did. */
struct sdc_audit_stats {
	size_t blocks;         /* independent blocks of unknown cells */
	size_t blocks_solved;  /* blocks solved (the rest were unchanged) */
	size_t largest;        /* cells in the largest block */
	size_t lps;            /* linear programs solved */
	size_t lps_skipped;    /* bounds found without solving one */
};

/*
 * The audit of sdc_audit(), by blocks: the unknown cells linked through
 * relations (published and known cells are constants and link nothing)
 * form independent blocks, each solved on its own as one linear program
 * whose objective alone changes from bound to bound.
 *
 * With `goal` > 0, a cell whose interval the solutions already found show
 * to be at least `goal` wide is not optimised: out[] then holds the widest
 * interval seen, which lies inside the true one, and exact[] (when not
 * NULL) says so. A cell with settled[k] (when not NULL) keeps the interval
 * out[] holds. With `memo` (zeroed before the first call), a block with
 * exactly the cells of a block of the last call keeps the intervals out[]
 * holds from it. `st` may be NULL.
 *
 * Suppressing one more cell never narrows an interval: every solution
 * before, with the new cell at its true value, is a solution after. So a
 * cell once shown protected can be settled for the audits that follow.
 */
int sdc__audit(const struct sdc_problem *p, const struct sdc_incidence *inc,
	       double goal, const bool *settled, struct sdc_audit_memo *memo,
	       struct sdc_interval *out, bool *exact,
	       struct sdc_audit_stats *st, struct parity_error *err);

/*
 * The narrowest interval among the unknown cells that may lie below
 * `below` (INFINITY: all of them) and above 0, leaving out cells of the
 * previous release (SDC_PRIOR) of `prior_from` or more, exactly: cells
 * whose out[] is not exact are solved exactly, widest-seen first from the
 * narrowest, until none could be narrower than the narrowest found.
 * Updates out[] and exact[].
 */
int sdc__narrowest(const struct sdc_problem *p,
		   const struct sdc_incidence *inc, struct sdc_interval *out,
		   bool *exact, double below, double prior_from,
		   double *narrowest, struct parity_error *err);

#endif
